# Sourced by benches/run-v2.sh and benches/run-reqwest-jar.sh: `pin CPU COMMAND...` runs a
# command on one core where there are two, and `start_stub PORT` starts the stub server on
# the other (killed on exit) and sets `url` once it accepts connections.

pin() { if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }

start_stub() {
    local port=$1
    # Not through `pin`: a function in the background is a subshell, and $! would be its pid.
    if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then
        taskset -c 1 harness/target/release/stub "$port" 2>/dev/null &
    else
        harness/target/release/stub "$port" 2>/dev/null &
    fi
    stub=$!
    trap 'kill $stub 2>/dev/null || true' EXIT
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
    url=http://127.0.0.1:$port
}
