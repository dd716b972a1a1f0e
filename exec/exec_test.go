package exec

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// source is a test operator that yields prepared batches of (k string, v bigint).
type source struct {
	recs   []arrow.Record
	pos    int
	schema *arrow.Schema
	closed bool
}

var kvSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
}, nil)

// newSource makes batches from rows "key=value" ("null" for a NULL), batchSize rows each.
func newSource(rows []string, batchSize int) *source {
	s := &source{schema: kvSchema}
	for start := 0; start < len(rows); start += batchSize {
		b := array.NewRecordBuilder(memory.DefaultAllocator, kvSchema)
		for _, r := range rows[start:min(start+batchSize, len(rows))] {
			k, v, _ := strings.Cut(r, "=")
			if k == "null" {
				b.Field(0).AppendNull()
			} else {
				b.Field(0).(*array.StringBuilder).Append(k)
			}
			if v == "null" {
				b.Field(1).AppendNull()
			} else {
				var n int64
				fmt.Sscan(v, &n)
				b.Field(1).(*array.Int64Builder).Append(n)
			}
		}
		s.recs = append(s.recs, b.NewRecord())
		b.Release()
	}
	return s
}

func (s *source) Schema() *arrow.Schema          { return s.schema }
func (s *source) Open(ctx context.Context) error { return nil }
func (s *source) Close() error                   { s.closed = true; return nil }
func (s *source) Next(ctx context.Context) (arrow.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.pos >= len(s.recs) {
		return nil, io.EOF
	}
	r := s.recs[s.pos]
	s.pos++
	r.Retain()
	return r, nil
}

var kvCols = []planner.Column{{Name: "k", Type: types.VarcharT}, {Name: "v", Type: types.Int64T}}

func fctx() *function.Context { return &function.Context{Alloc: memory.DefaultAllocator} }

