package exec

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// unionInputs builds the branches of a UNION ALL as a flat list of pipelines that can run
// concurrently: a branch that is a scan pipeline contributes one copy per worker.
func (b *builder) unionInputs(u *planner.Union) ([]Operator, error) {
	var out []Operator
	for _, br := range u.Branches {
		if parallel(br) {
			chains, err := b.chains(br)
			if err != nil {
				return nil, err
			}
			out = append(out, chains...)
			continue
		}
		op, err := b.build(br)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
	}
	return out, nil
}

// unionOp concatenates its inputs (UNION ALL), running them concurrently and passing their
// batches on in arrival order, relabelled with the union's schema (the branches' column
// names differ; their types are the same). Not a pipeline breaker.
type unionOp struct {
	gather *gatherOp
	schema *arrow.Schema
}

func newUnion(inputs []Operator, schema *arrow.Schema) *unionOp {
	return &unionOp{gather: newGather(inputs), schema: schema}
}

func (u *unionOp) Schema() *arrow.Schema          { return u.schema }
func (u *unionOp) Open(ctx context.Context) error { return u.gather.Open(ctx) }
func (u *unionOp) Close() error                   { return u.gather.Close() }

func (u *unionOp) Next(ctx context.Context) (arrow.Record, error) {
	rec, err := u.gather.Next(ctx)
	if err != nil {
		return nil, err
	}
	return relabel(rec, u.schema), nil
}

// relabel returns rec under schema (same column types), releasing rec.
func relabel(rec arrow.Record, schema *arrow.Schema) arrow.Record {
	if rec.Schema() == schema {
		return rec
	}
	out := array.NewRecord(schema, rec.Columns(), rec.NumRows())
	rec.Release()
	return out
}

// setOpOp computes INTERSECT [ALL] and EXCEPT [ALL]: it counts the right side's rows by
// their key bytes, then streams the left side, keeping each row as the counts allow. The
// output keeps the left's order.
//
// The right side is consumed before the first Next returns (a pipeline breaker on that side
// only).
type setOpOp struct {
	left, right Operator
	node        *planner.SetOp
	fctx        *function.Context
	schema      *arrow.Schema
	// counts maps a row's key to how many more copies of it the right side allows (or,
	// for EXCEPT without ALL, to 0 once the left row was output).
	counts map[string]int64
	built  bool
	keys   [][]byte
}

func (s *setOpOp) Schema() *arrow.Schema { return s.schema }

func (s *setOpOp) Open(ctx context.Context) error {
	s.built, s.counts = false, nil
	if err := s.left.Open(ctx); err != nil {
		return err
	}
	return s.right.Open(ctx)
}

func (s *setOpOp) Close() error {
	s.counts = nil
	err := s.left.Close()
	if rerr := s.right.Close(); err == nil {
		err = rerr
	}
	return err
}

func (s *setOpOp) Next(ctx context.Context) (arrow.Record, error) {
	if !s.built {
		if err := s.build(ctx); err != nil {
			return nil, err
		}
		s.built = true
	}
	for {
		rec, err := s.left.Next(ctx)
		if err != nil {
			return nil, err
		}
		keys, err := s.rowKeys(rec)
		if err != nil {
			rec.Release()
			return nil, err
		}
		var keep []int
		for i, k := range keys {
			if s.admit(string(k)) {
				keep = append(keep, i)
			}
		}
		if len(keep) == 0 {
			rec.Release()
			continue
		}
		if len(keep) == int(rec.NumRows()) {
			return relabel(rec, s.schema), nil
		}
		out, err := takeRecord(s.fctx.Alloc, rec, keep)
		rec.Release()
		if err != nil {
			return nil, err
		}
		return relabel(out, s.schema), nil
	}
}

// admit decides whether a left row with key k is output, updating the counts.
func (s *setOpOp) admit(k string) bool {
	c, ok := s.counts[k]
	switch {
	case s.node.Kind == planner.Intersect && s.node.All:
		if c > 0 {
			s.counts[k] = c - 1
			return true
		}
	case s.node.Kind == planner.Intersect:
		if c > 0 {
			s.counts[k] = 0 // once
			return true
		}
	case s.node.All: // EXCEPT ALL
		if c > 0 {
			s.counts[k] = c - 1
			return false
		}
		return true
	default: // EXCEPT
		if !ok {
			s.counts[k] = 0 // once
			return true
		}
	}
	return false
}

func (s *setOpOp) build(ctx context.Context) error {
	s.counts = map[string]int64{}
	for {
		rec, err := s.right.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		keys, err := s.rowKeys(rec)
		rec.Release()
		if err != nil {
			return err
		}
		for _, k := range keys {
			s.counts[string(k)]++
		}
	}
}

// rowKeys encodes every row of rec as bytes that are equal exactly for rows a set
// operation treats as equal (NULLs equal). The slices are reused by the next call.
func (s *setOpOp) rowKeys(rec arrow.Record) ([][]byte, error) {
	n := int(rec.NumRows())
	if cap(s.keys) < n {
		s.keys = make([][]byte, n)
	}
	keys := s.keys[:n]
	for i := range keys {
		keys[i] = keys[i][:0]
	}
	for _, col := range rec.Columns() {
		if err := appendKeys(keys, col); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// setOpWindow builds the operators of Union, SetOp and Window nodes.
func (b *builder) setOpWindow(n planner.Node) (Operator, error) {
	switch x := n.(type) {
	case *planner.Union:
		inputs, err := b.unionInputs(x)
		if err != nil {
			return nil, err
		}
		return newUnion(inputs, SchemaOf(x.Cols)), nil
	case *planner.SetOp:
		l, err := b.build(x.Left)
		if err != nil {
			return nil, err
		}
		r, err := b.build(x.Right)
		if err != nil {
			return nil, err
		}
		return &setOpOp{left: l, right: r, node: x, fctx: b.env.Funcs, schema: SchemaOf(x.Cols)}, nil
	case *planner.Window:
		in, err := b.build(x.Input)
		if err != nil {
			return nil, err
		}
		return &windowOp{input: in, node: x, fctx: b.env.Funcs, schema: SchemaOf(x.Cols)}, nil
	}
	return nil, fmt.Errorf("exec: no operator for %T", n)
}
