package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// CASE and COALESCE are lazy, as in PostgreSQL: `CASE WHEN a = 0 THEN 0 ELSE 10 / a END`
// must not divide by zero on the rows where a = 0. Kernels are vectorized over a whole batch
// and fail it on the first bad row, so a branch that can fail is evaluated only on a
// sub-batch of the rows that reach it (taken from the input), and the answer is gathered
// from the branches' results by (branch, row within the branch) per output row.
//
// Taking a sub-batch costs a copy of the columns the branch reads, so a branch that cannot
// fail (cannotFail) is evaluated on the whole batch as before, and a CASE all of whose parts
// cannot fail runs exactly the eager code it always ran. A branch that could fail but is
// needed by at least half the batch is first tried on the whole batch too: on most data it
// does not fail, and then nothing is copied. When the try fails, the branch runs on its rows
// alone, and stops trying the whole batch for the batches that follow (the data that made it
// fail, such as the zeros a CASE guards a division against, tends to recur). Running a pure
// expression on rows that do not need it is harmless when it succeeds; a branch that calls
// a volatile function is never tried on rows that do not need it.

// branch is one WHEN condition, THEN/ELSE result or COALESCE argument.
type branch struct {
	ev evaluator
	// eager: the branch cannot fail, so it runs on the whole batch whatever rows need it.
	eager bool
	// used marks the input columns the branch reads; the others are not copied into its
	// sub-batch.
	used map[int]bool
	// tryAll: the branch is pure and has not yet failed on a whole batch, so it is tried
	// on the whole batch when at least half of it needs the branch.
	tryAll bool
}

func compileBranch(e planner.Expr, fctx *function.Context) (branch, error) {
	ev, err := compile(e, fctx)
	if err != nil {
		return branch{}, err
	}
	used := map[int]bool{}
	planner.ColumnsUsed(e, used)
	return branch{ev: ev, eager: cannotFail(e), used: used, tryAll: !callsVolatile(e)}, nil
}

func callsVolatile(e planner.Expr) bool {
	volatile := false
	planner.Walk(e, func(x planner.Expr) bool {
		if c, ok := x.(*planner.Call); ok && c.Volatility == function.Volatile {
			volatile = true
		}
		return !volatile
	})
	return volatile
}

// evalRows evaluates the branch for rows sel (ascending) of rec. full reports that the
// result has rec's length, its row i being row i of rec; otherwise row j of the result is
// row sel[j] of rec.
func (b *branch) evalRows(alloc memory.Allocator, rec arrow.Record, sel []int) (out arrow.Array, full bool, err error) {
	n := int(rec.NumRows())
	if b.eager || len(sel) == n {
		out, err = b.ev.eval(rec)
		return out, true, err
	}
	if b.tryAll && 2*len(sel) >= n {
		if out, err = b.ev.eval(rec); err == nil {
			return out, true, nil
		}
		b.tryAll = false // the error may be on a row that does not need the branch
	}
	sub, err := subRecord(alloc, rec, sel, b.used)
	if err != nil {
		return nil, false, err
	}
	defer sub.Release()
	out, err = b.ev.eval(sub)
	return out, false, err
}

