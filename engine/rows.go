package engine

import (
	"context"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/exec"
	"github.com/quarrydb/quarry/types"
)

// opRows streams an operator tree's batches; Close closes the tree and cancels its work.
type opRows struct {
	op     exec.Operator
	cancel context.CancelFunc
	once   sync.Once
	err    error
	// stmt is the statement's context (its deadline is statement_timeout); run is the
	// operators' own, cancelled when stmt ends or by Close. The operators' Next runs under
	// run, so that a statement timeout stops their work, not only their Open.
	stmt, run context.Context
}

func (r *opRows) Next(ctx context.Context) (arrow.Record, error) {
	opCtx := ctx
	if r.run != nil {
		// The caller's ctx (a client's CancelRequest) stops the operators too.
		stop := context.AfterFunc(ctx, r.cancel)
		defer stop()
		opCtx = r.run
	}
	for {
		rec, err := r.op.Next(opCtx)
		if err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			if ctx.Err() != nil {
				return nil, canceled(ctx)
			}
			if r.stmt != nil && r.stmt.Err() != nil {
				return nil, canceled(r.stmt)
			}
			return nil, err
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		return rec, nil
	}
}

func (r *opRows) Close() error {
	r.once.Do(func() {
		r.err = r.op.Close()
		r.cancel()
	})
	return r.err
}

// memRows serves batches held in memory (SHOW, DESCRIBE, EXPLAIN output).
type memRows struct {
	recs []arrow.Record
	pos  int
}

func (r *memRows) Next(ctx context.Context) (arrow.Record, error) {
	if r.pos >= len(r.recs) {
		return nil, io.EOF
	}
	rec := r.recs[r.pos]
	r.pos++
	rec.Retain()
	return rec, nil
}

func (r *memRows) Close() error {
	for _, rec := range r.recs {
		rec.Release()
	}
	r.recs = nil
	return nil
}

// textResult builds a result of text columns from rows of strings (nil entries are NULL).
func textResult(names []string, rows [][]*string) *Result {
	cols := make([]Column, len(names))
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		cols[i] = Column{Name: n, Type: types.VarcharT}
		fields[i] = arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, row := range rows {
		for i, v := range row {
			sb := b.Field(i).(*array.StringBuilder)
			if v == nil {
				sb.AppendNull()
			} else {
				sb.Append(*v)
			}
		}
	}
	rec := b.NewRecord()
	return &Result{Columns: cols, Rows: &memRows{recs: []arrow.Record{rec}}, Tag: "SELECT"}
}

func strp(s string) *string { return &s }
