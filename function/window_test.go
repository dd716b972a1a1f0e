package function

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// winRows describes sorted window input: each row's partition key and ORDER BY key; rows of
// a partition are adjacent and peers (equal order keys) too.
type winRows struct {
	part, order []int
}

// context builds the window-kernel context arrays, with each row's frame given by frame
// (nil: the whole partition).
func (w winRows) context(ctx *Context, frame func(i, ps, pe, gs, ge int) (int, int)) []arrow.Array {
	n := len(w.part)
	vals := make([][]int64, WindowContextArgs)
	for k := range vals {
		vals[k] = make([]int64, n)
	}
	for i := 0; i < n; i++ {
		ps, pe := i, i+1
		for ps > 0 && w.part[ps-1] == w.part[i] {
			ps--
		}
		for pe < n && w.part[pe] == w.part[i] {
			pe++
		}
		gs, ge := i, i+1
		for gs > ps && w.order[gs-1] == w.order[i] {
			gs--
		}
		for ge < pe && w.order[ge] == w.order[i] {
			ge++
		}
		fs, fe := ps, pe
		if frame != nil {
			fs, fe = frame(i, ps, pe, gs, ge)
		}
		for k, v := range []int{ps, pe, gs, ge, fs, fe} {
			vals[k][i] = int64(v)
		}
	}
	out := make([]arrow.Array, WindowContextArgs)
	for k, v := range vals {
		out[k] = int64Result(ctx, v, nil)
	}
	return out
}

// runWindow binds a window function to argTypes and runs its kernel over text columns and
// the context of rows.
func runWindow(t *testing.T, name string, rows winRows, frame func(i, ps, pe, gs, ge int) (int, int), argTypes []types.T, cols ...[]any) ([]string, error) {
	t.Helper()
	ctx := newTestCtx(t)
	sig, ok := New().Lookup(name).Bind(argTypes)
	if !ok {
		t.Fatalf("%s%v does not bind", name, argTypes)
	}
	var args []arrow.Array
	for i, c := range cols {
		args = append(args, col(t, ctx, sig.Args[i], c...))
	}
	args = append(args, rows.context(ctx, frame)...)
	defer releaseAll(args...)
	res, err := sig.Kernel(ctx, args, len(rows.part))
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if !arrow.TypeEqual(res.DataType(), sig.Ret.Arrow()) {
		t.Fatalf("%s returned %s, signature says %s", name, res.DataType(), sig.Ret.Arrow())
	}
	return texts(res, sig.Ret), nil
}

// Expected values are PostgreSQL 15's for the same rows.
func TestRankingKernels(t *testing.T) {
	rows := winRows{part: []int{1, 1, 1, 1, 2, 2}, order: []int{10, 20, 20, 30, 5, 5}}
	cases := []struct {
		name string
		want string
	}{
		{"row_number", "1 2 3 4 1 2"},
		{"rank", "1 2 2 4 1 1"},
		{"dense_rank", "1 2 2 3 1 1"},
		{"percent_rank", "0 0.3333333333333333 0.3333333333333333 1 0 0"},
		{"cume_dist", "0.25 0.75 0.75 1 1 1"},
	}
	for _, c := range cases {
		got, err := runWindow(t, c.name, rows, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s = %v, want %s", c.name, got, c.want)
		}
	}
}

