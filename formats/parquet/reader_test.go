package parquet

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
)

// typed has a column of every flat type the reader knows.
type typed struct {
	Bool   bool             `parquet:"bool"`
	I8     int8             `parquet:"i8"`
	I16    int16            `parquet:"i16"`
	I32    int32            `parquet:"i32"`
	I64    int64            `parquet:"i64"`
	U8     uint8            `parquet:"u8"`
	U16    uint16           `parquet:"u16"`
	U32    uint32           `parquet:"u32"`
	U64    uint64           `parquet:"u64"`
	F32    float32          `parquet:"f32"`
	F64    float64          `parquet:"f64"`
	Str    string           `parquet:"str"`
	Enum   string           `parquet:"enum,enum"`
	JSON   string           `parquet:"json,json"`
	Bin    []byte           `parquet:"bin"`
	Dec32  int32            `parquet:"dec32,decimal(2:9)"`
	Dec64  int64            `parquet:"dec64,decimal(4:18)"`
	DecFix [16]byte         `parquet:"decfix,decimal(3:38)"`
	Date   int32            `parquet:"date,date"`
	TsMs   int64            `parquet:"ts_ms,timestamp(millisecond)"`
	TsUs   int64            `parquet:"ts_us,timestamp(microsecond)"`
	TsNs   int64            `parquet:"ts_ns,timestamp(nanosecond:local)"`
	TimeMs int32            `parquet:"time_ms,time(millisecond)"`
	TimeUs int64            `parquet:"time_us,time(microsecond)"`
	TimeNs int64            `parquet:"time_ns,time(nanosecond)"`
	I96    deprecated.Int96 `parquet:"i96"`
	UUID   [16]byte         `parquet:"uuid,uuid"`
	Fixed  [4]byte          `parquet:"fixed"`
}

var typedDecls = []string{
	"bool boolean", "i8 smallint", "i16 smallint", "i32 int", "i64 bigint", "u8 smallint",
	"u16 int", "u32 bigint", "u64 bigint", "f32 real", "f64 double", "str varchar",
	"enum varchar", "json varchar", "bin varbinary", "dec32 decimal(9,2)", "dec64 decimal(18,4)",
	"decfix decimal(38,3)", "date date", "ts_ms timestamp",
	"ts_us timestamp", "ts_ns timestamp", "time_ms time", "time_us time", "time_ns time",
	"i96 timestamp", "uuid uuid", "fixed varbinary",
}

// bigEndian16 encodes v as a 16-byte two's complement big-endian integer.
func bigEndian16(v int64) (b [16]byte) {
	for i := 15; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	return b
}

// int96 encodes an instant as Impala does: nanoseconds of the day, then the Julian day.
func int96(t time.Time) deprecated.Int96 {
	days := t.Unix()/86400 + julianUnixEpoch
	nanos := uint64(t.UnixNano() % (86400 * 1e9))
	return deprecated.Int96{uint32(nanos), uint32(nanos >> 32), uint32(days)}
}

func typedRow(i int) typed {
	ts := time.Date(2024, 3, 1, 12, 30, 15, 123456789, time.UTC).Add(time.Duration(i) * time.Hour)
	s := -1 + 2*(i%2) // alternate signs
	fix := bigEndian16(int64(s * (123456 + i)))
	return typed{
		Bool: i%3 == 0, I8: int8(-i), I16: int16(-300 * i), I32: int32(-70000 * i), I64: -int64(i) << 40,
		U8: uint8(200 + i), U16: uint16(60000 + i), U32: uint32(4_000_000_000 + i), U64: uint64(i) << 50,
		F32: 1.5 * float32(i), F64: -2.25 * float64(i),
		Str: "s" + strconv.Itoa(i), Enum: []string{"RED", "GREEN"}[i%2], JSON: `{"k":` + strconv.Itoa(i) + `}`,
		Bin: []byte{'b', byte('0' + i%10)}, Dec32: int32(s * (12345 + i)), Dec64: int64(s) * (987654321 + int64(i)),
		DecFix: fix, Date: int32(19000 + i),
		TsMs: ts.UnixMilli(), TsUs: ts.UnixMicro(), TsNs: ts.UnixNano(),
		TimeMs: int32(3_600_000 + i), TimeUs: 7_200_000_000 + int64(i), TimeNs: 10_800_000_000_999 + 1000*int64(i),
		I96: int96(ts), UUID: [16]byte{0: byte(i), 15: 0xff}, Fixed: [4]byte{'f', 'x', 'd', byte('0' + i)},
	}
}

