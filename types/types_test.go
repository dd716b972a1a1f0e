package types

import (
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want T
		hive string
		pg   string
	}{
		{"int", Int32T, "int", "integer"},
		{"INTEGER", Int32T, "int", "integer"},
		{"bigint", Int64T, "bigint", "bigint"},
		{"tinyint", Int16T, "smallint", "smallint"},
		{"double", Float64T, "double", "double precision"},
		{"double precision", Float64T, "double", "double precision"},
		{"float", Float32T, "float", "real"},
		{"decimal(15,2)", DecimalT(15, 2), "decimal(15,2)", "numeric(15,2)"},
		{"decimal", DecimalT(10, 0), "decimal(10,0)", "numeric(10,0)"},
		{"string", VarcharT, "string", "text"},
		{"varchar(10)", T{Kind: Varchar, Precision: 10}, "varchar(10)", "character varying(10)"},
		{"character varying(5)", T{Kind: Varchar, Precision: 5}, "varchar(5)", "character varying(5)"},
		{"date", DateT, "date", "date"},
		{"timestamp", TimestampT, "timestamp", "timestamp without time zone"},
		{"timestamp(3) with time zone", TimestampTZT, "timestamp", "timestamp with time zone"},
		{"boolean", BoolT, "boolean", "boolean"},
		{"binary", ByteaT, "binary", "bytea"},
		{"array<string>", ArrayT(VarcharT), "array<string>", "text[]"},
		{"array(integer)", ArrayT(Int32T), "array<int>", "integer[]"},
		{"int[]", ArrayT(Int32T), "array<int>", "integer[]"},
		{"map<string,int>", T{Kind: Map, Key: &VarcharT, Elem: &Int32T}, "map<string,int>", "map(text, integer)"},
		{"struct<a:int,b:array<string>>", T{Kind: Struct, Fields: []Field{{"a", Int32T}, {"b", ArrayT(VarcharT)}}}, "struct<a:int,b:array<string>>", "row(a integer, b text[])"},
		{"row(a integer, b varchar)", T{Kind: Struct, Fields: []Field{{"a", Int32T}, {"b", VarcharT}}}, "struct<a:int,b:string>", "row(a integer, b text)"},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("Parse(%q) = %v, want %v", c.in, got, c.want)
		}
		if got.HiveName() != c.hive || got.PGName() != c.pg {
			t.Errorf("Parse(%q) names: hive %q pg %q, want %q %q", c.in, got.HiveName(), got.PGName(), c.hive, c.pg)
		}
		// The Hive name reads back as the same type (the catalog stores Hive names).
		back, err := Parse(got.HiveName())
		if err != nil || (!back.Equal(got) && got.Kind != TimestampTZ) {
			t.Errorf("Parse(HiveName(%q)) = %v, %v", c.in, back, err)
		}
		// Arrow round trip (Arrow strings carry no length limit).
		if a, err := FromArrow(got.Arrow()); err != nil || (!a.Equal(got) && !(got.Kind == Varchar && a.Kind == Varchar)) {
			t.Errorf("FromArrow(Arrow(%v)) = %v, %v", got, a, err)
		}
	}
	for _, bad := range []string{"", "nosuch", "decimal(40,2)", "decimal(5,6)", "array<int", "map<int>", "struct<a int>", "int junk", "decimal(99999999999999,1)"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func TestOIDs(t *testing.T) {
	cases := []struct {
		t      T
		oid    uint32
		typmod int32
		size   int16
	}{
		{BoolT, OidBool, -1, 1},
		{Int32T, OidInt4, -1, 4},
		{Int64T, OidInt8, -1, 8},
		{DecimalT(15, 2), OidNumeric, (15<<16 | 2) + 4, -1},
		{VarcharT, OidText, -1, -1},
		{T{Kind: Varchar, Precision: 10}, OidVarchar, 14, -1},
		{DateT, OidDate, -1, 4},
		{TimestampTZT, OidTimestampTZ, -1, 8},
		{ArrayT(Int32T), 1007, -1, -1},
	}
	for _, c := range cases {
		if c.t.OID() != c.oid || c.t.Typmod() != c.typmod || c.t.Size() != c.size {
			t.Errorf("%v: oid %d typmod %d size %d, want %d %d %d", c.t, c.t.OID(), c.t.Typmod(), c.t.Size(), c.oid, c.typmod, c.size)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"int", "array<struct<a:int,b:map<string,decimal(10,2)>>>", "row(a integer)", "timestamp(3) with time zone", "int[][]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, err := Parse(s)
		if err != nil {
			return
		}
		// Whatever parses has names that parse again.
		if _, err := Parse(typ.HiveName()); err != nil && typ.Kind != Interval && typ.Kind != Time && typ.Kind != JSON && typ.Kind != UUID {
			t.Errorf("HiveName %q of %q does not parse: %v", typ.HiveName(), s, err)
		}
	})
}
