#!/usr/bin/env bash
# Runs every test of Quarry on a fresh machine: installs what the tests need from the
# distribution's packages, vets, runs the Go tests (unit, fuzz seeds, end-to-end tests that
# start a real server and drive it with pgx and psql), then the longer suites:
#   scripts/pg-reference.sh  message-level tests and .slt scripts against a real PostgreSQL 15
#   scripts/clients.sh       the client conformance suite (psql, pgJDBC, psqlODBC, psycopg2,
#                            SQLAlchemy, pandas, node-postgres, pgbench, recorded BI queries)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v psql >/dev/null 2>&1 || need_apt+=(postgresql-client)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

echo "== go vet"
go vet ./... ./testdata ./testdata/internal/gendemo

echo "== go test"
go test -count=1 -timeout 20m ./...

# Go leaves folders named testdata out of ./...; the demo data package has tests of its own.
echo "== go test (demo data)"
go test -count=1 ./testdata ./testdata/internal/gendemo

echo "== PostgreSQL 15 reference checks"
./scripts/pg-reference.sh

echo "== client conformance suite"
./scripts/clients.sh
