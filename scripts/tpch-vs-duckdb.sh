#!/usr/bin/env bash
# Times the 22 TPC-H queries on Quarry (cmd/tpchcheck, which also checks every answer) and on
# DuckDB (../shared/peer, the measuring stick; Quarry does not depend on it) over the same
# Parquet files in the same run, and prints both times, their ratio and the geometric mean.
#   scripts/tpch-vs-duckdb.sh [DATA] [THREADS]     (defaults /tmp/tpch and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/tmp/tpch}
threads=${2:-2}
peer=${PEER:-$(go env GOPATH)/bin/peer}
[ -x "$peer" ] || { echo "build the measuring tool first: (cd ../shared/peer && go install .)"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go run ./cmd/tpchcheck -data "$data" -layouts parquet -workers "$threads" | tee "$out/quarry.txt"
"$peer" run -data "$data" -layout parquet -threads "$threads" ../shared/bench/tpch/q*.sql | tee "$out/duckdb.txt"
awk '
  FNR == NR { if ($3 == "ok") { q = $1; sub(/s$/, "", $4); quarry[q] = $4 } ; next }
  { q = $1; sub(/\.sql$/, "", q); sub(/.*\//, "", q); duck[q] = $2 }
  END {
    printf "%-5s %10s %10s %8s\n", "query", "quarry_s", "duckdb_s", "ratio"
    n = 0; logsum = 0
    for (i = 1; i <= 22; i++) {
      q = sprintf("q%02d", i)
      if (!(q in quarry) || !(q in duck) || duck[q] <= 0) { printf "%-5s %10s %10s %8s\n", q, quarry[q], duck[q], "-"; continue }
      r = quarry[q] / duck[q]; n++; logsum += log(r)
      printf "%-5s %10.3f %10.3f %8.2f\n", q, quarry[q], duck[q], r
    }
    if (n > 0) printf "geometric mean of the ratios over %d queries: %.2f\n", n, exp(logsum / n)
  }' "$out/quarry.txt" "$out/duckdb.txt"