// subRecord gathers rows sel of the columns in used; the other columns are zero-copy slices
// of the right length that nothing reads.
func subRecord(alloc memory.Allocator, rec arrow.Record, sel []int, used map[int]bool) (arrow.Record, error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	var idx32 []int32
	for i := range cols {
		col := rec.Column(i)
		if !used[i] {
			cols[i] = array.NewSlice(col, 0, int64(len(sel)))
			continue
		}
		if idx32 == nil {
			idx32 = make([]int32, len(sel))
			for j, r := range sel {
				idx32[j] = int32(r)
			}
		}
		if c, ok := fastTake(alloc, col, idx32); ok {
			cols[i] = c
			continue
		}
		c, err := takeRows(alloc, col, sel)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return array.NewRecord(rec.Schema(), cols, int64(len(sel))), nil
}

// gather builds the output: row i is row pos[i] of arms[pick[i]]. Arms no row picks may be
// nil. An arm that every row picks in order is returned as it is.
func gather(alloc memory.Allocator, arms []arrow.Array, pick, pos []int) (arrow.Array, error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	n := len(pick)
	if n > 0 {
		if a := arms[pick[0]]; a.Len() == n {
			same := true
			for i, p := range pick {
				if p != pick[0] || pos[i] != i {
					same = false
					break
				}
			}
			if same {
				a.Retain()
				return a, nil
			}
		}
	}
	offsets := make([]int, len(arms))
	var parts []arrow.Array
	off := 0
	for i, a := range arms {
		if a == nil {
			continue
		}
		offsets[i] = off
		off += a.Len()
		parts = append(parts, a)
	}
	cat, err := array.Concatenate(parts, alloc)
	if err != nil {
		return nil, err
	}
	defer cat.Release()
	idx := make([]int32, n)
	for i, p := range pick {
		idx[i] = int32(offsets[p] + pos[i])
	}
	if out, ok := fastTake(alloc, cat, idx); ok {
		return out, nil
	}
	wide := make([]int, n)
	for i, v := range idx {
		wide[i] = int(v)
	}
	return takeRows(alloc, cat, wide)
}

// gatherAligned is gather for arms that all have the batch's length: row i is row i of
// arms[pick[i]]. (It replaces the old interleave for the eager CASE and COALESCE: fastTake's typed
// loops beat Arrow's take kernel.)
func gatherAligned(alloc memory.Allocator, arms []arrow.Array, pick []int) (arrow.Array, error) {
	pos := make([]int, len(pick))
	for i := range pos {
		pos[i] = i
	}
	return gather(alloc, arms, pick, pos)
}

// lazyCaseEval is a CASE with at least one part that can fail.
type lazyCaseEval struct {
	conds   []branch
	results []branch // len(conds)+1: the last is ELSE
	alloc   memory.Allocator
	scratch rowScratch
	sels    [][]int // rows per arm, reused between batches
}

// rowScratch holds per-row bookkeeping reused between batches (an evaluator belongs to one
// worker): pick[i] is the arm of output row i, pos[i] its row within that arm's result, and
// undecided the rows no branch has taken yet.
type rowScratch struct{ pick, pos, undecided []int }

func (s *rowScratch) reset(n int) {
	if cap(s.pick) < n {
		s.pick, s.pos, s.undecided = make([]int, n), make([]int, n), make([]int, n)
	}
	s.pick, s.pos, s.undecided = s.pick[:n], s.pos[:n], s.undecided[:n]
	for i := range s.undecided {
		s.undecided[i] = i
	}
}

func compileCase(x *planner.Case, fctx *function.Context) (evaluator, error) {
	lc := &lazyCaseEval{alloc: fctx.Alloc}
	allEager := true
	for _, w := range x.Whens {
		c, err := compileBranch(w.Cond, fctx)
		if err != nil {
			return nil, err
		}
		r, err := compileBranch(w.Result, fctx)
		if err != nil {
			return nil, err
		}
		lc.conds = append(lc.conds, c)
		lc.results = append(lc.results, r)
		allEager = allEager && c.eager && r.eager
	}
	els, err := compileBranch(x.Else, fctx)
	if err != nil {
		return nil, err
	}
	lc.results = append(lc.results, els)
	if allEager && els.eager {
		ce := &caseEval{t: x.T, els: els.ev, alloc: fctx.Alloc}
		for i := range lc.conds {
			ce.conds = append(ce.conds, lc.conds[i].ev)
			ce.results = append(ce.results, lc.results[i].ev)
		}
		return ce, nil
	}
	return lc, nil
}

func (c *lazyCaseEval) eval(rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	c.scratch.reset(n)
	pick, pos := c.scratch.pick, c.scratch.pos // arm len(conds) is ELSE
	if c.sels == nil {
		c.sels = make([][]int, len(c.results))
	}
	sels := c.sels
	for a := range sels {
		sels[a] = sels[a][:0]
	}
	// undecided holds the rows no condition has taken yet, ascending; each condition
	// runs only on them, so a later condition never sees a row an earlier one decided.
	undecided := c.scratch.undecided
	for i := range pick {
		pick[i] = len(c.conds)
	}
	for a := range c.conds {
		if len(undecided) == 0 {
			break
		}
		arr, full, err := c.conds[a].evalRows(c.alloc, rec, undecided)
		if err != nil {
			return nil, err
		}
		ba := arr.(*array.Boolean)
		rest := undecided[:0] // filtered in place: writes never pass reads
		for j, row := range undecided {
			k := j
			if full {
				k = row
			}
			if ba.IsValid(k) && ba.Value(k) {
				pick[row] = a
				sels[a] = append(sels[a], row)
			} else {
				rest = append(rest, row) // false or NULL passes the row on
			}
		}
		undecided = rest
		arr.Release()
	}
	sels[len(c.conds)] = append(sels[len(c.conds)], undecided...)
	arms := make([]arrow.Array, len(c.results))
	defer releaseAll(arms)
	for a := range c.results {
		if len(sels[a]) == 0 && n > 0 {
			continue
		}
		arr, full, err := c.results[a].evalRows(c.alloc, rec, sels[a])
		if err != nil {
			return nil, err
		}
		arms[a] = arr
		for j, row := range sels[a] {
			if full {
				pos[row] = row
			} else {
				pos[row] = j
			}
		}
	}
	return gather(c.alloc, arms, pick, pos)
}

// lazyCoalesceEval is a COALESCE with an argument that can fail: argument k runs only on
// the rows where arguments 0..k-1 are all NULL.
type lazyCoalesceEval struct {
	args    []branch
	alloc   memory.Allocator
	scratch rowScratch
}

func compileCoalesce(x *planner.Coalesce, fctx *function.Context) (evaluator, error) {
	lc := &lazyCoalesceEval{alloc: fctx.Alloc}
	allEager := true
	for _, a := range x.Args {
		br, err := compileBranch(a, fctx)
		if err != nil {
			return nil, err
		}
		lc.args = append(lc.args, br)
		allEager = allEager && br.eager
	}
	if allEager {
		ce := &coalesceEval{t: x.T, alloc: fctx.Alloc}
		for _, a := range lc.args {
			ce.args = append(ce.args, a.ev)
		}
		return ce, nil
	}
	return lc, nil
}

func (c *lazyCoalesceEval) eval(rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	c.scratch.reset(n)
	pick, pos, undecided := c.scratch.pick, c.scratch.pos, c.scratch.undecided
	arms := make([]arrow.Array, len(c.args))
	defer releaseAll(arms)
	last := len(c.args) - 1
	for a := range c.args {
		if len(undecided) == 0 && (n > 0 || a > 0) {
			break
		}
		arr, full, err := c.args[a].evalRows(c.alloc, rec, undecided)
		if err != nil {
			return nil, err
		}
		arms[a] = arr
		rest := undecided[:0]
		for j, row := range undecided {
			k := j
			if full {
				k = row
			}
			if a == last || arr.IsValid(k) {
				pick[row], pos[row] = a, k // the last argument takes the rows still NULL
			} else {
				rest = append(rest, row)
			}
		}
		undecided = rest
	}
	return gather(c.alloc, arms, pick, pos)
}

// cannotFail reports whether evaluating e can raise no error on any row, so running it on
// rows that do not need it is harmless. It is conservative: column references, literals,
// boolean logic, NULL tests, comparisons, string concatenation and the casts that widen
// a value, over operands that cannot fail; anything else (division, arithmetic that may
// overflow, casts that parse, functions) is taken to be able to fail.
func cannotFail(e planner.Expr) bool {
	switch x := e.(type) {
	case *planner.ColumnRef, *planner.Literal:
		return true
	case *planner.Not, *planner.IsNullTest, *planner.BoolTest, *planner.BoolOp,
		*planner.Case, *planner.Coalesce:
	case *planner.Cast:
		if !x.Try && !wideningCast(x.Arg.Type(), x.T) {
			return false
		}
	case *planner.Call:
		// || on text cannot fail; on arrays it can (mismatched dimensions).
		textConcat := x.Name == "||" && x.Type().Kind == types.Varchar
		if x.Volatility == function.Volatile || !(safeOperators[x.Name] || textConcat) {
			return false
		}
	default:
		return false
	}
	for _, c := range planner.Children(e) {
		if !cannotFail(c) {
			return false
		}
	}
	return true
}

// safeOperators are the calls that cannot fail on operands of their signature.
var safeOperators = map[string]bool{
	"=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true,
}

// wideningCast reports whether every value of from has a value in to.
func wideningCast(from, to types.T) bool {
	switch to.Kind {
	case types.Int32:
		return from.Kind == types.Int16
	case types.Int64:
		return from.Kind == types.Int16 || from.Kind == types.Int32
	case types.Float64:
		switch from.Kind {
		case types.Int16, types.Int32, types.Int64, types.Float32:
			return true
		}
	case types.Varchar:
		// Unbounded text holds the rendering of any scalar.
		return to.Precision == 0 && from.Kind != types.Array && from.Kind != types.Map && from.Kind != types.Struct
	case types.Timestamp:
		return from.Kind == types.Date
	}
	return false
}
