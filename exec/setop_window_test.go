package exec

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// checkedFctx is a function context over a checked allocator: the test fails if anything
// the operators allocated is still held when it ends.
func checkedFctx(t *testing.T) *function.Context {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return &function.Context{Alloc: mem}
}

func sorted(rows []string) string {
	rows = append([]string(nil), rows...)
	sort.Strings(rows)
	return strings.Join(rows, ",")
}

func TestUnionAll(t *testing.T) {
	cols := []planner.Column{{Name: "key", Type: types.VarcharT}, {Name: "val", Type: types.Int64T}}
	u := newUnion([]Operator{newSource([]string{"a=1", "b=null"}, 1), newSource(nil, 1), newSource([]string{"null=3", "a=1"}, 5)}, SchemaOf(cols))
	got := collect(t, u)
	if s := sorted(got); s != "NULL|3,a|1,a|1,b|NULL" {
		t.Errorf("got %s", s)
	}
	if u.Schema().Field(0).Name != "key" {
		t.Errorf("union schema %v, want the union's names", u.Schema())
	}
}

// Rows compare whole, NULLs equal, whatever batch they come in (some batches hold NULLs,
// some not, which once gave the same value two encodings).
func TestIntersectExcept(t *testing.T) {
	left := []string{"a=1", "a=1", "b=2", "a=1", "null=null", "c=3", "null=null"}
	right := []string{"d=4", "a=1", "null=null", "a=1"}
	cases := []struct {
		kind planner.SetOpKind
		all  bool
		want string
	}{
		{planner.Intersect, false, "NULL|NULL,a|1"},
		{planner.Intersect, true, "NULL|NULL,a|1,a|1"},
		{planner.Except, false, "b|2,c|3"},
		{planner.Except, true, "NULL|NULL,a|1,b|2,c|3"},
	}
	for _, c := range cases {
		node := &planner.SetOp{Kind: c.kind, All: c.all, Cols: kvCols}
		op := &setOpOp{left: newSource(left, 2), right: newSource(right, 3), node: node, fctx: checkedFctx(t), schema: SchemaOf(kvCols)}
		if got := sorted(collect(t, op)); got != c.want {
			t.Errorf("%s all=%v: got %s, want %s", c.kind, c.all, got, c.want)
		}
	}
}

// winFunc binds a registered window function or aggregate over kv columns.
func winFunc(t testing.TB, name string, frame planner.Frame, args ...planner.Expr) planner.WindowFunc {
	f := function.New().Lookup(name)
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	sig, ok := f.Bind(ts)
	if !ok {
		t.Fatalf("%s%v does not bind", name, ts)
	}
	return planner.WindowFunc{Name: name, Sig: sig, Aggregate: f.Kind == function.AggregateKind, Args: args, Frame: frame, UsesFrame: function.FrameDependent(f)}
}

var (
	kCol = &planner.ColumnRef{Index: 0, Name: "k", T: types.VarcharT}
	vCol = &planner.ColumnRef{Index: 1, Name: "v", T: types.Int64T}
)

func lit(v int64) planner.Expr { return planner.NewLiteral(types.Int64T, v) }

func windowNode(partition []planner.Expr, order []planner.SortKey, funcs ...planner.WindowFunc) *planner.Window {
	cols := append([]planner.Column(nil), kvCols...)
	for _, f := range funcs {
		cols = append(cols, planner.Column{Name: f.Name, Type: f.Sig.Ret})
	}
	return &planner.Window{PartitionBy: partition, OrderBy: order, Funcs: funcs, Cols: cols}
}

// rangeFrame is RANGE BETWEEN pre PRECEDING AND fol FOLLOWING over v ascending, bound as
// the planner does: v - pre and v + fol compared with v.
func rangeFrame(t testing.TB, pre, fol int64) planner.Frame {
	reg := function.New()
	arith := func(op string, off int64) planner.Expr {
		sig, ok := reg.Lookup(op).Bind([]types.T{types.Int64T, types.Int64T})
		if !ok {
			t.Fatal(op)
		}
		return &planner.Call{Name: op, Sig: sig, Args: []planner.Expr{vCol, lit(off)}}
	}
	return planner.Frame{Mode: planner.FrameRange, Key: vCol,
		Start: planner.FrameBound{Kind: planner.OffsetPreceding, Value: arith("-", pre)},
		End:   planner.FrameBound{Kind: planner.OffsetFollowing, Value: arith("+", fol)}}
}

