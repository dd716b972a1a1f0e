package function

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// Trino's date_add and date_diff, and the clock and Unix-time functions. See datetime.go
// for the dialect choices.

// bindDateAdd resolves Trino's date_add(unit, n, x) → the type of x.
func bindDateAdd(args []types.T) (Sig, bool) {
	if len(args) != 3 || !isStringy(args[0]) || !(args[1].IsInteger() || args[1].Kind == types.Unknown) {
		return Sig{}, false
	}
	t := args[2]
	switch t.Kind {
	case types.Date, types.Timestamp, types.TimestampTZ:
	case types.Unknown:
		t = types.TimestampT
	default:
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.VarcharT, types.Int64T, t}, Ret: t, Kernel: dateAddKernel(t), Strict: true}, true
}

// unitInterval converts n units to an interval; ok is false for unknown units.
func unitInterval(unit string, n int64) (arrow.MonthDayNanoInterval, bool) {
	var a intervalAcc
	switch unit {
	case "quarter":
		a.addUnit("month", n*3, 0)
	case "microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month", "year":
		a.addUnit(unit, n, 0)
	default:
		return arrow.MonthDayNanoInterval{}, false
	}
	if a.over || a.months != int64(int32(a.months)) || a.days != int64(int32(a.days)) {
		return arrow.MonthDayNanoInterval{}, false
	}
	return arrow.MonthDayNanoInterval{Months: int32(a.months), Days: int32(a.days), Nanoseconds: a.us * nsPerUs}, true
}

func dateAddKernel(t types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		units := viewBytes(args[0])
		k := fixedValues[int64](args[1])
		var uc unitCache
		loc := ctx.location()
		step := func(i int, us int64) (int64, error) {
			u, ok := uc.get(units.at(i))
			iv, ok2 := unitInterval(u, k[i])
			if !ok || !ok2 {
				return 0, errUnit("date_add", units.at(i), t)
			}
			if t.Kind == types.TimestampTZ && loc != nil && (iv.Months != 0 || iv.Days != 0) {
				r, ok := addInterval(utcToLocal(us, loc), iv, false)
				if !ok {
					return 0, errOutOfRange(types.Timestamp)
				}
				return localToUTC(r, loc), nil
			}
			r, ok := addInterval(us, iv, false)
			if !ok {
				return 0, errOutOfRange(types.Timestamp)
			}
			return r, nil
		}
		if t.Kind == types.Date {
			d := fixedValues[int32](args[2])
			return rowsFixed(ctx, args, n, t.Arrow(), func(i int) (int32, error) {
				r, err := step(i, int64(d[i])*usPerDay)
				return int32(floorDiv(r, usPerDay)), err
			})
		}
		ts := fixedValues[int64](args[2])
		return rowsFixed(ctx, args, n, t.Arrow(), func(i int) (int64, error) { return step(i, ts[i]) })
	}
}

// bindDateDiff resolves Trino's date_diff(unit, a, b): the number of whole units from a
// to b (negative when b is earlier).
func bindDateDiff(args []types.T) (Sig, bool) {
	if len(args) != 3 || !isStringy(args[0]) {
		return Sig{}, false
	}
	a, b := args[1], args[2]
	t, ok := CommonType(a, b)
	if !ok || !isDateTime(t) {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.VarcharT, t, t}, Ret: types.Int64T, Kernel: dateDiffKernel(t), Strict: true}, true
}

func dateDiffKernel(t types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		units := viewBytes(args[0])
		a, b := localMicros(ctx, args[1], t), localMicros(ctx, args[2], t)
		var uc unitCache
		return rowsFixed(ctx, args, n, arrow.PrimitiveTypes.Int64, func(i int) (int64, error) {
			u, ok := uc.get(units.at(i))
			if !ok {
				return 0, errUnit("date_diff", units.at(i), t)
			}
			r, ok := diffUnits(u, a(i), b(i))
			if !ok {
				return 0, errUnit("date_diff", units.at(i), t)
			}
			return r, nil
		})
	}
}

