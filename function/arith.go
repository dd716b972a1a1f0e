package function

import (
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// Arithmetic operators + - * / % and unary minus over integers and floats (this file),
// decimals (arith_decimal.go) and dates, times and intervals (arith_time.go).
//
// Integer kernels compute every row in a tight loop and OR together an overflow flag; only
// when the flag is set does a second pass look for the first offending row that is not
// NULL (a NULL row's garbage must not fail the statement). Integer division truncates;
// division or modulo by zero is 22012, overflow 22003, as in PostgreSQL.

type arithOp uint8

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
	opMod
)

func (op arithOp) String() string { return [...]string{"+", "-", "*", "/", "%"}[op] }

// bindArith resolves a binary arithmetic operator.
func bindArith(op arithOp) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 {
			return Sig{}, false
		}
		a, b := args[0], args[1]
		if sig, ok := bindTimeArith(op, a, b); ok {
			return sig, true
		}
		switch {
		case a.Kind == types.Unknown && b.Kind == types.Unknown:
			return Sig{}, false
		case a.Kind == types.Unknown:
			a = b
		case b.Kind == types.Unknown:
			b = a
		}
		t, ok := promoteNumeric(a, b)
		if !ok {
			return Sig{}, false
		}
		switch t.Kind {
		case types.Int16, types.Int32, types.Int64:
			return Sig{Args: []types.T{t, t}, Ret: t, Kernel: intArith(op, t.Kind), Strict: true}, true
		case types.Float32, types.Float64:
			return Sig{Args: []types.T{t, t}, Ret: t, Kernel: floatArith(op, t.Kind), Strict: true}, true
		}
		da, db := asDecimal(a), asDecimal(b)
		ret := decimalResult(op, da, db)
		return Sig{Args: []types.T{da, db}, Ret: ret, Kernel: decimalArith(op, da, db, ret), Strict: true}, true
	}
}

// bindNeg resolves unary minus; bindPlus unary plus (identity on numbers and intervals).
func bindNeg(args []types.T) (Sig, bool) {
	if len(args) != 1 {
		return Sig{}, false
	}
	t := args[0]
	switch t.Kind {
	case types.Int16, types.Int32, types.Int64, types.Float32, types.Float64, types.Decimal, types.Interval:
		return Sig{Args: []types.T{t}, Ret: t, Kernel: negKernel(t), Strict: true}, true
	case types.Unknown:
		return Sig{Args: []types.T{types.Float64T}, Ret: types.Float64T, Kernel: negKernel(types.Float64T), Strict: true}, true
	}
	return Sig{}, false
}

func bindPlus(args []types.T) (Sig, bool) {
	if len(args) == 2 {
		return bindArith(opAdd)(args)
	}
	if len(args) != 1 {
		return Sig{}, false
	}
	t := args[0]
	if !t.IsNumeric() && t.Kind != types.Interval {
		return Sig{}, false
	}
	return Sig{Args: []types.T{t}, Ret: t, Kernel: identityKernel(t), Strict: true}, true
}

// bindMinus resolves "-" with one argument (negation) or two (subtraction).
func bindMinus(args []types.T) (Sig, bool) {
	if len(args) == 1 {
		return bindNeg(args)
	}
	return bindArith(opSub)(args)
}

// binaryFixed runs a strict binary kernel over fixed-width arguments. loop computes every
// row and reports whether any row may have failed; then check finds the first failing
// valid row and returns its error (nil if the flagged rows were all NULL).
func binaryFixed[A, B, R arrow.FixedWidthType](ctx *Context, args []arrow.Array, n int, dt arrow.DataType,
	loop func(a []A, b []B, out []R) bool, check func(a A, b B) error) (arrow.Array, error) {
	mem := ctx.mem()
	validity, nulls := andValidity(mem, args, n)
	a, b := fixedValues[A](args[0])[:n], fixedValues[B](args[1])[:n]
	data, out := newFixed[R](mem, n)
	if loop(a, b, out) {
		for i := range a {
			if err := check(a[i], b[i]); err != nil && validAt(validity, i) {
				if validity != nil {
					validity.Release()
				}
				data.Release()
				return nil, err
			}
		}
	}
	return makeArray(dt, n, validity, data, nulls), nil
}

func intArith(op arithOp, k types.Kind) Kernel {
	switch k {
	case types.Int16:
		return intArithT[int16](op, k)
	case types.Int32:
		return intArithT[int32](op, k)
	}
	return intArithT[int64](op, k)
}

