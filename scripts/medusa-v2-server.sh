#!/usr/bin/env bash
# A real Medusa v2 (2.21.x) on loopback, for the v2 end-to-end tests.
#
#   scripts/medusa-v2-server.sh install   install @medusajs/medusa 2.21.x into the cache folder
#                                         (a no-op when already there)
#   scripts/medusa-v2-server.sh start     install, start a throwaway PostgreSQL cluster on
#                                         127.0.0.1, migrate, create publishable keys (one
#                                         revoked), start Medusa three times on 127.0.0.1:
#                                         development mode on MEDUSA_V2_PORT, production mode on
#                                         the next port, and development mode with multi-factor
#                                         auth and required email verification on the port
#                                         after (mfa-verification.md §1); prints the settings
#                                         the tests read
#   scripts/medusa-v2-server.sh stop      stop exactly what `start` started (by recorded ids)
#                                         and delete the cluster
#
# Settings (environment): MEDUSA_V2_VERSION (2.21.2), MEDUSA_V2_PORT (9400; production mode
# on 9401, MFA and verification on 9402), MEDUSA_V2_VERIFICATION_TTL (verification codes'
# lifetime in seconds on 9402, 3), MEDUSA_V2_PG_PORT (5800), MEDUSA_CACHE_DIR (~/.cache/medusa-store-auth),
# MEDUSA_V2_RUN_DIR (/tmp/medusa-store-auth-v2-$MEDUSA_V2_PORT).
# Any failure prints one clear line, exits non-zero and leaves nothing running.
# Steps, timings and pitfalls: shared/medusa-v2/live-server.md.
set -euo pipefail

VERSION=${MEDUSA_V2_VERSION:-2.21.2}
PORT=${MEDUSA_V2_PORT:-9400}
PROD_PORT=$((PORT + 1))
FEATURES_PORT=$((PORT + 2))
VERIFICATION_TTL=${MEDUSA_V2_VERIFICATION_TTL:-3}
PG_PORT=${MEDUSA_V2_PG_PORT:-5800}
CACHE_DIR=${MEDUSA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/medusa-store-auth}
APP_DIR=$CACHE_DIR/medusa-$VERSION
RUN_DIR=${MEDUSA_V2_RUN_DIR:-/tmp/medusa-store-auth-v2-$PORT}
PG_BIN=${MEDUSA_PG_BIN:-/usr/lib/postgresql/15/bin}

NAME=medusa-v2-server

# Whether $VERSION is $1 or later.
version_at_least() {
    [ "$(printf '%s\n%s\n' "$1" "$VERSION" | sort -V | head -1)" = "$1" ]
}
# shellcheck source=scripts/lib/medusa-common.sh
. "$(dirname "$0")/lib/medusa-common.sh"

install_locked() {
    if [ -f "$APP_DIR/.installed" ]; then
        say "medusa $VERSION already installed in $APP_DIR"
        return
    fi
    command -v npm >/dev/null || die "npm not found: install Node.js 20.19+ (Debian package nodejs) first"
    version_at_least 2.10.0 || die "MEDUSA_V2_VERSION $VERSION: the crate supports Medusa 2.10.0 and later"
    mkdir -p "$APP_DIR"
    # The packages live-server.md pins together; npm resolves the rest. An older release also
    # needs (shared/medusa-v2/versions.md): every @medusajs/* package pinned to it with
    # `overrides` (their ^ ranges would pull 2.21 packages into the tree), and the
    # @mikro-orm/* versions its framework asks for as direct dependencies.
    local extra="" overrides=""
    case $VERSION in
        2.21.*) ;;
        *)
            local peers
            peers=$(npm view "@medusajs/framework@$VERSION" peerDependencies --json) \
                || die "npm view @medusajs/framework@$VERSION failed: no such release?"
            extra=$(node -e 'const p = JSON.parse(process.argv[1]); for (const [n, v] of Object.entries(p)) if (n.startsWith("@mikro-orm/")) console.log(`    "${n}": "${v}",`)' "$peers")
            local packages
            packages=$(npm view "@medusajs/medusa@$VERSION" dependencies --json | node -e 'let t = ""; process.stdin.on("data", d => t += d).on("end", () => { for (const n of Object.keys(JSON.parse(t))) if (n.startsWith("@medusajs/")) console.log(n) })')
            overrides=$(printf '%s\n' $packages @medusajs/framework @medusajs/cli @medusajs/utils @medusajs/types | sort -u \
                | sed "s|.*|    \"&\": \"$VERSION\",|" | sed '$ s/,$//')
            overrides=$(printf ',\n  "overrides": {\n%s\n  }' "$overrides")
            ;;
    esac
    cat >"$APP_DIR/package.json" <<EOF
{
  "name": "medusa-store-auth-e2e-server-v2",
  "private": true,
  "dependencies": {
$extra
    "@medusajs/cli": "$VERSION",
    "@medusajs/framework": "$VERSION",
    "@medusajs/medusa": "$VERSION",
    "pg": "^8.13.0"
  }$overrides
}
EOF
    say "installing @medusajs/medusa $VERSION into $APP_DIR (about 70 s)"
    npm_install "$APP_DIR"
}

