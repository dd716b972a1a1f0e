package planner

import (
	"fmt"
	"strings"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/types"
)

// Column is one output column of a plan node.
type Column struct {
	Name  string
	Table string // the qualifier it can be referenced by ("" for computed columns)
	Type  types.T
	// Hidden columns (sort keys not in the select list) are dropped before results leave.
	Hidden bool
	// QualifiedOnly columns are found only by a qualified name (t.a), never by a bare
	// name or *: the two sides' copies of a JOIN ... USING column, whose merged column
	// takes the bare name.
	QualifiedOnly bool
}

// Node is a plan node. Nodes are immutable values: rules build new nodes rather than
// change old ones, so a plan can be explained, cached and run more than once.
type Node interface {
	Columns() []Column
	Inputs() []Node
	// String is the node's one EXPLAIN line: `Name key=value, ...`.
	String() string
}

// Scan reads a table's files. It produces the columns in Projection (indexes into
// DataColumns followed by PartitionKeys) and applies Filters (conjuncts over its own
// output) before returning rows.
type Scan struct {
	Database, Table string
	Alias           string
	Location        string
	Format          string
	Options         formats.Options
	DataColumns     []formats.Column
	PartitionKeys   []formats.Column
	Partitioned     bool
	Projection      []int
	Filters         []Expr
}

func (n *Scan) Columns() []Column {
	out := make([]Column, len(n.Projection))
	for i, p := range n.Projection {
		c := n.column(p)
		out[i] = Column{Name: c.Name, Table: n.Alias, Type: c.Type}
	}
	return out
}

func (n *Scan) column(i int) formats.Column {
	if i < len(n.DataColumns) {
		return n.DataColumns[i]
	}
	return n.PartitionKeys[i-len(n.DataColumns)]
}

func (n *Scan) Inputs() []Node { return nil }
func (n *Scan) String() string {
	names := make([]string, len(n.Projection))
	for i, p := range n.Projection {
		names[i] = n.column(p).Name
	}
	s := fmt.Sprintf("Scan table=%s.%s, format=%s, columns=[%s]", n.Database, n.Table, n.Format, strings.Join(names, ", "))
	if len(n.Filters) > 0 {
		s += ", filter=" + joinExprs(n.Filters)
	}
	return s
}

// Values produces constant rows (SELECT without FROM, VALUES lists).
type Values struct {
	Cols []Column
	Rows [][]Expr
}

func (n *Values) Columns() []Column { return n.Cols }
func (n *Values) Inputs() []Node    { return nil }
func (n *Values) String() string    { return fmt.Sprintf("Values rows=%d", len(n.Rows)) }

// Filter keeps the rows for which Cond is true.
type Filter struct {
	Input Node
	Cond  Expr
}

func (n *Filter) Columns() []Column { return n.Input.Columns() }
func (n *Filter) Inputs() []Node    { return []Node{n.Input} }
func (n *Filter) String() string    { return "Filter cond=" + n.Cond.String() }

// Project computes one output column per expression.
type Project struct {
	Input Node
	Exprs []Expr
	Cols  []Column
}

func (n *Project) Columns() []Column { return n.Cols }
func (n *Project) Inputs() []Node    { return []Node{n.Input} }
func (n *Project) String() string {
	parts := make([]string, len(n.Exprs))
	for i, e := range n.Exprs {
		parts[i] = e.String()
		if n.Cols[i].Name != "" {
			parts[i] += " AS " + n.Cols[i].Name
		}
	}
	return "Project exprs=[" + strings.Join(parts, ", ") + "]"
}

// AggCall is one aggregate of an Aggregate node.
type AggCall struct {
	Name     string
	Sig      function.Sig
	Args     []Expr
	Distinct bool
	Filter   Expr // nil when there is no FILTER (WHERE ...)
	// Order is the aggregate's ORDER BY (array_agg(x ORDER BY y)): the last len(Order)
	// entries of Args are its keys, kept among the arguments so that rules remap them
	// with the rest. Sig describes the arguments before them.
	Order []AggOrder
}

