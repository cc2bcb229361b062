#!/usr/bin/env bash
# Medusa v2's benchmarks: `login` and `retrieve_customer` (`v2_login`, `v2_me`) of the crate
# against raw reqwest (interleaved in one process, the same requests: `load wire` checks it)
# and @medusajs/js-sdk 2.21.2 (memory token storage), on the stub answering the recorded
# 2.21.2 bodies; the crate against the budget's anchor, raw reqwest with its cookie store, as
# users build each (two processes at once on one core, as benches/run-reqwest-jar.sh does for
# v1); and instructions per call (cachegrind). Writes the v2 section of BENCHMARKS.md
# (benches/run.sh keeps it).
#   benches/run-v2.sh        (about 8 minutes on 2 cores; nothing else should load the CPU)
# REPS, SECONDS_PER_RUN, CONCURRENCY, AT_ONCE_CONCURRENCY and AT_ONCE_REPS override the
# defaults (3, 3, "1 16 64", "16 64", 15: the at-once runs give the budget's verdict, and their
# ratio moves by 2 to 4 points from one run to the next).
set -euo pipefail
cd "$(dirname "$0")"
bench=$PWD
repo=$(cd .. && pwd)
reps=${REPS:-3}
seconds=${SECONDS_PER_RUN:-3}
concurrency=${CONCURRENCY:-1 16 64}
at_once_concurrency=${AT_ONCE_CONCURRENCY:-16 64}
at_once_reps=${AT_ONCE_REPS:-15}
port=${STUB_PORT:-9912}
out=$repo/target/bench-v2
mkdir -p "$out"
# RENDER_ONLY=1 writes the section again from the last run's results (run with the same settings).
if [ -z "${RENDER_ONLY:-}" ]; then
: >"$out/interleaved.jsonl"
: >"$out/js-sdk.jsonl"
: >"$out/at-once.jsonl"

echo "== building the harness (release, and without reqwest's cookies feature) and installing js-sdk"
(cd harness && cargo build --release --quiet)
harness/target/release/load wire >"$out/wire.txt" || { cat "$out/wire.txt"; exit 1; }
# Neither the crate nor raw reqwest keeps cookies through reqwest here (a v2 session is a
# token), so both run from the harness built without reqwest's `cookies` feature, which
# would cost each about 8,300 instructions per call (benches/run-reqwest-jar.sh).
(cd harness && cargo build --release --quiet --no-default-features --target-dir target/without-reqwest-cookies)
load=harness/target/without-reqwest-cookies/release/load
[ -d node/node_modules/@medusajs/js-sdk ] || (cd node && npm ci --no-audit --no-fund --loglevel=error)

# shellcheck source=benches/stub.sh
. "$bench/stub.sh"
start_stub "$port"

echo "== crate and raw reqwest interleaved, js-sdk alone: $reps repetitions x concurrency {$concurrency} x $seconds s"
for rep in $(seq "$reps"); do
    for c in $concurrency; do
        for op in v2_login v2_me; do
            pin 0 "$load" pair "$op" "$c" "$seconds" "$url" >>"$out/interleaved.jsonl"
            pin 0 node node/load.js "$op" "$c" "$seconds" "$url" >>"$out/js-sdk.jsonl"
        done
    done
    echo "   repetition $rep done"
done
echo "== against the budget's anchor as users build them, two processes at once on core 0: $at_once_reps repetitions x concurrency {$at_once_concurrency} x $seconds s"
for rep in $(seq "$at_once_reps"); do
    for c in $at_once_concurrency; do
        for op in v2_login v2_me; do
            at_once "$load" harness/target/release/load "$op" "$c" "$seconds" "$out/at-once.jsonl"
        done
    done
    echo "   repetition $rep done"
done
echo "== instructions per call (cachegrind)"
LOAD_BIN=$load OPS="v2_login v2_me" CLIENTS="crate raw" bash "$bench/instructions.sh" "$url" >"$out/instructions.jsonl"
fi

