package function

import (
	"fmt"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// The data errors kernels raise, with PostgreSQL's codes and message texts, so that clients
// and tests comparing against PostgreSQL see the same thing.

func errDivisionByZero() error { return sqlerr.New(sqlerr.DivisionByZero, "division by zero") }

// errOutOfRange is PostgreSQL's "integer out of range" family for the integer kinds.
func errOutOfRange(k types.Kind) error {
	switch k {
	case types.Int16:
		return sqlerr.New(sqlerr.NumericValueOutOfRange, "smallint out of range")
	case types.Int32:
		return sqlerr.New(sqlerr.NumericValueOutOfRange, "integer out of range")
	case types.Int64:
		return sqlerr.New(sqlerr.NumericValueOutOfRange, "bigint out of range")
	case types.Float32, types.Float64:
		return sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
	case types.Date:
		return sqlerr.New(sqlerr.DatetimeFieldOverflow, "date out of range")
	case types.Timestamp, types.TimestampTZ:
		return sqlerr.New(sqlerr.DatetimeFieldOverflow, "timestamp out of range")
	case types.Interval:
		return sqlerr.New(sqlerr.DatetimeFieldOverflow, "interval out of range")
	}
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range")
}

func errFloatUnderflow() error {
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: underflow")
}

// errNumericOverflow is the DECIMAL overflow error; with a target type it carries
// PostgreSQL's detail about the precision.
func errNumericOverflow(t types.T) error {
	e := sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow")
	if t.Kind == types.Decimal && t.Precision > 0 {
		d := t.Precision - t.Scale
		if d > 0 {
			return e.WithDetail(fmt.Sprintf("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", t.Precision, t.Scale, d))
		}
		return e.WithDetail(fmt.Sprintf("A field with precision %d, scale %d must round to an absolute value less than 1.", t.Precision, t.Scale))
	}
	return e
}

// errSyntax is 22P02 invalid input syntax for type <name>.
func errSyntax(t types.T, s string) error {
	return sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", inputTypeName(t), s)
}

// errDatetimeSyntax is 22007 invalid input syntax for a date/time type.
func errDatetimeSyntax(t types.T, s string) error {
	return sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", inputTypeName(t), s)
}

// errDatetimeRange is 22008 date/time field value out of range.
func errDatetimeRange(s string) error {
	return sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
}

// errValueRange is 22003 value "x" is out of range for type <name>.
func errValueRange(t types.T, s string) error {
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, inputTypeName(t))
}

// inputTypeName is the type name PostgreSQL uses in input errors (numeric without typmod).
func inputTypeName(t types.T) string {
	switch t.Kind {
	case types.Decimal:
		return "numeric"
	case types.Varchar:
		return "text"
	}
	return t.PGName()
}

func newErr22003(msg string) error { return sqlerr.New(sqlerr.NumericValueOutOfRange, "%s", msg) }
