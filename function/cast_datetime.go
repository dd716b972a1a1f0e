package function

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// Casts among date, time, timestamp, timestamptz and interval. Conversions between local
// time (date, timestamp) and timestamptz use the session time zone (Context.TimeZone),
// with a fast path for UTC.

func castDateTime(from, to types.T) Kernel {
	type pair struct{ f, t types.Kind }
	switch (pair{from.Kind, to.Kind}) {
	case pair{types.Date, types.Timestamp}:
		return mapFixed[int32, int64](to, func(_ *Context) func(int32) int64 {
			return func(d int32) int64 { return int64(d) * usPerDay }
		})
	case pair{types.Date, types.TimestampTZ}:
		return mapFixed[int32, int64](to, func(c *Context) func(int32) int64 {
			loc := c.location()
			return func(d int32) int64 {
				if loc == nil {
					return int64(d) * usPerDay
				}
				return localToUTC(int64(d)*usPerDay, loc)
			}
		})
	case pair{types.Timestamp, types.Date}:
		return mapFixed[int64, int32](to, func(_ *Context) func(int64) int32 {
			return func(us int64) int32 { return int32(floorDiv(us, usPerDay)) }
		})
	case pair{types.Timestamp, types.Time}:
		return mapFixed[int64, int64](to, func(_ *Context) func(int64) int64 {
			return func(us int64) int64 { return floorMod(us, usPerDay) }
		})
	case pair{types.Timestamp, types.TimestampTZ}:
		return mapFixed[int64, int64](to, func(c *Context) func(int64) int64 {
			loc := c.location()
			return func(us int64) int64 {
				if loc == nil {
					return us
				}
				return localToUTC(us, loc)
			}
		})
	case pair{types.TimestampTZ, types.Timestamp}:
		return mapFixed[int64, int64](to, func(c *Context) func(int64) int64 {
			loc := c.location()
			return func(us int64) int64 { return utcToLocal(us, loc) }
		})
	case pair{types.TimestampTZ, types.Date}:
		return mapFixed[int64, int32](to, func(c *Context) func(int64) int32 {
			loc := c.location()
			return func(us int64) int32 { return int32(floorDiv(utcToLocal(us, loc), usPerDay)) }
		})
	case pair{types.TimestampTZ, types.Time}:
		return mapFixed[int64, int64](to, func(c *Context) func(int64) int64 {
			loc := c.location()
			return func(us int64) int64 { return floorMod(utcToLocal(us, loc), usPerDay) }
		})
	case pair{types.Time, types.Interval}:
		return mapFixed[int64, arrow.MonthDayNanoInterval](to, func(_ *Context) func(int64) arrow.MonthDayNanoInterval {
			return func(us int64) arrow.MonthDayNanoInterval {
				return arrow.MonthDayNanoInterval{Nanoseconds: us * nsPerUs}
			}
		})
	case pair{types.Interval, types.Time}:
		return mapFixed[arrow.MonthDayNanoInterval, int64](to, func(_ *Context) func(arrow.MonthDayNanoInterval) int64 {
			return func(v arrow.MonthDayNanoInterval) int64 { return floorMod(v.Nanoseconds/nsPerUs, usPerDay) }
		})
	}
	return nil
}

// mapFixed builds a kernel applying an infallible per-value conversion; mk is called once
// per batch with the context (to resolve the time zone).
func mapFixed[S, D arrow.FixedWidthType](to types.T, mk func(*Context) func(S) D) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		f := mk(ctx)
		data, out := newFixed[D](mem, n)
		for i, x := range fixedValues[S](args[0])[:n] {
			out[i] = f(x)
		}
		return makeArray(to.Arrow(), n, validity, data, nulls), nil
	}
}
