package exec

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// joinBuild is the build side of a hash join, shared by every worker that probes it. The
// first worker to need it drains the right input (once) into one record and indexes it;
// after that it is read-only, except for the matched flags of the kinds that emit build
// rows at the end (RIGHT, FULL, right semi and anti joins), which are set atomically.
type joinBuild struct {
	node   *planner.Join
	right  Operator
	fctx   *function.Context
	layout keyLayout

	once    sync.Once
	err     error
	rec     arrow.Record // every build row; nil until built
	rows    int
	table   *joinTable // nil for a join without keys (nested loop)
	anyNull bool       // some build row has a NULL key
	matched []uint32   // per build row, 1 once it matched (only for kinds that need it)

	refs   atomic.Int32
	closed atomic.Bool
}

func newJoinBuild(node *planner.Join, right Operator, fctx *function.Context) *joinBuild {
	return &joinBuild{node: node, right: right, fctx: fctx, layout: newKeyLayout(node.RightKeys)}
}

// needsMatched reports whether the join emits build rows after probing.
func needsMatched(k planner.JoinKind) bool {
	return k == planner.RightJoin || k == planner.FullJoin || k == planner.RightSemiJoin || k == planner.RightAntiJoin
}

// get builds the table on first use.
func (j *joinBuild) get(ctx context.Context) error {
	j.once.Do(func() { j.err = j.build(ctx) })
	return j.err
}

func (j *joinBuild) build(ctx context.Context) error {
	if err := j.right.Open(ctx); err != nil {
		j.right.Close()
		return err
	}
	recs, err := drain(ctx, j.right)
	cerr := j.right.Close()
	if err != nil {
		return err
	}
	if cerr != nil {
		releaseRecs(recs)
		return cerr
	}
	j.rec, err = concatRecords(j.fctx, j.right.Schema(), recs)
	releaseRecs(recs)
	if err != nil {
		return err
	}
	j.rows = int(j.rec.NumRows())
	if needsMatched(j.node.Kind) {
		j.matched = make([]uint32, j.rows)
	}
	if len(j.node.RightKeys) == 0 {
		return nil
	}
	evals, err := compileAll(j.node.RightKeys, j.fctx)
	if err != nil {
		return err
	}
	cols := make([]arrow.Array, len(evals))
	defer releaseAll(cols)
	for i, ev := range evals {
		if cols[i], err = ev.eval(j.rec); err != nil {
			return err
		}
	}
	var keys joinKeys
	if err := j.layout.encode(&keys, cols, j.rows); err != nil {
		return err
	}
	keys.rows = nil // scratch; the table keeps only the laid-out keys
	j.anyNull = keys.anyNull
	j.table = buildJoinTable(keys, j.rows)
	return nil
}

// release drops one probe worker's reference; the last one frees the table.
func (j *joinBuild) release() {
	if j.refs.Add(-1) > 0 {
		return
	}
	if j.closed.Swap(true) {
		return
	}
	if j.rec == nil {
		// Never built: the right input was never opened, but may hold resources.
		j.right.Close()
		return
	}
	j.rec.Release()
}

// concatRecords makes one record of many (an empty one for none).
func concatRecords(fctx *function.Context, schema *arrow.Schema, recs []arrow.Record) (arrow.Record, error) {
	if len(recs) == 1 {
		recs[0].Retain()
		return recs[0], nil
	}
	rows := int64(0)
	for _, r := range recs {
		rows += r.NumRows()
	}
	cols := make([]arrow.Array, schema.NumFields())
	for c := range cols {
		if len(recs) == 0 {
			cols[c] = array.MakeArrayOfNull(fctx.Alloc, schema.Field(c).Type, 0)
			continue
		}
		parts := make([]arrow.Array, len(recs))
		for i, r := range recs {
			parts[i] = r.Column(c)
		}
		cat, err := array.Concatenate(parts, fctx.Alloc)
		if err != nil {
			releaseAll(cols[:c])
			return nil, err
		}
		cols[c] = cat
	}
	out := array.NewRecord(schema, cols, rows)
	releaseAll(cols)
	return out, nil
}

// pairChunk is the most candidate pairs a probe evaluates (and emits) at once.
const pairChunk = 32768

