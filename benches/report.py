"""Turns the benchmark results into BENCHMARKS.md (called by benches/run.sh)."""
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timezone

import sections  # benches/sections.py, beside this script

results_path, interleaved_path, floor_path, build_path, instructions_path, out_path, command = sys.argv[1:8]
# Optional: the per-visitor session benchmark, and the figures of the commit before the redesign
# (its BENCHMARKS.md and its build-cost JSON, measured beside this run's).
sessions_path = os.environ.get("SESSIONS_JSON")
before_md_path = os.environ.get("BEFORE_BENCHMARKS")
before_build_path = os.environ.get("BEFORE_BUILD")
before_label = os.environ.get("BEFORE_LABEL", "before")
# The crate against raw reqwest keeping cookies as the crate does (load pair-jar).
pairs_jar = defaultdict(list)
if os.environ.get("INTERLEAVED_JAR"):
    for r in (json.loads(line) for line in open(os.environ["INTERLEAVED_JAR"]) if line.strip()):
        pairs_jar[(r["op"], r["concurrency"], r["client"])].append(r)
runs = [json.loads(line) for line in open(results_path) if line.strip()]
pairs = defaultdict(list)
for r in (json.loads(line) for line in open(interleaved_path) if line.strip()):
    pairs[(r["op"], r["concurrency"], r["client"])].append(r)
build = json.load(open(build_path))
floor = defaultdict(list)
for r in (json.loads(line) for line in open(floor_path) if line.strip()):
    floor[(r["op"], r["concurrency"], r["client"])].append(r)

instructions = {(r["op"], r["client"]): r
                for r in (json.loads(l) for l in open(instructions_path) if l.strip())}

# When the last measurement was written (re-rendering the same results keeps the date).
measured_at = datetime.fromtimestamp(
    max(os.path.getmtime(p) for p in (results_path, interleaved_path, floor_path, build_path, instructions_path)),
    timezone.utc,
).strftime("%Y-%m-%d %H:%M UTC")

groups = defaultdict(list)
for r in runs:
    groups[(r["op"], r["concurrency"], r["client"])].append(r)


def med(values):
    return statistics.median(values) if values else None


def throughput_ratios(a_runs, b_runs):
    """Calls/s of a over b, one ratio per repetition of an interleaved pair."""
    return [x["rps"] / y["rps"] for x, y in zip(a_runs, b_runs)]


def summary(rs):
    rps = [r["rps"] for r in rs]
    allocs = [r["allocs_per_call"] for r in rs if r["allocs_per_call"] is not None]
    return {
        "rps": med(rps), "lo": min(rps), "hi": max(rps),
        "p50": med([r["p50_us"] for r in rs]), "p99": med([r["p99_us"] for r in rs]),
        "cpu": med([r["cpu_us_per_call"] for r in rs]), "allocs": med(allocs),
        "rss": max(r.get("peak_rss_kb", 0) for r in rs), "failures": sum(r["failures"] for r in rs), "n": len(rs),
    }