command="benches/run-v2.sh (REPS=$reps SECONDS_PER_RUN=$seconds CONCURRENCY=\"$concurrency\" AT_ONCE_CONCURRENCY=\"$at_once_concurrency\" AT_ONCE_REPS=$at_once_reps)"
PYTHONPATH="$bench" python3 - "$out" "$repo/BENCHMARKS.md" "$command" <<'PY'
import json, os, statistics, subprocess, sys, datetime
import budget, sections
out, path, command = sys.argv[1:]
load = lambda name: [json.loads(l) for l in open(os.path.join(out, name)) if l.strip()]
pairs, js, instr = load("interleaved.jsonl"), load("js-sdk.jsonl"), load("instructions.jsonl")
at_once = load("at-once.jsonl")
ver = lambda cmd: subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
rows = ["| operation | concurrency | client | calls/s (median) | p50 µs | p99 µs | CPU µs/call | allocs/call | vs raw reqwest |", "|---|---|---|---|---|---|---|---|---|"]
summary = []
for op in ["v2_login", "v2_me"]:
    for c in sorted({r["concurrency"] for r in pairs}):
        med = {}
        for client, runs in [("crate", [r for r in pairs if r["op"] == op and r["concurrency"] == c and r["client"] == "crate"]),
                             ("raw", [r for r in pairs if r["op"] == op and r["concurrency"] == c and r["client"] == "raw"]),
                             ("js-sdk", [r for r in js if r["op"] == op and r["concurrency"] == c])]:
            if not runs:
                continue
            m = lambda k: statistics.median(r[k] for r in runs)
            med[client] = m("rps")
            allocs = "–" if runs[0]["allocs_per_call"] is None else f'{m("allocs_per_call"):.1f}'
            rows.append(f'| {op} | {c} | {client} | {m("rps"):,.0f} | {m("p50_us"):.0f} | {m("p99_us"):.0f} | {m("cpu_us_per_call"):.1f} | {allocs} | {{{client}}} |')
        for i, row in enumerate(rows):
            for client in med:
                rows[i] = rows[i].replace(f"{{{client}}}", f'{med[client] / med["raw"]:.2f}×') if f"| {op} | {c} |" in row else rows[i]
        if "js-sdk" in med:
            summary.append(f'- {op} at {c}: crate {med["crate"] / med["raw"]:.2f}× raw reqwest, {med["crate"] / med["js-sdk"]:.1f}× js-sdk')
irows = ["| operation | client | instructions/call | L1i misses | L1d misses | mispredicts | vs raw reqwest |", "|---|---|---|---|---|---|---|"]
for op in ["v2_login", "v2_me"]:
    raw = next((r for r in instr if r["op"] == op and r["client"] == "raw"), None)
    for r in (r for r in instr if r["op"] == op):
        ratio = f'{r["instructions_per_call"] / raw["instructions_per_call"]:.3f}×' if raw else "–"
        irows.append(f'| {op} | {r["client"]} | {r["instructions_per_call"]:,} | {r["l1i_misses_per_call"]} | {r["l1d_misses_per_call"]} | {r["mispredicts_per_call"]} | {ratio} |')
# When the last result was written (RENDER_ONLY renders later).
ended = max(os.path.getmtime(os.path.join(out, f)) for f in ("interleaved.jsonl", "js-sdk.jsonl", "at-once.jsonl", "instructions.jsonl"))
when = datetime.datetime.fromtimestamp(ended, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
sections.write(path, "v2", "benches/run-v2.sh", [
    "## Medusa v2: login and retrieve_customer",
    "",
    f"Written by `{command}`, measured until {when}. Versions: {ver('rustc --version')}; node {ver('node --version')}; @medusajs/js-sdk 2.21.2 (`jwtTokenStorageMethod: \"memory\"`; its Node default discards the token).",
    "The stub answers `POST /auth/customer/emailpass` and `GET /store/customers/me` with the recorded 2.21.2 bodies. `v2_login` sends the payload (the crate then keeps the token), `v2_me` the token and the publishable key. The crate and raw reqwest take turns of 100 ms in one process (`load pair`), sending the same requests (`load wire`), both from the harness built without reqwest's `cookies` feature (neither needs it for a token); js-sdk runs alone. Each figure is the median of the repetitions.",
    "",
    *rows,
    "",
    *summary,
    "",
    "Against the budget's anchor, raw reqwest with its cookie store (`raw-reqwest-jar`, what a hand-written client that also keeps cookie sessions needs), each as users build it: the crate from the harness built without reqwest's `cookies` feature, the anchor with it, two processes at once on one core (CPU time shared by the scheduler; the method of benches/run-reqwest-jar.sh). The table above compares with the stricter raw reqwest without a cookie store.",
    "",
    *budget.table(at_once, ["v2_login", "v2_me"]),
    "",
    "Instructions per call (cachegrind, the marginal call of 600 against 100 on one task):",
    "",
    *irows,
])
PY
echo "wrote the v2 section of BENCHMARKS.md"
