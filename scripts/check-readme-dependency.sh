#!/usr/bin/env bash
# Builds a new project whose Cargo.toml is the README's dependency snippet, word for word but
# for the path to this checkout, with a test that uses the stand-in (the dev-dependency).
#   scripts/check-readme-dependency.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
snippet=$(awk '/^## Add it to your project/ {on=1} on && /^```toml/ {grab=1; next} grab && /^```/ {exit} grab {print}' README.md)
[ -n "$snippet" ] || { echo "check-readme-dependency: no toml block under 'Add it to your project' in README.md" >&2; exit 1; }
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
mkdir -p "$project/src" "$project/tests"
{
    printf '[package]\nname = "readme-dependency-check"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
    printf '%s\n' "$snippet" | sed "s|\"\.\./medusa-store-auth\"|\"$repo\"|g"
} >"$project/Cargo.toml"
cat >"$project/src/main.rs" <<'RS'
fn main() {
    let client = medusa_store_auth::v1::AuthClient::with_base_url("http://localhost:9000");
    assert!(client.is_ok());
}
RS
cat >"$project/tests/standin.rs" <<'RS'
#[tokio::test]
async fn the_stand_in_answers() {
    let store = medusa_store_auth::mock::v2::MockStore::start().await;
    assert!(store.client().list_providers().await.is_ok());
}
RS
# The crate's own build directory, so nothing is compiled twice.
CARGO_TARGET_DIR=$repo/target/readme-dependency cargo test --quiet --manifest-path "$project/Cargo.toml"
echo "check-readme-dependency: the README's snippet builds and its stand-in answers"
