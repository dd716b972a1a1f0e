package textcol

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
)

// Tokenizer finds the records of one text format in a Source's window.
type Tokenizer interface {
	// Tokenize finds up to max complete records in src.Buf[src.Pos:src.End], writes each one's
	// cells (Config.Stride per record, in slot order) and its first 1-based physical line, and
	// advances src.Pos past them. It returns 0 when no complete record is in the window; at
	// src.EOF() it must take the last record too, newline or not.
	Tokenize(src *Source, max int, cells []Cell, lines []int64) (int, error)
	// Decode turns the raw bytes of a cell flagged Decode into its value, appending to dst.
	Decode(dst, raw []byte) []byte
	// Line is the number of physical lines consumed so far.
	Line() int64
}

// Config says what a Reader produces.
type Config struct {
	Columns    []formats.Column // the table's data columns
	Projection []int            // indexes into Columns to produce, in order
	Slots      []int            // for each projection entry, its cell within a record
	Stride     int              // cells per record
	BatchSize  int
	Alloc      memory.Allocator

	NullMarker    []byte
	HasNullMarker bool
	InvalidAsNull bool
}

// chunkRows is how many records are tokenized before their columns are converted: enough to
// amortise the per-column loop set-up, few enough that the cells stay in the L1/L2 cache.
const chunkRows = 512

// Reader turns a tokenized text file into record batches. It is a formats.RecordReader.
type Reader struct {
	src    *Source
	tok    Tokenizer
	cfg    Config
	schema *arrow.Schema
	cols   []*Column
	cells  []Cell
	lines  []int64
	in     Input
	err    error
	done   bool
}

// NewReader returns a reader of src's records, which it closes when it is closed.
func NewReader(src *Source, tok Tokenizer, cfg Config) (*Reader, error) {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = formats.DefaultBatchSize
	}
	if cfg.Alloc == nil {
		cfg.Alloc = memory.DefaultAllocator
	}
	fields := make([]arrow.Field, len(cfg.Projection))
	cols := make([]*Column, len(cfg.Projection))
	for k, i := range cfg.Projection {
		if i < 0 || i >= len(cfg.Columns) {
			return nil, sqlerr.New(sqlerr.InternalError, "projection index %d out of range of %d columns", i, len(cfg.Columns))
		}
		c := cfg.Columns[i]
		col, err := NewColumn(c.Type, cfg.Alloc)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
		cols[k] = col
		fields[k] = arrow.Field{Name: c.Name, Type: col.dt, Nullable: true}
	}
	chunk := min(chunkRows, cfg.BatchSize)
	return &Reader{
		src:    src,
		tok:    tok,
		cfg:    cfg,
		schema: arrow.NewSchema(fields, nil),
		cols:   cols,
		cells:  make([]Cell, chunk*cfg.Stride),
		lines:  make([]int64, chunk),
		in: Input{
			Stride:        cfg.Stride,
			NullMarker:    cfg.NullMarker,
			HasNullMarker: cfg.HasNullMarker,
			InvalidAsNull: cfg.InvalidAsNull,
			Decode:        tok.Decode,
		},
	}, nil
}

// Schema is the schema of every batch.
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch of at most BatchSize rows, or io.EOF after the last. After an
// error every call returns that error.
func (r *Reader) Next(ctx context.Context) (arrow.Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.done {
		return nil, io.EOF
	}
	for _, c := range r.cols {
		c.reset(r.cfg.BatchSize)
	}
	n := 0
	for n < r.cfg.BatchSize {
		if err := ctx.Err(); err != nil {
			return nil, r.fail(err)
		}
		got, err := r.tok.Tokenize(r.src, min(len(r.lines), r.cfg.BatchSize-n), r.cells, r.lines)
		if err != nil {
			// The records before a broken one come first in the file, so a bad value among
			// them is the error to report.
			if cerr := r.convert(got); cerr != nil {
				err = cerr
			}
			return nil, r.fail(err)
		}
		if got == 0 {
			if r.src.EOF() {
				r.done = true
				break
			}
			if err := r.src.Fill(); err != nil {
				if errors.Is(err, errRecordTooLong) {
					err = &formats.DataError{Key: r.src.Key, Line: r.tok.Line() + 1, Code: sqlerr.ProgramLimitExceeded,
						Msg: fmt.Sprintf("record is longer than %d bytes (an unterminated quoted field?)", recordLimit)}
				}
				return nil, r.fail(err)
			}
			continue
		}
		if err := r.convert(got); err != nil {
			return nil, r.fail(err)
		}
		n += got
	}
	if n == 0 {
		r.releaseCols()
		return nil, io.EOF
	}
	arrs := make([]arrow.Array, len(r.cols))
	for k, c := range r.cols {
		arrs[k] = c.finish()
	}
	rec := array.NewRecordBatch(r.schema, arrs, int64(n))
	for _, a := range arrs {
		a.Release()
	}
	return rec, nil
}

// convert appends a tokenized chunk of rows to every column. Columns are converted one at a
// time, so after a bad value the others are still converted up to its row: the error
// reported is the first in the file (lowest line, then lowest column), whatever the chunking.
func (r *Reader) convert(rows int) error {
	in := &r.in
	in.Buf, in.Cells, in.Rows, in.ValidUTF8 = r.src.Buf, r.cells, rows, r.src.ValidUTF8()
	var first *ValueError
	firstCol := 0
	for k, c := range r.cols {
		in.Slot = r.cfg.Slots[k]
		e := c.Append(in)
		if e == nil {
			continue
		}
		col := r.cfg.Projection[k] + 1
		if first == nil || e.Row < first.Row || (e.Row == first.Row && col < firstCol) {
			first, firstCol = e, col
			in.Rows = e.Row + 1 // later columns need only be checked up to here
		}
	}
	if first != nil {
		return &formats.DataError{Key: r.src.Key, Line: r.lines[first.Row], Column: firstCol, Msg: first.Msg, Code: first.Code}
	}
	return nil
}

func (r *Reader) fail(err error) error {
	r.releaseCols()
	r.err = err
	return err
}

func (r *Reader) releaseCols() {
	for _, c := range r.cols {
		c.release()
	}
}

// Close releases the reader's buffers and closes the file.
func (r *Reader) Close() error {
	r.releaseCols()
	if r.err == nil {
		r.err = errors.New("reader is closed")
	}
	return r.src.Close()
}
