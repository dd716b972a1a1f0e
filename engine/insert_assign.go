package engine

import (
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Assignment: how the rows an INSERT's query yields become the table's columns, as
// PostgreSQL's assignment casts and constraints have them.

// assignable reports whether PostgreSQL converts a value of type from to a column of type to
// on assignment: the implicit casts, any number to any number, anything to text, and
// timestamps to dates and times.
func assignable(from, to types.T) bool {
	switch {
	case from.Kind == types.Unknown, function.ImplicitCast(from, to):
		return true
	case from.IsNumeric() && to.IsNumeric():
		return true
	case to.Kind == types.Varchar:
		return true
	case from.Kind == types.Timestamp && (to.Kind == types.Date || to.Kind == types.Time):
		return true
	case from.Kind == types.TimestampTZ && (to.Kind == types.Date || to.Kind == types.Time || to.Kind == types.Timestamp):
		return true
	}
	return false
}

// assignTo converts a plan's columns (one per table column, in order) to the table's types
// and returns the checks every batch must pass before it is written: NOT NULL columns and
// varchar(n) lengths.
func assignTo(node planner.Node, cols []formats.Column, t *catalog.Table) (planner.Node, func(arrow.Record) error, error) {
	in := node.Columns()
	visible := visibleColumns(node)
	if len(visible) != len(cols) {
		return nil, nil, sqlerr.New(sqlerr.InternalError, "INSERT query has %d columns for %d table columns", len(visible), len(cols))
	}
	exprs := make([]planner.Expr, len(cols))
	out := make([]planner.Column, len(cols))
	for i, c := range cols {
		src := in[visible[i]]
		var e planner.Expr = &planner.ColumnRef{Index: visible[i], Name: src.Name, T: src.Type}
		to := c.Type
		if to.Kind == types.Varchar {
			to = types.VarcharT // the length is checked, not truncated to
		}
		if !src.Type.Equal(to) && !(src.Type.Kind == types.Varchar && to.Kind == types.Varchar) {
			if !assignable(src.Type, c.Type) {
				return nil, nil, sqlerr.New(sqlerr.DatatypeMismatch, "column %q is of type %s but expression is of type %s", c.Name, c.Type, src.Type).
					WithHint("You will need to rewrite or cast the expression.")
			}
			k, err := function.Cast(src.Type, to, false)
			if err != nil {
				return nil, nil, sqlerr.Wrap(err, sqlerr.DatatypeMismatch, "column %q is of type %s but expression is of type %s", c.Name, c.Type, src.Type)
			}
			e = &planner.Cast{Arg: e, T: to, Kernel: k}
		}
		exprs[i] = e
		out[i] = planner.Column{Name: c.Name, Type: to}
	}
	notNull := notNullColumns(t)
	type lengthCheck struct {
		col int
		max int
	}
	var nulls []int
	var lengths []lengthCheck
	for i, c := range cols {
		if notNull[c.Name] {
			nulls = append(nulls, i)
		}
		if c.Type.Kind == types.Varchar && c.Type.Precision > 0 {
			lengths = append(lengths, lengthCheck{i, int(c.Type.Precision)})
		}
	}
	check := func(rec arrow.Record) error {
		for _, i := range nulls {
			if rec.Column(i).NullN() > 0 {
				return sqlerr.New(notNullViolation, "null value in column %q of relation %q violates not-null constraint", cols[i].Name, t.Name)
			}
		}
		for _, l := range lengths {
			if s, ok := rec.Column(l.col).(*array.String); ok && tooLong(s, l.max) {
				return sqlerr.New(sqlerr.StringDataRightTruncation, "value too long for type %s", cols[l.col].Type)
			}
		}
		return nil
	}
	if len(nulls) == 0 && len(lengths) == 0 {
		check = nil
	}
	return &planner.Project{Input: node, Exprs: exprs, Cols: out}, check, nil
}

// tooLong reports whether a string of the column has more than max characters. Bytes bound
// characters from above, so only long values are counted.
func tooLong(s *array.String, max int) bool {
	for i := 0; i < s.Len(); i++ {
		if s.IsNull(i) {
			continue
		}
		if v := s.Value(i); len(v) > max && utf8.RuneCountInString(v) > max {
			return true
		}
	}
	return false
}
