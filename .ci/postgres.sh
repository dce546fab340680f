#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the storage and web tests.
# Installs Debian's postgresql package if no server binaries exist. Prints the URL to export:
#   export MLORG_TEST_POSTGRES_URL="$(bash .ci/postgres.sh)"
# Everything else it says goes to stderr. The server runs until the machine stops (or run
#   pg_ctl -D "$MLORG_PG_DIR/data" stop   as the postgres user).
set -euo pipefail

find_bindir() {
  for c in "$(command -v initdb 2>/dev/null || true)" /usr/local/bin/initdb /usr/lib/postgresql/*/bin/initdb; do
    if [ -n "$c" ] && [ -x "$c" ]; then
      dir="$(dirname "$(readlink -f "$c")")"
      if [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
    fi
  done
  return 1
}

if ! bindir="$(find_bindir)"; then
  echo "postgres.sh: installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q postgresql >&2
  bindir="$(find_bindir)"
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dir="${MLORG_PG_DIR:-$(mktemp -d /tmp/mlorg-ci-pg.XXXXXX)}"
mkdir -p "$dir"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >&2
# A throwaway server for tests: no fsync (-F) and no full-page writes. The tests kill mlorg's server,
# never the database or the machine, so this loses nothing they check, and creating the fresh database
# each test gets takes a fraction of the time (about 1 s each with fsync on, under load).
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $dir -F -c fsync=off -c full_page_writes=off -c max_connections=300" start >&2
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
