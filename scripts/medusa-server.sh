#!/usr/bin/env bash
# A real Medusa v1 store server on loopback, for the end-to-end tests.
#
#   scripts/medusa-server.sh install   install @medusajs/medusa and its pinned companions into
#                                      the cache folder (a no-op when already there)
#   scripts/medusa-server.sh start     install, start a throwaway PostgreSQL cluster on
#                                      127.0.0.1, migrate, start Medusa on 127.0.0.1, wait for
#                                      /health, seed the quickstart customer; prints the URL
#   scripts/medusa-server.sh stop      stop exactly the processes `start` started (by their
#                                      recorded ids) and delete the cluster
#
# Settings (environment): MEDUSA_VERSION (1.20.11; 1.17.4 is the other one tested), MEDUSA_PORT (9000), MEDUSA_PG_PORT (5433), MEDUSA_CACHE_DIR
# (~/.cache/medusa-store-auth), MEDUSA_RUN_DIR (/tmp/medusa-store-auth-$MEDUSA_PORT).
# Any failure prints one clear line, exits non-zero and leaves nothing running.
# Steps, versions and pitfalls: shared/medusa/live-server.md.
set -euo pipefail

# The newest and the oldest line the crate claims; CI runs the e2e suite against both.
MEDUSA_VERSION=${MEDUSA_VERSION:-1.20.11}
PORT=${MEDUSA_PORT:-9000}
PG_PORT=${MEDUSA_PG_PORT:-5433}
CACHE_DIR=${MEDUSA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/medusa-store-auth}
APP_DIR=$CACHE_DIR/medusa-$MEDUSA_VERSION
RUN_DIR=${MEDUSA_RUN_DIR:-/tmp/medusa-store-auth-$PORT}
PG_BIN=${MEDUSA_PG_BIN:-/usr/lib/postgresql/15/bin}
SEED_EMAIL=alice@example.com
SEED_PASSWORD='S3cret-pass!'

NAME=medusa-server
# shellcheck source=scripts/lib/medusa-common.sh
. "$(dirname "$0")/lib/medusa-common.sh"

install_locked() {
    if [ -f "$APP_DIR/.installed" ]; then
        say "medusa $MEDUSA_VERSION already installed in $APP_DIR"
        return
    fi
    command -v npm >/dev/null || die "npm not found: install Node.js 20 (Debian package nodejs) first"
    mkdir -p "$APP_DIR"
    # Direct dependencies pinned to what the v1 starter used with each line (live-server.md);
    # npm resolves the rest. 1.17.0 to 1.20.5 depend on medusa-test-utils, whose releases from
    # 1.1.42 pull Medusa 2.x in as a peer: 1.1.41 keeps them on 1.x.
    local companions
    case $MEDUSA_VERSION in
        1.20.*) companions='"@medusajs/medusa-cli": "1.3.23", "@medusajs/event-bus-local": "1.9.9", "@medusajs/cache-inmemory": "1.8.11", "medusa-interfaces": "1.3.10"' ;;
        1.17.*) companions='"@medusajs/event-bus-local": "1.9.7", "@medusajs/cache-inmemory": "1.8.8", "medusa-interfaces": "1.3.8", "medusa-test-utils": "1.1.41"' ;;
        *) die "MEDUSA_VERSION $MEDUSA_VERSION: only 1.17.x and 1.20.x are set up here" ;;
    esac
    cat >"$APP_DIR/package.json" <<EOF
{
  "name": "medusa-store-auth-e2e-server",
  "private": true,
  "dependencies": {
    "@medusajs/medusa": "$MEDUSA_VERSION",
    $companions,
    "typeorm": "0.3.16"
  }
}
EOF
    say "installing @medusajs/medusa $MEDUSA_VERSION into $APP_DIR (about 35 s)"
    npm_install "$APP_DIR"
}

stop() {
    local stopped=0
    stop_pid_file "$RUN_DIR/medusa.pid" && stopped=1
    stop_postgres && stopped=1
    [ "$stopped" = 1 ] && say "stopped Medusa and PostgreSQL (ports $PORT, $PG_PORT)"
    return 0
}

