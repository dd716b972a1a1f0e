package function

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

func TestQuantified(t *testing.T) {
	reg := New()
	int4 := types.Int32T
	arrT := types.ArrayT(int4)
	cases := []struct {
		op   string
		all  bool
		xT   types.T
		x    []any
		arr  []any
		want []string
	}{
		{"=", false, int4, []any{"1", "3", nil, "1", "1", "2"}, []any{"{1,2}", "{1,2}", "{1}", "{}", nil, "{NULL,2}"},
			[]string{"true", "false", "NULL", "false", "NULL", "true"}},
		{"=", false, int4, []any{"3"}, []any{"{NULL,2}"}, []string{"NULL"}},
		{"<", true, int4, []any{"0", "2", "1", "5"}, []any{"{1,2}", "{1,2}", "{}", "{6,NULL}"},
			[]string{"true", "false", "true", "NULL"}},
		{"<>", true, int4, []any{"9", "1"}, []any{"{1,2}", "{1,2}"}, []string{"true", "false"}},
		// The element type differs from x's: bigint = ANY(int[]) casts the elements.
		{"=", false, types.Int64T, []any{"10000000000", "2"}, []any{"{1,2}", "{1,2}"}, []string{"false", "true"}},
	}
	for _, c := range cases {
		ctx := newTestCtx(t)
		// As the planner binds it: the operator over x's type and the element type widened.
		cmp, ok := reg.Lookup(c.op).Bind([]types.T{c.xT, c.xT})
		if !ok {
			t.Fatalf("%s does not bind", c.op)
		}
		sig, err := Quantified(cmp, int4, c.all)
		if err != nil {
			t.Fatal(err)
		}
		x := col(t, ctx, sig.Args[0], c.x...)
		arr := col(t, ctx, arrT, c.arr...)
		out, err := sig.Kernel(ctx, []arrow.Array{x, arr}, len(c.x))
		if err != nil {
			t.Fatalf("%s %v: %v", c.op, c.x, err)
		}
		if got := texts(out, types.BoolT); !slices.Equal(got, c.want) {
			t.Errorf("%v %s ANY/ALL(%v) (all=%v) = %v, want %v", c.x, c.op, c.arr, c.all, got, c.want)
		}
		x.Release()
		arr.Release()
		out.Release()
	}
}

func TestArrayConstructor(t *testing.T) {
	ctx := newTestCtx(t)
	a := col(t, ctx, types.Int32T, "1", nil, "5")
	b := col(t, ctx, types.Int32T, "2", "3", nil)
	defer a.Release()
	defer b.Release()
	sig := ArrayConstructor(types.Int32T, 2)
	out, err := sig.Kernel(ctx, []arrow.Array{a, b}, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if got, want := texts(out, sig.Ret), []string{"{1,2}", "{NULL,3}", "{5,NULL}"}; !slices.Equal(got, want) {
		t.Errorf("ARRAY[a, b] = %v, want %v", got, want)
	}
}

func TestSeriesAndSubscripts(t *testing.T) {
	ctx := newTestCtx(t)
	series, ok := SeriesArray([]types.T{types.Int32T, types.Int32T, types.Int32T})
	if !ok {
		t.Fatal("generate_series(int, int, int) does not bind")
	}
	start := col(t, ctx, types.Int32T, "1", "10", "1", nil)
	stop := col(t, ctx, types.Int32T, "5", "1", "0", "3")
	step := col(t, ctx, types.Int32T, "2", "-4", "1", "1")
	out, err := series.Kernel(ctx, []arrow.Array{start, stop, step}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := texts(out, series.Ret), []string{"{1,3,5}", "{10,6,2}", "{}", "{}"}; !slices.Equal(got, want) {
		t.Errorf("generate_series = %v, want %v", got, want)
	}
	zero := col(t, ctx, types.Int32T, "0", "0", "0", "0")
	if _, err := series.Kernel(ctx, []arrow.Array{start, stop, zero}, 4); err == nil {
		t.Error("generate_series with step 0: no error")
	}
	for _, a := range []arrow.Array{start, stop, step, zero, out} {
		a.Release()
	}

	subs, ok := SubscriptsArray([]types.T{types.ArrayT(types.VarcharT), types.Int32T})
	if !ok {
		t.Fatal("generate_subscripts(text[], int) does not bind")
	}
	arr := col(t, ctx, types.ArrayT(types.VarcharT), "{a,b,c}", "{}", nil, "{x}")
	dim := col(t, ctx, types.Int32T, "1", "1", "1", "2")
	out, err = subs.Kernel(ctx, []arrow.Array{arr, dim}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := texts(out, subs.Ret), []string{"{1,2,3}", "{}", "{}", "{}"}; !slices.Equal(got, want) {
		t.Errorf("generate_subscripts = %v, want %v", got, want)
	}
	for _, a := range []arrow.Array{arr, dim, out} {
		a.Release()
	}
}

func TestParseIdent(t *testing.T) {
	cases := []struct {
		in     string
		strict bool
		want   []string // nil: an error
	}{
		{"public.games", true, []string{"public", "games"}},
		{`"SomeSchema".someTable`, true, []string{"SomeSchema", "sometable"}},
		{` a . "b""c" `, true, []string{"a", `b"c`}},
		{"games", true, []string{"games"}},
		{"a.b junk", false, []string{"a", "b"}},
		{"a.b junk", true, nil},
		{"a.", true, nil},
		{".a", true, nil},
		{`"unclosed`, true, nil},
		{`""`, true, nil},
		{"1abc", true, nil},
		{"", true, nil},
	}
	for _, c := range cases {
		got, err := parseIdent(c.in, c.strict)
		if c.want == nil {
			if err == nil {
				t.Errorf("parse_ident(%q, %v) = %q, want an error", c.in, c.strict, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("parse_ident(%q, %v) = %q, %v; want %q", c.in, c.strict, got, err, c.want)
		}
	}
}