// AggOrder is the direction of one ORDER BY key of an aggregate call.
type AggOrder struct {
	Desc       bool
	NullsFirst bool
}

func (a AggCall) String() string {
	s := a.Name + "("
	if a.Distinct {
		s += "DISTINCT "
	}
	args := a.Args[:len(a.Args)-len(a.Order)]
	if len(args) == 0 {
		s += "*"
	}
	s += joinExprs(args)
	for i, o := range a.Order {
		if i == 0 {
			s += " ORDER BY "
		} else {
			s += ", "
		}
		s += SortKey{Expr: a.Args[len(args)+i], Desc: o.Desc, NullsFirst: o.NullsFirst}.String()
	}
	s += ")"
	if a.Filter != nil {
		s += " FILTER (WHERE " + a.Filter.String() + ")"
	}
	return s
}

// Aggregate groups its input by GroupBy and computes Aggs per group. Its output is the group
// keys followed by the aggregates. With no GroupBy it yields exactly one row.
type Aggregate struct {
	Input   Node
	GroupBy []Expr
	Aggs    []AggCall
	Cols    []Column
	// GlobalSets, over a GroupId, are the numbers of the empty grouping sets `()`: the
	// last group key is the set number, and each of these yields its row (NULL keys) even
	// over no input, as a global aggregate does.
	GlobalSets []int32
}

func (n *Aggregate) Columns() []Column { return n.Cols }
func (n *Aggregate) Inputs() []Node    { return []Node{n.Input} }
func (n *Aggregate) String() string {
	aggs := make([]string, len(n.Aggs))
	for i, a := range n.Aggs {
		aggs[i] = a.String()
	}
	s := fmt.Sprintf("Aggregate group=[%s], aggs=[%s]", joinExprs(n.GroupBy), strings.Join(aggs, ", "))
	if len(n.GlobalSets) > 0 {
		s += fmt.Sprintf(", global_sets=%v", n.GlobalSets)
	}
	return s
}

// SortKey is one ORDER BY key.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

func (k SortKey) String() string {
	s := k.Expr.String()
	if k.Desc {
		s += " DESC"
	}
	if k.NullsFirst {
		s += " NULLS FIRST"
	} else {
		s += " NULLS LAST"
	}
	return s
}

// Sort orders its input.
type Sort struct {
	Input Node
	Keys  []SortKey
}

func (n *Sort) Columns() []Column { return n.Input.Columns() }
func (n *Sort) Inputs() []Node    { return []Node{n.Input} }
func (n *Sort) String() string {
	parts := make([]string, len(n.Keys))
	for i, k := range n.Keys {
		parts[i] = k.String()
	}
	return "Sort keys=[" + strings.Join(parts, ", ") + "]"
}

// Limit skips Offset rows and then passes at most Count rows (Count < 0: no limit).
type Limit struct {
	Input  Node
	Count  int64
	Offset int64
}

func (n *Limit) Columns() []Column { return n.Input.Columns() }
func (n *Limit) Inputs() []Node    { return []Node{n.Input} }
func (n *Limit) String() string    { return fmt.Sprintf("Limit count=%d, offset=%d", n.Count, n.Offset) }

