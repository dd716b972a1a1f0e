// Package types is Quarry's SQL type system: the types a column or expression can have, their
// names in the Postgres, Trino/Athena and Hive dialects, their PostgreSQL OIDs, and the Arrow
// type that holds their values in memory.
//
// It is a leaf: it imports Arrow and nothing of Quarry's.
package types

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind is the family of a type.
type Kind uint8

// The kinds Quarry knows. Unknown is the type of an untyped NULL or string literal before
// coercion.
const (
	Unknown Kind = iota
	Bool
	Int16
	Int32
	Int64
	Float32
	Float64
	Decimal
	Varchar
	Bytea
	Date
	Time
	Timestamp
	TimestampTZ
	Interval
	JSON
	UUID
	Array
	Map
	Struct
)

// T is a SQL type. It is a small value; compare with Equal.
type T struct {
	Kind      Kind
	Precision int32 // Decimal precision; Varchar length (0 = unbounded)
	Scale     int32 // Decimal scale
	Elem      *T    // Array element, Map value
	Key       *T    // Map key
	Fields    []Field
	// Reg marks an Int64 as oid or a reg* type (reg.go); on a Varchar, a reg* value already
	// rendered to its name for the client. RegNone everywhere else.
	Reg Reg
}

// Field is a named member of a Struct type.
type Field struct {
	Name string
	Type T
}

// Convenient values for the scalar types.
var (
	UnknownT     = T{Kind: Unknown}
	BoolT        = T{Kind: Bool}
	Int16T       = T{Kind: Int16}
	Int32T       = T{Kind: Int32}
	Int64T       = T{Kind: Int64}
	Float32T     = T{Kind: Float32}
	Float64T     = T{Kind: Float64}
	VarcharT     = T{Kind: Varchar}
	ByteaT       = T{Kind: Bytea}
	DateT        = T{Kind: Date}
	TimeT        = T{Kind: Time}
	TimestampT   = T{Kind: Timestamp}
	TimestampTZT = T{Kind: TimestampTZ}
	IntervalT    = T{Kind: Interval}
	JSONT        = T{Kind: JSON}
	UUIDT        = T{Kind: UUID}
)

// MaxDecimalPrecision is the largest DECIMAL precision Quarry computes exactly (Arrow's
// Decimal128).
const MaxDecimalPrecision = 38

// DecimalT returns DECIMAL(p, s).
func DecimalT(p, s int32) T { return T{Kind: Decimal, Precision: p, Scale: s} }

// ArrayT returns an array of elem.
func ArrayT(elem T) T { return T{Kind: Array, Elem: &elem} }

// Equal reports whether a and b are the same type, parameters included.
func (t T) Equal(o T) bool {
	if t.Kind != o.Kind || t.Precision != o.Precision || t.Scale != o.Scale || t.Reg != o.Reg {
		return false
	}
	if (t.Elem == nil) != (o.Elem == nil) || (t.Elem != nil && !t.Elem.Equal(*o.Elem)) {
		return false
	}
	if (t.Key == nil) != (o.Key == nil) || (t.Key != nil && !t.Key.Equal(*o.Key)) {
		return false
	}
	if len(t.Fields) != len(o.Fields) {
		return false
	}
	for i := range t.Fields {
		if t.Fields[i].Name != o.Fields[i].Name || !t.Fields[i].Type.Equal(o.Fields[i].Type) {
			return false
		}
	}
	return true
}

// IsNumeric reports whether t is an integer, float or decimal type.
func (t T) IsNumeric() bool {
	switch t.Kind {
	case Int16, Int32, Int64, Float32, Float64, Decimal:
		return true
	}
	return false
}

// IsInteger reports whether t is one of the integer types.
func (t T) IsInteger() bool { return t.Kind == Int16 || t.Kind == Int32 || t.Kind == Int64 }

// IsFloat reports whether t is a binary floating-point type.
func (t T) IsFloat() bool { return t.Kind == Float32 || t.Kind == Float64 }

// IsTemporal reports whether t is a date, time or timestamp type.
func (t T) IsTemporal() bool {
	switch t.Kind {
	case Date, Time, Timestamp, TimestampTZ:
		return true
	}
	return false
}

// String returns the type's name as PostgreSQL's format_type prints it.
func (t T) String() string { return t.PGName() }

// PGName returns the type's name in PostgreSQL (as format_type shows it).
func (t T) PGName() string {
	if t.Reg != RegNone {
		return t.Reg.Name()
	}
	switch t.Kind {
	case Unknown:
		return "unknown"
	case Bool:
		return "boolean"
	case Int16:
		return "smallint"
	case Int32:
		return "integer"
	case Int64:
		return "bigint"
	case Float32:
		return "real"
	case Float64:
		return "double precision"
	case Decimal:
		if t.Precision == 0 {
			return "numeric"
		}
		return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
	case Varchar:
		if t.Precision > 0 {
			return fmt.Sprintf("character varying(%d)", t.Precision)
		}
		return "text"
	case Bytea:
		return "bytea"
	case Date:
		return "date"
	case Time:
		return "time without time zone"
	case Timestamp:
		return "timestamp without time zone"
	case TimestampTZ:
		return "timestamp with time zone"
	case Interval:
		return "interval"
	case JSON:
		return "json"
	case UUID:
		return "uuid"
	case Array:
		return t.Elem.PGName() + "[]"
	case Map:
		return fmt.Sprintf("map(%s, %s)", t.Key.PGName(), t.Elem.PGName())
	case Struct:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Name + " " + f.Type.PGName()
		}
		return "row(" + strings.Join(parts, ", ") + ")"
	}
	return "unknown"
}

