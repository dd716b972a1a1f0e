package engine

import (
	"context"
	"errors"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// INSERT INTO t [(cols)] VALUES ... | SELECT ... | DEFAULT VALUES appends one new Parquet file
// per partition written (managed_write.go), or, into an unpartitioned table whose newest file
// is small, rewrites that file with the new rows added (managed_compact.go). The query goes through the planner like any
// SELECT; its columns are then converted to the table's types with PostgreSQL's assignment
// casts (a value out of range is 22003, a string too long for varchar(n) 22001, a NULL in a
// NOT NULL column 23502), and nothing is written when any row fails.
//
// PostgreSQL types the literals of an INSERT from the target columns: '2024-01-01' into a
// date column is a date, not text that would then need an explicit cast. Quarry does the same
// by wrapping each bare literal of a VALUES row, or of a plain SELECT's select list, in a cast
// to its column's type before binding. The parse tree is never changed in place: a prepared
// statement runs the same tree again.

// insert runs an INSERT statement. pp holds its parameters when it was prepared (nil
// otherwise); pp without values (Prepare) binds the statement to type them and writes
// nothing (insert_params.go).
func (s *Session) insert(ctx context.Context, text string, ins *pg.InsertStmt, pp *planner.Params) (*Result, error) {
	switch {
	case ins.OnConflictClause != nil:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "INSERT ... ON CONFLICT is not supported: Quarry's tables have no keys")
	case len(ins.ReturningList) > 0:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "INSERT ... RETURNING is not supported")
	}
	t, err := s.writeTarget(ctx, ins.Relation, stmtPos(text, ins.Relation.Location))
	if err != nil {
		return nil, err
	}
	data, keys, err := tableColumns(t)
	if err != nil {
		return nil, err
	}
	cols := append(append([]formats.Column{}, data...), keys...)
	targets, err := insertTargets(text, t, cols, ins.Cols)
	if err != nil {
		return nil, err
	}
	defaults, err := parseDefaults(t, cols)
	if err != nil {
		return nil, err
	}
	fctx := s.functionContext()
	node, err := s.bindInsertQuery(ctx, text, ins, cols, targets, defaults, fctx, pp)
	if err != nil {
		return nil, err
	}
	node, check, err := assignTo(node, cols, t)
	if err != nil {
		return nil, err
	}
	if describing(pp) {
		return &Result{Tag: "INSERT"}, nil
	}
	if node, err = s.optimize(ctx, node, fctx); err != nil {
		return nil, err
	}
	tw, err := s.newTableWriter(ctx, t, data, keys, fctx)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		// Small-file compaction: the rows may go into the table's newest file
		// (managed_compact.go).
		unlock, err := tw.compactSmallFile()
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	n, err := s.runWrite(ctx, node, fctx, tw, check)
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 {
		have, err := s.partitionSet(ctx, t)
		if err == nil {
			if parts := tw.newPartitions(t, have); len(parts) > 0 {
				err = s.e.cfg.Catalog.AddPartitions(ctx, parts)
			}
		}
		if err != nil {
			// The files are written but unreachable without their partitions: take them
			// back, so the statement fails as a whole.
			tw.unpublish()
			return nil, err
		}
	}
	return &Result{Tag: "INSERT", RowsAffected: n}, nil
}

// writable refuses tables Quarry cannot append to: views, and tables whose files are not
// Parquet (Quarry writes only Parquet yet).
func writable(t *catalog.Table) error {
	if t.TableType == catalog.VirtualView {
		return sqlerr.New(sqlerr.WrongObjectType, "cannot insert into view %q", t.Name)
	}
	if f := t.Format(); f != "parquet" {
		what := strings.ToUpper(f)
		if f == "" {
			what = "of an unknown format"
		}
		return sqlerr.New(sqlerr.FeatureNotSupported, "cannot insert into %s.%s: its files are %s, and Quarry writes only Parquet", t.DatabaseName, t.Name, what)
	}
	return nil
}

