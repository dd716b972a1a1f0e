#!/usr/bin/env bash
# Checks Quarry against a real PostgreSQL 15 that this script installs (Debian's postgresql-15),
# starts on a free port in a temporary folder, and stops at the end:
#   - the message-level pgtest scripts (pgwire/testdata/pgtest) and the binary-format golden
#     bytes run against PostgreSQL too, so their expected replies are PostgreSQL's own;
#   - Quarry's own .slt scripts (testdata/slt) run on PostgreSQL as well as on Quarry, so their
#     expected results are what PostgreSQL returns.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/clients/lib.sh
need_apt postgresql-15 postgresql-client

bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/quarry-pg15.XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
"${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log"; exit 1; }
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export QUARRY_PG_REFERENCE="host=127.0.0.1 port=$port user=postgres dbname=postgres"
echo "== message-level tests and binary formats, against PostgreSQL 15 and Quarry"
go test -count=1 ./pgwire -run 'TestPGTest|TestBinary'
echo "== Quarry's .slt scripts, on PostgreSQL 15 and Quarry"
go test -count=1 ./internal/sqllogictest -run 'TestScripts' \
  -slt.pg "postgres://postgres@127.0.0.1:$port/postgres"
