package json

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv/textcol/texttest"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/types"
)

// ordersColumns is TPC-H's orders, typed as the peer tool loads it.
var ordersColumns = []formats.Column{
	{Name: "o_orderkey", Type: types.Int64T},
	{Name: "o_custkey", Type: types.Int64T},
	{Name: "o_orderstatus", Type: types.VarcharT},
	{Name: "o_totalprice", Type: types.DecimalT(15, 2)},
	{Name: "o_orderdate", Type: types.DateT},
	{Name: "o_orderpriority", Type: types.VarcharT},
	{Name: "o_clerk", Type: types.VarcharT},
	{Name: "o_shippriority", Type: types.Int32T},
	{Name: "o_comment", Type: types.VarcharT},
}

var (
	ordersOnce sync.Once
	ordersData []byte
)

// orders returns about 32 MB of orders-like JSON lines, generated deterministically.
func orders() []byte {
	ordersOnce.Do(func() {
		rng := rand.New(rand.NewPCG(3, 4))
		words := []string{"furiously", "carefully", "slyly", "quickly", "regular", "final", "ironic",
			"pending", "deposits", "requests", "accounts", "packages", "theodolites", "pinto", "beans"}
		prio := []string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}
		var b bytes.Buffer
		for k := 1; b.Len() < 32<<20; k++ {
			fmt.Fprintf(&b, `{"o_orderkey": %d, "o_custkey": %d, "o_orderstatus": "%c", "o_totalprice": %d.%02d, "o_orderdate": "%d-%02d-%02d", "o_orderpriority": "%s", "o_clerk": "Clerk#%09d", "o_shippriority": 0, "o_comment": "`,
				k, 1+rng.IntN(150000), "OFP"[rng.IntN(3)], 800+rng.IntN(500000), rng.IntN(100),
				1992+rng.IntN(7), 1+rng.IntN(12), 1+rng.IntN(28), prio[rng.IntN(len(prio))], 1+rng.IntN(1000))
			for w := 0; w < 3+rng.IntN(6); w++ {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(words[rng.IntN(len(words))])
			}
			b.WriteString("\"}\n")
		}
		ordersData = b.Bytes()
	})
	return ordersData
}

// BenchmarkJSONRead reads orders lines with all columns, two (a decimal and a date), and
// none (count(*)).
func BenchmarkJSONRead(b *testing.B) {
	data := orders()
	ctx := context.Background()
	store := objstore.NewMemStore()
	key := "mem://bench/orders.json"
	if err := store.Put(ctx, key, bytes.NewReader(data)); err != nil {
		b.Fatal(err)
	}
	all := make([]int, len(ordersColumns))
	for i := range all {
		all[i] = i
	}
	for _, bc := range []struct {
		name string
		proj []int
	}{
		{"cols=all", all},
		{"cols=2", []int{3, 4}},
		{"cols=0", []int{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			rows := 0
			start := texttest.CPUTime()
			for b.Loop() {
				rows = readAll(b, ctx, store, key, bc.proj)
			}
			texttest.ReportCPUThroughput(b, start, len(data))
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

func readAll(b testing.TB, ctx context.Context, store objstore.Store, key string, proj []int) int {
	r, err := New().Open(ctx, store, formats.Split{Key: key}, formats.Options{},
		formats.Request{Columns: ordersColumns, Projection: proj})
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

// TestOrdersParses guards the benchmark: its data must read without error, every row.
func TestOrdersParses(t *testing.T) {
	data := orders()
	ctx := context.Background()
	store := objstore.NewMemStore()
	store.Put(ctx, "mem://t/o.json", bytes.NewReader(data))
	all := make([]int, len(ordersColumns))
	for i := range all {
		all[i] = i
	}
	if got, want := readAll(t, ctx, store, "mem://t/o.json", all), bytes.Count(data, []byte("\n")); got != want {
		t.Fatalf("read %d rows, want %d", got, want)
	}
}