// tableColumns returns a table's data columns and partition keys with their SQL types.
func tableColumns(t *catalog.Table) (data, keys []formats.Column, err error) {
	conv := func(cs []catalog.Column) ([]formats.Column, error) {
		out := make([]formats.Column, len(cs))
		for i, c := range cs {
			ty, err := c.SQLType()
			if err != nil {
				return nil, sqlerr.New(sqlerr.DataException, "table %s.%s column %s has a bad type %q: %v", t.DatabaseName, t.Name, c.Name, c.Type, err)
			}
			out[i] = formats.Column{Name: catalog.Normalize(c.Name), Type: ty}
		}
		return out, nil
	}
	if data, err = conv(t.StorageDescriptor.Columns); err != nil {
		return nil, nil, err
	}
	keys, err = conv(t.PartitionKeys)
	return data, keys, err
}

// insertTargets returns, for each table column, the position in the INSERT's column list
// that feeds it, or -1. Without a list, the first columns are fed in order (all of them for
// a full row; a shorter row leaves the last ones to their defaults).
func insertTargets(text string, t *catalog.Table, cols []formats.Column, list []*pg.Node) ([]int, error) {
	targets := make([]int, len(cols))
	if len(list) == 0 {
		for i := range targets {
			targets[i] = i
		}
		return targets, nil
	}
	for i := range targets {
		targets[i] = -1
	}
	for j, n := range list {
		rt := n.GetResTarget()
		if rt == nil {
			continue
		}
		if len(rt.Indirection) > 0 {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "INSERT into a field or element of a column is not supported").WithPosition(stmtPos(text, rt.Location))
		}
		name := catalog.Normalize(rt.Name)
		found := false
		for i, c := range cols {
			if c.Name != name {
				continue
			}
			if targets[i] >= 0 {
				return nil, sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", rt.Name).WithPosition(stmtPos(text, rt.Location))
			}
			targets[i] = j
			found = true
		}
		if !found {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, t.Name).WithPosition(stmtPos(text, rt.Location))
		}
	}
	return targets, nil
}

// listed returns how many columns the INSERT names (its column list, or all).
func listed(targets []int) int {
	n := 0
	for _, t := range targets {
		if t >= 0 {
			n = max(n, t+1)
		}
	}
	return n
}

