package testdata_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/testdata"
)

// TestQuarryReadsDemo installs the demo and reads every table through Quarry's own format
// readers with the catalog's definitions, as a scan would, and compares each row with what
// parquet-go and encoding/csv read from the same files. It is what makes the demo's promise
// ("query it with psql, no setup") a tested one below the engine.
func TestQuarryReadsDemo(t *testing.T) {
	ctx := context.Background()
	store := openCatalog(t)
	if err := testdata.InstallDemo(ctx, store, filepath.Join(t.TempDir(), "demo")); err != nil {
		t.Fatal(err)
	}
	want := wantRows(readDemoRows(t))
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	reg := formats.NewRegistry(parquet.New(), csv.New())

	tables, err := store.ListTables(ctx, testdata.DemoDatabase)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		t.Run(tb.Name, func(t *testing.T) {
			f, err := reg.Get(tb.Format())
			if err != nil {
				t.Fatal(err)
			}
			// A partitioned table is read folder by folder; the partition value ends the row,
			// where the scan would add the partition column.
			type place struct{ location, suffix string }
			places := []place{{tb.StorageDescriptor.Location, ""}}
			if len(tb.PartitionKeys) > 0 {
				parts, err := store.ListPartitions(ctx, tb.DatabaseName, tb.Name)
				if err != nil {
					t.Fatal(err)
				}
				places = places[:0]
				for _, p := range parts {
					places = append(places, place{p.StorageDescriptor.Location, "|" + p.Values[0]})
				}
			}
			var got []string
			for _, pl := range places {
				for _, row := range scan(t, ctx, f, &tb, pl.location, alloc) {
					got = append(got, row+pl.suffix)
				}
			}
			w := want[tb.Name]
			if len(got) != len(w) {
				t.Fatalf("Quarry read %d rows, the files hold %d", len(got), len(w))
			}
			for i := range got {
				if got[i] != w[i] {
					t.Fatalf("row %d: Quarry read\n%s\nthe file holds\n%s", i+1, got[i], w[i])
				}
			}
		})
	}
}

// scan reads every file under location with all columns projected and renders each row as
// its values joined by '|'.
func scan(t *testing.T, ctx context.Context, f formats.Format, tb *catalog.Table, location string, alloc memory.Allocator) []string {
	t.Helper()
	opts := formats.Options(maps.Clone(tb.StorageDescriptor.SerdeInfo.Parameters))
	maps.Copy(opts, tb.Parameters)
	req := formats.Request{Alloc: alloc}
	for i, c := range tb.StorageDescriptor.Columns {
		typ, err := c.SQLType()
		if err != nil {
			t.Fatal(err)
		}
		req.Columns = append(req.Columns, formats.Column{Name: c.Name, Type: typ})
		req.Projection = append(req.Projection, i)
	}
	fstore := objstore.NewFileStore()
	objs, err := fstore.List(ctx, location)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) == 0 {
		t.Fatalf("no files under %s", location)
	}
	var rows []string
	for _, obj := range objs {
		splits, err := f.Splits(ctx, fstore, obj, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range splits {
			rr, err := f.Open(ctx, fstore, sp, opts, req)
			if err != nil {
				t.Fatal(err)
			}
			for {
				rec, err := rr.Next(ctx)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					rr.Close()
					t.Fatal(err)
				}
				rows = append(rows, renderRecord(t, rec)...)
				rec.Release()
			}
			if err := rr.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return rows
}

func renderRecord(t *testing.T, rec arrow.Record) []string {
	rows := make([]string, rec.NumRows())
	for c := 0; c < int(rec.NumCols()); c++ {
		col := rec.Column(c)
		for r := range rows {
			if c > 0 {
				rows[r] += "|"
			}
			rows[r] += renderValue(t, col, r)
		}
	}
	return rows
}

func renderValue(t *testing.T, col arrow.Array, i int) string {
	if col.IsNull(i) {
		return "NULL"
	}
	switch a := col.(type) {
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.String:
		return a.Value(i)
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i))
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).Format("2006-01-02 15:04:05.999999")
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	}
	t.Fatalf("no rendering for %s", col.DataType())
	return ""
}

// wantRows renders the independently read rows the way renderRecord does.
func wantRows(d *demoRows) map[string][]string {
	out := map[string][]string{}
	for _, c := range d.customers {
		email := "NULL"
		if c.Email != nil {
			email = *c.Email
		}
		out["customers"] = append(out["customers"], fmt.Sprintf("%d|%s|%s|%s|%s|%t",
			c.CustomerID, c.Name, email, c.Country, dateOf(c.SignupDate).Format("2006-01-02"), c.VIP))
	}
	for _, o := range d.orders {
		out["orders"] = append(out["orders"], fmt.Sprintf("%d|%d|%s|%s|%s|%d",
			o.OrderID, o.CustomerID, timestampOf(o.OrderTS).Format("2006-01-02 15:04:05.999999"), o.Status, formatCents(o.Total), o.Items))
	}
	for _, p := range d.products {
		out["products"] = append(out["products"], fmt.Sprintf("%d|%s|%s|%s|%t", p.ID, p.Name, p.Category, formatCents(p.Cents), p.InStock))
	}
	for _, e := range d.events {
		out["events"] = append(out["events"], fmt.Sprintf("%d|%d|%s|%s", e.ID, e.CustomerID, e.Kind, e.DT))
	}
	return out
}
