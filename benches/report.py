"""Turns the benchmark results into BENCHMARKS.md (called by benches/run.sh)."""
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timezone

results_path, interleaved_path, floor_path, build_path, instructions_path, out_path, command = sys.argv[1:8]
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
        "| operation | crate | bare progenitor | raw reqwest | crate / raw | bare progenitor / raw | crate / bare progenitor |",
        "|---|---|---|---|---|---|---|",
    ]
    def get(op, client):
        return instructions.get((op, client))

    for op in ["get_session", "exists", "authenticate", "get_token"]:
        a, b, g = get(op, "crate"), get(op, "raw"), get(op, "progenitor")
        if a and b:
            a, b = a["instructions_per_call"], b["instructions_per_call"]
            g = g["instructions_per_call"] if g else None
            bare = (f"{g:,}", f"{g / b:.3f}×", f"{a / g:.3f}×") if g else ("–", "–", "–")
            lines.append(f"| {op} | {a:,} | {bare[0]} | {b:,} | {a / b:.3f}× | {bare[1]} | {bare[2]} |")

    # A rough model of CPU cycles, to compare with the measured CPU ratios: instructions at
    # 3 per cycle, 12 cycles per L1 miss (an L2 hit), 15 per misprediction.
    def model(r):
        return (r["instructions_per_call"] / 3 + 12 * (r["l1i_misses_per_call"] + r["l1d_misses_per_call"])
                + 15 * r["mispredicts_per_call"])

    lines += [
        "",
        "Instructions are not the whole cost: the crate's extra instructions touch more code and memory (copies of the "
        "1 KB response, a 2.3 KB future allocated per call) and take more branches. A rough model of cycles "
        "(assumed: 3 instructions per cycle, 12 cycles per L1 miss, 15 per misprediction) gives ratios at or above the "
        "CPU-time ratios the interleaved runs below measure, where instruction counts alone give ratios at or below them.",
        "",
        "| operation | client | L1i misses | L1d misses | mispredictions | model cycles | vs raw |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in ["get_session", "exists", "authenticate", "get_token"]:
        raw = get(op, "raw")
        for client, label in [("crate", "crate"), ("progenitor", "bare progenitor"), ("raw", "raw reqwest")]:
            r = get(op, client)
            if not r or not raw or "l1i_misses_per_call" not in r:
                continue
            lines.append(
                f"| {op} | {label} | {r['l1i_misses_per_call']:,} | {r['l1d_misses_per_call']:,} | "
                f"{r['mispredicts_per_call']:,} | {model(r):,.0f} | {model(r) / model(raw):.3f}× |"
            )

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
    for op in ["get_session", "exists", "authenticate", "get_token"]:
        for c in sorted({k[1] for k in pairs}):
            a_runs, b_runs = pairs.get((op, c, "crate")), pairs.get((op, c, "raw"))
            if not a_runs or not b_runs:
                continue
            ratios = throughput_ratios(a_runs, b_runs)
            a, b = summary(a_runs), summary(b_runs)
            lines.append(
                f"| {op} | {c} | {a['rps']:,.0f} | {b['rps']:,.0f} | {med(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) | "
                f"{a['p50']:.0f} / {b['p50']:.0f} | {a['cpu']:.1f} / {b['cpu']:.1f} |"
            )

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

goal_groups = pairs if pairs else groups
lines += ["", "## Goals (issue: throughput ≥ 0.95× raw reqwest, p50 within 5 %, CPU/call ≤ 1.1× raw)", ""]
if pairs:
    lines += ["From the interleaved runs (the separate runs above give the same picture with more noise).", ""]
lines += ["| operation | concurrency | throughput vs raw | p50 vs raw | CPU/call vs raw | met |", "|---|---|---|---|---|---|"]
for op in ["get_session", "exists", "authenticate", "get_token"]:
    for c in sorted({k[1] for k in goal_groups}):
        if (op, c, "crate") not in goal_groups or (op, c, "raw") not in goal_groups:
            continue
        a, b = summary(goal_groups[(op, c, "crate")]), summary(goal_groups[(op, c, "raw")])
        t, p, u = a["rps"] / b["rps"], a["p50"] / max(b["p50"], 1), a["cpu"] / max(b["cpu"], 1e-9)
        met = t >= 0.95 and p <= 1.05 and u <= 1.10
        lines.append(f"| {op} | {c} | {t:.2f}× | {p:.2f}× | {u:.2f}× | {'yes' if met else 'no'} |")

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
open(out_path, "w").write("\n".join(lines) + "\n")
