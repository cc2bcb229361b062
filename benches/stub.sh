# Sourced by benches/run-v2.sh and benches/run-reqwest-jar.sh: `pin CPU COMMAND...` runs a
# command on one core where there are two, `start_stub PORT` starts the stub server on
# the other (killed on exit) and sets `url` once it accepts connections, and `at_once` runs
# two clients at once on core 0.

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

# `at_once CRATE_LOAD ANCHOR_LOAD OP CONCURRENCY SECONDS OUT`: the crate from one build of the
# `load` harness and raw reqwest + its cookie store from another, two processes at once on
# core 0 (the scheduler shares its CPU time), each as users build it; appends both results
# to OUT.
at_once() {
    local crate_load=$1 anchor_load=$2 op=$3 c=$4 seconds=$5 out=$6 crate
    pin 0 "$crate_load" crate "$op" "$c" "$seconds" "$url" >"$out.crate" &
    crate=$!
    pin 0 "$anchor_load" raw-reqwest-jar "$op" "$c" "$seconds" "$url" >"$out.anchor"
    wait "$crate"
    cat "$out.crate" "$out.anchor" >>"$out"
    rm -f "$out.crate" "$out.anchor"
}