// bindInsertQuery binds the rows to insert into a plan whose columns are the table's, in
// order (their types are the query's; assignTo converts them).
func (s *Session) bindInsertQuery(ctx context.Context, text string, ins *pg.InsertStmt, cols []formats.Column, targets []int, defaults []*pg.Node, fctx *function.Context, pp *planner.Params) (planner.Node, error) {
	b := s.binder(ctx, text, fctx).WithParams(pp)
	sel := ins.SelectStmt.GetSelectStmt()
	width := listed(targets)
	fill := func(i int) *pg.Node { return defaultNode(defaults[i], cols[i].Type) }
	switch {
	case sel == nil: // DEFAULT VALUES
		row := make([]*pg.Node, len(cols))
		for i := range cols {
			row[i] = fill(i)
		}
		return bindParams(b, pp, &pg.SelectStmt{ValuesLists: []*pg.Node{pg.MakeListNode(row)}, WithClause: ins.WithClause})
	case len(sel.ValuesLists) > 0:
		lists := make([]*pg.Node, len(sel.ValuesLists))
		for r, l := range sel.ValuesLists {
			items := l.GetList().GetItems()
			if err := checkWidth(text, len(items), width, items, ins.Cols); err != nil {
				return nil, err
			}
			row := make([]*pg.Node, len(cols))
			for i, j := range targets {
				if j < 0 || j >= len(items) || items[j].GetSetToDefault() != nil {
					row[i] = fill(i)
					continue
				}
				row[i] = typedLiteral(items[j], cols[i].Type)
			}
			lists[r] = pg.MakeListNode(row)
		}
		v := &pg.SelectStmt{ValuesLists: lists, SortClause: sel.SortClause, LimitCount: sel.LimitCount, LimitOffset: sel.LimitOffset,
			LimitOption: sel.LimitOption, WithClause: sel.WithClause}
		if v.WithClause == nil {
			v.WithClause = ins.WithClause
		}
		return bindParams(b, pp, v)
	}
	q := typedSelect(sel, cols, targets)
	if q.WithClause == nil && ins.WithClause != nil {
		if q == sel {
			q = shallowSelect(sel, sel.TargetList)
		}
		q.WithClause = ins.WithClause
	}
	node, err := bindParams(b, pp, q)
	if err != nil {
		return nil, err
	}
	visible := visibleColumns(node)
	if err := checkWidth(text, len(visible), width, nil, ins.Cols); err != nil {
		return nil, err
	}
	needDefaults := false
	for i, j := range targets {
		if (j < 0 || j >= len(visible)) && defaults[i] != nil {
			needDefaults = true
		}
	}
	if !needDefaults {
		// Feed the listed columns from the query and the rest with NULL.
		exprs := make([]planner.Expr, len(cols))
		out := make([]planner.Column, len(cols))
		inCols := node.Columns()
		for i, j := range targets {
			if j < 0 || j >= len(visible) {
				exprs[i] = planner.NewLiteral(cols[i].Type, nil)
				out[i] = planner.Column{Name: cols[i].Name, Type: cols[i].Type}
				continue
			}
			c := inCols[visible[j]]
			exprs[i] = &planner.ColumnRef{Index: visible[j], Name: c.Name, T: c.Type}
			out[i] = planner.Column{Name: cols[i].Name, Type: c.Type}
		}
		return &planner.Project{Input: node, Exprs: exprs, Cols: out}, nil
	}
	// Defaults are expressions to bind: select them beside the query's columns,
	// SELECT q.c1, <default>, ... FROM (<query>) AS q(c1, ...).
	names := make([]*pg.Node, len(visible))
	for j := range visible {
		names[j] = pg.MakeStrNode("c" + strconv.Itoa(j+1))
	}
	list := make([]*pg.Node, len(cols))
	for i, j := range targets {
		if j < 0 || j >= len(visible) {
			list[i] = pg.MakeResTargetNodeWithVal(fill(i), -1)
			continue
		}
		ref := pg.MakeColumnRefNode([]*pg.Node{pg.MakeStrNode("?insert?"), pg.MakeStrNode("c" + strconv.Itoa(j+1))}, -1)
		list[i] = pg.MakeResTargetNodeWithVal(ref, -1)
	}
	from := &pg.Node{Node: &pg.Node_RangeSubselect{RangeSubselect: &pg.RangeSubselect{
		Subquery: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: q}},
		Alias:    &pg.Alias{Aliasname: "?insert?", Colnames: names},
	}}}
	b = s.binder(ctx, text, fctx).WithParams(pp)
	return bindParams(b, pp, &pg.SelectStmt{TargetList: list, FromClause: []*pg.Node{from}, LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg.SetOperation_SETOP_NONE})
}

// checkWidth compares a row's width with the number of columns listed, with PostgreSQL's
// messages.
func checkWidth(text string, got, want int, items, list []*pg.Node) error {
	switch {
	case got > want:
		e := sqlerr.New(sqlerr.SyntaxError, "INSERT has more expressions than target columns")
		if want < len(items) {
			e = e.WithPosition(stmtPos(text, exprLocation(items[want])))
		}
		return e
	case got < want && len(list) > 0:
		// Without a column list, a short row leaves the last columns to their defaults.
		e := sqlerr.New(sqlerr.SyntaxError, "INSERT has more target columns than expressions")
		if got < len(list) {
			if rt := list[got].GetResTarget(); rt != nil {
				e = e.WithPosition(stmtPos(text, rt.Location))
			}
		}
		return e
	}
	return nil
}

// exprLocation returns the location of the common expression nodes, -1 otherwise.
func exprLocation(n *pg.Node) int32 {
	switch {
	case n.GetAConst() != nil:
		return n.GetAConst().Location
	case n.GetColumnRef() != nil:
		return n.GetColumnRef().Location
	case n.GetTypeCast() != nil:
		return n.GetTypeCast().Location
	case n.GetFuncCall() != nil:
		return n.GetFuncCall().Location
	case n.GetAExpr() != nil:
		return n.GetAExpr().Location
	}
	return -1
}

// visibleColumns returns the indexes of a plan's visible columns.
func visibleColumns(n planner.Node) []int {
	var out []int
	for i, c := range n.Columns() {
		if !c.Hidden {
			out = append(out, i)
		}
	}
	return out
}