func intArithT[T intT](op arithOp, k types.Kind) Kernel {
	dt := types.T{Kind: k}.Arrow()
	var loop func(a, b, out []T) bool
	var check func(a, b T) error
	switch op {
	case opAdd:
		loop = addInts[T]
		check = func(a, b T) error {
			if r := a + b; (a^r)&(b^r) < 0 {
				return errOutOfRange(k)
			}
			return nil
		}
	case opSub:
		loop = subInts[T]
		check = func(a, b T) error {
			if r := a - b; (a^b)&(a^r) < 0 {
				return errOutOfRange(k)
			}
			return nil
		}
	case opMul:
		loop = mulInts[T]
		check = func(a, b T) error {
			if _, ovf := mulInt(a, b); ovf {
				return errOutOfRange(k)
			}
			return nil
		}
	case opDiv, opMod:
		loop = divInts[T]
		if op == opMod {
			loop = modInts[T]
		}
		check = func(a, b T) error {
			if b == 0 {
				return errDivisionByZero()
			}
			if op == opDiv && b == -1 && a == minOf[T]() {
				return errOutOfRange(k)
			}
			return nil
		}
	}
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return binaryFixed(ctx, args, n, dt, loop, check)
	}
}

func minOf[T intT]() T {
	var z T
	m := int64(math.MinInt64)
	switch any(z).(type) {
	case int16:
		m = math.MinInt16
	case int32:
		m = math.MinInt32
	}
	return T(m)
}

func addInts[T intT](a, b, out []T) bool {
	b, out = b[:len(a)], out[:len(a)]
	var ovf T
	for i := range a {
		r := a[i] + b[i]
		ovf |= (a[i] ^ r) & (b[i] ^ r)
		out[i] = r
	}
	return ovf < 0
}

func subInts[T intT](a, b, out []T) bool {
	b, out = b[:len(a)], out[:len(a)]
	var ovf T
	for i := range a {
		r := a[i] - b[i]
		ovf |= (a[i] ^ b[i]) & (a[i] ^ r)
		out[i] = r
	}
	return ovf < 0
}

// mulInt multiplies with overflow detection; the 16- and 32-bit kinds widen to 64 bits,
// 64-bit uses the 128-bit product.
func mulInt[T intT](a, b T) (T, bool) {
	var z T
	switch any(z).(type) {
	case int64:
		x, y := int64(a), int64(b)
		hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
		neg := (x < 0) != (y < 0)
		ovf := hi != 0 || (lo > math.MaxInt64 && !(neg && lo == 1<<63))
		return T(x * y), ovf
	}
	r := int64(a) * int64(b)
	return T(r), r != int64(T(r))
}

func mulInts[T intT](a, b, out []T) bool {
	b, out = b[:len(a)], out[:len(a)]
	var z T
	if _, wide := any(z).(int64); wide {
		bad := false
		for i := range a {
			x, y := int64(a[i]), int64(b[i])
			hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
			bad = bad || hi != 0 || lo > math.MaxInt64
			out[i] = T(x * y)
		}
		// lo == 2^63 with a negative product is MinInt64, which fits: check rejects only
		// real overflows.
		return bad
	}
	bad := false
	for i := range a {
		r := int64(a[i]) * int64(b[i])
		bad = bad || r != int64(T(r))
		out[i] = T(r)
	}
	return bad
}

func divInts[T intT](a, b, out []T) bool {
	b, out = b[:len(a)], out[:len(a)]
	bad := false
	for i := range a {
		if b[i] == 0 || b[i] == -1 {
			// Division by zero, and MinInt / -1, are flagged for check; -1 is rare enough
			// to take out of the division.
			bad = bad || b[i] == 0 || a[i] == minOf[T]()
			out[i] = -a[i]
			if b[i] == 0 {
				out[i] = 0
			}
			continue
		}
		out[i] = a[i] / b[i]
	}
	return bad
}

func modInts[T intT](a, b, out []T) bool {
	b, out = b[:len(a)], out[:len(a)]
	bad := false
	for i := range a {
		if b[i] == 0 || b[i] == -1 {
			bad = bad || b[i] == 0
			out[i] = 0
			continue
		}
		out[i] = a[i] % b[i]
	}
	return bad
}

func floatArith(op arithOp, k types.Kind) Kernel {
	if k == types.Float32 {
		return floatArithT[float32](op, k)
	}
	return floatArithT[float64](op, k)
}

