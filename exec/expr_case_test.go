package exec

import (
	"context"
	"math/rand"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// bindCaseExpr binds expr over the columns a bigint and s text (input columns 0 and 1).
func bindCaseExpr(tb testing.TB, expr string) planner.Expr {
	tb.Helper()
	sql := "SELECT " + expr + " FROM (VALUES (NULL::bigint, NULL::text)) AS t(a, s)"
	res, err := pg.Parse(sql)
	if err != nil {
		tb.Fatalf("parse %q: %v", sql, err)
	}
	b := planner.NewBinder(context.Background(), nil, function.New(), "default", sql, &function.Context{})
	n, err := b.BindQuery(res.Stmts[0].Stmt.GetSelectStmt())
	if err != nil {
		tb.Fatalf("bind %q: %v", sql, err)
	}
	for ; n != nil; n = n.Inputs()[0] {
		if p, ok := n.(*planner.Project); ok {
			return p.Exprs[0]
		}
		if len(n.Inputs()) == 0 {
			break
		}
	}
	tb.Fatalf("no projection in the plan of %q", sql)
	return nil
}

// caseRecord builds a batch of (a bigint, s text) rows; a nil pointer is NULL.
func caseRecord(mem memory.Allocator, as []*int64, ss []*string) arrow.Record {
	ab := array.NewInt64Builder(mem)
	defer ab.Release()
	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	for i := range as {
		if as[i] == nil {
			ab.AppendNull()
		} else {
			ab.Append(*as[i])
		}
		if ss[i] == nil {
			sb.AppendNull()
		} else {
			sb.Append(*ss[i])
		}
	}
	a, s := ab.NewArray(), sb.NewArray()
	defer a.Release()
	defer s.Release()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	return array.NewRecord(schema, []arrow.Array{a, s}, int64(len(as)))
}

func render(a arrow.Array) string {
	parts := make([]string, a.Len())
	for i := range parts {
		if a.IsNull(i) {
			parts[i] = "NULL"
		} else {
			parts[i] = a.ValueStr(i)
		}
	}
	return strings.Join(parts, " ")
}

func i64(v int64) *int64   { return &v }
func str(v string) *string { return &v }

// TestCaseLazy evaluates CASE and COALESCE over the rows
// (0,'12') (2,'abc') (NULL,NULL) (5,'7') (0,'x') (-10,'3'): every branch that could fail
// on a row that does not reach it must not run on that row; a CASE with no part that can
// fail keeps the eager evaluator.
func TestCaseLazy(t *testing.T) {
	cases := []struct {
		expr string
		want string
		lazy bool // expect the lazy evaluator rather than the eager one
	}{
		{"CASE WHEN a = 0 THEN 0 ELSE 10 / a END", "0 5 NULL 2 0 -1", true},
		// A NULL condition passes the row on like false.
		{"CASE WHEN a > 1 THEN 1 WHEN a IS NULL THEN 2 ELSE 3 END", "3 1 2 1 3 3", false},
		{"CASE WHEN a > 1 THEN 100 / a WHEN a IS NULL THEN 2 ELSE 3 END", "3 50 2 20 3 3", true},
		// A later condition never sees the rows an earlier one decided.
		{"CASE WHEN a = 0 THEN 0 WHEN 10 / a > 1 THEN 1 ELSE 2 END", "0 1 2 1 0 2", true},
		// Every row in one branch; no row in the other.
		{"CASE WHEN a IS NULL OR a > -100 THEN 100 / (a + 20) ELSE 1 / (a - a) END", "5 4 NULL 4 5 10", true},
		{"CASE WHEN a > 100 THEN 1 / (a - a) ELSE a END", "0 2 NULL 5 0 -10", true},
		{"CASE WHEN s ~ '^[0-9]+$' THEN s::int END", "12 NULL NULL 7 NULL 3", true},
		{"CASE a WHEN 0 THEN -1 WHEN 2 THEN -2 ELSE 100 / (a - 2) END", "-1 -2 NULL 33 -1 -8", true},
		{"CASE WHEN a IS NULL THEN -1 ELSE CASE WHEN a = 0 THEN 0 ELSE 60 / a END END", "0 30 -1 12 0 -6", true},
		// String and boolean results take different gather paths.
		{"CASE WHEN a = 0 THEN 'zero' ELSE (10 / a)::text END", "zero 5 NULL 2 zero -1", true},
		{"CASE WHEN a = 0 THEN false ELSE 10 / a > 2 END", "false true NULL false false false", true},
		// COALESCE runs an argument only where all earlier ones are NULL: a + 10 is 0 on
		// the last row, whose first argument is not NULL.
		{"COALESCE(10 / NULLIF(a, 0), 10 / (a + 10), -1)", "1 5 -1 2 1 -1", true},
		{"COALESCE(a, 7)", "0 2 7 5 0 -10", false},
		{"COALESCE(s::int, a)", "", true}, // 'abc' is reached: the error stays
	}
	as := []*int64{i64(0), i64(2), nil, i64(5), i64(0), i64(-10)}
	ss := []*string{str("12"), str("abc"), nil, str("7"), str("x"), str("3")}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ev, err := compile(bindCaseExpr(t, c.expr), &function.Context{Alloc: mem})
			if err != nil {
				t.Fatal(err)
			}
			_, isLazy := ev.(*lazyCaseEval)
			if _, ok := ev.(*lazyCoalesceEval); ok {
				isLazy = true
			}
			if isLazy != c.lazy {
				t.Errorf("evaluator %T, want lazy=%v", ev, c.lazy)
			}
			// The whole batch, a batch sliced at an offset (as TRY and LIMIT make them),
			// and an empty batch.
			for _, shape := range []struct{ lo, hi int }{{0, len(as)}, {1, len(as)}, {0, 0}} {
				full := caseRecord(mem, as[:shape.hi], ss[:shape.hi])
				rec := full.NewSlice(int64(shape.lo), int64(shape.hi))
				full.Release()
				out, err := ev.eval(rec)
				rec.Release()
				if c.want == "" && shape.hi > 0 {
					if sqlerr.Code(err) != sqlerr.InvalidTextRepresentation {
						t.Errorf("rows %v: got %v, want a 22P02 error", shape, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("rows %v: %v", shape, err)
				}
				want := strings.Join(strings.Fields(c.want)[shape.lo:shape.hi], " ")
				if got := render(out); got != want {
					t.Errorf("rows %v: got %q, want %q", shape, got, want)
				}
				out.Release()
			}
			releaseEvaluator(ev)
		})
	}
}