func typedWant(i int) []string {
	r := typedRow(i)
	ts := time.Date(2024, 3, 1, 12, 30, 15, 123456789, time.UTC).Add(time.Duration(i) * time.Hour)
	s := -1 + 2*(i%2)
	tsStr := func(t time.Time) string { return t.Truncate(time.Microsecond).Format("2006-01-02 15:04:05.999999999") }
	return []string{
		strconv.FormatBool(r.Bool), strconv.Itoa(int(r.I8)), strconv.Itoa(int(r.I16)), strconv.Itoa(int(r.I32)),
		strconv.FormatInt(r.I64, 10), strconv.Itoa(int(r.U8)), strconv.Itoa(int(r.U16)), strconv.Itoa(int(r.U32)),
		strconv.FormatUint(r.U64, 10), fmt.Sprint(r.F32), fmt.Sprint(r.F64), r.Str, r.Enum, r.JSON, string(r.Bin),
		decStr(int64(r.Dec32), 2), decStr(r.Dec64, 4), decStr(int64(s*(123456+i)), 3),
		time.Unix(int64(r.Date)*86400, 0).UTC().Format("2006-01-02"),
		tsStr(ts.Truncate(time.Millisecond)), tsStr(ts), tsStr(ts), "01:00:00." + fmt.Sprintf("%03d000", i), "02:00:00.000" + fmt.Sprintf("%03d", i),
		"03:00:00.000" + fmt.Sprintf("%03d", i), tsStr(ts), string(r.UUID[:]), string(r.Fixed[:]),
	}
}

func decStr(v int64, scale int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%0*d", scale+1, v)
	s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	if neg {
		s = "-" + s
	}
	return s
}

func TestReadTypes(t *testing.T) {
	const n = 25
	rows := make([]typed, n)
	want := make([][]string, n)
	for i := range rows {
		rows[i], want[i] = typedRow(i), typedWant(i)
	}
	tc := cols(t, typedDecls...)
	for _, opt := range []struct {
		name string
		opts []parquet.WriterOption
	}{
		{"v2", nil},
		{"v1", []parquet.WriterOption{parquet.DataPageVersion(1)}},
		{"snappy", []parquet.WriterOption{parquet.Compression(&parquet.Snappy)}},
		{"gzip", []parquet.WriterOption{parquet.Compression(&parquet.Gzip)}},
		{"zstd", []parquet.WriterOption{parquet.Compression(&parquet.Zstd)}},
		{"brotli", []parquet.WriterOption{parquet.Compression(&parquet.Brotli)}},
		{"rowgroups", []parquet.WriterOption{parquet.MaxRowsPerRowGroup(7)}},
	} {
		t.Run(opt.name, func(t *testing.T) {
			data := writeParquet(t, rows, opt.opts...)
			res := mustScan(t, data, formats.Request{Columns: tc, Projection: all(len(tc)), BatchSize: 10})
			for i := range want {
				for j := range tc {
					if res.rows[i][j] != want[i][j] {
						t.Errorf("row %d column %s: got %q, want %q", i, tc[j].Name, res.rows[i][j], want[i][j])
					}
				}
			}
			for i, f := range res.schema.Fields() {
				if !arrow.TypeEqual(f.Type, tc[i].Type.Arrow()) || !f.Nullable || f.Name != tc[i].Name {
					t.Errorf("field %d: %v, want %s %s nullable", i, f, tc[i].Name, tc[i].Type.Arrow())
				}
			}
		})
	}
}

// nullable has optional columns of several layouts, dictionary-encoded or not.
type nullable struct {
	ID     int64    `parquet:"id"`
	I32    *int32   `parquet:"i32"`
	I64D   *int64   `parquet:"i64d,dict"`
	F64    *float64 `parquet:"f64"`
	Str    *string  `parquet:"str"`
	StrD   *string  `parquet:"strd,dict"`
	Bool   *bool    `parquet:"bool"`
	Dec    *int64   `parquet:"dec,decimal(2:12)"`
	DecD   *int32   `parquet:"decd,decimal(1:5),dict"`
	Fixed  *[3]byte `parquet:"fixed"`
	FixedD *[3]byte `parquet:"fixedd,dict"`
}

