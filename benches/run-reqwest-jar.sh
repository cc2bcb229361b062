#!/usr/bin/env bash
# The anchor issue #23 names: raw reqwest with its own cookie store enabled
# (`cookie_store(true)`, the `cookies` feature), what a hand-written client needs to keep
# sessions. The crate and that client take turns of 100 ms in one process (`load
# pair-reqwest-jar`), and cachegrind counts both clients' instructions per call. Writes its
# section of BENCHMARKS.md (benches/run.sh keeps it).
#   benches/run-reqwest-jar.sh     (about 5 minutes on 2 cores; nothing else should load the CPU)
# REPS, SECONDS_PER_RUN and CONCURRENCY override the defaults (3, 3, "1 16 64").
set -euo pipefail
cd "$(dirname "$0")"
bench=$PWD
repo=$(cd .. && pwd)
reps=${REPS:-3}
seconds=${SECONDS_PER_RUN:-3}
concurrency=${CONCURRENCY:-1 16 64}
port=${STUB_PORT:-9913}
out=$repo/target/bench-reqwest-jar
mkdir -p "$out"
[ -n "${RENDER_ONLY:-}" ] || : >"$out/interleaved.jsonl"

echo "== building the harness (release)"
(cd harness && cargo build --release --quiet)
# RENDER_ONLY=1 writes the section again from the last run's results.
if [ -z "${RENDER_ONLY:-}" ]; then

# shellcheck source=benches/stub.sh
. "$bench/stub.sh"
start_stub "$port"

echo "== the crate and raw reqwest with its cookie store, interleaved: $reps repetitions x concurrency {$concurrency} x $seconds s"
for rep in $(seq "$reps"); do
    for c in $concurrency; do
        for op in get_session exists authenticate get_token; do
            pin 0 harness/target/release/load pair-reqwest-jar "$op" "$c" "$seconds" "$url" >>"$out/interleaved.jsonl"
        done
    done
    echo "   repetition $rep done"
done
echo "== instructions per call (cachegrind)"
CLIENTS="crate raw-reqwest-jar" bash "$bench/instructions.sh" "$url" >"$out/instructions.jsonl"
fi

command="benches/run-reqwest-jar.sh (REPS=$reps SECONDS_PER_RUN=$seconds CONCURRENCY=\"$concurrency\")"
PYTHONPATH="$bench" python3 - "$out" "$repo/BENCHMARKS.md" "$command" <<'PY'
import datetime, json, os, statistics, sys
import sections
out, path, command = sys.argv[1:]
load = lambda name: [json.loads(l) for l in open(os.path.join(out, name)) if l.strip()]
pairs, instr = load("interleaved.jsonl"), load("instructions.jsonl")
med = statistics.median
rows = [
    "| operation | concurrency | crate calls/s | raw reqwest + cookie store calls/s | throughput crate/anchor (range) | CPU µs/call crate / anchor | allocs/call crate / anchor | at least 0.90× |",
    "|---|---|---|---|---|---|---|---|",
]
for op in ["get_session", "exists", "authenticate", "get_token"]:
    for c in sorted({r["concurrency"] for r in pairs}):
        crate = [r for r in pairs if r["op"] == op and r["concurrency"] == c and r["client"] == "crate"]
        anchor = [r for r in pairs if r["op"] == op and r["concurrency"] == c and r["client"] == "raw-reqwest-jar"]
        if not crate or not anchor:
            continue
        ratios = [a["rps"] / b["rps"] for a, b in zip(crate, anchor)]
        m = lambda runs, k: med(r[k] for r in runs)
        verdict = "–" if c < 16 else ("yes" if med(ratios) >= 0.90 else "no")
        rows.append(
            f"| {op} | {c} | {m(crate, 'rps'):,.0f} | {m(anchor, 'rps'):,.0f} | {med(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) | "
            f"{m(crate, 'cpu_us_per_call'):.1f} / {m(anchor, 'cpu_us_per_call'):.1f} | {m(crate, 'allocs_per_call'):.0f} / {m(anchor, 'allocs_per_call'):.0f} | {verdict} |"
        )
irows = ["| operation | crate instructions/call | anchor instructions/call | crate / anchor |", "|---|---|---|---|"]
for op in ["get_session", "exists", "authenticate", "get_token"]:
    a = next((r for r in instr if r["op"] == op and r["client"] == "crate"), None)
    b = next((r for r in instr if r["op"] == op and r["client"] == "raw-reqwest-jar"), None)
    if a and b:
        irows.append(f"| {op} | {a['instructions_per_call']:,} | {b['instructions_per_call']:,} | {a['instructions_per_call'] / b['instructions_per_call']:.3f}× |")
# When the last result was written (RENDER_ONLY renders later).
ended = max(os.path.getmtime(os.path.join(out, f)) for f in ("interleaved.jsonl", "instructions.jsonl"))
now = datetime.datetime.fromtimestamp(ended, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
sections.write(path, "reqwest-jar", "benches/run-reqwest-jar.sh", [
    "## The anchor of issue #23: raw reqwest with its cookie store",
    "",
    f"Written by `{command}`, measured until {now}. The baseline is raw reqwest with its own cookie store enabled "
    "(`cookie_store(true)`, reqwest's `cookies` feature): what a hand-written client needs to keep sessions. "
    "It sends the same requests as `raw` above (`load wire`), and reqwest keeps and sends back the cookies. "
    "The crate and it take turns of 100 ms in one process (`load pair-reqwest-jar`); medians of the repetitions. "
    "The budget: at least 0.90× its calls/s at concurrency 16 and 64. reqwest's `cookies` feature costs every "
    "reqwest client of a binary that enables it, with a cookie store or not: about 8,500 more instructions per "
    "call here for the crate, raw reqwest and raw reqwest + jar alike (get_session: 92,789 → 101,488, 82,543 → "
    "91,044 for raw + jar; the tables above were measured before the harness enabled it).",
    "",
    *rows,
    "",
    "Instructions per call (cachegrind, `benches/instructions.sh`, as above):",
    "",
    *irows,
])
print("wrote the reqwest-jar section of", path)
PY
