# Developer commands. `make test` runs every test as CI does; `make tpch` checks the TPC-H
# queries against their SF1 answers on each layout; `make slt` runs the sqllogictest scripts
# (Quarry's own under testdata/slt and SQLite's corpus in ../shared) and prints the report.

# TPC-H data made by ../shared/peer: (cd ../shared/peer && go install .) && peer gen -sf 1 -out /tmp/tpch
DATA ?= /tmp/tpch
LAYOUTS ?= parquet,csv,json
# QUERIES=1,6 runs only those; empty runs all 22.
QUERIES ?=
# PG=postgres://user@host:port/db also runs the scripts on PostgreSQL, checking expected values.
PG ?=
SLT_SUMMARY ?= /tmp/quarry-slt-summary.txt

.PHONY: test tpch slt

test:
	./scripts/test.sh

tpch:
	@test -d $(DATA)/parquet/lineitem || { echo "no TPC-H data in $(DATA); generate it with:"; \
	  echo "  (cd ../shared/peer && go install .) && $$(go env GOPATH)/bin/peer gen -sf 1 -out $(DATA)"; exit 1; }
	go run ./cmd/tpchcheck -data $(DATA) -layouts $(LAYOUTS) $(if $(QUERIES),-queries $(QUERIES))

slt:
	@go test -count=1 ./internal/sqllogictest -run 'TestScripts|TestCorpus' -slt.corpus -timeout 60m -slt.summary $(SLT_SUMMARY) $(if $(PG),-slt.pg $(PG)); \
	  status=$$?; cat $(SLT_SUMMARY); exit $$status
