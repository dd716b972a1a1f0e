package exec

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// rollupK is GROUP BY ROLLUP (k) over (k, v) with count(*) and sum(v): a GroupId with the
// sets (k) and (), under the Aggregate keyed on k and the set number.
func rollupK(t *testing.T) (*planner.GroupId, *planner.Aggregate) {
	gid := &planner.GroupId{Input: &planner.Values{Cols: kvCols}, Keys: []int{0}, Sets: [][]int{{0}, {}}}
	node := aggNode(t, true, "count*", "sum")
	node.Input = gid
	node.GroupBy = append(node.GroupBy, &planner.ColumnRef{Index: 2, Name: planner.GroupIdColumn, T: types.Int32T})
	node.Cols = append(node.Cols[:1:1], append([]planner.Column{{Name: planner.GroupIdColumn, Type: types.Int32T}}, node.Cols[1:]...)...)
	node.GlobalSets = []int32{1}
	return gid, node
}

func rollupOp(gid *planner.GroupId, node *planner.Aggregate, inputs ...Operator) Operator {
	for i, in := range inputs {
		inputs[i] = newGroupIdOp(in, gid, fctx())
	}
	return &hashAggOp{inputs: inputs, node: node, fctx: fctx(), schema: SchemaOf(node.Cols)}
}

// A key NULL in the data and the key a set rolls up are two groups, told apart by the set
// number; partial aggregations over several inputs merge into the same answer.
func TestGroupIdRollup(t *testing.T) {
	rows := []string{"a=1", "b=2", "null=4", "a=null", "b=8", "null=16"}
	gid, node := rollupK(t)
	one := collect(t, rollupOp(gid, node, newSource(rows, 4)))
	many := collect(t, rollupOp(gid, node, newSource(rows[:2], 1), newSource(rows[2:], 3), newSource(nil, 1)))
	sort.Strings(one)
	sort.Strings(many)
	want := "NULL|0|2|20,NULL|1|6|31,a|0|2|1,b|0|2|10"
	if got := strings.Join(one, ","); got != want {
		t.Errorf("one input: got %s, want %s", got, want)
	}
	if got := strings.Join(many, ","); got != want {
		t.Errorf("three inputs: got %s, want %s", got, want)
	}
}

// Over no rows the empty grouping set still yields its row, once, however many inputs.
func TestGroupIdEmptyInput(t *testing.T) {
	gid, node := rollupK(t)
	got := collect(t, rollupOp(gid, node, newSource(nil, 1), newSource(nil, 1)))
	if strings.Join(got, ",") != "NULL|1|0|NULL" {
		t.Errorf("got %v, want the total row only", got)
	}
}

// orderedAgg is array_agg(v ORDER BY v DESC) grouped by k, or with distinct
// array_agg(DISTINCT v ORDER BY v DESC).
func orderedAgg(t *testing.T, distinct bool) *planner.Aggregate {
	sig, ok := function.New().Lookup("array_agg").Bind([]types.T{types.Int64T})
	if !ok {
		t.Fatal("no array_agg(bigint)")
	}
	v := &planner.ColumnRef{Index: 1, Name: "v", T: types.Int64T}
	node := aggNode(t, true)
	node.Aggs = []planner.AggCall{{Name: "array_agg", Sig: sig, Args: []planner.Expr{v, v}, Distinct: distinct,
		Order: []planner.AggOrder{{Desc: true, NullsFirst: true}}}}
	node.Cols = append(node.Cols, planner.Column{Name: "array_agg", Type: sig.Ret})
	return node
}

// ORDER BY inside an aggregate holds across partial aggregations, whose rows arrive in no
// useful order; with DISTINCT one NULL stays, as in PostgreSQL.
func TestOrderedAggregateMerge(t *testing.T) {
	var rows []string
	for i := 0; i < 300; i++ {
		v := fmt.Sprint((i * 7) % 50)
		if i%60 == 0 {
			v = "null"
		}
		rows = append(rows, fmt.Sprintf("k%d=%s", i%3, v))
	}
	for _, distinct := range []bool{false, true} {
		node := orderedAgg(t, distinct)
		op := func(inputs ...Operator) []string {
			got := collect(t, &hashAggOp{inputs: inputs, node: node, fctx: fctx(), schema: SchemaOf(node.Cols)})
			sort.Strings(got)
			return got
		}
		one := op(newSource(rows, 64))
		many := op(newSource(rows[:100], 7), newSource(rows[100:250], 33), newSource(rows[250:], 5))
		if strings.Join(one, "\n") != strings.Join(many, "\n") {
			t.Errorf("distinct=%v: merged result differs:\n%v\n%v", distinct, one, many)
		}
		// Group k0 holds i = 0, 3, 6, ...: v = 21i mod 50, NULL for i = 0, 60, 120, 180, 240.
		var vals []int
		nulls := 0
		seen := map[int]bool{}
		for i := 0; i < 300; i += 3 {
			if i%60 == 0 {
				nulls++
				continue
			}
			v := (i * 7) % 50
			if distinct && seen[v] {
				continue
			}
			seen[v] = true
			vals = append(vals, v)
		}
		if distinct {
			nulls = 1
		}
		sort.Sort(sort.Reverse(sort.IntSlice(vals)))
		parts := strings.Repeat("null,", nulls)
		for i, v := range vals {
			if i > 0 {
				parts += ","
			}
			parts += fmt.Sprint(v)
		}
		want := "k0|[" + parts + "]"
		if !strings.Contains(strings.Join(one, "\n"), want) {
			t.Errorf("distinct=%v: no row %q in\n%v", distinct, want, one)
		}
	}
}

// BenchmarkGroupIdRollup is GROUP BY ROLLUP (k) with count(*) and sum(v) over 100k rows.
func BenchmarkGroupIdRollup(b *testing.B) {
	for _, keys := range []int{10, 1000} {
		b.Run(fmt.Sprintf("groups=%d/key=string", keys), func(b *testing.B) {
			rows := make([]string, 100_000)
			for i := range rows {
				rows[i] = fmt.Sprintf("k%d=%d", i%keys, i)
			}
			gid, node := rollupK(&testing.T{})
			src := newSource(rows, 8192)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				op := rollupOp(gid, node, &source{recs: src.recs, schema: src.schema})
				ctx := context.Background()
				if err := op.Open(ctx); err != nil {
					b.Fatal(err)
				}
				rec, err := op.Next(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if int(rec.NumRows()) != keys+1 {
					b.Fatalf("%d groups, want %d", rec.NumRows(), keys+1)
				}
				rec.Release()
				op.Close()
			}
		})
	}
}
