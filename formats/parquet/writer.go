package parquet

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/gzip"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// The writer turns Arrow record batches into one Parquet file, for CTAS and INSERT INTO.
// Every column is OPTIONAL (NULLs are allowed at the file level; NOT NULL is the engine's
// business, as in Hive and Athena), and each is written with the physical and logical type
// that Quarry's reader maps back to the same SQL type, so that a table written by Quarry
// reads back exactly:
//
//	boolean            BOOLEAN
//	smallint           INT32   INT(16, signed)
//	integer, bigint    INT32, INT64 (parquet-go adds INT(32/64, signed))
//	real, double       FLOAT, DOUBLE
//	decimal(p,s)       INT32 (p ≤ 9), INT64 (p ≤ 18), else FIXED_LEN_BYTE_ARRAY; DECIMAL(p,s)
//	varchar, text      BYTE_ARRAY STRING
//	json               BYTE_ARRAY JSON
//	bytea              BYTE_ARRAY
//	uuid               FIXED_LEN_BYTE_ARRAY(16) UUID
//	date               INT32 DATE
//	time               INT64 TIME(MICROS, isAdjustedToUTC=false)
//	timestamp          INT64 TIMESTAMP(MICROS, isAdjustedToUTC=false)
//	timestamptz        INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true)
//
// interval and the nested types have no writer yet (CheckWritable says so up front).
//
// Values reach parquet-go column by column through ColumnWriter.WriteRowValues, one typed
// loop per Arrow layout building parquet.Value structs (no interface boxing per value).

// DefaultRowGroupRows is the number of rows per row group unless asked otherwise: 120 Ki
// rows, the row group size DuckDB writes, large enough for good compression and statistics
// and small enough that a file of a few million rows still splits across cores.
const DefaultRowGroupRows = 122_880

// WriterOptions tune a Writer. The zero value is Quarry's default: zstd, 122,880-row row
// groups.
type WriterOptions struct {
	// RowGroupRows is the most rows a row group holds (0: DefaultRowGroupRows).
	RowGroupRows int
	// Compression is the codec: "zstd" (default), "snappy", "gzip" or "none"
	// ("uncompressed"), case-insensitively, as Athena's write_compression spells them.
	Compression string
	// CreatedBy names the writing application in the footer ("quarry" when empty).
	CreatedBy string
}

// CheckWritable reports whether a table with these columns can be written as Parquet: an
// error (FeatureNotSupported) names the first column whose type has no writer, so CTAS and
// INSERT can refuse before running their query.
func CheckWritable(cols []formats.Column) error {
	if len(cols) == 0 {
		return sqlerr.New(sqlerr.FeatureNotSupported, "a Parquet file needs at least one column")
	}
	for _, c := range cols {
		if _, err := leafNode(c.Type); err != nil {
			return sqlerr.New(sqlerr.FeatureNotSupported, "column %q: %v", c.Name, err)
		}
	}
	return nil
}

// Writer writes record batches as one Parquet file. Write may be called any number of times;
// Close writes the last row group and the footer. A Writer is not safe for concurrent use.
// Nothing written is valid Parquet until Close returns nil.
type Writer struct {
	w       *parquet.Writer
	cols    []formats.Column
	leaves  []leafWriter
	rgRows  int
	inGroup int // rows in the row group being built
	rows    int64
	vals    []parquet.Value // scratch, reused across columns and batches
	closed  bool
}

// NewWriter starts a Parquet file on out for a table with the given columns (names and SQL
// types, in order). The records passed to Write must have exactly these columns, with the
// Arrow types the SQL types map to (types.T.Arrow).
func NewWriter(out io.Writer, cols []formats.Column, opts WriterOptions) (w *Writer, err error) {
	if err := CheckWritable(cols); err != nil {
		return nil, err
	}
	codec, err := codecFor(opts.Compression)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(cols))
	fields := make(orderedGroup, len(cols))
	leaves := make([]leafWriter, len(cols))
	for i, c := range cols {
		if c.Name == "" || seen[strings.ToLower(c.Name)] {
			return nil, sqlerr.New(sqlerr.DuplicateColumn, "column name %q is empty or specified more than once", c.Name)
		}
		seen[strings.ToLower(c.Name)] = true
		node, _ := leafNode(c.Type) // checked by CheckWritable
		fields[i] = namedField{Node: parquet.Optional(node), name: c.Name}
		leaves[i] = leafWriterFor(c.Type)
	}
	createdBy := opts.CreatedBy
	if createdBy == "" {
		createdBy = "quarry"
	}
	rg := opts.RowGroupRows
	if rg <= 0 {
		rg = DefaultRowGroupRows
	}
	// parquet-go panics on a configuration it rejects; ours are fixed, but a panic must not
	// cross the package boundary.
	defer func() {
		if p := recover(); p != nil {
			w, err = nil, sqlerr.New(sqlerr.InternalError, "parquet writer: %v", p)
		}
	}()
	pw := parquet.NewWriter(out,
		parquet.NewSchema("schema", fields),
		parquet.Compression(codec),
		parquet.CreatedBy(createdBy, "", ""),
	)
	return &Writer{w: pw, cols: cols, leaves: leaves, rgRows: rg}, nil
}

