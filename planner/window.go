package planner

import (
	"fmt"
	"strings"

	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/types"
)

// Window computes window functions: it orders its input by PartitionBy (any consistent
// order) and then OrderBy, and appends one column per function to the input's columns. All
// of a Window's functions share its partitioning and ordering; each has its own frame. A
// query with windows of several specifications stacks one Window per specification, in
// order of first use. Windows sit after aggregation and HAVING and before the select list's
// projection, DISTINCT, ORDER BY and LIMIT, as in PostgreSQL.
type Window struct {
	Input       Node
	PartitionBy []Expr
	OrderBy     []SortKey
	Funcs       []WindowFunc
	Cols        []Column // the input's columns, then one per function
}

func (n *Window) Columns() []Column { return n.Cols }
func (n *Window) Inputs() []Node    { return []Node{n.Input} }
func (n *Window) String() string {
	order := make([]string, len(n.OrderBy))
	for i, k := range n.OrderBy {
		order[i] = k.String()
	}
	funcs := make([]string, len(n.Funcs))
	for i, f := range n.Funcs {
		funcs[i] = f.String()
	}
	return fmt.Sprintf("Window partition=[%s], order=[%s], funcs=[%s]", joinExprs(n.PartitionBy), strings.Join(order, ", "), strings.Join(funcs, ", "))
}

// WindowFunc is one window function call. A window function (Aggregate false) has a
// Sig.Kernel that follows function's window-kernel contract; an aggregate (Aggregate true)
// has Sig.Agg and is computed over each row's frame. Args and Filter are over the Window's
// input.
type WindowFunc struct {
	Name      string
	Sig       function.Sig
	Aggregate bool
	Args      []Expr
	Filter    Expr // aggregates only; nil when there is no FILTER (WHERE ...)
	Frame     Frame
	// UsesFrame is false for the functions that ignore the frame (row_number, rank, lag,
	// ...), whose frame EXPLAIN leaves out.
	UsesFrame bool
}

func (f WindowFunc) String() string {
	s := f.Name + "(" + joinExprs(f.Args) + ")"
	if f.Aggregate && len(f.Args) == 0 {
		s = f.Name + "(*)"
	}
	if f.Filter != nil {
		s += " FILTER (WHERE " + f.Filter.String() + ")"
	}
	if f.UsesFrame {
		s += " " + f.Frame.String()
	}
	return s
}

// FrameMode is how a frame's offsets count: rows, ORDER BY values, or peer groups.
type FrameMode uint8

const (
	FrameRange FrameMode = iota
	FrameRows
	FrameGroups
)

var frameModeNames = [...]string{"RANGE", "ROWS", "GROUPS"}

// BoundKind is where a frame bound is.
type BoundKind uint8

const (
	UnboundedPreceding BoundKind = iota
	OffsetPreceding
	CurrentRow
	OffsetFollowing
	UnboundedFollowing
)

// FrameBound is one end of a frame. ROWS and GROUPS offsets are Offset (rows or peer
// groups, >= 0). A RANGE offset bound is Value: the ORDER BY key moved by the offset toward
// the bound's side (key - offset for PRECEDING in ascending order), of the type of the
// Frame's Key, so the executor compares Key with Value.
type FrameBound struct {
	Kind   BoundKind
	Offset int64
	Value  Expr
	Text   string // the offset as written, for EXPLAIN
}

func (b FrameBound) String() string {
	switch b.Kind {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case OffsetPreceding:
		return b.Text + " PRECEDING"
	case CurrentRow:
		return "CURRENT ROW"
	case OffsetFollowing:
		return b.Text + " FOLLOWING"
	}
	return "UNBOUNDED FOLLOWING"
}

// Frame is the set of rows of a partition an aggregate or first_value / last_value /
// nth_value sees for a row. Key is the ORDER BY key cast to the RANGE offset bounds' type
// (nil unless a bound is a RANGE offset).
type Frame struct {
	Mode       FrameMode
	Start, End FrameBound
	Key        Expr
}

// DefaultFrame is the frame without a frame clause: RANGE BETWEEN UNBOUNDED PRECEDING AND
// CURRENT ROW, which is the whole partition when the window has no ORDER BY (every row is
// a peer of every other).
var DefaultFrame = Frame{Mode: FrameRange, Start: FrameBound{Kind: UnboundedPreceding}, End: FrameBound{Kind: CurrentRow}}

func (f Frame) String() string {
	return frameModeNames[f.Mode] + " BETWEEN " + f.Start.String() + " AND " + f.End.String()
}

// windowRef stands for the result of a window call while the select list and ORDER BY
// are bound; applyWindows replaces it with a reference to the Window's output column.
type windowRef struct {
	k    int
	name string
	t    types.T
}

func (e *windowRef) Type() types.T  { return e.t }
func (e *windowRef) String() string { return fmt.Sprintf("%s#w%d", e.name, e.k) }

// winSpec is a bound window specification: partitioning and ordering (the frame is per
// call).
type winSpec struct {
	partition []Expr
	order     []SortKey
	key       string
}

// winCall is one bound window call with its specification.
type winCall struct {
	fn   WindowFunc
	spec *winSpec
	key  string
}

// applyWindows stacks a Window per window specification on input, in order of first use,
// and points the window references of the select list and ORDER BY at their columns.
func (b *Binder) applyWindows(ws *winScope, input Node, targets []target, keys []orderKey) (Node, error) {
	if ws == nil || len(ws.calls) == 0 {
		return input, nil
	}
	pos := make([]int, len(ws.calls))
	node := input
	var specs []*winSpec
	seen := map[*winSpec]bool{}
	for _, c := range ws.calls {
		if !seen[c.spec] {
			seen[c.spec] = true
			specs = append(specs, c.spec)
		}
	}
	for _, sp := range specs {
		cols := append([]Column(nil), node.Columns()...)
		w := &Window{Input: node, PartitionBy: sp.partition, OrderBy: sp.order}
		for k, c := range ws.calls {
			if c.spec != sp {
				continue
			}
			pos[k] = len(cols)
			w.Funcs = append(w.Funcs, c.fn)
			cols = append(cols, Column{Name: c.fn.Name, Type: c.fn.Sig.Ret})
		}
		w.Cols = cols
		node = w
	}
	cols := node.Columns()
	fix := func(e Expr) Expr {
		if e == nil {
			return nil
		}
		return Rewrite(e, func(x Expr) Expr {
			if r, ok := x.(*windowRef); ok {
				return &ColumnRef{Index: pos[r.k], Name: cols[pos[r.k]].Name, T: r.t}
			}
			return x
		})
	}
	for i := range targets {
		targets[i].expr = fix(targets[i].expr)
	}
	for i := range keys {
		keys[i].expr = fix(keys[i].expr)
	}
	return node, nil
}
