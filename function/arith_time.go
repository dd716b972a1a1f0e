package function

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// Date, time and interval arithmetic, as PostgreSQL defines it:
//
//	date ± integer → date              date - date → integer (days)
//	date ± interval → timestamp        date + time → timestamp
//	timestamp ± interval → timestamp   timestamptz ± interval → timestamptz
//	timestamp - timestamp → interval   time ± interval → time   time - time → interval
//	interval ± interval → interval     interval * number, number * interval, interval / number
//
// Adding an interval adds its months calendar-wise first (clamping the day to the month's
// end), then its days, then its time. Month and day arithmetic on timestamptz happens in the
// session time zone. An untyped literal takes the other operand's type for "-" (so
// date - '2020-01-01' is date - date, and now() - '1 day' fails as in PostgreSQL) and
// becomes an interval for "+".

type ivl = arrow.MonthDayNanoInterval

func isTimeKind(k types.Kind) bool {
	switch k {
	case types.Date, types.Time, types.Timestamp, types.TimestampTZ, types.Interval:
		return true
	}
	return false
}

func bindTimeArith(op arithOp, a, b types.T) (Sig, bool) {
	if !isTimeKind(a.Kind) && !isTimeKind(b.Kind) {
		return Sig{}, false
	}
	resolve := func(u, other types.T) types.T {
		if u.Kind != types.Unknown {
			return u
		}
		switch {
		case op == opMul || op == opDiv:
			return types.Float64T
		case op == opSub || other.Kind == types.Interval:
			return other
		}
		return types.IntervalT
	}
	a, b = resolve(a, b), resolve(b, a)
	ak, bk := a.Kind, b.Kind
	sig := func(args []types.T, ret types.T, k Kernel) (Sig, bool) {
		return Sig{Args: args, Ret: ret, Kernel: k, Strict: true}, true
	}
	ts, tz, iv, dt := types.TimestampT, types.TimestampTZT, types.IntervalT, types.DateT
	switch op {
	case opAdd:
		switch {
		case ak == types.Date && b.IsInteger():
			return sig([]types.T{dt, types.Int32T}, dt, dateAddDays(false))
		case a.IsInteger() && bk == types.Date:
			return sig([]types.T{types.Int32T, dt}, dt, swapArgs(dateAddDays(false)))
		case (ak == types.Date || ak == types.Timestamp) && bk == types.Interval:
			return sig([]types.T{ts, iv}, ts, tsAddInterval(false, false))
		case ak == types.Interval && (bk == types.Date || bk == types.Timestamp):
			return sig([]types.T{iv, ts}, ts, swapArgs(tsAddInterval(false, false)))
		case ak == types.TimestampTZ && bk == types.Interval:
			return sig([]types.T{tz, iv}, tz, tsAddInterval(false, true))
		case ak == types.Interval && bk == types.TimestampTZ:
			return sig([]types.T{iv, tz}, tz, swapArgs(tsAddInterval(false, true)))
		case ak == types.Date && bk == types.Time:
			return sig([]types.T{dt, types.TimeT}, ts, dateAddTime())
		case ak == types.Time && bk == types.Date:
			return sig([]types.T{types.TimeT, dt}, ts, swapArgs(dateAddTime()))
		case ak == types.Time && bk == types.Interval:
			return sig([]types.T{types.TimeT, iv}, types.TimeT, timeAddInterval(false))
		case ak == types.Interval && bk == types.Time:
			return sig([]types.T{iv, types.TimeT}, types.TimeT, swapArgs(timeAddInterval(false)))
		case ak == types.Interval && bk == types.Interval:
			return sig([]types.T{iv, iv}, iv, intervalAddSub(false))
		}
	case opSub:
		switch {
		case ak == types.Date && b.IsInteger():
			return sig([]types.T{dt, types.Int32T}, dt, dateAddDays(true))
		case ak == types.Date && bk == types.Date:
			return sig([]types.T{dt, dt}, types.Int32T, dateDiff())
		case (ak == types.Date || ak == types.Timestamp) && bk == types.Interval:
			return sig([]types.T{ts, iv}, ts, tsAddInterval(true, false))
		case ak == types.TimestampTZ && bk == types.Interval:
			return sig([]types.T{tz, iv}, tz, tsAddInterval(true, true))
		case (ak == types.TimestampTZ || bk == types.TimestampTZ) && isDateTime(a) && isDateTime(b):
			return sig([]types.T{tz, tz}, iv, tsDiff())
		case isDateTime(a) && isDateTime(b):
			return sig([]types.T{ts, ts}, iv, tsDiff())
		case ak == types.Time && bk == types.Interval:
			return sig([]types.T{types.TimeT, iv}, types.TimeT, timeAddInterval(true))
		case ak == types.Time && bk == types.Time:
			return sig([]types.T{types.TimeT, types.TimeT}, iv, timeDiff())
		case ak == types.Interval && bk == types.Interval:
			return sig([]types.T{iv, iv}, iv, intervalAddSub(true))
		}
	case opMul:
		switch {
		case ak == types.Interval && b.IsNumeric():
			return sig([]types.T{iv, types.Float64T}, iv, intervalMul(false))
		case a.IsNumeric() && bk == types.Interval:
			return sig([]types.T{types.Float64T, iv}, iv, swapArgs(intervalMul(false)))
		}
	case opDiv:
		if ak == types.Interval && b.IsNumeric() {
			return sig([]types.T{iv, types.Float64T}, iv, intervalMul(true))
		}
	}
	return Sig{}, false
}