// releaseEvaluator drops the literal broadcasts evaluators cache between batches, so the
// checked allocator sees everything returned.
func releaseEvaluator(ev evaluator) {
	switch e := ev.(type) {
	case *litEval:
		if e.cached != nil {
			e.cached.Release()
			e.cached = nil
		}
	case *callEval:
		for _, a := range e.args {
			releaseEvaluator(a)
		}
	case *caseEval:
		for i := range e.conds {
			releaseEvaluator(e.conds[i])
			releaseEvaluator(e.results[i])
		}
		releaseEvaluator(e.els)
	case *coalesceEval:
		for _, a := range e.args {
			releaseEvaluator(a)
		}
	case *lazyCaseEval:
		for _, b := range append(append([]branch(nil), e.conds...), e.results...) {
			releaseEvaluator(b.ev)
		}
	case *lazyCoalesceEval:
		for _, b := range e.args {
			releaseEvaluator(b.ev)
		}
	case *boolOpEval:
		for _, a := range e.args {
			releaseEvaluator(a)
		}
	case *notEval:
		releaseEvaluator(e.arg)
	case *isNullEval:
		releaseEvaluator(e.arg)
	case *boolTestEval:
		releaseEvaluator(e.arg)
	case *tryEval:
		releaseEvaluator(e.arg)
	}
}

