package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarrydb/quarry/types"
)

func TestSizePretty(t *testing.T) {
	for _, tc := range []struct {
		in   int64
		want string
	}{
		// Expected values from PostgreSQL 15's pg_size_pretty(bigint).
		{0, "0 bytes"}, {10239, "10239 bytes"}, {10240, "10 kB"}, {123456789, "118 MB"},
		{-10240, "-10 kB"}, {20971519, "20 MB"}, {1 << 40, "1024 GB"}, {1 << 50, "1024 TB"},
	} {
		if got := SizePretty(tc.in); got != tc.want {
			t.Errorf("SizePretty(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatType(t *testing.T) {
	for _, tc := range []struct {
		oid    int64
		typmod int32
		want   string
	}{
		// Expected values from PostgreSQL 15's format_type.
		{1042, -1, "bpchar"}, {1042, 14, "character(10)"}, {1043, 44, "character varying(40)"},
		{1700, 655366, "numeric(10,2)"}, {1700, -1, "numeric"}, {1114, 7, "timestamp(7) without time zone"},
		{1083, 3, "time(3) without time zone"}, {1184, -1, "timestamp with time zone"},
		{18, -1, `"char"`}, {1002, -1, `"char"[]`}, {1015, 14, "character varying(10)[]"},
		{99999, -1, "???"}, {1186, -1, "interval"}, {23, 5, "integer"}, {2205, -1, "regclass"},
	} {
		if got := FormatType(tc.oid, tc.typmod); got != tc.want {
			t.Errorf("FormatType(%d, %d) = %q, want %q", tc.oid, tc.typmod, got, tc.want)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"abc": "abc", "select": `"select"`, "Foo": `"Foo"`, "user": `"user"`, "name": "name",
		"a b": `"a b"`, `a"b`: `"a""b"`, "_x1": "_x1", "1a": `"1a"`, "": `""`,
	} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRegCasts checks the casts that need no session: numbers in and out of the OID types,
// and that a name needs one (0A000 without a session).
func TestRegCasts(t *testing.T) {
	ctx := newTestCtx(t)
	for _, tc := range []struct {
		from, to types.T
		in, want string
	}{
		{types.VarcharT, types.OidT, "1259", "1259"},
		{types.VarcharT, types.OidT, "-1", "4294967295"},
		{types.VarcharT, types.RegClassT, "1259", "1259"},
		{types.VarcharT, types.RegClassT, "-", "0"},
		{types.OidT, types.VarcharT, "26", "26"},
	} {
		k, err := Cast(tc.from, tc.to, false)
		if err != nil {
			t.Fatalf("Cast(%s, %s): %v", tc.from, tc.to, err)
		}
		in := col(t, ctx, tc.from, tc.in)
		out, err := k(ctx, []arrow.Array{in}, 1)
		in.Release()
		if err != nil {
			t.Fatalf("%s::%s: %v", tc.in, tc.to, err)
		}
		if got := texts(out, tc.to)[0]; got != tc.want {
			t.Errorf("%s::%s = %s, want %s", tc.in, tc.to, got, tc.want)
		}
		out.Release()
	}
	k, _ := Cast(types.VarcharT, types.RegClassT, false)
	in := col(t, ctx, types.VarcharT, "pg_class")
	defer in.Release()
	if out, err := k(ctx, []arrow.Array{in}, 1); err == nil {
		out.Release()
		t.Error("'pg_class'::regclass without a session: no error")
	}
	if _, err := Cast(types.VarcharT, types.OidT, false); err != nil {
		t.Error(err)
	}
	if !ImplicitCast(types.Int32T, types.OidT) || !ImplicitCast(types.OidT, types.Int64T) {
		t.Error("integer ↔ oid should be implicit")
	}
}
