package engine

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/types"
)

// TestPlanFetch follows PostgreSQL's DoPortalRunFetch for a NO SCROLL cursor: what each
// FETCH / MOVE skips and takes, and which ones must go back (55000).
func TestPlanFetch(t *testing.T) {
	const (
		fwd = pg.FetchDirection_FETCH_FORWARD
		bwd = pg.FetchDirection_FETCH_BACKWARD
		abs = pg.FetchDirection_FETCH_ABSOLUTE
		rel = pg.FetchDirection_FETCH_RELATIVE
		all = int64(1<<63 - 1)
	)
	for _, tc := range []struct {
		name        string
		pos         int64
		atEnd       bool
		dir         pg.FetchDirection
		n           int64
		move        bool
		skip, count int64
		stay        bool
		err         string
	}{
		{name: "fetch 2", dir: fwd, n: 2, count: 2},
		{name: "fetch all", pos: 3, dir: fwd, n: all, count: all},
		{name: "fetch -1 goes back", pos: 3, dir: fwd, n: -1, err: "55000"},
		{name: "fetch backward -2 goes forward", pos: 3, dir: bwd, n: -2, count: 2},
		{name: "prior", pos: 3, dir: bwd, n: 1, err: "55000"},
		{name: "fetch 0 on a row re-fetches it", pos: 3, dir: fwd, n: 0, err: "55000"},
		{name: "fetch 0 before the first row", dir: fwd, n: 0},
		{name: "fetch 0 past the end", pos: 3, atEnd: true, dir: fwd, n: 0},
		{name: "move 0 on a row", pos: 3, dir: fwd, n: 0, move: true, stay: true},
		{name: "absolute 2 at the start", dir: abs, n: 2, skip: 1, count: 1},
		{name: "absolute ahead", pos: 2, dir: abs, n: 6, skip: 3, count: 1},
		{name: "absolute next row", pos: 4, dir: abs, n: 5, count: 1},
		{name: "absolute current row", pos: 4, dir: abs, n: 4, err: "55000"},
		{name: "absolute near the start rewinds", pos: 8, dir: abs, n: 2, err: "55000"},
		{name: "first after reading", pos: 1, dir: abs, n: 1, err: "55000"},
		{name: "first at the start", dir: abs, n: 1, count: 1},
		{name: "last", dir: abs, n: -1, err: "55000"},
		{name: "absolute 0 at the start", dir: abs, n: 0},
		{name: "relative 3", pos: 1, dir: rel, n: 3, skip: 2, count: 1},
		{name: "relative -1", pos: 1, dir: rel, n: -1, err: "55000"},
		{name: "relative 0 on a row", pos: 1, dir: rel, n: 0, err: "55000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &cursor{pos: tc.pos, atEnd: tc.atEnd}
			got, err := c.planFetch(tc.dir, tc.n, tc.move)
			if tc.err != "" {
				if sqlState(err) != tc.err {
					t.Fatalf("got %+v, %v; want error %s", got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := (fetchPlan{skip: tc.skip, count: tc.count, stay: tc.stay}); got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

// countingRows counts how many batches a cursor pulled from its query.
type countingRows struct {
	Rows
	pulled int
}

func (r *countingRows) Next(ctx context.Context) (arrow.Record, error) {
	rec, err := r.Rows.Next(ctx)
	if err == nil {
		r.pulled++
	}
	return rec, err
}

// int32Batches makes batches of one int32 column holding 1..n, size rows each.
func int32Batches(n, size int) []arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int32}}, nil)
	var out []arrow.Record
	for start := 1; start <= n; start += size {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		for v := start; v < start+size && v <= n; v++ {
			b.Field(0).(*array.Int32Builder).Append(int32(v))
		}
		out = append(out, b.NewRecord())
		b.Release()
	}
	return out
}

// TestCursorStreams checks that FETCH reads only the batches it needs and cuts a batch
// where its count ends, the next FETCH going on from there.
func TestCursorStreams(t *testing.T) {
	ctx := context.Background()
	src := &countingRows{Rows: &memRows{recs: int32Batches(7, 3)}} // [1 2 3] [4 5 6] [7]
	c := &cursor{name: "c", cols: []Column{{Name: "x", Type: types.Int32T}}, rows: src, cancel: func() {}}
	defer c.close()
	s := &Session{cursors: map[string]*cursor{"c": c}}

	fetch := func(n int64, move bool) (string, int64) {
		t.Helper()
		res, err := s.fetch(ctx, &pg.FetchStmt{Direction: pg.FetchDirection_FETCH_FORWARD, HowMany: n, Portalname: "c", Ismove: move})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows == nil {
			return "", res.RowsAffected
		}
		defer res.Rows.Close()
		var vals []string
		for {
			rec, err := res.Rows.Next(ctx)
			if errors.Is(err, io.EOF) {
				return strings.Join(vals, ","), int64(len(vals))
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < int(rec.NumRows()); i++ {
				vals = append(vals, rec.Column(0).ValueStr(i))
			}
			rec.Release()
		}
	}
	if got, _ := fetch(2, false); got != "1,2" || src.pulled != 1 {
		t.Fatalf("fetch 2: %q after %d batches", got, src.pulled)
	}
	if got, _ := fetch(2, false); got != "3,4" || src.pulled != 2 {
		t.Fatalf("fetch 2 again: %q after %d batches", got, src.pulled)
	}
	if _, n := fetch(1, true); n != 1 || c.pos != 5 {
		t.Fatalf("move 1: %d, at %d", n, c.pos)
	}
	if got, _ := fetch(10, false); got != "6,7" || !c.atEnd {
		t.Fatalf("fetch 10: %q, at end %v", got, c.atEnd)
	}
	if got, n := fetch(1, false); got != "" || n != 0 {
		t.Fatalf("fetch past the end: %q", got)
	}
}

// TestCursorLifetimes: DECLARE needs a block unless WITH HOLD; the block's end closes
// cursors without HOLD, a rollback the HOLD ones it declared; Close closes the rest.
func TestCursorLifetimes(t *testing.T) {
	s := newTestSession(t)
	ctx := context.Background()
	exec := func(sql string) error {
		t.Helper()
		stmts, err := s.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Execute(ctx, stmts[0])
		if err == nil && res.Rows != nil {
			collect(t, res)
		}
		return err
	}
	must := func(sql string) {
		t.Helper()
		if err := exec(sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := exec("declare c cursor for select 1"); sqlState(err) != "25P01" {
		t.Fatalf("declare outside a block: %v", err)
	}
	must("begin")
	must("declare c cursor for select 1")
	must("declare h cursor with hold for select 2")
	if err := exec("declare c cursor for select 3"); sqlState(err) != "42P03" {
		t.Fatalf("duplicate: %v", err)
	}
	if err := exec("declare s scroll cursor for select 3"); sqlState(err) != "0A000" {
		t.Fatalf("scroll: %v", err)
	}
	must("commit")
	if err := exec("fetch c"); sqlState(err) != "34000" {
		t.Fatalf("fetch after commit: %v", err)
	}
	must("fetch h")
	must("begin")
	must("declare h2 cursor with hold for select 4")
	must("rollback")
	if _, ok := s.cursors["h2"]; ok {
		t.Fatal("rollback kept the WITH HOLD cursor it declared")
	}
	if _, ok := s.cursors["h"]; !ok {
		t.Fatal("rollback closed a WITH HOLD cursor of an earlier transaction")
	}
	s.ImplicitBlock(true)
	must("declare i cursor for select 5")
	s.ImplicitBlock(false)
	if _, ok := s.cursors["i"]; ok {
		t.Fatal("the implicit block's end kept its cursor")
	}
	if err := s.Close(); err != nil || len(s.cursors) != 0 {
		t.Fatalf("Close: %v, %d cursors left", err, len(s.cursors))
	}
}
