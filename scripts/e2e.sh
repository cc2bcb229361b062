#!/usr/bin/env bash
# Provisions a real Medusa (scripts/medusa-server.sh), runs the end-to-end suite and the
# quickstart against it, and stops the server, whatever happens.
#   scripts/e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port=${MEDUSA_PORT:-9000}
started=$SECONDS
trap 'scripts/medusa-server.sh stop' EXIT
if ! scripts/medusa-server.sh start; then
    echo "e2e: provisioning the Medusa server failed (see the lines above)" >&2
    exit 1
fi
provisioned=$((SECONDS - started))
url=http://127.0.0.1:$port
MEDUSA_E2E_URL=$url cargo test --test e2e -- --ignored
# The storefront example in headless Chromium (needs chromium and chromium-driver, which
# .ci/run installs).
MEDUSA_E2E_URL=$url cargo test --test storefront_browser -- --ignored real_v1
export MEDUSA_BACKEND_URL=$url MEDUSA_EMAIL=alice@example.com MEDUSA_PASSWORD='S3cret-pass!'
cargo run --quiet --example quickstart
cargo run --quiet --example cli -- exists alice@example.com
printf '%s\n' "$MEDUSA_PASSWORD" | cargo run --quiet --example cli -- session alice@example.com
echo "e2e: provisioning ${provisioned} s, whole run $((SECONDS - started)) s"
