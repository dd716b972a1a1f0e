package csv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv/textcol/texttest"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/types"
)

// lineitemColumns is TPC-H's lineitem, typed as the peer tool loads it.
var lineitemColumns = []formats.Column{
	{Name: "l_orderkey", Type: types.Int64T},
	{Name: "l_partkey", Type: types.Int64T},
	{Name: "l_suppkey", Type: types.Int64T},
	{Name: "l_linenumber", Type: types.Int32T},
	{Name: "l_quantity", Type: types.DecimalT(15, 2)},
	{Name: "l_extendedprice", Type: types.DecimalT(15, 2)},
	{Name: "l_discount", Type: types.DecimalT(15, 2)},
	{Name: "l_tax", Type: types.DecimalT(15, 2)},
	{Name: "l_returnflag", Type: types.VarcharT},
	{Name: "l_linestatus", Type: types.VarcharT},
	{Name: "l_shipdate", Type: types.DateT},
	{Name: "l_commitdate", Type: types.DateT},
	{Name: "l_receiptdate", Type: types.DateT},
	{Name: "l_shipinstruct", Type: types.VarcharT},
	{Name: "l_shipmode", Type: types.VarcharT},
	{Name: "l_comment", Type: types.VarcharT},
}

var (
	lineitemOnce sync.Once
	lineitemData []byte
)

// lineitem returns about 32 MB of lineitem-like rows in dbgen's style ('|'-separated, a
// trailing delimiter), generated deterministically.
func lineitem() []byte {
	lineitemOnce.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		words := []string{"furiously", "carefully", "slyly", "quickly", "regular", "final", "ironic",
			"pending", "deposits", "requests", "accounts", "packages", "theodolites", "pinto", "beans"}
		instr := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
		modes := []string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
		// dates[i] is 1992-01-01 plus i days, written once rather than per row.
		var dates []string
		for t := time.Date(1992, 1, 1, 0, 0, 0, 0, time.UTC); len(dates) < 2600; t = t.AddDate(0, 0, 1) {
			dates = append(dates, t.Format("2006-01-02"))
		}
		date := func(days int) string { return dates[days] }
		var b bytes.Buffer
		for order := 1; b.Len() < 32<<20; order++ {
			for line := 1; line <= 1+rng.IntN(7); line++ {
				qty := 1 + rng.IntN(50)
				price := float64(qty) * (900 + float64(rng.IntN(100000))/100)
				ship := rng.IntN(2500)
				fmt.Fprintf(&b, "%d|%d|%d|%d|%d.00|%.2f|0.0%d|0.0%d|%c|%c|%s|%s|%s|%s|%s|",
					order, 1+rng.IntN(200000), 1+rng.IntN(10000), line, qty, price, rng.IntN(10), rng.IntN(9),
					"RAN"[rng.IntN(3)], "OF"[rng.IntN(2)], date(ship), date(ship+rng.IntN(60)), date(ship+rng.IntN(30)),
					instr[rng.IntN(len(instr))], modes[rng.IntN(len(modes))])
				for w := 0; w < 2+rng.IntN(5); w++ {
					if w > 0 {
						b.WriteByte(' ')
					}
					b.WriteString(words[rng.IntN(len(words))])
				}
				b.WriteString("|\n")
			}
		}
		lineitemData = b.Bytes()
	})
	return lineitemData
}

// BenchmarkCSVRead reads lineitem rows with all columns, two (a decimal and a date, as TPC-H
// Q6 and Q1 touch), and none (count(*)). SetBytes makes ns/op read as throughput.
func BenchmarkCSVRead(b *testing.B) {
	data := lineitem()
	ctx := context.Background()
	store := objstore.NewMemStore()
	key := "mem://bench/lineitem.tbl"
	if err := store.Put(ctx, key, bytes.NewReader(data)); err != nil {
		b.Fatal(err)
	}
	all := make([]int, len(lineitemColumns))
	for i := range all {
		all[i] = i
	}
	for _, bc := range []struct {
		name string
		proj []int
	}{
		{"cols=all", all},
		{"cols=2", []int{5, 10}},
		{"cols=0", []int{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			rows := 0
			start := texttest.CPUTime()
			for b.Loop() {
				rows = readAll(b, ctx, store, key, formats.Options{"field.delim": "|"}, bc.proj)
			}
			texttest.ReportCPUThroughput(b, start, len(data))
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

func readAll(b testing.TB, ctx context.Context, store objstore.Store, key string, opts formats.Options, proj []int) int {
	info, err := store.Stat(ctx, key)
	if err != nil {
		b.Fatal(err)
	}
	r, err := New().Open(ctx, store, formats.Split{Key: key, Size: info.Size}, opts,
		formats.Request{Columns: lineitemColumns, Projection: proj})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	rows := 0
	for {
		rec, err := r.Next(ctx)
		if err == io.EOF {
			return rows
		}
		if err != nil {
			b.Fatal(err)
		}
		rows += int(rec.NumRows())
		rec.Release()
	}
}

// TestLineitemParses guards the benchmark: its data must read without error, every row.
func TestLineitemParses(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 32 MB")
	}
	data := lineitem()
	if path := os.Getenv("QUARRY_LINEITEM_OUT"); path != "" {
		// For side-by-side runs with a peer engine over the very same bytes.
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := bytes.Count(data, []byte("\n"))
	ctx := context.Background()
	store := objstore.NewMemStore()
	store.Put(ctx, "mem://t/l.tbl", bytes.NewReader(data))
	all := make([]int, len(lineitemColumns))
	for i := range all {
		all[i] = i
	}
	if got := readAll(t, ctx, store, "mem://t/l.tbl", formats.Options{"field.delim": "|"}, all); got != want {
		t.Fatalf("read %d rows, want %s", got, strconv.Itoa(want))
	}
}
