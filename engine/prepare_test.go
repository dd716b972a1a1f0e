package engine

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func newTestSession(t *testing.T) *Session {
	t.Helper()
	ctx := context.Background()
	store, err := catalog.OpenSQLite(filepath.Join(t.TempDir(), "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := catalog.Bootstrap(ctx, store, "pw"); err != nil {
		t.Fatal(err)
	}
	e := New(Config{Catalog: store, Stores: objstore.NewRegistry(), Formats: formats.NewRegistry(), Funcs: function.New(), Workers: 1})
	s, err := e.NewSession(ctx, "admin", DefaultCatalog, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func typeList(ts []types.T) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, ", ")
}

func columnList(cols []Column) string {
	if cols == nil {
		return "<no rows>"
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.Name + " " + c.Type.String()
	}
	return strings.Join(parts, ", ")
}

func sqlState(err error) string {
	var e *sqlerr.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "?" + err.Error()
	}
	return ""
}

// TestPrepareDescribes checks parameter type inference and result columns, as PostgreSQL 15
// reports them for the same statements (checked with psql's \gdesc and PREPARE).
func TestPrepareDescribes(t *testing.T) {
	s := newTestSession(t)
	cases := []struct {
		sql    string
		oids   []uint32
		params string
		cols   string
		code   string
	}{
		{sql: "select $1::int+1 as x, $2 as y", params: "integer, text", cols: "x integer, y text"},
		{sql: "select $1 as a, $2 + 1 as b, $3 as c", oids: []uint32{20, 705}, params: "bigint, integer, text", cols: "a bigint, b integer, c text"},
		{sql: "select x from (values (1.5::float8)) t(x) where x > $1 limit $2 offset $3", params: "double precision, bigint, bigint", cols: "x double precision"},
		{sql: "select x from (values (date '2024-01-01')) t(x) where x between $1 and $2", params: "date, date", cols: "x date"},
		{sql: "select x from (values (1), (2)) t(x) where x in ($1, $2)", params: "integer, integer", cols: "x integer"},
		{sql: "select case when $1 then 1 else 2 end", params: "boolean", cols: "case integer"},
		{sql: "select coalesce($1, 2.5) as c", params: "numeric(2,1)", cols: "c numeric(2,1)"},
		{sql: "select $1 || 'x' as s", params: "text", cols: "s text"},
		{sql: "select $1 is null as n", params: "text", cols: "n boolean"},
		{sql: "select $1::numeric(10,2) as n", params: "numeric(10,2)", cols: "n numeric(10,2)"},
		// As in PostgreSQL, an unknown output of a subquery is text.
		{sql: "select x from (values (1)) t(x) where x = (select $1)", code: "42883"},
		{sql: "select x from (values (1)) t(x) where x = (select $1::int)", params: "integer", cols: "x integer"},
		{sql: "select $1 as a", oids: []uint32{1043}, params: "text", cols: "a text"},
		{sql: "select $1", oids: []uint32{25, 23}, params: "text, integer", cols: "?column? text"},
		{sql: "select $2::int", code: "42P18"},
		{sql: "select $1 + $2", code: "42883"},
		{sql: "select 1; select 2", code: "42601"},
		{sql: "select $1", oids: []uint32{869}, code: "0A000"},
		{sql: "explain analyze select $1::int", params: "integer", cols: "QUERY PLAN text"},
		{sql: "explain (analyze, format json) select 1", code: "0A000"},
		{sql: "set application_name = 'x'", cols: "<no rows>"},
		{sql: "begin", cols: "<no rows>"},
		{sql: "show timezone", cols: "TimeZone text"},
		{sql: "show nosuch", code: "42704"},
		{sql: "explain select $1::int", params: "integer", cols: "QUERY PLAN text"},
		{sql: "show tables", cols: "tab_name text"},
		{sql: "", cols: "<no rows>"},
		{sql: "-- nothing", cols: "<no rows>"},
	}
	for _, tc := range cases {
		t.Run(tc.sql, func(t *testing.T) {
			p, err := s.Prepare(context.Background(), tc.sql, tc.oids)
			if got := sqlState(err); got != tc.code {
				t.Fatalf("error %v, want SQLSTATE %q", err, tc.code)
			}
			if err != nil {
				return
			}
			if got := typeList(p.ParamTypes); got != tc.params {
				t.Errorf("parameters: got %q, want %q", got, tc.params)
			}
			if got := columnList(p.Columns); got != tc.cols {
				t.Errorf("columns: got %q, want %q", got, tc.cols)
			}
			if len(p.ParamOIDs) != len(p.ParamTypes) {
				t.Errorf("%d OIDs for %d parameters", len(p.ParamOIDs), len(p.ParamTypes))
			}
		})
	}
}

