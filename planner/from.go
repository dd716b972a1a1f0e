package planner

import (
	"errors"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// bindFrom binds the FROM clause. No FROM is one row of no columns.
func (b *Binder) bindFrom(from []*pg.Node) (Node, error) {
	if len(from) == 0 {
		return &Values{Rows: [][]Expr{{}}}, nil
	}
	items := make([]Node, len(from))
	for i, f := range from {
		n, err := b.fromItem(f)
		if err != nil {
			return nil, err
		}
		items[i] = n
	}
	return crossJoin(items), nil
}

func (b *Binder) fromItem(n *pg.Node) (Node, error) {
	switch {
	case n.GetRangeVar() != nil:
		return b.tableRef(n.GetRangeVar())
	case n.GetRangeSubselect() != nil:
		rs := n.GetRangeSubselect()
		if rs.Lateral {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "LATERAL subqueries are not supported yet")
		}
		sub, err := b.bindSelect(rs.Subquery.GetSelectStmt())
		if err != nil {
			return nil, err
		}
		alias := ""
		var colNames []string
		if rs.Alias != nil {
			alias = strings.ToLower(rs.Alias.Aliasname)
			colNames = names(rs.Alias.Colnames)
		}
		return requalify(sub, alias, colNames)
	case n.GetJoinExpr() != nil:
		return b.joinExpr(n.GetJoinExpr())
	case n.GetRangeFunction() != nil:
		return b.rangeFunction(n.GetRangeFunction()) // unnest.go
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "FROM item not supported yet")
}

// requalify gives a subquery's (or join's) output columns a new qualifier and, optionally,
// new names for its visible columns in order. Columns reachable only by their old
// qualifier (a USING join's copies) become hidden: the alias hides the old names.
func requalify(n Node, alias string, colNames []string) (Node, error) {
	cols := n.Columns()
	visible := 0
	for _, c := range cols {
		if !c.Hidden && !c.QualifiedOnly {
			visible++
		}
	}
	if len(colNames) > visible {
		return nil, sqlerr.New(sqlerr.InvalidColumnReference, "table %q has %d columns available but %d columns specified", alias, visible, len(colNames))
	}
	exprs := make([]Expr, len(cols))
	out := make([]Column, len(cols))
	v := 0
	for i, c := range cols {
		exprs[i] = &ColumnRef{Index: i, Name: c.Name, T: c.Type}
		out[i] = Column{Name: c.Name, Table: alias, Type: c.Type, Hidden: c.Hidden || c.QualifiedOnly}
		if out[i].Hidden {
			continue
		}
		if v < len(colNames) {
			out[i].Name = colNames[v]
		}
		v++
	}
	return &Project{Input: n, Exprs: exprs, Cols: out}, nil
}

// tableRef binds a table name to a Scan of all its columns; rules later narrow the
// projection to what the query reads.
func (b *Binder) tableRef(rv *pg.RangeVar) (Node, error) {
	if n, ok, err := b.cteRef(rv); ok {
		return n, err // a WITH query (cte.go)
	}
	db := strings.ToLower(rv.Schemaname)
	if db == "" {
		db = b.defaultDB
	}
	name := strings.ToLower(rv.Relname)
	t, err := b.cat.GetTable(b.ctx, db, name)
	if err != nil {
		if errors.Is(err, catalog.ErrTableNotFound) || errors.Is(err, catalog.ErrDatabaseNotFound) {
			qual := name
			if rv.Schemaname != "" {
				qual = db + "." + name
			}
			return nil, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", qual).WithPosition(b.pos(rv.Location))
		}
		return nil, err
	}
	if t.TableType == catalog.VirtualView {
		return b.expandView(t, rv) // view.go
	}
	alias := name
	var colNames []string
	if rv.Alias != nil {
		alias = strings.ToLower(rv.Alias.Aliasname)
		colNames = names(rv.Alias.Colnames)
	}
	scan, err := NewScan(t, alias)
	if err != nil {
		return nil, b.errAt(err, rv.Location)
	}
	if len(colNames) > 0 {
		return requalify(scan, alias, colNames)
	}
	return scan, nil
}

// NewScan returns a scan of every column of a catalog table.
func NewScan(t *catalog.Table, alias string) (*Scan, error) {
	format, opts := TableFormat(t)
	s := &Scan{Database: t.DatabaseName, Table: t.Name, Alias: alias, Location: t.StorageDescriptor.Location, Format: format, Options: opts}
	for _, c := range t.StorageDescriptor.Columns {
		ty, err := types.Parse(c.Type)
		if err != nil {
			return nil, sqlerr.New(sqlerr.DataException, "table %s.%s column %s has a bad type %q: %v", t.DatabaseName, t.Name, c.Name, c.Type, err)
		}
		s.DataColumns = append(s.DataColumns, formats.Column{Name: strings.ToLower(c.Name), Type: ty})
	}
	for _, c := range t.PartitionKeys {
		ty, err := types.Parse(c.Type)
		if err != nil {
			return nil, sqlerr.New(sqlerr.DataException, "table %s.%s partition key %s has a bad type %q: %v", t.DatabaseName, t.Name, c.Name, c.Type, err)
		}
		s.PartitionKeys = append(s.PartitionKeys, formats.Column{Name: strings.ToLower(c.Name), Type: ty})
	}
	s.Partitioned = len(s.PartitionKeys) > 0
	n := len(s.DataColumns) + len(s.PartitionKeys)
	s.Projection = make([]int, n)
	for i := range s.Projection {
		s.Projection[i] = i
	}
	return s, nil
}

// bindValues binds a VALUES list.
func (b *Binder) bindValues(sel *pg.SelectStmt) (Node, error) {
	var rows [][]Expr
	empty := newScope(nil)
	for _, l := range sel.ValuesLists {
		row, err := b.exprs(l.GetList().Items, empty)
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 && len(row) != len(rows[0]) {
			return nil, sqlerr.New(sqlerr.SyntaxError, "VALUES lists must all be the same length")
		}
		rows = append(rows, row)
	}
	width := len(rows[0])
	cols := make([]Column, width)
	for c := 0; c < width; c++ {
		col := make([]Expr, len(rows))
		for r := range rows {
			col[r] = rows[r][c]
		}
		t, unified, err := b.unify(col, "VALUES", -1)
		if err != nil {
			return nil, err
		}
		for r := range rows {
			rows[r][c] = unified[r]
		}
		cols[c] = Column{Name: "column" + itoa(c+1), Type: t}
	}
	var node Node = &Values{Cols: cols, Rows: rows}
	if len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil {
		targets := make([]target, width)
		for i, c := range cols {
			targets[i] = target{expr: &ColumnRef{Index: i, Name: c.Name, T: c.Type}, name: c.Name}
		}
		keys, err := b.bindOrderBy(sel.SortClause, targets, newScope(cols))
		if err != nil {
			return nil, err
		}
		return b.finishSelect(sel, node, targets, keys)
	}
	return node, nil
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
