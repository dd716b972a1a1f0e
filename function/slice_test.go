package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/types"
)

// TestSlicedInputs runs kernels and accumulators on arrays with a nonzero offset (slices
// of larger arrays), which is how exec may hand them over: values, validity and the
// variable-width offsets must all be read relative to the offset.
func TestSlicedInputs(t *testing.T) {
	ctx := newTestCtx(t)
	reg := New()
	slice := func(a arrow.Array) arrow.Array {
		defer a.Release()
		return array.NewSlice(a, 3, 7)
	}
	ints := slice(col(t, ctx, i64, row("100", "200", "300", "1", "NULL", "3", "4", "500")...))
	decs := slice(col(t, ctx, dec(5, 2), row("9.99", "9.99", "9.99", "1.50", "2.25", "NULL", "-1.00", "9.99")...))
	strs := slice(col(t, ctx, txt, row("zzz", "zzz", "zzz", "apple", "NULL", "banana", "cherry", "zzz")...))
	pats := slice(col(t, ctx, txt, row("x", "x", "x", "a%", "b%", "%an%", "_herry", "x")...))
	bools := slice(col(t, ctx, boo, row("t", "t", "t", "f", "t", "NULL", "t", "f")...))
	defer releaseAll(ints, decs, strs, pats, bools)

	run := func(name string, ts []types.T, args ...arrow.Array) []string {
		t.Helper()
		sig, ok := reg.Lookup(name).Bind(ts)
		if !ok {
			t.Fatalf("%s%v does not bind", name, ts)
		}
		res, err := sig.Kernel(ctx, args, 4)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer res.Release()
		return texts(res, sig.Ret)
	}
	check := func(label string, got []string, want ...string) {
		t.Helper()
		if !equalStrings(got, want) {
			t.Errorf("%s: got %q, want %q", label, got, want)
		}
	}
	check("int +", run("+", []types.T{i64, i64}, ints, ints), "2", "NULL", "6", "8")
	check("dec *", run("*", []types.T{dec(5, 2), dec(5, 2)}, decs, decs), "2.2500", "5.0625", "NULL", "1.0000")
	check("text <", run("<", []types.T{txt, txt}, strs, pats), "false", "NULL", "false", "false")
	check("like", run("~~", []types.T{txt, txt}, strs, pats), "true", "NULL", "true", "true")
	check("upper", run("upper", []types.T{txt}, strs), "APPLE", "NULL", "BANANA", "CHERRY")
	check("bool =", run("=", []types.T{boo, boo}, bools, bools), "true", "true", "NULL", "true")
	check("concat", run("concat", []types.T{txt, txt}, strs, pats), "applea%", "b%", "banana%an%", "cherry_herry")

	k, _ := Cast(txt, i32, true)
	res, err := k(ctx, []arrow.Array{strs}, 4)
	if err != nil {
		t.Fatal(err)
	}
	check("try_cast", texts(res, i32), "NULL", "NULL", "NULL", "NULL")
	res.Release()
	k, _ = Cast(dec(5, 2), txt, false)
	res, _ = k(ctx, []arrow.Array{decs}, 4)
	check("numeric::text", texts(res, txt), "1.50", "2.25", "NULL", "-1.00")
	res.Release()

	for _, c := range []struct {
		name string
		typ  types.T
		arg  arrow.Array
		want string
	}{
		{"sum", i64, ints, "8"}, {"count", i64, ints, "3"}, {"max", txt, strs, "cherry"}, {"sum", dec(5, 2), decs, "2.75"},
		{"bool_and", boo, bools, "false"}, {"count_if", boo, bools, "2"},
	} {
		sig, _ := reg.Lookup(c.name).Bind([]types.T{c.typ})
		acc := sig.Agg()
		acc.Resize(1)
		if err := acc.Update(make([]uint32, 4), []arrow.Array{c.arg}, 4); err != nil {
			t.Fatal(err)
		}
		res, err := acc.Finish(ctx.mem())
		if err != nil {
			t.Fatal(err)
		}
		check(c.name, texts(res, sig.Ret), c.want)
		res.Release()
	}
	dacc := Distinct([]types.T{txt}, func() GroupAccumulator { s, _ := reg.Lookup("count").Bind([]types.T{txt}); return s.Agg() })()
	dacc.Resize(1)
	if err := dacc.Update(make([]uint32, 4), []arrow.Array{strs}, 4); err != nil {
		t.Fatal(err)
	}
	res, err = dacc.Finish(ctx.mem())
	if err != nil {
		t.Fatal(err)
	}
	check("count distinct", texts(res, i64), "3")
	res.Release()
}
