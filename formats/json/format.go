package json

import (
	"context"
	"strings"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv/textcol"
	"github.com/quarrydb/quarry/objstore"
)

// New returns the JSON lines format.
func New() formats.Format { return jsonFormat{} }

type jsonFormat struct{}

func (jsonFormat) Name() string { return "json" }

// Splits returns one split per file.
//
// Byte-range splits of uncompressed files are simpler than for CSV, since a JSON line holds
// no raw newline: split i covers [start, end); every split but the first skips to the byte
// after the first newline at or after start, and each reads past end to finish its last line.
func (jsonFormat) Splits(ctx context.Context, store objstore.Store, obj objstore.ObjectInfo, opts formats.Options) ([]formats.Split, error) {
	return []formats.Split{{Key: obj.Key, Size: obj.Size, Rows: -1}}, nil
}

// Open starts reading one split.
func (jsonFormat) Open(ctx context.Context, store objstore.Store, split formats.Split, opts formats.Options, req formats.Request) (formats.RecordReader, error) {
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

// newReader reads src's lines as opts and req say.
func newReader(src *textcol.Source, opts formats.Options, req formats.Request) (*textcol.Reader, error) {
	tok := newTokenizer(src.Key, map[string]int{}, 0, opts)
	// mapping.<column> names the JSON key a column reads (OpenX); other columns read the key
	// of their own name.
	mapping := map[string]string{}
	for k, v := range opts {
		if col, ok := strings.CutPrefix(k, "mapping."); ok {
			mapping[strings.ToLower(col)] = v
		}
	}
	slots := make([]int, len(req.Projection))
	byColumn := map[int]int{}
	for k, i := range req.Projection {
		if i < 0 || i >= len(req.Columns) {
			continue // NewReader reports it
		}
		slot, ok := byColumn[i]
		if !ok {
			slot = tok.stride
			tok.stride++
			byColumn[i] = slot
			name := req.Columns[i].Name
			if m, ok := mapping[strings.ToLower(name)]; ok {
				name = m
			}
			tok.slots[string(tok.normalize(nil, []byte(name)))] = slot
		}
		slots[k] = slot
	}
	return textcol.NewReader(src, tok, textcol.Config{
		Columns:    req.Columns,
		Projection: req.Projection,
		Slots:      slots,
		Stride:     tok.stride,
		BatchSize:  req.BatchSize,
		Alloc:      req.Alloc,
	})
}
