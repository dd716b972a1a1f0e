package parquet

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// These tests read the Apache Parquet project's own test files (parquet-testing), written by
// parquet-mr, parquet-cpp, Impala, Spark and others.

var rewrite = flag.Bool("rewrite", false, "rewrite the golden files under testdata/golden")

const parquetTesting = "../../../shared/testdata/parquet"

func testingDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join(parquetTesting, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("parquet-testing files not found: %v", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// inferType is the table type a crawler would give a file column; false for a column it
// cannot read.
func inferType(fc *fileColumn) (types.T, bool) {
	if fc.nested {
		return types.T{}, false
	}
	switch fc.ann {
	case annDecimal:
		return types.DecimalT(fc.precision, fc.scale), true
	case annDate:
		return types.DateT, true
	case annTime:
		return types.TimeT, true
	case annTimestamp:
		if fc.utc {
			return types.TimestampTZT, true
		}
		return types.TimestampT, true
	case annString, annEnum, annJSON:
		return types.VarcharT, true
	case annUUID:
		return types.UUIDT, true
	case annFloat16:
		return types.Float32T, true
	case annOther, annBSON:
		return types.T{}, false
	}
	switch fc.physical {
	case format.Boolean:
		return types.BoolT, true
	case format.Int32:
		switch {
		case fc.ann != annInt:
		case fc.bitWidth <= 8 || fc.bitWidth <= 16 && fc.signed:
			return types.Int16T, true
		case fc.bitWidth <= 16 || fc.signed:
			return types.Int32T, true
		default:
			return types.Int64T, true
		}
		return types.Int32T, true
	case format.Int64:
		if fc.ann == annInt && !fc.signed {
			return types.DecimalT(20, 0), true
		}
		return types.Int64T, true
	case format.Int96:
		return types.TimestampT, true
	case format.Float:
		return types.Float32T, true
	case format.Double:
		return types.Float64T, true
	}
	return types.ByteaT, true
}

// readTestingFile reads every column of a file that Quarry can read, as a crawler would
// declare it. It returns the table's columns, a description of the file's columns, and the
// rendered rows.
func readTestingFile(t *testing.T, path string) (decls []formats.Column, desc []string, res *scanResult, err error) {
	t.Helper()
	ctx := context.Background()
	store := objstore.NewFileStore()
	key := "file://" + filepath.ToSlash(path)
	r, err := store.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	f, err := openFile(key, r)
	r.Close()
	if err != nil {
		return nil, nil, nil, err
	}
	fcols, err := fileColumns(f.Metadata())
	if err != nil {
		return nil, nil, nil, corrupt(key, "corrupt Parquet schema: %v", err)
	}
	for i := range fcols {
		fc := &fcols[i]
		ty, ok := inferType(fc)
		if !ok {
			desc = append(desc, fmt.Sprintf("%s: %s (not read)", fc.name, fc.desc))
			continue
		}
		desc = append(desc, fmt.Sprintf("%s: %s -> %s", fc.name, fc.desc, ty))
		decls = append(decls, formats.Column{Name: fc.name, Type: ty})
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err = scan(t, data, formats.Request{Columns: decls, Projection: all(len(decls)), BatchSize: 1000})
	return decls, desc, res, err
}

// TestParquetTestingFiles reads every valid file of parquet-testing and compares a summary
// (columns, row count, first and last rows, or the error) with testdata/golden/<file>.txt.
// Run with -rewrite to regenerate, and review the diff.
func TestParquetTestingFiles(t *testing.T) {
	dir := testingDir(t, "data")
	var files []string
	for _, pat := range []string{"*.parquet", "geospatial/*.parquet"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		t.Run(rel, func(t *testing.T) {
			_, desc, res, err := readTestingFile(t, path)
			var b strings.Builder
			fmt.Fprintf(&b, "file: %s\n", rel)
			for _, d := range desc {
				fmt.Fprintf(&b, "column %s\n", d)
			}
			if err != nil {
				// The file's absolute location depends on where ../shared is: keep it out of
				// the golden text.
				msg := strings.ReplaceAll(err.Error(), "file://"+filepath.ToSlash(dir)+"/", "")
				fmt.Fprintf(&b, "error %s: %s\n", sqlerr.Code(err), msg)
				var de *formats.DataError
				if !errors.As(err, &de) && sqlerr.Code(err) != sqlerr.FeatureNotSupported {
					t.Errorf("error is neither a DataError nor FeatureNotSupported: %v", err)
				}
			} else {
				fmt.Fprintf(&b, "rows: %d\n", len(res.rows))
				for i, row := range res.rows {
					if i < 10 || i >= len(res.rows)-3 {
						cells := make([]string, len(row))
						for j, c := range row {
							cells[j] = goldenCell(c)
						}
						fmt.Fprintf(&b, "%d: %s\n", i, strings.Join(cells, " | "))
					}
				}
			}
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(rel, "/", "_")+".txt")
			compareGolden(t, golden, b.String())
		})
	}
}

// goldenCell keeps a golden file readable: binary values are quoted, long ones cut.
func goldenCell(c string) string {
	printable := utf8.ValidString(c)
	for _, r := range c {
		printable = printable && unicode.IsPrint(r)
	}
	if !printable {
		c = strconv.Quote(c)
	}
	if len(c) > 60 {
		c = fmt.Sprintf("%s...(%d bytes)", c[:60], len(c))
	}
	return c
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *rewrite {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -rewrite to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -rewrite to update, then review the diff):\n%s", path, got)
	}
}

// TestParquetTestingExpected checks files whose expected values parquet-testing gives in
// *_expect.csv files.
func TestParquetTestingExpected(t *testing.T) {
	dir := testingDir(t, "data")
	for _, name := range []string{"delta_binary_packed", "delta_byte_array", "delta_encoding_optional_column", "delta_encoding_required_column"} {
		t.Run(name, func(t *testing.T) {
			decls, _, res, err := readTestingFile(t, filepath.Join(dir, name+".parquet"))
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(filepath.Join(dir, name+"_expect.csv"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for j, h := range want[0] {
				// delta_encoding_required_column names its columns "c_customer_sk:".
				if strings.TrimSpace(h) != strings.TrimRight(decls[j].Name, ":") {
					t.Fatalf("column %d is %q, expected file says %q", j, decls[j].Name, h)
				}
			}
			want = want[1:]
			if len(res.rows) != len(want) {
				t.Fatalf("%d rows, want %d", len(res.rows), len(want))
			}
			for i := range want {
				for j := range want[i] {
					got := res.rows[i][j]
					if got == "(null)" {
						got = ""
					}
					if got != want[i][j] {
						t.Fatalf("row %d column %s: got %q, want %q", i, decls[j].Name, got, want[i][j])
					}
				}
			}
		})
	}
}

// TestParquetTestingKnownValues checks values the parquet-testing documentation states.
func TestParquetTestingKnownValues(t *testing.T) {
	dir := testingDir(t, "data")
	decimals := make([]string, 24)
	for i := range decimals {
		decimals[i] = fmt.Sprintf("%d.00", i+1)
	}
	for _, tt := range []struct {
		file, decl string
		want       []string
	}{
		// Impala's alltypes: ids out of order, INT96 timestamps of 2009.
		{"alltypes_plain.parquet", "id int", []string{"4", "5", "6", "7", "2", "3", "0", "1"}},
		{"alltypes_plain.parquet", "timestamp_col timestamp", []string{"2009-03-01 00:00:00", "2009-03-01 00:01:00",
			"2009-04-01 00:00:00", "2009-04-01 00:01:00", "2009-02-01 00:00:00", "2009-02-01 00:01:00", "2009-01-01 00:00:00", "2009-01-01 00:01:00"}},
		{"alltypes_plain.snappy.parquet", "ID bigint", []string{"6", "7"}},
		{"alltypes_dictionary.parquet", "string_col varchar", []string{"0", "1"}},
		{"alltypes_dictionary.parquet", "double_col double", []string{"0", "10.1"}},
		// The decimal files hold 1.00 to 24.00 in four physical layouts.
		{"int32_decimal.parquet", "value decimal(4,2)", decimals},
		{"int64_decimal.parquet", "value decimal(10,2)", decimals},
		{"fixed_length_decimal.parquet", "value decimal(25,2)", decimals},
		{"fixed_length_decimal_legacy.parquet", "value decimal(13,2)", decimals},
		{"byte_array_decimal.parquet", "value decimal(4,2)", decimals},
		{"byte_array_decimal.parquet", "value decimal(10,3)", func() []string {
			out := make([]string, 24)
			for i := range out {
				out[i] = fmt.Sprintf("%d.000", i+1)
			}
			return out
		}()},
	} {
		t.Run(tt.file+"/"+tt.decl, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := mustScan(t, data, formats.Request{Columns: cols(t, tt.decl), Projection: []int{0}})
			if got := res.column(0); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestInt96FromSpark reads Spark's INT96 timestamps, some beyond the range of 64-bit
// nanoseconds, as microseconds (int96_from_spark.md lists them).
func TestInt96FromSpark(t *testing.T) {
	dir := testingDir(t, "data")
	data, err := os.ReadFile(filepath.Join(dir, "int96_from_spark.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	store, obj := memFile(t, data)
	ctx := context.Background()
	rr, err := New().Open(ctx, store, formats.Split{Key: obj.Key, Size: obj.Size}, nil,
		formats.Request{Columns: cols(t, "a timestamptz"), Projection: []int{0}})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	rec, err := rr.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	a := rec.Column(0).(*array.Timestamp)
	if !arrow.TypeEqual(a.DataType(), types.TimestampTZT.Arrow()) {
		t.Errorf("type %s", a.DataType())
	}
	want := []int64{1704141296123456, 1704070800000000, 253402225200000000, 1735599600000000, -1, 9089380393200000000}
	for i, w := range want {
		if w == -1 {
			if !a.IsNull(i) {
				t.Errorf("row %d: want NULL", i)
			}
			continue
		}
		if got := int64(a.Value(i)); got != w {
			t.Errorf("row %d: got %d, want %d", i, got, w)
		}
	}
	if _, err := rr.Next(ctx); !errors.Is(err, io.EOF) {
		t.Errorf("after the last batch: %v", err)
	}
}

// TestParquetTestingBadData reads the malformed files: each is an error that names the file,
// never a panic.
func TestParquetTestingBadData(t *testing.T) {
	dir := testingDir(t, "bad_data")
	files, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	var b strings.Builder
	for _, path := range files {
		_, _, res, err := readTestingFile(t, path)
		name := filepath.Base(path)
		switch {
		case err == nil:
			// Some of these files only break columns Quarry does not read (nested ones).
			fmt.Fprintf(&b, "%s: read %d rows\n", name, len(res.rows))
		case sqlerr.Code(err) == sqlerr.DataCorrupted || sqlerr.Code(err) == sqlerr.FeatureNotSupported:
			fmt.Fprintf(&b, "%s: %s\n", name, sqlerr.Code(err))
		default:
			t.Errorf("%s: unexpected error %v", name, err)
		}
	}
	compareGolden(t, filepath.Join("testdata", "golden", "bad_data.txt"), b.String())
}
