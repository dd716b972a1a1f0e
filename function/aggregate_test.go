package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// aggBatch is one batch of an aggregate's input: a group id per row and the argument
// columns as text.
type aggBatch struct {
	groups []uint32
	cols   [][]any
}

type aggCase struct {
	name     string
	args     []types.T
	distinct bool
	groups   int
	batches  [2]aggBatch
	ret      types.T
	want     []string
	code     string
}

// runAgg evaluates an aggregate twice: one accumulator over both batches, and two partial
// accumulators (one per batch, the second with its group ids permuted) merged into a final
// one. Both must give want.
func runAgg(t *testing.T, reg *Registry, c aggCase) {
	t.Helper()
	ctx := newTestCtx(t)
	f := reg.Lookup(c.name)
	if f == nil || f.Kind != AggregateKind {
		t.Fatalf("no aggregate %s", c.name)
	}
	sig, ok := f.Bind(c.args)
	if !ok {
		t.Fatalf("%s%v does not bind", c.name, c.args)
	}
	if (c.ret.Kind != types.Unknown || c.ret.Precision != 0) && !sig.Ret.Equal(c.ret) {
		t.Errorf("%s%v: result type %s, want %s", c.name, c.args, sig.Ret, c.ret)
	}
	mk := sig.Agg
	if c.distinct {
		mk = Distinct(sig.Args, sig.Agg)
	}
	inputs := make([][]arrow.Array, 2)
	for b, batch := range c.batches {
		for j, colVals := range batch.cols {
			a := col(t, ctx, c.args[j], colVals...)
			if !c.args[j].Equal(sig.Args[j]) {
				k, err := Cast(c.args[j], sig.Args[j], false)
				if err != nil {
					t.Fatal(err)
				}
				conv, err := k(ctx, []arrow.Array{a}, a.Len())
				if err != nil {
					t.Fatal(err)
				}
				a.Release()
				a = conv
			}
			inputs[b] = append(inputs[b], a)
		}
		defer releaseAll(inputs[b]...)
	}
	label := c.name
	if c.distinct {
		label += "(DISTINCT)"
	}
	check := func(how string, res arrow.Array, err error) {
		if c.code != "" {
			if sqlerr.Code(err) != c.code {
				t.Errorf("%s %s: error %v, want %s", label, how, err, c.code)
			}
			if res != nil {
				res.Release()
			}
			return
		}
		if err != nil {
			t.Errorf("%s %s: %v", label, how, err)
			return
		}
		defer res.Release()
		if !arrow.TypeEqual(res.DataType(), sig.Ret.Arrow()) {
			t.Errorf("%s %s: result %s, signature %s", label, how, res.DataType(), sig.Ret.Arrow())
		}
		if got := texts(res, sig.Ret); !equalStrings(got, c.want) {
			t.Errorf("%s %s: got %q, want %q", label, how, got, c.want)
		}
	}
	n := func(b int) int { return len(c.batches[b].groups) }

	// One accumulator, two batches.
	one := mk()
	one.Resize(c.groups)
	err := one.Update(c.batches[0].groups, inputs[0], n(0))
	if err == nil {
		err = one.Update(c.batches[1].groups, inputs[1], n(1))
	}
	if err != nil {
		check("single", nil, err)
	} else {
		res, err := one.Finish(ctx.mem())
		check("single", res, err)
	}

	// Two partials merged; the second numbers its groups in reverse.
	p1, p2 := mk(), mk()
	p1.Resize(c.groups)
	p2.Resize(c.groups)
	rev := make([]uint32, c.groups)
	for g := range rev {
		rev[g] = uint32(c.groups - 1 - g)
	}
	local := make([]uint32, n(1))
	for i, g := range c.batches[1].groups {
		local[i] = rev[g]
	}
	err = p1.Update(c.batches[0].groups, inputs[0], n(0))
	if err == nil {
		err = p2.Update(local, inputs[1], n(1))
	}
	if err != nil {
		check("merged", nil, err)
		return
	}
	final := mk()
	ident := make([]uint32, c.groups)
	for g := range ident {
		ident[g] = uint32(g)
	}
	if err := final.Merge(p1, ident); err != nil {
		check("merged", nil, err)
		return
	}
	if err := final.Merge(p2, rev); err != nil {
		check("merged", nil, err)
		return
	}
	res, err := final.Finish(ctx.mem())
	check("merged", res, err)
}

