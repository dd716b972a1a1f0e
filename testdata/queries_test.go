package testdata_test

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the golden files under testdata/ with the computed results")

// demoQuery is an example query over the demo, with its answer computed in Go from the
// files, so the examples the README shows are the files' true answers. Each is single-table:
// what the engine can run first.
type demoQuery struct {
	title string
	sql   string
	run   func(d *demoRows) table
}

// table is a query result as psql prints it.
type table struct {
	cols  []string
	right []bool // numbers are right-aligned
	rows  [][]string
}

var demoQueries = []demoQuery{
	{
		title: "Orders and revenue by status.",
		sql: `SELECT status, count(*) AS orders, sum(total) AS revenue
FROM demo.orders
GROUP BY status
ORDER BY revenue DESC;`,
		run: func(d *demoRows) table {
			type agg struct{ n, cents int64 }
			by := map[string]*agg{}
			for _, o := range d.orders {
				a := by[o.Status]
				if a == nil {
					a = &agg{}
					by[o.Status] = a
				}
				a.n++
				a.cents += o.Total
			}
			keys := sortedKeys(by, func(a, b string) int { return cmp.Compare(by[b].cents, by[a].cents) })
			t := table{cols: []string{"status", "orders", "revenue"}, right: []bool{false, true, true}}
			for _, k := range keys {
				t.rows = append(t.rows, []string{k, itoa(by[k].n), formatCents(by[k].cents)})
			}
			return t
		},
	},
	{
		title: "The five customers who spent most on shipped orders.",
		sql: `SELECT customer_id, count(*) AS orders, sum(total) AS spent
FROM demo.orders
WHERE status = 'shipped'
GROUP BY customer_id
ORDER BY spent DESC, customer_id
LIMIT 5;`,
		run: func(d *demoRows) table {
			type agg struct{ n, cents int64 }
			by := map[int32]*agg{}
			for _, o := range d.orders {
				if o.Status != "shipped" {
					continue
				}
				a := by[o.CustomerID]
				if a == nil {
					a = &agg{}
					by[o.CustomerID] = a
				}
				a.n++
				a.cents += o.Total
			}
			keys := sortedKeys(by, func(a, b int32) int {
				return cmp.Or(cmp.Compare(by[b].cents, by[a].cents), cmp.Compare(a, b))
			})
			t := table{cols: []string{"customer_id", "orders", "spent"}, right: []bool{true, true, true}}
			for _, k := range keys[:5] {
				t.rows = append(t.rows, []string{itoa(int64(k)), itoa(by[k].n), formatCents(by[k].cents)})
			}
			return t
		},
	},
	{
		title: "December's orders (the row groups before December can be skipped by their statistics).",
		sql: `SELECT count(*) AS orders, sum(total) AS revenue, min(order_ts) AS first_order
FROM demo.orders
WHERE order_ts >= TIMESTAMP '2024-12-01 00:00:00';`,
		run: func(d *demoRows) table {
			from := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC).Sub(epoch).Microseconds()
			var n, cents int64
			first := int64(-1)
			for _, o := range d.orders {
				if o.OrderTS >= from {
					n++
					cents += o.Total
					if first < 0 || o.OrderTS < first {
						first = o.OrderTS
					}
				}
			}
			return table{
				cols:  []string{"orders", "revenue", "first_order"},
				right: []bool{true, true, false},
				rows:  [][]string{{itoa(n), formatCents(cents), timestampOf(first).Format("2006-01-02 15:04:05.999999")}},
			}
		},
	},
	{
		title: "The most expensive electronics in stock.",
		sql: `SELECT product_id, name, price
FROM demo.products
WHERE category = 'Electronics' AND in_stock
ORDER BY price DESC, product_id
LIMIT 5;`,
		run: func(d *demoRows) table {
			var ps []productRow
			for _, p := range d.products {
				if p.Category == "Electronics" && p.InStock {
					ps = append(ps, p)
				}
			}
			slices.SortFunc(ps, func(a, b productRow) int { return cmp.Or(cmp.Compare(b.Cents, a.Cents), cmp.Compare(a.ID, b.ID)) })
			t := table{cols: []string{"product_id", "name", "price"}, right: []bool{true, false, true}}
			for _, p := range ps[:5] {
				t.rows = append(t.rows, []string{strconv.Itoa(p.ID), p.Name, formatCents(p.Cents)})
			}
			return t
		},
	},
	{
		title: "Customers by country; count(email) leaves out the NULL emails.",
		sql: `SELECT country, count(*) AS customers, count(email) AS with_email
FROM demo.customers
GROUP BY country
ORDER BY customers DESC, country;`,
		run: func(d *demoRows) table {
			type agg struct{ n, emails int64 }
			by := map[string]*agg{}
			for _, c := range d.customers {
				a := by[c.Country]
				if a == nil {
					a = &agg{}
					by[c.Country] = a
				}
				a.n++
				if c.Email != nil {
					a.emails++
				}
			}
			keys := sortedKeys(by, func(a, b string) int { return cmp.Or(cmp.Compare(by[b].n, by[a].n), cmp.Compare(a, b)) })
			t := table{cols: []string{"country", "customers", "with_email"}, right: []bool{false, true, true}}
			for _, k := range keys {
				t.rows = append(t.rows, []string{k, itoa(by[k].n), itoa(by[k].emails)})
			}
			return t
		},
	},
	{
		title: "Events per day: dt is the partition key, taken from the folder names.",
		sql: `SELECT dt, count(*) AS events
FROM demo.events
GROUP BY dt
ORDER BY dt;`,
		run: func(d *demoRows) table {
			by := map[string]int64{}
			for _, e := range d.events {
				by[e.DT]++
			}
			t := table{cols: []string{"dt", "events"}, right: []bool{false, true}}
			for _, k := range sortedKeys(by, strings.Compare) {
				t.rows = append(t.rows, []string{k, itoa(by[k])})
			}
			return t
		},
	},
}