// WriteRecords writes the records as one complete Parquet file on out (NewWriter, Write for
// each record, Close).
func WriteRecords(out io.Writer, cols []formats.Column, recs []arrow.Record, opts WriterOptions) error {
	w, err := NewWriter(out, cols, opts)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	return w.Close()
}

// Rows returns the number of rows written so far.
func (w *Writer) Rows() int64 { return w.rows }

// Write adds a batch's rows. The caller keeps ownership of rec: the values are copied into
// the writer's buffers before Write returns.
func (w *Writer) Write(rec arrow.Record) (err error) {
	if w.closed {
		return fmt.Errorf("parquet writer: Write after Close")
	}
	if int(rec.NumCols()) != len(w.cols) {
		return fmt.Errorf("parquet writer: batch has %d columns, the file %d", rec.NumCols(), len(w.cols))
	}
	for i, c := range w.cols {
		if got, want := rec.Column(i).DataType(), c.Type.Arrow(); !compatibleArrow(got, want) {
			return fmt.Errorf("parquet writer: column %q holds %s, not %s (%s)", c.Name, got, want, c.Type)
		}
	}
	defer recoverWrite(&err)
	n := int(rec.NumRows())
	for lo := 0; lo < n; {
		hi := min(n, lo+w.rgRows-w.inGroup)
		cws := w.w.ColumnWriters()
		for i, lw := range w.leaves {
			w.vals = lw(w.vals[:0], rec.Column(i), lo, hi, i)
			if _, err := cws[i].WriteRowValues(w.vals); err != nil {
				return fmt.Errorf("parquet writer: column %q: %w", w.cols[i].Name, err)
			}
		}
		clear(w.vals) // drop references to the batch's bytes
		w.inGroup += hi - lo
		w.rows += int64(hi - lo)
		lo = hi
		if w.inGroup == w.rgRows {
			if err := w.w.Flush(); err != nil {
				return fmt.Errorf("parquet writer: %w", err)
			}
			w.inGroup = 0
		}
	}
	return nil
}

// Close writes the last row group and the footer. It does not close the underlying writer.
// A file with no rows is valid: it has a schema and no row groups.
func (w *Writer) Close() (err error) {
	if w.closed {
		return nil
	}
	w.closed = true
	defer recoverWrite(&err)
	if err := w.w.Close(); err != nil {
		return fmt.Errorf("parquet writer: %w", err)
	}
	return nil
}

func recoverWrite(err *error) {
	if p := recover(); p != nil {
		*err = sqlerr.New(sqlerr.InternalError, "parquet writer: %v", p)
	}
}

// compatibleArrow reports whether a batch column of type got can be written for a table
// column whose Arrow type is want. Decimals need the same scale only: the precision of the
// Arrow type is a bound the values were checked against, and the file records the table's.
func compatibleArrow(got, want arrow.DataType) bool {
	if g, ok := got.(*arrow.Decimal128Type); ok {
		w, ok := want.(*arrow.Decimal128Type)
		return ok && g.Scale == w.Scale
	}
	return arrow.TypeEqual(got, want)
}

// CheckCompression reports whether name is a codec the writer knows (WriterOptions.Compression).
func CheckCompression(name string) error {
	_, err := codecFor(name)
	return err
}

func codecFor(name string) (compress.Codec, error) {
	switch strings.ToLower(name) {
	case "", "zstd":
		return &zstd.Codec{Level: zstd.SpeedDefault}, nil
	case "snappy":
		return &snappy.Codec{}, nil
	case "gzip":
		return &gzip.Codec{Level: gzip.DefaultCompression}, nil
	case "none", "uncompressed":
		return &uncompressed.Codec{}, nil
	}
	return nil, sqlerr.New(sqlerr.InvalidParameterValue, "Parquet compression %q is not supported (ZSTD, SNAPPY, GZIP, NONE are)", name)
}

