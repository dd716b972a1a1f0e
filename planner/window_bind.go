package planner

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// PostgreSQL's FRAMEOPTION_* bits of WindowDef.FrameOptions (nodes/parsenodes.h).
const (
	frameNonDefault        = 0x00001
	frameRange             = 0x00002
	frameRows              = 0x00004
	frameGroups            = 0x00008
	frameStartUnboundedPre = 0x00020
	frameEndUnboundedFol   = 0x00100
	frameStartCurrentRow   = 0x00200
	frameEndCurrentRow     = 0x00400
	frameStartOffsetPre    = 0x00800
	frameEndOffsetPre      = 0x01000
	frameStartOffsetFol    = 0x02000
	frameEndOffsetFol      = 0x04000
	frameExclusion         = 0x08000 | 0x10000 | 0x20000
)

// winScope collects the window calls of one query level while its select list and ORDER BY
// are bound. input is the scope window arguments, PARTITION BY and ORDER BY are bound in:
// the FROM/WHERE scope, or the aggregate scope of an aggregated query.
type winScope struct {
	input *scope
	named map[string]*pg.WindowDef // the WINDOW clause
	specs []*winSpec
	calls []winCall
}

// newWinScope reads a query's WINDOW clause.
func (b *Binder) newWinScope(sel *pg.SelectStmt) (*winScope, error) {
	ws := &winScope{named: map[string]*pg.WindowDef{}}
	for _, n := range sel.WindowClause {
		wd := n.GetWindowDef()
		name := strings.ToLower(wd.Name)
		if _, dup := ws.named[name]; dup {
			return nil, sqlerr.New(codeWindowingError, "window %q is already defined", name).WithPosition(b.pos(wd.Location))
		}
		ws.named[name] = wd
	}
	return ws, nil
}

// containsWindow reports whether n has a window function call outside any subquery.
func containsWindow(n *pg.Node) bool { return windowLocation(n) != -2 }

// windowLocation returns the location of the first window function call in n outside any
// subquery, or -2 when there is none.
func windowLocation(n *pg.Node) int32 {
	loc := int32(-2)
	visitOutsideSubqueries(n, func(node *pg.Node) (bool, bool) {
		if fc := node.GetFuncCall(); fc != nil && fc.Over != nil {
			loc = fc.Location
			return false, true
		}
		return true, false
	})
	return loc
}

// noWindows fails when a clause that is evaluated before windows holds a window call.
func (b *Binder) noWindows(n *pg.Node, clause string) error {
	if n == nil {
		return nil
	}
	if loc := windowLocation(n); loc != -2 {
		return sqlerr.New(codeWindowingError, "window functions are not allowed in %s", clause).WithPosition(b.pos(loc))
	}
	return nil
}

