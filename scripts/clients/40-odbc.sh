# psqlODBC (the PostgreSQL Unicode driver) through unixODBC's isql and through pyodbc:
# connect, SQLTables / SQLColumns / SQLPrimaryKeys, a prepared SELECT with bound parameters and
# typed fetches, with and without UseDeclareFetch (cursors through DECLARE / FETCH).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
need_apt odbc-postgresql unixodbc python3-pyodbc

conf=$(mktemp -d "${QUARRY_WORK:-/tmp}/odbc.XXXXXX")
trap 'rm -rf "$conf"' EXIT
cat >"$conf/odbcinst.ini" <<INI
[PostgreSQL Unicode]
Description=PostgreSQL ODBC driver (Unicode version)
Driver=/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so
INI
dsn() { # dsn NAME USEDECLAREFETCH
  cat <<INI
[$1]
Driver=PostgreSQL Unicode
Servername=$PGHOST
Port=$PGPORT
Database=$PGDATABASE
Username=$PGUSER
Password=$PGPASSWORD
SSLmode=disable
UseDeclareFetch=$2
Fetch=3
BoolsAsChar=0
ConnSettings=SET search_path TO conformance, public
INI
}
{ dsn quarry 0; dsn quarry_cursor 1; } >"$conf/odbc.ini"
export ODBCSYSINI=$conf ODBCINI=$conf/odbc.ini

fail() { echo "odbc: $*"; exit 1; }

# isql: a query and its rows (-d, separates the columns; -b is batch mode, no banner).
got=$(echo "SELECT id, name, price FROM conformance.items WHERE id <= 3 ORDER BY id" |
  isql -v -b -d, quarry 2>&1) || fail "isql query: $got"
want=$'1,anvil,19.99\n2,bucket,4.50\n3,chisel,7.25'
[ "$(grep -E '^[0-9]+,' <<<"$got")" = "$want" ] || fail "isql query: got $got"

# isql: help lists the tables (SQLTables), help TABLE the columns (SQLColumns) of a table on the
# search_path, which the DSN's ConnSettings sets to conformance: name, ODBC type, type name,
# size, and for numeric the scale.
got=$(echo "help" | isql -v -b -d, quarry 2>&1) || fail "isql help: $got"
for t in items events active_items; do
  grep -q ",conformance,$t," <<<"$got" || fail "isql help: no conformance.$t in: $got"
done
got=$(echo "help items" | isql -v -b -d, quarry 2>&1) || fail "isql help items: $got"
for c in id,4,int4,10 name,12,varchar,40 price,2,numeric,10,12,2 qty,-5,int8,19 weight,6,float8 \
  active,-7,bool added,9,date,10 updated,11,timestamp,26 note,-1,text; do
  grep -q ",items,${c}," <<<"$got" || fail "isql help items: no column $c in: $got"
done

# pyodbc: catalog functions, bound parameters and typed values, plain and with cursors.
"$PY" odbc/catalog.py "DSN=quarry"
"$PY" odbc/params.py "DSN=quarry"
"$PY" odbc/params.py "DSN=quarry_cursor"
