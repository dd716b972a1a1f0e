package pgwire

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
)

// The extended-protocol tests run against the real engine, assembled as cmd/quarry does,
// over a temporary root with one small CSV table:
//
//	items(id int, name string, price decimal(10,2), ok boolean, d date, ts timestamp,
//	      f double, big bigint)
//
// Five rows; row 5 has NULLs in every column but id.

const itemsCSV = `1,apple,1.50,true,2024-01-01,2024-01-01 10:00:00,0.5,10000000000
2,banana,0.25,false,2024-02-29,2024-02-29 23:59:59.123456,-1.25,-3
3,cherry,12.00,true,1999-12-31,1999-12-31 00:00:00,3.141592653589793,0
4,,100.99,false,2000-01-01,2000-01-01 00:00:00.5,1e100,7
5,\N,\N,\N,\N,\N,\N,\N
`

const itemsDDL = `CREATE EXTERNAL TABLE items (id int, name string, price decimal(10,2), ok boolean,
	d date, ts timestamp, f double, big bigint)
	ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '%s/'`

// startEngineServer serves a fresh engine with the items table; the admin user's password
// is testPassword.
func startEngineServer(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	root := t.TempDir()
	store, err := catalog.OpenSQLite(filepath.Join(root, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := catalog.Bootstrap(ctx, store, testPassword); err != nil {
		t.Fatal(err)
	}
	e := engine.New(engine.Config{
		Catalog:   store,
		Stores:    objstore.NewRegistry(),
		Formats:   formats.NewRegistry(parquet.New(), csv.New()),
		Funcs:     function.New(),
		Warehouse: "file://" + filepath.ToSlash(filepath.Join(root, "warehouse")) + "/",
		Workers:   2,
	})
	data := filepath.Join(root, "items")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "items.csv"), []byte(itemsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(ctx, "admin", "quarry", nil)
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := s.Parse(strings.Replace(itemsDDL, "%s", data, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute(ctx, stmts[0]); err != nil {
		t.Fatal(err)
	}
	_, addr := startServer(t, Config{}, EngineBackend(e))
	return addr
}

// connectEngine connects pgx to an engine server in the given exec mode.
func connectEngine(t testing.TB, addr string, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	cfg, err := pgx.ParseConfig("host=" + host + " port=" + port + " user=admin password='" + testPassword +
		"' dbname=quarry sslmode=disable connect_timeout=10")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	c, err := pgx.ConnectConfig(testCtx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}
