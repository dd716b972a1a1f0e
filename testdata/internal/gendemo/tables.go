package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The rows of the demo tables, drawn from one seeded generator in a fixed order so every run
// writes the same bytes. The row types double as the Parquet schemas: parquet-go keeps the
// struct's field order, and the tags give each column its logical type.

const (
	numCustomers = 500
	numOrders    = 20_000
	numProducts  = 200
)

// customer is a row of demo.customers. Email is the only nullable column; country, with a
// dozen values, is dictionary-encoded.
type customer struct {
	CustomerID int32   `parquet:"customer_id"`
	Name       string  `parquet:"name"`
	Email      *string `parquet:"email"`
	Country    string  `parquet:"country,dict"`
	SignupDate int32   `parquet:"signup_date,date"` // days since 1970-01-01
	VIP        bool    `parquet:"vip"`
}

// order is a row of demo.orders. The timestamp is a local (not UTC-adjusted) one, as Hive and
// Athena's `timestamp` is; the status column is dictionary-encoded, as writers do for a
// low-cardinality string; total is DECIMAL(12,2) held in an INT64.
type order struct {
	OrderID    int64  `parquet:"order_id"`
	CustomerID int32  `parquet:"customer_id"`
	OrderTS    int64  `parquet:"order_ts,timestamp(microsecond:local)"`
	Status     string `parquet:"status,dict"`
	Total      int64  `parquet:"total,decimal(2:12)"` // cents
	Items      int32  `parquet:"items"`
}

// product is a row of demo.products, written as CSV.
type product struct {
	ID       int
	Name     string
	Category string
	Cents    int
	InStock  bool
}

// event is a row of demo.events, written as '|'-separated text in a dt=YYYY-MM-DD folder.
type event struct {
	ID         int64
	CustomerID int
	Kind       string
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// demoData is every table's rows.
type demoData struct {
	customers []customer
	orders    []order
	products  []product
	events    map[string][]event // by partition value dt
}

// generate draws all tables from seed. Tables are drawn one after another from the same
// stream, so changing one table's recipe changes the tables drawn after it: keep the order.
func generate(seed uint64) *demoData {
	r := newRNG(seed)
	d := &demoData{}
	d.customers = genCustomers(r)
	d.orders = genOrders(r)
	d.products = genProducts(r)
	d.events = genEvents(r)
	return d
}

func genCustomers(r *rng) []customer {
	weights := make([]int, len(countries))
	for i, c := range countries {
		weights[i] = c.weight
	}
	first := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]customer, numCustomers)
	for i := range out {
		f, l := pick(r, firstNames), pick(r, lastNames)
		c := countries[r.weighted(weights)]
		id := int32(i + 1)
		cu := customer{
			CustomerID: id,
			Name:       f.name + " " + l.name,
			Country:    c.name,
			SignupDate: int32(first.AddDate(0, 0, r.intn(3*365)).Sub(epoch) / (24 * time.Hour)),
			VIP:        r.chance(8),
		}
		// About 2% of customers gave no email address.
		if !r.chance(2) {
			email := fmt.Sprintf("%s.%s%d@example.%s", f.ascii, l.ascii, id, c.tld)
			cu.Email = &email
		}
		out[i] = cu
	}
	return out
}

// monthWeights shapes the orders over 2024: a slow start and a holiday peak.
var monthWeights = []int{7, 6, 7, 7, 8, 8, 8, 8, 8, 9, 11, 13}

// pendingFrom is when orders are still mostly pending: the last ten days of the year.
var pendingFrom = time.Date(2024, 12, 22, 0, 0, 0, 0, time.UTC)

func genOrders(r *rng) []order {
	type draft struct {
		ts   time.Time
		cust int32
	}
	drafts := make([]draft, numOrders)
	for i := range drafts {
		m := time.Month(r.weighted(monthWeights) + 1)
		day := time.Date(2024, m, 1, 0, 0, 0, 0, time.UTC)
		days := day.AddDate(0, 1, 0).Sub(day) / (24 * time.Hour)
		ts := day.AddDate(0, 0, r.intn(int(days))).Add(time.Duration(r.intn(86400)) * time.Second)
		// Low customer ids (the earliest sign-ups) order more often: min of two draws.
		cust := int32(min(r.intn(numCustomers), r.intn(numCustomers)) + 1)
		drafts[i] = draft{ts, cust}
	}
	// Order ids grow with time, as a sequence would give them; sorting also makes the row
	// groups' min/max statistics on order_ts and order_id disjoint, so pruning shows.
	slices.SortStableFunc(drafts, func(a, b draft) int { return a.ts.Compare(b.ts) })

	statuses := []string{"shipped", "pending", "cancelled", "returned"}
	usual := []int{86, 2, 6, 6}
	recent := []int{38, 60, 2, 0}
	out := make([]order, numOrders)
	for i, dr := range drafts {
		w := usual
		if !dr.ts.Before(pendingFrom) {
			w = recent
		}
		items := int32(min(r.intn(8), r.intn(8)) + 1)
		unit := int64(5+r.intn(195))*100 - 1 // 4.99 .. 198.99
		out[i] = order{
			OrderID:    int64(i + 1),
			CustomerID: dr.cust,
			OrderTS:    dr.ts.Sub(epoch).Microseconds(),
			Status:     statuses[r.weighted(w)],
			Total:      int64(items) * unit,
			Items:      items,
		}
	}
	return out
}

func genProducts(r *rng) []product {
	// Every (product, variant) pair once, shuffled, the first numProducts of them: names are
	// unique and the categories mixed through the id range.
	var all []product
	for _, c := range categories {
		for _, it := range c.products {
			for _, v := range c.variants {
				name := it.name
				if v != "" {
					name += ", " + v
				}
				all = append(all, product{Name: name, Category: c.name, Cents: it.cents})
			}
		}
	}
	for i := len(all) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		all[i], all[j] = all[j], all[i]
	}
	out := all[:numProducts]
	for i := range out {
		p := &out[i]
		p.ID = i + 1
		// Variants and sellers differ: 85% to 120% of the list price, still ending in .99.
		c := p.Cents * (85 + r.intn(36)) / 100
		p.Cents = max(c-c%100+99, 99)
		p.InStock = r.chance(85)
	}
	return out
}

// eventDays are the partitions of demo.events.
var eventDays = []string{"2024-01-01", "2024-01-02", "2024-01-03"}

func genEvents(r *rng) map[string][]event {
	out := map[string][]event{}
	id := int64(0)
	for _, dt := range eventDays {
		n := 120 + r.intn(120)
		evs := make([]event, n)
		for i := range evs {
			id++
			evs[i] = event{ID: id, CustomerID: r.intn(numCustomers) + 1, Kind: eventKinds[r.weighted(eventWeights)]}
		}
		out[dt] = evs
	}
	return out
}

// cents formats an amount of cents as a decimal with two places.
func cents(c int) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// eventLine is one line of an events file.
func eventLine(e event) string {
	return strings.Join([]string{fmt.Sprint(e.ID), fmt.Sprint(e.CustomerID), e.Kind}, "|")
}
