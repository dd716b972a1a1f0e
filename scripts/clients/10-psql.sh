# psql 15: the meta-commands users type (\l \dn \dt \dv \dt+ \d \df \x) run against Quarry
# without an error, and list the fixture's schemas, tables, views and columns with the types
# PostgreSQL would show. psql -E echoes every catalog query it sends; none may fail.
set -euo pipefail
out=$(mktemp /tmp/quarry-psql.XXXXXX)
trap 'rm -f "$out"' EXIT

# run CMD: runs one meta-command with psql -E, fails on any ERROR, leaves the output in $out.
run() {
  if ! psql -X -E -v ON_ERROR_STOP=1 -P pager=off -c "$1" >"$out" 2>&1 || grep -q 'ERROR' "$out"; then
    echo "psql $1 failed:"; cat "$out"; exit 1
  fi
}
# expect PATTERN: the last command's output has a line matching the extended regex.
expect() {
  grep -Eq "$1" "$out" || { echo "expected /$1/ in:"; cat "$out"; exit 1; }
}

run '\l'
expect '^ quarry +\| admin +\| UTF8 '
run '\dn'
expect '^ conformance +\| admin'
run '\dt'
run '\dt conformance.*'
expect '^ conformance \| events +\| table \| admin'
expect '^ conformance \| items +\| table \| admin'
run '\dv conformance.*'
expect '^ conformance \| active_items \| view \| admin'
run '\dt+ conformance.*'
expect '^ conformance \| items +\| table \| admin +\| permanent +\| +\| 0 bytes'
run '\d conformance.active_items'
expect 'View "conformance.active_items"'
expect '^ price +\| numeric\(10,2\) '
run '\df abs'
expect '^ pg_catalog \| abs +\| integer +\| integer +\| func'
run '\df'
run '\d'
# Expanded output of an ordinary query.
psql -X -v ON_ERROR_STOP=1 -c '\x on' -c "SELECT id, name, price FROM conformance.items WHERE id = 3" >"$out"
expect '^name +\| chisel$'
expect '^price +\| 7.25$'
# \d of a table: all eight describe queries (columns, indexes, policies, statistics,
# publications, inheritance) must run.
run '\d conformance.items'
expect 'Table "conformance.items"'
expect '^ id +\| integer +\|'
expect '^ name +\| character varying\(40\) +\|'
expect '^ price +\| numeric\(10,2\) +\|'
expect '^ qty +\| bigint +\|'
expect '^ weight +\| double precision +\|'
expect '^ updated +\| timestamp without time zone +\|'
expect '^ note +\| text +\|'
