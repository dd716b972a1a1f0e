package engine

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/exec"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sql"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Prepared statements, for the extended query protocol. Prepare parses one statement and
// describes it without running it: parameter types (planner.DescribeQuery infers those the
// client left open) and result columns. ExecutePrepared converts the parameter values to
// their types and binds the statement again with them as literals: plans stay immutable and
// are built per execution, which costs little next to running the query.
//
// Parameters may appear in SELECT and EXPLAIN SELECT; any other statement with a $n is
// refused when prepared.

// queryKind is what ExecutePrepared needs beyond the Statement.
type queryKind struct {
	sel     *pg.SelectStmt // the SELECT to bind with parameter values; nil: run Statement as is
	explain bool           // EXPLAIN sel
	// insert, declare and ctas are an INSERT, a DECLARE CURSOR and a CREATE TABLE AS
	// (whose query is sel) to run with parameter values (insert_params.go, cursor.go).
	insert  *pg.InsertStmt
	declare *pg.DeclareCursorStmt
	ctas    *pg.CreateTableAsStmt

	analyze *explainOptions // EXPLAIN ANALYZE sel: run it and show the measured plan
}

// Prepare parses query, which must hold at most one statement, and describes it. paramOIDs
// are the parameter types the client declared (0 or 705, unknown: infer). Errors carry
// positions in query.
func (s *Session) Prepare(ctx context.Context, query string, paramOIDs []uint32) (*Prepared, error) {
	stmts, err := s.Parse(query)
	if err != nil {
		return nil, err
	}
	var st *Statement
	for i := range stmts {
		if stmts[i].Empty {
			continue
		}
		if st != nil {
			return nil, sqlerr.New(sqlerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
		}
		st = &stmts[i]
	}
	if len(paramOIDs) > planner.MaxParams {
		return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "too many parameters: %d", len(paramOIDs))
	}
	declared := make([]types.T, len(paramOIDs))
	for i, oid := range paramOIDs {
		t, ok := typeForOID(oid)
		if !ok {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "parameter $%d has type OID %d, which is not supported", i+1, oid)
		}
		declared[i] = t
	}
	p := &Prepared{ParamTypes: declared}
	if st == nil {
		p.Statement = Statement{SQL: query, Empty: true}
	} else {
		p.Statement = *st
		if err := s.describePrepared(ctx, p); err != nil {
			return nil, sql.Piece{Offset: st.Offset}.Rebase(query, err)
		}
	}
	p.ParamOIDs = make([]uint32, len(p.ParamTypes))
	for i, t := range p.ParamTypes {
		if i < len(paramOIDs) && paramOIDs[i] != 0 && paramOIDs[i] != types.OidUnknown {
			p.ParamOIDs[i] = paramOIDs[i]
		} else {
			p.ParamOIDs[i] = t.OID()
		}
	}
	return p, nil
}

