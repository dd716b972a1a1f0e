package pgwire

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/float16"
	"github.com/quarrydb/quarry/types"
)

// The expected strings are what PostgreSQL 15.18 prints for the same values (checked with
// psql against a local server, TimeZone UTC, default settings).

const null = "\x00NULL" // marks an expected SQL NULL

type encCase struct {
	name string
	t    types.T
	arr  func() arrow.Array
	want []string
}

func build[B array.Builder](dt arrow.DataType, fill func(b B)) func() arrow.Array {
	return func() arrow.Array {
		b := array.NewBuilder(testAlloc, dt).(B)
		defer b.Release()
		fill(b)
		return b.NewArray()
	}
}

func days(y int, m time.Month, d int) arrow.Date32 {
	return arrow.Date32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func micros(y int, m time.Month, d, hh, mm, ss, us int) arrow.Timestamp {
	return arrow.Timestamp(time.Date(y, m, d, hh, mm, ss, us*1000, time.UTC).UnixMicro())
}

func dur(h, m, s, us int64) int64 {
	return ((h*3600+m*60+s)*1_000_000 + us) * 1000 // nanoseconds
}

func decimal(t *testing.T, s string, p, sc int32) decimal128.Num {
	n, err := decimal128.FromString(s, p, sc)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func scalarCases(t *testing.T) []encCase {
	ts := &arrow.TimestampType{Unit: arrow.Microsecond}
	tstz := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	dec := func(p, s int32, vals ...string) func() arrow.Array {
		return build(&arrow.Decimal128Type{Precision: p, Scale: s}, func(b *array.Decimal128Builder) {
			for _, v := range vals {
				b.Append(decimal(t, v, p, s))
			}
		})
	}
	return []encCase{
		{"bool", types.BoolT, build(arrow.FixedWidthTypes.Boolean, func(b *array.BooleanBuilder) {
			b.AppendValues([]bool{true, false}, nil)
			b.AppendNull()
		}), []string{"t", "f", null}},
		{"int2", types.Int16T, build(arrow.PrimitiveTypes.Int16, func(b *array.Int16Builder) {
			b.AppendValues([]int16{-32768, 0, 32767}, nil)
		}), []string{"-32768", "0", "32767"}},
		{"int4", types.Int32T, build(arrow.PrimitiveTypes.Int32, func(b *array.Int32Builder) {
			b.AppendValues([]int32{-2147483648, 42}, nil)
			b.AppendNull()
		}), []string{"-2147483648", "42", null}},
		{"int8", types.Int64T, build(arrow.PrimitiveTypes.Int64, func(b *array.Int64Builder) {
			b.AppendValues([]int64{math.MaxInt64, math.MinInt64}, nil)
		}), []string{"9223372036854775807", "-9223372036854775808"}},
		{"uint64 as numeric", types.DecimalT(20, 0), build(arrow.PrimitiveTypes.Uint64, func(b *array.Uint64Builder) {
			b.Append(math.MaxUint64)
		}), []string{"18446744073709551615"}},
		{"float8", types.Float64T, build(arrow.PrimitiveTypes.Float64, func(b *array.Float64Builder) {
			b.AppendValues([]float64{1e6, 1e14, 1e15, 123456789012345, 0.0001, 0.00001, 1e20, 1.5e-7, 0.1,
				1e100, math.Copysign(0, -1), math.MaxFloat64, 5e-324, math.NaN(), math.Inf(1), math.Inf(-1), -2.5, 1.0 / 3}, nil)
		}), []string{"1000000", "100000000000000", "1e+15", "123456789012345", "0.0001", "1e-05", "1e+20", "1.5e-07", "0.1",
			"1e+100", "-0", "1.7976931348623157e+308", "5e-324", "NaN", "Infinity", "-Infinity", "-2.5", "0.3333333333333333"}},
		{"float4", types.Float32T, build(arrow.PrimitiveTypes.Float32, func(b *array.Float32Builder) {
			b.AppendValues([]float32{1e6, 123456, 1234567, 0.0001, 0.00001, 1e15, 3.4e38, 0.1, 1.5e-7,
				float32(math.NaN()), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 100000, 999999}, nil)
		}), []string{"1e+06", "123456", "1.234567e+06", "0.0001", "1e-05", "1e+15", "3.4e+38", "0.1", "1.5e-07",
			"NaN", "-Infinity", "-0", "100000", "999999"}},
		{"float16", types.Float32T, build(arrow.FixedWidthTypes.Float16, func(b *array.Float16Builder) {
			b.Append(float16.New(1.5))
		}), []string{"1.5"}},
		{"numeric(10,2)", types.DecimalT(10, 2), dec(10, 2, "1.50", "0", "-12345678.9"), []string{"1.50", "0.00", "-12345678.90"}},
		{"numeric(10,3)", types.DecimalT(10, 3), dec(10, 3, "-0.001"), []string{"-0.001"}},
		{"numeric(38,0)", types.DecimalT(38, 0), dec(38, 0, "99999999999999999999999999999999999999", "-5"),
			[]string{"99999999999999999999999999999999999999", "-5"}},
		{"numeric(38,10)", types.DecimalT(38, 10), dec(38, 10, "-1234567890123456789012345678.9012345678"),
			[]string{"-1234567890123456789012345678.9012345678"}},
		{"numeric(38,38)", types.DecimalT(38, 38), dec(38, 38, "0.00000000000000000000000000000000000001"),
			[]string{"0.00000000000000000000000000000000000001"}},
		{"numeric negative scale", types.DecimalT(5, 0), func() arrow.Array {
			b := array.NewDecimal128Builder(testAlloc, &arrow.Decimal128Type{Precision: 5, Scale: -2})
			defer b.Release()
			b.AppendValues([]decimal128.Num{decimal128.FromI64(123), decimal128.FromI64(0)}, nil)
			return b.NewArray()
		}, []string{"12300", "0"}},
		{"text", types.VarcharT, build(arrow.BinaryTypes.String, func(b *array.StringBuilder) {
			b.AppendValues([]string{"hello", "", "é ü", "NULL"}, nil)
			b.AppendNull()
		}), []string{"hello", "", "é ü", "NULL", null}},
		{"text view", types.VarcharT, build(arrow.BinaryTypes.StringView, func(b *array.StringViewBuilder) {
			b.Append("a longer string that is not inlined in the view")
		}), []string{"a longer string that is not inlined in the view"}},
		{"json", types.JSONT, build(arrow.BinaryTypes.String, func(b *array.StringBuilder) {
			b.Append(`{"a": 1}`)
		}), []string{`{"a": 1}`}},
		{"bytea", types.ByteaT, build(arrow.BinaryTypes.Binary, func(b *array.BinaryBuilder) {
			b.AppendValues([][]byte{{0xde, 0xad, 0xbe, 0xef}, {}}, nil)
		}), []string{`\xdeadbeef`, `\x`}},
		{"binary holding text", types.VarcharT, build(arrow.BinaryTypes.Binary, func(b *array.BinaryBuilder) {
			b.Append([]byte("abc"))
		}), []string{"abc"}},
		{"uuid", types.UUIDT, build(&arrow.FixedSizeBinaryType{ByteWidth: 16}, func(b *array.FixedSizeBinaryBuilder) {
			b.Append([]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11})
		}), []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
		{"fixed binary as bytea", types.ByteaT, build(&arrow.FixedSizeBinaryType{ByteWidth: 2}, func(b *array.FixedSizeBinaryBuilder) {
			b.Append([]byte{1, 2})
		}), []string{`\x0102`}},
		{"date", types.DateT, build(arrow.FixedWidthTypes.Date32, func(b *array.Date32Builder) {
			b.AppendValues([]arrow.Date32{days(-43, 3, 15), days(10000, 1, 1), days(2024, 2, 29), days(1970, 1, 1),
				days(1969, 12, 31), days(-4712, 1, 1), days(1, 1, 1), days(0, 12, 31), math.MaxInt32, math.MinInt32}, nil)
		}), []string{"0044-03-15 BC", "10000-01-01", "2024-02-29", "1970-01-01", "1969-12-31", "4713-01-01 BC",
			"0001-01-01", "0001-12-31 BC", "infinity", "-infinity"}},
		{"date64", types.DateT, build(arrow.FixedWidthTypes.Date64, func(b *array.Date64Builder) {
			b.Append(arrow.Date64(int64(days(2024, 2, 29)) * 86_400_000))
		}), []string{"2024-02-29"}},
		{"time", types.TimeT, build(arrow.FixedWidthTypes.Time64us, func(b *array.Time64Builder) {
			b.AppendValues([]arrow.Time64{(4*3600+5*60+6)*1e6 + 789000, 86400e6, 0, 1}, nil)
		}), []string{"04:05:06.789", "24:00:00", "00:00:00", "00:00:00.000001"}},
		{"time32 ms", types.TimeT, build(arrow.FixedWidthTypes.Time32ms, func(b *array.Time32Builder) {
			b.Append(arrow.Time32(3723004))
		}), []string{"01:02:03.004"}},
		{"timestamp", types.TimestampT, build(ts, func(b *array.TimestampBuilder) {
			b.AppendValues([]arrow.Timestamp{micros(2024, 1, 2, 3, 4, 5, 120000), micros(-43, 3, 15, 12, 0, 0, 0),
				micros(1969, 12, 31, 23, 59, 59, 999999), math.MinInt64, math.MaxInt64}, nil)
		}), []string{"2024-01-02 03:04:05.12", "0044-03-15 12:00:00 BC", "1969-12-31 23:59:59.999999", "-infinity", "infinity"}},
		{"timestamptz", types.TimestampTZT, build(tstz, func(b *array.TimestampBuilder) {
			b.AppendValues([]arrow.Timestamp{micros(2024, 1, 2, 3, 4, 5, 0), micros(-43, 3, 15, 12, 0, 0, 500000),
				micros(2000, 2, 29, 0, 0, 0, 1)}, nil)
		}), []string{"2024-01-02 03:04:05+00", "0044-03-15 12:00:00.5+00 BC", "2000-02-29 00:00:00.000001+00"}},
		{"timestamp ns", types.TimestampT, build(&arrow.TimestampType{Unit: arrow.Nanosecond}, func(b *array.TimestampBuilder) {
			b.Append(arrow.Timestamp(-1)) // floors to the microsecond before the epoch
		}), []string{"1969-12-31 23:59:59.999999"}},
		{"interval", types.IntervalT, build(arrow.FixedWidthTypes.MonthDayNanoInterval, func(b *array.MonthDayNanoIntervalBuilder) {
			b.AppendValues([]arrow.MonthDayNanoInterval{
				{Months: 14, Days: 3, Nanoseconds: dur(4, 5, 6, 0)},
				{},
				{Months: -14, Days: 3, Nanoseconds: -dur(4, 5, 6, 500000)},
				{Days: 1, Nanoseconds: -dur(1, 0, 0, 0)},
				{Nanoseconds: -dur(1, 30, 0, 0)},
				{Nanoseconds: dur(25, 0, 0, 0)},
				{Days: -1},
				{Months: 1, Days: -1},
				{Nanoseconds: dur(0, 0, 1, 1)},
				{Months: -36, Nanoseconds: dur(5, 0, 0, 0)},
				{Months: -1},
				{Months: 1, Days: 1},
				{Days: -1, Nanoseconds: dur(1, 0, 0, 0)},
				{Months: 11},
				{Nanoseconds: -dur(0, 0, 0, 500000)},
				{Months: 1200},
				{Days: 1, Nanoseconds: dur(0, 0, 0, 100000)},
			}, nil)
		}), []string{"1 year 2 mons 3 days 04:05:06", "00:00:00", "-1 years -2 mons +3 days -04:05:06.5",
			"1 day -01:00:00", "-01:30:00", "25:00:00", "-1 days", "1 mon -1 days", "00:00:01.000001",
			"-3 years +05:00:00", "-1 mons", "1 mon 1 day", "-1 days +01:00:00", "11 mons", "-00:00:00.5",
			"100 years", "1 day 00:00:00.1"}},
		{"duration", types.IntervalT, build(&arrow.DurationType{Unit: arrow.Second}, func(b *array.DurationBuilder) {
			b.Append(arrow.Duration(90061))
		}), []string{"25:01:01"}},
		{"null array", types.Int32T, func() arrow.Array { return array.NewNull(2) }, []string{null, null}},
	}
}

func nestedCases() []encCase {
	list := func(elem arrow.DataType, fill func(lb *array.ListBuilder)) func() arrow.Array {
		return build(arrow.ListOf(elem), fill)
	}
	return []encCase{
		{"int4[]", types.ArrayT(types.Int32T), list(arrow.PrimitiveTypes.Int32, func(lb *array.ListBuilder) {
			vb := lb.ValueBuilder().(*array.Int32Builder)
			lb.Append(true)
			vb.AppendValues([]int32{1, 2}, nil)
			vb.AppendNull()
			lb.Append(true) // empty
			lb.AppendNull()
		}), []string{"{1,2,NULL}", "{}", null}},
		{"text[] quoting", types.ArrayT(types.VarcharT), list(arrow.BinaryTypes.String, func(lb *array.ListBuilder) {
			lb.Append(true)
			lb.ValueBuilder().(*array.StringBuilder).AppendValues(
				[]string{"a b", "", "NULL", "null", `x"y`, `back\slash`, "{", "ok"}, nil)
			lb.Append(true)
			lb.ValueBuilder().(*array.StringBuilder).AppendValues([]string{" a", "a\tb", "é"}, nil)
		}), []string{`{"a b","","NULL","null","x\"y","back\\slash","{",ok}`, "{\" a\",\"a\tb\",é}"}},
		{"bytea[]", types.ArrayT(types.ByteaT), list(arrow.BinaryTypes.Binary, func(lb *array.ListBuilder) {
			lb.Append(true)
			lb.ValueBuilder().(*array.BinaryBuilder).Append([]byte{1, 2})
		}), []string{`{"\\x0102"}`}},
		{"int4[][]", types.ArrayT(types.ArrayT(types.Int32T)), list(arrow.ListOf(arrow.PrimitiveTypes.Int32), func(lb *array.ListBuilder) {
			inner := lb.ValueBuilder().(*array.ListBuilder)
			vb := inner.ValueBuilder().(*array.Int32Builder)
			lb.Append(true)
			inner.Append(true)
			vb.AppendValues([]int32{1, 2}, nil)
			inner.Append(true)
			vb.AppendValues([]int32{3, 4}, nil)
		}), []string{"{{1,2},{3,4}}"}},
		{"timestamp[]", types.ArrayT(types.TimestampT), list(&arrow.TimestampType{Unit: arrow.Microsecond}, func(lb *array.ListBuilder) {
			lb.Append(true)
			lb.ValueBuilder().(*array.TimestampBuilder).Append(micros(2024, 1, 1, 0, 0, 0, 0))
		}), []string{`{"2024-01-01 00:00:00"}`}},
		{"bool[] and float8[]", types.ArrayT(types.Float64T), list(arrow.PrimitiveTypes.Float64, func(lb *array.ListBuilder) {
			lb.Append(true)
			lb.ValueBuilder().(*array.Float64Builder).AppendValues([]float64{1.5, math.NaN()}, nil)
		}), []string{"{1.5,NaN}"}},
		{"bool[]", types.ArrayT(types.BoolT), list(arrow.FixedWidthTypes.Boolean, func(lb *array.ListBuilder) {
			lb.Append(true)
			lb.ValueBuilder().(*array.BooleanBuilder).AppendValues([]bool{true, false}, nil)
		}), []string{"{t,f}"}},
		{"struct as json", types.T{Kind: types.Struct}, build(arrow.StructOf(
			arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
			arrow.Field{Name: "l", Type: arrow.ListOf(arrow.FixedWidthTypes.Boolean), Nullable: true},
		), func(b *array.StructBuilder) {
			a := b.FieldBuilder(0).(*array.Int32Builder)
			s := b.FieldBuilder(1).(*array.StringBuilder)
			f := b.FieldBuilder(2).(*array.Float64Builder)
			l := b.FieldBuilder(3).(*array.ListBuilder)
			b.Append(true)
			a.Append(1)
			s.Append("x\"\n")
			f.Append(math.Inf(-1))
			l.Append(true)
			l.ValueBuilder().(*array.BooleanBuilder).AppendValues([]bool{true, false}, nil)
			b.Append(true)
			a.AppendNull()
			s.Append("y")
			f.Append(2.5)
			l.AppendNull()
			b.AppendNull()
			a.AppendNull()
			s.AppendNull()
			f.AppendNull()
			l.AppendNull()
		}), []string{`{"a":1,"b":"x\"\n","f":"-Infinity","l":[true,false]}`, `{"a":null,"b":"y","f":2.5,"l":null}`, null}},
		{"map as json", types.T{Kind: types.Map}, build(arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64), func(b *array.MapBuilder) {
			kb := b.KeyBuilder().(*array.StringBuilder)
			ib := b.ItemBuilder().(*array.Int64Builder)
			b.Append(true)
			kb.AppendValues([]string{"k", "z"}, nil)
			ib.Append(1)
			ib.AppendNull()
			b.Append(true)
		}), []string{`{"k":1,"z":null}`, `{}`}},
	}
}

func TestTextEncoding(t *testing.T) {
	for _, tc := range append(scalarCases(t), nestedCases()...) {
		t.Run(tc.name, func(t *testing.T) {
			arr := tc.arr()
			defer arr.Release()
			checkEncoding(t, tc.t, arr, tc.want)
		})
	}
}

func TestDictionaryEncoding(t *testing.T) {
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	b := array.NewDictionaryBuilder(testAlloc, dt).(*array.BinaryDictionaryBuilder)
	defer b.Release()
	for _, s := range []string{"b", "a", "b"} {
		if err := b.AppendString(s); err != nil {
			t.Fatal(err)
		}
	}
	b.AppendNull()
	arr := b.NewArray()
	defer arr.Release()
	checkEncoding(t, types.VarcharT, arr, []string{"b", "a", "b", null})
}

func checkEncoding(t *testing.T, typ types.T, arr arrow.Array, want []string) {
	t.Helper()
	app, err := newTextAppender(typ, arr)
	if err != nil {
		t.Fatal(err)
	}
	if arr.Len() != len(want) {
		t.Fatalf("array has %d values, want %d", arr.Len(), len(want))
	}
	for i, w := range want {
		out, ok := app([]byte("prefix:"), i)
		got := string(out)
		if !ok {
			got = null
			if string(out) != "prefix:" {
				t.Errorf("row %d: NULL appended %q", i, out)
			}
		} else {
			got = got[len("prefix:"):]
		}
		if got != w {
			t.Errorf("row %d: got %q, want %q", i, got, w)
		}
	}
}

func TestUnsupportedArrowType(t *testing.T) {
	b := array.NewBuilder(testAlloc, arrow.RunEndEncodedOf(arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64))
	defer b.Release()
	arr := b.NewArray()
	defer arr.Release()
	if _, err := newTextAppender(types.Int64T, arr); err == nil {
		t.Fatal("no error for a run-end encoded array")
	}
}

func BenchmarkDataRow(b *testing.B) {
	bld := array.NewFloat64Builder(testAlloc)
	ib := array.NewInt64Builder(testAlloc)
	sb := array.NewStringBuilder(testAlloc)
	for i := range 4096 {
		bld.Append(float64(i) * 1.1)
		ib.Append(int64(i))
		sb.Append("some text value")
	}
	arrs := []arrow.Array{bld.NewArray(), ib.NewArray(), sb.NewArray()}
	bld.Release()
	ib.Release()
	sb.Release()
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	typs := []types.T{types.Float64T, types.Int64T, types.VarcharT}
	row := dataRow{apps: make([]textAppender, len(arrs))}
	buf := make([]byte, 0, 1<<20)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for c, a := range arrs {
			row.apps[c], _ = newTextAppender(typs[c], a)
		}
		buf = buf[:0]
		for r := range 4096 {
			row.r = r
			buf, _ = row.Encode(buf)
		}
	}
	b.SetBytes(int64(len(buf)))
}
