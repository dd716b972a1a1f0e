package function

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Casts between the scalar types. Cast is the one entry point: the binder asks it for a
// kernel when it inserts a conversion (implicit or written), and CAST/TRY_CAST/:: compile to
// it. Numeric casts are typed loops (cast_numeric.go); text casts parse or format per row
// (cast_text.go); date/time casts are in cast_datetime.go.

// Cast returns a kernel converting one argument of type from to type to. With try (Trino's
// TRY_CAST and TRY), values that cannot be converted become NULL instead of failing the
// statement. It returns 42846 (cannot cast) for pairs without a conversion.
func Cast(from, to types.T, try bool) (Kernel, error) {
	if to.Kind == types.Decimal && to.Precision == 0 {
		to = types.DecimalT(types.MaxDecimalPrecision, to.Scale)
	}
	if from.Kind == types.Unknown {
		from = types.VarcharT
	}
	if k := castKernel(from, to, try); k != nil {
		return k, nil
	}
	return nil, sqlerr.New("42846", "cannot cast type %s to %s", from.PGName(), to.PGName())
}

// CanCast reports whether Cast has a conversion from one type to another.
func CanCast(from, to types.T) bool {
	_, err := Cast(from, to, false)
	return err == nil
}

func castKernel(from, to types.T, try bool) Kernel {
	if from.IsReg() || to.IsReg() {
		return castRegKernel(from, to, try) // cast_reg.go
	}
	switch {
	case from.Equal(to), from.Kind == types.Varchar && to.Kind == types.Varchar && to.Precision == 0,
		from.Kind == types.JSON && to.Kind == types.Varchar && to.Precision == 0:
		return identityKernel(to)
	case from.Kind == types.Decimal && to.Kind == types.Decimal && from.Scale == to.Scale &&
		from.Precision != 0 && from.Precision <= to.Precision:
		// Widening the precision changes no value: share the buffers under the new type.
		return retypeKernel(to)
	case to.Kind == types.Varchar || to.Kind == types.Unknown:
		return castToText(from, to)
	case from.Kind == types.Varchar || from.Kind == types.JSON:
		return castFromText(to, try)
	case from.IsNumeric() && to.IsNumeric():
		return castNumeric(from, to, try)
	case from.Kind == types.Bool && to.IsInteger():
		return castBoolToInt(to)
	case from.IsInteger() && to.Kind == types.Bool:
		return castIntToBool(from)
	}
	return castDateTime(from, to)
}

// identityKernel returns its argument (a new reference), retyped when the Arrow types
// differ only in parameters (varchar(n) → text).
func identityKernel(to types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		a := args[0]
		a.Retain()
		return a, nil
	}
}

// retypeKernel returns its argument's buffers under the Arrow type of to.
func retypeKernel(to types.T) Kernel {
	dt := to.Arrow()
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		d := args[0].Data()
		nd := array.NewData(dt, d.Len(), d.Buffers(), d.Children(), d.NullN(), d.Offset())
		defer nd.Release()
		return array.MakeFromData(nd), nil
	}
}

// location returns the session time zone, nil for UTC.
func (c *Context) location() *time.Location {
	if c == nil || c.TimeZone == "" || c.TimeZone == "UTC" || c.TimeZone == "utc" {
		return nil
	}
	l, err := loadLocation(c.TimeZone)
	if err != nil {
		return nil
	}
	return l
}

// rowValidity is the validity of a cast's result while it is being computed: it starts as
// the input's and, under try, loses the rows that failed to convert.
type rowValidity struct {
	mem   memory.Allocator
	buf   *memory.Buffer
	nulls int
	n     int
	try   bool
}

func newRowValidity(mem memory.Allocator, src arrow.Array, n int, try bool) *rowValidity {
	v := &rowValidity{mem: mem, n: n, try: try}
	v.buf, v.nulls = andValidity(mem, []arrow.Array{src}, n)
	return v
}

func (v *rowValidity) valid(i int) bool { return validAt(v.buf, i) }

// fail records that row i could not be converted: under try it becomes NULL, otherwise the
// statement fails with err.
func (v *rowValidity) fail(i int, err error) error {
	if !v.try {
		return err
	}
	if v.buf == nil {
		v.buf = newBitmap(v.mem, v.n)
		bitutil.SetBitsTo(v.buf.Bytes(), 0, int64(v.n), true)
	}
	bitutil.ClearBit(v.buf.Bytes(), i)
	v.nulls++
	return nil
}

func (v *rowValidity) release() {
	if v.buf != nil {
		v.buf.Release()
		v.buf = nil
	}
}

// castRows converts the valid rows of src one at a time with conv, into a fixed-width
// result of Arrow type dt. It is the general path for conversions whose per-row work (a
// parse, a range check with a message) dwarfs the cost of the call.
func castRows[D arrow.FixedWidthType](ctx *Context, src arrow.Array, n int, dt arrow.DataType, try bool,
	conv func(i int) (D, error)) (arrow.Array, error) {
	mem := ctx.mem()
	v := newRowValidity(mem, src, n, try)
	data, out := newFixed[D](mem, n)
	for i := 0; i < n; i++ {
		if !v.valid(i) {
			var z D
			out[i] = z
			continue
		}
		r, err := conv(i)
		if err != nil {
			var z D
			r = z
			if err = v.fail(i, err); err != nil {
				v.release()
				data.Release()
				return nil, err
			}
		}
		out[i] = r
	}
	return makeArray(dt, n, v.buf, data, v.nulls), nil
}

func castBoolToInt(to types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		bm, off := boolBits(args[0])
		conv := func(i int) (int64, error) { return int64(b2u(bitutil.BitIsSet(bm, off+i))), nil }
		switch to.Kind {
		case types.Int16:
			return castRows(ctx, args[0], n, to.Arrow(), false, func(i int) (int16, error) { v, _ := conv(i); return int16(v), nil })
		case types.Int32:
			return castRows(ctx, args[0], n, to.Arrow(), false, func(i int) (int32, error) { v, _ := conv(i); return int32(v), nil })
		}
		return castRows(ctx, args[0], n, to.Arrow(), false, conv)
	}
}

func castIntToBool(from types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		bits := newBitmap(mem, n)
		o := boolOut{bits: bits.Bytes()}
		switch from.Kind {
		case types.Int16:
			for i, x := range fixedValues[int16](args[0])[:n] {
				o.set(i, x != 0)
			}
		case types.Int32:
			for i, x := range fixedValues[int32](args[0])[:n] {
				o.set(i, x != 0)
			}
		default:
			for i, x := range fixedValues[int64](args[0])[:n] {
				o.set(i, x != 0)
			}
		}
		o.flush(n)
		return makeArray(arrow.FixedWidthTypes.Boolean, n, validity, bits, nulls), nil
	}
}