// leafNode returns the Parquet leaf (without its repetition) that holds values of t.
func leafNode(t types.T) (parquet.Node, error) {
	switch t.Kind {
	case types.Bool:
		return parquet.Leaf(parquet.BooleanType), nil
	case types.Int16:
		return parquet.Int(16), nil
	case types.Int32:
		return parquet.Leaf(parquet.Int32Type), nil
	case types.Int64:
		return parquet.Leaf(parquet.Int64Type), nil
	case types.Float32:
		return parquet.Leaf(parquet.FloatType), nil
	case types.Float64:
		return parquet.Leaf(parquet.DoubleType), nil
	case types.Decimal:
		p, s := decimalPS(t)
		if p < 1 || p > types.MaxDecimalPrecision || s < 0 || s > p {
			return nil, fmt.Errorf("DECIMAL(%d,%d) cannot be written", p, s)
		}
		switch {
		case p <= 9:
			return parquet.Decimal(int(s), int(p), parquet.Int32Type), nil
		case p <= 18:
			return parquet.Decimal(int(s), int(p), parquet.Int64Type), nil
		}
		return parquet.Decimal(int(s), int(p), parquet.FixedLenByteArrayType(decimalBytes(p))), nil
	case types.Varchar, types.Unknown:
		return parquet.String(), nil
	case types.JSON:
		return parquet.JSON(), nil
	case types.Bytea:
		return parquet.Leaf(parquet.ByteArrayType), nil
	case types.UUID:
		return parquet.UUID(), nil
	case types.Date:
		return parquet.Date(), nil
	case types.Time:
		return parquet.TimeAdjusted(parquet.Microsecond, false), nil
	case types.Timestamp:
		return parquet.TimestampAdjusted(parquet.Microsecond, false), nil
	case types.TimestampTZ:
		return parquet.TimestampAdjusted(parquet.Microsecond, true), nil
	}
	return nil, fmt.Errorf("writing %s values to Parquet is not supported yet", t)
}

// decimalPS returns a decimal type's precision (38 for an unconstrained numeric) and scale.
func decimalPS(t types.T) (int32, int32) {
	if t.Precision == 0 {
		return types.MaxDecimalPrecision, t.Scale
	}
	return t.Precision, t.Scale
}

// decimalBytes is the smallest FIXED_LEN_BYTE_ARRAY width that holds every unscaled value of
// precision p in two's complement: the largest n-byte value, 2^(8n-1)-1, has
// floor((8n-1)·log10 2) full decimal digits (a power of two is never a power of ten, so the
// floor is exact).
func decimalBytes(p int32) int {
	for n := 1; n < 16; n++ {
		if int32(float64(8*n-1)*math.Log10(2)) >= p {
			return n
		}
	}
	return 16
}