stop() {
    local stopped=0
    stop_pid_file "$RUN_DIR/medusa.pid" && stopped=1
    stop_pid_file "$RUN_DIR/medusa-production.pid" && stopped=1
    stop_pid_file "$RUN_DIR/medusa-features.pid" && stopped=1
    stop_postgres && stopped=1
    [ "$stopped" = 1 ] && say "stopped Medusa $VERSION and PostgreSQL (ports $PORT, $PROD_PORT, $FEATURES_PORT, $PG_PORT)"
    return 0
}

# Starts `medusa start` from project folder $4 (default app) in NODE_ENV=$1 on port $2,
# recording its id in $3; it logs to medusa-$1.log, or medusa-$4.log for another folder.
launch() {
    local mode=$1 port=$2 pid_file=$3 project=${4:-app}
    local log=$RUN_DIR/medusa-$mode.log
    [ "$project" = app ] || log=$RUN_DIR/medusa-$project.log
    (
        cd "$RUN_DIR/$project"
        NODE_ENV=$mode setsid node node_modules/@medusajs/cli/cli.js start -H 127.0.0.1 -p "$port" \
            </dev/null >"$log" 2>&1 &
        echo $! >"$pid_file"
    )
}

wait_healthy() {
    local port=$1 pid_file=$2 log=$3 pid
    pid=$(cat "$pid_file")
    for _ in $(seq 360); do
        curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; die "Medusa exited during start (log: $log)"; }
        sleep 0.5
    done
    die "Medusa on port $port did not answer /health within 180 s (log: $log)"
}

start() {
    [ -f "$RUN_DIR/medusa.pid" ] && die "$RUN_DIR/medusa.pid exists: a server from this script may still run; run '$0 stop' first"
    for port in "$PORT" "$PROD_PORT" "$FEATURES_PORT" "$PG_PORT"; do
        port_taken "$port" && die "port $port on 127.0.0.1 is already taken; set MEDUSA_V2_PORT / MEDUSA_V2_PG_PORT to free ports"
    done
    install
    ensure_postgres
    command -v curl >/dev/null || die "curl not found"
    mkdir -p "$RUN_DIR"
    trap 'say "start failed: stopping what was started"; stop; exit 1' ERR INT TERM

    local started=$SECONDS
    start_postgres

    # This run's own project folder beside the cached, read-only install.
    local project=$RUN_DIR/app
    rm -rf "$project"
    mkdir -p "$project/src/subscribers"
    ln -sfn "$APP_DIR/node_modules" "$project/node_modules"
    cp "$APP_DIR/package.json" "$project/package.json"
    cat >"$project/medusa-config.js" <<'EOF'
const { defineConfig } = require("@medusajs/framework/utils")
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:7001",
      authCors: "http://localhost:8000,http://localhost:7001",
      jwtSecret: "e2e-jwt-secret",
      cookieSecret: "e2e-cookie-secret",
    },
  },
  admin: { disable: true },
})
EOF
    # The reset token reaches only the `auth.password_reset` event: this subscriber hands it to
    # the tests through a file, as an email would to a customer.
    cat >"$project/src/subscribers/capture-reset.js" <<'EOF'
const fs = require("fs")
module.exports.default = async function captureReset({ event }) {
  const dir = process.env.MEDUSA_E2E_RESET_DIR
  const name = Buffer.from(String(event.data.entity_id)).toString("hex")
  fs.writeFileSync(`${dir}/${name}.json.tmp`, JSON.stringify(event.data))
  fs.renameSync(`${dir}/${name}.json.tmp`, `${dir}/${name}.json`)
}
module.exports.config = { event: "auth.password_reset" }
EOF
    cat >"$project/seed-keys.js" <<'EOF'
const fs = require("fs")
const {
  createApiKeysWorkflow,
  createSalesChannelsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  revokeApiKeysWorkflow,
} = require("@medusajs/core-flows")

module.exports.default = async function seedKeys({ container }) {
  const { result: channels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Loopback Channel" }] },
  })
  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: {
      api_keys: [
        { title: "Loopback Storefront", type: "publishable", created_by: "e2e" },
        { title: "Loopback Revoked", type: "publishable", created_by: "e2e" },
      ],
    },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({
    input: { id: keys[0].id, add: [channels[0].id] },
  })
  await revokeApiKeysWorkflow(container).run({
    input: { selector: { id: keys[1].id }, revoke: { revoked_by: "e2e" } },
  })
  fs.writeFileSync(process.env.MEDUSA_E2E_KEYS_FILE, JSON.stringify({ publishable: keys[0].token, revoked: keys[1].token }))
}
EOF
    # The verification code reaches only the `auth.verification_requested` event: handed over
    # the same way (an event without a code, for an entity verified already, is not written).
    cat >"$project/src/subscribers/capture-verification.js" <<'EOF'
