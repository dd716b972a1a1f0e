package exec

import (
	"slices"
	"testing"

	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// Unnest over (k, v) rows with two arrays side by side, ARRAY[v, v*v] and
// generate_series(v, v+v), and the position: the shorter array pads with NULL, a NULL element
// is a row, an empty series is none, and a batch that yields no rows is skipped.
func TestUnnestArraysSideBySide(t *testing.T) {
	fc := checkedFctx(t)
	v := &planner.ColumnRef{Index: 1, Name: "v", T: types.Int64T}
	// No literals: the literal evaluator keeps its broadcast array for the operator's life,
	// which the checked allocator would count.
	reg := function.New()
	mul, ok1 := reg.Lookup("*").Bind([]types.T{types.Int64T, types.Int64T})
	add, ok2 := reg.Lookup("+").Bind([]types.T{types.Int64T, types.Int64T})
	if !ok1 || !ok2 {
		t.Fatal("* or + does not bind")
	}
	pair := &planner.Call{Name: "array", Sig: function.ArrayConstructor(types.Int64T, 2),
		Args: []planner.Expr{v, &planner.Call{Name: "*", Sig: mul, Args: []planner.Expr{v, v}}}}
	seriesSig, ok := function.SeriesArray([]types.T{types.Int64T, types.Int64T})
	if !ok {
		t.Fatal("generate_series does not bind")
	}
	series := &planner.Call{Name: "generate_series", Sig: seriesSig,
		Args: []planner.Expr{v, &planner.Call{Name: "+", Sig: add, Args: []planner.Expr{v, v}}}}
	node := &planner.Unnest{Input: &planner.Values{Cols: kvCols}, Arrays: []planner.Expr{pair, series},
		Names: []string{"e", "s"}, Ordinality: true, OrdinalityName: "ordinality"}

	src := newSource([]string{"z=0", "a=2", "b=3", "c=null", "d=0"}, 2)
	defer func() {
		for _, r := range src.recs {
			r.Release()
		}
	}()
	op, err := newUnnestOp(src, node, fc)
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, op)
	want := []string{
		"z|0|0|0|1", "z|0|0|NULL|2",
		"a|2|2|2|1", "a|2|4|3|2", "a|2|NULL|4|3",
		"b|3|3|3|1", "b|3|9|4|2", "b|3|NULL|5|3", "b|3|NULL|6|4",
		"c|NULL|NULL|NULL|1", "c|NULL|NULL|NULL|2",
		"d|0|0|0|1", "d|0|0|NULL|2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}

	// With the series alone, rows whose series is empty vanish, and so does a whole batch.
	only := &planner.Unnest{Input: &planner.Values{Cols: kvCols}, Arrays: []planner.Expr{series}, Names: []string{"s"}}
	src2 := newSource([]string{"z=null", "y=null", "a=1"}, 2)
	defer func() {
		for _, r := range src2.recs {
			r.Release()
		}
	}()
	op2, err := newUnnestOp(src2, only, fc)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := collect(t, op2), []string{"a|1|1", "a|1|2"}; !slices.Equal(got, want) {
		t.Errorf("series alone: got %v, want %v", got, want)
	}
}