// describePrepared fills p's parameter types, result columns and plan kind from its statement.
func (s *Session) describePrepared(ctx context.Context, p *Prepared) error {
	switch x := p.Statement.parsed.(type) {
	case *sql.PGStmt:
		n := x.Node
		switch {
		case n.GetSelectStmt() != nil:
			cols, err := s.describeSelect(ctx, x.SQL, n.GetSelectStmt(), p)
			if err != nil {
				return err
			}
			p.Columns, p.query = cols, queryKind{sel: n.GetSelectStmt()}
			return nil
		case n.GetExplainStmt() != nil && n.GetExplainStmt().Query.GetSelectStmt() != nil:
			sel := n.GetExplainStmt().Query.GetSelectStmt()
			o, err := parseExplainOptions(x.SQL, n.GetExplainStmt())
			if err != nil {
				return err
			}
			if _, err := s.describeSelect(ctx, x.SQL, sel, p); err != nil {
				return err
			}
			p.Columns, p.query = []Column{{Name: "QUERY PLAN", Type: types.VarcharT}}, queryKind{sel: sel, explain: true}
			if o.analyze {
				p.query.analyze = &o // explain_analyze.go
			}
			return nil
		}
		switch {
		case n.GetInsertStmt() != nil:
			// Binding the INSERT without values types its parameters and writes nothing.
			pp := planner.NewParams(p.ParamTypes)
			if _, err := s.insert(ctx, x.SQL, n.GetInsertStmt(), pp); err != nil {
				return err
			}
			p.ParamTypes, p.query = pp.Types, queryKind{insert: n.GetInsertStmt()}
			return nil
		case n.GetDeclareCursorStmt() != nil && n.GetDeclareCursorStmt().Query.GetSelectStmt() != nil:
			// DECLARE returns no rows (its FETCHes do); its query may have parameters.
			d := n.GetDeclareCursorStmt()
			if _, err := s.describeSelect(ctx, x.SQL, d.Query.GetSelectStmt(), p); err != nil {
				return err
			}
			p.query = queryKind{sel: d.Query.GetSelectStmt(), declare: d}
			return nil
		case n.GetCreateTableAsStmt() != nil && n.GetCreateTableAsStmt().Query.GetSelectStmt() != nil:
			// CREATE TABLE AS completes with SELECT n and no rows; its query may have
			// parameters, typed as a SELECT's.
			c := n.GetCreateTableAsStmt()
			if _, ok := firstParamRef(n); ok {
				if _, err := s.describeSelect(ctx, x.SQL, c.Query.GetSelectStmt(), p); err != nil {
					return err
				}
			}
			p.query = queryKind{sel: c.Query.GetSelectStmt(), ctas: c}
			return nil
		case n.GetFetchStmt() != nil && !n.GetFetchStmt().Ismove:
			// Described as the cursor's rows if it exists now, as PostgreSQL does; MOVE and
			// a FETCH from no cursor (yet) describe as no rows.
			p.Columns = s.cursorColumns(n.GetFetchStmt().Portalname)
		}
		if loc, ok := firstParamRef(n); ok {
			pos := utf8.RuneCountInString(x.SQL[:min(max(int(loc), 0), len(x.SQL))]) + 1
			if n.GetVariableSetStmt() != nil {
				// pg_query's grammar takes `SET x = $1` (for normalized queries);
				// PostgreSQL's has no place for a parameter there.
				return sqlerr.New(sqlerr.SyntaxError, "syntax error at or near %q", paramText(x.SQL, int(loc))).WithPosition(pos)
			}
			return sqlerr.New(sqlerr.FeatureNotSupported, "parameters are supported in SELECT, INSERT, CREATE TABLE AS, DECLARE and EXPLAIN SELECT only").
				WithPosition(pos)
		}
		if v := n.GetVariableShowStmt(); v != nil {
			// SHOW reads an in-memory setting: running it is the simplest way to name its
			// column exactly as execution will, and an unknown setting fails here as it will
			// there.
			res, err := s.show(v.Name)
			if err != nil {
				return err
			}
			p.Columns = res.Columns
			return res.Rows.Close()
		}
		// Everything else (SET, BEGIN, DDL, ...) returns no rows.
		return nil
	case sql.HiveStatement:
		if names, ok := hiveColumns(x); ok {
			p.Columns = make([]Column, len(names))
			for i, name := range names {
				p.Columns[i] = Column{Name: name, Type: types.VarcharT}
			}
		}
		return nil
	}
	return nil
}

// hiveColumns are the result columns of the Hive-dialect statements that return rows (see
// show.go), all text.
func hiveColumns(st sql.HiveStatement) ([]string, bool) {
	switch st.(type) {
	case *sql.ShowDatabases:
		return []string{"database_name"}, true
	case *sql.ShowTables:
		return []string{"tab_name"}, true
	case *sql.Describe:
		return []string{"col_name", "data_type", "comment"}, true
	case *sql.ShowColumns:
		return []string{"field"}, true
	case *sql.ShowCreateTable:
		return []string{"createtab_stmt"}, true
	case *sql.ShowPartitions:
		return []string{"partition"}, true
	case *sql.MsckRepair:
		return []string{"result"}, true
	}
	return nil, false
}

// describeSelect infers the parameter types of a SELECT into p.ParamTypes and returns its
// result columns.
func (s *Session) describeSelect(ctx context.Context, text string, sel *pg.SelectStmt, p *Prepared) ([]Column, error) {
	params := planner.NewParams(p.ParamTypes)
	node, err := s.binder(ctx, text, s.functionContext()).WithParams(params).DescribeQuery(sel)
	if err != nil {
		return nil, err
	}
	p.ParamTypes = params.Types
	return s.withOrigins(ctx, node, resultColumns(node)), nil // pg_jdbc_origin.go
}

