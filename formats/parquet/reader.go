package parquet

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

// recordReader reads a split's row groups in order. A batch never spans two row groups, so
// each batch reads every projected column from the same position of one row group.
type recordReader struct {
	key    string
	r      objstore.Reader
	size   int64
	file   *parquet.File
	groups []int
	next   int   // index in groups of the next row group to open
	left   int64 // rows of the current row group not yet returned

	schema *arrow.Schema
	cols   []*column // one per field; nil for a column the file lacks (read as NULLs)
	batch  int
	alloc  memory.Allocator
	err    error // the first error, returned by every later Next
}

func newRecordReader(split formats.Split, r objstore.Reader, f *parquet.File, req formats.Request) (*recordReader, error) {
	md := f.Metadata()
	fcols, err := fileColumns(md)
	if err != nil {
		return nil, corrupt(split.Key, "corrupt Parquet schema: %v", err)
	}
	groups := split.RowGroups
	if groups == nil {
		groups = make([]int, len(md.RowGroups))
		for i := range groups {
			groups[i] = i
		}
	}
	for _, g := range groups {
		if g < 0 || g >= len(md.RowGroups) {
			return nil, corrupt(split.Key, "row group %d does not exist: the file has %d", g, len(md.RowGroups))
		}
	}
	rd := &recordReader{
		key: split.Key, r: r, size: r.Size(), file: f, groups: groups,
		batch: req.BatchSize, alloc: req.Alloc,
		cols: make([]*column, len(req.Projection)),
	}
	if rd.batch <= 0 {
		rd.batch = formats.DefaultBatchSize
	}
	if rd.alloc == nil {
		rd.alloc = memory.DefaultAllocator
	}
	fields := make([]arrow.Field, len(req.Projection))
	for i, p := range req.Projection {
		if p < 0 || p >= len(req.Columns) {
			return nil, sqlerr.New(sqlerr.InternalError, "projection index %d out of range (%d columns)", p, len(req.Columns))
		}
		tc := req.Columns[p]
		fields[i] = arrow.Field{Name: tc.Name, Type: tc.Type.Arrow(), Nullable: true}
		j := findColumn(fcols, tc.Name)
		if j < 0 {
			continue // schema evolution: a column added after this file was written
		}
		fc := &fcols[j]
		if fc.nested {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported,
				"%s: column %s: reading nested Parquet columns (%s) is not supported yet", split.Key, tc.Name, fc.desc)
		}
		s, ok := newSink(fc, tc.Type)
		if !ok {
			return nil, &formats.DataError{Key: split.Key, Code: sqlerr.InvalidTextRepresentation,
				Msg: fmt.Sprintf("column %s: file has %s, table declares %s", tc.Name, fc.desc, tc.Type.PGName())}
		}
		if err := checkCodecs(split.Key, tc.Name, md, fc.index, groups); err != nil {
			return nil, err
		}
		rd.cols[i] = &column{key: split.Key, name: tc.Name, fc: fc, sink: s}
	}
	rd.schema = arrow.NewSchema(fields, nil)
	return rd, nil
}

// checkCodecs refuses codecs parquet-go cannot decode, and row groups whose codec for a column
// differs from the first row group's: parquet-go decompresses every chunk of a column with the
// first chunk's codec.
func checkCodecs(key, name string, md *format.FileMetaData, index int, groups []int) error {
	if len(groups) == 0 {
		return nil
	}
	first := md.RowGroups[0].Columns[index].MetaData.Codec
	for _, g := range groups {
		switch codec := md.RowGroups[g].Columns[index].MetaData.Codec; {
		case codec != first:
			return sqlerr.New(sqlerr.FeatureNotSupported,
				"%s: column %s: row groups compressed with different codecs (%s, %s) are not supported", key, name, first, codec)
		case codec == format.Lz4Raw:
			// parquet-go v0.32 keeps a zero-filled buffer instead of the decompressed page
			// when its LZ4 codec reallocates (parquet-go/parquet-go#608, fix pending in #609):
			// better no answer than a wrong one.
			return sqlerr.New(sqlerr.FeatureNotSupported,
				"%s: column %s: LZ4_RAW-compressed Parquet is not supported yet", key, name)
		case codec != format.Uncompressed && codec != format.Snappy && codec != format.Gzip &&
			codec != format.Brotli && codec != format.Zstd:
			return sqlerr.New(sqlerr.FeatureNotSupported,
				"%s: column %s: Parquet compression %s is not supported (SNAPPY, GZIP, ZSTD and BROTLI are)", key, name, codec)
		}
	}
	return nil
}

// Next returns the next batch, or io.EOF after the last.
func (rd *recordReader) Next(ctx context.Context) (rec arrow.Record, err error) {
	defer rd.remember(&err)
	defer recoverCorrupt(rd.key, &err)
	if rd.err != nil {
		return nil, rd.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for rd.left == 0 {
		if rd.next >= len(rd.groups) {
			return nil, io.EOF
		}
		g := rd.groups[rd.next]
		rd.next++
		if err := rd.openRowGroup(g); err != nil {
			return nil, err
		}
	}
	n := int(min(int64(rd.batch), rd.left))
	arrs := make([]arrow.Array, len(rd.cols))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release() // the record holds its own references
			}
		}
	}()
	for i, col := range rd.cols {
		if col == nil {
			arrs[i] = array.MakeArrayOfNull(rd.alloc, rd.schema.Field(i).Type, n)
			continue
		}
		if arrs[i], err = col.read(rd.alloc, n); err != nil {
			return nil, err
		}
	}
	rd.left -= int64(n)
	return array.NewRecordBatch(rd.schema, arrs, int64(n)), nil
}

// remember makes an error sticky, so that a reader does not resume in the middle of a page.
func (rd *recordReader) remember(err *error) {
	if *err != nil && !errors.Is(*err, io.EOF) && rd.err == nil {
		rd.err = *err
	}
}

// openRowGroup points every projected column at its chunk in row group g.
func (rd *recordReader) openRowGroup(g int) error {
	md := &rd.file.Metadata().RowGroups[g]
	chunks := rd.file.RowGroups()[g].ColumnChunks()
	for _, col := range rd.cols {
		if col == nil {
			continue
		}
		fcc, ok := chunks[col.fc.index].(*parquet.FileColumnChunk)
		if !ok {
			return corrupt(rd.key, "column %s: no column chunk in row group %d", col.name, g)
		}
		cr, err := newChunkReader(rd.key, rd.r, rd.size, &md.Columns[col.fc.index].MetaData, md.NumRows, col.fc)
		if err != nil {
			return err
		}
		col.reset(cr, fcc.PagesFrom(cr))
	}
	rd.left = md.NumRows
	return nil
}

// Close releases the pages held and closes the object.
func (rd *recordReader) Close() (err error) {
	defer recoverCorrupt(rd.key, &err)
	for _, col := range rd.cols {
		if col != nil {
			col.cur.close()
		}
	}
	if rd.r != nil {
		err = rd.r.Close()
		rd.r = nil
	}
	if rd.err == nil {
		rd.err = errors.New("parquet: reader closed")
	}
	return err
}