func TestNtile(t *testing.T) {
	seven := winRows{part: []int{1, 1, 1, 1, 1, 1, 1, 2, 2}, order: []int{1, 2, 3, 4, 5, 6, 7, 1, 2}}
	cases := []struct {
		n    []any
		want string
		code string
	}{
		{row("3", "3", "3", "3", "3", "3", "3", "3", "3"), "1 1 1 2 2 3 3 1 2", ""},
		{row("5", "5", "5", "5", "5", "5", "5", "5", "5"), "1 1 2 2 3 4 5 1 2", ""},
		// The argument is read at the partition's first row.
		{row("NULL", "2", "2", "2", "2", "2", "2", "1", "NULL"), "NULL NULL NULL NULL NULL NULL NULL 1 1", ""},
		{row("0", "0", "0", "0", "0", "0", "0", "0", "0"), "", "22014"},
	}
	for _, c := range cases {
		got, err := runWindow(t, "ntile", seven, nil, []types.T{types.Int32T}, c.n)
		if c.code != "" {
			if sqlerr.Code(err) != c.code {
				t.Errorf("ntile(%v): error %v, want %s", c.n, err, c.code)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("ntile(%v) = %v, %v; want %s", c.n, got, err, c.want)
		}
	}
}

func TestLagLead(t *testing.T) {
	rows := winRows{part: []int{1, 1, 1, 1, 2, 2}, order: []int{1, 2, 3, 4, 1, 2}}
	v := row("a", "b", "NULL", "d", "e", "f")
	cases := []struct {
		name  string
		types []types.T
		cols  [][]any
		want  string
	}{
		{"lag", []types.T{types.VarcharT}, [][]any{v}, "NULL a b NULL NULL e"},
		{"lead", []types.T{types.VarcharT}, [][]any{v}, "b NULL d NULL f NULL"},
		{"lag", []types.T{types.VarcharT, types.Int32T}, [][]any{v, row("2", "2", "2", "NULL", "0", "-1")}, "NULL NULL a NULL e NULL"},
		{"lead", []types.T{types.VarcharT, types.Int32T, types.VarcharT}, [][]any{v, row("1", "1", "1", "1", "1", "1"), row("x", "y", "z", "w", "u", "t")}, "b NULL d w f t"},
		{"lag", []types.T{types.Int32T, types.Int32T, types.Float64T}, [][]any{row("1", "2", "3", "4", "5", "6"), row("1", "1", "1", "1", "1", "1"), row("0.5", "0.5", "0.5", "0.5", "0.5", "0.5")}, "0.5 1 2 3 0.5 5"},
	}
	for _, c := range cases {
		got, err := runWindow(t, c.name, rows, nil, c.types, c.cols...)
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("%s%v = %v, %v; want %s", c.name, c.types, got, err, c.want)
		}
	}
}

func TestFrameValueKernels(t *testing.T) {
	rows := winRows{part: []int{1, 1, 1, 1, 2}, order: []int{1, 2, 3, 4, 1}}
	v := row("10", "20", "NULL", "40", "50")
	// ROWS BETWEEN 1 PRECEDING AND CURRENT ROW, except an empty frame for the last row.
	frame := func(i, ps, pe, gs, ge int) (int, int) {
		if i == 4 {
			return i, i
		}
		return max(ps, i-1), i + 1
	}
	cases := []struct {
		name  string
		types []types.T
		cols  [][]any
		want  string
	}{
		{"first_value", []types.T{types.Int32T}, [][]any{v}, "10 10 20 NULL NULL"},
		{"last_value", []types.T{types.Int32T}, [][]any{v}, "10 20 NULL 40 NULL"},
		{"nth_value", []types.T{types.Int32T, types.Int32T}, [][]any{v, row("2", "2", "1", "NULL", "1")}, "NULL 20 20 NULL NULL"},
	}
	for _, c := range cases {
		got, err := runWindow(t, c.name, rows, frame, c.types, c.cols...)
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("%s = %v, %v; want %s", c.name, got, err, c.want)
		}
	}
	_, err := runWindow(t, "nth_value", rows, frame, []types.T{types.Int32T, types.Int32T}, v, row("1", "0", "1", "1", "1"))
	if sqlerr.Code(err) != "22016" {
		t.Errorf("nth_value(v, 0): %v, want 22016", err)
	}
	iv := row("1 day", "2 hours", "NULL", "3 mons", "1 year")
	got, err := runWindow(t, "lag", rows, nil, []types.T{types.IntervalT}, iv)
	if err != nil || strings.Join(got, ",") != "NULL,1 day,02:00:00,NULL,NULL" {
		t.Errorf("lag(interval) = %q, %v", got, err)
	}
}