// Explain formats a plan tree, one node per line, children indented by two spaces, then the
// plan of each materialized CTE it reads under a `CTE name` line.
func Explain(n Node) string {
	var b strings.Builder
	var walk func(n Node, depth int)
	walk = func(n Node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(n.String())
		b.WriteByte('\n')
		for _, c := range n.Inputs() {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	for _, c := range CTEs(n) { // materialized CTEs, once each (plan_cte.go)
		b.WriteString("CTE " + c.Name + "\n")
		walk(c.Plan, 1)
	}
	return b.String()
}

// TableFormat returns the format name and reader options of a catalog table.
func TableFormat(t *catalog.Table) (string, formats.Options) {
	opts := formats.Options{}
	for k, v := range t.StorageDescriptor.SerdeInfo.Parameters {
		opts[k] = v
	}
	for k, v := range t.Parameters {
		opts[k] = v
	}
	f := t.Format()
	if f == "" {
		f = "csv"
	}
	return f, opts
}

// JoinKind is the kind of a Join.
type JoinKind uint8

const (
	// InnerJoin keeps the pairs of rows that match.
	InnerJoin JoinKind = iota
	// LeftJoin keeps the matching pairs and every unmatched left row, padded with NULLs.
	LeftJoin
	// RightJoin keeps the matching pairs and every unmatched right row, padded with NULLs.
	RightJoin
	// FullJoin keeps the matching pairs and the unmatched rows of both sides.
	FullJoin
	// SemiJoin keeps each left row that has at least one match; its output is the left's
	// columns.
	SemiJoin
	// AntiJoin keeps each left row that has no match; its output is the left's columns.
	AntiJoin
	// RightSemiJoin and RightAntiJoin are SemiJoin and AntiJoin with the sides swapped,
	// so that the smaller side can be the one the executor builds a hash table of.
	RightSemiJoin
	RightAntiJoin
	// MarkJoin keeps every left row and appends a boolean column: whether the row has a
	// match (EXISTS and IN anywhere in an expression). With NullAware it is IN's
	// three-valued answer for a single key: NULL instead of false when the left key is
	// NULL (and the right side is not empty) or the right side has a NULL key.
	MarkJoin
	// SingleJoin is a LeftJoin for scalar subqueries: a left row with more than one match
	// is an error (21000).
	SingleJoin
)

var joinKindNames = [...]string{"inner", "left", "right", "full", "semi", "anti", "right_semi", "right_anti", "mark", "single"}

func (k JoinKind) String() string { return joinKindNames[k] }

// LeftOnly reports whether the join's output is the left's columns only (and MarkJoin's
// mark).
func (k JoinKind) LeftOnly() bool { return k == SemiJoin || k == AntiJoin || k == MarkJoin }

// RightOnly reports whether the join's output is the right's columns only.
func (k JoinKind) RightOnly() bool { return k == RightSemiJoin || k == RightAntiJoin }

// Join combines two inputs. A left row and a right row match when every equi-key pair is
// equal (a NULL key never matches) and Cond is true. LeftKeys are over the left's columns,
// RightKeys over the right's; Cond (nil: true) is over the left's columns followed by the
// right's. The executor builds a hash table of the right side and streams the left side
// through it, so rules put the smaller side on the right.
type Join struct {
	Kind        JoinKind
	Left, Right Node
	LeftKeys    []Expr
	RightKeys   []Expr
	Cond        Expr
	// NullAware makes an AntiJoin NOT IN's: no row at all when the right side has a NULL
	// key, and a left row with a NULL key only when the right side is empty. With a
	// MarkJoin see MarkJoin. It needs exactly one key pair and no Cond.
	NullAware bool
	// MarkName names MarkJoin's boolean column.
	MarkName string
}

func (n *Join) Columns() []Column {
	switch {
	case n.Kind.RightOnly():
		return n.Right.Columns()
	case n.Kind == MarkJoin:
		return append(append([]Column(nil), n.Left.Columns()...), Column{Name: n.MarkName, Type: types.BoolT})
	case n.Kind.LeftOnly():
		return n.Left.Columns()
	}
	return append(append([]Column(nil), n.Left.Columns()...), n.Right.Columns()...)
}

func (n *Join) Inputs() []Node { return []Node{n.Left, n.Right} }
func (n *Join) String() string {
	s := "Join kind=" + n.Kind.String()
	if len(n.LeftKeys) > 0 {
		pairs := make([]string, len(n.LeftKeys))
		for i := range n.LeftKeys {
			pairs[i] = n.LeftKeys[i].String() + " = " + n.RightKeys[i].String()
		}
		s += ", keys=[" + strings.Join(pairs, ", ") + "]"
	}
	if n.Cond != nil {
		s += ", cond=" + n.Cond.String()
	}
	if n.NullAware {
		s += ", null_aware"
	}
	return s
}
