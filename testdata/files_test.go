package testdata_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/testdata"
)

// demoTable returns the catalog definition of one demo table.
func demoTable(t *testing.T, name string) catalog.Table {
	t.Helper()
	tables, _, err := testdata.DemoTables("/demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if tb.Name == name {
			return tb
		}
	}
	t.Fatalf("no demo table %q", name)
	return catalog.Table{}
}

// hiveType names the Hive type a Parquet leaf column holds, as Athena maps them; "" when the
// column has no such type (which fails the test).
func hiveType(col parquet.Field) string {
	lt := col.Type().LogicalType()
	if lt == nil {
		if col.Type().Kind() == parquet.Boolean {
			return "boolean"
		}
		return ""
	}
	switch v := lt.Value.(type) {
	case *format.IntType:
		switch {
		case v.IsSigned && v.BitWidth == 32:
			return "int"
		case v.IsSigned && v.BitWidth == 64:
			return "bigint"
		}
	case *format.StringType:
		return "string"
	case *format.DateType:
		return "date"
	case *format.TimestampType:
		if _, micros := v.Unit.Value.(*format.MicroSeconds); micros && !v.IsAdjustedToUTC {
			return "timestamp"
		}
	case *format.DecimalType:
		return fmt.Sprintf("decimal(%d,%d)", v.Precision, v.Scale)
	}
	return ""
}