func b(groups []uint32, cols ...[]any) aggBatch { return aggBatch{groups: groups, cols: cols} }

func g(ids ...uint32) []uint32 { return ids }

func TestAggregates(t *testing.T) {
	reg := New()
	cases := []aggCase{
		{name: "count", groups: 2, batches: [2]aggBatch{b(g(0, 1, 0)), b(g(1, 1))}, ret: i64, want: []string{"2", "3"}},
		{name: "count", args: []types.T{i32}, groups: 3, batches: [2]aggBatch{b(g(0, 1, 0), row("1", "NULL", "3")), b(g(1, 0), row("NULL", "4"))}, want: []string{"3", "0", "0"}},
		{name: "count", args: []types.T{txt}, groups: 1, batches: [2]aggBatch{b(g(0), row("a")), b(g(0), row("NULL"))}, want: []string{"1"}},
		{name: "sum", args: []types.T{i32}, groups: 3, batches: [2]aggBatch{b(g(0, 1, 0), row("1", "NULL", "2147483647")), b(g(0, 1), row("2147483647", "NULL"))}, ret: i64, want: []string{"4294967295", "NULL", "NULL"}},
		{name: "sum", args: []types.T{i16}, groups: 1, batches: [2]aggBatch{b(g(0), row("-5")), b(g(0), row("7"))}, ret: i64, want: []string{"2"}},
		{name: "sum", args: []types.T{i64}, groups: 2, batches: [2]aggBatch{b(g(0, 0), row("9223372036854775807", "9223372036854775807")), b(g(0, 1), row("2", "-9223372036854775808"))}, ret: dec(38, 0), want: []string{"18446744073709551616", "-9223372036854775808"}},
		{name: "sum", args: []types.T{dec(15, 2)}, groups: 2, batches: [2]aggBatch{b(g(0, 1, 0), row("1.10", "NULL", "-0.05")), b(g(0, 1), row("100.00", "2.50"))}, ret: dec(38, 2), want: []string{"101.05", "2.50"}},
		{name: "sum", args: []types.T{dec(38, 0)}, groups: 1, batches: [2]aggBatch{b(g(0), row("99999999999999999999999999999999999999")), b(g(0), row("1"))}, code: sqlerr.NumericValueOutOfRange},
		{name: "sum", args: []types.T{f64}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("0.5", "NULL")), b(g(0), row("0.25"))}, ret: f64, want: []string{"0.75"}},
		{name: "sum", args: []types.T{f32}, groups: 1, batches: [2]aggBatch{b(g(0), row("0.5")), b(g(0), row("0.25"))}, ret: f64, want: []string{"0.75"}},
		{name: "sum", args: []types.T{ivt}, groups: 1, batches: [2]aggBatch{b(g(0), row("1 mon 2 hours")), b(g(0), row("1 day"))}, ret: ivt, want: []string{"1 mon 1 day 02:00:00"}},
		{name: "avg", args: []types.T{i32}, groups: 2, batches: [2]aggBatch{b(g(0, 0), row("1", "2")), b(g(1, 0), row("NULL", "2"))}, ret: dec(26, 16), want: []string{"1.6666666666666667", "NULL"}},
		{name: "avg", args: []types.T{i64}, groups: 1, batches: [2]aggBatch{b(g(0), row("-1")), b(g(0), row("-2"))}, want: []string{"-1.5000000000000000"}},
		{name: "avg", args: []types.T{dec(15, 2)}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1.00", "2.00")), b(g(0), row("2.00"))}, ret: dec(29, 16), want: []string{"1.6666666666666667"}},
		{name: "avg", args: []types.T{dec(38, 30)}, groups: 1, batches: [2]aggBatch{b(g(0), row("1.000000000000000000000000000001")), b(g(0), row("2"))}, ret: dec(38, 30), want: []string{"1.500000000000000000000000000001"}},
		{name: "avg", args: []types.T{dec(38, 2)}, groups: 1, batches: [2]aggBatch{b(g(0), row("999999999999999999999999999999999999.99")), b(g(0), row("999999999999999999999999999999999999.99"))}, ret: dec(38, 2), want: []string{"999999999999999999999999999999999999.99"}},
		{name: "avg", args: []types.T{f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1")), b(g(0), row("2"))}, ret: f64, want: []string{"1.5"}},
		{name: "avg", args: []types.T{ivt}, groups: 1, batches: [2]aggBatch{b(g(0), row("1 mon")), b(g(0), row("2 days"))}, want: []string{"16 days"}},
		{name: "min", args: []types.T{i32}, groups: 2, batches: [2]aggBatch{b(g(0, 1, 0), row("5", "NULL", "-3")), b(g(0), row("4"))}, ret: i32, want: []string{"-3", "NULL"}},
		{name: "max", args: []types.T{i64}, groups: 2, batches: [2]aggBatch{b(g(0, 1, 0), row("5", "7", "-3")), b(g(1, 0), row("9", "NULL"))}, want: []string{"5", "9"}},
		{name: "max", args: []types.T{f64}, groups: 2, batches: [2]aggBatch{b(g(0, 1), row("1", "1")), b(g(0, 1), row("NaN", "-Infinity"))}, want: []string{"NaN", "1"}},
		{name: "min", args: []types.T{f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("NaN")), b(g(0), row("3"))}, want: []string{"3"}},
		{name: "max", args: []types.T{txt}, groups: 2, batches: [2]aggBatch{b(g(0, 0, 1), row("apple", "pear", "NULL")), b(g(0, 1), row("banana", "z"))}, ret: txt, want: []string{"pear", "z"}},
		{name: "min", args: []types.T{txt}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("b", "B")), b(g(0), row("a"))}, want: []string{"B"}},
		{name: "min", args: []types.T{dec(10, 2)}, groups: 1, batches: [2]aggBatch{b(g(0), row("1.50")), b(g(0), row("-0.01"))}, ret: dec(10, 2), want: []string{"-0.01"}},
		{name: "max", args: []types.T{dat}, groups: 1, batches: [2]aggBatch{b(g(0), row("2020-01-02")), b(g(0), row("1999-12-31"))}, ret: dat, want: []string{"2020-01-02"}},
		{name: "max", args: []types.T{ts}, groups: 1, batches: [2]aggBatch{b(g(0), row("2020-01-02 00:00:00")), b(g(0), row("2020-01-02 00:00:01"))}, want: []string{"2020-01-02 00:00:01"}},
		{name: "max", args: []types.T{ivt}, groups: 1, batches: [2]aggBatch{b(g(0), row("1 mon")), b(g(0), row("31 days"))}, want: []string{"31 days"}},
		{name: "max", args: []types.T{boo}, groups: 2, batches: [2]aggBatch{b(g(0, 1), row("f", "f")), b(g(0), row("t"))}, ret: boo, want: []string{"true", "false"}},
		{name: "min", args: []types.T{boo}, groups: 1, batches: [2]aggBatch{b(g(0), row("t")), b(g(0), row("f"))}, want: []string{"false"}},
		{name: "arbitrary", args: []types.T{txt}, groups: 2, batches: [2]aggBatch{b(g(0, 1), row("x", "NULL")), b(g(0), row("x"))}, want: []string{"x", "NULL"}},
		{name: "any_value", args: []types.T{i32}, groups: 1, batches: [2]aggBatch{b(g(0), row("NULL")), b(g(0), row("3"))}, want: []string{"3"}},
		{name: "count_if", args: []types.T{boo}, groups: 2, batches: [2]aggBatch{b(g(0, 0, 1), row("t", "f", "NULL")), b(g(0), row("t"))}, ret: i64, want: []string{"2", "0"}},
		{name: "bool_and", args: []types.T{boo}, groups: 3, batches: [2]aggBatch{b(g(0, 1), row("t", "t")), b(g(0, 1), row("f", "NULL"))}, ret: boo, want: []string{"false", "true", "NULL"}},
		{name: "every", args: []types.T{boo}, groups: 1, batches: [2]aggBatch{b(g(0), row("t")), b(g(0), row("t"))}, want: []string{"true"}},
		{name: "bool_or", args: []types.T{boo}, groups: 2, batches: [2]aggBatch{b(g(0, 1), row("f", "f")), b(g(0, 1), row("t", "NULL"))}, want: []string{"true", "false"}},
		// DISTINCT: duplicates within a batch, across batches and across partials count once.
		{name: "count", args: []types.T{i32}, distinct: true, groups: 2, batches: [2]aggBatch{b(g(0, 0, 0, 1), row("1", "1", "2", "NULL")), b(g(0, 0, 1), row("2", "3", "5"))}, want: []string{"3", "1"}},
		{name: "sum", args: []types.T{i32}, distinct: true, groups: 1, batches: [2]aggBatch{b(g(0, 0, 0), row("1", "1", "2")), b(g(0, 0), row("2", "3"))}, want: []string{"6"}},
		{name: "avg", args: []types.T{dec(5, 2)}, distinct: true, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1.00", "1.00")), b(g(0), row("2.00"))}, want: []string{"1.5000000000000000"}},
		{name: "count", args: []types.T{txt}, distinct: true, groups: 2, batches: [2]aggBatch{b(g(0, 0, 1), row("a", "b", "a")), b(g(0, 1), row("a", "c"))}, want: []string{"2", "2"}},
		{name: "count", args: []types.T{f64}, distinct: true, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("0", "-0")), b(g(0, 0), row("NaN", "NaN"))}, want: []string{"2"}},
		{name: "max", args: []types.T{dat}, distinct: true, groups: 1, batches: [2]aggBatch{b(g(0), row("2020-01-02")), b(g(0), row("2020-01-03"))}, want: []string{"2020-01-03"}},
		{name: "count", args: []types.T{ivt}, distinct: true, groups: 1, batches: [2]aggBatch{b(g(0), row("1 day")), b(g(0), row("1 day"))}, want: []string{"1"}},
		{name: "count", args: []types.T{boo}, distinct: true, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("t", "f")), b(g(0), row("t"))}, want: []string{"2"}},
		{name: "count", args: []types.T{i32}, distinct: true, groups: 2, batches: [2]aggBatch{b(g(0), row("NULL")), b(g(0), row("NULL"))}, want: []string{"0", "0"}},
	}
	for _, c := range cases {
		runAgg(t, reg, c)
	}
}

