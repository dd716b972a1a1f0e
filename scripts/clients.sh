#!/usr/bin/env bash
# The client conformance suite: starts a Quarry server on a free port with a fresh root, loads
# the fixture (scripts/clients/fixture.sql), then runs every scripts/clients/NN-*.sh against it.
# Each check installs the real client it needs from the distribution's packages (or npm / the
# Go module proxy) and exits non-zero on the first wrong answer or error.
#   scripts/clients.sh            run every check
#   scripts/clients.sh psql jdbc  run the checks whose names contain these words
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/clients/lib.sh
need_apt postgresql-client

work=$(mktemp -d /tmp/quarry-clients.XXXXXX)
go build -o "$work/quarry" ./cmd/quarry

export QUARRY_ADMIN_PASSWORD=conformance-pw
"$work/quarry" serve --root "$work/root" --pg-addr 127.0.0.1:0 --http-addr 127.0.0.1:0 \
  --log-level warn >"$work/serve.log" 2>&1 &
server=$!
cleanup() {
  kill -INT "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 300); do
  grep -q 'PostgreSQL protocol on' "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
addr=$(sed -n 's/^PostgreSQL protocol on \([^ ]*\).*/\1/p' "$work/serve.log")
[ -n "$addr" ] || { echo "server did not start"; cat "$work/serve.log"; exit 1; }

export PGHOST=${addr%:*} PGPORT=${addr##*:} PGUSER=admin PGPASSWORD=$QUARRY_ADMIN_PASSWORD PGDATABASE=quarry
export QUARRY_BIN="$work/quarry" QUARRY_WORK="$work"
psql -X -q -v ON_ERROR_STOP=1 -f scripts/clients/fixture.sql >/dev/null

failed=()
for check in scripts/clients/[0-9][0-9]-*.sh; do
  name=$(basename "$check" .sh)
  if [ $# -gt 0 ]; then
    want=0
    for w in "$@"; do [[ "$name" == *"$w"* ]] && want=1; done
    [ $want -eq 1 ] || continue
  fi
  echo "== client check $name"
  start=$(date +%s)
  if bash "$check"; then
    echo "   ok $name ($(( $(date +%s) - start ))s)"
  else
    echo "   FAILED $name"
    failed+=("$name")
  fi
done

if ! kill -0 "$server" 2>/dev/null; then
  echo "the server died during the checks:"; cat "$work/serve.log"; exit 1
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "client checks failed: ${failed[*]}"; exit 1
fi
echo "all client checks passed"
