package parquet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/types"
)

// TestDifferentialRowReader compares the page reader with parquet-go's own row reader, an
// independent path through parquet-go (values one by one, with their definition levels), on
// every flat column of every parquet-testing file both can read. Columns are read with the
// table type closest to their physical type, so that the comparison is of raw values.
func TestDifferentialRowReader(t *testing.T) {
	dir := testingDir(t, "data")
	files, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			differential(t, data)
		})
	}
}

// rawType is the table type that holds a physical type's values unchanged.
func rawType(fc *fileColumn) (types.T, bool) {
	switch fc.physical {
	case format.Boolean:
		return types.BoolT, true
	case format.Int32:
		return types.Int32T, true
	case format.Int64:
		return types.Int64T, true
	case format.Float:
		return types.Float32T, true
	case format.Double:
		return types.Float64T, true
	case format.ByteArray, format.FixedLenByteArray:
		return types.ByteaT, fc.ann != annDecimal
	}
	return types.T{}, false
}

func differential(t *testing.T, data []byte) {
	t.Helper()
	store, obj := memFile(t, data)
	r, err := store.Open(context.Background(), obj.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := openFile(obj.Key, r)
	if err != nil {
		t.Skipf("not readable: %v", err)
	}
	fcols, err := fileColumns(f.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	var decls []formats.Column
	var leaves []int
	for i := range fcols {
		fc := &fcols[i]
		if ty, ok := rawType(fc); ok && !fc.nested {
			decls = append(decls, formats.Column{Name: fc.name, Type: ty})
			leaves = append(leaves, fc.index)
		}
	}
	if len(decls) == 0 {
		t.Skip("no flat columns")
	}
	// Duplicate names (case-insensitively) would make the comparison ambiguous.
	res, err := scan(t, data, formats.Request{Columns: decls, Projection: all(len(decls)), BatchSize: 333})
	if err != nil {
		t.Skipf("page reader: %v", err)
	}
	var want [][]string
	for _, rg := range f.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, 64)
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				cells := make([]string, len(leaves))
				for _, v := range row {
					for k, leaf := range leaves {
						if v.Column() == leaf {
							cells[k] = valueString(v)
						}
					}
				}
				want = append(want, cells)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				t.Skipf("row reader: %v", err)
			}
		}
		rows.Close()
	}
	if len(want) != len(res.rows) {
		t.Fatalf("page reader: %d rows, row reader: %d", len(res.rows), len(want))
	}
	for i := range want {
		for k := range want[i] {
			if res.rows[i][k] != want[i][k] {
				t.Fatalf("row %d column %s: page reader %q, row reader %q", i, decls[k].Name, res.rows[i][k], want[i][k])
			}
		}
	}
}

// valueString renders a parquet-go value as valueStr renders the Arrow value.
func valueString(v parquet.Value) string {
	if v.IsNull() {
		return "(null)"
	}
	switch v.Kind() {
	case parquet.Boolean:
		return strconv.FormatBool(v.Boolean())
	case parquet.Int32:
		return strconv.Itoa(int(v.Int32()))
	case parquet.Int64:
		return strconv.FormatInt(v.Int64(), 10)
	case parquet.Float:
		return strconv.FormatFloat(float64(v.Float()), 'g', -1, 32)
	case parquet.Double:
		return strconv.FormatFloat(v.Double(), 'g', -1, 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return string(v.ByteArray())
	}
	return fmt.Sprint(v)
}