// TestPrepareKeepsDeclaredOIDs: ParameterDescription echoes what the client declared.
func TestPrepareKeepsDeclaredOIDs(t *testing.T) {
	s := newTestSession(t)
	p, err := s.Prepare(context.Background(), "select $1 as a, $2 as b, $3::int as c", []uint32{1043, 0})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.ParamOIDs; len(got) != 3 || got[0] != 1043 || got[1] != 25 || got[2] != 23 {
		t.Fatalf("OIDs %v", got)
	}
}

// TestPrepareErrorPosition: positions count from the start of the whole query string.
func TestPrepareErrorPosition(t *testing.T) {
	s := newTestSession(t)
	_, err := s.Prepare(context.Background(), "  ;  select nosuchcol", nil)
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Position != 13 {
		t.Fatalf("got %v (position %d), want position 13", err, e.Position)
	}
}

func collect(t *testing.T, res *Result) string {
	t.Helper()
	defer res.Rows.Close()
	var out []string
	for {
		rec, err := res.Rows.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return strings.Join(out, ";")
		}
		if err != nil {
			t.Fatal(err)
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			var row []string
			for c := 0; c < int(rec.NumCols()); c++ {
				row = append(row, rec.Column(c).ValueStr(r))
			}
			out = append(out, strings.Join(row, ","))
		}
		rec.Release()
	}
}

