#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 (Debian's package, installed beforehand) for the real-database
# test suite, and prints its URL on stdout: export PREBUILDSIM_DATABASE_URL=$(scripts/postgres.sh)
# Run as root: the server runs as the `postgres` user, in a fresh temp dir, on 127.0.0.1 and a
# free port, with trust auth and no fsync (test data only). Installs nothing.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ "$(id -u)" != 0 ]; then
  echo "postgres.sh: run as root (it starts the server as the postgres user)" >&2
  exit 1
fi
if [ ! -x "$PGBIN/initdb" ]; then
  echo "postgres.sh: $PGBIN/initdb not found; install Debian's postgresql package first" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/prebuildsim-pg.XXXXXX)
chown postgres:postgres "$dir"
# Ask the kernel for a free port (node is always present where the tests run).
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" --auth=trust --no-sync -U postgres >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }

echo "postgres.sh: server in $dir; stop with: runuser -u postgres -- $PGBIN/pg_ctl -D $dir/data stop" >&2
echo "postgres://postgres@127.0.0.1:$port/postgres"
