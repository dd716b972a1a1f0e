package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// tableDirs are the folders write owns under its output folder; it replaces only these, so
// pointing -out at the wrong folder cannot wipe anything else.
var tableDirs = []string{"customers", "orders", "products", "events"}

// ordersPerFile and ordersPerRowGroup give orders two files of four row groups each: enough
// for split planning and row-group pruning to have something to do.
const (
	ordersPerFile     = numOrders / 2
	ordersPerRowGroup = 2_500
)

// write writes every demo file under out.
func write(out string, d *demoData) error {
	for _, t := range tableDirs {
		if err := os.RemoveAll(filepath.Join(out, t)); err != nil {
			return err
		}
	}
	files := map[string][]byte{}
	var err error
	if files["customers/customers.parquet"], err = writeParquet(d.customers, len(d.customers), parquet.Compression(&parquet.Snappy)); err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	for i := 0; i*ordersPerFile < len(d.orders); i++ {
		rows := d.orders[i*ordersPerFile : min((i+1)*ordersPerFile, len(d.orders))]
		name := fmt.Sprintf("orders/part-%d.parquet", i)
		if files[name], err = writeParquet(rows, ordersPerRowGroup, parquet.Compression(&parquet.Zstd)); err != nil {
			return fmt.Errorf("orders: %w", err)
		}
	}
	if files["products/products.csv"], err = productsCSV(d.products); err != nil {
		return fmt.Errorf("products: %w", err)
	}
	for _, dt := range eventDays {
		var b bytes.Buffer
		for _, e := range d.events[dt] {
			b.WriteString(eventLine(e))
			b.WriteByte('\n')
		}
		files["events/dt="+dt+"/events.csv"] = b.Bytes()
	}
	for name, data := range files {
		path := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// createdBy names the writer in the files' footers. parquet-go's default carries the build's
// module version and VCS hash, which would make the bytes depend on how the generator was
// built (go run, go test, a dirty tree).
type createdBy string

func (c createdBy) ConfigureWriter(cfg *parquet.WriterConfig) { cfg.CreatedBy = string(c) }

// writeParquet writes rows as one Parquet file, flushing a row group every perGroup rows.
func writeParquet[T any](rows []T, perGroup int, opts ...parquet.WriterOption) ([]byte, error) {
	var b bytes.Buffer
	opts = append(opts,
		createdBy("quarry gendemo version 1.0.0 (build demo)"),
		// Version 1 data pages and PLAIN strings (unless a column asks for a dictionary) are
		// what Hive, Spark and Athena write, so the demo reads like the files users bring.
		// parquet-go's own defaults are version 2 pages and DELTA_LENGTH_BYTE_ARRAY.
		parquet.DataPageVersion(1),
		parquet.DefaultEncodingFor(parquet.ByteArray, &parquet.Plain),
	)
	w := parquet.NewGenericWriter[T](&b, opts...)
	for start := 0; start < len(rows); start += perGroup {
		if _, err := w.Write(rows[start:min(start+perGroup, len(rows))]); err != nil {
			return nil, err
		}
		if err := w.Flush(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// productsCSV writes products with a header line. encoding/csv quotes a field per RFC 4180
// exactly when it holds a comma, a quote or a line break, doubling the quotes inside.
func productsCSV(ps []product) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write([]string{"product_id", "name", "category", "price", "in_stock"}); err != nil {
		return nil, err
	}
	for _, p := range ps {
		rec := []string{strconv.Itoa(p.ID), p.Name, p.Category, cents(p.Cents), strconv.FormatBool(p.InStock)}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