// swapArgs adapts a kernel written for (x, y) to calls with (y, x).
func swapArgs(k Kernel) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return k(ctx, []arrow.Array{args[1], args[0]}, n)
	}
}

// rows2 builds a strict binary kernel from a per-row function; f's error fails the
// statement unless the row is NULL.
func rows2[A, B, R arrow.FixedWidthType](ret types.T, mk func(*Context) func(A, B) (R, error)) Kernel {
	dt := ret.Arrow()
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		a, b := fixedValues[A](args[0])[:n], fixedValues[B](args[1])[:n]
		data, out := newFixed[R](mem, n)
		f := mk(ctx)
		for i := range a {
			r, err := f(a[i], b[i])
			if err != nil {
				if validAt(validity, i) {
					if validity != nil {
						validity.Release()
					}
					data.Release()
					return nil, err
				}
				var z R
				r = z
			}
			out[i] = r
		}
		return makeArray(dt, n, validity, data, nulls), nil
	}
}

var minDate, maxDate = floorDiv(minTimestampUs, usPerDay), floorDiv(maxTimestampUs, usPerDay)

func dateAddDays(sub bool) Kernel {
	return rows2(types.DateT, func(*Context) func(int32, int32) (int32, error) {
		return func(d, k int32) (int32, error) {
			r := int64(d) + int64(k)
			if sub {
				r = int64(d) - int64(k)
			}
			if r < minDate || r >= maxDate {
				return 0, errOutOfRange(types.Date)
			}
			return int32(r), nil
		}
	})
}

func dateDiff() Kernel {
	return rows2(types.Int32T, func(*Context) func(int32, int32) (int32, error) {
		return func(a, b int32) (int32, error) { return a - b, nil }
	})
}

func dateAddTime() Kernel {
	return rows2(types.TimestampT, func(*Context) func(int32, int64) (int64, error) {
		return func(d int32, t int64) (int64, error) { return int64(d)*usPerDay + t, nil }
	})
}

// addInterval adds (or subtracts) an interval to a timestamp read as local time.
func addInterval(ts int64, v ivl, sub bool) (int64, bool) {
	months, days, us := int64(v.Months), int64(v.Days), v.Nanoseconds/nsPerUs
	if sub {
		months, days, us = -months, -days, -us
	}
	if months != 0 || days != 0 {
		d, tod := splitTimestamp(ts)
		if months != 0 {
			y, m, dd := civilFromDays(d)
			y, m, dd = addMonths(y, m, dd, months)
			if y < minYear || y > maxYear {
				return 0, false
			}
			d = daysFromCivil(y, m, dd)
		}
		d += days
		if d < minDate || d > maxDate {
			return 0, false
		}
		ts = d*usPerDay + tod
	}
	r := ts + us
	if (ts^r)&(us^r) < 0 || !timestampInRange(r) {
		return 0, false
	}
	return r, true
}

func tsAddInterval(sub, tz bool) Kernel {
	ret := types.TimestampT
	if tz {
		ret = types.TimestampTZT
	}
	return rows2(ret, func(ctx *Context) func(int64, ivl) (int64, error) {
		loc := ctx.location()
		return func(ts int64, v ivl) (int64, error) {
			if tz && loc != nil && (v.Months != 0 || v.Days != 0) {
				r, ok := addInterval(utcToLocal(ts, loc), v, sub)
				if !ok {
					return 0, errOutOfRange(types.Timestamp)
				}
				// Keep the time part's elapsed µs exact across a DST change: only the
				// calendar part is done in local time.
				return localToUTC(r, loc), nil
			}
			r, ok := addInterval(ts, v, sub)
			if !ok {
				return 0, errOutOfRange(types.Timestamp)
			}
			return r, nil
		}
	})
}

