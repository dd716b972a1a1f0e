package exec

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
)

// TestTrySQL checks Trino's TRY end to end: rows whose evaluation raises a data error are
// NULL, the others keep their values, in order.
func TestTrySQL(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT a, try(10 / a) FROM (VALUES (1), (0), (2), (0), (5)) AS v(a)", "0|NULL 0|NULL 1|10 2|5 5|2"},
		{"SELECT try(CAST(b AS integer)) FROM (VALUES ('1'), ('x'), ('3'), (NULL)) AS v(b)", "1 3 NULL NULL"},
		{"SELECT try(1 / 0), try(CAST('x' AS integer)), try(2147483647 + 1)", "NULL|NULL|NULL"},
		// An error anywhere below TRY makes the whole argument NULL, not just the failing call.
		{"SELECT try(coalesce(10 / a, 7)) FROM (VALUES (0), (5)) AS v(a)", "2 NULL"},
		{"SELECT coalesce(try(10 / a), 7) FROM (VALUES (0), (5)) AS v(a)", "2 7"},
		{"SELECT a FROM (VALUES (0), (5)) AS v(a) WHERE try(10 / a) > 1", "5"},
	}
	for _, c := range cases {
		rows, err := runSQL(t, c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got := strings.Join(rows, " "); got != c.want {
			t.Errorf("%s: got %s, want %s", c.sql, got, c.want)
		}
	}
	// Without TRY the same data error fails the statement.
	if _, err := runSQL(t, "SELECT 10 / a FROM (VALUES (1), (0)) AS v(a)"); sqlerr.Code(err) != sqlerr.DivisionByZero {
		t.Errorf("10 / 0 without TRY: got %v, want 22012", err)
	}
}

// failingEval fails every batch that holds a row whose value is in bad, with err.
type failingEval struct {
	bad   map[int64]bool
	err   error
	calls int
}

func (f *failingEval) eval(rec arrow.Record) (arrow.Array, error) {
	f.calls++
	col := rec.Column(0).(*array.Int64)
	for i := 0; i < col.Len(); i++ {
		if f.bad[col.Value(i)] {
			return nil, f.err
		}
	}
	col.Retain()
	return col, nil
}

func int64Record(n int) arrow.Record {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	for i := 0; i < n; i++ {
		b.Append(int64(i))
	}
	a := b.NewArray()
	defer a.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	return array.NewRecord(schema, []arrow.Array{a}, int64(n))
}

// TestTryEvalSplits checks that tryEval finds exactly the failing rows, with a number of
// evaluations logarithmic in the batch size, and lets other errors through.
func TestTryEvalSplits(t *testing.T) {
	rec := int64Record(1024)
	defer rec.Release()
	f := &failingEval{bad: map[int64]bool{3: true, 700: true}, err: sqlerr.New(sqlerr.DivisionByZero, "division by zero")}
	e := &tryEval{arg: f, dt: arrow.PrimitiveTypes.Int64}
	out, err := e.eval(rec)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if out.Len() != 1024 || out.NullN() != 2 || !out.IsNull(3) || !out.IsNull(700) {
		t.Errorf("got %d rows with %d NULLs (row 3 NULL: %v, row 700 NULL: %v), want 1024 rows, NULL at 3 and 700",
			out.Len(), out.NullN(), out.IsNull(3), out.IsNull(700))
	}
	if v := out.(*array.Int64).Value(701); v != 701 {
		t.Errorf("row 701 = %d, want 701", v)
	}
	// 1 + 2 failing paths of depth 10, each evaluating two halves per level.
	if f.calls > 1+2*2*10 {
		t.Errorf("%d evaluations for 2 bad rows of 1024, want at most %d", f.calls, 1+2*2*10)
	}

	other := &failingEval{bad: map[int64]bool{5: true}, err: errors.New("disk on fire")}
	if _, err := (&tryEval{arg: other, dt: arrow.PrimitiveTypes.Int64}).eval(rec); err == nil || err.Error() != "disk on fire" {
		t.Errorf("a non-data error: got %v, want it returned", err)
	}
	coded := &failingEval{bad: map[int64]bool{5: true}, err: sqlerr.New(sqlerr.UndefinedFunction, "nope")}
	if _, err := (&tryEval{arg: coded, dt: arrow.PrimitiveTypes.Int64}).eval(rec); sqlerr.Code(err) != sqlerr.UndefinedFunction {
		t.Errorf("a 42883 error: got %v, want it returned", err)
	}
}