func TestParquetFiles(t *testing.T) {
	tests := []struct {
		file      string
		table     string
		codec     format.CompressionCodec
		groupRows []int64
		optional  []string // nullable columns
		dict      []string // dictionary-encoded columns
	}{
		{
			file: "customers/customers.parquet", table: "customers", codec: format.Snappy,
			groupRows: []int64{500}, optional: []string{"email"}, dict: []string{"country"},
		},
		{
			file: "orders/part-0.parquet", table: "orders", codec: format.Zstd,
			groupRows: []int64{2500, 2500, 2500, 2500}, dict: []string{"status"},
		},
		{
			file: "orders/part-1.parquet", table: "orders", codec: format.Zstd,
			groupRows: []int64{2500, 2500, 2500, 2500}, dict: []string{"status"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := fs.ReadFile(testdata.DemoFS(), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			// The file's columns are the table's, in order, with the declared types.
			want := demoTable(t, tt.table).StorageDescriptor.Columns
			fields := f.Schema().Fields()
			if len(fields) != len(want) {
				t.Fatalf("%d columns, the table declares %d", len(fields), len(want))
			}
			for i, fl := range fields {
				if fl.Name() != want[i].Name || hiveType(fl) != want[i].Type {
					t.Errorf("column %d is %s %s (%v), the table declares %s %s",
						i, fl.Name(), hiveType(fl), fl.Type(), want[i].Name, want[i].Type)
				}
				if got := fl.Optional(); got != slices.Contains(tt.optional, fl.Name()) {
					t.Errorf("column %s: optional = %v", fl.Name(), got)
				}
			}
			md := f.Metadata()
			var rows []int64
			for _, rg := range md.RowGroups {
				rows = append(rows, rg.NumRows)
				for _, c := range rg.Columns {
					name := strings.Join(c.MetaData.PathInSchema, ".")
					if c.MetaData.Codec != tt.codec {
						t.Errorf("column %s is compressed with %v, want %v", name, c.MetaData.Codec, tt.codec)
					}
					dict := slices.Contains(c.MetaData.Encoding, format.RLEDictionary)
					if dict != slices.Contains(tt.dict, name) {
						t.Errorf("column %s: dictionary-encoded = %v (encodings %v)", name, dict, c.MetaData.Encoding)
					}
				}
			}
			if !slices.Equal(rows, tt.groupRows) {
				t.Errorf("row groups hold %v rows, want %v", rows, tt.groupRows)
			}
		})
	}
}

func TestCSVFiles(t *testing.T) {
	src := testdata.DemoFS()
	products := readCSV(t, src, "products/products.csv", ',')
	var header []string
	for _, c := range demoTable(t, "products").StorageDescriptor.Columns {
		header = append(header, c.Name)
	}
	if !slices.Equal(products[0], header) {
		t.Errorf("header %q, the table declares %q", products[0], header)
	}
	if len(products) != 201 {
		t.Errorf("%d product rows, want 200", len(products)-1)
	}
	// The file must exercise RFC 4180 quoting: fields with commas, and with doubled quotes.
	raw, err := fs.ReadFile(src, "products/products.csv")
	if err != nil {
		t.Fatal(err)
	}
	var commas, quotes int
	names := map[string]bool{}
	for _, r := range products[1:] {
		if strings.Contains(r[1], ",") {
			commas++
		}
		if strings.Contains(r[1], `"`) {
			quotes++
		}
		if names[r[1]] {
			t.Errorf("product name %q is not unique", r[1])
		}
		names[r[1]] = true
	}
	if commas < 10 || quotes < 5 || !bytes.Contains(raw, []byte(`""`)) {
		t.Errorf("%d names with commas, %d with quotes: the file does not show off quoting", commas, quotes)
	}

	width := len(demoTable(t, "events").StorageDescriptor.Columns)
	files, err := fs.Glob(src, "events/*/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Errorf("events files %v, want one in each of three dt= folders", files)
	}
	for _, name := range files {
		for i, r := range readCSV(t, src, name, '|') {
			if len(r) != width {
				t.Fatalf("%s:%d has %d fields, want %d", name, i+1, len(r), width)
			}
		}
	}
}

// TestDemoValues checks the generated data makes sense, so the demo's answers do.
func TestDemoValues(t *testing.T) {
	d := readDemoRows(t)
	if len(d.customers) != 500 || len(d.orders) != 20_000 || len(d.products) != 200 {
		t.Fatalf("%d customers, %d orders, %d products", len(d.customers), len(d.orders), len(d.products))
	}
	nullEmails := 0
	for i, c := range d.customers {
		if c.CustomerID != int32(i+1) {
			t.Fatalf("customer %d has id %d", i, c.CustomerID)
		}
		if c.Email == nil {
			nullEmails++
		} else if !strings.Contains(*c.Email, "@example.") {
			t.Errorf("customer %d: email %q", c.CustomerID, *c.Email)
		}
		if y := dateOf(c.SignupDate).Year(); y < 2021 || y > 2023 {
			t.Errorf("customer %d signed up in %d", c.CustomerID, y)
		}
	}
	if nullEmails == 0 || nullEmails > 25 {
		t.Errorf("%d NULL emails, want a few", nullEmails)
	}
	statuses := map[string]int{}
	for i, o := range d.orders {
		if o.OrderID != int64(i+1) {
			t.Fatalf("order %d has id %d", i, o.OrderID)
		}
		if o.CustomerID < 1 || o.CustomerID > 500 || o.Items < 1 || o.Total <= 0 {
			t.Errorf("order %d: %+v", o.OrderID, o)
		}
		if i > 0 && o.OrderTS < d.orders[i-1].OrderTS {
			t.Errorf("order %d is older than order %d", o.OrderID, o.OrderID-1)
		}
		if y := timestampOf(o.OrderTS).Year(); y != 2024 {
			t.Errorf("order %d placed in %d", o.OrderID, y)
		}
		statuses[o.Status]++
	}
	for _, s := range []string{"shipped", "pending", "cancelled", "returned"} {
		if statuses[s] == 0 {
			t.Errorf("no %s orders", s)
		}
	}
	if len(statuses) != 4 {
		t.Errorf("statuses %v", statuses)
	}
	for _, e := range d.events {
		if e.CustomerID < 1 || e.CustomerID > 500 {
			t.Errorf("event %d: customer %d", e.ID, e.CustomerID)
		}
	}
}

// TestDemoSize keeps the embedded demo small: it ships in every binary.
func TestDemoSize(t *testing.T) {
	var total int64
	err := fs.WalkDir(testdata.DemoFS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		total += info.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 1<<20 {
		t.Errorf("the demo files total %d bytes; keep them under 1 MiB", total)
	}
}
