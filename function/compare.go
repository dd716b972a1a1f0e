package function

import (
	"bytes"
	"cmp"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/quarrydb/quarry/types"
)

// Comparison operators = <> != < <= > >=. Operands are unified first: numbers along the
// promotion ladder (DECIMALs of different scales are compared exactly without a cast), a
// date with a timestamp as timestamps, text bytewise (C collation). Floats order as
// PostgreSQL orders them: NaN equals NaN and sorts above every other value. Intervals
// compare by their length with a month as 30 days, as PostgreSQL's interval_cmp does.
// Comparisons are strict: NULL in, NULL out.

type cmpOp uint8

const (
	cmpEq cmpOp = iota
	cmpNe
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

// flip returns the operator with its operands exchanged (a < b ⇔ b > a).
func (op cmpOp) flip() cmpOp {
	switch op {
	case cmpLt:
		return cmpGt
	case cmpLe:
		return cmpGe
	case cmpGt:
		return cmpLt
	case cmpGe:
		return cmpLe
	}
	return op
}

// holds reports whether a three-way comparison result satisfies op.
func (op cmpOp) holds(c int) bool {
	switch op {
	case cmpEq:
		return c == 0
	case cmpNe:
		return c != 0
	case cmpLt:
		return c < 0
	case cmpLe:
		return c <= 0
	case cmpGt:
		return c > 0
	}
	return c >= 0
}

// compareArgs returns the types both operands are converted to before comparing.
func compareArgs(a, b types.T) (types.T, types.T, bool) {
	switch {
	case a.Kind == types.Unknown && b.Kind == types.Unknown:
		return types.VarcharT, types.VarcharT, true
	case a.Kind == types.Unknown:
		a = b
	case b.Kind == types.Unknown:
		b = a
	}
	if a.IsNumeric() && b.IsNumeric() {
		t, _ := promoteNumeric(a, b)
		if t.Kind == types.Decimal {
			return asDecimal(a), asDecimal(b), true
		}
		return t, t, true
	}
	switch {
	case a.Kind == types.Varchar && b.Kind == types.Varchar:
		return a, b, true
	case isDateTime(a) && isDateTime(b):
		t, _ := CommonType(a, b)
		return t, t, true
	case a.Kind == b.Kind:
		switch a.Kind {
		case types.Bool, types.Time, types.Interval, types.Bytea, types.UUID:
			return a, b, true
		}
	}
	return types.T{}, types.T{}, false
}

func bindCompare(op cmpOp) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 {
			return Sig{}, false
		}
		if sig, ok := bindArrayCompare(op, args); ok { // pg_array_funcs.go
			return sig, true
		}
		ta, tb, ok := compareArgs(args[0], args[1])
		if !ok {
			return Sig{}, false
		}
		return Sig{Args: []types.T{ta, tb}, Ret: types.BoolT, Kernel: compareKernel(op, ta, tb), Strict: true}, true
	}
}

// compareKernel returns the kernel comparing arrays of types ta and tb (already unified
// by compareArgs).
func compareKernel(op cmpOp, ta, tb types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		res := newBitmap(mem, n)
		out := res.Bytes()
		a, b := args[0], args[1]
		switch ta.Kind {
		case types.Int16:
			cmpOrdered(op, fixedValues[int16](a)[:n], fixedValues[int16](b)[:n], out)
		case types.Int32, types.Date:
			cmpOrdered(op, fixedValues[int32](a)[:n], fixedValues[int32](b)[:n], out)
		case types.Int64, types.Time, types.Timestamp, types.TimestampTZ:
			cmpOrdered(op, fixedValues[int64](a)[:n], fixedValues[int64](b)[:n], out)
		case types.Float32:
			cmpFloats(op, fixedValues[float32](a)[:n], fixedValues[float32](b)[:n], out)
		case types.Float64:
			cmpFloats(op, fixedValues[float64](a)[:n], fixedValues[float64](b)[:n], out)
		case types.Decimal:
			cmpDecimals(op, fixedValues[decimal128.Num](a)[:n], decScale(a, ta), fixedValues[decimal128.Num](b)[:n], decScale(b, tb), out)
		case types.Varchar, types.Bytea:
			cmpBytes(op, viewBytes(a), viewBytes(b), n, out)
		case types.Bool:
			cmpBools(op, a, b, n, out)
		case types.Interval:
			x, y := fixedValues[arrow.MonthDayNanoInterval](a), fixedValues[arrow.MonthDayNanoInterval](b)
			o := boolOut{bits: out}
			for i := 0; i < n; i++ {
				o.set(i, op.holds(cmpInterval(x[i], y[i])))
			}
			o.flush(n)
		case types.UUID:
			x, y := a.(*array.FixedSizeBinary), b.(*array.FixedSizeBinary)
			o := boolOut{bits: out}
			for i := 0; i < n; i++ {
				o.set(i, op.holds(bytes.Compare(x.Value(i), y.Value(i))))
			}
			o.flush(n)
		}
		return makeArray(arrow.FixedWidthTypes.Boolean, n, validity, res, nulls), nil
	}
}