func (s *Session) binder(ctx context.Context, text string, fctx *function.Context) *planner.Binder {
	cat := systemCatalog{Store: s.e.cfg.Catalog, defaultDB: s.settings.searchDatabase()} // system_catalog.go
	return planner.NewBinder(ctx, cat, s.e.cfg.Funcs, s.settings.searchDatabase(), text, fctx)
}

func resultColumns(node planner.Node) []Column {
	cols := node.Columns()
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = Column{Name: c.Name, Type: clientType(c.Type)} // reg_render.go
	}
	return out
}

// ExecutePrepared runs a prepared statement with one value per parameter. As with Execute,
// cancelling ctx stops the work, the Rows of the result included, and error positions are
// relative to p.Statement.SQL.
func (s *Session) ExecutePrepared(ctx context.Context, p *Prepared, params []Param) (*Result, error) {
	if len(params) != len(p.ParamTypes) {
		return nil, sqlerr.New(sqlerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement requires %d", len(params), len(p.ParamTypes))
	}
	if p.Statement.Empty {
		return &Result{}, nil
	}
	if p.query.sel == nil && p.query.insert == nil {
		return s.Execute(ctx, p.Statement)
	}
	fctx := s.functionContext()
	values := make([]arrow.Array, len(params))
	for i, prm := range params {
		v, err := paramArray(p.ParamTypes[i], prm, fctx)
		if err != nil {
			return nil, err
		}
		values[i] = v
	}
	pp := &planner.Params{Types: p.ParamTypes, Values: values}
	text := p.Statement.SQL
	switch {
	case p.query.insert != nil:
		return s.withTimeout(ctx, func(ctx context.Context) (*Result, error) {
			return s.insert(ctx, text, p.query.insert, pp)
		})
	case p.query.declare != nil:
		return s.withTimeout(ctx, func(ctx context.Context) (*Result, error) {
			return s.declareCursor(ctx, text, p.query.declare, pp)
		})
	case p.query.ctas != nil:
		return s.withTimeout(ctx, func(ctx context.Context) (*Result, error) {
			return s.createTableAs(ctx, text, p.query.ctas, pp)
		})
	}
	if p.query.analyze != nil {
		return s.withTimeout(ctx, func(ctx context.Context) (*Result, error) {
			return s.runExplainAnalyze(ctx, fctx, func(ctx context.Context) (planner.Node, error) {
				return s.planParams(ctx, text, p.query.sel, fctx, pp)
			}, *p.query.analyze)
		})
	}
	if p.query.explain {
		node, err := s.planParams(ctx, text, p.query.sel, fctx, pp)
		if err != nil {
			return nil, err
		}
		return explainResult(node), nil
	}
	return s.withTimeout(ctx, func(ctx context.Context) (*Result, error) {
		node, err := s.planParams(ctx, text, p.query.sel, fctx, pp)
		if err != nil {
			return nil, err
		}
		return s.start(ctx, node, fctx)
	})
}

// planParams binds a SELECT with parameter values and optimizes it.
func (s *Session) planParams(ctx context.Context, text string, sel *pg.SelectStmt, fctx *function.Context, pp *planner.Params) (planner.Node, error) {
	node, err := s.binder(ctx, text, fctx).WithParams(pp).BindQuery(sel)
	if err != nil {
		return nil, err
	}
	return s.optimize(ctx, node, fctx)
}

// start builds a plan's operators and opens them; the result streams their batches.
func (s *Session) start(ctx context.Context, node planner.Node, fctx *function.Context) (*Result, error) {
	env := s.env(fctx)
	env.Stats = &exec.Stats{}
	op, err := exec.Build(node, env)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(objstore.WithCounter(context.WithoutCancel(ctx), &objstore.Counter{}))
	// The operators run under their own context, cancelled by Close or by ctx.
	stop := context.AfterFunc(ctx, cancel)
	if err := op.Open(runCtx); err != nil {
		stop()
		cancel()
		op.Close()
		if ctx.Err() != nil {
			return nil, canceled(ctx)
		}
		return nil, err
	}
	raw := &opRows{op: op, stmt: ctx, run: runCtx, cancel: func() { stop(); cancel() }}
	rows, err := renderRegRows(raw, nodeTypes(node), fctx) // reg_render.go
	if err != nil {
		raw.Close()
		return nil, err
	}
	return &Result{Columns: s.withOrigins(ctx, node, resultColumns(node)), Rows: rows, Tag: "SELECT"}, nil
}

// withTimeout runs fn under the session's statement_timeout, which covers the rows too.
func (s *Session) withTimeout(ctx context.Context, fn func(context.Context) (*Result, error)) (*Result, error) {
	timeout := s.statementTimeout()
	if timeout <= 0 {
		return fn(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	res, err := fn(ctx)
	if err != nil || res.Rows == nil {
		cancel()
		return res, err
	}
	res.Rows = &cancelRows{Rows: res.Rows, cancel: cancel}
	return res, nil
}

// ParamArray converts one parameter value to a one-element Arrow array of type t (a null
// entry for NULL). Text is parsed in timeZone (IANA name; "" is UTC) where t needs a zone.
func ParamArray(t types.T, p Param, timeZone string) (arrow.Array, error) {
	return paramArray(t, p, &function.Context{Alloc: memory.DefaultAllocator, TimeZone: timeZone})
}

func paramArray(t types.T, p Param, fctx *function.Context) (arrow.Array, error) {
	if t.Kind == types.Unknown {
		t = types.VarcharT
	}
	b := array.NewBuilder(fctx.Alloc, t.Arrow())
	defer b.Release()
	switch {
	case p.Null:
		b.AppendNull()
		return b.NewArray(), nil
	case p.Value != nil:
		if !appendValue(b, p.Value) {
			return nil, sqlerr.New(sqlerr.InternalError, "a parameter value of Go type %T cannot be %s", p.Value, t)
		}
		return b.NewArray(), nil
	}
	// Text: a varchar parameter keeps it as is (no length check: a parameter's type has no
	// typmod in PostgreSQL); anything else is parsed as CAST(text AS t).
	if t.Kind == types.Varchar {
		b.(*array.StringBuilder).Append(p.Text)
		return b.NewArray(), nil
	}
	if t.Kind == types.Array || t.Kind == types.Map || t.Kind == types.Struct {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "parameters of type %s are not supported yet", t)
	}
	k, err := function.Cast(types.VarcharT, t, false)
	if err != nil {
		return nil, err
	}
	sb := array.NewStringBuilder(fctx.Alloc)
	defer sb.Release()
	sb.Append(p.Text)
	in := sb.NewArray()
	defer in.Release()
	return k(fctx, []arrow.Array{in}, 1)
}

// appendValue appends a Go value of the type Param documents for the builder's type; false
// when the value does not fit.
func appendValue(b array.Builder, v any) bool {
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		return appendAs(bb.Append, v, func(x bool) bool { return x })
	case *array.Int16Builder:
		return appendAs(bb.Append, v, func(x int16) int16 { return x })
	case *array.Int32Builder:
		return appendAs(bb.Append, v, func(x int32) int32 { return x })
	case *array.Int64Builder:
		return appendAs(bb.Append, v, func(x int64) int64 { return x })
	case *array.Float32Builder:
		return appendAs(bb.Append, v, func(x float32) float32 { return x })
	case *array.Float64Builder:
		return appendAs(bb.Append, v, func(x float64) float64 { return x })
	case *array.StringBuilder:
		return appendAs(bb.Append, v, func(x string) string { return x })
	case *array.BinaryBuilder:
		return appendAs(bb.Append, v, func(x []byte) []byte { return x })
	case *array.FixedSizeBinaryBuilder:
		if bb.Type().(*arrow.FixedSizeBinaryType).ByteWidth != 16 {
			return false
		}
		return appendAs(bb.Append, v, func(x [16]byte) []byte { return x[:] })
	case *array.Date32Builder:
		return appendAs(bb.Append, v, func(x int32) arrow.Date32 { return arrow.Date32(x) })
	case *array.Time64Builder:
		return appendAs(bb.Append, v, func(x int64) arrow.Time64 { return arrow.Time64(x) })
	case *array.TimestampBuilder:
		return appendAs(bb.Append, v, func(x int64) arrow.Timestamp { return arrow.Timestamp(x) })
	case *array.MonthDayNanoIntervalBuilder:
		return appendAs(bb.Append, v, func(x arrow.MonthDayNanoInterval) arrow.MonthDayNanoInterval { return x })
	}
	return false
}

// appendAs appends v, converted by conv, when v is a G; false otherwise.
func appendAs[G, A any](appendFn func(A), v any, conv func(G) A) bool {
	x, ok := v.(G)
	if ok {
		appendFn(conv(x))
	}
	return ok
}

// typeForOID maps a parameter type OID a client declared to Quarry's type; 0 and 705
// (unknown) leave the type to inference (UnknownT).
func typeForOID(oid uint32) (types.T, bool) {
	switch oid {
	case 0, types.OidUnknown:
		return types.UnknownT, true
	case types.OidBool:
		return types.BoolT, true
	case types.OidBytea:
		return types.ByteaT, true
	case 18, types.OidName, types.OidText, types.OidBPChar, types.OidVarchar:
		return types.VarcharT, true // "char", name, text, bpchar, varchar
	case types.OidInt8, types.OidOid:
		return types.Int64T, true
	case types.OidInt2:
		return types.Int16T, true
	case types.OidInt4:
		return types.Int32T, true
	case types.OidJSON, types.OidJSONB:
		return types.JSONT, true
	case types.OidFloat4:
		return types.Float32T, true
	case types.OidFloat8:
		return types.Float64T, true
	case types.OidDate:
		return types.DateT, true
	case types.OidTime:
		return types.TimeT, true
	case types.OidTimestamp:
		return types.TimestampT, true
	case types.OidTimestampTZ:
		return types.TimestampTZT, true
	case types.OidInterval:
		return types.IntervalT, true
	case types.OidNumeric:
		t, _ := types.FromName("numeric", nil)
		return t, true
	case types.OidUUID:
		return types.UUIDT, true
	}
	for elem, arr := range arrayOIDs {
		if arr == oid {
			if et, ok := typeForOID(elem); ok {
				return types.ArrayT(et), true
			}
		}
	}
	return types.T{}, false
}

// arrayOIDs are the array types of the scalar OIDs above (pg_type.typarray).
var arrayOIDs = map[uint32]uint32{
	types.OidBool: 1000, types.OidBytea: 1001, types.OidName: 1003, types.OidInt2: 1005,
	types.OidInt4: 1007, types.OidText: 1009, types.OidBPChar: 1014, types.OidVarchar: 1015,
	types.OidInt8: 1016, types.OidFloat4: 1021, types.OidFloat8: 1022, types.OidOid: 1028,
	types.OidTimestamp: 1115, types.OidDate: 1182, types.OidTime: 1183,
	types.OidTimestampTZ: 1185, types.OidInterval: 1187, types.OidNumeric: 1231,
	types.OidUUID: 2951, types.OidJSON: 199, types.OidJSONB: 3807,
}

// firstParamRef returns the location of the first $n in a statement's tree.
func firstParamRef(n *pg.Node) (int32, bool) {
	var loc int32
	found := false
	var visit func(m protoreflect.Message)
	visit = func(m protoreflect.Message) {
		if found {
			return
		}
		if pr, ok := m.Interface().(*pg.ParamRef); ok {
			loc, found = pr.Location, true
			return
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				l := v.List()
				for i := 0; i < l.Len() && !found; i++ {
					visit(l.Get(i).Message())
				}
			case fd.Message() != nil && !fd.IsMap():
				visit(v.Message())
			}
			return !found
		})
	}
	visit(n.ProtoReflect())
	return loc, found
}

// paramText is the `$n` at byte loc of text.
func paramText(text string, loc int) string {
	if loc < 0 || loc >= len(text) {
		return "$"
	}
	end := loc + 1
	for end < len(text) && text[end] >= '0' && text[end] <= '9' {
		end++
	}
	return text[loc:end]
}

// explainResult shows a plan, one node per line.
func explainResult(node planner.Node) *Result {
	var rows [][]*string
	for _, line := range strings.Split(strings.TrimRight(planner.Explain(node), "\n"), "\n") {
		rows = append(rows, []*string{strp(line)})
	}
	r := textResult([]string{"QUERY PLAN"}, rows)
	r.Tag = "EXPLAIN"
	return r
}
