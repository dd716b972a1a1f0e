package parquet

import (
	"bytes"
	"context"
	"testing"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
)

// TestSplitsCached checks that a file's footer is read once for its splits, and again when
// the file is replaced.
func TestSplitsCached(t *testing.T) {
	type row struct {
		A int64 `parquet:"a"`
	}
	store, obj := memFile(t, writeParquet(t, []row{{1}, {2}, {3}}))
	f := New()
	splits := func(obj objstore.ObjectInfo) (rows, requests int64) {
		t.Helper()
		c := &objstore.Counter{}
		sp, err := f.Splits(objstore.WithCounter(context.Background(), c), store, obj, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sp {
			rows += s.Rows
			s.RowGroups[0] = 99 // the caller owns what it got: the cache must not change
		}
		return rows, c.Requests.Load()
	}
	if rows, req := splits(obj); rows != 3 || req == 0 {
		t.Fatalf("first read: %d rows, %d requests", rows, req)
	}
	if rows, req := splits(obj); rows != 3 || req != 0 {
		t.Fatalf("second read: %d rows, %d requests; want 3 rows from the cache", rows, req)
	}
	sp, _ := f.Splits(context.Background(), store, obj, nil)
	if sp[0].RowGroups[0] != 0 {
		t.Fatalf("the cached splits were changed by a caller: %v", sp[0].RowGroups)
	}

	// Replaced in place (as an INSERT compacting small files does): read again.
	if err := store.Put(context.Background(), obj.Key, bytes.NewReader(writeParquet(t, []row{{1}, {2}, {3}, {4}, {5}}))); err != nil {
		t.Fatal(err)
	}
	obj2, err := store.Stat(context.Background(), obj.Key)
	if err != nil {
		t.Fatal(err)
	}
	if rows, req := splits(obj2); rows != 5 || req == 0 {
		t.Fatalf("after the file was replaced: %d rows, %d requests", rows, req)
	}

	// Opening a split planned on the old file fails cleanly instead of misreading the new one.
	if _, err := f.Open(context.Background(), store, sp[0], nil, formats.Request{Columns: cols(t, "a bigint"), Projection: []int{0}}); err == nil {
		t.Fatal("a split of the replaced file opened without an error")
	}
}