// probeOp streams its input (the join's left side) through a shared build table. One
// probeOp runs per worker of a parallel pipeline. It is not a pipeline breaker on the
// probe side; the build side is consumed whole before the first probe.
type probeOp struct {
	input  Operator
	build  *joinBuild
	node   *planner.Join
	fctx   *function.Context
	schema *arrow.Schema
	keys   []evaluator
	cond   evaluator // nil when there is no residual condition
	pkeys  joinKeys

	// The probe batch being worked on, and where in it the pair generation is.
	cur      arrow.Record
	row      int
	chain    int32   // the next build row of the current row's chain, or -1
	started  bool    // the current row's chain has been looked up
	matched  []bool  // per probe row: some pair passed
	count    []int32 // per probe row: pairs that passed (single joins)
	pending  []arrow.Record
	probeIdx []int32
	buildIdx []int32
}

func newProbeOp(input Operator, build *joinBuild, node *planner.Join, fctx *function.Context, schema *arrow.Schema) (*probeOp, error) {
	if len(node.LeftKeys) != len(node.RightKeys) {
		return nil, fmt.Errorf("exec: join has %d left keys and %d right keys", len(node.LeftKeys), len(node.RightKeys))
	}
	for i := range node.LeftKeys {
		// Both sides are encoded with the build side's layout: their types must agree.
		if l, r := node.LeftKeys[i].Type(), node.RightKeys[i].Type(); !l.Equal(r) {
			return nil, fmt.Errorf("exec: join key %d compares %s with %s", i, l, r)
		}
	}
	p := &probeOp{input: input, build: build, node: node, fctx: fctx, schema: schema}
	var err error
	if p.keys, err = compileAll(node.LeftKeys, fctx); err != nil {
		return nil, err
	}
	if node.Cond != nil {
		if p.cond, err = compile(node.Cond, fctx); err != nil {
			return nil, err
		}
	}
	build.refs.Add(1)
	return p, nil
}

func (p *probeOp) Schema() *arrow.Schema          { return p.schema }
func (p *probeOp) Open(ctx context.Context) error { return p.input.Open(ctx) }

func (p *probeOp) Close() error {
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	releaseRecs(p.pending)
	p.pending = nil
	err := p.input.Close()
	if p.build != nil {
		p.build.release()
		p.build = nil
	}
	return err
}

func (p *probeOp) Next(ctx context.Context) (arrow.Record, error) {
	if err := p.build.get(ctx); err != nil {
		return nil, err
	}
	for {
		// A probe batch can make many output batches (duplicate keys): stop between them
		// when the statement is cancelled.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(p.pending) > 0 {
			out := p.pending[0]
			p.pending = p.pending[1:]
			return out, nil
		}
		if p.cur == nil {
			if p.skipAll() {
				return nil, io.EOF
			}
			rec, err := p.input.Next(ctx)
			if err != nil {
				return nil, err
			}
			if err := p.start(rec); err != nil {
				rec.Release()
				return nil, err
			}
		}
		if err := p.step(); err != nil {
			return nil, err
		}
	}
}

// skipAll reports whether no probe row can produce output, so the probe side need not
// be read: an inner or semi join against an empty build side, or NOT IN against a build
// side with a NULL.
func (p *probeOp) skipAll() bool {
	b := p.build
	switch p.node.Kind {
	case planner.InnerJoin, planner.SemiJoin, planner.RightSemiJoin:
		return b.rows == 0
	case planner.AntiJoin:
		return p.node.NullAware && b.anyNull
	}
	return false
}

// start makes rec the current probe batch and encodes its keys.
func (p *probeOp) start(rec arrow.Record) error {
	n := int(rec.NumRows())
	p.cur, p.row, p.chain, p.started = rec, 0, -1, false
	if cap(p.matched) < n {
		p.matched = make([]bool, n)
		p.count = make([]int32, n)
	}
	p.matched, p.count = p.matched[:n], p.count[:n]
	for i := range p.matched {
		p.matched[i] = false
		p.count[i] = 0
	}
	if len(p.keys) == 0 {
		return nil
	}
	cols := make([]arrow.Array, len(p.keys))
	defer releaseAll(cols)
	for i, ev := range p.keys {
		a, err := ev.eval(rec)
		if err != nil {
			return err
		}
		cols[i] = a
	}
	return p.build.layout.encode(&p.pkeys, cols, n)
}

