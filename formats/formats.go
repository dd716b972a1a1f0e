// Package formats reads (and later writes) the file formats Quarry queries: Parquet, CSV,
// JSON and ORC, with their compression codecs. A reader turns one split of one file into a
// stream of Arrow record batches holding the requested columns, with the SQL types the catalog
// gives them.
//
// It imports types, objstore and sqlerr; never planner or exec. Each format lives in its own
// subpackage (formats/parquet, formats/csv, formats/json); this package holds the contract they
// share and the explicit list of them.
package formats

import (
	"context"
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Column is one data column of a table, as the catalog declares it.
type Column struct {
	Name string
	Type types.T
}

// Options say how a table's files are written: the serde and table parameters merged
// (`field.delim`, `separatorChar`, `quoteChar`, `escapeChar`, `skip.header.line.count`,
// `serialization.null.format`, ...). Keys are as Hive and Athena spell them.
type Options map[string]string

// Int returns an integer option, or def when unset or malformed.
func (o Options) Int(key string, def int) int {
	if v, ok := o[key]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// Request says what a scan wants from one split.
type Request struct {
	// Columns are all of the table's data columns in declaration order (partition columns are
	// not among them: the scan adds those).
	Columns []Column
	// Projection lists indexes into Columns to produce, in order. The record batches have
	// exactly these fields, typed as Columns says, all nullable. An empty projection still
	// yields batches that carry the row count (for count(*)).
	Projection []int
	// BatchSize is the most rows a batch may hold; 0 means DefaultBatchSize.
	BatchSize int
	// Alloc allocates the batches' buffers; nil means memory.DefaultAllocator.
	Alloc memory.Allocator
}

// DefaultBatchSize is the number of rows a reader puts in a batch unless asked otherwise.
const DefaultBatchSize = 8192

// Split is a unit of scan work within one file: a whole file, some Parquet row groups, or a
// byte range of a splittable text file.
type Split struct {
	Key       string // the object's URL
	Size      int64  // the object's size
	RowGroups []int  // Parquet/ORC: the row groups (stripes) to read; nil means all
	Rows      int64  // rows in the split when the format knows it cheaply, else -1
}

// RecordReader yields record batches. Next returns (nil, io.EOF) after the last batch. The
// caller owns each returned record and must Release it.
type RecordReader interface {
	Next(ctx context.Context) (arrow.Record, error)
	Close() error
}

// Format reads one file format.
type Format interface {
	// Name is the format's name as `STORED AS` and the `classification` parameter spell it.
	Name() string
	// Splits divides one object into units of parallel work.
	Splits(ctx context.Context, store objstore.Store, obj objstore.ObjectInfo, opts Options) ([]Split, error)
	// Open starts reading one split.
	Open(ctx context.Context, store objstore.Store, split Split, opts Options, req Request) (RecordReader, error)
}

// Registry maps format names to their readers. It is built explicitly by the binary (no init()
// registration).
type Registry struct {
	byName map[string]Format
}

// NewRegistry returns a registry of the given formats.
func NewRegistry(fs ...Format) *Registry {
	r := &Registry{byName: map[string]Format{}}
	for _, f := range fs {
		r.byName[f.Name()] = f
	}
	return r
}

// Get returns the format with the given name.
func (r *Registry) Get(name string) (Format, error) {
	f, ok := r.byName[name]
	if !ok {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "reading %q files is not supported yet", name)
	}
	return f, nil
}

// DataError is an error in a file's contents. It names the file and, for text formats, the
// 1-based line and column.
type DataError struct {
	Key    string
	Line   int64 // 0 when unknown
	Column int   // 1-based field number; 0 when unknown
	Msg    string
	Code   string // SQLSTATE; 22P02 for a bad value, XX001 for a corrupt file
}

func (e *DataError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.Key, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Key, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Msg)
}

// SQLError gives the data error its SQLSTATE, so pgwire can report it.
func (e *DataError) Unwrap() error {
	code := e.Code
	if code == "" {
		code = sqlerr.DataCorrupted
	}
	return sqlerr.New(code, "%s", e.Error())
}

// With returns a copy of the registry with f added (replacing a format of the same name), so
// a layer above can add formats of its own without changing the registry it was given.
func (r *Registry) With(f Format) *Registry {
	out := &Registry{byName: make(map[string]Format, len(r.byName)+1)}
	for k, v := range r.byName {
		out.byName[k] = v
	}
	out.byName[f.Name()] = f
	return out
}
