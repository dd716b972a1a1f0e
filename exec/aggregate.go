package exec

import (
	"context"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// hashAggOp groups its input by key and computes aggregates. It runs one partial
// aggregation per input pipeline (one per worker, in parallel) and merges the partial
// states, so every aggregate is computed in two phases.
//
// hashAggOp consumes all input before its first Next returns (a pipeline breaker).
type hashAggOp struct {
	inputs []Operator
	node   *planner.Aggregate
	fctx   *function.Context
	schema *arrow.Schema
	out    arrow.Record
	done   bool
}

func (h *hashAggOp) Schema() *arrow.Schema { return h.schema }

func (h *hashAggOp) Open(ctx context.Context) error {
	h.done = false
	for _, in := range h.inputs {
		if err := in.Open(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (h *hashAggOp) Close() error {
	if h.out != nil {
		h.out.Release()
		h.out = nil
	}
	var first error
	for _, in := range h.inputs {
		if err := in.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (h *hashAggOp) Next(ctx context.Context) (arrow.Record, error) {
	if h.done {
		return nil, io.EOF
	}
	h.done = true
	parts := make([]*aggTable, len(h.inputs))
	errs := make([]error, len(h.inputs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i, in := range h.inputs {
		wg.Add(1)
		go func(i int, in Operator) {
			defer wg.Done()
			var t *aggTable
			var err error
			defer func() {
				if err != nil {
					cancel()
				}
				parts[i], errs[i] = t, err
			}()
			defer recoverTo(&err)
			t, err = newAggTable(h.node, h.fctx)
			if err == nil {
				err = t.consume(ctx, in)
			}
		}(i, in)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && err != context.Canceled {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	final := parts[0]
	if len(parts) > 1 {
		var err error
		if final, err = mergeTables(h.node, h.fctx, parts); err != nil {
			return nil, err
		}
	}
	return final.finish(h.schema)
}

// aggTable is one partial aggregation: the group index, the first row of each group's keys,
// and one accumulator per aggregate.
type aggTable struct {
	node     *planner.Aggregate
	fctx     *function.Context
	keyEvals []evaluator
	argEvals [][]evaluator
	filters  []evaluator
	accs     []function.GroupAccumulator
	index    map[string]uint32
	keys     []string        // group key bytes by group id
	keyParts [][]arrow.Array // per key column: the first rows of new groups, batch by batch
	ngroups  int
}

func newAggTable(node *planner.Aggregate, fctx *function.Context) (*aggTable, error) {
	t, err := newEmptyAggTable(node, fctx)
	if err == nil && len(node.GlobalSets) > 0 {
		err = t.addGlobalSets() // aggregate_sets.go
	}
	return t, err
}

// newEmptyAggTable is newAggTable without the groups of empty grouping sets, for merging
// partial tables (which have them).
func newEmptyAggTable(node *planner.Aggregate, fctx *function.Context) (*aggTable, error) {
	t := &aggTable{node: node, fctx: fctx, index: map[string]uint32{}}
	var err error
	if t.keyEvals, err = compileAll(node.GroupBy, fctx); err != nil {
		return nil, err
	}
	t.keyParts = make([][]arrow.Array, len(node.GroupBy))
	for _, a := range node.Aggs {
		args, err := compileAll(a.Args, fctx)
		if err != nil {
			return nil, err
		}
		t.argEvals = append(t.argEvals, args)
		var f evaluator
		if a.Filter != nil {
			if f, err = compile(a.Filter, fctx); err != nil {
				return nil, err
			}
		}
		t.filters = append(t.filters, f)
		t.accs = append(t.accs, newAccumulator(a)) // aggregate_ordered.go
	}
	if len(node.GroupBy) == 0 {
		// A global aggregate has exactly one group, even over no rows.
		t.ngroups = 1
		for _, acc := range t.accs {
			acc.Resize(1)
		}
	}
	return t, nil
}

func (t *aggTable) consume(ctx context.Context, in Operator) error {
	var ids []uint32
	var rowKeys [][]byte
	for {
		if err := ctx.Err(); err != nil {
			return err // between batches, so a cancelled statement stops promptly
		}
		rec, err := in.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n := int(rec.NumRows())
		if cap(ids) < n {
			ids = make([]uint32, n)
			rowKeys = make([][]byte, n)
		}
		ids = ids[:n]
		if len(t.keyEvals) > 0 {
			if err := t.assignGroups(rec, ids, rowKeys[:n]); err != nil {
				rec.Release()
				return err
			}
		} else {
			for i := range ids {
				ids[i] = 0
			}
		}
		if err := t.update(rec, ids); err != nil {
			rec.Release()
			return err
		}
		rec.Release()
	}
}

// assignGroups finds (or creates) the group of every row.
func (t *aggTable) assignGroups(rec arrow.Record, ids []uint32, rowKeys [][]byte) error {
	cols := make([]arrow.Array, len(t.keyEvals))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range rowKeys {
		rowKeys[i] = rowKeys[i][:0]
	}
	for c, ev := range t.keyEvals {
		a, err := ev.eval(rec)
		if err != nil {
			return err
		}
		cols[c] = a
	}
	return t.groupRows(cols, ids, rowKeys)
}

// groupRows finds (or creates) the group of every row of the key columns cols.
func (t *aggTable) groupRows(cols []arrow.Array, ids []uint32, rowKeys [][]byte) error {
	n := len(ids)
	for _, a := range cols {
		if err := appendKeys(rowKeys, a); err != nil {
			return err
		}
	}
	var newRows []int
	for i := 0; i < n; i++ {
		if g, ok := t.index[string(rowKeys[i])]; ok {
			ids[i] = g
			continue
		}
		g := uint32(t.ngroups)
		t.ngroups++
		k := string(rowKeys[i])
		t.index[k] = g
		t.keys = append(t.keys, k)
		ids[i] = g
		newRows = append(newRows, i)
	}
	if len(newRows) > 0 {
		for c, a := range cols {
			taken, err := takeRows(t.fctx.Alloc, a, newRows)
			if err != nil {
				return err
			}
			t.keyParts[c] = append(t.keyParts[c], taken)
		}
		for _, acc := range t.accs {
			acc.Resize(t.ngroups)
		}
	}
	return nil
}

func (t *aggTable) update(rec arrow.Record, ids []uint32) error {
	n := int(rec.NumRows())
	for a, acc := range t.accs {
		args := make([]arrow.Array, len(t.argEvals[a]))
		for i, ev := range t.argEvals[a] {
			v, err := ev.eval(rec)
			if err != nil {
				releaseAll(args[:i])
				return err
			}
			args[i] = v
		}
		groups, rows := ids, n
		if f := t.filters[a]; f != nil {
			mask, err := f.eval(rec)
			if err != nil {
				releaseAll(args)
				return err
			}
			var keep []int
			bm := mask.(*array.Boolean)
			for i := 0; i < n; i++ {
				if bm.IsValid(i) && bm.Value(i) {
					keep = append(keep, i)
				}
			}
			mask.Release()
			groups = make([]uint32, len(keep))
			for j, i := range keep {
				groups[j] = ids[i]
			}
			for i, v := range args {
				taken, err := takeRows(t.fctx.Alloc, v, keep)
				v.Release()
				if err != nil {
					releaseAll(args[i+1:])
					return err
				}
				args[i] = taken
			}
			rows = len(keep)
		}
		err := acc.Update(groups, args, rows)
		releaseAll(args)
		if err != nil {
			return err
		}
	}
	return nil
}

func releaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// mergeTables folds partial tables into a new one.
func mergeTables(node *planner.Aggregate, fctx *function.Context, parts []*aggTable) (*aggTable, error) {
	out, err := newEmptyAggTable(node, fctx)
	if err != nil {
		return nil, err
	}
	if len(node.GroupBy) == 0 {
		for a, acc := range out.accs {
			for _, p := range parts {
				if err := acc.Merge(p.accs[a], []uint32{0}); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}
	// Keys of the merged table come from the partial tables' key arrays: concatenate each
	// partial's parts and take the first occurrence of every group.
	type src struct{ part, group int }
	// Size the merged index once: with many groups (TPC-H Q18 groups lineitem by order,
	// 1.5M groups) growing the map and slices step by step cost more than the merge itself.
	// The sum of the partials' sizes is an upper bound of the merged size.
	hint := 0
	for _, part := range parts {
		hint += part.ngroups
	}
	out.index = make(map[string]uint32, hint)
	out.keys = make([]string, 0, hint)
	sources := make([]src, 0, hint)
	mappings := make([][]uint32, len(parts))
	for p, part := range parts {
		m := make([]uint32, part.ngroups)
		for g, k := range part.keys {
			id, ok := out.index[k]
			if !ok {
				id = uint32(out.ngroups)
				out.ngroups++
				out.index[k] = id
				out.keys = append(out.keys, k)
				sources = append(sources, src{p, g})
			}
			m[g] = id
		}
		mappings[p] = m
	}
	offsets := make([]int, len(parts))
	total := 0
	for p, part := range parts {
		offsets[p] = total
		total += part.ngroups
	}
	idx := make([]int, len(sources))
	for i, s := range sources {
		idx[i] = offsets[s.part] + s.group
	}
	for c := range node.GroupBy {
		var all []arrow.Array
		for _, part := range parts {
			all = append(all, part.keyParts[c]...)
		}
		if len(all) == 0 {
			continue
		}
		cat, err := array.Concatenate(all, fctx.Alloc)
		if err != nil {
			return nil, err
		}
		taken, err := takeRows(fctx.Alloc, cat, idx)
		cat.Release()
		if err != nil {
			return nil, err
		}
		out.keyParts[c] = []arrow.Array{taken}
	}
	for a, acc := range out.accs {
		acc.Resize(out.ngroups)
		for p, part := range parts {
			if err := acc.Merge(part.accs[a], mappings[p]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// finish builds the output batch: keys, then aggregates.
func (t *aggTable) finish(schema *arrow.Schema) (arrow.Record, error) {
	cols := make([]arrow.Array, 0, schema.NumFields())
	for c := range t.node.GroupBy {
		dt := schema.Field(c).Type
		if len(t.keyParts[c]) == 0 {
			cols = append(cols, array.MakeArrayOfNull(t.fctx.Alloc, dt, 0))
			continue
		}
		cat, err := array.Concatenate(t.keyParts[c], t.fctx.Alloc)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols = append(cols, cat)
	}
	for _, acc := range t.accs {
		a, err := acc.Finish(t.fctx.Alloc)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols = append(cols, a)
	}
	rec := array.NewRecord(schema, cols, int64(t.ngroups))
	releaseAll(cols)
	return rec, nil
}