// windowCall binds `f(args) [FILTER (WHERE ...)] OVER (...)` and returns a reference to its
// future output column.
func (b *Binder) windowCall(fc *pg.FuncCall, ws *winScope) (Expr, error) {
	name := funcName(fc)
	loc := fc.Location
	for _, a := range fc.Args {
		if containsWindow(a) {
			return nil, sqlerr.New(codeWindowingError, "window function calls cannot be nested").WithPosition(b.pos(loc))
		}
	}
	var args []Expr
	if !fc.AggStar {
		var err error
		if args, err = b.exprs(fc.Args, ws.input); err != nil {
			return nil, err
		}
	}
	f := b.funcs.Lookup(name)
	if f == nil {
		return nil, b.undefinedFunction(name, args, loc)
	}
	isAgg := f.Kind == function.AggregateKind
	switch {
	case f.Kind == function.ScalarKind:
		return nil, sqlerr.New(sqlerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name).WithPosition(b.pos(loc))
	case fc.AggDistinct:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "DISTINCT is not implemented for window functions").WithPosition(b.pos(loc))
	case len(fc.AggOrder) > 0 || fc.AggWithinGroup:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "aggregate ORDER BY is not implemented for window functions").WithPosition(b.pos(loc))
	case fc.AggFilter != nil && !isAgg:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "FILTER is not implemented for non-aggregate window functions").WithPosition(b.pos(loc))
	case fc.AggStar && !(isAgg && name == "count"):
		return nil, sqlerr.New(sqlerr.WrongObjectType, "%s(*) specified, but %s is not a parameterless aggregate function", name, name).WithPosition(b.pos(loc))
	}
	argTypes := make([]types.T, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	sig, ok := f.Bind(argTypes)
	if !ok {
		changed := false
		for i, t := range argTypes {
			if t.Kind == types.Unknown {
				argTypes[i], changed = types.VarcharT, true
			}
		}
		if changed {
			sig, ok = f.Bind(argTypes)
		}
	}
	if !ok {
		return nil, b.undefinedFunction(name, args, loc)
	}
	for i := range args {
		if i < len(sig.Args) {
			c, err := b.cast(args[i], sig.Args[i], false, loc)
			if err != nil {
				return nil, err
			}
			args[i] = c
		}
	}
	wf := WindowFunc{Name: name, Sig: sig, Aggregate: isAgg, Args: args, UsesFrame: function.FrameDependent(f)}
	if fc.AggFilter != nil {
		if containsWindow(fc.AggFilter) {
			return nil, sqlerr.New(codeWindowingError, "window function calls cannot be nested").WithPosition(b.pos(loc))
		}
		cond, err := b.expr(fc.AggFilter, ws.input)
		if err != nil {
			return nil, err
		}
		if wf.Filter, err = b.coerceBool(cond, loc); err != nil {
			return nil, err
		}
	}
	spec, frame, err := b.windowSpec(fc.Over, ws)
	if err != nil {
		return nil, err
	}
	wf.Frame = frame
	call := winCall{fn: wf, spec: spec, key: wf.String() + " " + frame.String() + " OVER " + spec.key}
	for k, c := range ws.calls {
		if c.key == call.key {
			return &windowRef{k: k, name: name, t: sig.Ret}, nil
		}
	}
	ws.calls = append(ws.calls, call)
	return &windowRef{k: len(ws.calls) - 1, name: name, t: sig.Ret}, nil
}

// resolvedWindow is a window definition with references to named windows followed.
type resolvedWindow struct {
	partition, order []*pg.Node
	frame            *pg.WindowDef // the definition whose frame clause applies (nil: default)
}

// resolveWindow follows `OVER w` and `OVER (w ...)` to the WINDOW clause, with PostgreSQL's
// rules for what a reference may add: ORDER BY only if the named window has none, a frame
// only by copying (not by extending) a window with a frame, never PARTITION BY.
func (b *Binder) resolveWindow(wd *pg.WindowDef, ws *winScope, depth int) (resolvedWindow, error) {
	if depth > len(ws.named)+1 {
		return resolvedWindow{}, sqlerr.New(codeWindowingError, "window definitions refer to each other in a cycle").WithPosition(b.pos(wd.Location))
	}
	lookup := func(name string) (resolvedWindow, error) {
		ref, ok := ws.named[strings.ToLower(name)]
		if !ok {
			return resolvedWindow{}, sqlerr.New(sqlerr.UndefinedObject, "window %q does not exist", strings.ToLower(name)).WithPosition(b.pos(wd.Location))
		}
		return b.resolveWindow(ref, ws, depth+1)
	}
	// `OVER w` (a name and nothing else) in a call; in the WINDOW clause Name is the
	// definition's own name.
	if wd.Name != "" && depth == 0 {
		return lookup(wd.Name)
	}
	out := resolvedWindow{partition: wd.PartitionClause, order: wd.OrderClause}
	if wd.FrameOptions&frameNonDefault != 0 {
		out.frame = wd
	}
	if wd.Refname == "" {
		return out, nil
	}
	ref, err := lookup(wd.Refname)
	if err != nil {
		return resolvedWindow{}, err
	}
	refName := strings.ToLower(wd.Refname)
	if len(wd.PartitionClause) > 0 {
		return resolvedWindow{}, sqlerr.New(codeWindowingError, "cannot override PARTITION BY clause of window %q", refName).WithPosition(b.pos(wd.Location))
	}
	if len(wd.OrderClause) > 0 && len(ref.order) > 0 {
		return resolvedWindow{}, sqlerr.New(codeWindowingError, "cannot override ORDER BY clause of window %q", refName).WithPosition(b.pos(wd.Location))
	}
	if ref.frame != nil {
		return resolvedWindow{}, sqlerr.New(codeWindowingError, "cannot copy window %q because it has a frame clause", refName).
			WithHint("Omit the parentheses in this OVER clause.").WithPosition(b.pos(wd.Location))
	}
	out.partition = ref.partition
	if len(out.order) == 0 {
		out.order = ref.order
	}
	return out, nil
}

