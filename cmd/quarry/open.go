package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/formats/json"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/testdata"
)

// instance is an opened root folder: its catalog and an engine over it.
type instance struct {
	root    string
	store   *catalog.SQLiteStore
	engine  *engine.Engine
	adminPW string // set when this start generated the admin password
}

// open opens (creating on first use) the root folder: the embedded catalog store, the
// admin user, the demo database, and the engine.
func open(ctx context.Context, c *config, log *slog.Logger, installDemo bool) (*instance, error) {
	root, err := filepath.Abs(c.Root)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("root folder: %w", err)
	}
	store, err := catalog.OpenSQLite(filepath.Join(root, "catalog.db"))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	generated, err := catalog.Bootstrap(ctx, store, os.Getenv("QUARRY_ADMIN_PASSWORD"))
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	// The demo database is made once per root: a marker file remembers it, so a user who
	// drops `demo` does not get it back on the next start.
	marker := filepath.Join(root, ".demo-installed")
	if _, err := os.Stat(marker); installDemo && !c.NoDemo && os.IsNotExist(err) {
		if err := testdata.InstallDemo(ctx, store, filepath.Join(root, "demo")); err != nil {
			store.Close()
			return nil, fmt.Errorf("demo database: %w", err)
		}
		if err := os.WriteFile(marker, []byte("the demo database was installed in this root\n"), 0o644); err != nil {
			store.Close()
			return nil, err
		}
	}
	e := engine.New(engine.Config{
		Catalog:   store,
		Stores:    objstore.NewRegistry(),
		Formats:   formats.NewRegistry(parquet.New(), csv.New(), json.New()),
		Funcs:     function.New(),
		Warehouse: "file://" + filepath.ToSlash(filepath.Join(root, "warehouse")) + "/",
		Workers:   c.Workers,
		Logger:    log,
	})
	return &instance{root: root, store: store, engine: e, adminPW: generated}, nil
}

func (i *instance) Close() error { return i.store.Close() }
