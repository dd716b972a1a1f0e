package parquet

import (
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// annotation is what a leaf's logical (or legacy converted) type says about its values.
type annotation uint8

const (
	annNone annotation = iota
	annString
	annEnum
	annJSON
	annBSON
	annUUID
	annDecimal
	annDate
	annTime
	annTimestamp
	annInt
	annFloat16
	annOther // a logical type Quarry does not read (INTERVAL, NULL, VARIANT, GEOMETRY, ...)
)

// timeUnit is the unit of a TIME or TIMESTAMP column.
type timeUnit uint8

const (
	unitMillis timeUnit = iota
	unitMicros
	unitNanos
)

// fileColumn is one top-level field of a Parquet file's schema.
type fileColumn struct {
	name     string
	index    int // column chunk index within a row group (the leaf's position in the schema)
	nested   bool
	physical format.Type
	typeLen  int // FIXED_LEN_BYTE_ARRAY width
	optional bool

	ann       annotation
	precision int32 // DECIMAL
	scale     int32
	unit      timeUnit // TIME, TIMESTAMP
	utc       bool
	bitWidth  int8 // INT(bits, signed)
	signed    bool

	desc string // "BYTE_ARRAY (STRING)", for messages
}

// fileColumns lists the top-level fields of a file's schema in order. A group or a repeated
// field is listed as nested; its leaves are counted so that the leaves after it get the
// right column chunk index.
func fileColumns(md *format.FileMetaData) ([]fileColumn, error) {
	s := md.Schema
	if len(s) == 0 {
		return nil, fmt.Errorf("empty schema")
	}
	children := int(s[0].NumChildren.V)
	cols := make([]fileColumn, 0, min(children, len(s)))
	i, leaf := 1, 0
	for c := 0; c < children; c++ {
		if i >= len(s) {
			return nil, fmt.Errorf("schema ends inside the root group")
		}
		e := &s[i]
		if e.Type.Valid { // parquet-go's rule too: an element with a type is a leaf
			if e.Type.V < format.Boolean || e.Type.V > format.FixedLenByteArray {
				return nil, fmt.Errorf("column %q has unknown physical type %d", e.Name, e.Type.V)
			}
			fc := leafColumn(e, leaf)
			cols = append(cols, fc)
			i++
			leaf++
			continue
		}
		// A group: skip its subtree, counting leaves.
		start := i
		for pending := 1; pending > 0; pending-- {
			if i >= len(s) {
				return nil, fmt.Errorf("schema ends inside group %q", e.Name)
			}
			if s[i].Type.Valid {
				leaf++
			} else if n := s[i].NumChildren.V; n > 0 {
				pending += int(n)
			}
			i++
		}
		cols = append(cols, fileColumn{name: e.Name, index: -1, nested: true, desc: groupDesc(e, i-start)})
	}
	return cols, nil
}

func groupDesc(e *format.SchemaElement, n int) string {
	switch {
	case e.LogicalType.Value != nil:
		return e.LogicalType.Value.String()
	case e.ConvertedType.Valid && e.ConvertedType.V == deprecated.List:
		return "LIST"
	case e.ConvertedType.Valid && (e.ConvertedType.V == deprecated.Map || e.ConvertedType.V == deprecated.MapKeyValue):
		return "MAP"
	}
	return fmt.Sprintf("a group of %d elements", n-1)
}

// leafColumn describes a top-level primitive field.
func leafColumn(e *format.SchemaElement, index int) fileColumn {
	fc := fileColumn{
		name:     e.Name,
		index:    index,
		physical: e.Type.V,
		typeLen:  int(e.TypeLength.V),
		optional: e.RepetitionType.V == format.Optional,
		nested:   e.RepetitionType.V == format.Repeated, // a repeated primitive is a list
	}
	logical := ""
	switch lt := e.LogicalType.Value.(type) {
	case nil:
		if e.ConvertedType.Valid {
			logical = fc.converted(e)
		}
	case *format.StringType:
		fc.ann = annString
	case *format.EnumType:
		fc.ann = annEnum
	case *format.JsonType:
		fc.ann = annJSON
	case *format.BsonType:
		fc.ann = annBSON
	case *format.UUIDType:
		fc.ann = annUUID
	case *format.Float16Type:
		fc.ann = annFloat16
	case *format.DateType:
		fc.ann = annDate
	case *format.DecimalType:
		fc.ann, fc.precision, fc.scale = annDecimal, lt.Precision, lt.Scale
	case *format.TimeType:
		fc.ann, fc.unit, fc.utc = annTime, unitOf(&lt.Unit), lt.IsAdjustedToUTC
	case *format.TimestampType:
		fc.ann, fc.unit, fc.utc = annTimestamp, unitOf(&lt.Unit), lt.IsAdjustedToUTC
	case *format.IntType:
		fc.ann, fc.bitWidth, fc.signed = annInt, lt.BitWidth, lt.IsSigned
	default:
		fc.ann = annOther
	}
	if logical == "" && e.LogicalType.Value != nil {
		logical = e.LogicalType.Value.String()
		if i := strings.IndexByte(logical, '('); len(logical) > 48 && i > 0 {
			logical = logical[:i] + "(...)" // GEOMETRY and GEOGRAPHY carry whole CRS documents
		}
	}
	fc.desc = e.Type.V.String()
	if fc.physical == format.FixedLenByteArray {
		fc.desc = fmt.Sprintf("FIXED_LEN_BYTE_ARRAY(%d)", fc.typeLen)
	}
	if logical != "" {
		fc.desc += " (" + logical + ")"
	}
	if fc.nested {
		fc.desc = "repeated " + fc.desc
	}
	return fc
}

func unitOf(u *format.TimeUnit) timeUnit {
	switch u.Value.(type) {
	case *format.MilliSeconds:
		return unitMillis
	case *format.NanoSeconds:
		return unitNanos
	}
	return unitMicros
}

// converted fills the annotation from a legacy converted type and returns its name.
func (fc *fileColumn) converted(e *format.SchemaElement) string {
	intType := func(bits int8, signed bool) {
		fc.ann, fc.bitWidth, fc.signed = annInt, bits, signed
	}
	switch ct := e.ConvertedType.V; ct {
	case deprecated.UTF8:
		fc.ann = annString
		return "UTF8"
	case deprecated.Enum:
		fc.ann = annEnum
		return "ENUM"
	case deprecated.Json:
		fc.ann = annJSON
		return "JSON"
	case deprecated.Bson:
		fc.ann = annBSON
		return "BSON"
	case deprecated.Decimal:
		fc.ann, fc.precision, fc.scale = annDecimal, e.Precision.V, e.Scale.V
		return fmt.Sprintf("DECIMAL(%d,%d)", fc.precision, fc.scale)
	case deprecated.Date:
		fc.ann = annDate
		return "DATE"
	case deprecated.TimeMillis, deprecated.TimeMicros:
		fc.ann, fc.unit, fc.utc = annTime, unitMillis, true
		if ct == deprecated.TimeMicros {
			fc.unit = unitMicros
			return "TIME_MICROS"
		}
		return "TIME_MILLIS"
	case deprecated.TimestampMillis, deprecated.TimestampMicros:
		fc.ann, fc.unit, fc.utc = annTimestamp, unitMillis, true
		if ct == deprecated.TimestampMicros {
			fc.unit = unitMicros
			return "TIMESTAMP_MICROS"
		}
		return "TIMESTAMP_MILLIS"
	case deprecated.Int8, deprecated.Int16, deprecated.Int32, deprecated.Int64:
		bits := [...]int8{8, 16, 32, 64}[ct-deprecated.Int8]
		intType(bits, true)
		return fmt.Sprintf("INT_%d", bits)
	case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32, deprecated.Uint64:
		bits := [...]int8{8, 16, 32, 64}[ct-deprecated.Uint8]
		intType(bits, false)
		return fmt.Sprintf("UINT_%d", bits)
	case deprecated.Interval:
		fc.ann = annOther
		return "INTERVAL"
	}
	fc.ann = annOther
	return fmt.Sprintf("converted type %d", e.ConvertedType.V)
}

// findColumn returns the index of the file column a table column reads, or -1. Athena matches
// Parquet columns by name, ignoring case; an exact match wins over a case-folded one so that
// a file with both "a" and "A" still reads each.
func findColumn(cols []fileColumn, name string) int {
	for i := range cols {
		if cols[i].name == name {
			return i
		}
	}
	for i := range cols {
		if strings.EqualFold(cols[i].name, name) {
			return i
		}
	}
	return -1
}