// floatArithT follows PostgreSQL's float8 operators: IEEE results, except that a finite
// operation overflowing to infinity (or a nonzero product underflowing to zero) is 22003,
// and x / 0 is 22012 unless x is NaN.
func floatArithT[T floatT](op arithOp, k types.Kind) Kernel {
	dt := types.T{Kind: k}.Arrow()
	var loop func(a, b, out []T) bool
	switch op {
	case opAdd:
		loop = func(a, b, out []T) bool {
			b, out = b[:len(a)], out[:len(a)]
			for i := range a {
				out[i] = a[i] + b[i]
			}
			return true
		}
	case opSub:
		loop = func(a, b, out []T) bool {
			b, out = b[:len(a)], out[:len(a)]
			for i := range a {
				out[i] = a[i] - b[i]
			}
			return true
		}
	case opMul:
		loop = func(a, b, out []T) bool {
			b, out = b[:len(a)], out[:len(a)]
			for i := range a {
				out[i] = a[i] * b[i]
			}
			return true
		}
	case opDiv:
		loop = func(a, b, out []T) bool {
			b, out = b[:len(a)], out[:len(a)]
			for i := range a {
				out[i] = a[i] / b[i]
			}
			return true
		}
	case opMod:
		loop = func(a, b, out []T) bool {
			b, out = b[:len(a)], out[:len(a)]
			for i := range a {
				out[i] = T(math.Mod(float64(a[i]), float64(b[i])))
			}
			return true
		}
	}
	// The loops always ask for a check: it is a cheap branch-predictable pass that looks
	// at the special values only.
	check := func(a, b T) error { return floatCheck(op, k, float64(a), float64(b)) }
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return binaryFixed(ctx, args, n, dt, func(a, b, out []T) bool {
			loop(a, b, out)
			return hasFloatTrouble(a, b, out, op)
		}, check)
	}
}

// hasFloatTrouble reports whether any row may need floatCheck.
func hasFloatTrouble[T floatT](a, b, out []T, op arithOp) bool {
	b, out = b[:len(a)], out[:len(a)]
	for i := range out {
		r := float64(out[i])
		if math.IsInf(r, 0) || math.IsNaN(r) || (r == 0 && (op == opMul || op == opDiv || op == opMod)) {
			return true
		}
	}
	return false
}

func floatCheck(op arithOp, k types.Kind, a, b float64) error {
	inf := func(x float64) bool { return math.IsInf(x, 0) }
	switch op {
	case opAdd, opSub:
		r := a + b
		if op == opSub {
			r = a - b
		}
		if k == types.Float32 {
			r = float64(float32(r))
		}
		if inf(r) && !inf(a) && !inf(b) {
			return errOutOfRange(k)
		}
	case opMul:
		r := a * b
		if k == types.Float32 {
			r = float64(float32(r))
		}
		if inf(r) && !inf(a) && !inf(b) {
			return errOutOfRange(k)
		}
		if r == 0 && a != 0 && b != 0 {
			return errFloatUnderflow()
		}
	case opDiv, opMod:
		if b == 0 && !math.IsNaN(a) {
			return errDivisionByZero()
		}
		if op == opDiv {
			r := a / b
			if k == types.Float32 {
				r = float64(float32(r))
			}
			if inf(r) && !inf(a) {
				return errOutOfRange(k)
			}
			if r == 0 && a != 0 && !inf(b) {
				return errFloatUnderflow()
			}
		}
	}
	return nil
}

// negKernel negates numbers and intervals.
func negKernel(t types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		switch t.Kind {
		case types.Int16:
			return negInts[int16](ctx, args[0], n, t)
		case types.Int32:
			return negInts[int32](ctx, args[0], n, t)
		case types.Int64:
			return negInts[int64](ctx, args[0], n, t)
		case types.Float32:
			return mapFixed[float32, float32](t, func(*Context) func(float32) float32 { return func(x float32) float32 { return -x } })(ctx, args, n)
		case types.Float64:
			return mapFixed[float64, float64](t, func(*Context) func(float64) float64 { return func(x float64) float64 { return -x } })(ctx, args, n)
		case types.Decimal:
			return mapFixed[num, num](t, func(*Context) func(num) num { return func(x num) num { return x.Negate() } })(ctx, args, n)
		case types.Interval:
			vals := fixedValues[arrow.MonthDayNanoInterval](args[0])
			return castRows(ctx, args[0], n, t.Arrow(), false, func(i int) (arrow.MonthDayNanoInterval, error) {
				v := vals[i]
				if v.Months == math.MinInt32 || v.Days == math.MinInt32 || v.Nanoseconds == math.MinInt64 {
					return v, errOutOfRange(types.Interval)
				}
				return arrow.MonthDayNanoInterval{Months: -v.Months, Days: -v.Days, Nanoseconds: -v.Nanoseconds}, nil
			})
		}
		return nil, errOutOfRange(t.Kind)
	}
}

func negInts[T intT](ctx *Context, src arrow.Array, n int, t types.T) (arrow.Array, error) {
	vals := fixedValues[T](src)
	return castRows(ctx, src, n, t.Arrow(), false, func(i int) (T, error) {
		if vals[i] == minOf[T]() {
			return 0, errOutOfRange(t.Kind)
		}
		return -vals[i], nil
	})
}