// typedSelect wraps the bare literals of a plain SELECT's select list in casts to their
// target columns' types, returning a new statement (sel itself when nothing changes).
func typedSelect(sel *pg.SelectStmt, cols []formats.Column, targets []int) *pg.SelectStmt {
	if sel.Op != pg.SetOperation_SETOP_NONE {
		return sel
	}
	colOf := make(map[int]int, len(targets))
	for i, j := range targets {
		if j >= 0 {
			colOf[j] = i
		}
	}
	var list []*pg.Node
	for j, n := range sel.TargetList {
		rt := n.GetResTarget()
		i, ok := colOf[j]
		if rt == nil || !ok {
			continue
		}
		typed := typedLiteral(rt.Val, cols[i].Type)
		if typed == rt.Val {
			continue
		}
		if list == nil {
			list = append([]*pg.Node{}, sel.TargetList...)
		}
		list[j] = &pg.Node{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Name: rt.Name, Val: typed, Location: rt.Location}}}
	}
	if list == nil {
		return sel
	}
	return shallowSelect(sel, list)
}

// shallowSelect copies a SELECT's clauses into a new statement with another select list.
func shallowSelect(sel *pg.SelectStmt, list []*pg.Node) *pg.SelectStmt {
	return &pg.SelectStmt{
		DistinctClause: sel.DistinctClause, TargetList: list, FromClause: sel.FromClause,
		WhereClause: sel.WhereClause, GroupClause: sel.GroupClause, GroupDistinct: sel.GroupDistinct,
		HavingClause: sel.HavingClause, WindowClause: sel.WindowClause, ValuesLists: sel.ValuesLists,
		SortClause: sel.SortClause, LimitOffset: sel.LimitOffset, LimitCount: sel.LimitCount,
		LimitOption: sel.LimitOption, LockingClause: sel.LockingClause, WithClause: sel.WithClause,
		Op: sel.Op, All: sel.All, Larg: sel.Larg, Rarg: sel.Rarg,
	}
}

// typedLiteral wraps a bare literal in a cast to the column's type: strings and NULL always,
// numbers into numeric and text columns, booleans into boolean and text columns. Anything
// else is returned as is and converted by assignTo. A varchar(n) column casts to text, so that
// an over-long string fails (22001) rather than being truncated as an explicit cast would.
func typedLiteral(n *pg.Node, t types.T) *pg.Node {
	if pr := n.GetParamRef(); pr != nil {
		return typedParam(n, pr, t) // insert_params.go
	}
	c := n.GetAConst()
	if c == nil {
		return n
	}
	switch {
	case c.Isnull || c.GetSval() != nil:
	case c.GetIval() != nil || c.GetFval() != nil:
		if !t.IsNumeric() && t.Kind != types.Varchar {
			return n
		}
	case c.GetBoolval() != nil:
		if t.Kind != types.Bool && t.Kind != types.Varchar {
			return n
		}
	default:
		return n
	}
	tn := typeNameOf(t)
	if tn == nil {
		return n
	}
	tn.Location = -1
	return &pg.Node{Node: &pg.Node_TypeCast{TypeCast: &pg.TypeCast{Arg: n, TypeName: tn, Location: c.Location}}}
}

// typeNameOf spells a type as a pg_query TypeName the binder resolves back to it; nil for
// types without one.
func typeNameOf(t types.T) *pg.TypeName {
	name := ""
	var mods []*pg.Node
	switch t.Kind {
	case types.Bool:
		name = "bool"
	case types.Int16:
		name = "int2"
	case types.Int32:
		name = "int4"
	case types.Int64:
		name = "int8"
	case types.Float32:
		name = "float4"
	case types.Float64:
		name = "float8"
	case types.Decimal:
		name = "numeric"
		if t.Precision > 0 {
			mods = []*pg.Node{pg.MakeAConstIntNode(int64(t.Precision), -1), pg.MakeAConstIntNode(int64(t.Scale), -1)}
		}
	case types.Varchar:
		name = "text"
	case types.Bytea:
		name = "bytea"
	case types.Date:
		name = "date"
	case types.Time:
		name = "time"
	case types.Timestamp:
		name = "timestamp"
	case types.TimestampTZ:
		name = "timestamptz"
	case types.Interval:
		name = "interval"
	case types.JSON:
		name = "json"
	case types.UUID:
		name = "uuid"
	default:
		return nil
	}
	return &pg.TypeName{Names: []*pg.Node{pg.MakeStrNode("pg_catalog"), pg.MakeStrNode(name)}, Typmods: mods, Typemod: -1}
}