// A leafWriter appends the parquet values of rows [lo, hi) of one Arrow column to dst, with
// the definition levels of an OPTIONAL top-level column (1 for a value, 0 for NULL).
type leafWriter func(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value

func leafWriterFor(t types.T) leafWriter {
	switch t.Kind {
	case types.Bool:
		return writeBools
	case types.Int16:
		return writeFixed[int16](parquet.Int32Value)
	case types.Int32, types.Date:
		return writeFixed[int32](parquet.Int32Value)
	case types.Int64, types.Time, types.Timestamp, types.TimestampTZ:
		return writeFixed[int64](parquet.Int64Value)
	case types.Float32:
		return writeFixed[float32](parquet.FloatValue)
	case types.Float64:
		return writeFixed[float64](parquet.DoubleValue)
	case types.Decimal:
		p, _ := decimalPS(t)
		return decimalWriter(p)
	case types.UUID:
		return writeFixedBinary
	}
	return writeBytes // varchar, json, bytea
}

// nullAt appends a NULL at definition level 0.
func nullAt(dst []parquet.Value, col int) []parquet.Value {
	return append(dst, parquet.NullValue().Level(0, 0, col))
}

// writeFixed builds the writer of a fixed-width Arrow column whose values mk turns into
// parquet values. The type parameter is the Arrow value type (int16, int32 for Date32, ...),
// read straight from the array's buffer.
func writeFixed[T int16 | int32 | int64 | float32 | float64, P int32 | int64 | float32 | float64](mk func(P) parquet.Value) leafWriter {
	return func(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value {
		vals := fixedSlice[T](a)
		for i := lo; i < hi; i++ {
			if a.IsNull(i) {
				dst = nullAt(dst, col)
				continue
			}
			dst = append(dst, mk(P(vals[i])).Level(0, 1, col))
		}
		return dst
	}
}

// fixedSlice returns the values of a fixed-width array as a []T view of its data buffer
// (its offset applied); T has the width of the Arrow type (int32 for Date32, int64 for
// Time64 and Timestamp).
func fixedSlice[T int16 | int32 | int64 | float32 | float64](a arrow.Array) []T {
	d := a.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || d.Len() == 0 {
		return nil
	}
	return arrow.GetData[T](bufs[1].Bytes())[d.Offset() : d.Offset()+d.Len()]
}

func writeBools(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value {
	b := a.(*array.Boolean)
	for i := lo; i < hi; i++ {
		if b.IsNull(i) {
			dst = nullAt(dst, col)
			continue
		}
		dst = append(dst, parquet.BooleanValue(b.Value(i)).Level(0, 1, col))
	}
	return dst
}

// writeBytes writes string, JSON and binary columns; the values point into the array's
// buffer, which parquet-go copies before WriteRowValues returns.
func writeBytes(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value {
	switch b := a.(type) {
	case *array.String:
		// Byte views of the values without a string conversion: offsets are absolute
		// positions in the data buffer.
		var data []byte
		if bufs := b.Data().Buffers(); len(bufs) > 2 && bufs[2] != nil {
			data = bufs[2].Bytes()
		}
		offs := b.ValueOffsets() // the array's own offsets: offs[i] is row i's start
		for i := lo; i < hi; i++ {
			if b.IsNull(i) {
				dst = nullAt(dst, col)
				continue
			}
			dst = append(dst, parquet.ByteArrayValue(data[offs[i]:offs[i+1]]).Level(0, 1, col))
		}
	case *array.Binary:
		for i := lo; i < hi; i++ {
			if b.IsNull(i) {
				dst = nullAt(dst, col)
				continue
			}
			dst = append(dst, parquet.ByteArrayValue(b.Value(i)).Level(0, 1, col))
		}
	}
	return dst
}

func writeFixedBinary(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value {
	b := a.(*array.FixedSizeBinary)
	for i := lo; i < hi; i++ {
		if b.IsNull(i) {
			dst = nullAt(dst, col)
			continue
		}
		dst = append(dst, parquet.FixedLenByteArrayValue(b.Value(i)).Level(0, 1, col))
	}
	return dst
}

// decimalWriter writes DECIMAL(p, s) values as the physical type leafNode chose for p.
func decimalWriter(p int32) leafWriter {
	switch {
	case p <= 9:
		return func(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value {
			d := a.(*array.Decimal128)
			for i := lo; i < hi; i++ {
				if d.IsNull(i) {
					dst = nullAt(dst, col)
					continue
				}
				dst = append(dst, parquet.Int32Value(int32(d.Value(i).LowBits())).Level(0, 1, col))
			}
			return dst
		}
	case p <= 18:
		return func(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value {
			d := a.(*array.Decimal128)
			for i := lo; i < hi; i++ {
				if d.IsNull(i) {
					dst = nullAt(dst, col)
					continue
				}
				dst = append(dst, parquet.Int64Value(int64(d.Value(i).LowBits())).Level(0, 1, col))
			}
			return dst
		}
	}
	width := decimalBytes(p)
	return func(dst []parquet.Value, a arrow.Array, lo, hi, col int) []parquet.Value {
		d := a.(*array.Decimal128)
		// One buffer for the batch's big-endian values: the parquet values point into it
		// until WriteRowValues has copied them.
		buf := make([]byte, (hi-lo)*width)
		var be [16]byte
		for i := lo; i < hi; i++ {
			if d.IsNull(i) {
				dst = nullAt(dst, col)
				continue
			}
			v := d.Value(i)
			binary.BigEndian.PutUint64(be[:8], uint64(v.HighBits()))
			binary.BigEndian.PutUint64(be[8:], v.LowBits())
			// The value fits in width bytes, so the dropped leading bytes are sign copies.
			out := buf[(i-lo)*width : (i-lo+1)*width]
			copy(out, be[16-width:])
			dst = append(dst, parquet.FixedLenByteArrayValue(out).Level(0, 1, col))
		}
		return dst
	}
}

// orderedGroup is the file's root: a group whose fields keep the table's column order
// (parquet.Group is a map and would sort them by name).
type orderedGroup []parquet.Field

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return fmt.Sprintf("group(%d fields)", len(g)) }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Fields() []parquet.Field     { return g }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return reflect.TypeOf(map[string]any(nil)) }

// namedField is one column of an orderedGroup.
type namedField struct {
	parquet.Node
	name string
}

func (f namedField) Name() string                           { return f.name }
func (f namedField) Value(base reflect.Value) reflect.Value { return reflect.Value{} }
