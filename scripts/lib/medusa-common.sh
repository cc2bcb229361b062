# What scripts/medusa-server.sh (v1) and scripts/medusa-v2-server.sh (v2) share: messages,
# the install lock, a throwaway PostgreSQL 15 cluster on loopback, and stopping by recorded
# process id. Sourced, not run. The sourcing script sets NAME, CACHE_DIR, RUN_DIR, PG_BIN,
# PG_PORT and defines install_locked.

say() { printf '%s: %s\n' "$NAME" "$*" >&2; }
die() { say "error: $*"; exit 1; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Concurrent runs share the cache: one installs while the others wait for it. The lock is
# held by a subshell, so nothing started later inherits it.
install() {
    mkdir -p "$CACHE_DIR"
    (
        flock 9
        install_locked
    ) 9>"$CACHE_DIR/.install.lock" || exit 1
}

# npm install in $1, logging there; on failure the partial node_modules is removed.
npm_install() {
    local dir=$1
    # Install scripts are not needed (telemetry, banners, prebuilds); --ignore-scripts makes
    # every npm version skip them.
    if ! (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error --fetch-retries=2 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 >"$dir/npm-install.log" 2>&1); then
        tail -20 "$dir/npm-install.log" >&2
        rm -rf "$dir/node_modules"
        die "npm install failed (log: $dir/npm-install.log)"
    fi
    touch "$dir/.installed"
}

ensure_postgres() {
    [ -x "$PG_BIN/initdb" ] && return
    say "PostgreSQL 15 server binaries missing in $PG_BIN: installing Debian's postgresql-15"
    command -v apt-get >/dev/null || die "no $PG_BIN/initdb and no apt-get to install postgresql-15"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null) \
        || die "apt-get install postgresql-15 failed"
    [ -x "$PG_BIN/initdb" ] || die "postgresql-15 installed but $PG_BIN/initdb is missing"
}

# PostgreSQL refuses to run as root: run its tools as the `postgres` user then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A fresh cluster on 127.0.0.1:$PG_PORT with an empty database `medusa`; its folder is
# recorded in $RUN_DIR/pgdata.path for stop_postgres.
start_postgres() {
    local pgdata
    pgdata=$(mktemp -d /tmp/medusa-store-auth-pg.XXXXXX)
    echo "$pgdata" >"$RUN_DIR/pgdata.path"
    [ "$(id -u)" = 0 ] && chown postgres: "$pgdata"
    as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >"$RUN_DIR/initdb.log" 2>&1 \
        || { cat "$RUN_DIR/initdb.log" >&2; die "initdb failed"; }
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/postgres.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $pgdata" start >/dev/null \
        || { cat "$pgdata/postgres.log" >&2; die "PostgreSQL did not start"; }
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres medusa || die "createdb failed"
}

# Stops and deletes the cluster of start_postgres; succeeds (0) if one was running.
stop_postgres() {
    [ -f "$RUN_DIR/pgdata.path" ] || return 1
    local pgdata running=1
    pgdata=$(cat "$RUN_DIR/pgdata.path")
    if [ -f "$pgdata/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
        running=0
    fi
    rm -rf "$pgdata" "$RUN_DIR/pgdata.path"
    return $running
}

# Stops the process group led by the id in file $1 (started by setsid); succeeds (0) if it ran.
stop_pid_file() {
    local file=$1 pid
    [ -f "$file" ] || return 1
    pid=$(cat "$file")
    rm -f "$file"
    kill -0 "$pid" 2>/dev/null || return 1
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
}
