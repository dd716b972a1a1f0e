package testdata_test

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/quarrydb/quarry/testdata"
)

// The demo rows, read back from the embedded files with parquet-go and encoding/csv: readers
// independent of Quarry's own, so the tests check the files and, through them, Quarry.

type customerRow struct {
	CustomerID int32   `parquet:"customer_id"`
	Name       string  `parquet:"name"`
	Email      *string `parquet:"email"`
	Country    string  `parquet:"country"`
	SignupDate int32   `parquet:"signup_date,date"`
	VIP        bool    `parquet:"vip"`
}

type orderRow struct {
	OrderID    int64  `parquet:"order_id"`
	CustomerID int32  `parquet:"customer_id"`
	OrderTS    int64  `parquet:"order_ts,timestamp(microsecond:local)"`
	Status     string `parquet:"status"`
	Total      int64  `parquet:"total,decimal(2:12)"`
	Items      int32  `parquet:"items"`
}

type productRow struct {
	ID       int
	Name     string
	Category string
	Cents    int64
	InStock  bool
}

type eventRow struct {
	ID         int64
	CustomerID int
	Kind       string
	DT         string
}

type demoRows struct {
	customers []customerRow
	orders    []orderRow
	products  []productRow
	events    []eventRow
}

func readDemoRows(t *testing.T) *demoRows {
	t.Helper()
	src := testdata.DemoFS()
	d := &demoRows{
		customers: readParquet[customerRow](t, src, "customers/customers.parquet"),
		orders: append(readParquet[orderRow](t, src, "orders/part-0.parquet"),
			readParquet[orderRow](t, src, "orders/part-1.parquet")...),
	}
	recs := readCSV(t, src, "products/products.csv", ',')
	for _, r := range recs[1:] { // the header line
		d.products = append(d.products, productRow{
			ID: atoi(t, r[0]), Name: r[1], Category: r[2], Cents: parseCents(t, r[3]), InStock: parseBool(t, r[4]),
		})
	}
	dirs, err := fs.Glob(src, "events/dt=*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		dt := strings.TrimPrefix(path.Base(dir), "dt=")
		for _, r := range readCSV(t, src, dir+"/events.csv", '|') {
			d.events = append(d.events, eventRow{ID: int64(atoi(t, r[0])), CustomerID: atoi(t, r[1]), Kind: r[2], DT: dt})
		}
	}
	return d
}

func readParquet[T any](t *testing.T, src fs.FS, name string) []T {
	t.Helper()
	data, err := fs.ReadFile(src, name)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.Read[T](bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

func readCSV(t *testing.T, src fs.FS, name string, delim rune) [][]string {
	t.Helper()
	data, err := fs.ReadFile(src, name)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delim
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func parseBool(t *testing.T, s string) bool {
	t.Helper()
	b, err := strconv.ParseBool(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseCents reads a decimal with exactly two places.
func parseCents(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		t.Fatalf("price %q does not have two decimal places", s)
	}
	return int64(atoi(t, whole))*100 + int64(atoi(t, frac))
}

// formatCents writes cents as PostgreSQL prints a numeric of scale 2.
func formatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return sign + strconv.FormatInt(c/100, 10) + "." + strconv.FormatInt(c%100+100, 10)[1:]
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

func dateOf(days int32) time.Time    { return epoch.AddDate(0, 0, int(days)) }
func timestampOf(us int64) time.Time { return epoch.Add(time.Duration(us) * time.Microsecond) }
