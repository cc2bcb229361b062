#!/usr/bin/env bash
# Fuzzes the response and error decoding for a bounded time (default 60 s) with cargo-fuzz,
# seeding the corpus with the recorded real responses.
#   scripts/fuzz.sh [seconds]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain it runs without a
# sanitizer (RUSTC_BOOTSTRAP lets cargo-fuzz pass its -Z flags); a crash input is written
# to fuzz/artifacts/; copy it to fuzz/regressions/ so tests/fuzz_regressions.rs replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
corpus=fuzz/corpus/decode_response
mkdir -p "$corpus"
# Seeds: [status - 100 as u16 LE][content-type index][body] from every recorded response.
python3 - "$corpus" <<'PY'
import glob, os, struct, sys
out = sys.argv[1]
types = [None, "application/json", "application/json; charset=utf-8", "text/plain; charset=utf-8", "text/html; charset=utf-8"]
for path in sorted(glob.glob("tests/fixtures/medusa-*/**/*.http", recursive=True)):
    text = open(path, encoding="utf-8").read()
    response = text.split("=== RESPONSE ===\n", 1)[1]
    head, rest = response.split("\n\n", 1)
    status = int(head.split()[1])
    ctype = next((l.split(": ", 1)[1] for l in head.splitlines() if l.lower().startswith("content-type: ")), None)
    index = types.index(ctype) if ctype in types else 0
    body = rest[: rest.rfind("# (response body: ")].removesuffix("\n").encode()
    name = os.path.basename(path).removesuffix(".http")
    open(os.path.join(out, name), "wb").write(struct.pack("<H", status - 100) + bytes([index]) + body)
PY
export RUSTC_BOOTSTRAP=1
cd fuzz
start=$(date +%s)
cargo fuzz run --sanitizer none decode_response "corpus/decode_response" -- \
    -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 2>&1 | tee ../target/fuzz-last-run.log | tail -25
echo "fuzz: $(( $(date +%s) - start )) s wall (including the build); stats in target/fuzz-last-run.log"