// TestCaseLazySQL runs lazy CASE and COALESCE through whole plans: in aggregates, filters and
// constant SELECTs that folding must not turn into an error. (Memory is checked by
// TestCaseLazy: whole plans over VALUES hold cached literal broadcasts past Close, so a
// checked allocator cannot be asserted empty here.)
func TestCaseLazySQL(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT sum(CASE WHEN a <> 0 THEN 10 / a ELSE 0 END) FROM (VALUES (0), (2), (5), (0)) AS v(a)", "7"},
		{"SELECT count(*) FILTER (WHERE CASE WHEN a = 0 THEN false ELSE 10 / a > 2 END) FROM (VALUES (0), (2), (5)) AS v(a)", "1"},
		{"SELECT a FROM (VALUES (0), (2), (5)) AS v(a) WHERE CASE WHEN a = 0 THEN false ELSE 10 / a > 2 END", "2"},
		{"SELECT a, max(COALESCE(b, 10 / a)) FROM (VALUES (0, 1), (2, NULL), (0, 3)) AS v(a, b) GROUP BY a", "0|3 2|5"},
		{"SELECT CASE WHEN 1 = 1 THEN 1 ELSE 1 / 0 END", "1"},
		{"SELECT CASE WHEN NULL THEN 1 / 0 WHEN false THEN 2 / 0 ELSE 3 END", "3"},
		{"SELECT COALESCE(NULL, 2, 1 / 0)", "2"},
		// TRY around a lazy CASE nulls only the rows whose taken branch fails.
		{"SELECT a, try(CASE WHEN a = 0 THEN 0 ELSE 10 / (a - 2) END) FROM (VALUES (0), (2), (7)) AS v(a)", "0|0 2|NULL 7|2"},
		{"SELECT CASE WHEN a = 1 THEN 1 ELSE CAST('x' AS integer) END FROM (VALUES (1)) AS v(a)", "1"},
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
	// A constant branch that is taken still fails.
	for _, sql := range []string{"SELECT CASE WHEN 1 = 1 THEN 1 / 0 ELSE 1 END", "SELECT COALESCE(NULL, 1 / 0)"} {
		if _, err := runSQL(t, sql); sqlerr.Code(err) != sqlerr.DivisionByZero {
			t.Errorf("%s: got %v, want 22012", sql, err)
		}
	}
}

// BenchmarkCase runs CASE over 1M rows in batches of 8192. eager is a CASE no part of which
// can fail, which runs the eager evaluator as before; guard/before evaluates a guarded
// division (which cannot actually fail on this data) the old way, every arm on every row;
// guard/lazy is the same CASE evaluated lazily (its ELSE, needed by 99% of the rows, is tried
// on the whole batch); guard/lazy/half gives the ELSE 49% of the rows, which it then runs on
// alone, a copy of them taken.
func BenchmarkCase(b *testing.B) {
	const batch, batches = 8192, 122
	as := make([]*int64, batch)
	ss := make([]*string, batch)
	for i := range as {
		as[i] = i64(int64(i % 100))
		ss[i] = str("x")
	}
	rec := caseRecord(memory.DefaultAllocator, as, ss)
	defer rec.Release()
	run := func(b *testing.B, ev evaluator) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for j := 0; j < batches; j++ {
				out, err := ev.eval(rec)
				if err != nil {
					b.Fatal(err)
				}
				out.Release()
			}
		}
	}
	fctx := &function.Context{Alloc: memory.DefaultAllocator}
	compileB := func(b *testing.B, expr string) evaluator {
		ev, err := compile(bindCaseExpr(b, expr), fctx)
		if err != nil {
			b.Fatal(err)
		}
		return ev
	}
	b.Run("eager", func(b *testing.B) {
		run(b, compileB(b, "CASE WHEN a > 50 THEN a ELSE 0 END"))
	})
	guard := "CASE WHEN a = 0 THEN 0 ELSE 10 / (a + 1) END"
	b.Run("guard/before", func(b *testing.B) {
		lc, ok := compileB(b, guard).(*lazyCaseEval)
		if !ok {
			b.Fatal("guard is not lazy")
		}
		old := &caseEval{conds: []evaluator{lc.conds[0].ev}, results: []evaluator{lc.results[0].ev}, els: lc.results[1].ev, alloc: fctx.Alloc}
		run(b, old)
	})
	b.Run("guard/lazy", func(b *testing.B) {
		run(b, compileB(b, guard))
	})
	b.Run("guard/lazy/half", func(b *testing.B) {
		run(b, compileB(b, "CASE WHEN a < 50 THEN 0 ELSE 10 / (a + 1) END"))
	})
}

