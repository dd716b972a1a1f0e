# The fixture is there and psql reaches it.
set -euo pipefail
got=$(psql -X -A -t -c "SELECT count(*), sum(price) FROM conformance.items")
[ "$got" = "10|249.52" ] || { echo "fixture: got $got"; exit 1; }
