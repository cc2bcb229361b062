#!/usr/bin/env bash
# The anchor issue #23 names: raw reqwest with its own cookie store enabled
# (`cookie_store(true)`, the `cookies` feature), what a hand-written client needs to keep
# sessions. Two comparisons, because reqwest's `cookies` feature costs every reqwest client of a
# binary that enables it (its cookie layer parses each request's URL again, store or not):
# - in one binary (the harness with reqwest's `cookies`): the crate and that client take turns
#   of 100 ms in one process (`load pair-reqwest-jar`), and the crate pays the feature too, as
#   it does in an application that enables it for something else;
# - as each is built by its users: the crate from the harness built without reqwest's `cookies`
#   (`--no-default-features`, as the crate's own dependency on reqwest is), the anchor from the
#   one with it; two processes at once on one core, so the kernel's scheduler gives each half
#   of it and a noisy neighbour slows both alike (`at_once`).
# cachegrind counts instructions per call for each. Writes its section of BENCHMARKS.md
# (benches/run.sh keeps it).
#   benches/run-reqwest-jar.sh     (about 15 minutes on 2 cores, the second build included;
#                                   nothing else should load the CPU)
# REPS, SECONDS_PER_RUN and CONCURRENCY override the defaults (3, 3, "1 16 64");
# AT_ONCE_CONCURRENCY the at-once runs' ("16 64": at 1 a client waits on the network, and
# the two would not compete for the core); AT_ONCE_REPS their repetitions (15: they give the
# budget's verdict, and their ratio moves by 2 to 4 points from one run to the next).
set -euo pipefail
cd "$(dirname "$0")"
bench=$PWD
repo=$(cd .. && pwd)
reps=${REPS:-3}
seconds=${SECONDS_PER_RUN:-3}
concurrency=${CONCURRENCY:-1 16 64}
at_once_concurrency=${AT_ONCE_CONCURRENCY:-16 64}
at_once_reps=${AT_ONCE_REPS:-15}
port=${STUB_PORT:-9913}
out=$repo/target/bench-reqwest-jar
mkdir -p "$out"
[ -n "${RENDER_ONLY:-}" ] || { : >"$out/interleaved.jsonl"; : >"$out/at-once.jsonl"; }

echo "== building the harness (release), with and without reqwest's cookies feature"
(cd harness && cargo build --release --quiet)
(cd harness && cargo build --release --quiet --no-default-features --target-dir target/without-reqwest-cookies)
with_cookies=harness/target/release/load
without_cookies=harness/target/without-reqwest-cookies/release/load
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
echo "== as users build them, two processes at once on core 0: $at_once_reps repetitions x concurrency {$at_once_concurrency} x $seconds s"
for rep in $(seq "$at_once_reps"); do
    for c in $at_once_concurrency; do
        for op in get_session exists authenticate get_token; do
            at_once "$without_cookies" "$with_cookies" "$op" "$c" "$seconds" "$out/at-once.jsonl"
        done
    done
    echo "   repetition $rep done"
done
echo "== the at-once method against turns in one process: the same binary at once, get_session at 16"
: >"$out/at-once-one-binary.jsonl"
for rep in $(seq "$reps"); do
    at_once "$with_cookies" "$with_cookies" get_session 16 "$seconds" "$out/at-once-one-binary.jsonl"
done
echo "== instructions per call (cachegrind)"
CLIENTS="crate raw-reqwest-jar" bash "$bench/instructions.sh" "$url" >"$out/instructions.jsonl"
LOAD_BIN=$without_cookies CLIENTS=crate bash "$bench/instructions.sh" "$url" >"$out/instructions-without-cookies.jsonl"
fi

command="benches/run-reqwest-jar.sh (REPS=$reps SECONDS_PER_RUN=$seconds CONCURRENCY=\"$concurrency\" AT_ONCE_CONCURRENCY=\"$at_once_concurrency\" AT_ONCE_REPS=$at_once_reps)"
PYTHONPATH="$bench" python3 - "$out" "$repo/BENCHMARKS.md" "$command" <<'PY'
import datetime, json, os, statistics, sys
import budget, sections
out, path, command = sys.argv[1:]
load = lambda name: [json.loads(l) for l in open(os.path.join(out, name)) if l.strip()]
pairs, at_once = load("interleaved.jsonl"), load("at-once.jsonl")
one_binary = load("at-once-one-binary.jsonl")
instr, instr_without = load("instructions.jsonl"), load("instructions-without-cookies.jsonl")
med = statistics.median
OPS = ["get_session", "exists", "authenticate", "get_token"]


