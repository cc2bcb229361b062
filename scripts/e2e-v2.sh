#!/usr/bin/env bash
# Provisions a real Medusa v2 (scripts/medusa-v2-server.sh: development and production mode),
# runs the v2 end-to-end suite and the v2 example against it, and stops everything it
# started, whatever happens.
#   scripts/e2e-v2.sh
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
trap 'scripts/medusa-v2-server.sh stop' EXIT
if ! settings=$(scripts/medusa-v2-server.sh start); then
    echo "e2e-v2: provisioning the Medusa v2 server failed (see the lines above)" >&2
    exit 1
fi
provisioned=$((SECONDS - started))
while IFS= read -r line; do
    export "${line?}"
done <<<"$settings"
cargo test --test e2e_v2 -- --ignored
# The storefront example in headless Chromium (needs chromium and chromium-driver, which
# .ci/run installs); MFA and verification where the release has them.
cargo test --test storefront_browser -- --ignored real_v2_two_people
if [ -n "${MEDUSA_V2_E2E_FEATURES_URL:-}" ]; then
    cargo test --test storefront_browser -- --ignored real_v2_verification
fi
key=$(sed -n 's/.*"publishable":"\([^"]*\)".*/\1/p' <<<"$MEDUSA_V2_E2E_KEYS")
MEDUSA_BACKEND_URL=$MEDUSA_V2_E2E_URL MEDUSA_PUBLISHABLE_KEY=$key cargo run --quiet --example v2_quickstart
echo "e2e-v2: provisioning ${provisioned} s, whole run $((SECONDS - started)) s"