def cmd(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "?"


cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
lines = [
    "# Benchmarks",
    "",
    f"Written by `{command}`, measured until {measured_at}. Do not edit by hand: run it again.",
    "",
    f"- Machine: {os.cpu_count()} cores, {cpu_model}, {platform.system()} {platform.release()}",
    f"- Versions: {cmd(['rustc', '--version'])}; node {cmd(['node', '--version'])}; @medusajs/medusa-js 6.1.3; reqwest 0.13",
    "- Setup: a hyper stub server (benches/harness `stub`, release, keep-alive) answers the five routes with the recorded "
    "real bodies, statuses and content types; it runs pinned to core 1 and each client to core 0 (`taskset`). "
    "Each figure is the median of the repetitions (clients alternating), each a measured window after a 1 s warm-up; "
    "the range is min–max calls/s over the repetitions. The crate runs with its default configuration (2 retries, which the stub "
    "never triggers; a 60 s call timeout; its session cookie; an Idempotency-Key per POST) and default features (rustls, tracing with "
    "no subscriber). The baseline, raw reqwest (`RawClient` in benches/harness/src/bin/load.rs: one async fn per call that "
    "returns the same generated type; no timeout, no retries, no session), sends the same first request as the crate, its "
    "User-Agent and a v4 Idempotency-Key per POST included: `load wire` checks it before the runs (target/bench-wire.txt). "
    "Later requests differ only by what the crate keeps of the session, as a user's client would: the stub, like Medusa, sets "
    "a `connect.sid` on any request without one, which the crate sends back from then on (raw reqwest keeps no cookies, so "
    "it gets a Set-Cookie on every response), and after `get_token` the crate sends the token as `Authorization: Bearer`. "
    "CPU is user+system time of the client process per call (10 ms ticks), "
    "allocations are counted by a global allocator in the Rust client over the window.",
    "",
    "## Calls per second and latency",
    "",
    "| operation | concurrency | client | calls/s (median) | range | p50 µs | p99 µs | CPU µs/call | allocs/call | peak RSS MiB | vs raw reqwest |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
]
for op in ["get_session", "exists", "authenticate", "get_token"]:
    for c in sorted({k[1] for k in groups}):
        raw = groups.get((op, c, "raw"))
        raw_rps = summary(raw)["rps"] if raw else None
        for client in ["crate", "raw", "medusa-js"]:
            rs = groups.get((op, c, client))
            if not rs:
                continue
            s = summary(rs)
            ratio = f"{s['rps'] / raw_rps:.2f}×" if raw_rps else ""
            allocs = f"{s['allocs']:.1f}" if s["allocs"] is not None else "–"
            fail = f" ({s['failures']} failed)" if s["failures"] else ""
            lines.append(
                f"| {op} | {c} | {client} | {s['rps']:,.0f}{fail} | {s['lo']:,.0f}–{s['hi']:,.0f} | {s['p50']:.0f} | {s['p99']:.0f} | "
                f"{s['cpu']:.1f} | {allocs} | {s['rss'] / 1024:.1f} | {ratio} |"
            )

if instructions:
    lines += [
        "",
        "## Instructions, cache misses and branch mispredictions per call (cachegrind)",
        "",
        "Counted by valgrind's cachegrind, which is repeatable where CPU time on this shared machine is not "
        "(`benches/instructions.sh`: the `load` harness with LOAD_CALLS=100 and 600 calls on one task; the difference / 500 "
        "is one call's marginal cost, start-up excluded). The client process only, user space; misses and mispredictions "
        "are cachegrind's simulation of this machine's L1 caches and of a simple branch predictor.",
        "",
        "`bare progenitor` is progenitor's client for the same document with progenitor's defaults (no hooks, no "
        "inner type; `benches/harness/build.rs`): what the generated method costs before the crate adds anything. "
        "It runs the GETs only; its requests add progenitor's `api-version` header, which the crate removes "
        "(`load wire` checks both).",
        "",
        "`raw reqwest + jar` is raw reqwest keeping the cookies the server sets and sending them back, as the crate "
        "does, with the same `cookie_store` the crate and reqwest's own jar use (`RawClient` in load.rs): its later "
        "requests are the crate's, `Cookie` included. Plain `raw reqwest` keeps nothing, so it gets a `Set-Cookie` "
        "on every answer and sends none.",
        "",
        "| operation | crate | bare progenitor | raw reqwest | raw reqwest + jar | crate / raw | crate / raw + jar | bare progenitor / raw |",
        "|---|---|---|---|---|---|---|---|",
    ]
    def get(op, client):
        return instructions.get((op, client))

    for op in ["get_session", "exists", "authenticate", "get_token"]:
        a, b, g, j = get(op, "crate"), get(op, "raw"), get(op, "progenitor"), get(op, "raw-jar")
        if a and b:
            a, b = a["instructions_per_call"], b["instructions_per_call"]
            g = g["instructions_per_call"] if g else None
            j = j["instructions_per_call"] if j else None
            lines.append(
                f"| {op} | {a:,} | {f'{g:,}' if g else '–'} | {b:,} | {f'{j:,}' if j else '–'} | {a / b:.3f}× | "
                f"{f'{a / j:.3f}×' if j else '–'} | {f'{g / b:.3f}×' if g else '–'} |"
            )

    # A rough model of CPU cycles, to compare with the measured CPU ratios: instructions at
    # 3 per cycle, 12 cycles per L1 miss (an L2 hit), 15 per misprediction.
    def model(r):
        return (r["instructions_per_call"] / 3 + 12 * (r["l1i_misses_per_call"] + r["l1d_misses_per_call"])
                + 15 * r["mispredicts_per_call"])

    lines += [
        "",
        "Instructions are not the whole cost: the crate's extra instructions touch more code and memory and take "
        "more branches. A rough model of cycles "
        "(assumed: 3 instructions per cycle, 12 cycles per L1 miss, 15 per misprediction) gives ratios at or above the "
        "CPU-time ratios the interleaved runs below measure, where instruction counts alone give ratios at or below them.",
        "",
        "| operation | client | L1i misses | L1d misses | mispredictions | model cycles | vs raw |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in ["get_session", "exists", "authenticate", "get_token"]:
        raw = get(op, "raw")
        for client, label in [("crate", "crate"), ("progenitor", "bare progenitor"), ("raw", "raw reqwest"),
                              ("raw-jar", "raw reqwest + jar")]:
            r = get(op, client)
            if not r or not raw or "l1i_misses_per_call" not in r:
                continue
            lines.append(
                f"| {op} | {label} | {r['l1i_misses_per_call']:,} | {r['l1d_misses_per_call']:,} | "
                f"{r['mispredicts_per_call']:,} | {model(r):,.0f} | {model(r) / model(raw):.3f}× |"
            )

def pair_rows(source, baseline):
    """One row per operation and concurrency: the crate against `baseline`, interleaved."""
    rows = []
    for op in ["get_session", "exists", "authenticate", "get_token"]:
        for c in sorted({k[1] for k in source}):
            a_runs, b_runs = source.get((op, c, "crate")), source.get((op, c, baseline))
            if not a_runs or not b_runs:
                continue
            ratios = throughput_ratios(a_runs, b_runs)
            a, b = summary(a_runs), summary(b_runs)
            rows.append(
                f"| {op} | {c} | {a['rps']:,.0f} | {b['rps']:,.0f} | {med(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) | "
                f"{a['p50']:.0f} / {b['p50']:.0f} | {a['cpu']:.1f} / {b['cpu']:.1f} |"
            )
    return rows


if pairs:
    lines += [
        "",
        "## The crate against raw reqwest, interleaved in one process",
        "",
        "Separate processes run seconds apart on this shared machine, and their calls/s move by 10–20 % from one "
        "run to the next (the ranges above). Here `load pair` builds both clients in one process and gives each "
        "turns of 100 ms until each has run the window, so a noisy neighbour touches both alike; each turn starts "
        "the tasks, stops them at its end and waits for the calls in flight. CPU is the thread's own time "
        "(/proc/thread-self/schedstat, nanoseconds; the runtime is single-threaded). Medians of the repetitions; "
        "the ratio range is min–max over them. The client that goes first alternates from one round of turns to the next.",
        "",
        "| operation | concurrency | crate calls/s | raw calls/s | throughput crate/raw (range) | p50 µs crate / raw | CPU µs/call crate / raw |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += pair_rows(pairs, "raw")

if floor:
    lines += [
        "",
        "## The generated code by itself: the bare progenitor client against raw reqwest, interleaved",
        "",
        "The same `load pair` runs with the bare progenitor client in the crate's place. The crate is built on "
        "progenitor's generated methods (the product fixes it, and its generated code may not be edited), so what "
        "this client costs over raw reqwest comes before anything the crate adds, and is taken out of the goals' "
        "budget first.",
        "",
        "| operation | concurrency | throughput bare progenitor / raw (range) | p50 ratio | CPU/call ratio | the crate's throughput / raw (table above) |",
        "|---|---|---|---|---|---|",
    ]
    for op in ["get_session", "exists"]:
        for c in sorted({k[1] for k in floor}):
            a_runs, b_runs = floor.get((op, c, "progenitor")), floor.get((op, c, "raw"))
            if not a_runs or not b_runs:
                continue
            ratios = throughput_ratios(a_runs, b_runs)
            a, b = summary(a_runs), summary(b_runs)
            crate = ""
            if (op, c, "crate") in pairs and (op, c, "raw") in pairs:
                crate = f"{med(throughput_ratios(pairs[(op, c, 'crate')], pairs[(op, c, 'raw')])):.2f}×"
            lines.append(
                f"| {op} | {c} | {med(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) | "
                f"{a['p50'] / max(b['p50'], 1):.2f}× | {a['cpu'] / max(b['cpu'], 1e-9):.2f}× | {crate} |"
            )

if pairs_jar:
    lines += [
        "",
        "## The crate against raw reqwest keeping cookies (raw reqwest + jar), interleaved",
        "",
        "As above (`load pair-jar`), with the baseline keeping and sending back cookies as the crate does.",
        "",
        "| operation | concurrency | crate calls/s | raw + jar calls/s | throughput crate/raw + jar (range) | p50 µs crate / raw + jar | CPU µs/call crate / raw + jar |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += pair_rows(pairs_jar, "raw-jar")

lines += [
    "",
    "## Budget (issue #14): CPU per call ≤ 1.15× raw reqwest; calls/s ≥ 0.90× raw at 16 and 64, and ≥ 8× medusa-js at 64",
    "",
    "Against both baselines: plain raw reqwest (keeps nothing) and raw reqwest + jar (keeps cookies as the crate must). "
    "CPU per call from cachegrind's instructions and from the interleaved runs' measured CPU; calls/s from the "
    "interleaved runs and, against medusa-js, from the separate runs. `met` counts every condition against the "
    "baseline of its column group.",
    "",
    "| operation | concurrency | instructions vs raw / raw + jar | CPU/call vs raw / raw + jar | calls/s vs raw / raw + jar | calls/s vs medusa-js | met vs raw | met vs raw + jar |",
    "|---|---|---|---|---|---|---|---|",
]


def judge(ins, cpu, rps, js, c):
    if ins is None or cpu is None or rps is None:
        return "–"
    ok = ins <= 1.15 and cpu <= 1.15 and (c < 16 or rps >= 0.90) and (c < 64 or js is None or js >= 8)
    return "yes" if ok else "no"


for op in ["get_session", "exists", "authenticate", "get_token"]:
    crate_ins = instructions.get((op, "crate"))
    def ins_vs(client):
        other = instructions.get((op, client))
        return crate_ins["instructions_per_call"] / other["instructions_per_call"] if crate_ins and other else None
    for c in sorted({k[1] for k in pairs} | {k[1] for k in pairs_jar}):
        cols = {}
        for name, source, base in [("raw", pairs, "raw"), ("jar", pairs_jar, "raw-jar")]:
            if (op, c, "crate") in source and (op, c, base) in source:
                a, b = summary(source[(op, c, "crate")]), summary(source[(op, c, base)])
                cols[name] = (a["cpu"] / max(b["cpu"], 1e-9), med(throughput_ratios(source[(op, c, "crate")], source[(op, c, base)])))
            else:
                cols[name] = (None, None)
        js = None
        if (op, c, "crate") in groups and (op, c, "medusa-js") in groups:
            js = summary(groups[(op, c, "crate")])["rps"] / summary(groups[(op, c, "medusa-js")])["rps"]
        i_raw, i_jar = ins_vs("raw"), ins_vs("raw-jar")
        f = lambda x, d=2: f"{x:.{d}f}×" if x is not None else "–"
        lines.append(
            f"| {op} | {c} | {f(i_raw, 3)} / {f(i_jar, 3)} | {f(cols['raw'][0])} / {f(cols['jar'][0])} | "
            f"{f(cols['raw'][1])} / {f(cols['jar'][1])} | {f(js, 1) if js else '–'} | "
            f"{judge(i_raw, cols['raw'][0], cols['raw'][1], js, c)} | {judge(i_jar, cols['jar'][0], cols['jar'][1], js, c)} |"
        )

lines += [
    "",
    "## Build cost (clean debug builds on scratch copies, 2 cores)",
    "",
    "| what | value |",
    "|---|---|",
    f"| clean `cargo build` (default features: rustls, tracing) | {build['clean_build_s']:.1f} s, {build['crates_compiled']} crates compiled |",
    f"| clean build without default features (no TLS) | {build['clean_build_no_tls_s']:.1f} s, {build['crates_compiled_no_tls']} crates |",
    f"| the same crate with its generated code checked in (no build.rs, no progenitor) | {build['clean_build_checked_in_s']:.1f} s, {build['crates_compiled_checked_in']} crates |",
    f"| cost of generating at build time, clean | {build['clean_build_s'] - build['clean_build_checked_in_s']:+.1f} s, {build['crates_compiled'] - build['crates_compiled_checked_in']:+d} crates |",
    f"| build-script run (median of 5) | {build['build_script_run_s']:.3f} s |",
    f"| generated lines | {build['generated_lines']} |",
    f"| rebuild after editing a description in openapi/ | {build['rebuild_doc_edit_s']:.2f} s |",
    f"| rebuild after editing src/ | {build['rebuild_src_edit_s']:.2f} s (build script re-ran: {'yes' if build['build_script_reran_after_src_edit'] else 'no'}) |",
    "",
    "Commands: `benches/run.sh` runs all of the above; `benches/build-cost.sh` the build part alone.",
]

if sessions_path:
    ss = json.load(open(sessions_path))
    # The same benchmark run on the commit before (BEFORE_SESSIONS), for a before column.
    before_ss = json.load(open(os.environ["BEFORE_SESSIONS"])) if os.environ.get("BEFORE_SESSIONS") else None
    before_by = {v["visitor"]: v for v in before_ss["visitors"]} if before_ss else {}
    lines += [
        "",
        "## Per-visitor sessions (server-side rendering)",
        "",
        "`benches/harness/target/release/sessions` (run by benches/run.sh), on one shared client per Medusa line, as a "
        "request handler makes one visitor per incoming request: a fresh one, and one restored from what the "
        "storefront kept in the browser (`SavedSession::decode` of the encoded string, then `restore_session`), "
        "holding a recorded v1 `connect.sid`, a recorded v2 token, or both. Time: the mean over "
        f"{ss['made']:,} made and dropped. Memory: {ss['alive']:,} kept alive and idle; heap bytes and allocations "
        "are counted by a global allocator (the growth of resident memory is not: each case reuses what the one "
        "before freed). "
        f"TCP connections opened by making all of them: {ss['connections_opened']}."
        + (f" `before` is the same benchmark on `{before_label}`." if before_ss else ""),
        "",
        "| visitor | time to make | heap per idle visitor | allocations |",
        "|---|---|---|---|",
    ]
    for v in ss["visitors"]:
        old = before_by.get(v["visitor"])
        def cell(key, unit, fmt):
            now = f"{fmt.format(v[key])} {unit}".strip()
            return f"{fmt.format(old[key])} → {now}" if old else now
        lines.append(
            f"| {v['visitor']} | {cell('ns', 'ns', '{:.0f}')} | {cell('heap_bytes', 'bytes', '{:.0f}')} | "
            f"{cell('allocs', '', '{:.1f}')} |"
        )

if before_md_path:
    import re
    before_text = open(before_md_path).read()

    def rows(section):
        """The cells of each row of the table under the heading that starts with `section`."""
        if section not in before_text:
            return {}
        part = before_text.split(section, 1)[1].split("\n## ", 1)[0]
        out = {}
        for line in part.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) > 3 and cells[0] in ("get_session", "exists", "authenticate", "get_token"):
                out.setdefault(cells[0], []).append(cells)
        return out

    def num(text):
        return float(re.sub(r"[^0-9.]", "", text))

    def ratio_cell(text):
        """`0.88× (0.86–0.88)` -> `0.88×`."""
        return text.split("×")[0] + "×"

    def cpu_ratio(text):
        """`20.0 / 17.6` -> 1.136."""
        a, b = (num(x) for x in text.split("/"))
        return a / b

    ins_before = rows("## Instructions, cache misses")
    jar_before = rows("## The crate against raw reqwest keeping cookies")
    lines += [
        "",
        f"## Before and after ({before_label})",
        "",
        f"Before: `{before_label}`, measured by its own `benches/run.sh` on this machine right before this run "
        "(its BENCHMARKS.md). After: this run. Against raw reqwest keeping cookies (raw reqwest + jar): "
        "instructions from cachegrind, calls/s and CPU from the interleaved runs (medians of the repetitions).",
        "",
        "| operation | instructions/call before → after | vs raw + jar before → after | calls/s vs raw + jar at 16, before → after | at 64, before → after | CPU/call vs raw + jar at 16, before → after | at 64, before → after |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in ["get_session", "exists", "authenticate", "get_token"]:
        a, j = instructions.get((op, "crate")), instructions.get((op, "raw-jar"))
        if op not in ins_before or not a or not j:
            continue
        old = ins_before[op][0]

        def at(c):
            old_row = next((r for r in jar_before.get(op, []) if r[1] == str(c)), None)
            crate, raw = pairs_jar.get((op, c, "crate")), pairs_jar.get((op, c, "raw-jar"))
            new_rps = med(throughput_ratios(crate, raw)) if crate and raw else None
            new_cpu = med([x["cpu_us_per_call"] / y["cpu_us_per_call"] for x, y in zip(crate, raw)]) if crate and raw else None
            rps = f"{ratio_cell(old_row[4]) if old_row else '–'} → {f'{new_rps:.2f}×' if new_rps else '–'}"
            cpu = f"{f'{cpu_ratio(old_row[6]):.2f}×' if old_row else '–'} → {f'{new_cpu:.2f}×' if new_cpu else '–'}"
            return rps, cpu

        (rps16, cpu16), (rps64, cpu64) = at(16), at(64)
        lines.append(
            f"| {op} | {old[1]} → {a['instructions_per_call']:,} | {old[6]} → "
            f"{a['instructions_per_call'] / j['instructions_per_call']:.3f}× | {rps16} | {rps64} | {cpu16} | {cpu64} |"
        )
    if before_build_path:
        before_build = json.load(open(before_build_path))
        lines += [
            "",
            "| build | before | after |",
            "|---|---|---|",
            f"| clean `cargo build` | {before_build['clean_build_s']:.1f} s, {before_build['crates_compiled']} crates | {build['clean_build_s']:.1f} s, {build['crates_compiled']} crates |",
            f"| clean build without default features | {before_build['clean_build_no_tls_s']:.1f} s | {build['clean_build_no_tls_s']:.1f} s |",
            f"| build-script run | {before_build['build_script_run_s']:.3f} s | {build['build_script_run_s']:.3f} s |",
            f"| rebuild after a document edit | {before_build['rebuild_doc_edit_s']:.2f} s | {build['rebuild_doc_edit_s']:.2f} s |",
            f"| rebuild after a src/ edit | {before_build['rebuild_src_edit_s']:.2f} s | {build['rebuild_src_edit_s']:.2f} s |",
        ]
# benches/run-reqwest-jar.sh and benches/run-v2.sh write their own sections; a run of this
# script keeps them.
old = open(out_path).read() if os.path.exists(out_path) else ""
for section in sections.kept(old):
    lines += ["", section]
open(out_path, "w").write("\n".join(lines) + "\n")
