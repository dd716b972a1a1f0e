package pgwire

import (
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgx in every query exec mode against the real engine: parameters of each type in both
// directions (pgx sends and reads binary for most of them, text for text and json), NULLs,
// parameters in predicates over a table, and the errors of bad parameters.

var execModes = []pgx.QueryExecMode{
	pgx.QueryExecModeCacheStatement,
	pgx.QueryExecModeCacheDescribe,
	pgx.QueryExecModeDescribeExec,
	pgx.QueryExecModeExec,
	pgx.QueryExecModeSimpleProtocol,
}

func utc(y int, m time.Month, d, hh, mm, ss, us int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, us*1000, time.UTC)
}

// roundTrips are `SELECT $1::type` with a Go value sent and read back. The arguments are
// ones pgx can also send without knowing the parameter's type (QueryExecModeExec and the
// simple protocol send text).
var roundTrips = []struct {
	typ  string
	arg  any
	want any
}{
	{"bool", true, true},
	{"int2", int16(-7), int16(-7)},
	{"int4", int32(42), int32(42)},
	{"int8", int64(-9_000_000_000_000_000), int64(-9_000_000_000_000_000)},
	{"float4", float32(1.5), float32(1.5)},
	{"float8", 3.25, 3.25},
	{"text", "héllo ✓", "héllo ✓"},
	{"varchar", "abc", "abc"},
	{"bytea", []byte{0, 1, 255}, []byte{0, 1, 255}},
	{"date", utc(2024, 2, 29, 0, 0, 0, 0), utc(2024, 2, 29, 0, 0, 0, 0)},
	{"timestamp", utc(1999, 12, 31, 23, 59, 59, 999999), utc(1999, 12, 31, 23, 59, 59, 999999)},
	{"timestamptz", utc(2024, 6, 1, 12, 34, 56, 123456), utc(2024, 6, 1, 12, 34, 56, 123456)},
	{"time", pgtype.Time{Microseconds: 45296789000, Valid: true}, pgtype.Time{Microseconds: 45296789000, Valid: true}},
	{"interval", pgtype.Interval{Microseconds: 14706789000, Days: 3, Months: 14, Valid: true},
		pgtype.Interval{Microseconds: 14706789000, Days: 3, Months: 14, Valid: true}},
	{"uuid", pgtype.UUID{Bytes: [16]byte{0xa0, 0xee, 0xbc, 0x99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Valid: true},
		[16]byte{0xa0, 0xee, 0xbc, 0x99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
	{"numeric(10,2)", pgtype.Numeric{Int: big.NewInt(-12345), Exp: -2, Valid: true}, "-123.45"},
	{"numeric(20,4)", pgtype.Numeric{Int: big.NewInt(7), Exp: 3, Valid: true}, "7000.0000"},
	{"json", `{"a": 1}`, map[string]any{"a": float64(1)}},
}

func TestPgxRoundTrips(t *testing.T) {
	addr := startEngineServer(t)
	for _, mode := range execModes {
		c := connectEngine(t, addr, mode)
		for _, rt := range roundTrips {
			t.Run(fmt.Sprintf("%v/%s", mode, rt.typ), func(t *testing.T) {
				ctx := testCtx(t)
				if s, ok := rt.want.(string); ok && strings.HasPrefix(rt.typ, "numeric") {
					// Read numerics back as pgtype.Numeric, compared through their text.
					var n pgtype.Numeric
					if err := c.QueryRow(ctx, "select $1::"+rt.typ, rt.arg).Scan(&n); err != nil {
						t.Fatal(err)
					}
					if got := numericString(n); got != s {
						t.Fatalf("got %s, want %s", got, s)
					}
					return
				}
				dst := reflect.New(reflect.TypeOf(rt.want))
				if err := c.QueryRow(ctx, "select $1::"+rt.typ, rt.arg).Scan(dst.Interface()); err != nil {
					t.Fatal(err)
				}
				got := dst.Elem().Interface()
				if gt, ok := got.(time.Time); ok {
					if !gt.Equal(rt.want.(time.Time)) {
						t.Fatalf("got %v, want %v", gt, rt.want)
					}
					return
				}
				if !reflect.DeepEqual(got, rt.want) {
					t.Fatalf("got %#v, want %#v", got, rt.want)
				}
			})
		}
		t.Run(fmt.Sprintf("%v/null", mode), func(t *testing.T) {
			var isNull bool
			var v *int32
			if err := c.QueryRow(testCtx(t), "select $1::int4 is null, $1::int4", nil).Scan(&isNull, &v); err != nil {
				t.Fatal(err)
			}
			if !isNull || v != nil {
				t.Fatalf("NULL parameter: is null %v, value %v", isNull, v)
			}
		})
	}
}

// numericString prints a pgtype.Numeric as PostgreSQL's text, for comparison.
func numericString(n pgtype.Numeric) string {
	b, _ := n.MarshalJSON()
	return string(b)
}

// TestPgxTablePredicates binds parameters against the items table's columns, whose types
// the parameters take.
func TestPgxTablePredicates(t *testing.T) {
	addr := startEngineServer(t)
	cases := []struct {
		sql  string
		args []any
		want string
	}{
		{"select name from items where id = $1", []any{2}, "banana"},
		{"select id from items where name = $1", []any{"cherry"}, "3"},
		{"select id from items where price = $1", []any{pgtype.Numeric{Int: big.NewInt(1200), Exp: -2, Valid: true}}, "3"},
		{"select id from items where price > $1 order by id", []any{1.0}, "1,3,4"},
		{"select id from items where ok = $1 order by id", []any{true}, "1,3"},
		{"select id from items where d = $1", []any{utc(2024, 2, 29, 0, 0, 0, 0)}, "2"},
		{"select id from items where ts = $1", []any{utc(2024, 1, 1, 10, 0, 0, 0)}, "1"},
		{"select id from items where ts > $1 order by id", []any{utc(2000, 1, 1, 0, 0, 0, 0)}, "1,2,4"},
		{"select id from items where f < $1", []any{0.0}, "2"},
		{"select id from items where big = $1", []any{int64(10_000_000_000)}, "1"},
		{"select count(*) from items where name = $1", []any{nil}, "0"},
		{"select id from items where name like $1 order by id", []any{"%an%"}, "2"},
		{"select id from items order by id limit $1 offset $2", []any{2, 1}, "2,3"},
		{"select id from items where id in ($1, $2) order by id", []any{1, 5}, "1,5"},
		{"select id from items where id between $1 and $2 order by id", []any{2, 3}, "2,3"},
		{"select coalesce(name, $1) from items where id = 5", []any{"none"}, "none"},
		{"select id + $1 from items where id = 1", []any{41}, "42"},
	}
	for _, mode := range execModes {
		c := connectEngine(t, addr, mode)
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%s", mode, tc.sql), func(t *testing.T) {
				rows, err := c.Query(testCtx(t), tc.sql, tc.args...)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for rows.Next() {
					vals, err := rows.Values()
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, fmt.Sprint(vals[0]))
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				if strings.Join(got, ",") != tc.want {
					t.Fatalf("got %v, want %s", got, tc.want)
				}
			})
		}
	}
}