// windowSpec binds a call's OVER clause: the shared specification (found again when an
// equal one was bound before) and the call's frame.
func (b *Binder) windowSpec(wd *pg.WindowDef, ws *winScope) (*winSpec, Frame, error) {
	rw, err := b.resolveWindow(wd, ws, 0)
	if err != nil {
		return nil, Frame{}, err
	}
	for _, n := range append(append([]*pg.Node(nil), rw.partition...), rw.order...) {
		if containsWindow(n) {
			return nil, Frame{}, sqlerr.New(codeWindowingError, "window functions are not allowed in window definitions").WithPosition(b.pos(exprLocation(n)))
		}
	}
	part, err := b.exprs(rw.partition, ws.input)
	if err != nil {
		return nil, Frame{}, err
	}
	var order []SortKey
	var keyParts []string
	for _, n := range rw.order {
		sb := n.GetSortBy()
		if sb.SortbyDir == pg.SortByDir_SORTBY_USING {
			return nil, Frame{}, sqlerr.New(sqlerr.FeatureNotSupported, "ORDER BY ... USING is not supported").WithPosition(b.pos(sb.Location))
		}
		e, err := b.expr(sb.Node, ws.input)
		if err != nil {
			return nil, Frame{}, err
		}
		if e.Type().Kind == types.Unknown {
			if e, err = b.cast(e, types.VarcharT, false, sb.Location); err != nil {
				return nil, Frame{}, err
			}
		}
		if dup := func() bool {
			for _, o := range order {
				if o.Expr.String() == e.String() {
					return true
				}
			}
			return false
		}(); dup {
			continue // a repeated key orders nothing more (PostgreSQL drops it too)
		}
		k := SortKey{Expr: e, Desc: sb.SortbyDir == pg.SortByDir_SORTBY_DESC}
		k.NullsFirst = k.Desc
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			k.NullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			k.NullsFirst = false
		}
		order = append(order, k)
		keyParts = append(keyParts, k.String())
	}
	key := "partition=[" + joinExprs(part) + "] order=[" + strings.Join(keyParts, ", ") + "]"
	var spec *winSpec
	for _, s := range ws.specs {
		if s.key == key {
			spec = s
			break
		}
	}
	if spec == nil {
		spec = &winSpec{partition: part, order: order, key: key}
		ws.specs = append(ws.specs, spec)
	}
	frame := DefaultFrame
	if rw.frame != nil {
		if frame, err = b.frame(rw.frame, spec.order); err != nil {
			return nil, Frame{}, err
		}
	}
	return spec, frame, nil
}

// frame binds a frame clause.
func (b *Binder) frame(wd *pg.WindowDef, order []SortKey) (Frame, error) {
	opts := wd.FrameOptions
	loc := wd.Location
	if opts&frameExclusion != 0 {
		return Frame{}, sqlerr.New(sqlerr.FeatureNotSupported, "frame exclusion (EXCLUDE ...) is not supported yet").WithPosition(b.pos(loc))
	}
	f := Frame{Mode: FrameRange}
	switch {
	case opts&frameRows != 0:
		f.Mode = FrameRows
	case opts&frameGroups != 0:
		f.Mode = FrameGroups
		if len(order) == 0 {
			return Frame{}, sqlerr.New(codeWindowingError, "GROUPS mode requires an ORDER BY clause").WithPosition(b.pos(loc))
		}
	}
	switch {
	case opts&frameStartUnboundedPre != 0:
		f.Start.Kind = UnboundedPreceding
	case opts&frameStartCurrentRow != 0:
		f.Start.Kind = CurrentRow
	case opts&frameStartOffsetPre != 0:
		f.Start.Kind = OffsetPreceding
	case opts&frameStartOffsetFol != 0:
		f.Start.Kind = OffsetFollowing
	}
	switch {
	case opts&frameEndUnboundedFol != 0:
		f.End.Kind = UnboundedFollowing
	case opts&frameEndCurrentRow != 0:
		f.End.Kind = CurrentRow
	case opts&frameEndOffsetPre != 0:
		f.End.Kind = OffsetPreceding
	case opts&frameEndOffsetFol != 0:
		f.End.Kind = OffsetFollowing
	default:
		f.End.Kind = CurrentRow
	}
	offset := func(bd *FrameBound, n *pg.Node, what string) error {
		if bd.Kind != OffsetPreceding && bd.Kind != OffsetFollowing {
			return nil
		}
		return b.frameOffset(&f, bd, n, order, what, loc)
	}
	if err := offset(&f.Start, wd.StartOffset, "starting"); err != nil {
		return Frame{}, err
	}
	if err := offset(&f.End, wd.EndOffset, "ending"); err != nil {
		return Frame{}, err
	}
	return f, nil
}