var nullableDecls = []string{"id bigint", "i32 int", "i64d bigint", "f64 double", "str varchar", "strd varchar",
	"bool boolean", "dec decimal(12,2)", "decd decimal(5,1)", "fixed varbinary", "fixedd varbinary"}

func ptr[T any](v T) *T { return &v }

// nullableRow has NULLs in a pattern that differs per column, including runs of NULLs
// longer than a batch.
func nullableRow(i int) (nullable, []string) {
	r := nullable{ID: int64(i)}
	w := []string{strconv.Itoa(i)}
	add := func(isNull bool, set func(), s string) {
		if isNull {
			w = append(w, "(null)")
			return
		}
		set()
		w = append(w, s)
	}
	add(i%3 == 0, func() { r.I32 = ptr(int32(i)) }, strconv.Itoa(i))
	add(i%5 == 1, func() { r.I64D = ptr(int64(i % 7)) }, strconv.Itoa(i%7))
	add(i%2 == 0, func() { r.F64 = ptr(float64(i) / 4) }, fmt.Sprint(float64(i)/4))
	add(i%7 == 3, func() { r.Str = ptr(strconv.Itoa(i * 11)) }, strconv.Itoa(i*11))
	add(i%4 != 0, func() { r.StrD = ptr("v" + strconv.Itoa(i%13)) }, "v"+strconv.Itoa(i%13))
	add(i%3 == 1, func() { r.Bool = ptr(i%2 == 0) }, strconv.FormatBool(i%2 == 0))
	add(i >= 100 && i < 2600, func() { r.Dec = ptr(int64(i*101 - 5000)) }, decStr(int64(i*101-5000), 2))
	add(i%6 == 5, func() { r.DecD = ptr(int32(i % 9)) }, decStr(int64(i%9), 1))
	add(i%2 == 1, func() { r.Fixed = &[3]byte{'a', 'b', byte('0' + i%10)} }, "ab"+strconv.Itoa(i%10))
	add(i%9 == 0, func() { r.FixedD = &[3]byte{'x', 'y', byte('0' + i%4)} }, "xy"+strconv.Itoa(i%4))
	return r, w
}