// Window aggregates read a running value with Finish after each frame change, so Finish
// must leave an accumulator's state as it was: every aggregate is checked here by
// finishing, updating more rows and finishing again, against a fresh accumulator.
func TestWindowFinishRepeatable(t *testing.T) {
	reg := New()
	tries := [][]types.T{{types.Int64T}, {types.Float64T}, {types.BoolT}, {types.VarcharT}, {types.VarcharT, types.VarcharT},
		{types.Float64T, types.Float64T}, {types.Int64T, types.Float64T}, {}}
	vals := map[types.Kind][]any{
		types.Int64:   row("3", "1", "NULL", "4", "1"),
		types.Float64: row("0.5", "0.25", "NULL", "0.5", "0.25"),
		types.Bool:    row("true", "false", "NULL", "true", "true"),
		types.Varchar: row("x", "y", "NULL", "z", ","),
	}
	checked := 0
	for _, f := range reg.uniqueFuncs() {
		if f.Kind != AggregateKind {
			continue
		}
		for _, ts := range tries {
			sig, ok := f.Bind(ts)
			if !ok || sig.Agg == nil {
				continue
			}
			ctx := newTestCtx(t)
			args := make([]arrow.Array, len(sig.Args))
			for i, at := range sig.Args {
				src, ok := vals[ts[i].Kind]
				if !ok {
					src = vals[types.Varchar]
				}
				c := col(t, ctx, ts[i], src...)
				if !ts[i].Equal(at) {
					k, err := Cast(ts[i], at, false)
					if err != nil {
						t.Fatalf("%s: %v", f.Name, err)
					}
					cast, err := k(ctx, []arrow.Array{c}, c.Len())
					c.Release()
					if err != nil {
						t.Fatalf("%s: %v", f.Name, err)
					}
					c = cast
				}
				args[i] = c
			}
			slice := func(a, b int) []arrow.Array {
				out := make([]arrow.Array, len(args))
				for i, x := range args {
					out[i] = array.NewSlice(x, int64(a), int64(b))
				}
				return out
			}
			finish := func(acc GroupAccumulator) string {
				v, err := acc.Finish(ctx.Alloc)
				if err != nil {
					t.Fatalf("%s%v: %v", f.Name, ts, err)
				}
				defer v.Release()
				return strings.Join(texts(v, sig.Ret), ",")
			}
			zeros := make([]uint32, 5)
			acc := sig.Agg()
			acc.Resize(1)
			first := slice(0, 3)
			if err := acc.Update(zeros[:3], first, 3); err != nil {
				t.Fatalf("%s%v: %v", f.Name, ts, err)
			}
			a1, a2 := finish(acc), finish(acc)
			rest := slice(3, 5)
			if err := acc.Update(zeros[:2], rest, 2); err != nil {
				t.Fatalf("%s%v: %v", f.Name, ts, err)
			}
			running := finish(acc)
			fresh := sig.Agg()
			fresh.Resize(1)
			all := slice(0, 5)
			if err := fresh.Update(zeros, all, 5); err != nil {
				t.Fatalf("%s%v: %v", f.Name, ts, err)
			}
			whole := finish(fresh)
			if a1 != a2 || running != whole {
				t.Errorf("%s%v: Finish changed the state: %q then %q; after more rows %q, fresh %q", f.Name, ts, a1, a2, running, whole)
			}
			releaseAll(first...)
			releaseAll(rest...)
			releaseAll(all...)
			releaseAll(args...)
			checked++
			break
		}
	}
	t.Logf("%d aggregates checked", checked)
	if checked < 10 {
		t.Errorf("only %d aggregates bound to the test's argument types", checked)
	}
}
