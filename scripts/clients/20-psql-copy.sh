# psql's \copy out of Quarry (the server streams COPY ... TO STDOUT; psql writes the
# output or the client-side file) and back in (COPY FROM STDIN into a managed table), and a
# cursor session: BEGIN; DECLARE; FETCH; MOVE; CLOSE; COMMIT.
set -euo pipefail
fail() { echo "$1"; printf 'got:\n%s\nwant:\n%s\n' "$2" "$3"; exit 1; }

# \copy (query) TO STDOUT WITH CSV HEADER: quoting of commas and quotes, NULL as empty,
# UTF-8 as is.
got=$(psql -X -q -c "\copy (SELECT id, name, price, note, updated FROM conformance.items WHERE id IN (1, 2, 3, 10) ORDER BY id) TO STDOUT WITH CSV HEADER")
want='id,name,price,note,updated
1,anvil,19.99,heavy,2024-01-15 10:30:00
2,bucket,4.50,,2024-02-01 08:00:00
3,chisel,7.25,it'"'"'s sharp,2024-03-10 17:45:30.5
10,jigsaw,59.95,électrique,2024-10-31 18:30:00'
[ "$got" = "$want" ] || fail "\\copy (query) to stdout csv header" "$got" "$want"

got=$(psql -X -q -c "\copy (SELECT 'a,b' AS s, 'say \"hi\"' AS t, '' AS e, NULL AS n) TO STDOUT WITH (FORMAT csv, HEADER)")
want='s,t,e,n
"a,b","say ""hi""","",'
[ "$got" = "$want" ] || fail "\\copy csv quoting" "$got" "$want"

# The text format: tab-separated, \N for NULL, backslash escapes.
got=$(psql -X -q -c "\copy (SELECT 1 AS a, E'x\\ty' AS b, NULL AS c, 'back\\slash' AS d) TO STDOUT")
want=$'1\tx\\ty\t\\N\tback\\\\slash'
[ "$got" = "$want" ] || fail "\\copy text format" "$got" "$want"

# \copy table TO 'file' CSV: the file is the client's.
file="${QUARRY_WORK:-/tmp}/items-$$.csv"
rm -f "$file"
psql -X -q -c "\copy conformance.items TO '$file' CSV"
[ -f "$file" ] || { echo "\\copy to file: $file was not written"; exit 1; }
lines=$(wc -l <"$file")
[ "$lines" -eq 10 ] || fail "\\copy to file: line count" "$lines" 10
got=$(sort -t, -k1,1n "$file" | sed -n '1p;3p;5p')
want='1,anvil,19.99,3,12.5,t,2024-01-15,2024-01-15 10:30:00,heavy
3,chisel,7.25,0,0.3,f,2024-03-10,2024-03-10 17:45:30.5,it'"'"'s sharp
5,easel,35.10,1,4.2,f,,,wooden'
[ "$got" = "$want" ] || fail "\\copy to file: contents" "$got" "$want"

# \copy FROM a file into a managed table: the same file back in, the same rows out. Its own
# database, so no other check sees the table.
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE copycheck" \
  -c "CREATE TABLE copycheck.items AS SELECT * FROM conformance.items WITH NO DATA"
trap 'psql -X -q -c "DROP DATABASE IF EXISTS copycheck CASCADE" >/dev/null 2>&1 || true' EXIT
got=$(psql -X -c "\copy copycheck.items FROM '$file' CSV")
[ "$got" = "COPY 10" ] || fail "\copy from file: tag" "$got" "COPY 10"
got=$(psql -X -A -t -c "SELECT count(*), sum(price), count(note), min(updated) FROM copycheck.items")
want='10|249.52|8|2024-01-15 10:30:00'
[ "$got" = "$want" ] || fail "\copy from file: rows" "$got" "$want"
rm -f "$file"

# A bad row fails the whole COPY (nothing written) and the session goes on.
got=$(printf '11,x\nnot-a-number,y\n' | psql -X -q -c "\copy copycheck.items (id, name) FROM STDIN CSV" -c "SELECT 'rows: ' || count(*) FROM copycheck.items" 2>&1 || true)
case "$got" in
  *'invalid input syntax for type integer: "not-a-number"'*"rows: 10"*) ;;
  *) fail "COPY FROM with a bad row" "$got" "an invalid input syntax error, then 'rows: 10'" ;;
esac

# A cursor through psql: the command tags and rows come back in order.
got=$(psql -X -A -t <<'SQL'
BEGIN;
DECLARE c CURSOR FOR SELECT id, name FROM conformance.items ORDER BY id;
FETCH 3 FROM c;
MOVE 2 IN c;
FETCH NEXT FROM c;
CLOSE c;
COMMIT;
SQL
)
want='BEGIN
DECLARE CURSOR
1|anvil
2|bucket
3|chisel
MOVE 2
6|file
CLOSE CURSOR
COMMIT'
[ "$got" = "$want" ] || fail "cursor session" "$got" "$want"
