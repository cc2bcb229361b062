#!/usr/bin/env bash
# Instructions per call, counted by valgrind's callgrind: repeatable where wall-clock CPU time on
# a shared 2-core machine is not. For each client and operation, two runs of the `load` harness
# (LOAD_CALLS=100 and 600 calls on one task) against a running stub; the difference divided by
# 500 is the marginal cost of one call, without start-up (TLS roots, runtime, client).
#   benches/instructions.sh <stub url>   (called by benches/run.sh; prints one JSON line per pair)
set -euo pipefail
cd "$(dirname "$0")"
url=$1
if ! command -v valgrind >/dev/null; then
    echo "valgrind not found: no instruction counts" >&2
    exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
total() { grep -E '^(summary|totals):' "$1" | head -1 | awk '{print $2}'; }
for op in get_session exists authenticate get_token; do
    clients="crate raw"
    # The bare progenitor client (benches/harness/build.rs) answers the GETs only.
    case $op in get_session | exists) clients="crate raw progenitor" ;; esac
    for client in $clients; do
        for n in 100 600; do
            LOAD_CALLS=$n valgrind --tool=callgrind --callgrind-out-file="$out/$n.out" \
                harness/target/release/load "$client" "$op" 1 0 "$url" >/dev/null 2>"$out/log" ||
                { cat "$out/log" >&2; exit 1; }
        done
        a=$(total "$out/100.out")
        b=$(total "$out/600.out")
        echo "{\"client\":\"$client\",\"op\":\"$op\",\"instructions_per_call\":$(((b - a) / 500))}"
    done
done