// HiveName returns the type's name as the Glue catalog and Hive DDL write it.
func (t T) HiveName() string {
	switch t.Kind {
	case Bool:
		return "boolean"
	case Int16:
		return "smallint"
	case Int32:
		return "int"
	case Int64:
		return "bigint"
	case Float32:
		return "float"
	case Float64:
		return "double"
	case Decimal:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	case Varchar:
		if t.Precision > 0 {
			return fmt.Sprintf("varchar(%d)", t.Precision)
		}
		return "string"
	case Bytea:
		return "binary"
	case Date:
		return "date"
	case Time:
		return "string" // Hive has no TIME type
	case Timestamp, TimestampTZ:
		return "timestamp"
	case Interval:
		return "string"
	case JSON, UUID:
		return "string"
	case Array:
		return "array<" + t.Elem.HiveName() + ">"
	case Map:
		return "map<" + t.Key.HiveName() + "," + t.Elem.HiveName() + ">"
	case Struct:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Name + ":" + f.Type.HiveName()
		}
		return "struct<" + strings.Join(parts, ",") + ">"
	}
	return "string"
}

// Arrow returns the Arrow type that holds values of t in memory.
func (t T) Arrow() arrow.DataType {
	switch t.Kind {
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case Int16:
		return arrow.PrimitiveTypes.Int16
	case Int32:
		return arrow.PrimitiveTypes.Int32
	case Int64:
		return arrow.PrimitiveTypes.Int64
	case Float32:
		return arrow.PrimitiveTypes.Float32
	case Float64:
		return arrow.PrimitiveTypes.Float64
	case Decimal:
		p := t.Precision
		if p == 0 {
			p = MaxDecimalPrecision
		}
		return &arrow.Decimal128Type{Precision: p, Scale: t.Scale}
	case Varchar, JSON, Unknown:
		return arrow.BinaryTypes.String
	case Bytea:
		return arrow.BinaryTypes.Binary
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Time:
		return arrow.FixedWidthTypes.Time64us
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case TimestampTZ:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case Interval:
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	case UUID:
		return &arrow.FixedSizeBinaryType{ByteWidth: 16}
	case Array:
		return arrow.ListOf(t.Elem.Arrow())
	case Map:
		return arrow.MapOf(t.Key.Arrow(), t.Elem.Arrow())
	case Struct:
		fs := make([]arrow.Field, len(t.Fields))
		for i, f := range t.Fields {
			fs[i] = arrow.Field{Name: f.Name, Type: f.Type.Arrow(), Nullable: true}
		}
		return arrow.StructOf(fs...)
	}
	return arrow.Null
}

// FromArrow returns the SQL type for an Arrow type, or an error for one Quarry cannot hold.
func FromArrow(dt arrow.DataType) (T, error) {
	switch d := dt.(type) {
	case *arrow.BooleanType:
		return BoolT, nil
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Uint8Type:
		return Int16T, nil
	case *arrow.Int32Type, *arrow.Uint16Type:
		return Int32T, nil
	case *arrow.Int64Type, *arrow.Uint32Type:
		return Int64T, nil
	case *arrow.Uint64Type:
		return DecimalT(20, 0), nil
	case *arrow.Float16Type, *arrow.Float32Type:
		return Float32T, nil
	case *arrow.Float64Type:
		return Float64T, nil
	case *arrow.Decimal128Type:
		return DecimalT(d.Precision, d.Scale), nil
	case *arrow.StringType, *arrow.LargeStringType, *arrow.StringViewType:
		return VarcharT, nil
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.BinaryViewType:
		return ByteaT, nil
	case *arrow.Date32Type, *arrow.Date64Type:
		return DateT, nil
	case *arrow.Time32Type, *arrow.Time64Type:
		return TimeT, nil
	case *arrow.TimestampType:
		if d.TimeZone != "" {
			return TimestampTZT, nil
		}
		return TimestampT, nil
	case *arrow.MonthDayNanoIntervalType:
		return IntervalT, nil
	case *arrow.FixedSizeBinaryType:
		if d.ByteWidth == 16 {
			return UUIDT, nil
		}
		return ByteaT, nil
	case *arrow.ListType:
		e, err := FromArrow(d.Elem())
		if err != nil {
			return T{}, err
		}
		return ArrayT(e), nil
	case *arrow.MapType:
		k, err := FromArrow(d.KeyType())
		if err != nil {
			return T{}, err
		}
		v, err := FromArrow(d.ItemType())
		if err != nil {
			return T{}, err
		}
		return T{Kind: Map, Key: &k, Elem: &v}, nil
	case *arrow.StructType:
		fs := make([]Field, d.NumFields())
		for i, f := range d.Fields() {
			ft, err := FromArrow(f.Type)
			if err != nil {
				return T{}, err
			}
			fs[i] = Field{Name: f.Name, Type: ft}
		}
		return T{Kind: Struct, Fields: fs}, nil
	case *arrow.NullType:
		return UnknownT, nil
	}
	return T{}, fmt.Errorf("unsupported Arrow type %s", dt)
}
