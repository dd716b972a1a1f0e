package planner

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// aggregateNode builds the Aggregate of an aggregated query over input. With grouping sets
// it is a hash aggregation like any other, over a GroupId that emits each input row once
// per set: a Project appends the grouping expressions to the input's columns, GroupId
// nulls the ones a set does not group by and appends the set number, and the Aggregate
// groups by those columns and the number. The aggregates' arguments read the input's
// columns, which GroupId passes through unchanged, so sum(a) in a set that rolled a up
// still sums the values of a.
func (a *aggScope) aggregateNode(input Node) Node {
	if a.sets == nil {
		return &Aggregate{Input: input, GroupBy: a.groups, Aggs: a.aggs, Cols: a.columns()}
	}
	inCols := input.Columns()
	nin := len(inCols)
	exprs := make([]Expr, 0, nin+len(a.groups))
	cols := make([]Column, 0, nin+len(a.groups))
	for i, c := range inCols {
		exprs = append(exprs, &ColumnRef{Index: i, Name: c.Name, T: c.Type})
		cols = append(cols, c)
	}
	keys := make([]int, len(a.groups))
	for k, g := range a.groups {
		keys[k] = nin + k
		exprs = append(exprs, g)
		cols = append(cols, Column{Name: columnName(g), Type: g.Type(), Hidden: true})
	}
	gid := &GroupId{Input: &Project{Input: input, Exprs: exprs, Cols: cols}, Keys: keys, Sets: a.sets}
	groupBy := make([]Expr, 0, len(a.groups)+1)
	for k, g := range a.groups {
		groupBy = append(groupBy, &ColumnRef{Index: nin + k, Name: columnName(g), T: g.Type()})
	}
	groupBy = append(groupBy, &ColumnRef{Index: nin + len(a.groups), Name: GroupIdColumn, T: types.Int32T})
	var global []int32
	for s, set := range a.sets {
		if len(set) == 0 {
			global = append(global, int32(s))
		}
	}
	return &Aggregate{Input: gid, GroupBy: groupBy, Aggs: a.aggs, Cols: a.columns(), GlobalSets: global}
}

// distinctSets drops repeated grouping sets (GROUP BY DISTINCT), keeping the first of each.
func (a *aggScope) distinctSets() {
	if a.sets == nil {
		return
	}
	var out [][]int
	var seen [][]int
	for _, s := range a.sets {
		sorted := slices.Clone(s)
		slices.Sort(sorted)
		dup := false
		for _, t := range seen {
			if slices.Equal(t, sorted) {
				dup = true
				break
			}
		}
		if !dup {
			seen = append(seen, sorted)
			out = append(out, s)
		}
	}
	a.sets = out
	if len(out) == 1 {
		a.sets = nil
	}
}

// groupingFunc binds GROUPING(e1, ..., en): an int4 bit mask with bit n-1-i set when the
// current row's grouping set does not group by ei (ei rolled up), so the leftmost argument
// is the most significant bit, as in PostgreSQL. Every argument must be a grouping
// expression. The mask is a function of the set number: a CASE over it, or a constant when
// every set gives the same mask (0 for a plain GROUP BY).
func (b *Binder) groupingFunc(gf *pg.GroupingFunc, a *aggScope) (Expr, error) {
	if len(gf.Args) >= 32 {
		return nil, sqlerr.New(codeTooManyArguments, "GROUPING must have fewer than 32 arguments").WithPosition(b.pos(gf.Location))
	}
	pos := make([]int, len(gf.Args))
	for i, n := range gf.Args {
		if b.containsAgg(n) {
			return nil, sqlerr.New(sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level").WithPosition(b.pos(exprLocation(n)))
		}
		e, err := b.expr(n, a.input)
		if err != nil {
			return nil, err
		}
		if pos[i] = a.groupIndex(e); pos[i] < 0 {
			return nil, sqlerr.New(sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level").WithPosition(b.pos(exprLocation(n)))
		}
	}
	if a.sets == nil {
		return NewLiteral(types.Int32T, int32(0)), nil
	}
	masks := make([]int32, len(a.sets))
	for s, set := range a.sets {
		for i, p := range pos {
			if !slices.Contains(set, p) {
				masks[s] |= 1 << (len(pos) - 1 - i)
			}
		}
	}
	// One WHEN per distinct mask but the first set's, which is the ELSE.
	gid := &ColumnRef{Index: len(a.groups), Name: GroupIdColumn, T: types.Int32T}
	var whens []When
	var order []int32
	bySets := map[int32][]Expr{}
	for s, m := range masks {
		if m == masks[0] {
			continue
		}
		if _, ok := bySets[m]; !ok {
			order = append(order, m)
		}
		bySets[m] = append(bySets[m], NewLiteral(types.Int32T, int32(s)))
	}
	if len(order) == 0 {
		return NewLiteral(types.Int32T, masks[0]), nil
	}
	for _, m := range order {
		var conds []Expr
		for _, lit := range bySets[m] {
			eq, err := b.call("=", []Expr{gid, lit}, gf.Location)
			if err != nil {
				return nil, err
			}
			conds = append(conds, eq)
		}
		cond := conds[0]
		if len(conds) > 1 {
			cond = &BoolOp{Args: conds}
		}
		whens = append(whens, When{Cond: cond, Result: NewLiteral(types.Int32T, m)})
	}
	return &Case{Whens: whens, Else: NewLiteral(types.Int32T, masks[0]), T: types.Int32T}, nil
}
