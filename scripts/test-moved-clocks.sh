#!/usr/bin/env bash
# Runs every test binary of `cargo test` with the wall clock moved three years ahead and back
# to 2025-01-01, so a test that depends on today's date fails here first. Only the built
# binaries run under libfaketime (cargo and rustdoc hang under it); the monotonic clock is
# left alone, so timeouts and backoffs run in real time.
#   bash scripts/test-moved-clocks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq faketime >/dev/null
fi

mapfile -t binaries < <(
    cargo test --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message["profile"]["test"]:
        print(message["executable"])
'
)
[ "${#binaries[@]}" -gt 0 ] || { echo "no test binaries found" >&2; exit 1; }

export FAKETIME_DONT_FAKE_MONOTONIC=1
for clock in "+1100d" "@2025-01-01 00:00:00"; do
    echo "--- the clock at ${clock}: $(faketime -f "$clock" date -u '+%Y-%m-%d %H:%M UTC')"
    for binary in "${binaries[@]}"; do
        echo "$(basename "$binary")"
        faketime -f "$clock" "$binary" --quiet
    done
done
