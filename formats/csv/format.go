package csv

import (
	"context"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv/textcol"
	"github.com/quarrydb/quarry/objstore"
)

// New returns the delimited-text format.
func New() formats.Format { return csvFormat{} }

type csvFormat struct{}

func (csvFormat) Name() string { return "csv" }

// Splits returns one split per file.
//
// Byte-range splits of uncompressed files (compress.Splittable) would work as Hadoop's
// TextInputFormat does: split i covers [start, end); every split but the first skips to the
// first byte after a newline at or after start, and each reads past end to finish its last
// record, so every record is read exactly once. Header lines are skipped only by the split at
// offset 0. A quoted field with a newline breaks this (a split may start inside it); Hive
// does not allow such fields at all, and a reader of ours would need DuckDB's approach of
// checking that a split's first record parses consistently, or a per-table promise that no
// field holds a newline.
func (csvFormat) Splits(ctx context.Context, store objstore.Store, obj objstore.ObjectInfo, opts formats.Options) ([]formats.Split, error) {
	return []formats.Split{{Key: obj.Key, Size: obj.Size, Rows: -1}}, nil
}

// Open starts reading one split.
func (csvFormat) Open(ctx context.Context, store objstore.Store, split formats.Split, opts formats.Options, req formats.Request) (formats.RecordReader, error) {
	if _, err := parseDialect(opts); err != nil {
		return nil, err // before any byte is read
	}
	src, err := textcol.OpenSource(ctx, store, split.Key)
	if err != nil {
		return nil, err
	}
	r, err := newReader(src, opts, req)
	if err != nil {
		src.Close()
		return nil, err
	}
	return r, nil
}

// newReader reads src's records as opts and req say.
func newReader(src *textcol.Source, opts formats.Options, req formats.Request) (*textcol.Reader, error) {
	d, err := parseDialect(opts)
	if err != nil {
		return nil, err
	}
	// Fields map to columns by position: field i is column i. Only fields up to the last
	// projected one are ever split out of a line.
	maxField := -1
	for _, i := range req.Projection {
		maxField = max(maxField, i)
	}
	slotOf := make([]int, maxField+1)
	for i := range slotOf {
		slotOf[i] = -1
	}
	slots := make([]int, len(req.Projection))
	stride := 0
	for k, i := range req.Projection {
		if i < 0 {
			continue // NewReader reports it
		}
		if slotOf[i] < 0 {
			slotOf[i] = stride
			stride++
		}
		slots[k] = slotOf[i]
	}
	cfg := textcol.Config{
		Columns:       req.Columns,
		Projection:    req.Projection,
		Slots:         slots,
		Stride:        stride,
		BatchSize:     req.BatchSize,
		Alloc:         req.Alloc,
		NullMarker:    d.nullMarker,
		HasNullMarker: true,
		InvalidAsNull: d.invalidAsNull,
	}
	return textcol.NewReader(src, newTokenizer(src.Key, d, slotOf, stride, len(req.Columns)), cfg)
}
