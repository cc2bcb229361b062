#!/usr/bin/env bash
# Instructions, simulated cache misses and branch mispredictions per call, counted by valgrind's
# cachegrind: repeatable where wall-clock CPU time on a shared 2-core machine is not. For each
# client and operation, two runs of the `load` harness (LOAD_CALLS=100 and 600 calls on one task)
# against a running stub; the difference divided by 500 is the marginal cost of one call, without
# start-up (TLS roots, runtime, client). The cache simulation is cachegrind's model of this
# machine's L1 (instructions, data) and last-level caches, the branch simulation its model of a
# simple predictor: the counts explain why CPU time differs by more than instructions do.
#   benches/instructions.sh <stub url>   (called by benches/run.sh; prints one JSON line per pair)
# LOAD_BIN names another build of the `load` harness (benches/run-reqwest-jar.sh measures the
# crate in the harness built without reqwest's `cookies` feature).
set -euo pipefail
cd "$(dirname "$0")"
url=$1
if ! command -v valgrind >/dev/null; then
    echo "valgrind not found: no instruction counts" >&2
    exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# OPS overrides the operations (benches/run-v2.sh measures v2's).
for op in ${OPS:-get_session exists authenticate get_token}; do
    # raw-jar: raw reqwest keeping cookies in its own jar, as the crate keeps them in its.
    clients=${CLIENTS:-crate raw raw-jar}
    # The bare progenitor client (benches/harness/build.rs) answers the GETs only.
    case $op in get_session | exists) clients=${CLIENTS:-crate raw raw-jar progenitor} ;; esac
    for client in $clients; do
        for n in 100 600; do
            LOAD_CALLS=$n valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes \
                --cachegrind-out-file="$out/$n.out" \
                "${LOAD_BIN:-harness/target/release/load}" "$client" "$op" 1 0 "$url" >/dev/null 2>"$out/log" ||
                { cat "$out/log" >&2; exit 1; }
        done
        python3 - "$out/100.out" "$out/600.out" "$client" "$op" <<'PY'
import json, sys

def totals(path):
    for line in open(path):
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith("summary:"):
            return dict(zip(events, map(int, line.split()[1:])))

a, b, client, op = totals(sys.argv[1]), totals(sys.argv[2]), sys.argv[3], sys.argv[4]
per = {k: (b[k] - a[k]) / 500 for k in a}
print(json.dumps({
    "client": client, "op": op,
    "instructions_per_call": round(per["Ir"]),
    "l1i_misses_per_call": round(per["I1mr"]),
    "l1d_misses_per_call": round(per["D1mr"] + per["D1mw"]),
    "mispredicts_per_call": round(per["Bcm"] + per["Bim"]),
}))
PY
    done
done
