# pgbench against Quarry in its three query modes (-M simple | extended | prepared), with a
# read-only script over the fixture and the demo tables whose \set random variables are
# sent as parameters in the extended and prepared modes. Every run must finish with no
# failed transaction and a non-zero rate. PGBENCH_SECONDS shortens the runs (default 30).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
# Debian ships pgbench with the server package.
ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || need_apt postgresql-15

seconds=${PGBENCH_SECONDS:-30}
script="${QUARRY_WORK:-/tmp}/pgbench-$$.sql"
trap 'rm -f "$script"' EXIT
cat >"$script" <<'SQL'
\set item random(1, 10)
\set cust random(1, 500)
\set qty random(0, 30)
SELECT name, price, qty FROM conformance.items WHERE id = :item;
SELECT count(*), sum(price) FROM conformance.items WHERE qty >= :qty AND active;
SELECT i.name, count(e.id) AS events FROM conformance.items i LEFT JOIN conformance.events e ON e.item_id = i.id WHERE i.id <= :item GROUP BY i.name ORDER BY i.name;
SELECT c.name, c.country FROM demo.customers c WHERE c.customer_id = :cust;
SELECT count(*), sum(total) FROM demo.orders WHERE customer_id = :cust AND status = 'shipped';
SQL

for mode in simple extended prepared; do
  out=$(pgbench -n -f "$script" -M "$mode" -c 8 -j 2 -T "$seconds" 2>&1) || {
    echo "pgbench -M $mode failed:"; echo "$out"; exit 1
  }
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
  if [ "$failed" != "0" ] || [ -z "$tps" ] || ! awk -v t="$tps" 'BEGIN { exit !(t > 0) }'; then
    echo "pgbench -M $mode: failed=$failed tps=$tps"; echo "$out"; exit 1
  fi
  if grep -qi 'error' <<<"$out"; then
    echo "pgbench -M $mode reported errors:"; echo "$out"; exit 1
  fi
  echo "   pgbench -M $mode: tps $tps, 0 failed"
done