// TestParamErrors checks the errors of bad parameters, sent with pgconn so that the client
// does not catch them first.
func TestParamErrors(t *testing.T) {
	addr := startEngineServer(t)
	c := connectEngine(t, addr, pgx.QueryExecModeCacheStatement)
	pc := c.PgConn()
	ctx := testCtx(t)
	const int4 = 23
	cases := []struct {
		name   string
		sql    string
		oids   []uint32
		params [][]byte
		codes  []int16
		code   string
	}{
		{"too few", "select $1::int + $2::int", nil, [][]byte{[]byte("1")}, nil, "08P01"},
		{"too many", "select $1::int", nil, [][]byte{[]byte("1"), []byte("2")}, nil, "08P01"},
		{"bad text int", "select $1", []uint32{int4}, [][]byte{[]byte("abc")}, nil, "22P02"},
		{"bad text cast", "select $1::text::int", nil, [][]byte{[]byte("abc")}, nil, "22P02"},
		{"bad date", "select $1::date", nil, [][]byte{[]byte("2024-13-01")}, nil, "22008"},
		{"binary too short", "select $1::int", nil, [][]byte{{0, 1}}, []int16{1}, "08P01"},
		{"binary too long", "select $1::int", nil, [][]byte{{0, 0, 0, 0, 1}}, []int16{1}, "22P03"},
		{"bad format code", "select $1::int", nil, [][]byte{[]byte("1")}, []int16{7}, "22023"},
		{"bad utf8", "select $1::text", nil, [][]byte{{0xff, 0xfe}}, nil, "22021"},
		{"none given", "select $1", nil, nil, nil, "08P01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := pc.ExecParams(ctx, tc.sql, tc.params, tc.oids, tc.codes, nil).Read()
			var pe *pgconn.PgError
			if !errors.As(res.Err, &pe) || pe.Code != tc.code {
				t.Fatalf("got %v, want SQLSTATE %s", res.Err, tc.code)
			}
		})
	}
	// The connection is still usable.
	var n int
	if err := c.QueryRow(ctx, "select $1::int", 7).Scan(&n); err != nil || n != 7 {
		t.Fatalf("after errors: %v %v", n, err)
	}
}