// first returns the first build row matching probe row i by key, or -1. Without keys
// every build row is a candidate (a nested-loop join).
func (p *probeOp) first(i int) int32 {
	if p.build.table == nil {
		if len(p.keys) > 0 || p.build.rows == 0 {
			return -1
		}
		return 0
	}
	return p.build.table.lookup(&p.pkeys, i)
}

func (p *probeOp) nextRow(r int32) int32 {
	if p.build.table == nil {
		if int(r)+1 < p.build.rows {
			return r + 1
		}
		return -1
	}
	return p.build.table.next[r]
}

// existsOnly reports whether the join only needs to know if a row has a key match: no
// residual condition and no pairs in its output.
func (p *probeOp) existsOnly() bool {
	if p.cond != nil {
		return false
	}
	switch p.node.Kind {
	case planner.SemiJoin, planner.AntiJoin, planner.MarkJoin, planner.RightSemiJoin, planner.RightAntiJoin:
		return true
	}
	return false
}

// step advances through the current probe batch: one chunk of pairs, or the batch's end.
func (p *probeOp) step() error {
	n := int(p.cur.NumRows())
	if p.existsOnly() {
		for i := 0; i < n; i++ {
			r := p.first(i)
			if r < 0 {
				continue
			}
			p.matched[i] = true
			if p.build.matched != nil {
				for ; r >= 0; r = p.nextRow(r) {
					atomic.StoreUint32(&p.build.matched[r], 1)
				}
			}
		}
		p.row = n
		return p.finishBatch()
	}
	p.probeIdx, p.buildIdx = p.probeIdx[:0], p.buildIdx[:0]
	for p.row < n && len(p.probeIdx) < pairChunk {
		if !p.started {
			p.chain = p.first(p.row)
			p.started = true
		}
		for p.chain >= 0 && len(p.probeIdx) < pairChunk {
			p.probeIdx = append(p.probeIdx, int32(p.row))
			p.buildIdx = append(p.buildIdx, p.chain)
			p.chain = p.nextRow(p.chain)
		}
		if p.chain < 0 {
			p.row++
			p.started = false
		}
	}
	if len(p.probeIdx) > 0 {
		if err := p.pairs(); err != nil {
			return err
		}
	}
	if p.row >= n {
		return p.finishBatch()
	}
	return nil
}

