package exec

import (
	"context"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// Materialized CTEs (planner/plan_cte.go): Build makes one sharedCTE per planner.CTE of the
// plan, with one operator for the CTE's plan, and a cteScanOp per CteScan. The first scan
// to be opened runs the plan to its end and buffers its batches; the others wait for it
// (a mutex, so scans in parallel workers or join builds are safe) and read the same
// batches. The batches are released when the last scan closes.

// sharedCTE is one execution's state of a materialized CTE.
type sharedCTE struct {
	op Operator // the CTE's plan

	mu       sync.Mutex
	ran      bool
	released bool // every scan closed, batches released
	err      error
	batches  []arrow.Record // owned; fixed once ran
	scans    int            // cteScanOps built on it
	closed   int            // of those, closed
}

// cteScan makes the operator of one CteScan, and the CTE's own operator the first time.
func (b *builder) cteScan(x *planner.CteScan) (Operator, error) {
	s := b.ctes[x.CTE]
	if s == nil {
		op, err := b.build(x.CTE.Plan)
		if err != nil {
			return nil, err
		}
		s = &sharedCTE{op: op}
		if b.ctes == nil {
			b.ctes = map[*planner.CTE]*sharedCTE{}
		}
		b.ctes[x.CTE] = s
	}
	s.scans++
	return &cteScanOp{cte: s, keep: x.Keep, schema: SchemaOf(x.Cols)}, nil
}

// run computes the CTE once; every later call returns the first one's outcome.
func (s *sharedCTE) run(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.released {
		// No operator reopens its input after closing it; should one, fail loudly
		// rather than read nothing.
		return sqlerr.New(sqlerr.InternalError, "internal error: CTE read after its last scan closed")
	}
	if s.ran {
		return s.err
	}
	s.ran = true
	if s.err = s.op.Open(ctx); s.err == nil {
		s.batches, s.err = drain(ctx, s.op)
	}
	if err := s.op.Close(); s.err == nil {
		s.err = err
	}
	return s.err
}

// scanClosed notes that one scan is done with the batches; the last one releases them.
func (s *sharedCTE) scanClosed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed++
	if s.closed < s.scans {
		return
	}
	releaseRecs(s.batches)
	s.batches, s.released = nil, true
	if !s.ran {
		// Never run: close the plan's operator, which Close of an unopened operator allows.
		s.ran = true
		s.op.Close()
	}
}

// cteScanOp reads a materialized CTE's batches, under its own column names.
type cteScanOp struct {
	cte    *sharedCTE
	keep   []int // the CTE's columns this scan outputs
	schema *arrow.Schema
	next   int
	closed bool
}

func (o *cteScanOp) Schema() *arrow.Schema { return o.schema }

func (o *cteScanOp) Open(ctx context.Context) error {
	o.next = 0
	return o.cte.run(ctx)
}

func (o *cteScanOp) Next(ctx context.Context) (arrow.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// batches is fixed once run returned, and run's mutex orders that before this read.
	if o.closed || o.next >= len(o.cte.batches) {
		return nil, io.EOF
	}
	rec := o.cte.batches[o.next]
	o.next++
	// The kept arrays under this scan's schema (its alias's column names); NewRecord
	// retains them, so the caller's Release leaves the buffered batch intact.
	cols := make([]arrow.Array, len(o.keep))
	for i, k := range o.keep {
		cols[i] = rec.Column(k)
	}
	return array.NewRecord(o.schema, cols, rec.NumRows()), nil
}

func (o *cteScanOp) Close() error {
	if !o.closed {
		o.closed = true
		o.cte.scanClosed()
	}
	return nil
}