func TestAggregateBinding(t *testing.T) {
	reg := New()
	tests := []struct {
		name string
		arg  types.T
		ret  types.T
		ok   bool
	}{
		{"sum", i32, i64, true}, {"sum", i64, dec(38, 0), true}, {"sum", dec(15, 2), dec(38, 2), true},
		{"sum", f32, f64, true}, {"avg", i16, dec(21, 16), true}, {"avg", i64, dec(35, 16), true},
		{"avg", dec(38, 0), dec(38, 0), true}, {"avg", dec(30, 10), dec(36, 16), true}, {"avg", dec(38, 20), dec(38, 20), true},
		{"sum", txt, types.T{}, false}, {"avg", dat, types.T{}, false}, {"max", types.JSONT, types.T{}, false},
		{"min", txt, txt, true}, {"max", unk, txt, true}, {"bool_and", i32, types.T{}, false},
	}
	for _, tt := range tests {
		sig, ok := reg.Lookup(tt.name).Bind([]types.T{tt.arg})
		if ok != tt.ok || (ok && !sig.Ret.Equal(tt.ret)) {
			t.Errorf("%s(%s) = %s, %v; want %s, %v", tt.name, tt.arg, sig.Ret, ok, tt.ret, tt.ok)
		}
	}
	if _, ok := reg.Lookup("count").Bind(nil); !ok {
		t.Error("count(*) does not bind")
	}
}