// defaultNode is the expression that fills a column an INSERT leaves out: its DEFAULT, or
// NULL of the column's type.
func defaultNode(def *pg.Node, t types.T) *pg.Node {
	if def == nil {
		def = &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Isnull: true, Location: -1}}}
	}
	return typedLiteral(def, t)
}

// parseDefaults returns each column's DEFAULT expression (nil for none), parsed from the
// SQL the table's parameters keep.
func parseDefaults(t *catalog.Table, cols []formats.Column) ([]*pg.Node, error) {
	out := make([]*pg.Node, len(cols))
	for i, c := range cols {
		text, ok := t.Parameters[paramDefault+c.Name]
		if !ok {
			continue
		}
		tree, err := pg.Parse("SELECT " + text)
		if err != nil || len(tree.Stmts) != 1 {
			return nil, sqlerr.New(sqlerr.DataException, "table %s.%s: the DEFAULT of column %s (%q) does not parse: %v", t.DatabaseName, t.Name, c.Name, text, err)
		}
		sel := tree.Stmts[0].Stmt.GetSelectStmt()
		if sel == nil || len(sel.TargetList) != 1 || sel.TargetList[0].GetResTarget() == nil {
			return nil, sqlerr.New(sqlerr.DataException, "table %s.%s: the DEFAULT of column %s (%q) is not an expression", t.DatabaseName, t.Name, c.Name, text)
		}
		out[i] = sel.TargetList[0].GetResTarget().Val
	}
	return out, nil
}

// checkDefault validates a column's DEFAULT expression at CREATE TABLE, as PostgreSQL does
// (it must bind without columns and be assignable to the column), and returns its SQL.
func (s *Session) checkDefault(ctx context.Context, def *pg.Node, col formats.Column) (string, error) {
	sel := &pg.SelectStmt{TargetList: []*pg.Node{pg.MakeResTargetNodeWithVal(def, -1)}, LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg.SetOperation_SETOP_NONE}
	// Deparse wants the parser's tree version, which only a parse result carries.
	tree, err := pg.Parse("SELECT 1")
	if err != nil {
		return "", err
	}
	tree.Stmts[0].Stmt = &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}
	text, err := pg.Deparse(tree)
	if err != nil {
		return "", sqlerr.New(sqlerr.FeatureNotSupported, "DEFAULT expression cannot be stored: %v", err)
	}
	text = strings.TrimPrefix(text, "SELECT ")
	typed := &pg.SelectStmt{TargetList: []*pg.Node{pg.MakeResTargetNodeWithVal(typedLiteral(def, col.Type), -1)}, LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg.SetOperation_SETOP_NONE}
	b := s.binder(ctx, "", s.functionContext())
	node, err := b.BindQuery(typed)
	if err != nil {
		return "", err
	}
	if from := node.Columns()[0].Type; !assignable(from, col.Type) {
		return "", sqlerr.New(sqlerr.DatatypeMismatch, "column %q is of type %s but default expression is of type %s", col.Name, col.Type, from).
			WithHint("You will need to rewrite or cast the expression.")
	}
	return text, nil
}

// writeTarget looks up the managed table a statement writes (INSERT, COPY FROM): the
// relation as written must exist (42P01 at pos, naming it as the binder does) and take
// writes.
func (s *Session) writeTarget(ctx context.Context, rel *pg.RangeVar, pos int) (*catalog.Table, error) {
	db, name, err := s.relName(rel)
	if err != nil {
		return nil, err
	}
	t, err := s.e.cfg.Catalog.GetTable(ctx, db, name)
	if err != nil {
		if errors.Is(err, catalog.ErrTableNotFound) || errors.Is(err, catalog.ErrDatabaseNotFound) {
			qual := name
			if rel.Schemaname != "" {
				qual = db + "." + name
			}
			return nil, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", qual).WithPosition(pos)
		}
		return nil, err
	}
	if err := writable(t); err != nil {
		return nil, err
	}
	return t, nil
}