// TestDemoQueries computes the example queries' results and compares them with
// testdata/demo_queries.golden, which README examples quote. Run with -rewrite after a change
// to the demo data or the queries.
func TestDemoQueries(t *testing.T) {
	d := readDemoRows(t)
	var b strings.Builder
	b.WriteString("-- Example queries over the demo database and their results, computed from the demo\n")
	b.WriteString("-- files by TestDemoQueries (go test ./testdata -run DemoQueries -rewrite). Quote them\n")
	b.WriteString("-- in docs as they are here.\n")
	for _, q := range demoQueries {
		fmt.Fprintf(&b, "\n-- %s\n%s\n\n", q.title, q.sql)
		b.WriteString(q.run(d).psql())
	}
	golden := filepath.Join("testdata", "demo_queries.golden")
	if *rewrite {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with -rewrite)", err)
	}
	if b.String() != string(want) {
		t.Errorf("results differ from %s; if the demo changed on purpose, run with -rewrite.\ngot:\n%s", golden, b.String())
	}
}

// psql renders the table as psql's default aligned format does: headers centered, numbers
// right-aligned, text left-aligned, a row count footer. Trailing blanks are trimmed, as docs
// show them.
func (t table) psql() string {
	widths := make([]int, len(t.cols))
	for i, c := range t.cols {
		widths[i] = utf8.RuneCountInString(c)
		for _, r := range t.rows {
			widths[i] = max(widths[i], utf8.RuneCountInString(r[i]))
		}
	}
	pad := func(s string, n int) string { return strings.Repeat(" ", max(n, 0)) + s }
	var lines []string
	var cells, rules []string
	for i, c := range t.cols {
		extra := widths[i] - utf8.RuneCountInString(c)
		cells = append(cells, " "+pad(c, extra/2)+strings.Repeat(" ", (extra+1)/2)+" ")
		rules = append(rules, strings.Repeat("-", widths[i]+2))
	}
	lines = append(lines, strings.Join(cells, "|"), strings.Join(rules, "+"))
	for _, r := range t.rows {
		cells = cells[:0]
		for i, v := range r {
			extra := widths[i] - utf8.RuneCountInString(v)
			if t.right[i] {
				cells = append(cells, " "+pad(v, extra)+" ")
			} else {
				cells = append(cells, " "+v+strings.Repeat(" ", extra)+" ")
			}
		}
		lines = append(lines, strings.Join(cells, "|"))
	}
	if len(t.rows) == 1 {
		lines = append(lines, "(1 row)")
	} else {
		lines = append(lines, fmt.Sprintf("(%d rows)", len(t.rows)))
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimRight(l, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func sortedKeys[K comparable, V any](m map[K]V, cmp func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp)
	return keys
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