// frameOffset binds one bound's offset: a constant, not NULL and not negative. ROWS and
// GROUPS offsets are bigints; a RANGE offset moves the single ORDER BY key.
func (b *Binder) frameOffset(f *Frame, bd *FrameBound, n *pg.Node, order []SortKey, what string, loc int32) error {
	mode := frameModeNames[f.Mode]
	if containsWindow(n) || b.containsAgg(n) {
		return sqlerr.New(codeWindowingError, "argument of %s must not contain aggregate or window functions", mode).WithPosition(b.pos(exprLocation(n)))
	}
	e, err := b.expr(n, newScope(nil))
	if err != nil {
		if sqlerr.Code(err) == sqlerr.UndefinedColumn || sqlerr.Code(err) == sqlerr.UndefinedTable {
			return sqlerr.New(sqlerr.InvalidColumnReference, "argument of %s must not contain variables", mode).WithPosition(b.pos(exprLocation(n)))
		}
		return err
	}
	if f.Mode != FrameRange {
		if e, err = b.cast(e, types.Int64T, false, exprLocation(n)); err != nil {
			return err
		}
	}
	lit, ok := e.(*Literal)
	if !ok {
		return sqlerr.New(sqlerr.FeatureNotSupported, "frame offsets must be constants").WithPosition(b.pos(exprLocation(n)))
	}
	bd.Text = lit.Text
	if lit.IsNull() {
		return sqlerr.New(codeNullNotAllowed, "frame %s offset must not be null", what)
	}
	if f.Mode != FrameRange {
		bd.Offset = lit.Value.(*array.Int64).Value(0)
		if bd.Offset < 0 {
			return sqlerr.New(codeInvalidFrameOffset, "frame %s offset must not be negative", what)
		}
		return nil
	}
	if len(order) != 1 {
		return sqlerr.New(codeWindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column").WithPosition(b.pos(loc))
	}
	if negative(lit) {
		return sqlerr.New(codeInvalidFrameOffset, "invalid preceding or following size in window function")
	}
	key := order[0].Expr
	if !comparableKind(key.Type()) {
		return sqlerr.New(sqlerr.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", key.Type()).WithPosition(b.pos(exprLocation(n)))
	}
	switch key.Type().Kind {
	case types.Int16, types.Int32:
		// Widened so that key ± offset cannot overflow.
		if key, err = b.cast(key, types.Int64T, false, loc); err != nil {
			return err
		}
	}
	op := "+"
	if (bd.Kind == OffsetPreceding) != order[0].Desc {
		op = "-"
	}
	v, err := b.binary(op, key, lit, loc)
	if err != nil || !comparableKind(v.Type()) {
		return sqlerr.New(sqlerr.UndefinedFunction, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", order[0].Expr.Type(), lit.Type()).WithPosition(b.pos(exprLocation(n)))
	}
	if !v.Type().Equal(key.Type()) {
		if key, err = b.cast(key, v.Type(), false, loc); err != nil {
			return err
		}
	}
	bd.Value = v
	f.Key = key
	return nil
}

// comparableKind reports whether RANGE offsets can compare values of type t.
func comparableKind(t types.T) bool {
	switch t.Kind {
	case types.Int16, types.Int32, types.Int64, types.Float32, types.Float64, types.Decimal,
		types.Date, types.Timestamp, types.TimestampTZ, types.Time, types.Interval:
		return true
	}
	return false
}

// negative reports whether a numeric or interval literal is below zero.
func negative(l *Literal) bool {
	switch a := l.Value.(type) {
	case *array.Int16:
		return a.Value(0) < 0
	case *array.Int32:
		return a.Value(0) < 0
	case *array.Int64:
		return a.Value(0) < 0
	case *array.Float32:
		return a.Value(0) < 0
	case *array.Float64:
		return a.Value(0) < 0
	case *array.Decimal128:
		return a.Value(0).Sign() < 0
	case *array.MonthDayNanoInterval:
		v := a.Value(0)
		return v.Months < 0 || v.Days < 0 || v.Nanoseconds < 0
	}
	return false
}
