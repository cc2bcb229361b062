#!/usr/bin/env bash
# Builds and runs every benchmark and writes BENCHMARKS.md: per-call overhead of this crate
# against raw reqwest and medusa-js 6.1.3 on one loopback stub server, then the build cost.
#   benches/run.sh            (about 20 minutes on 2 cores)
# REPS, SECONDS_PER_RUN and CONCURRENCY override the defaults (3, 3, "1 16 64").
set -euo pipefail
cd "$(dirname "$0")"
bench=$PWD
repo=$(cd .. && pwd)
reps=${REPS:-3}
seconds=${SECONDS_PER_RUN:-3}
concurrency=${CONCURRENCY:-1 16 64}
port=${STUB_PORT:-9911}
results=$repo/target/bench-results.jsonl
interleaved=$repo/target/bench-interleaved.jsonl
floor=$repo/target/bench-floor.jsonl
interleaved_jar=$repo/target/bench-interleaved-jar.jsonl
mkdir -p "$repo/target"
: >"$results"
: >"$interleaved"
: >"$floor"
: >"$interleaved_jar"

echo "== building the harness (release) and installing medusa-js"
(cd harness && cargo build --release --quiet)
echo "== checking that the crate, the raw reqwest baseline (and the bare progenitor client) send the same requests"
harness/target/release/load wire >"$repo/target/bench-wire.txt" || {
    cat "$repo/target/bench-wire.txt"
    exit 1
}
[ -d node/node_modules/@medusajs/medusa-js ] || (cd node && npm install --no-audit --no-fund --loglevel=error)

# Server and client on different cores where there are two.
cores=$(nproc)
server_cpu=$((cores > 1 ? 1 : 0))
pin() { if command -v taskset >/dev/null; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }
# Not through `pin`: a function in the background is a subshell, and $! would be its pid.
if command -v taskset >/dev/null; then
    taskset -c "$server_cpu" harness/target/release/stub "$port" 2>/dev/null &
else
    harness/target/release/stub "$port" 2>/dev/null &
fi
stub=$!
trap 'kill $stub 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port

# run <client> <op> <concurrency>: one measured run, with the client's peak RSS appended.
run() {
    local client=$1 op=$2 c=$3 line rss
    local out
    out=$(mktemp)
    if [ "$client" = medusa-js ]; then
        pin 0 /usr/bin/time -f '%M' -o "$out" node node/load.js "$op" "$c" "$seconds" "$url" >"$out.json"
    else
        pin 0 /usr/bin/time -f '%M' -o "$out" harness/target/release/load "$client" "$op" "$c" "$seconds" "$url" >"$out.json"
    fi
    rss=$(tail -1 "$out")
    line=$(cat "$out.json")
    echo "${line%\}},\"peak_rss_kb\":$rss}" >>"$results"
    rm -f "$out" "$out.json"
}

echo "== throughput and latency: $reps repetitions x concurrency {$concurrency} x $seconds s, clients alternating"
for rep in $(seq "$reps"); do
    for c in $concurrency; do
        for op in get_session exists authenticate get_token; do
            clients="crate raw"
            case $op in get_session | exists) clients="crate raw medusa-js" ;; esac
            for client in $clients; do
                run "$client" "$op" "$c"
            done
        done
        echo "   repetition $rep, concurrency $c done"
    done
done
echo "== the crate and raw reqwest interleaved in one process: $reps repetitions x concurrency {$concurrency}"
for rep in $(seq "$reps"); do
    for c in $concurrency; do
        for op in get_session exists authenticate get_token; do
            pin 0 harness/target/release/load pair "$op" "$c" "$seconds" "$url" >>"$interleaved"
        done
    done
    echo "   repetition $rep done"
done
echo "== the crate and raw reqwest keeping cookies as the crate does (raw-jar), interleaved"
for rep in $(seq "$reps"); do
    for c in $concurrency; do
        for op in get_session exists authenticate get_token; do
            pin 0 harness/target/release/load pair-jar "$op" "$c" "$seconds" "$url" >>"$interleaved_jar"
        done
    done
    echo "   repetition $rep done"
done
echo "== the bare progenitor client and raw reqwest interleaved: what the generated method costs by itself"
for rep in $(seq "$reps"); do
    for c in $concurrency; do
        for op in get_session exists; do
            pin 0 harness/target/release/load pair-progenitor "$op" "$c" "$seconds" "$url" >>"$floor"
        done
    done
    echo "   repetition $rep done"
done

echo "== instructions, cache misses and branch mispredictions per call (cachegrind)"
bash "$bench/instructions.sh" "$url" >"$repo/target/bench-instructions.jsonl"
kill $stub 2>/dev/null || true

echo "== per-visitor sessions (new and restored): cost to make, memory of 10,000 alive, connections opened"
pin 0 harness/target/release/sessions >"$repo/target/bench-sessions.json"

echo "== build cost"
bash "$bench/build-cost.sh" >"$repo/target/bench-build.json"

# Optional, for before/after tables (see report.py): BEFORE_BENCHMARKS, the BENCHMARKS.md another
# commit's run.sh wrote on this machine; BEFORE_SESSIONS, this harness's `sessions` output built
# against that commit; BEFORE_BUILD, its build-cost JSON; BEFORE_LABEL, what to call it.
SESSIONS_JSON="$repo/target/bench-sessions.json" INTERLEAVED_JAR="$interleaved_jar" python3 "$bench/report.py" "$results" "$interleaved" "$floor" "$repo/target/bench-build.json" "$repo/target/bench-instructions.jsonl" "$repo/BENCHMARKS.md" \
    "benches/run.sh (REPS=$reps SECONDS_PER_RUN=$seconds CONCURRENCY=\"$concurrency\")"
echo "wrote BENCHMARKS.md"