// cmpOrdered compares two slices of an ordered type into a bitmap. Each operator has its
// own loop so the comparison inlines.
func cmpOrdered[T cmp.Ordered](op cmpOp, a, b []T, out []byte) {
	b = b[:len(a)]
	o := boolOut{bits: out}
	switch op {
	case cmpEq:
		for i := range a {
			o.set(i, a[i] == b[i])
		}
	case cmpNe:
		for i := range a {
			o.set(i, a[i] != b[i])
		}
	case cmpLt:
		for i := range a {
			o.set(i, a[i] < b[i])
		}
	case cmpLe:
		for i := range a {
			o.set(i, a[i] <= b[i])
		}
	case cmpGt:
		for i := range a {
			o.set(i, a[i] > b[i])
		}
	case cmpGe:
		for i := range a {
			o.set(i, a[i] >= b[i])
		}
	}
	o.flush(len(a))
}

// cmpFloats is cmpOrdered with PostgreSQL's NaN rules.
func cmpFloats[T floatT](op cmpOp, a, b []T, out []byte) {
	b = b[:len(a)]
	o := boolOut{bits: out}
	switch op {
	case cmpEq:
		for i := range a {
			x, y := a[i], b[i]
			o.set(i, x == y || (x != x && y != y))
		}
	case cmpNe:
		for i := range a {
			x, y := a[i], b[i]
			o.set(i, !(x == y || (x != x && y != y)))
		}
	case cmpLt, cmpGt:
		if op == cmpGt {
			a, b = b, a
		}
		for i := range a {
			x, y := a[i], b[i]
			o.set(i, x < y || (y != y && x == x))
		}
	case cmpLe, cmpGe:
		if op == cmpGe {
			a, b = b, a
		}
		for i := range a {
			x, y := a[i], b[i]
			o.set(i, x <= y || y != y)
		}
	}
	o.flush(len(a))
}

func cmpDecimals(op cmpOp, a []decimal128.Num, sa int32, b []decimal128.Num, sb int32, out []byte) {
	b = b[:len(a)]
	o := boolOut{bits: out}
	if sa == sb {
		for i := range a {
			o.set(i, op.holds(cmp128(a[i], b[i])))
		}
	} else {
		for i := range a {
			o.set(i, op.holds(cmpScaled(a[i], sa, b[i], sb)))
		}
	}
	o.flush(len(a))
}

// cmp128 is a branch-light three-way comparison of two 128-bit integers.
func cmp128(x, y num) int {
	xh, yh := x.HighBits(), y.HighBits()
	if xh != yh {
		if xh < yh {
			return -1
		}
		return 1
	}
	xl, yl := x.LowBits(), y.LowBits()
	if xl == yl {
		return 0
	}
	if xl < yl {
		return -1
	}
	return 1
}

func cmpBytes(op cmpOp, a, b byteView, n int, out []byte) {
	o := boolOut{bits: out}
	switch op {
	case cmpEq, cmpNe:
		eq := op == cmpEq
		for i := 0; i < n; i++ {
			la, lb := a.offs[i+1]-a.offs[i], b.offs[i+1]-b.offs[i]
			o.set(i, (la == lb && bytes.Equal(a.at(i), b.at(i))) == eq)
		}
	default:
		for i := 0; i < n; i++ {
			o.set(i, op.holds(bytes.Compare(a.at(i), b.at(i))))
		}
	}
	o.flush(n)
}

func cmpBools(op cmpOp, a, b arrow.Array, n int, out []byte) {
	ab, ao := boolBits(a)
	bb, bo := boolBits(b)
	o := boolOut{bits: out}
	for i := 0; i < n; i++ {
		x, y := b2u(bitutil.BitIsSet(ab, ao+i)), b2u(bitutil.BitIsSet(bb, bo+i))
		o.set(i, op.holds(int(x)-int(y)))
	}
	o.flush(n)
}

// intervalKey returns an interval's length in ns with a month as 30 days, in 128 bits.
func intervalKey(v arrow.MonthDayNanoInterval) (hi int64, lo uint64) {
	days := int64(v.Months)*30 + int64(v.Days)
	const nsPerDay = uint64(86400) * 1e9
	h, l := bits.Mul64(uint64(abs64(days)), nsPerDay)
	x := decimal128.New(int64(h), l)
	if days < 0 {
		x = x.Negate()
	}
	x, _ = add128(x, fromI64(v.Nanoseconds))
	return x.HighBits(), x.LowBits()
}

// cmpInterval orders intervals as PostgreSQL does.
func cmpInterval(a, b arrow.MonthDayNanoInterval) int {
	ah, al := intervalKey(a)
	bh, bl := intervalKey(b)
	return cmp128(decimal128.New(ah, al), decimal128.New(bh, bl))
}