// TestCaseLazyMatchesEager compares the lazy evaluators with the eager ones on random data
// with NULLs where no branch fails, so both must agree row for row, through every gather
// path (whole-batch tries, sub-batches, arms with no rows).
func TestCaseLazyMatchesEager(t *testing.T) {
	exprs := []string{
		"CASE WHEN a % 3 = 0 THEN a / 3 WHEN a % 3 = 1 THEN (a + 10) / 7 ELSE a * 2 END",
		"CASE WHEN a > 90 THEN a / 2 WHEN a IS NULL THEN -1 END",
		"CASE WHEN a < 95 THEN s || '!' ELSE upper(s) END",
		"CASE WHEN a / 10 > 5 THEN a / 10 = 9 ELSE a > 1 END",
		"COALESCE(CASE WHEN a > 50 THEN a / 5 END, length(s), a / 7)",
	}
	rng := rand.New(rand.NewSource(1))
	const n = 5000
	as := make([]*int64, n)
	ss := make([]*string, n)
	for i := range as {
		if rng.Intn(10) > 0 {
			as[i] = i64(int64(rng.Intn(100)))
		}
		if rng.Intn(10) > 0 {
			ss[i] = str(strings.Repeat("x", rng.Intn(4)))
		}
	}
	for _, expr := range exprs {
		t.Run(expr, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			fctx := &function.Context{Alloc: mem}
			lazy, err := compile(bindCaseExpr(t, expr), fctx)
			if err != nil {
				t.Fatal(err)
			}
			var eager evaluator
			switch l := lazy.(type) {
			case *lazyCaseEval:
				ce := &caseEval{els: l.results[len(l.conds)].ev, alloc: mem}
				for i := range l.conds {
					ce.conds = append(ce.conds, l.conds[i].ev)
					ce.results = append(ce.results, l.results[i].ev)
				}
				eager = ce
			case *lazyCoalesceEval:
				ce := &coalesceEval{alloc: mem}
				for _, a := range l.args {
					ce.args = append(ce.args, a.ev)
				}
				eager = ce
			default:
				t.Fatalf("compiled to %T, want a lazy evaluator", lazy)
			}
			rec := caseRecord(mem, as, ss)
			defer rec.Release()
			// Batches of several sizes, each compared. Nothing in these expressions can
			// fail, so any error is a bug.
			for _, size := range []int64{3, 1000, n} {
				for lo := int64(0); lo < n; lo += size {
					hi := min(lo+size, n)
					sl := rec.NewSlice(lo, hi)
					want, err := eager.eval(sl)
					if err != nil {
						t.Fatal(err)
					}
					got, err := lazy.eval(sl)
					if err != nil {
						t.Fatal(err)
					}
					if render(got) != render(want) {
						t.Fatalf("rows [%d, %d): lazy and eager differ", lo, hi)
					}
					got.Release()
					want.Release()
					sl.Release()
				}
			}
			releaseEvaluator(lazy)
		})
	}
}