// The expected rows are PostgreSQL 15's answers for
//
//	SELECT k, v, <funcs> FROM (VALUES ...) t(k, v)
//	WINDOW w AS (PARTITION BY k ORDER BY v) ORDER BY k, v
func TestWindowOperator(t *testing.T) {
	rows := []string{"a=3", "b=1", "a=1", "a=null", "a=3", "b=2", "a=2", "null=5", "b=null"}
	order := []planner.SortKey{{Expr: vCol}}
	rows1 := planner.Frame{Mode: planner.FrameRows, Start: planner.FrameBound{Kind: planner.OffsetPreceding, Offset: 1}, End: planner.FrameBound{Kind: planner.OffsetFollowing, Offset: 1}}
	groups := planner.Frame{Mode: planner.FrameGroups, Start: planner.FrameBound{Kind: planner.CurrentRow}, End: planner.FrameBound{Kind: planner.OffsetFollowing, Offset: 1}}
	suffix := planner.Frame{Mode: planner.FrameRows, Start: planner.FrameBound{Kind: planner.CurrentRow}, End: planner.FrameBound{Kind: planner.UnboundedFollowing}}
	node := windowNode([]planner.Expr{kCol}, order,
		winFunc(t, "row_number", planner.DefaultFrame),
		winFunc(t, "rank", planner.DefaultFrame),
		winFunc(t, "sum", planner.DefaultFrame, vCol),
		winFunc(t, "sum", rows1, vCol),
		winFunc(t, "count", rangeFrame(t, 1, 0)),
		winFunc(t, "max", groups, vCol),
		winFunc(t, "count", suffix, vCol),
		winFunc(t, "lag", planner.DefaultFrame, vCol),
		winFunc(t, "last_value", planner.DefaultFrame, vCol),
	)
	for _, batch := range []int{1, 4, 100} {
		// Not a checked allocator: the literal evaluators of the RANGE bounds cache their
		// broadcast arrays for the evaluator's life, which has no end to release them at.
		op := &windowOp{input: newSource(rows, batch), node: node, fctx: fctx(), schema: SchemaOf(node.Cols)}
		got := collect(t, op)
		want := []string{
			// k v rn rank sum sum_rows1 count_range max_groups count_suffix lag last_value
			"a|1|1|1|1|3|1|2|4|NULL|1",
			"a|2|2|2|3|6|2|3|3|1|2",
			"a|3|3|3|9|8|3|3|2|2|3",
			"a|3|4|3|9|6|3|3|1|3|3",
			"a|NULL|5|5|9|3|1|NULL|0|3|NULL",
			"b|1|1|1|1|3|1|2|2|NULL|1",
			"b|2|2|2|3|3|2|2|1|1|2",
			"b|NULL|3|3|3|2|1|NULL|0|2|NULL",
			"NULL|5|1|1|5|5|1|5|1|NULL|5",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("batch %d:\n got:\n%s\nwant:\n%s", batch, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// Without PARTITION BY and ORDER BY every row is in one partition and one peer group, and a
// Window over no rows returns none.
func TestWindowWholeAndEmpty(t *testing.T) {
	node := windowNode(nil, nil, winFunc(t, "count", planner.DefaultFrame), winFunc(t, "rank", planner.DefaultFrame))
	op := &windowOp{input: newSource([]string{"a=1", "b=2", "c=3"}, 2), node: node, fctx: checkedFctx(t), schema: SchemaOf(node.Cols)}
	if got := sorted(collect(t, op)); got != "a|1|3|1,b|2|3|1,c|3|3|1" {
		t.Errorf("got %s", got)
	}
	op = &windowOp{input: newSource(nil, 2), node: node, fctx: checkedFctx(t), schema: SchemaOf(node.Cols)}
	if got := collect(t, op); len(got) != 0 {
		t.Errorf("got %v over no rows", got)
	}
}

// Every shortcut of frameAggregate (whole partition, running forward and backward) gives
// what feeding every row its frame does, on random partitions, frames and FILTERs.
func TestFrameAggregateStrategiesAgree(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	reg := function.New()
	for round := 0; round < 200; round++ {
		n := 1 + rng.Intn(60)
		// Random partitions and peer groups over sorted positions.
		part := make([]int, n)
		order := make([]int, n)
		for i := 1; i < n; i++ {
			part[i] = part[i-1]
			if rng.Intn(8) == 0 {
				part[i]++
			}
			order[i] = order[i-1] + rng.Intn(2)
		}
		b := array.NewInt64Builder(memory.DefaultAllocator)
		for i := 0; i < n; i++ {
			if rng.Intn(7) == 0 {
				b.AppendNull()
			} else {
				b.Append(int64(rng.Intn(100) - 30))
			}
		}
		vals := b.NewArray()
		b.Release()
		lay := testLayout(part, order)
		mb := array.NewBooleanBuilder(memory.DefaultAllocator)
		for i := 0; i < n; i++ {
			mb.Append(rng.Intn(4) != 0)
		}
		mask := mb.NewBooleanArray()
		mb.Release()
		for _, frame := range []string{"whole", "prefix", "prefix+2", "suffix", "sliding"} {
			start, end := make([]int64, n), make([]int64, n)
			for i := 0; i < n; i++ {
				ps, pe := lay.partStart[i], lay.partEnd[i]
				start[i], end[i] = ps, pe
				switch frame {
				case "prefix":
					end[i] = lay.peerEnd[i]
				case "prefix+2":
					end[i] = min(pe, int64(i)+3)
				case "suffix":
					start[i] = lay.peerStart[i]
				case "sliding":
					start[i], end[i] = max(ps, int64(i)-2), min(pe, int64(i)+2)
				}
			}
			for _, name := range []string{"sum", "count", "min", "avg"} {
				sig, _ := reg.Lookup(name).Bind([]types.T{types.Int64T})
				for _, m := range []*array.Boolean{nil, mask} {
					fc := checkedFctx(t)
					got, err := frameAggregate(fc, sig, name, []arrow.Array{vals}, m, lay, start, end)
					if err != nil {
						t.Fatal(err)
					}
					fa := &frameAgg{fctx: fc, sig: sig, args: []arrow.Array{vals}, valIdx: make([]int64, n)}
					if m != nil {
						fa.kept = make([]int64, n+1)
						var rows []int
						for i := 0; i < n; i++ {
							fa.kept[i] = int64(len(rows))
							if m.Value(i) {
								rows = append(rows, i)
							}
						}
						fa.kept[n] = int64(len(rows))
						taken, _ := takeRows(fc.Alloc, vals, rows)
						fa.args, fa.ownArgs = []arrow.Array{taken}, true
					}
					if err := fa.sliding(start, end); err != nil {
						t.Fatal(err)
					}
					want, err := fa.result()
					fa.release()
					if err != nil {
						t.Fatal(err)
					}
					for i := 0; i < n; i++ {
						if got.ValueStr(i) != want.ValueStr(i) {
							t.Fatalf("round %d %s over %s frames (filter %v), row %d: got %s, want %s", round, name, frame, m != nil, i, got.ValueStr(i), want.ValueStr(i))
						}
					}
					got.Release()
					want.Release()
				}
			}
		}
		vals.Release()
		mask.Release()
	}
}

// testLayout builds a layout from each sorted row's partition and ORDER BY key.
func testLayout(part, order []int) *winLayout {
	n := len(part)
	pb := array.NewInt64Builder(memory.DefaultAllocator)
	ob := array.NewInt64Builder(memory.DefaultAllocator)
	for i := 0; i < n; i++ {
		pb.Append(int64(part[i]))
		ob.Append(int64(order[i]))
	}
	keys := []arrow.Array{pb.NewArray(), ob.NewArray()}
	pb.Release()
	ob.Release()
	defer releaseAll(keys)
	lay, err := layout(n, keys, []planner.SortKey{{}, {}}, 1)
	if err != nil {
		panic(err)
	}
	return lay
}

func BenchmarkWindow(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		var rows []string
		for i := 0; i < n; i++ {
			rows = append(rows, fmt.Sprintf("k%d=%d", i%10, (i*7919)%n))
		}
		var small []string // partitions of 10 rows
		for i := 0; i < n; i++ {
			small = append(small, fmt.Sprintf("k%d=%d", i%(n/10), (i*7919)%n))
		}
		order := []planner.SortKey{{Expr: vCol}}
		sliding := planner.Frame{Mode: planner.FrameRows, Start: planner.FrameBound{Kind: planner.OffsetPreceding, Offset: 3}, End: planner.FrameBound{Kind: planner.CurrentRow}}
		for _, c := range []struct {
			name string
			fn   planner.WindowFunc
		}{
			{"row_number", winFunc(b, "row_number", planner.DefaultFrame)},
			{"running_sum", winFunc(b, "sum", planner.DefaultFrame, vCol)},
			{"sliding_sum", winFunc(b, "sum", sliding, vCol)},
			{"running_sum_small_partitions", winFunc(b, "sum", planner.DefaultFrame, vCol)},
		} {
			node := windowNode([]planner.Expr{kCol}, order, c.fn)
			src := newSource(rows, 8192)
			if strings.HasSuffix(c.name, "small_partitions") {
				src = newSource(small, 8192)
			}
			b.Run(fmt.Sprintf("func=%s/rows=%d", c.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					src.pos = 0
					op := &windowOp{input: src, node: node, fctx: fctx(), schema: SchemaOf(node.Cols)}
					ctx := context.Background()
					if err := op.Open(ctx); err != nil {
						b.Fatal(err)
					}
					for {
						rec, err := op.Next(ctx)
						if err != nil {
							break
						}
						rec.Release()
					}
					op.Close()
				}
			})
		}
	}
}
