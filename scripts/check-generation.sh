#!/usr/bin/env bash
# Shows on a scratch copy of the crate that the document drives the generated code:
#   1. adding a property and changing a description in openapi/ reaches the generated
#      types and the rustdoc on the next build, with no edit to src/;
#   2. documents the generator cannot take fail the build with build.rs's short message,
#      not a panic from inside progenitor.
# Usage: scripts/check-generation.sh   (reuses ./target for dependencies)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export CARGO_TARGET_DIR="$repo/target/check-generation"

cp -r "$repo/Cargo.toml" "$repo/build.rs" "$repo/build" "$repo/openapi" "$repo/src" "$repo/README.md" "$scratch/"
[ -f "$repo/Cargo.lock" ] && cp "$repo/Cargo.lock" "$scratch/"
cd "$scratch"
doc=openapi/store-auth.yaml
fail() { echo "check-generation: FAILED: $*" >&2; exit 1; }

echo "== baseline build"
cargo build --quiet 2>&1

echo "== 1. add Customer.loyalty_tier and reword StoreGetAuthEmailRes.exists"
python3 - "$doc" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
anchor = "    Customer:\n"
at = text.index(anchor)
props = text.index("      properties:\n", at) + len("      properties:\n")
text = text[:props] + "        loyalty_tier:\n          description: The loyalty tier, added by check-generation.\n          type: string\n" + text[props:]
text = text.replace("description: Whether email exists or not.", "description: True when a registered customer has this email (reworded by check-generation).")
open(path, "w").write(text)
PY
start=$(date +%s.%N)
cargo build --quiet 2>&1
end=$(date +%s.%N)
printf '   rebuild after the document edit: %.2f s\n' "$(echo "$end - $start" | bc)"
generated=$(ls -t "$CARGO_TARGET_DIR"/debug/build/medusa-store-auth-*/out/store_auth.rs | head -1)
grep -q "pub loyalty_tier: ::std::option::Option<::std::string::String>" "$generated" || fail "new property not generated"
grep -q "reworded by check-generation" "$generated" || fail "new description not generated"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet 2>&1
grep -rq "The loyalty tier, added by check-generation." "$CARGO_TARGET_DIR/doc/medusa_store_auth/v1/types/struct.Customer.html" \
    || fail "new property missing from rustdoc"
echo "   ok: the field and both descriptions are in the generated code and in rustdoc"

expect_failure() { # name, python edit, expected message
    local name=$1 edit=$2 expected=$3
    cp "$repo/$doc" "$doc"
    python3 -c "import sys; p='$doc'; t=open(p).read(); $edit; open(p,'w').write(t)"
    if out=$(cargo build --quiet 2>&1); then fail "$name: the build passed"; fi
    grep -qF "$expected" <<<"$out" || { echo "$out" >&2; fail "$name: message not found"; }
    if grep -q "panicked" <<<"$out"; then echo "$out" >&2; fail "$name: a panic"; fi
    echo "   ok: $name -> $(grep -F "$expected" <<<"$out" | head -1 | sed 's/^ *//')"
}

echo "== 2. documents the generator cannot take"
expect_failure "OpenAPI 3.1" "t=t.replace('openapi: 3.0.0', 'openapi: 3.1.0')" \
    "the document is OpenAPI 3.1.0; progenitor takes 3.0.x only"
expect_failure "no operationId" "t=t.replace('      operationId: PostToken\n', '')" \
    '`POST /store/auth/token` has no operationId'
expect_failure "mixed success bodies" "t=t.replace(\"      operationId: GetAuth\n\", \"      operationId: GetAuth\n\").replace(\"                \$ref: '#/components/schemas/StoreAuthRes'\n        '400':\", \"                \$ref: '#/components/schemas/StoreAuthRes'\n        '204':\n          description: No content\n        '400':\", 1)" \
    'its success responses have different bodies'
expect_failure "operation missing" "t=t.replace('operationId: GetAuthEmail', 'operationId: CheckEmail')" \
    'operation `GetAuthEmail` is missing'
expect_failure "renamed schema" "t=t.replace('    StoreGetAuthEmailRes:', '    EmailExistsRes:').replace('schemas/StoreGetAuthEmailRes', 'schemas/EmailExistsRes')" \
    'schema `StoreGetAuthEmailRes` is missing'
echo "check-generation: all checks passed"