// diffUnits counts whole units between local times x and y.
func diffUnits(unit string, x, y int64) (int64, bool) {
	d := y - x
	switch unit {
	case "microsecond":
		return d, true
	case "millisecond":
		return d / 1000, true
	case "second":
		return d / usPerSecond, true
	case "minute":
		return d / usPerMinute, true
	case "hour":
		return d / usPerHour, true
	case "day":
		return d / usPerDay, true
	case "week":
		return d / (7 * usPerDay), true
	}
	dx, tx := splitTimestamp(x)
	dy, ty := splitTimestamp(y)
	y1, m1, d1 := civilFromDays(dx)
	y2, m2, d2 := civilFromDays(dy)
	months := (y2*12 + m2) - (y1*12 + m1)
	// Joda's end-of-month rule, which Trino inherits: from the 31st to the last day of a
	// shorter month is a whole month.
	if months > 0 && d2 == daysInMonth(y2, m2) && d1 > d2 {
		d1 = d2
	} else if months < 0 && d1 == daysInMonth(y1, m1) && d2 > d1 {
		d2 = d1
	}
	// A month is complete only when the later day-of-month and time reach the earlier's.
	if months > 0 && (d2 < d1 || (d2 == d1 && ty < tx)) {
		months--
	} else if months < 0 && (d2 > d1 || (d2 == d1 && ty > tx)) {
		months++
	}
	switch unit {
	case "month":
		return months, true
	case "quarter":
		return months / 3, true
	case "year":
		return months / 12, true
	}
	return 0, false
}

// bindNow resolves now() and current_timestamp (timestamptz), localtimestamp
// (timestamp) and current_date (date), all from Context.NowMicros.
func bindNow(ret types.T) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 0 {
			return Sig{}, false
		}
		return Sig{Ret: ret, Kernel: nowKernel(ret)}, true
	}
}

func nowKernel(ret types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		var now int64
		if ctx != nil {
			now = ctx.NowMicros
		}
		switch ret.Kind {
		case types.Date:
			d := int32(floorDiv(utcToLocal(now, ctx.location()), usPerDay))
			data, out := newFixed[int32](ctx.mem(), n)
			for i := range out {
				out[i] = d
			}
			return makeArray(ret.Arrow(), n, nil, data, 0), nil
		case types.Timestamp:
			now = utcToLocal(now, ctx.location())
		}
		data, out := newFixed[int64](ctx.mem(), n)
		for i := range out {
			out[i] = now
		}
		return makeArray(ret.Arrow(), n, nil, data, 0), nil
	}
}

// bindToUnixtime resolves to_unixtime(timestamp) → double precision seconds.
func bindToUnixtime(args []types.T) (Sig, bool) {
	if len(args) != 1 || !isDateTime(args[0]) {
		return Sig{}, false
	}
	t := args[0]
	if t.Kind == types.Date {
		t = types.TimestampT
	}
	return Sig{Args: []types.T{t}, Ret: types.Float64T, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		v := fixedValues[int64](args[0])
		return rowsFixed(ctx, args, n, arrow.PrimitiveTypes.Float64, func(i int) (float64, error) { return float64(v[i]) / 1e6, nil })
	}, Strict: true}, true
}

// bindFromUnixtime resolves from_unixtime / to_timestamp(double precision) → timestamptz.
func bindFromUnixtime(args []types.T) (Sig, bool) {
	if len(args) != 1 || !(args[0].IsNumeric() || args[0].Kind == types.Unknown) {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.Float64T}, Ret: types.TimestampTZT, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		v := fixedValues[float64](args[0])
		return rowsFixed(ctx, args, n, types.TimestampTZT.Arrow(), func(i int) (int64, error) {
			f := v[i] * 1e6
			if f != f || f >= float64(maxTimestampUs) || f < float64(minTimestampUs) {
				return 0, errOutOfRange(types.TimestampTZ)
			}
			return int64(math.RoundToEven(f)), nil
		})
	}, Strict: true}, true
}