start() {
    [ -f "$RUN_DIR/medusa.pid" ] && die "$RUN_DIR/medusa.pid exists: a server from this script may still run; run '$0 stop' first"
    port_taken "$PORT" && die "port $PORT on 127.0.0.1 is already taken; set MEDUSA_PORT to a free port"
    port_taken "$PG_PORT" && die "port $PG_PORT on 127.0.0.1 is already taken; set MEDUSA_PG_PORT to a free port"
    install
    ensure_postgres
    command -v curl >/dev/null || die "curl not found"
    mkdir -p "$RUN_DIR"
    trap 'say "start failed: stopping what was started"; stop; exit 1' ERR INT TERM

    local started=$SECONDS
    start_postgres

    # This run's own project folder: its configuration beside the cached, read-only install,
    # so concurrent runs never rewrite each other's files.
    local project=$RUN_DIR/app
    mkdir -p "$project"
    ln -sfn "$APP_DIR/node_modules" "$project/node_modules"
    cp "$APP_DIR/package.json" "$project/package.json"
    cat >"$project/medusa-config.js" <<'EOF'
module.exports = {
  projectConfig: {
    database_url: process.env.DATABASE_URL,
    database_type: "postgres",
    store_cors: "http://localhost:8000,http://127.0.0.1:8000",
    admin_cors: "http://localhost:7000,http://127.0.0.1:7000",
    jwt_secret: "supersecret",
    cookie_secret: "supersecret",
  },
  plugins: [],
  modules: {},
}
EOF
    # `medusa start` ignores -H and listens on every interface; this preload makes a listen()
    # without a host bind 127.0.0.1 instead.
    cat >"$project/loopback-guard.js" <<'EOF'
const net = require("net")
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (first && typeof first === "object" && !Array.isArray(first)) {
    if (first.port !== undefined && !first.host && !first.path) args[0] = { ...first, host: "127.0.0.1" }
  } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1")
  }
  return listen.apply(this, args)
}
EOF
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/medusa"
    export NODE_ENV=development MEDUSA_DISABLE_TELEMETRY=true
    export NODE_OPTIONS="--require $project/loopback-guard.js"
    say "running migrations"
    (cd "$project" && node node_modules/@medusajs/medusa/cli.js migrations run >"$RUN_DIR/migrations.log" 2>&1) \
        || { tail -20 "$RUN_DIR/migrations.log" >&2; die "migrations failed (log: $RUN_DIR/migrations.log)"; }

    say "starting Medusa on 127.0.0.1:$PORT"
    # Started from this shell (not a subshell, which would wait for it), detached from its
    # output, in its own session so `stop` can end its whole process group.
    cd "$project"
    setsid node node_modules/@medusajs/medusa/cli.js start -p "$PORT" </dev/null >"$RUN_DIR/medusa.log" 2>&1 &
    echo $! >"$RUN_DIR/medusa.pid"
    cd - >/dev/null
    local pid
    pid=$(cat "$RUN_DIR/medusa.pid")
    for _ in $(seq 240); do
        curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { tail -20 "$RUN_DIR/medusa.log" >&2; die "Medusa exited during start (log: $RUN_DIR/medusa.log)"; }
        sleep 0.5
    done
    curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null || die "Medusa did not answer /health within 120 s"

    # The customer the quickstart and the recorded fixtures log in as.
    curl -fsS -o /dev/null -H 'content-type: application/json' "http://127.0.0.1:$PORT/store/customers" \
        --data-binary "{\"email\":\"$SEED_EMAIL\",\"password\":\"$SEED_PASSWORD\",\"first_name\":\"Alice\",\"last_name\":\"Liddell\"}" \
        || die "seeding $SEED_EMAIL failed"
    trap - ERR INT TERM
    say "ready in $((SECONDS - started)) s: Medusa $MEDUSA_VERSION at http://127.0.0.1:$PORT (customer $SEED_EMAIL)"
    echo "MEDUSA_BACKEND_URL=http://127.0.0.1:$PORT"
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