def instructions(crate_runs):
    """The instructions table: the crate's (from `crate_runs`) against the anchor's."""
    rows = ["| operation | crate instructions/call | anchor instructions/call | crate / anchor |", "|---|---|---|---|"]
    for op in OPS:
        a = next((r for r in crate_runs if r["op"] == op and r["client"] == "crate"), None)
        b = next((r for r in instr if r["op"] == op and r["client"] == "raw-reqwest-jar"), None)
        if a and b:
            rows.append(f"| {op} | {a['instructions_per_call']:,} | {b['instructions_per_call']:,} | {a['instructions_per_call'] / b['instructions_per_call']:.3f}× |")
    return rows


def ratio(runs, op, c):
    """The median crate/anchor calls/s ratio of `runs` for `op` at `c`, and its range."""
    crate = [r for r in runs if r["op"] == op and r["concurrency"] == c and r["client"] == "crate"]
    anchor = [r for r in runs if r["op"] == op and r["concurrency"] == c and r["client"] == "raw-reqwest-jar"]
    ratios = [a["rps"] / b["rps"] for a, b in zip(crate, anchor)]
    return f"{med(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})" if ratios else "–"


def agreement():
    """How the at-once method compares with turns in one process, on one binary."""
    return (
        "The method checked against the turns in one process below, on the same binary (the crate with the "
        f"feature too), get_session at 16: at once {ratio(one_binary, 'get_session', 16)}, in turns "
        f"{ratio(pairs, 'get_session', 16)}."
    )


# When the last result was written (RENDER_ONLY renders later).
files = ("interleaved.jsonl", "at-once.jsonl", "at-once-one-binary.jsonl", "instructions.jsonl", "instructions-without-cookies.jsonl")
ended = max(os.path.getmtime(os.path.join(out, f)) for f in files)
now = datetime.datetime.fromtimestamp(ended, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
sections.write(path, "reqwest-jar", "benches/run-reqwest-jar.sh", [
    "## The anchor of issue #23: raw reqwest with its cookie store",
    "",
    f"Written by `{command}`, measured until {now}. The baseline is raw reqwest with its own cookie store enabled "
    "(`cookie_store(true)`, reqwest's `cookies` feature): what a hand-written client needs to keep sessions. "
    "It sends the same requests as `raw` above (`load wire`), and reqwest keeps and sends back the cookies. "
    "The budget: at least 0.90× its calls/s at concurrency 16 and 64.",
    "",
    "reqwest's `cookies` feature costs every reqwest client of a binary that enables it, with a cookie store or "
    "not: its cookie layer parses each request's URL again (reqwest 0.13's `CookieService::call`), about 8,300 "
    "instructions per call here. The crate keeps its cookies itself and does not enable the feature, so the two "
    "comparisons below differ by that cost.",
    "",
    "### As users build them",
    "",
    "The crate from the harness built without reqwest's `cookies` feature (`cargo build --release "
    "--no-default-features`), as an application that uses the crate builds it; the anchor from the harness with "
    "it, as a hand-written client needs. Two processes, so they cannot take turns in one: both run at once on "
    "core 0 for the same window, the kernel's scheduler gives each half of the core, and a noisy neighbour slows "
    "both alike. Calls/s are each one's within that shared window (half of what each makes alone); medians of the "
    f"repetitions, the range is min–max of the ratio. {agreement()}",
    "",
    *budget.table(at_once, OPS),
    "",
    "Instructions per call (cachegrind, `benches/instructions.sh`; the crate's from the build without the feature):",
    "",
    *instructions(instr_without),
    "",
    "### In one binary that enables reqwest's `cookies` feature",
    "",
    "The crate and the anchor take turns of 100 ms in one process (`load pair-reqwest-jar`); medians of the "
    "repetitions. Here the crate pays the cookie layer too, as it does in an application that enables reqwest's "
    "`cookies` feature for something else, and what is left is the crate's own work per call over raw reqwest "
    "(progenitor's generated method first: the `bare progenitor` rows above).",
    "",
    *budget.table(pairs, OPS),
    "",
    "Instructions per call (cachegrind, `benches/instructions.sh`, as above):",
    "",
    *instructions(instr),
])
print("wrote the reqwest-jar section of", path)
PY
