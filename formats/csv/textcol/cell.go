package textcol

// Cell is one field of one record: a byte range of the Source's window and what the tokenizer
// learnt about it. Cells of a chunk are stored row-major, one per projected field.
type Cell struct {
	Start, End int32
	Flags      uint8
}

// Cell flags.
const (
	// Missing marks a field the record does not have (a short CSV line, an absent JSON key).
	Missing uint8 = 1 << iota
	// Null marks an explicit null (JSON null).
	Null
	// Quoted marks a CSV field that was quoted: it is never the NULL marker.
	Quoted
	// Decode says the bytes are not the value yet (quotes, escapes): Input.Decode makes it.
	Decode
	// Number marks a JSON number, which may go into an integer column as 1.0 or 1e3.
	Number
	// Nested marks a JSON object or array: only string columns take it, as JSON text.
	Nested
)

// MissingCell is the cell of a field a record lacks.
var MissingCell = Cell{Flags: Missing}

// Input is a chunk of records to append to one column.
type Input struct {
	Buf    []byte // the window the cells point into
	Cells  []Cell // Rows × Stride cells, row-major
	Stride int
	Slot   int // which cell of each row is this column's
	Rows   int

	// NullMarker is the text of a NULL (`serialization.null.format`), compared with the raw
	// bytes of unquoted cells, as Hive compares it before unescaping.
	NullMarker    []byte
	HasNullMarker bool
	// Decode turns the raw bytes of a cell flagged Decode into its value, appending to dst.
	Decode func(dst, raw []byte) []byte
	// ValidUTF8 says the whole window is valid UTF-8, so strings need no per-value check.
	ValidUTF8 bool
	// InvalidAsNull turns values that do not parse into NULLs instead of errors
	// (`use.null.for.invalid.data`).
	InvalidAsNull bool

	markerLen int // len(NullMarker), or -1 without one; set by prepare
	scratch   []byte
}

// plain returns row r's bytes and true when they can be parsed as they are: not NULL-ish,
// not empty, not to be decoded, and not the NULL marker. Otherwise the caller goes through
// value. It is small enough to inline into every column loop.
func (in *Input) plain(r int) ([]byte, bool) {
	c := in.Cells[r*in.Stride+in.Slot]
	b := in.Buf[c.Start:c.End]
	return b, c.Flags == 0 && len(b) != 0 && len(b) != in.markerLen
}

// prepare readies the fast-path fields after the input's options are set.
func (in *Input) prepare() {
	in.markerLen = -1
	if in.HasNullMarker {
		in.markerLen = len(in.NullMarker)
	}
}

// value returns row r's text, or ok=false for NULL. For a non-string column an empty value
// is NULL too (Hive: an empty field of a numeric column reads as NULL).
func (in *Input) value(r int, forString bool) (b []byte, flags uint8, ok bool) {
	c := in.Cells[r*in.Stride+in.Slot]
	if c.Flags&(Missing|Null) != 0 {
		return nil, c.Flags, false
	}
	b = in.Buf[c.Start:c.End]
	if in.HasNullMarker && c.Flags&Quoted == 0 && string(b) == string(in.NullMarker) {
		return nil, c.Flags, false
	}
	if c.Flags&Decode != 0 {
		in.scratch = in.Decode(in.scratch[:0], b)
		b = in.scratch
	}
	if !forString && len(b) == 0 {
		return nil, c.Flags, false
	}
	return b, c.Flags, true
}
