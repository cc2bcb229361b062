#!/usr/bin/env bash
# Refreshes the mock fixtures from a real Medusa: replays the exchanges the tests answer with
# and rewrites tests/fixtures/medusa-<version>/<name>.http in the recorded format (the curl
# command, the request as sent, the full response).
#
#   scripts/record-fixtures.sh [base URL]     (default http://127.0.0.1:9000)
#
# Run it against the server of `scripts/medusa-server.sh start` (a fresh one: the seeded
# customer alice@example.com / S3cret-pass! must exist), with the same MEDUSA_VERSION. The
# tests answer from 1.20.11's folder (SERVER_VERSION in tests/support/fixtures.rs).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-http://127.0.0.1:9000}
cache=${MEDUSA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/medusa-store-auth}
# The server's version: MEDUSA_VERSION, as for scripts/medusa-server.sh (several may be installed).
package=$cache/medusa-${MEDUSA_VERSION:-1.20.11}/node_modules/@medusajs/medusa/package.json
[ -f "$package" ] || { echo "record-fixtures: no Medusa ${MEDUSA_VERSION:-1.20.11} under $cache (run scripts/medusa-server.sh start)" >&2; exit 1; }
version=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' "$package" | head -1)
app_dir=$(dirname "$(dirname "$(dirname "$(dirname "$package")")")")
out=$repo/tests/fixtures/medusa-$version
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work
curl -fsS "$base/health" >/dev/null || { echo "record-fixtures: no server answers at $base" >&2; exit 1; }

# record NAME TITLE CURL-ARGS...: runs curl -v and writes NAME.http.
record() {
    local name=$1 title=$2
    shift 2
    local code=0
    curl -sS -v "$@" >"$work/body" 2>"$work/trace" || code=$?
    {
        echo "# $title"
        printf '# command: curl -sS -v'
        printf ' %q' "$@" | sed "s|$work|\$TMPDIR|g"
        echo
        echo "# curl exit code: $code; captured $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo
        echo "=== REQUEST ==="
        sed -n 's/^> //p' "$work/trace" | tr -d '\r'
        if [ -n "${REQUEST_BODY:-}" ]; then
            printf '%s\n' "$REQUEST_BODY"
            echo "# (request body: ${#REQUEST_BODY} bytes)"
        fi
        echo
        echo "=== RESPONSE ==="
        sed -n 's/^< //p' "$work/trace" | tr -d '\r'
        # The install path is the recorder's own; keep it out of the fixtures.
        sed "s|$app_dir|\$MEDUSA_DIR|g" "$work/body"
        echo
        echo "# (response body: $(wc -c <"$work/body") bytes)"
    } >"$out/$name.http"
    echo "  $name.http"
}

json=(-H 'Content-Type: application/json')
good='{"email":"alice@example.com","password":"S3cret-pass!"}'
echo "recording from Medusa $version at $base into ${out#"$repo"/}"
# The special-character customer of 35 (already there on a re-run: 422, ignored).
curl -sS -o /dev/null "${json[@]}" "$base/store/customers" \
    --data-binary '{"email":"o'\''hara#1/x%y@example.com","password":"S3cret-pass!","first_name":"Special","last_name":"Chars"}'

REQUEST_BODY=$good record 10-auth-login-ok "POST /store/auth (correct password)" \
    -c "$work/session" "${json[@]}" "$base/store/auth" --data-binary "$good"
body='{"email":"alice@example.com","password":"wrong-password"}'
REQUEST_BODY=$body record 11-auth-login-wrong-password "POST /store/auth (wrong password)" "${json[@]}" "$base/store/auth" --data-binary "$body"
body='{"email":"nobody@example.com","password":"S3cret-pass!"}'
REQUEST_BODY=$body record 12-auth-login-unknown-email "POST /store/auth (unknown email)" "${json[@]}" "$base/store/auth" --data-binary "$body"
body='{"email":"alice@example.com"}'
REQUEST_BODY=$body record 13-auth-login-missing-password "POST /store/auth (missing password)" "${json[@]}" "$base/store/auth" --data-binary "$body"
body='{"email":"alice@example.com","password":'
REQUEST_BODY=$body record 14-auth-login-malformed-json "POST /store/auth (malformed JSON body)" "${json[@]}" "$base/store/auth" --data-binary "$body"
record 20-session-get-with-cookie "GET /store/auth with the session cookie" -b "$work/session" "$base/store/auth"
record 21-session-get-no-cookie "GET /store/auth without any cookie" "$base/store/auth"
record 30-exists-existing "GET /store/auth/{email} (registered)" "$base/store/auth/alice@example.com"
record 31-exists-unknown "GET /store/auth/{email} (unknown)" "$base/store/auth/nobody@example.com"
record 35-exists-special-encoded "GET /store/auth/{email} (special characters, fully encoded)" "$base/store/auth/o%27hara%231%2Fx%25y%40example.com"
record 38-exists-bad-percent "GET /store/auth/{email} (malformed percent-escape)" "$base/store/auth/bad%zz@example.com"
REQUEST_BODY=$good record 40-token-ok "POST /store/auth/token (good credentials)" "${json[@]}" "$base/store/auth/token" --data-binary "$good"
token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$out/40-token-ok.http" | head -1)
[ -n "$token" ] || { echo "record-fixtures: no token in 40-token-ok" >&2; exit 1; }
body='{"email":"alice@example.com","password":"wrong-password"}'
REQUEST_BODY=$body record 41-token-bad "POST /store/auth/token (wrong password)" "${json[@]}" "$base/store/auth/token" --data-binary "$body"
record 43-session-get-bearer "GET /store/auth with Authorization: Bearer <token from 40>, no cookie" -H "Authorization: Bearer $token" "$base/store/auth"
record 50-delete-session "DELETE /store/auth with the session cookie" -X DELETE -b "$work/session" -c "$work/session" "$base/store/auth"
record 75-unknown-store-route "GET /store/does-not-exist" "$base/store/does-not-exist"
echo "done: run cargo test to check the mocks against the new recordings"