func TestReadNullsAndBatches(t *testing.T) {
	const n = 10_000
	rows := make([]nullable, n)
	want := make([][]string, n)
	for i := range rows {
		rows[i], want[i] = nullableRow(i)
	}
	tc := cols(t, nullableDecls...)
	for _, tt := range []struct {
		name  string
		batch int
		opts  []parquet.WriterOption
	}{
		{"batch1000", 1000, nil},
		{"batch777_v1_smallpages", 777, []parquet.WriterOption{parquet.DataPageVersion(1), parquet.PageBufferSize(512)}},
		{"default_batch_rowgroups", 0, []parquet.WriterOption{parquet.MaxRowsPerRowGroup(3000), parquet.Compression(&parquet.Zstd)}},
		{"batch1_snappy", 1, []parquet.WriterOption{parquet.Compression(&parquet.Snappy), parquet.PageBufferSize(4096)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := writeParquet(t, rows, tt.opts...)
			res := mustScan(t, data, formats.Request{Columns: tc, Projection: all(len(tc)), BatchSize: tt.batch})
			if len(res.rows) != n {
				t.Fatalf("got %d rows, want %d", len(res.rows), n)
			}
			for i := range want {
				if !slices.Equal(res.rows[i], want[i]) {
					t.Fatalf("row %d:\n got %q\nwant %q", i, res.rows[i], want[i])
				}
			}
			batch := cmpOr(tt.batch, formats.DefaultBatchSize)
			for i, b := range res.batches {
				if b > batch || b == 0 {
					t.Errorf("batch %d has %d rows (batch size %d)", i, b, batch)
				}
			}
		})
	}
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func TestBatchBoundaries(t *testing.T) {
	rows := make([]nullable, 10_000)
	for i := range rows {
		rows[i], _ = nullableRow(i)
	}
	data := writeParquet(t, rows, parquet.MaxRowsPerRowGroup(4000))
	res := mustScan(t, data, formats.Request{Columns: cols(t, "id bigint"), Projection: []int{0}, BatchSize: 1000})
	// Row groups of 4000, 4000 and 2000 rows: batches never span two row groups.
	want := []int{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}
	if !slices.Equal(res.batches, want) {
		t.Errorf("batches %v, want %v", res.batches, want)
	}
	res = mustScan(t, data, formats.Request{Columns: cols(t, "id bigint"), Projection: []int{0}, BatchSize: 3000})
	if want := []int{3000, 1000, 3000, 1000, 2000}; !slices.Equal(res.batches, want) {
		t.Errorf("batches %v, want %v", res.batches, want)
	}
}

func TestProjection(t *testing.T) {
	rows := make([]nullable, 50)
	want := make([][]string, len(rows))
	for i := range rows {
		rows[i], want[i] = nullableRow(i)
	}
	data := writeParquet(t, rows)
	for _, tt := range []struct {
		name  string
		decls []string
		proj  []int
		want  func(i int) []string
	}{
		{"reordered", []string{"id bigint", "strd varchar", "f64 double"}, []int{2, 0, 1},
			func(i int) []string { return []string{want[i][3], want[i][0], want[i][5]} }},
		{"case_insensitive", []string{"ID bigint", "StrD varchar", "F64 double"}, []int{1, 2},
			func(i int) []string { return []string{want[i][5], want[i][3]} }},
		{"missing_column_is_null", []string{"id bigint", "added_later varchar", "also_new decimal(10,2)"}, []int{1, 0, 2},
			func(i int) []string { return []string{"(null)", want[i][0], "(null)"} }},
		{"same_column_twice", []string{"id bigint"}, []int{0, 0},
			func(i int) []string { return []string{want[i][0], want[i][0]} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tc := cols(t, tt.decls...)
			res := mustScan(t, data, formats.Request{Columns: tc, Projection: tt.proj, BatchSize: 16})
			for i := range rows {
				if w := tt.want(i); !slices.Equal(res.rows[i], w) {
					t.Fatalf("row %d: got %q, want %q", i, res.rows[i], w)
				}
			}
			for k, p := range tt.proj {
				if f := res.schema.Field(k); f.Name != tc[p].Name || !arrow.TypeEqual(f.Type, tc[p].Type.Arrow()) {
					t.Errorf("field %d is %v, want %s %s", k, f, tc[p].Name, tc[p].Type.Arrow())
				}
			}
		})
	}
}

func TestEmptyProjection(t *testing.T) {
	rows := make([]nullable, 2500)
	for i := range rows {
		rows[i], _ = nullableRow(i)
	}
	data := writeParquet(t, rows, parquet.MaxRowsPerRowGroup(1000))
	res := mustScan(t, data, formats.Request{Columns: cols(t, nullableDecls...), BatchSize: 600})
	if want := []int{600, 400, 600, 400, 500}; !slices.Equal(res.batches, want) {
		t.Errorf("batches %v, want %v", res.batches, want)
	}
	if res.schema.NumFields() != 0 {
		t.Errorf("schema %v, want no fields", res.schema)
	}
}

// wide reads narrow file types as wider table types.
type narrow struct {
	I32   int32   `parquet:"i32"`
	F32   float32 `parquet:"f32"`
	I64   int64   `parquet:"i64"`
	Dec   int32   `parquet:"dec,decimal(2:7)"`
	DecL  int64   `parquet:"decl,decimal(4:18)"`
	Str   string  `parquet:"str"`
	Date  int32   `parquet:"date,date"`
	U64   uint64  `parquet:"u64"`
	Small int16   `parquet:"small"`
}

func TestTypeConversions(t *testing.T) {
	rows := []narrow{
		{I32: -7, F32: 0.5, I64: 1 << 40, Dec: -12345, DecL: 123456789, Str: "abc", Date: 1, U64: 5, Small: -3},
		{I32: 2147483647, F32: -1.25, I64: -9, Dec: 99999, DecL: -55, Str: "", Date: -1, U64: 1 << 62, Small: 300},
	}
	data := writeParquet(t, rows)
	tc := cols(t, "i32 bigint", "f32 double", "i32 double", "i32 decimal(12,2)", "i64 decimal(20,0)",
		"dec decimal(10,4)", "dec decimal(7,1)", "decl decimal(18,2)", "decl decimal(38,10)", "str varchar(10)",
		"str varbinary", "date timestamp", "u64 decimal(20,0)", "u64 double", "small int", "small bigint", "i64 double")
	res := mustScan(t, data, formats.Request{Columns: tc, Projection: all(len(tc))})
	want := [][]string{
		{"-7", "0.5", "-7", "-7.00", "1099511627776", "-123.4500", "-123.5", "12345.68", "12345.6789000000", "abc",
			"abc", "1970-01-02 00:00:00", "5", "5", "-3", "-3", "1.099511627776e+12"},
		{"2147483647", "-1.25", "2.147483647e+09", "2147483647.00", "-9", "999.9900", "1000.0", "-0.01", "-0.0055000000", "",
			"", "1969-12-31 00:00:00", "4611686018427387904", "4.611686018427388e+18", "300", "300", "-9"},
	}
	for i := range want {
		if !slices.Equal(res.rows[i], want[i]) {
			t.Errorf("row %d:\n got %q\nwant %q", i, res.rows[i], want[i])
		}
	}
}

type withNested struct {
	ID   int64            `parquet:"id"`
	List []int32          `parquet:"list,list"`
	Map  map[string]int64 `parquet:"map"`
	Rep  []string         `parquet:"rep"`
	Name string           `parquet:"name"`
	Obj  struct {
		A int32 `parquet:"a"`
		B string
	} `parquet:"obj"`
	After *int32 `parquet:"after"`
}

func TestNestedColumns(t *testing.T) {
	rows := make([]withNested, 20)
	for i := range rows {
		rows[i] = withNested{ID: int64(i), List: []int32{int32(i), 1}, Map: map[string]int64{"k": int64(i)},
			Rep: []string{"r"}, Name: "n" + strconv.Itoa(i)}
		rows[i].Obj.A = int32(i)
		if i%2 == 0 {
			rows[i].After = ptr(int32(i * 3))
		}
	}
	data := writeParquet(t, rows)
	// Unprojected nested columns do not disturb the flat ones around them.
	res := mustScan(t, data, formats.Request{Columns: cols(t, "after int", "id bigint", "name varchar"), Projection: []int{0, 1, 2}})
	for i, row := range res.rows {
		after := "(null)"
		if i%2 == 0 {
			after = strconv.Itoa(i * 3)
		}
		if want := []string{after, strconv.Itoa(i), "n" + strconv.Itoa(i)}; !slices.Equal(row, want) {
			t.Fatalf("row %d: got %q, want %q", i, row, want)
		}
	}
	for _, decl := range []string{"list array<int>", "map map<string,bigint>", "rep array<string>", "obj struct<a:int,b:string>", "obj varchar"} {
		_, err := scan(t, data, formats.Request{Columns: cols(t, decl), Projection: []int{0}})
		if sqlerr.Code(err) != sqlerr.FeatureNotSupported {
			t.Errorf("%s: got %v, want FeatureNotSupported", decl, err)
		}
	}
}

// lengths has byte arrays of lengths around the block sizes of copyValue, dictionary-encoded
// and plain, with NULLs.
type lengths struct {
	D *string   `parquet:"d,dict"`
	P *string   `parquet:"p"`
	F *[20]byte `parquet:"f,dict"`
}

func TestStringLengths(t *testing.T) {
	sizes := []int{0, 1, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 300}
	var rows []lengths
	var want [][]string
	for i := range 600 {
		n := sizes[i%len(sizes)]
		s := strings.Repeat(string(rune('a'+i%26)), n)
		var f [20]byte
		copy(f[:], s)
		r, w := lengths{D: ptr(s), P: ptr(s), F: &f}, []string{s, s, string(f[:])}
		if i%7 == 3 {
			r, w = lengths{}, []string{"(null)", "(null)", "(null)"}
		}
		rows, want = append(rows, r), append(want, w)
	}
	for _, v := range []int{1, 2} {
		data := writeParquet(t, rows, parquet.DataPageVersion(v), parquet.PageBufferSize(1024))
		res := mustScan(t, data, formats.Request{Columns: cols(t, "d varchar", "p varchar", "f varbinary"), Projection: []int{0, 1, 2}, BatchSize: 50})
		for i := range want {
			if !slices.Equal(res.rows[i], want[i]) {
				t.Fatalf("v%d row %d: got %q, want %q", v, i, res.rows[i], want[i])
			}
		}
	}
}
