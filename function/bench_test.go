package function

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

const benchRows = 8192

// benchCol builds a column of n values from a generator of SQL text.
func benchCol(b *testing.B, ctx *Context, typ types.T, n int, gen func(i int) string) arrow.Array {
	vals := make([]any, n)
	for i := range vals {
		vals[i] = gen(i)
	}
	return col(b, ctx, typ, vals...)
}

func benchCtx() *Context { return &Context{Alloc: memory.DefaultAllocator} }

func reportRows(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

func BenchmarkArith(b *testing.B) {
	reg := New()
	cases := []struct {
		op  string
		typ types.T
		gen func(i int) string
	}{
		{"+", i64, func(i int) string { return strconv.Itoa(i * 7919) }},
		{"+", dec(15, 2), func(i int) string { return fmt.Sprintf("%d.%02d", i*31, i%100) }},
		{"-", dec(15, 2), func(i int) string { return fmt.Sprintf("%d.%02d", i, i%100) }},
		{"*", dec(15, 2), func(i int) string { return fmt.Sprintf("%d.%02d", i%1000, i%100) }},
		{"/", dec(15, 2), func(i int) string { return fmt.Sprintf("%d.%02d", i%1000+1, i%100) }},
		{"*", f64, func(i int) string { return strconv.Itoa(i) + ".5" }},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("op=%s/type=%s/rows=%d", c.op, c.typ, benchRows), func(b *testing.B) {
			ctx := benchCtx()
			x := benchCol(b, ctx, c.typ, benchRows, c.gen)
			y := benchCol(b, ctx, c.typ, benchRows, func(i int) string { return c.gen(benchRows - i) })
			sig, _ := reg.Lookup(c.op).Bind([]types.T{c.typ, c.typ})
			args := []arrow.Array{x, y}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r, err := sig.Kernel(ctx, args, benchRows)
				if err != nil {
					b.Fatal(err)
				}
				r.Release()
			}
			reportRows(b)
		})
	}
}

func BenchmarkCompare(b *testing.B) {
	reg := New()
	cases := []struct {
		op  string
		typ types.T
		gen func(i int) string
	}{
		{"=", txt, func(i int) string { return fmt.Sprintf("customer#%09d", i%50) }},
		{"<", txt, func(i int) string { return fmt.Sprintf("customer#%09d", i) }},
		{"<", i64, func(i int) string { return strconv.Itoa(i * 7919 % 1000) }},
		{"=", dec(15, 2), func(i int) string { return fmt.Sprintf("%d.%02d", i%10, i%100) }},
		{"<", dat, func(i int) string { return fmt.Sprintf("1995-%02d-%02d", i%12+1, i%28+1) }},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("op=%s/type=%s/rows=%d", c.op, c.typ, benchRows), func(b *testing.B) {
			ctx := benchCtx()
			x := benchCol(b, ctx, c.typ, benchRows, c.gen)
			y := benchCol(b, ctx, c.typ, benchRows, func(i int) string { return c.gen(i / 2) })
			sig, _ := reg.Lookup(c.op).Bind([]types.T{c.typ, c.typ})
			args := []arrow.Array{x, y}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r, err := sig.Kernel(ctx, args, benchRows)
				if err != nil {
					b.Fatal(err)
				}
				r.Release()
			}
			reportRows(b)
		})
	}
}

func BenchmarkLike(b *testing.B) {
	reg := New()
	for _, pat := range []string{"PROMO%", "%green%", "%special%requests%"} {
		b.Run("pattern="+pat, func(b *testing.B) {
			ctx := benchCtx()
			x := benchCol(b, ctx, txt, benchRows, func(i int) string {
				return fmt.Sprintf("PROMO BRUSHED %d furiously special green requests %d", i%7, i)
			})
			p := benchCol(b, ctx, txt, benchRows, func(int) string { return pat })
			sig, _ := reg.Lookup("~~").Bind([]types.T{txt, txt})
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r, err := sig.Kernel(ctx, []arrow.Array{x, p}, benchRows)
				if err != nil {
					b.Fatal(err)
				}
				r.Release()
			}
			reportRows(b)
		})
	}
}

func BenchmarkAggregateUpdate(b *testing.B) {
	reg := New()
	cases := []struct {
		name string
		typ  types.T
		gen  func(i int) string
	}{
		{"sum", dec(15, 2), func(i int) string { return fmt.Sprintf("%d.%02d", i*13%100000, i%100) }},
		{"sum", i64, func(i int) string { return strconv.Itoa(i) }},
		{"avg", dec(15, 2), func(i int) string { return fmt.Sprintf("%d.%02d", i%50, i%100) }},
		{"count", i64, func(i int) string { return strconv.Itoa(i) }},
		{"min", txt, func(i int) string { return fmt.Sprintf("name%06d", i*7919%benchRows) }},
	}
	for _, c := range cases {
		for _, groups := range []int{4, 1024} {
			b.Run(fmt.Sprintf("agg=%s/type=%s/groups=%d/rows=%d", c.name, c.typ, groups, benchRows), func(b *testing.B) {
				ctx := benchCtx()
				x := benchCol(b, ctx, c.typ, benchRows, c.gen)
				gids := make([]uint32, benchRows)
				for i := range gids {
					gids[i] = uint32(i * 2654435761 % groups)
				}
				sig, _ := reg.Lookup(c.name).Bind([]types.T{c.typ})
				acc := sig.Agg()
				acc.Resize(groups)
				args := []arrow.Array{x}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if err := acc.Update(gids, args, benchRows); err != nil {
						b.Fatal(err)
					}
				}
				reportRows(b)
			})
		}
	}
}

func BenchmarkCastTextToNumeric(b *testing.B) {
	for _, typ := range []types.T{i64, dec(15, 2), f64, dat, ts} {
		b.Run("to="+typ.String(), func(b *testing.B) {
			ctx := benchCtx()
			src := benchCol(b, ctx, txt, benchRows, func(i int) string {
				switch typ.Kind {
				case types.Date:
					return fmt.Sprintf("1995-%02d-%02d", i%12+1, i%28+1)
				case types.Timestamp:
					return fmt.Sprintf("1995-%02d-%02d 12:%02d:%02d.5", i%12+1, i%28+1, i%60, i%60)
				}
				return fmt.Sprintf("%d.%02d", i, i%100)[:len(strconv.Itoa(i))+3-3*b2i(typ.Kind == types.Int64)]
			})
			k, _ := Cast(txt, typ, false)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r, err := k(ctx, []arrow.Array{src}, benchRows)
				if err != nil {
					b.Fatal(err)
				}
				r.Release()
			}
			reportRows(b)
		})
	}
}

func b2i(v bool) int {
	if v {
		return 1
	}
	return 0
}
