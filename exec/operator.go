package exec

import (
	"context"
	"io"
	"runtime/debug"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

// Operator is a vectorized operator.
type Operator interface {
	// Open prepares the operator; it opens its inputs.
	Open(ctx context.Context) error
	// Next returns the next batch, or (nil, io.EOF) after the last one. The caller owns the
	// batch and releases it.
	Next(ctx context.Context) (arrow.Record, error)
	// Close releases the operator's resources and closes its inputs. Safe to call twice.
	Close() error
	// Schema is the schema of every batch Next returns.
	Schema() *arrow.Schema
}

// Env is what operators need from the world outside the plan.
type Env struct {
	Stores  *objstore.Registry
	Formats *formats.Registry
	Catalog catalog.Store
	Funcs   *function.Context
	Alloc   memory.Allocator
	Workers int // parallel scan workers; 0 means runtime.GOMAXPROCS(0)
	Stats   *Stats
	// Analyze, when set, makes Build measure every operator for EXPLAIN ANALYZE
	// (analyze.go); nil costs nothing.
	Analyze *Analysis
}

// Stats counts a query's work, for EXPLAIN ANALYZE and query history.
type Stats struct {
	Files    int64
	Splits   int64
	RowsRead int64
}

// recoverTo turns a panic in a worker goroutine into an error stored in *err, so that a bug
// in one kernel or reader fails its query instead of crashing the server: panics do not
// cross goroutines, so every goroutine exec starts defers this first.
func recoverTo(err *error) {
	if r := recover(); r != nil {
		*err = sqlerr.New(sqlerr.InternalError, "internal error: %v", r).WithDetail(string(debug.Stack()))
	}
}

// drain reads every batch of op (which must be open).
func drain(ctx context.Context, op Operator) ([]arrow.Record, error) {
	var out []arrow.Record
	for {
		// Checked here as well as by the inputs, some of which (VALUES, a join's output
		// from one input batch) do not look at ctx.
		if err := ctx.Err(); err != nil {
			for _, r := range out {
				r.Release()
			}
			return nil, err
		}
		rec, err := op.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			for _, r := range out {
				r.Release()
			}
			return nil, err
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		out = append(out, rec)
	}
}