const fs = require("fs")
module.exports.default = async function captureVerification({ event }) {
  const dir = process.env.MEDUSA_E2E_VERIFICATION_DIR
  if (!dir || !event.data.code) return
  const name = Buffer.from(String(event.data.entity_id)).toString("hex")
  fs.writeFileSync(`${dir}/${name}.json.tmp`, JSON.stringify(event.data))
  fs.renameSync(`${dir}/${name}.json.tmp`, `${dir}/${name}.json`)
}
module.exports.config = { event: "auth.verification_requested" }
EOF
    # The same project with multi-factor auth (an encryption key) and required email
    # verification (mfa-verification.md §1.1, §1.2), with short-lived verification codes;
    # only for a release that has both (2.16.0+).
    local features=$RUN_DIR/app-features
    rm -rf "$features"
    if version_at_least 2.16.0; then
        mkdir -p "$features/src"
        cp -r "$project/src/subscribers" "$features/src/subscribers"
        ln -sfn "$APP_DIR/node_modules" "$features/node_modules"
        cp "$APP_DIR/package.json" "$features/package.json"
        sed -e 's|^      cookieSecret: .*|&\n      authVerificationsPerActor: { customer: [{ entity_type: "email", auth_provider: "emailpass" }] },|' \
            -e "s|^  admin: { disable: true },|&\n  modules: [{\n    resolve: \"@medusajs/medusa/auth\",\n    options: {\n      providers: [{ resolve: \"@medusajs/medusa/auth-emailpass\", id: \"emailpass\" }],\n      mfa: { encryption_key: \"loopback-e2e-mfa-encryption-key\" },\n      verification: { providers: [{ id: \"token\", options: { ttl_seconds: $VERIFICATION_TTL } }] },\n    },\n  }],|" \
            "$project/medusa-config.js" >"$features/medusa-config.js"
        grep -q authVerificationsPerActor "$features/medusa-config.js" && grep -q encryption_key "$features/medusa-config.js" \
            || die "could not write the MFA and verification config ($features/medusa-config.js)"
    fi
    mkdir -p "$RUN_DIR/resets" "$RUN_DIR/verifications"
    rm -f "$RUN_DIR"/resets/*.json "$RUN_DIR"/verifications/*.json
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/medusa"
    export MEDUSA_DISABLE_TELEMETRY=true MEDUSA_E2E_RESET_DIR=$RUN_DIR/resets MEDUSA_E2E_KEYS_FILE=$RUN_DIR/keys.json
    export MEDUSA_E2E_VERIFICATION_DIR=$RUN_DIR/verifications
    say "running migrations"
    (cd "$project" && NODE_ENV=development node node_modules/@medusajs/cli/cli.js db:migrate >"$RUN_DIR/migrations.log" 2>&1) \
        || { tail -20 "$RUN_DIR/migrations.log" >&2; die "migrations failed (log: $RUN_DIR/migrations.log)"; }
    say "creating publishable keys"
    (cd "$project" && NODE_ENV=development node node_modules/@medusajs/cli/cli.js exec ./seed-keys.js >"$RUN_DIR/seed.log" 2>&1) \
        || { tail -20 "$RUN_DIR/seed.log" >&2; die "creating the publishable keys failed (log: $RUN_DIR/seed.log)"; }
    [ -s "$RUN_DIR/keys.json" ] || die "the key seed wrote no $RUN_DIR/keys.json (log: $RUN_DIR/seed.log)"

    local also=""
    [ -d "$features" ] && also=", :$FEATURES_PORT (MFA and verification)"
    say "starting Medusa $VERSION on 127.0.0.1:$PORT (development), :$PROD_PORT (production)$also"
    launch development "$PORT" "$RUN_DIR/medusa.pid"
    launch production "$PROD_PORT" "$RUN_DIR/medusa-production.pid"
    [ -d "$features" ] && launch development "$FEATURES_PORT" "$RUN_DIR/medusa-features.pid" app-features
    wait_healthy "$PORT" "$RUN_DIR/medusa.pid" "$RUN_DIR/medusa-development.log"
    wait_healthy "$PROD_PORT" "$RUN_DIR/medusa-production.pid" "$RUN_DIR/medusa-production.log"
    [ -d "$features" ] && wait_healthy "$FEATURES_PORT" "$RUN_DIR/medusa-features.pid" "$RUN_DIR/medusa-app-features.log"
    trap - ERR INT TERM
    local keys
    keys=$(cat "$RUN_DIR/keys.json")
    say "ready in $((SECONDS - started)) s"
    echo "MEDUSA_V2_E2E_URL=http://127.0.0.1:$PORT"
    echo "MEDUSA_V2_E2E_PRODUCTION_URL=http://127.0.0.1:$PROD_PORT"
    echo "MEDUSA_V2_E2E_KEYS=$keys"
    echo "MEDUSA_V2_E2E_RESET_DIR=$RUN_DIR/resets"
    echo "MEDUSA_V2_E2E_VERSION=$VERSION"
    [ -d "$features" ] && echo "MEDUSA_V2_E2E_FEATURES_URL=http://127.0.0.1:$FEATURES_PORT"
    echo "MEDUSA_V2_E2E_VERIFICATION_DIR=$RUN_DIR/verifications"
    echo "MEDUSA_V2_E2E_VERIFICATION_TTL=$VERIFICATION_TTL"
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
