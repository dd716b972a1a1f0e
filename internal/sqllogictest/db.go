package sqllogictest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/formats/json"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

// Result is what a DB returns for one record's SQL: the rows of its last statement that
// returns rows, each value as PostgreSQL's text output (nil for NULL). Columns is nil when no
// statement returned rows.
type Result struct {
	Columns []string
	Rows    [][]*string
}

// DB runs a script's SQL. A script gets a DB of its own, so its tables start from nothing.
type DB interface {
	// Exec runs the SQL of one record, which may hold several statements. An error is
	// reported as a *sqlerr.Error when the DB knows its SQLSTATE.
	Exec(ctx context.Context, sql string) (*Result, error)
	Close() error
}

// Engine is a DB over a Quarry engine in process, with its catalog and warehouse in a folder
// of its own and no demo database.
type Engine struct {
	dir     string
	cleanup bool
	store   *catalog.SQLiteStore
	sess    *engine.Session
}

// OpenEngine assembles an engine as `quarry query --no-demo` does, over the root folder dir
// (created if needed). workers is the number of scan workers (0: all cores).
func OpenEngine(ctx context.Context, dir string, workers int) (*Engine, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	store, err := catalog.OpenSQLite(filepath.Join(dir, "catalog.db"))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if _, err := catalog.Bootstrap(ctx, store, "sqllogictest"); err != nil {
		store.Close()
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	e := engine.New(engine.Config{
		Catalog:   store,
		Stores:    objstore.NewRegistry(),
		Formats:   formats.NewRegistry(parquet.New(), csv.New(), json.New()),
		Funcs:     function.New(),
		Warehouse: "file://" + filepath.ToSlash(filepath.Join(dir, "warehouse")) + "/",
		Workers:   workers,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	sess, err := e.NewSession(ctx, "admin", engine.DefaultCatalog, nil)
	if err != nil {
		store.Close()
		return nil, err
	}
	return &Engine{dir: dir, store: store, sess: sess}, nil
}

// TempEngine opens an engine over a new temporary folder, removed by Close.
func TempEngine(ctx context.Context, workers int) (*Engine, error) {
	dir, err := os.MkdirTemp("", "quarry-slt-")
	if err != nil {
		return nil, err
	}
	e, err := OpenEngine(ctx, dir, workers)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	e.cleanup = true
	return e, nil
}

// Close closes the session and the catalog, and removes a temporary root.
func (e *Engine) Close() error {
	e.sess.Close()
	err := e.store.Close()
	if e.cleanup {
		os.RemoveAll(e.dir)
	}
	return err
}

// Exec runs every statement of sql and returns the rows of the last one that has rows. A
// panic in the engine becomes an XX000 error, so one bad record does not end the whole run.
func (e *Engine) Exec(ctx context.Context, sql string) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = sqlerr.New(sqlerr.InternalError, "panic: %v\n%s", p, debug.Stack())
		}
	}()
	stmts, err := e.sess.Parse(sql)
	if err != nil {
		return nil, err
	}
	res = &Result{}
	for _, st := range stmts {
		if st.Empty {
			continue
		}
		r, err := e.sess.Execute(ctx, st)
		if err != nil {
			return nil, err
		}
		if r.Columns == nil {
			continue
		}
		// Rows are read to the end even for `statement ok`: errors such as a division by
		// zero surface only while the rows are produced.
		rows, err := readRows(ctx, r)
		if err != nil {
			return nil, err
		}
		res.Columns = make([]string, len(r.Columns))
		for i, c := range r.Columns {
			res.Columns[i] = c.Name
		}
		res.Rows = rows
	}
	return res, nil
}

// readRows drains a result into PostgreSQL's text form of each value.
func readRows(ctx context.Context, r *engine.Result) ([][]*string, error) {
	defer r.Rows.Close()
	var out [][]*string
	var buf []byte
	for {
		rec, err := r.Rows.Next(ctx)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		n := int(rec.NumRows())
		base := len(out)
		for i := 0; i < n; i++ {
			out = append(out, make([]*string, len(r.Columns)))
		}
		for c, col := range r.Columns {
			arr := rec.Column(c)
			var format func([]byte, int) []byte
			if _, ok := arr.(*array.Boolean); !ok {
				format = function.NewFormatter(arr, col.Type, function.FormatOptions{WireBool: true})
			}
			for i := 0; i < n; i++ {
				if arr.IsNull(i) {
					continue
				}
				var s string
				if b, ok := arr.(*array.Boolean); ok {
					s = "f"
					if b.Value(i) {
						s = "t"
					}
				} else {
					buf = format(buf[:0], i)
					s = string(buf)
				}
				out[base+i][c] = &s
			}
		}
		rec.Release()
	}
}
