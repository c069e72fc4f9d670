#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: Unix socket only, in a temp folder,
# stopped and removed when the command ends (also on failure or Ctrl-C).
set -euo pipefail

# Debian keeps the server binaries off PATH; elsewhere initdb is usually on it.
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" ]] && command -v initdb >/dev/null; then
    bindir=$(dirname "$(command -v initdb)")
fi
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    echo "PostgreSQL server binaries (initdb) not found: install Debian's postgresql package" \
        "(make system) or your system's PostgreSQL server." >&2
    exit 1
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/chapterwise-pg.XXXXXX")
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
    # initdb refuses to run as root: the cluster belongs to the postgres system user.
    chown postgres: "$workdir"
    as_owner=(runuser -u postgres --)
fi

stop() {
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap stop EXIT INT TERM

"${as_owner[@]}" "$bindir/initdb" -D "$workdir/data" -A trust -U chapterwise -E UTF8 \
    --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
    -o "-k $workdir -h '' -F -c max_connections=100" start >/dev/null \
    || { cat "$workdir/server.log" >&2; exit 1; }
"$bindir/createdb" -h "$workdir" -U chapterwise chapterwise

export DATABASE_URL="postgres://chapterwise@/chapterwise?host=$workdir"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on $workdir"
"$@"