// pairs evaluates the residual condition over the candidate pairs, records matches and
// queues the passing pairs for the kinds that output them.
func (p *probeOp) pairs() error {
	emit := false
	switch p.node.Kind {
	case planner.InnerJoin, planner.LeftJoin, planner.RightJoin, planner.FullJoin, planner.SingleJoin:
		emit = true
	}
	probeIdx, buildIdx := p.probeIdx, p.buildIdx
	var rec arrow.Record
	if emit || p.cond != nil {
		var err error
		if rec, err = p.pairRecord(probeIdx, buildIdx); err != nil {
			return err
		}
	}
	if p.cond != nil {
		mask, err := p.cond.eval(rec)
		if err != nil {
			rec.Release()
			return err
		}
		bm := mask.(*array.Boolean)
		keep := make([]int, 0, len(probeIdx))
		for i := range probeIdx {
			if bm.IsValid(i) && bm.Value(i) {
				keep = append(keep, i)
			}
		}
		mask.Release()
		if emit && len(keep) < len(probeIdx) {
			taken, err := takeRecord(p.fctx.Alloc, rec, keep)
			rec.Release()
			if err != nil {
				return err
			}
			rec = taken
		} else if !emit {
			rec.Release()
			rec = nil
		}
		pi, bi := make([]int32, len(keep)), make([]int32, len(keep))
		for j, i := range keep {
			pi[j], bi[j] = probeIdx[i], buildIdx[i]
		}
		probeIdx, buildIdx = pi, bi
	}
	for j, i := range probeIdx {
		p.matched[i] = true
		p.count[i]++
		if p.build.matched != nil {
			atomic.StoreUint32(&p.build.matched[buildIdx[j]], 1)
		}
	}
	if p.node.Kind == planner.SingleJoin {
		for _, i := range probeIdx {
			if p.count[i] > 1 {
				if rec != nil {
					rec.Release()
				}
				return sqlerr.New(sqlerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
			}
		}
	}
	if rec != nil {
		if rec.NumRows() == 0 || !emit {
			rec.Release()
			return nil
		}
		p.pending = append(p.pending, p.project(rec))
	}
	return nil
}

// pairRecord builds left ++ right columns for the given pairs (a build index of -1 gives
// NULLs on the right).
func (p *probeOp) pairRecord(probeIdx, buildIdx []int32) (arrow.Record, error) {
	left, right := p.cur, p.build.rec
	nl, nr := int(left.NumCols()), int(right.NumCols())
	cols := make([]arrow.Array, 0, nl+nr)
	fields := make([]arrow.Field, 0, nl+nr)
	// Each probe row matching once, in order (a foreign-key join), keeps the probe
	// columns as they are.
	whole := len(probeIdx) == int(left.NumRows())
	for i := 0; whole && i < len(probeIdx); i++ {
		whole = probeIdx[i] == int32(i)
	}
	for c := 0; c < nl; c++ {
		if whole {
			a := left.Column(c)
			a.Retain()
			cols = append(cols, a)
			fields = append(fields, left.Schema().Field(c))
			continue
		}
		a, err := takeIdx(p.fctx.Alloc, left.Column(c), probeIdx)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols = append(cols, a)
		fields = append(fields, left.Schema().Field(c))
	}
	for c := 0; c < nr; c++ {
		a, err := takeIdx(p.fctx.Alloc, right.Column(c), buildIdx)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols = append(cols, a)
		fields = append(fields, right.Schema().Field(c))
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(len(probeIdx)))
	releaseAll(cols)
	return rec, nil
}

// project gives a left ++ right record the join's output schema.
func (p *probeOp) project(rec arrow.Record) arrow.Record {
	out := array.NewRecord(p.schema, rec.Columns(), rec.NumRows())
	rec.Release()
	return out
}

// finishBatch queues what the current probe batch yields once all its pairs are known
// (unmatched rows, semi and anti rows, marks) and releases it.
func (p *probeOp) finishBatch() error {
	defer func() {
		p.cur.Release()
		p.cur = nil
	}()
	n := int(p.cur.NumRows())
	var sel []int
	switch p.node.Kind {
	case planner.LeftJoin, planner.FullJoin, planner.SingleJoin:
		var pi, bi []int32
		for i := 0; i < n; i++ {
			if !p.matched[i] {
				pi = append(pi, int32(i))
				bi = append(bi, -1)
			}
		}
		if len(pi) == 0 {
			return nil
		}
		rec, err := p.pairRecord(pi, bi)
		if err != nil {
			return err
		}
		p.pending = append(p.pending, p.project(rec))
		return nil
	case planner.SemiJoin:
		for i := 0; i < n; i++ {
			if p.matched[i] {
				sel = append(sel, i)
			}
		}
	case planner.AntiJoin:
		for i := 0; i < n; i++ {
			if p.matched[i] {
				continue
			}
			if p.node.NullAware && len(p.keys) > 0 && !p.pkeys.valid[i] && p.build.rows > 0 {
				continue // NULL NOT IN (non-empty set) is NULL
			}
			sel = append(sel, i)
		}
	case planner.MarkJoin:
		return p.markBatch()
	default:
		return nil
	}
	if len(sel) == 0 {
		return nil
	}
	var out arrow.Record
	if len(sel) == n {
		p.cur.Retain()
		out = p.cur
	} else {
		var err error
		if out, err = takeRecord(p.fctx.Alloc, p.cur, sel); err != nil {
			return err
		}
	}
	p.pending = append(p.pending, array.NewRecord(p.schema, out.Columns(), out.NumRows()))
	out.Release()
	return nil
}

// markBatch appends the mark column to the probe batch.
func (p *probeOp) markBatch() error {
	n := int(p.cur.NumRows())
	b := array.NewBooleanBuilder(p.fctx.Alloc)
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		switch {
		case p.matched[i]:
			b.UnsafeAppend(true)
		case p.node.NullAware && p.build.rows > 0 && (!p.pkeys.valid[i] || p.build.anyNull):
			b.UnsafeAppendBoolToBitmap(false)
		default:
			b.UnsafeAppend(false)
		}
	}
	mark := b.NewArray()
	cols := append(append([]arrow.Array(nil), p.cur.Columns()...), mark)
	p.pending = append(p.pending, array.NewRecord(p.schema, cols, int64(n)))
	mark.Release()
	return nil
}
