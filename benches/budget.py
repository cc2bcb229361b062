"""The budget's table: the crate's calls/s against raw reqwest with its cookie store (the anchor), by
operation and concurrency, from the `load` harness's runs of the two side by side (benches/run-reqwest-jar.sh,
benches/run-v2.sh). The verdict is on the median ratio, unrounded; how many runs reach the bar says how
firm it is, since the ratio of one run moves by a few points from the next."""

import statistics

# At least this share of the anchor's calls/s, at concurrency 16 and 64.
BAR = 0.90


def table(runs, ops):
    """Markdown rows for `ops`, from `runs` (each a result line of `load`: the crate's and the anchor's
    in the order they ran, so the n-th of each were measured together)."""
    rows = [
        "| operation | concurrency | crate calls/s | raw reqwest + cookie store calls/s | crate/anchor, median (range) "
        f"| runs at {BAR:.2f}× or more | CPU µs/call crate / anchor | allocs/call crate / anchor | at least {BAR:.2f}× |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    med = statistics.median
    for op in ops:
        for c in sorted({r["concurrency"] for r in runs}):
            crate = [r for r in runs if r["op"] == op and r["concurrency"] == c and r["client"] == "crate"]
            anchor = [r for r in runs if r["op"] == op and r["concurrency"] == c and r["client"] == "raw-reqwest-jar"]
            ratios = [a["rps"] / b["rps"] for a, b in zip(crate, anchor)]
            if not ratios:
                continue
            m = lambda side, k: med(r[k] for r in side)
            ratio = med(ratios)
            reached = sum(r >= BAR for r in ratios)
            verdict = "–" if c < 16 else ("yes" if ratio >= BAR else "no")
            rows.append(
                f"| {op} | {c} | {m(crate, 'rps'):,.0f} | {m(anchor, 'rps'):,.0f} | {ratio:.3f}× ({min(ratios):.3f}–{max(ratios):.3f}) "
                f"| {reached} of {len(ratios)} | {m(crate, 'cpu_us_per_call'):.1f} / {m(anchor, 'cpu_us_per_call'):.1f} "
                f"| {m(crate, 'allocs_per_call'):.0f} / {m(anchor, 'allocs_per_call'):.0f} | {verdict} |"
            )
    return rows