// tsDiff is timestamp - timestamp: whole days and the remaining time (PostgreSQL's
// timestamp_mi with interval_justify_hours).
func tsDiff() Kernel {
	return rows2(types.IntervalT, func(*Context) func(int64, int64) (ivl, error) {
		return func(a, b int64) (ivl, error) {
			d := a - b
			if (a^b)&(a^d) < 0 {
				return ivl{}, errOutOfRange(types.Interval)
			}
			return ivl{Days: int32(d / usPerDay), Nanoseconds: d % usPerDay * nsPerUs}, nil
		}
	})
}

func timeAddInterval(sub bool) Kernel {
	return rows2(types.TimeT, func(*Context) func(int64, ivl) (int64, error) {
		return func(t int64, v ivl) (int64, error) {
			us := v.Nanoseconds / nsPerUs % usPerDay
			if sub {
				us = -us
			}
			return floorMod(t+us, usPerDay), nil
		}
	})
}

func timeDiff() Kernel {
	return rows2(types.IntervalT, func(*Context) func(int64, int64) (ivl, error) {
		return func(a, b int64) (ivl, error) { return ivl{Nanoseconds: (a - b) * nsPerUs}, nil }
	})
}

func intervalAddSub(sub bool) Kernel {
	return rows2(types.IntervalT, func(*Context) func(ivl, ivl) (ivl, error) {
		return func(a, b ivl) (ivl, error) {
			if sub {
				if b.Months == math.MinInt32 || b.Days == math.MinInt32 || b.Nanoseconds == math.MinInt64 {
					return ivl{}, errOutOfRange(types.Interval)
				}
				b = ivl{Months: -b.Months, Days: -b.Days, Nanoseconds: -b.Nanoseconds}
			}
			m := int64(a.Months) + int64(b.Months)
			d := int64(a.Days) + int64(b.Days)
			ns := a.Nanoseconds + b.Nanoseconds
			if m != int64(int32(m)) || d != int64(int32(d)) || (a.Nanoseconds^ns)&(b.Nanoseconds^ns) < 0 {
				return ivl{}, errOutOfRange(types.Interval)
			}
			return ivl{Months: int32(m), Days: int32(d), Nanoseconds: ns}, nil
		}
	})
}

// intervalMul is PostgreSQL's interval_mul (and interval_div with div): fractional months
// spill into days (30 per month) and fractional days into time.
func intervalMul(div bool) Kernel {
	return rows2(types.IntervalT, func(*Context) func(ivl, float64) (ivl, error) {
		return func(v ivl, f float64) (ivl, error) {
			if div {
				if f == 0 {
					return ivl{}, errDivisionByZero()
				}
				f = 1 / f
			}
			return mulInterval(v, f)
		}
	})
}

func mulInterval(v ivl, f float64) (ivl, error) {
	mo := float64(v.Months) * f
	dd := float64(v.Days) * f
	if math.IsNaN(mo) || mo > math.MaxInt32 || mo < math.MinInt32 || math.IsNaN(dd) || dd > math.MaxInt32 || dd < math.MinInt32 {
		return ivl{}, errOutOfRange(types.Interval)
	}
	rm, rd := int32(mo), int32(dd)
	monthRemDays := (mo - float64(rm)) * 30
	monthRemDays = math.RoundToEven(monthRemDays*1e6) / 1e6
	secRem := (dd - float64(rd) + monthRemDays - math.Trunc(monthRemDays)) * 86400
	secRem = math.RoundToEven(secRem*1e6) / 1e6
	if math.Abs(secRem) >= 86400 {
		extra := math.Trunc(secRem / 86400)
		rd += int32(extra)
		secRem -= extra * 86400
	}
	rd += int32(monthRemDays)
	us := math.RoundToEven(float64(v.Nanoseconds/nsPerUs)*f + secRem*1e6)
	if math.IsNaN(us) || us >= math.MaxInt64/float64(nsPerUs) || us <= math.MinInt64/float64(nsPerUs) {
		return ivl{}, errOutOfRange(types.Interval)
	}
	return ivl{Months: rm, Days: rd, Nanoseconds: int64(us) * nsPerUs}, nil
}