func TestExecutePrepared(t *testing.T) {
	s := newTestSession(t)
	ctx := context.Background()
	p, err := s.Prepare(ctx, "select x + $1 as s, $2 as t from (values (1), (2)) v(x) where x >= $3 order by x", nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		params []Param
		want   string
		code   string
	}{
		{[]Param{{Text: "40"}, {Text: "a"}, {Value: int32(1)}}, "41,a;42,a", ""},
		{[]Param{{Value: int32(1)}, {Null: true}, {Text: "2"}}, "3,(null)", ""},
		{[]Param{{Null: true}, {Value: "b"}, {Text: "0"}}, "(null),b;(null),b", ""},
		{[]Param{{Text: "x"}, {Text: "a"}, {Text: "1"}}, "", "22P02"},
		{[]Param{{Value: int64(1)}, {Text: "a"}, {Text: "1"}}, "", "XX000"},
		{[]Param{{Text: "1"}}, "", "08P01"},
	}
	for _, tc := range cases {
		res, err := s.ExecutePrepared(ctx, p, tc.params)
		if got := sqlState(err); got != tc.code {
			t.Fatalf("%+v: error %v, want %q", tc.params, err, tc.code)
		}
		if err != nil {
			continue
		}
		if got := collect(t, res); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.params, got, tc.want)
		}
		if columnList(res.Columns) != columnList(p.Columns) {
			t.Errorf("columns %s, described %s", columnList(res.Columns), columnList(p.Columns))
		}
	}

	// Declared types the column does not have are compared as PostgreSQL would: numeric
	// (pgJDBC's setBigDecimal) against numeric(10,2), bigint against integer.
	for _, tc := range []struct {
		sql  string
		oids []uint32
		p    Param
	}{
		{"select x from (values (1.50::numeric(10,2)), (2)) t(x) where x = $1", []uint32{1700}, Param{Text: "1.5"}},
		{"select x from (values (1), (2)) t(x) where x = $1", []uint32{20}, Param{Value: int64(1)}},
		{"select x from (values ('a'), ('b')) t(x) where x = $1", []uint32{1043}, Param{Text: "a"}},
	} {
		p, err := s.Prepare(ctx, tc.sql, tc.oids)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		res, err := s.ExecutePrepared(ctx, p, []Param{tc.p})
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if got := collect(t, res); strings.Count(got, ";") != 0 || got == "" {
			t.Errorf("%s: got %q, want one row", tc.sql, got)
		}
	}

	// A statement without parameters runs as Execute would.
	p, err = s.Prepare(ctx, "set application_name = 'prep'", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ExecutePrepared(ctx, p, nil)
	if err != nil || res.Tag != "SET" || res.Params["application_name"] != "prep" {
		t.Fatalf("SET: %+v %v", res, err)
	}
	// EXPLAIN shows the plan with the values bound.
	p, err = s.Prepare(ctx, "explain select $1::int + 1", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err = s.ExecutePrepared(ctx, p, []Param{{Text: "41"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, res); !strings.Contains(got, "42") {
		t.Errorf("EXPLAIN: %q", got)
	}
}

// TestParamArray converts each kind of parameter from text and from a typed value.
func TestParamArray(t *testing.T) {
	cases := []struct {
		typ  types.T
		p    Param
		want string // ValueStr of the array's element
		code string
	}{
		{types.BoolT, Param{Text: "yes"}, "true", ""},
		{types.BoolT, Param{Value: false}, "false", ""},
		{types.Int16T, Param{Text: "-5"}, "-5", ""},
		{types.Int16T, Param{Text: "40000"}, "", "22003"},
		{types.Int32T, Param{Value: int32(7)}, "7", ""},
		{types.Int64T, Param{Text: " 12 "}, "12", ""},
		{types.Float32T, Param{Value: float32(1.5)}, "1.5", ""},
		{types.Float64T, Param{Text: "1e3"}, "1000", ""},
		{types.DecimalT(10, 2), Param{Text: "1.255"}, "1.26", ""},
		{types.VarcharT, Param{Text: "héllo"}, "héllo", ""},
		{types.T{Kind: types.Varchar, Precision: 2}, Param{Text: "long"}, "long", ""},
		{types.JSONT, Param{Text: `{"a": 1}`}, `{"a": 1}`, ""},
		{types.JSONT, Param{Text: `{"a": `}, "", "22P02"},
		{types.ByteaT, Param{Text: `\x0102`}, "AQI=", ""}, // Arrow prints binary as base64
		{types.ByteaT, Param{Value: []byte{1}}, "AQ==", ""},
		{types.UUIDT, Param{Text: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}, "oO68mZwLTvi7bWu5vTgKEQ==", ""},
		{types.UUIDT, Param{Value: [16]byte{1}}, "AQAAAAAAAAAAAAAAAAAAAA==", ""},
		{types.DateT, Param{Text: "2024-02-29"}, "2024-02-29", ""},
		{types.DateT, Param{Value: int32(0)}, "1970-01-01", ""},
		{types.TimeT, Param{Value: int64(3_600_000_000)}, "01:00:00.000000", ""},
		{types.TimestampT, Param{Text: "2024-01-01 10:00:00"}, "2024-01-01T10:00:00", ""},
		{types.TimestampTZT, Param{Text: "2024-01-01 10:00:00+02"}, "2024-01-01T08:00:00Z", ""},
		{types.IntervalT, Param{Text: "1 day 2 hours"}, "", ""},
		{types.IntervalT, Param{Value: arrow.MonthDayNanoInterval{Months: 1}}, "", ""},
		{types.Int32T, Param{Null: true}, "(null)", ""},
		{types.ArrayT(types.Int32T), Param{Text: "{1}"}, "", "0A000"},
		{types.Int32T, Param{Value: "7"}, "", "XX000"},
	}
	for _, tc := range cases {
		arr, err := ParamArray(tc.typ, tc.p, "UTC")
		if got := sqlState(err); got != tc.code {
			t.Errorf("%s %+v: error %v, want %q", tc.typ, tc.p, err, tc.code)
			continue
		}
		if err != nil {
			continue
		}
		if arr.Len() != 1 || !arrow.TypeEqual(arr.DataType(), tc.typ.Arrow()) {
			t.Errorf("%s %+v: array %s of length %d", tc.typ, tc.p, arr.DataType(), arr.Len())
		}
		if got := arr.ValueStr(0); tc.want != "" && got != tc.want {
			t.Errorf("%s %+v: got %q, want %q", tc.typ, tc.p, got, tc.want)
		}
		arr.Release()
	}
}
