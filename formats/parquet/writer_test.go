package parquet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// buildRecord builds a batch of the given columns from rows of Go values (nil is NULL):
// bool, int16/32/64, float32/64, decimal128.Num, string, []byte, arrow.Date32, arrow.Time64,
// arrow.Timestamp, [16]byte.
func buildRecord(t testing.TB, mem memory.Allocator, decls []formats.Column, rows [][]any) arrow.Record {
	t.Helper()
	fields := make([]arrow.Field, len(decls))
	for i, c := range decls {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: true}
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for _, row := range rows {
		for j, v := range row {
			fb := b.Field(j)
			if v == nil {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.Int16Builder:
				fb.Append(v.(int16))
			case *array.Int32Builder:
				fb.Append(v.(int32))
			case *array.Int64Builder:
				fb.Append(v.(int64))
			case *array.Float32Builder:
				fb.Append(v.(float32))
			case *array.Float64Builder:
				fb.Append(v.(float64))
			case *array.Decimal128Builder:
				fb.Append(v.(decimal128.Num))
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.BinaryBuilder:
				fb.Append(v.([]byte))
			case *array.Date32Builder:
				fb.Append(v.(arrow.Date32))
			case *array.Time64Builder:
				fb.Append(v.(arrow.Time64))
			case *array.TimestampBuilder:
				fb.Append(v.(arrow.Timestamp))
			case *array.FixedSizeBinaryBuilder:
				u := v.([16]byte)
				fb.Append(u[:])
			default:
				t.Fatalf("buildRecord: no case for %T", fb)
			}
		}
	}
	return b.NewRecord()
}