// collect runs op and renders its rows as "a|b" strings.
func collect(t *testing.T, op Operator) []string {
	t.Helper()
	ctx := context.Background()
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	var out []string
	for {
		rec, err := op.Next(ctx)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			var cells []string
			for c := 0; c < int(rec.NumCols()); c++ {
				col := rec.Column(c)
				if col.IsNull(i) {
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

func aggNode(t *testing.T, group bool, aggs ...string) *planner.Aggregate {
	reg := function.New()
	n := &planner.Aggregate{}
	if group {
		n.GroupBy = []planner.Expr{&planner.ColumnRef{Index: 0, Name: "k", T: types.VarcharT}}
		n.Cols = append(n.Cols, planner.Column{Name: "k", Type: types.VarcharT})
	}
	for _, a := range aggs {
		var args []planner.Expr
		var argTypes []types.T
		if a != "count*" {
			args = []planner.Expr{&planner.ColumnRef{Index: 1, Name: "v", T: types.Int64T}}
			argTypes = []types.T{types.Int64T}
		}
		name := strings.TrimSuffix(a, "*")
		sig, ok := reg.Lookup(name).Bind(argTypes)
		if !ok {
			t.Fatalf("no signature for %s", a)
		}
		n.Aggs = append(n.Aggs, planner.AggCall{Name: name, Sig: sig, Args: args})
		n.Cols = append(n.Cols, planner.Column{Name: name, Type: sig.Ret})
	}
	return n
}

// Partial aggregations over several inputs merge into the same answer as one input.
func TestHashAggregateMerge(t *testing.T) {
	var rows []string
	for i := 0; i < 10000; i++ {
		k := fmt.Sprintf("k%d", i%37)
		if i%101 == 0 {
			k = "null"
		}
		v := fmt.Sprint(i)
		if i%13 == 0 {
			v = "null"
		}
		rows = append(rows, k+"="+v)
	}
	node := aggNode(t, true, "count*", "count", "sum", "min", "max")
	one := collect(t, &hashAggOp{inputs: []Operator{newSource(rows, 1000)}, node: node, fctx: fctx(), schema: SchemaOf(node.Cols)})
	split := []Operator{newSource(rows[:3333], 500), newSource(rows[3333:7000], 777), newSource(rows[7000:], 64)}
	many := collect(t, &hashAggOp{inputs: split, node: node, fctx: fctx(), schema: SchemaOf(node.Cols)})
	sort.Strings(one)
	sort.Strings(many)
	if len(one) != 38 {
		t.Errorf("%d groups, want 38 (37 keys and NULL)", len(one))
	}
	if strings.Join(one, "\n") != strings.Join(many, "\n") {
		t.Errorf("merged partial aggregates differ:\n%v\n%v", one[:3], many[:3])
	}
	// Check one group by hand: k0 holds i = 0, 37, 74, ... except multiples of 101 (NULL key).
	var cnt, cntV, sum int64
	for i := 0; i < 10000; i++ {
		if i%37 != 0 || i%101 == 0 {
			continue
		}
		cnt++
		if i%13 != 0 {
			cntV++
			sum += int64(i)
		}
	}
	want := fmt.Sprintf("k0|%d|%d|%d", cnt, cntV, sum)
	found := false
	for _, r := range one {
		if strings.HasPrefix(r, want+"|") {
			found = true
		}
	}
	if !found {
		t.Errorf("no row starting %q in %v", want, one[:5])
	}
}

// A global aggregate yields one row even over no input.
func TestGlobalAggregateEmptyInput(t *testing.T) {
	node := aggNode(t, false, "count*", "sum", "max")
	got := collect(t, &hashAggOp{inputs: []Operator{newSource(nil, 10), newSource(nil, 10)}, node: node, fctx: fctx(), schema: SchemaOf(node.Cols)})
	if strings.Join(got, ",") != "0|NULL|NULL" {
		t.Errorf("got %v", got)
	}
}

func TestSortNullsAndTopN(t *testing.T) {
	rows := []string{"b=3", "a=null", "c=1", "null=2", "a=5", "b=null"}
	key := func(desc, nullsFirst bool) []planner.SortKey {
		return []planner.SortKey{{Expr: &planner.ColumnRef{Index: 1, T: types.Int64T}, Desc: desc, NullsFirst: nullsFirst},
			{Expr: &planner.ColumnRef{Index: 0, T: types.VarcharT}}}
	}
	cases := []struct {
		desc, nullsFirst bool
		keep             int64
		want             string
	}{
		{false, false, -1, "c|1,NULL|2,b|3,a|5,a|NULL,b|NULL"},
		{true, true, -1, "a|NULL,b|NULL,a|5,b|3,NULL|2,c|1"},
		{false, true, 3, "a|NULL,b|NULL,c|1"},
	}
	for _, c := range cases {
		op := &sortOp{input: newSource(rows, 2), keys: key(c.desc, c.nullsFirst), fctx: fctx(), keep: c.keep}
		if got := strings.Join(collect(t, op), ","); got != c.want {
			t.Errorf("desc=%v nullsFirst=%v keep=%d: got %s, want %s", c.desc, c.nullsFirst, c.keep, got, c.want)
		}
	}
}

func TestLimitOffset(t *testing.T) {
	var rows []string
	for i := 0; i < 25; i++ {
		rows = append(rows, fmt.Sprintf("k=%d", i))
	}
	src := newSource(rows, 7)
	op := &limitOp{input: src, count: 5, offset: 9}
	got := collect(t, op)
	if strings.Join(got, ",") != "k|9,k|10,k|11,k|12,k|13" {
		t.Errorf("got %v", got)
	}
	if src.pos == len(src.recs) {
		t.Error("limit read all its input; it should stop once the limit is reached")
	}
}

// gather runs its inputs in goroutines; closing it early must stop them all.
func TestGatherCloseEarlyLeaksNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	var rows []string
	for i := 0; i < 5000; i++ {
		rows = append(rows, fmt.Sprintf("k=%d", i))
	}
	for round := 0; round < 20; round++ {
		g := newGather([]Operator{newSource(rows, 10), newSource(rows, 10), newSource(rows, 10)})
		ctx := context.Background()
		if err := g.Open(ctx); err != nil {
			t.Fatal(err)
		}
		rec, err := g.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rec.Release()
		if err := g.Close(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running after closing gathers (was %d)", n, before)
	}
	// And a full read returns every row exactly once.
	g := newGather([]Operator{newSource(rows[:2000], 100), newSource(rows[2000:], 100)})
	if got := collect(t, g); len(got) != 5000 {
		t.Errorf("gather returned %d rows, want 5000", len(got))
	}
}

// panicky is an operator whose Next panics, standing for a bug in a kernel or reader.
type panicky struct{ source }

func (p *panicky) Next(ctx context.Context) (arrow.Record, error) { panic("kernel bug") }

// A panic in a worker goroutine fails the query with XX000 instead of killing the process.
func TestWorkerPanicBecomesError(t *testing.T) {
	ctx := context.Background()
	g := newGather([]Operator{newSource([]string{"a=1"}, 1), &panicky{source{schema: kvSchema}}})
	if err := g.Open(ctx); err != nil {
		t.Fatal(err)
	}
	var err error
	for err == nil {
		var rec arrow.Record
		rec, err = g.Next(ctx)
		if rec != nil {
			rec.Release()
		}
	}
	g.Close()
	if err == io.EOF || !strings.Contains(err.Error(), "kernel bug") {
		t.Errorf("gather: got %v, want the panic as an error", err)
	}
	node := aggNode(t, false, "count*")
	h := &hashAggOp{inputs: []Operator{newSource([]string{"a=1"}, 1), &panicky{source{schema: kvSchema}}}, node: node, fctx: fctx(), schema: SchemaOf(node.Cols)}
	h.Open(ctx)
	_, err = h.Next(ctx)
	h.Close()
	if err == nil || !strings.Contains(err.Error(), "kernel bug") {
		t.Errorf("aggregate: got %v, want the panic as an error", err)
	}
}
