package function

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// BenchmarkScalarMore measures the new families on one batch with a constant pattern,
// path or format argument, as queries use them.
func BenchmarkScalarMore(b *testing.B) {
	reg := New()
	cases := []struct {
		fn   string
		typ  types.T
		gen  func(i int) string
		arg  string
		argT types.T
	}{
		{"regexp_like", txt, func(i int) string { return fmt.Sprintf("order-%d-x%d", i, i%7) }, `-\d+-x3$`, txt},
		{"regexp_replace", txt, func(i int) string { return fmt.Sprintf("order-%d-x%d", i, i%7) }, `\d+`, txt},
		{"json_extract_scalar", types.JSONT, func(i int) string { return fmt.Sprintf(`{"id": %d, "user": {"name": "u%d", "tags": [1, 2]}}`, i, i) }, "$.user.name", txt},
		{"->>", types.JSONT, func(i int) string { return fmt.Sprintf(`{"id": %d, "name": "u%d"}`, i, i) }, "name", txt},
		{"date_format", ts, func(i int) string { return fmt.Sprintf("2021-03-%02d 05:06:%02d", i%28+1, i%60) }, "%Y-%m-%d %H:%i", txt},
		{"to_char", ts, func(i int) string { return fmt.Sprintf("2021-03-%02d 05:06:%02d", i%28+1, i%60) }, "YYYY-MM-DD HH24:MI", txt},
		{"date_parse", txt, func(i int) string { return fmt.Sprintf("2021-03-%02d 05:06:%02d", i%28+1, i%60) }, "%Y-%m-%d %H:%i:%s", txt},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("fn=%s/rows=%d", c.fn, benchRows), func(b *testing.B) {
			ctx := benchCtx()
			x := benchCol(b, ctx, c.typ, benchRows, c.gen)
			y := benchCol(b, ctx, c.argT, benchRows, func(int) string { return c.arg })
			sig, ok := reg.Lookup(c.fn).Bind([]types.T{c.typ, c.argT})
			if !ok {
				b.Fatalf("%s does not bind", c.fn)
			}
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

// BenchmarkAggregateMore measures Update of the new aggregates over one batch into 64
// groups.
func BenchmarkAggregateMore(b *testing.B) {
	reg := New()
	for _, c := range []struct {
		fn   string
		args []types.T
	}{
		{"var_samp", []types.T{f64}}, {"approx_distinct", []types.T{i64}}, {"approx_percentile", []types.T{f64, f64}},
		{"min_by", []types.T{i64, f64}}, {"string_agg", []types.T{txt, txt}},
	} {
		b.Run(fmt.Sprintf("fn=%s/groups=64/rows=%d", c.fn, benchRows), func(b *testing.B) {
			ctx := benchCtx()
			var args []arrow.Array
			for k, t := range c.args {
				args = append(args, benchCol(b, ctx, t, benchRows, func(i int) string {
					if c.fn == "approx_percentile" && k == 1 {
						return "0.5"
					}
					if c.fn == "string_agg" && k == 1 {
						return ","
					}
					return strconv.Itoa(i * 7919 % 100003)
				}))
			}
			groups := make([]uint32, benchRows)
			for i := range groups {
				groups[i] = uint32(i % 64)
			}
			sig, _ := reg.Lookup(c.fn).Bind(c.args)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				acc := sig.Agg()
				acc.Resize(64)
				if err := acc.Update(groups, args, benchRows); err != nil {
					b.Fatal(err)
				}
			}
			reportRows(b)
		})
	}
}
