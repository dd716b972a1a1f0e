package engine

import (
	"context"
	"errors"
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// createTableAs runs CREATE TABLE t [(names)] [WITH (...)] AS query [WITH [NO] DATA] (and
// SELECT ... INTO t): Athena's CTAS. The query's files are written first and the table is
// recorded in the catalog last, so no reader sees a table whose files are half written; if
// the query fails, nothing stays. The tag is PostgreSQL's, SELECT n.
//
// Partition keys (partitioned_by) are taken out of the file columns and go last, in the
// order partitioned_by names them, whatever their place in the select list (Athena asks for
// them last; Quarry moves them there).
//
// pp holds the parameter values when the statement was prepared (nil otherwise).
func (s *Session) createTableAs(ctx context.Context, text string, x *pg.CreateTableAsStmt, pp *planner.Params) (*Result, error) {
	if x.Objtype != pg.ObjectType_OBJECT_TABLE {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "CREATE MATERIALIZED VIEW is not supported")
	}
	into := x.Into
	switch {
	case into == nil || into.Rel == nil:
		return nil, sqlerr.New(sqlerr.SyntaxError, "CREATE TABLE AS needs a table name")
	case into.Rel.Relpersistence == "t":
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "temporary tables are not supported")
	case into.AccessMethod != "":
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "USING %s is not supported", into.AccessMethod)
	}
	sel := x.Query.GetSelectStmt()
	if sel == nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "CREATE TABLE AS supports a SELECT or VALUES query only")
	}
	db, name, err := s.relName(into.Rel)
	if err != nil {
		return nil, err
	}
	opts, err := parseTableOptions(into.Options)
	if err != nil {
		return nil, err
	}
	switch _, err := s.e.cfg.Catalog.GetTable(ctx, db, name); {
	case err == nil && x.IfNotExists:
		return &Result{Tag: "SELECT", RowsAffected: 0, Notices: []string{fmt.Sprintf("relation %q already exists, skipping", name)}}, nil
	case err == nil:
		return nil, sqlerr.New(sqlerr.DuplicateTable, "relation %q already exists", name)
	case !errors.Is(err, catalog.ErrTableNotFound):
		return nil, err
	}

	fctx := s.functionContext()
	b := s.binder(ctx, text, fctx).WithParams(pp)
	node, err := b.BindQuery(sel)
	if err != nil {
		return nil, err
	}
	data, keys, node, err := ctasColumns(node, into.ColNames, opts)
	if err != nil {
		return nil, err
	}
	if err := parquet.CheckWritable(data); err != nil {
		return nil, err
	}
	t, err := s.newWritableTable(ctx, db, name, data, keys, opts)
	if err != nil {
		return nil, err
	}
	if err := s.checkEmptyLocation(ctx, t); err != nil {
		return nil, err
	}
	var (
		n  int64
		tw *tableWriter
	)
	if !into.SkipData {
		if node, err = s.optimize(ctx, node, fctx); err != nil {
			return nil, err
		}
		if tw, err = s.newTableWriter(ctx, t, data, keys, fctx); err != nil {
			return nil, err
		}
		if n, err = s.runWrite(ctx, node, fctx, tw, nil); err != nil {
			return nil, err
		}
	}
	if err := s.e.cfg.Catalog.CreateTable(ctx, *t); err != nil {
		if tw != nil {
			tw.unpublish()
		}
		if x.IfNotExists && errors.Is(err, catalog.ErrAlreadyExists) {
			return &Result{Tag: "SELECT", Notices: []string{fmt.Sprintf("relation %q already exists, skipping", name)}}, nil
		}
		return nil, err
	}
	if tw != nil && len(keys) > 0 {
		if parts := tw.newPartitions(t, nil); len(parts) > 0 {
			if err := s.e.cfg.Catalog.AddPartitions(ctx, parts); err != nil {
				_ = s.e.cfg.Catalog.DropTable(ctx, t.DatabaseName, t.Name)
				tw.unpublish()
				return nil, err
			}
		}
	}
	return &Result{Tag: "SELECT", RowsAffected: n}, nil
}

// ctasColumns names and types the new table's columns from the query's, and returns a plan
// that yields the data columns followed by the partition keys.
func ctasColumns(node planner.Node, names []*pg.Node, opts *tableOptions) (data, keys []formats.Column, out planner.Node, err error) {
	in := node.Columns()
	visible := visibleColumns(node)
	if len(names) > len(visible) {
		return nil, nil, nil, sqlerr.New(sqlerr.SyntaxError, "too many column names were specified")
	}
	seen := map[string]bool{}
	var dataIdx, keyIdx []int
	var all []formats.Column
	for j, i := range visible {
		name := in[i].Name
		if j < len(names) {
			name = strVal(names[j])
		}
		name = catalog.Normalize(name)
		if seen[name] {
			return nil, nil, nil, sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", name)
		}
		seen[name] = true
		t := in[i].Type
		switch {
		case t.Kind == types.Unknown:
			t = types.VarcharT
		case t.Kind == types.Decimal && t.Precision == 0:
			t.Precision = types.MaxDecimalPrecision
		}
		all = append(all, formats.Column{Name: name, Type: t})
		if opts.isPartitionKey(name) {
			keyIdx = append(keyIdx, j)
		} else {
			dataIdx = append(dataIdx, j)
		}
	}
	for _, j := range dataIdx {
		data = append(data, all[j])
	}
	var unordered []formats.Column
	for _, j := range keyIdx {
		unordered = append(unordered, all[j])
	}
	if keys, err = orderKeys(unordered, opts.partitionedBy); err != nil {
		return nil, nil, nil, err
	}
	if len(data) == 0 {
		return nil, nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "a table needs at least one column that is not a partition key")
	}
	// The plan: data columns, then keys in partitioned_by order, cast where the query's
	// type was unknown.
	var exprs []planner.Expr
	var cols []planner.Column
	add := func(c formats.Column) {
		for j, i := range visible {
			if all[j].Name != c.Name {
				continue
			}
			var e planner.Expr = &planner.ColumnRef{Index: i, Name: in[i].Name, T: in[i].Type}
			if !in[i].Type.Equal(c.Type) {
				if k, err2 := function.Cast(in[i].Type, c.Type, false); err2 == nil {
					e = &planner.Cast{Arg: e, T: c.Type, Kernel: k}
				} else {
					err = err2
				}
			}
			exprs = append(exprs, e)
			cols = append(cols, planner.Column{Name: c.Name, Type: c.Type})
		}
	}
	for _, c := range data {
		add(c)
	}
	for _, c := range keys {
		add(c)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return data, keys, &planner.Project{Input: node, Exprs: exprs, Cols: cols}, nil
}