// writeFile writes recs as a Parquet file with the writer under test.
func writeFile(t testing.TB, decls []formats.Column, recs []arrow.Record, opts WriterOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteRecords(&buf, decls, recs, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// roundTrip writes rows and reads them back with Quarry's reader, checking that every
// value reads back as written.
func roundTrip(t *testing.T, decls []formats.Column, rows [][]any, opts WriterOptions) []byte {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := buildRecord(t, mem, decls, rows)
	defer rec.Release()
	data := writeFile(t, decls, []arrow.Record{rec}, opts)
	got := mustScan(t, data, formats.Request{Columns: decls, Projection: all(len(decls))})
	want := render(rec)
	if len(want) == 0 {
		want = nil
	}
	if !slices.EqualFunc(got.rows, want, slices.Equal) {
		t.Fatalf("read back\n%v\nwant\n%v", got.rows, want)
	}
	return data
}

// everyType has a column of every type the writer writes.
var everyType = []string{
	"b boolean", "i16 smallint", "i32 int", "i64 bigint", "f32 real", "f64 double",
	"d decimal(12,3)", "s varchar", "vc varchar(5)", "j json", "bin binary", "u uuid",
	"dt date", "tm time", "ts timestamp", "tz timestamptz",
}

func everyTypeRow(i int) []any {
	u := [16]byte{0: byte(i), 15: 0xff}
	return []any{
		i%2 == 0, int16(-i * 300), int32(i * 100_000), int64(i) << 40, float32(i) / 4, float64(-i) / 3,
		decimal128.FromI64(int64(i*1_000_123 - 5_000_000)), strings.Repeat("é", i), "ab", `{"k":` + fmt.Sprint(i) + `}`, []byte{0, byte(i), 0xff},
		u, arrow.Date32(i*400 - 1000), arrow.Time64(int64(i) * 3_600_000_001), arrow.Timestamp(int64(i)*86_400_000_000_123 - 1e15),
		arrow.Timestamp(-int64(i) * 1_000_007),
	}
}

func TestWriteEveryType(t *testing.T) {
	decls := cols(t, everyType...)
	var rows [][]any
	for i := range 20 {
		row := everyTypeRow(i)
		switch {
		case i%3 == 1: // a NULL in every column
			row = make([]any, len(row))
		case i%3 == 2: // NULLs in every other column
			for j := i % 2; j < len(row); j += 2 {
				row[j] = nil
			}
		}
		rows = append(rows, row)
	}
	data := roundTrip(t, decls, rows, WriterOptions{})

	// The file keeps the table's column order, names and the documented physical and
	// logical types.
	f, err := openFile("t", bytesReaderAt(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Metadata().CreatedBy; !strings.HasPrefix(got, "quarry") {
		t.Errorf("created_by = %q", got)
	}
	fcs, err := fileColumns(f.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fc := range fcs {
		desc := fc.name + " " + fc.desc
		if fc.ann == annTimestamp || fc.ann == annTime {
			desc += fmt.Sprintf(" utc=%v", fc.utc)
		}
		if !fc.optional {
			desc += " REQUIRED"
		}
		got = append(got, desc)
	}
	want := []string{
		"b BOOLEAN", "i16 INT32 (INT(16,true))", "i32 INT32 (INT(32,true))", "i64 INT64 (INT(64,true))", "f32 FLOAT", "f64 DOUBLE",
		"d INT64 (DECIMAL(12,3))", "s BYTE_ARRAY (STRING)", "vc BYTE_ARRAY (STRING)", "j BYTE_ARRAY (JSON)",
		"bin BYTE_ARRAY", "u FIXED_LEN_BYTE_ARRAY(16) (UUID)", "dt INT32 (DATE)",
		"tm INT64 (TIME(isAdjustedToUTC=false,unit=MICROS)) utc=false",
		"ts INT64 (TIMESTAMP(isAdjustedToUTC=false,unit=MICROS)) utc=false",
		"tz INT64 (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)) utc=true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("file schema\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, cc := range f.Metadata().RowGroups[0].Columns {
		if cc.MetaData.Codec != format.Zstd {
			t.Errorf("column %v: codec %s, want ZSTD", cc.MetaData.PathInSchema, cc.MetaData.Codec)
		}
	}
}

// decPow10 returns 10^n as a decimal128.Num.
func decPow10(n int32) decimal128.Num {
	v := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	return decimal128.FromBigInt(v)
}

func TestWriteDecimals(t *testing.T) {
	for _, ps := range [][2]int32{{1, 0}, {2, 1}, {9, 2}, {10, 0}, {18, 4}, {19, 19}, {21, 5}, {22, 0}, {28, 10}, {38, 0}, {38, 38}, {38, 6}} {
		p, s := ps[0], ps[1]
		t.Run(fmt.Sprintf("decimal(%d,%d)", p, s), func(t *testing.T) {
			decls := []formats.Column{{Name: "d", Type: types.DecimalT(p, s)}}
			max := decPow10(p).Sub(decimal128.FromI64(1))
			rows := [][]any{
				{max}, {max.Negate()}, {decimal128.FromI64(0)}, {nil}, {decimal128.FromI64(1)},
				{decimal128.FromI64(-1)}, {decPow10(p - 1)}, {decPow10(p - 1).Negate()},
			}
			data := roundTrip(t, decls, rows, WriterOptions{})
			f, err := openFile("t", bytesReaderAt(data))
			if err != nil {
				t.Fatal(err)
			}
			fcs, _ := fileColumns(f.Metadata())
			want := format.FixedLenByteArray
			switch {
			case p <= 9:
				want = format.Int32
			case p <= 18:
				want = format.Int64
			}
			if fcs[0].physical != want || fcs[0].precision != p || fcs[0].scale != s {
				t.Errorf("stored as %s", fcs[0].desc)
			}
			if want == format.FixedLenByteArray && fcs[0].typeLen != decimalBytes(p) {
				t.Errorf("width %d, want %d", fcs[0].typeLen, decimalBytes(p))
			}
		})
	}
}

func TestDecimalBytes(t *testing.T) {
	// The widths the Parquet format's LogicalTypes.md tabulates (and Spark and Hive write).
	want := map[int32]int{1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 9: 4, 10: 5, 18: 8, 19: 9, 21: 9, 22: 10, 28: 12, 31: 13, 33: 14, 35: 15, 36: 16, 38: 16}
	for p, n := range want {
		if got := decimalBytes(p); got != n {
			t.Errorf("decimalBytes(%d) = %d, want %d", p, got, n)
		}
	}
}

func TestWriteEmpty(t *testing.T) {
	decls := cols(t, everyType...)
	data := writeFile(t, decls, nil, WriterOptions{})
	store, obj := memFile(t, data)
	splits, err := New().Splits(context.Background(), store, obj, nil)
	if err != nil || len(splits) != 0 {
		t.Fatalf("splits %v, %v; want none", splits, err)
	}
	f, err := openFile("t", bytesReaderAt(data))
	if err != nil {
		t.Fatal(err)
	}
	fcs, _ := fileColumns(f.Metadata())
	if len(fcs) != len(decls) || f.Metadata().NumRows != 0 {
		t.Errorf("%d columns, %d rows", len(fcs), f.Metadata().NumRows)
	}
	// An empty batch writes no row group either.
	roundTrip(t, decls, nil, WriterOptions{})
}

func TestWriteDefaultRowGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 300,000 rows")
	}
	decls := cols(t, "i bigint", "s varchar")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, decls, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const n, batch = 300_000, 8192
	for lo := 0; lo < n; lo += batch {
		var rows [][]any
		for i := lo; i < min(n, lo+batch); i++ {
			rows = append(rows, []any{int64(i), fmt.Sprintf("row %d of a column long enough to need many pages", i)})
		}
		rec := buildRecord(t, mem, decls, rows)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Rows() != n {
		t.Errorf("Rows() = %d", w.Rows())
	}
	f, err := openFile("t", bytesReaderAt(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for _, rg := range f.Metadata().RowGroups {
		sizes = append(sizes, rg.NumRows)
	}
	if !slices.Equal(sizes, []int64{DefaultRowGroupRows, DefaultRowGroupRows, n - 2*DefaultRowGroupRows}) {
		t.Errorf("row groups of %v rows", sizes)
	}
	got := mustScan(t, buf.Bytes(), formats.Request{Columns: decls, Projection: all(2)})
	if len(got.rows) != n {
		t.Fatalf("read %d rows", len(got.rows))
	}
	for _, i := range []int{0, 1, 122_879, 122_880, 299_999} {
		if got.rows[i][0] != fmt.Sprint(i) || !strings.HasPrefix(got.rows[i][1], fmt.Sprintf("row %d ", i)) {
			t.Errorf("row %d = %v", i, got.rows[i])
		}
	}
}

// FuzzWriteRoundTrip writes columns built from the input's bytes (NULLs where a byte is
// zero) and checks that Quarry's reader returns exactly what was written.
func FuzzWriteRoundTrip(f *testing.F) {
	f.Add([]byte{}, uint8(0))
	f.Add([]byte{1, 2, 3, 0, 255, 128}, uint8(2))
	f.Add(bytes.Repeat([]byte{7, 0, 200}, 50), uint8(5))
	decls := []formats.Column{
		{Name: "i", Type: types.Int64T}, {Name: "s", Type: types.VarcharT},
		{Name: "d", Type: types.DecimalT(25, 3)}, {Name: "h", Type: types.Int16T},
		{Name: "b", Type: types.BoolT}, {Name: "x", Type: types.ByteaT},
	}
	f.Fuzz(func(t *testing.T, in []byte, rg uint8) {
		// Long inputs add nothing but time: every row group costs a footer entry and a
		// split, and the bytea column grows quadratically.
		in = in[:min(len(in), 300)]
		var rows [][]any
		for i, c := range in {
			if c == 0 {
				rows = append(rows, make([]any, len(decls)))
				continue
			}
			v := int64(c) << (i % 56)
			if c&1 == 1 {
				v = -v
			}
			rows = append(rows, []any{v, string(in[i:min(len(in), i+int(c)%7)]), decimal128.FromI64(v).Mul(decimal128.FromI64(int64(c))),
				int16(v), c&2 == 2, in[:i]})
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		rec := buildRecord(t, mem, decls, rows)
		defer rec.Release()
		data := writeFile(t, decls, []arrow.Record{rec}, WriterOptions{RowGroupRows: int(rg)})
		got := mustScan(t, data, formats.Request{Columns: decls, Projection: all(len(decls))})
		want := render(rec)
		if len(want) == 0 {
			want = nil
		}
		if !slices.EqualFunc(got.rows, want, slices.Equal) {
			t.Fatalf("read back\n%v\nwant\n%v", got.rows, want)
		}
	})
}

func TestWriteRowGroupsAndSlices(t *testing.T) {
	decls := cols(t, "i bigint", "s varchar", "d decimal(30,2)", "b boolean")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var rows [][]any
	for i := range 25 {
		row := []any{int64(i), fmt.Sprint("v", i), decimal128.FromI64(int64(i * 7)), i%3 == 0}
		if i%4 == 3 {
			row[i%4-3+i%2] = nil
		}
		rows = append(rows, row)
	}
	whole := buildRecord(t, mem, decls, rows)
	defer whole.Release()
	// Batches that are slices (non-zero offsets) of one record, of uneven sizes.
	var recs []arrow.Record
	for _, r := range [][2]int64{{0, 4}, {4, 5}, {5, 5}, {5, 17}, {17, 25}} {
		s := whole.NewSlice(r[0], r[1])
		defer s.Release()
		recs = append(recs, s)
	}
	data := writeFile(t, decls, recs, WriterOptions{RowGroupRows: 7, Compression: "snappy"})
	f, err := openFile("t", bytesReaderAt(data))
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for _, rg := range f.Metadata().RowGroups {
		sizes = append(sizes, rg.NumRows)
		if c := rg.Columns[0].MetaData.Codec; c != format.Snappy {
			t.Errorf("codec %s", c)
		}
	}
	if !slices.Equal(sizes, []int64{7, 7, 7, 4}) {
		t.Errorf("row groups of %v rows, want [7 7 7 4]", sizes)
	}
	got := mustScan(t, data, formats.Request{Columns: decls, Projection: all(len(decls))})
	if want := render(whole); !slices.EqualFunc(got.rows, want, slices.Equal) {
		t.Fatalf("read back\n%v\nwant\n%v", got.rows, want)
	}
}

func TestWriteCompressions(t *testing.T) {
	decls := cols(t, "s varchar")
	rows := [][]any{{"a"}, {nil}, {"ccc"}}
	for _, c := range []string{"", "ZSTD", "snappy", "GZIP", "none", "uncompressed"} {
		t.Run(c, func(t *testing.T) { roundTrip(t, decls, rows, WriterOptions{Compression: c}) })
	}
	if err := WriteRecords(&bytes.Buffer{}, decls, nil, WriterOptions{Compression: "lzo"}); sqlerr.Code(err) != sqlerr.InvalidParameterValue {
		t.Errorf("lzo: %v", err)
	}
}

func TestWriteErrors(t *testing.T) {
	mem := memory.NewGoAllocator()
	for _, tc := range []struct {
		name  string
		decls []string
		code  string
	}{
		{"interval", []string{"a int", "iv interval"}, sqlerr.FeatureNotSupported},
		{"array", []string{"a array<int>"}, sqlerr.FeatureNotSupported},
		{"no columns", nil, sqlerr.FeatureNotSupported},
		{"duplicate", []string{"a int", "A int"}, sqlerr.DuplicateColumn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewWriter(&bytes.Buffer{}, cols(t, tc.decls...), WriterOptions{})
			if sqlerr.Code(err) != tc.code {
				t.Errorf("got %v, want %s", err, tc.code)
			}
		})
	}
	// A batch that does not match the declared columns is refused.
	w, err := NewWriter(&bytes.Buffer{}, cols(t, "a int", "b varchar"), WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := buildRecord(t, mem, cols(t, "a bigint", "b varchar"), [][]any{{int64(1), "x"}})
	defer rec.Release()
	if err := w.Write(rec); err == nil {
		t.Error("bigint batch accepted for an int column")
	}
	rec1 := buildRecord(t, mem, cols(t, "a int"), [][]any{{int32(1)}})
	defer rec1.Release()
	if err := w.Write(rec1); err == nil {
		t.Error("one-column batch accepted for two columns")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err == nil {
		t.Error("Write after Close accepted")
	}
}

// bytesReaderAt serves a byte slice as an objstore.Reader.
type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	return bytes.NewReader(b).ReadAt(p, off)
}
func (b bytesReaderAt) Size() int64  { return int64(len(b)) }
func (b bytesReaderAt) Close() error { return nil }

// BenchmarkParquetWrite writes 1 Mi rows of one column per type family, in 8 Ki-row batches.
func BenchmarkParquetWrite(b *testing.B) {
	const rows, batch = 1 << 20, 8192
	for _, bc := range []struct {
		name string
		typ  string
		val  func(i int) any
	}{
		{"type=bigint", "bigint", func(i int) any { return int64(i * 7919) }},
		{"type=double", "double", func(i int) any { return float64(i) / 3 }},
		{"type=decimal(15,2)", "decimal(15,2)", func(i int) any { return decimal128.FromI64(int64(i)) }},
		{"type=decimal(38,6)", "decimal(38,6)", func(i int) any { return decimal128.FromI64(int64(i)) }},
		{"type=varchar", "varchar", func(i int) any { return fmt.Sprintf("value %d", i%1000) }},
		{"type=bigint/nulls=half", "bigint", func(i int) any {
			if i%2 == 0 {
				return nil
			}
			return int64(i)
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			decls := cols(b, "c "+bc.typ)
			mem := memory.NewGoAllocator()
			var rs [][]any
			for i := range batch {
				rs = append(rs, []any{bc.val(i)})
			}
			rec := buildRecord(b, mem, decls, rs)
			defer rec.Release()
			b.ReportAllocs()
			b.SetBytes(rows * 8)
			b.ResetTimer()
			for range b.N {
				w, err := NewWriter(io.Discard, decls, WriterOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for range rows / batch {
					if err := w.Write(rec); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
