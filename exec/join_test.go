package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// valuesNode makes a VALUES node of (k integer, s text) rows written "k:s", "null" for a
// NULL in either place.
func valuesNode(rows ...string) *planner.Values {
	v := &planner.Values{Cols: []planner.Column{{Name: "k", Type: types.Int32T}, {Name: "s", Type: types.VarcharT}}}
	for _, r := range rows {
		k, s, _ := strings.Cut(r, ":")
		var kl, sl planner.Expr = planner.NewLiteral(types.Int32T, nil), planner.NewLiteral(types.VarcharT, nil)
		if k != "null" {
			var n int32
			fmt.Sscan(k, &n)
			kl = planner.NewLiteral(types.Int32T, n)
		}
		if s != "null" {
			sl = planner.NewLiteral(types.VarcharT, s)
		}
		v.Rows = append(v.Rows, []planner.Expr{kl, sl})
	}
	return v
}

func joinEnv() *Env {
	return &Env{Funcs: &function.Context{Alloc: memory.DefaultAllocator}, Alloc: memory.DefaultAllocator, Workers: 2}
}

// rowsOf runs op to the end and renders its rows, sorted, as "a|b|..." strings.
func rowsOf(t *testing.T, op Operator) ([]string, error) {
	t.Helper()
	ctx := context.Background()
	if err := op.Open(ctx); err != nil {
		return nil, err
	}
	defer op.Close()
	var out []string
	for {
		rec, err := op.Next(ctx)
		if err == io.EOF {
			sort.Strings(out)
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if int(rec.NumCols()) != op.Schema().NumFields() {
			t.Errorf("batch has %d columns, schema %d", rec.NumCols(), op.Schema().NumFields())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			var cells []string
			for c := 0; c < int(rec.NumCols()); c++ {
				if col := rec.Column(c); col.IsNull(i) {
					cells = append(cells, "NULL")
				} else {
					cells = append(cells, col.ValueStr(i))
				}
			}
			out = append(out, strings.Join(cells, "|"))
		}
		rec.Release()
	}
}

func ref(i int, t types.T) planner.Expr {
	return &planner.ColumnRef{Index: i, Name: fmt.Sprint("c", i), T: t}
}

// neq is `a <> b` over text columns, bound through the function registry.
func neq(t *testing.T, a, b planner.Expr) planner.Expr {
	t.Helper()
	f := function.New().Lookup("<>")
	sig, ok := f.Bind([]types.T{types.VarcharT, types.VarcharT})
	if !ok {
		t.Fatal("no <> for text")
	}
	return &planner.Call{Name: "<>", Sig: sig, Args: []planner.Expr{a, b}, Volatility: f.Volatility}
}

func TestHashJoinKinds(t *testing.T) {
	left := valuesNode("1:a", "2:b", "2:bb", "3:c", "null:n")
	right := valuesNode("2:x", "2:b", "3:y", "4:z", "null:m")
	keys := func(j *planner.Join) *planner.Join {
		j.Left, j.Right = left, right
		j.LeftKeys = []planner.Expr{ref(0, types.Int32T)}
		j.RightKeys = []planner.Expr{ref(0, types.Int32T)}
		return j
	}
	cases := []struct {
		name string
		join *planner.Join
		want string
	}{
		{"inner", keys(&planner.Join{Kind: planner.InnerJoin}),
			"2|b|2|b 2|b|2|x 2|bb|2|b 2|bb|2|x 3|c|3|y"},
		{"left", keys(&planner.Join{Kind: planner.LeftJoin}),
			"1|a|NULL|NULL 2|b|2|b 2|b|2|x 2|bb|2|b 2|bb|2|x 3|c|3|y NULL|n|NULL|NULL"},
		{"right", keys(&planner.Join{Kind: planner.RightJoin}),
			"2|b|2|b 2|b|2|x 2|bb|2|b 2|bb|2|x 3|c|3|y NULL|NULL|4|z NULL|NULL|NULL|m"},
		{"full", keys(&planner.Join{Kind: planner.FullJoin}),
			"1|a|NULL|NULL 2|b|2|b 2|b|2|x 2|bb|2|b 2|bb|2|x 3|c|3|y NULL|NULL|4|z NULL|NULL|NULL|m NULL|n|NULL|NULL"},
		{"semi", keys(&planner.Join{Kind: planner.SemiJoin}), "2|b 2|bb 3|c"},
		{"anti", keys(&planner.Join{Kind: planner.AntiJoin}), "1|a NULL|n"},
		{"right semi", keys(&planner.Join{Kind: planner.RightSemiJoin}), "2|b 2|x 3|y"},
		{"right anti", keys(&planner.Join{Kind: planner.RightAntiJoin}), "4|z NULL|m"},
		{"mark", keys(&planner.Join{Kind: planner.MarkJoin, MarkName: "m"}), "1|a|false 2|b|true 2|bb|true 3|c|true NULL|n|false"},
		// The residual s <> s' drops the pairs with equal text.
		{"inner residual", keys(&planner.Join{Kind: planner.InnerJoin, Cond: neq(t, ref(1, types.VarcharT), ref(3, types.VarcharT))}),
			"2|b|2|x 2|bb|2|b 2|bb|2|x 3|c|3|y"},
		{"left residual", keys(&planner.Join{Kind: planner.LeftJoin, Cond: neq(t, ref(1, types.VarcharT), ref(3, types.VarcharT))}),
			"1|a|NULL|NULL 2|b|2|x 2|bb|2|b 2|bb|2|x 3|c|3|y NULL|n|NULL|NULL"},
		{"semi residual", keys(&planner.Join{Kind: planner.SemiJoin, Cond: neq(t, ref(1, types.VarcharT), ref(3, types.VarcharT))}),
			"2|b 2|bb 3|c"},
		{"anti residual", keys(&planner.Join{Kind: planner.AntiJoin, Cond: neq(t, ref(1, types.VarcharT), ref(3, types.VarcharT))}),
			"1|a NULL|n"},
		{"right anti residual", keys(&planner.Join{Kind: planner.RightAntiJoin, Cond: neq(t, ref(1, types.VarcharT), ref(3, types.VarcharT))}),
			"4|z NULL|m"},
		// Without keys: a nested loop.
		{"cross", &planner.Join{Kind: planner.InnerJoin, Left: valuesNode("1:a", "2:b"), Right: valuesNode("7:x", "8:y")},
			"1|a|7|x 1|a|8|y 2|b|7|x 2|b|8|y"},
		{"nested loop left", &planner.Join{Kind: planner.LeftJoin, Left: left, Right: valuesNode("9:b", "8:c"),
			Cond: neq(t, ref(1, types.VarcharT), ref(3, types.VarcharT))},
			"1|a|8|c 1|a|9|b 2|b|8|c 2|bb|8|c 2|bb|9|b 3|c|9|b NULL|n|8|c NULL|n|9|b"},
		// NOT IN: a NULL on the right empties the result; a NULL on the left is dropped.
		{"not in with null", keys(&planner.Join{Kind: planner.AntiJoin, NullAware: true}), ""},
		{"not in", &planner.Join{Kind: planner.AntiJoin, NullAware: true, Left: left, Right: valuesNode("2:x", "9:y"),
			LeftKeys: []planner.Expr{ref(0, types.Int32T)}, RightKeys: []planner.Expr{ref(0, types.Int32T)}}, "1|a 3|c"},
		{"not in empty", &planner.Join{Kind: planner.AntiJoin, NullAware: true, Left: left, Right: &planner.Filter{Input: valuesNode("1:x"), Cond: planner.NewLiteral(types.BoolT, false)},
			LeftKeys: []planner.Expr{ref(0, types.Int32T)}, RightKeys: []planner.Expr{ref(0, types.Int32T)}}, "1|a 2|b 2|bb 3|c NULL|n"},
		{"in mark", keys(&planner.Join{Kind: planner.MarkJoin, NullAware: true, MarkName: "m"}),
			"1|a|NULL 2|b|true 2|bb|true 3|c|true NULL|n|NULL"},
		{"single", &planner.Join{Kind: planner.SingleJoin, Left: left, Right: valuesNode("1:x", "3:y"),
			LeftKeys: []planner.Expr{ref(0, types.Int32T)}, RightKeys: []planner.Expr{ref(0, types.Int32T)}},
			"1|a|1|x 2|b|NULL|NULL 2|bb|NULL|NULL 3|c|3|y NULL|n|NULL|NULL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op, err := Build(c.join, joinEnv())
			if err != nil {
				t.Fatal(err)
			}
			got, err := rowsOf(t, op)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Fields(c.want)
			sort.Strings(want)
			if g, w := strings.Join(got, " "), strings.Join(want, " "); g != w {
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
}

func TestSingleJoinTooManyRows(t *testing.T) {
	j := &planner.Join{Kind: planner.SingleJoin, Left: valuesNode("1:a"), Right: valuesNode("1:x", "1:y"),
		LeftKeys: []planner.Expr{ref(0, types.Int32T)}, RightKeys: []planner.Expr{ref(0, types.Int32T)}}
	op, err := Build(j, joinEnv())
	if err != nil {
		t.Fatal(err)
	}
	_, err = rowsOf(t, op)
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Code != sqlerr.CardinalityViolation {
		t.Fatalf("got %v, want 21000", err)
	}
}

// intSource yields batches of (k bigint, v bigint) rows.
type intSource struct {
	recs   []arrow.Record
	pos    int
	schema *arrow.Schema
}

func newIntSource(n, batch int, key func(i int) (int64, bool)) *intSource {
	s := &intSource{schema: arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)}
	for start := 0; start < n; start += batch {
		b := array.NewRecordBuilder(memory.DefaultAllocator, s.schema)
		for i := start; i < min(start+batch, n); i++ {
			if k, ok := key(i); ok {
				b.Field(0).(*array.Int64Builder).Append(k)
			} else {
				b.Field(0).AppendNull()
			}
			b.Field(1).(*array.Int64Builder).Append(int64(i))
		}
		s.recs = append(s.recs, b.NewRecord())
		b.Release()
	}
	return s
}

func (s *intSource) Schema() *arrow.Schema          { return s.schema }
func (s *intSource) Open(ctx context.Context) error { s.pos = 0; return nil }
func (s *intSource) Close() error                   { return nil }
func (s *intSource) Next(ctx context.Context) (arrow.Record, error) {
	if s.pos >= len(s.recs) {
		return nil, io.EOF
	}
	r := s.recs[s.pos]
	s.pos++
	r.Retain()
	return r, nil
}

var intCols = []planner.Column{{Name: "k", Type: types.Int64T}, {Name: "v", Type: types.Int64T}}

// Large inputs over many batches, probed by two workers sharing one build table: every
// probe row i matches the build rows with key i%1000 (three each), and the pairs exceed
// the pair chunk, so the probe resumes within a batch.
func TestHashJoinLargeParallel(t *testing.T) {
	const probeRows, buildRows = 100_000, 3000
	node := &planner.Join{Kind: planner.InnerJoin,
		Left:     &planner.Values{Cols: intCols},
		Right:    &planner.Values{Cols: intCols},
		LeftKeys: []planner.Expr{ref(0, types.Int64T)}, RightKeys: []planner.Expr{ref(0, types.Int64T)}}
	for _, kind := range []planner.JoinKind{planner.InnerJoin, planner.LeftJoin, planner.SemiJoin, planner.AntiJoin, planner.RightJoin} {
		node.Kind = kind
		fc := &function.Context{Alloc: memory.DefaultAllocator}
		build := newIntSource(buildRows, 1024, func(i int) (int64, bool) { return int64(i % 1000), i%1000 != 999 })
		jb := newJoinBuild(node, build, fc)
		var probes []Operator
		for w := 0; w < 2; w++ {
			// Each worker probes half of the rows; keys 1000..1999 match nothing.
			off := w * probeRows / 2
			src := newIntSource(probeRows/2, 4096, func(i int) (int64, bool) { return int64((i + off) % 2000), (i+off)%7 != 0 })
			p, err := newProbeOp(src, jb, node, fc, SchemaOf(node.Columns()))
			if err != nil {
				t.Fatal(err)
			}
			probes = append(probes, p)
		}
		var op Operator = newGather(probes)
		if !streams(kind) {
			op = newJoinResidueOp(op, jb, node, fc)
		}
		got, err := rowsOf(t, op)
		if err != nil {
			t.Fatal(err)
		}
		// Count what to expect row by row.
		want := 0
		for i := 0; i < probeRows; i++ {
			k, valid := i%2000, i%7 != 0
			matches := 0
			if valid && k < 999 {
				matches = 3
			}
			switch kind {
			case planner.InnerJoin, planner.RightJoin:
				want += matches
			case planner.LeftJoin:
				want += max(matches, 1)
			case planner.SemiJoin:
				want += min(matches, 1)
			case planner.AntiJoin:
				want += 1 - min(matches, 1)
			}
		}
		if kind == planner.RightJoin {
			want += 3 // the build rows with a NULL key
		}
		if len(got) != want {
			t.Errorf("%s: %d rows, want %d", kind, len(got), want)
		}
	}
}

// BenchmarkHashJoin probes 1M rows through a table of 100k build rows (every probe row
// matches one build row).
func BenchmarkHashJoin(b *testing.B) {
	const probeRows, buildRows = 1 << 20, 100_000
	for _, kind := range []planner.JoinKind{planner.InnerJoin, planner.SemiJoin} {
		b.Run("kind="+kind.String()+"/key=int64", func(b *testing.B) {
			b.ReportAllocs()
			node := &planner.Join{Kind: kind, Left: &planner.Values{Cols: intCols}, Right: &planner.Values{Cols: intCols},
				LeftKeys: []planner.Expr{ref(0, types.Int64T)}, RightKeys: []planner.Expr{ref(0, types.Int64T)}}
			build := newIntSource(buildRows, 8192, func(i int) (int64, bool) { return int64(i), true })
			probe := newIntSource(probeRows, 8192, func(i int) (int64, bool) { return int64(i % buildRows), true })
			fc := &function.Context{Alloc: memory.DefaultAllocator}
			ctx := context.Background()
			for b.Loop() {
				jb := newJoinBuild(node, build, fc)
				op, err := newProbeOp(probe, jb, node, fc, SchemaOf(node.Columns()))
				if err != nil {
					b.Fatal(err)
				}
				if err := op.Open(ctx); err != nil {
					b.Fatal(err)
				}
				rows := 0
				for {
					rec, err := op.Next(ctx)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					rows += int(rec.NumRows())
					rec.Release()
				}
				op.Close()
				if rows != probeRows {
					b.Fatalf("%d rows", rows)
				}
			}
		})
	}
}
