package function

import "github.com/quarrydb/quarry/types"

// Type coercion: what the binder may insert without being asked (ImplicitCast), and the
// common type of expressions that must agree (CommonType: CASE branches, COALESCE, UNION
// columns, IN lists, comparison operands). The numeric ladder is
//
//	smallint < integer < bigint < numeric < real < double precision
//
// where an integer joins a DECIMAL as numeric(5,0), numeric(10,0) or numeric(19,0), and
// anything joined with a float becomes a float (double, unless both are real).

// numericRank orders the numeric kinds along the promotion ladder.
func numericRank(k types.Kind) int {
	switch k {
	case types.Int16:
		return 1
	case types.Int32:
		return 2
	case types.Int64:
		return 3
	case types.Decimal:
		return 4
	case types.Float32:
		return 5
	case types.Float64:
		return 6
	}
	return 0
}

// asDecimal returns the DECIMAL type that holds every value of an integer or decimal type
// exactly.
func asDecimal(t types.T) types.T {
	switch t.Kind {
	case types.Int16:
		return types.DecimalT(5, 0)
	case types.Int32:
		return types.DecimalT(10, 0)
	case types.Int64:
		return types.DecimalT(19, 0)
	case types.Decimal:
		if t.Precision == 0 {
			return types.DecimalT(types.MaxDecimalPrecision, t.Scale)
		}
	}
	return t
}

// DecimalFor returns the concrete DECIMAL type a value of type t becomes when cast to
// numeric without a precision: integers keep every digit (numeric(19,0) for bigint),
// decimals stay as they are, and other types (floats, text) get numeric(38,16), since an
// Arrow column needs one scale for all its values. The planner uses it to resolve
// `x::numeric`.
func DecimalFor(t types.T) types.T {
	switch t.Kind {
	case types.Int16, types.Int32, types.Int64:
		return asDecimal(t)
	case types.Decimal:
		if t.Precision == 0 {
			return types.DecimalT(types.MaxDecimalPrecision, t.Scale)
		}
		return t
	}
	return types.DecimalT(types.MaxDecimalPrecision, 16)
}

// widenDecimal returns the narrowest DECIMAL holding every value of both a and b.
func widenDecimal(a, b types.T) types.T {
	a, b = asDecimal(a), asDecimal(b)
	s := max(a.Scale, b.Scale)
	intd := max(a.Precision-a.Scale, b.Precision-b.Scale)
	p := min(types.MaxDecimalPrecision, intd+s)
	return types.DecimalT(p, s)
}

// promoteNumeric returns the type two numeric operands are computed in.
func promoteNumeric(a, b types.T) (types.T, bool) {
	ra, rb := numericRank(a.Kind), numericRank(b.Kind)
	if ra == 0 || rb == 0 {
		return types.T{}, false
	}
	switch {
	case a.Kind == types.Float32 && b.Kind == types.Float32:
		return types.Float32T, true
	case a.IsFloat() || b.IsFloat():
		return types.Float64T, true
	case a.Kind == types.Decimal || b.Kind == types.Decimal:
		return widenDecimal(a, b), true
	}
	if ra >= rb {
		return types.T{Kind: a.Kind}, true
	}
	return types.T{Kind: b.Kind}, true
}

// ImplicitCast reports whether the binder may convert a value of type from to type to
// without an explicit CAST: numeric widening along the ladder (an integer to a DECIMAL only
// when it keeps every integer digit; DECIMAL to any DECIMAL, checked at run time as
// PostgreSQL's typmod coercion is), an untyped literal (unknown) to anything, varchar(n) to
// text and longer varchars, text to json, date to timestamp and timestamptz, timestamp to
// timestamptz.
func ImplicitCast(from, to types.T) bool {
	if from.Equal(to) || from.Kind == types.Unknown {
		return true
	}
	switch from.Kind {
	case types.Decimal:
		// Between DECIMALs, as PostgreSQL's numeric typmod coercion: implicit, with a
		// run-time 22003 for a value that does not fit.
		if to.Kind == types.Decimal {
			return true
		}
		return to.IsFloat()
	case types.Int16, types.Int32, types.Int64, types.Float32:
		rf, rt := numericRank(from.Kind), numericRank(to.Kind)
		if rt == 0 || rt < rf {
			return false
		}
		if to.Kind == types.Decimal && to.Precision != 0 {
			f := asDecimal(from)
			return to.Scale >= f.Scale && to.Precision-to.Scale >= f.Precision-f.Scale
		}
		return true
	case types.Varchar:
		switch to.Kind {
		case types.Varchar:
			return to.Precision == 0 || (from.Precision != 0 && from.Precision <= to.Precision)
		case types.JSON:
			return true
		}
	case types.Date:
		return to.Kind == types.Timestamp || to.Kind == types.TimestampTZ
	case types.Timestamp:
		return to.Kind == types.TimestampTZ
	case types.JSON:
		return to.Kind == types.Varchar && to.Precision == 0
	}
	return false
}

// CommonType returns the type two values unify to, or false when they cannot be mixed.
// Unknown (an untyped literal or NULL) adopts the other side; two unknowns become text.
func CommonType(a, b types.T) (types.T, bool) {
	switch {
	case a.Kind == types.Unknown && b.Kind == types.Unknown:
		return types.VarcharT, true
	case a.Kind == types.Unknown:
		return b, true
	case b.Kind == types.Unknown:
		return a, true
	}
	if a.Equal(b) {
		return a, true
	}
	if a.IsNumeric() && b.IsNumeric() {
		return promoteNumeric(a, b)
	}
	switch {
	case a.Kind == types.Varchar && b.Kind == types.Varchar:
		if a.Precision == 0 || b.Precision == 0 {
			return types.VarcharT, true
		}
		return types.T{Kind: types.Varchar, Precision: max(a.Precision, b.Precision)}, true
	case a.Kind == b.Kind && a.Kind == types.Array && a.Elem != nil && b.Elem != nil:
		e, ok := CommonType(*a.Elem, *b.Elem)
		if !ok {
			return types.T{}, false
		}
		return types.ArrayT(e), true
	case isDateTime(a) && isDateTime(b):
		if a.Kind == types.TimestampTZ || b.Kind == types.TimestampTZ {
			return types.TimestampTZT, true
		}
		return types.TimestampT, true
	case (a.Kind == types.Varchar && b.Kind == types.JSON) || (a.Kind == types.JSON && b.Kind == types.Varchar):
		return types.VarcharT, true
	}
	return types.T{}, false
}

func isDateTime(t types.T) bool {
	return t.Kind == types.Date || t.Kind == types.Timestamp || t.Kind == types.TimestampTZ
}

// CommonTypeOf folds CommonType over a list (CASE with many branches, IN lists, VALUES).
func CommonTypeOf(ts ...types.T) (types.T, bool) {
	if len(ts) == 0 {
		return types.UnknownT, true
	}
	acc := ts[0]
	for _, t := range ts[1:] {
		var ok bool
		if acc, ok = CommonType(acc, t); !ok {
			return types.T{}, false
		}
	}
	return acc, true
}

// isStringy reports whether t holds text (varchar, text, or an untyped literal).
func isStringy(t types.T) bool { return t.Kind == types.Varchar || t.Kind == types.Unknown }
