package parquet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
)

func TestSplits(t *testing.T) {
	rows := make([]nullable, 1000)
	for i := range rows {
		rows[i], _ = nullableRow(i)
	}
	store, obj := memFile(t, writeParquet(t, rows, parquet.MaxRowsPerRowGroup(300)))
	splits, err := New().Splits(t.Context(), store, obj, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range splits {
		got = append(got, fmt.Sprintf("%s %d %v %d", s.Key, s.Size, s.RowGroups, s.Rows))
	}
	want := []string{}
	for i, n := range []int{300, 300, 300, 100} {
		want = append(want, fmt.Sprintf("%s %d [%d] %d", obj.Key, obj.Size, i, n))
	}
	if !slices.Equal(got, want) {
		t.Errorf("splits %q, want %q", got, want)
	}
	// A file without rows has no row groups and no splits.
	store, obj = memFile(t, writeParquet(t, []nullable{}))
	if splits, err := New().Splits(t.Context(), store, obj, nil); err != nil || len(splits) != 0 {
		t.Errorf("empty file: %v, %v", splits, err)
	}
	if New().Name() != "parquet" {
		t.Errorf("name %q", New().Name())
	}
}

func TestCancelAndClose(t *testing.T) {
	rows := make([]nullable, 3000)
	for i := range rows {
		rows[i], _ = nullableRow(i)
	}
	store, obj := memFile(t, writeParquet(t, rows))
	ctx, cancel := context.WithCancel(context.Background())
	rr, err := New().Open(ctx, store, formats.Split{Key: obj.Key, Size: obj.Size}, nil,
		formats.Request{Columns: cols(t, "id bigint"), Projection: []int{0}, BatchSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := rr.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec.Release()
	cancel()
	if _, err := rr.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}
	if err := rr.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := rr.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if _, err := rr.Next(context.Background()); err == nil {
		t.Error("Next after Close succeeded")
	}
}

// TestRequests checks that a scan reads the footer in one request and each projected column
// chunk in one more, through the store's counted reader.
func TestRequests(t *testing.T) {
	rows := make([]nullable, 4000)
	for i := range rows {
		rows[i], _ = nullableRow(i)
	}
	data := writeParquet(t, rows, parquet.MaxRowsPerRowGroup(1000))
	store, obj := memFile(t, data)
	var c objstore.Counter
	ctx := objstore.WithCounter(context.Background(), &c)
	rr, err := New().Open(ctx, store, formats.Split{Key: obj.Key, Size: obj.Size, RowGroups: []int{1, 2}}, nil,
		formats.Request{Columns: cols(t, "id bigint", "strd varchar"), Projection: []int{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	n := 0
	for {
		rec, err := rr.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n += int(rec.NumRows())
		rec.Release()
	}
	if n != 2000 {
		t.Errorf("%d rows, want 2000", n)
	}
	// The file is smaller than the first read, so the footer costs one request; then one per
	// column chunk: 2 columns × 2 row groups.
	if got := c.Requests.Load(); got != 5 {
		t.Errorf("%d requests, want 5", got)
	}
	if got := c.BytesRead.Load(); got > int64(len(data))+int64(len(data))/2 {
		t.Errorf("read %d bytes of a %d-byte file", got, len(data))
	}
}
