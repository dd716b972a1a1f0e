package function

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Date/time functions: date_trunc and date_part/extract (PostgreSQL), the Trino field
// functions (year, month, day_of_week, ...), date_add and date_diff (Trino), and the
// clock functions now/current_timestamp/current_date/localtimestamp (Stable: they read the
// statement's start time from the Context).
//
// Choices where the dialects differ:
//   - date_part and extract both return double precision (PostgreSQL 14+ returns numeric
//     for extract; the values are the same and integral fields print without a fraction).
//   - date_trunc of a date returns a timestamp (PostgreSQL goes through timestamptz).
//   - day_of_week/dow are Trino's ISO numbering (Monday = 1 .. Sunday = 7); PostgreSQL's
//     extract(dow ...) is Sunday = 0 .. 6, and extract(isodow ...) is ISO.
//   - Operations on timestamptz happen in the session time zone (Context.TimeZone).

// canonicalUnit maps a unit or field spelling to its canonical name, or "".
func canonicalUnit(s string) string {
	u := strings.ToLower(strings.TrimSpace(s))
	if c, ok := intervalUnits[u]; ok {
		return c
	}
	switch u {
	case "quarter", "quarters", "qtr":
		return "quarter"
	case "dow", "isodow", "doy", "epoch", "isoyear", "julian", "timezone", "timezone_hour", "timezone_minute":
		return u
	case "day_of_week":
		return "isodow"
	case "day_of_year":
		return "doy"
	case "week_of_year":
		return "week"
	}
	return ""
}

// unitCache resolves the unit argument once per distinct value in a batch.
type unitCache struct {
	last []byte
	unit string
	ok   bool
}

func (c *unitCache) get(b []byte) (string, bool) {
	if c.last == nil || string(b) != string(c.last) {
		c.last = append(c.last[:0], b...)
		if c.last == nil {
			c.last = []byte{}
		}
		c.unit = canonicalUnit(string(b))
		c.ok = c.unit != ""
	}
	return c.unit, c.ok
}

func errUnit(kind string, u []byte, t types.T) error {
	return sqlerr.New(sqlerr.InvalidParameterValue, "%s units \"%s\" not recognized for type %s", kind, string(u), t.PGName())
}

// truncTimestamp truncates local µs to a unit; ok is false for units date_trunc lacks.
func truncTimestamp(us int64, unit string) (int64, bool) {
	days, tod := splitTimestamp(us)
	switch unit {
	case "microsecond":
		return us, true
	case "millisecond":
		return us - floorMod(us, 1000), true
	case "second":
		return us - floorMod(us, usPerSecond), true
	case "minute":
		return us - floorMod(us, usPerMinute), true
	case "hour":
		return us - floorMod(us, usPerHour), true
	case "day":
		return us - tod, true
	case "week":
		return (days - (isoWeekday(days) - 1)) * usPerDay, true
	}
	y, m, _ := civilFromDays(days)
	switch unit {
	case "month":
	case "quarter":
		m = (m-1)/3*3 + 1
	case "year":
		m = 1
	case "decade":
		m = 1
		if y > 0 {
			y = y / 10 * 10
		} else {
			y = -((8 - (y - 1)) / 10) * 10
		}
	case "century":
		m = 1
		if y > 0 {
			y = (y+99)/100*100 - 99
		} else {
			y = -((99-(y-1))/100)*100 + 1
		}
	case "millennium":
		m = 1
		if y > 0 {
			y = (y+999)/1000*1000 - 999
		} else {
			y = -((999-(y-1))/1000)*1000 + 1
		}
	default:
		return 0, false
	}
	return daysFromCivil(y, m, 1) * usPerDay, true
}

func bindDateTrunc(args []types.T) (Sig, bool) {
	if len(args) != 2 || !isStringy(args[0]) {
		return Sig{}, false
	}
	t := args[1]
	switch t.Kind {
	case types.Date, types.Timestamp, types.Unknown:
		t = types.TimestampT
	case types.TimestampTZ:
	default:
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.VarcharT, t}, Ret: t, Kernel: dateTruncKernel(t), Strict: true}, true
}

func dateTruncKernel(t types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		units := viewBytes(args[0])
		ts := fixedValues[int64](args[1])
		loc := ctx.location()
		var uc unitCache
		return rowsFixed(ctx, args, n, t.Arrow(), func(i int) (int64, error) {
			u, ok := uc.get(units.at(i))
			v := ts[i]
			if t.Kind == types.TimestampTZ {
				v = utcToLocal(v, loc)
			}
			r, ok2 := truncTimestamp(v, u)
			if !ok || !ok2 {
				return 0, errUnit("timestamp", units.at(i), t)
			}
			if t.Kind == types.TimestampTZ && loc != nil {
				r = localToUTC(r, loc)
			}
			return r, nil
		})
	}
}

// fieldOf extracts a field of local µs (or of a date's midnight) as date_part does.
func fieldOf(us int64, unit string) (float64, bool) {
	days, tod := splitTimestamp(us)
	sec := float64(tod%usPerMinute) / 1e6
	switch unit {
	case "microsecond":
		return float64(tod % usPerMinute), true
	case "millisecond":
		return float64(tod%usPerMinute) / 1e3, true
	case "second":
		return sec, true
	case "minute":
		return float64(tod / usPerMinute % 60), true
	case "hour":
		return float64(tod / usPerHour), true
	case "epoch":
		return float64(us) / 1e6, true
	case "dow":
		return float64(isoWeekday(days) % 7), true
	case "isodow":
		return float64(isoWeekday(days)), true
	case "week":
		_, w := isoYearWeek(days)
		return float64(w), true
	case "isoyear":
		y, _ := isoYearWeek(days)
		return float64(y), true
	case "julian":
		return float64(days+2440588) + float64(tod)/float64(usPerDay), true
	}
	y, m, d := civilFromDays(days)
	switch unit {
	case "day":
		return float64(d), true
	case "month":
		return float64(m), true
	case "quarter":
		return float64((m-1)/3 + 1), true
	case "year":
		if y <= 0 {
			return float64(y - 1), true // PostgreSQL numbers BC years -1, -2, ...
		}
		return float64(y), true
	case "doy":
		return float64(days - daysFromCivil(y, 1, 1) + 1), true
	case "decade":
		return float64(floorDiv(y, 10)), true
	case "century":
		if y > 0 {
			return float64((y + 99) / 100), true
		}
		return float64(-((99 - (y - 1)) / 100)), true
	case "millennium":
		if y > 0 {
			return float64((y + 999) / 1000), true
		}
		return float64(-((999 - (y - 1)) / 1000)), true
	}
	return 0, false
}

// intervalField extracts a field of an interval as date_part does.
func intervalField(v arrow.MonthDayNanoInterval, unit string) (float64, bool) {
	us := v.Nanoseconds / nsPerUs
	switch unit {
	case "microsecond":
		return float64(us % usPerMinute), true
	case "millisecond":
		return float64(us%usPerMinute) / 1e3, true
	case "second":
		return float64(us%usPerMinute) / 1e6, true
	case "minute":
		return float64(us / usPerMinute % 60), true
	case "hour":
		return float64(us / usPerHour), true
	case "day":
		return float64(v.Days), true
	case "month":
		return float64(v.Months % 12), true
	case "quarter":
		return float64(v.Months%12/3 + 1), true
	case "year":
		return float64(v.Months / 12), true
	case "decade":
		return float64(v.Months / 120), true
	case "century":
		return float64(v.Months / 1200), true
	case "millennium":
		return float64(v.Months / 12000), true
	case "epoch":
		return float64(us)/1e6 + 365.25*86400*float64(v.Months/12) + 30*86400*float64(v.Months%12) + 86400*float64(v.Days), true
	}
	return 0, false
}

func bindDatePart(args []types.T) (Sig, bool) {
	if len(args) != 2 || !isStringy(args[0]) {
		return Sig{}, false
	}
	t := args[1]
	switch t.Kind {
	case types.Date, types.Time, types.Timestamp, types.TimestampTZ, types.Interval:
	case types.Unknown:
		t = types.TimestampT
	default:
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.VarcharT, t}, Ret: types.Float64T, Kernel: datePartKernel(t), Strict: true}, true
}

// localMicros returns an accessor giving row i of a date/time column as local µs.
func localMicros(ctx *Context, a arrow.Array, t types.T) func(i int) int64 {
	switch t.Kind {
	case types.Date:
		v := fixedValues[int32](a)
		return func(i int) int64 { return int64(v[i]) * usPerDay }
	case types.TimestampTZ:
		v := fixedValues[int64](a)
		loc := ctx.location()
		return func(i int) int64 { return utcToLocal(v[i], loc) }
	}
	v := fixedValues[int64](a)
	return func(i int) int64 { return v[i] }
}

func datePartKernel(t types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		units := viewBytes(args[0])
		var uc unitCache
		var get func(i int, unit string) (float64, bool)
		switch t.Kind {
		case types.Interval:
			v := fixedValues[arrow.MonthDayNanoInterval](args[1])
			get = func(i int, u string) (float64, bool) { return intervalField(v[i], u) }
		case types.Time:
			v := fixedValues[int64](args[1])
			get = func(i int, u string) (float64, bool) {
				switch u {
				case "microsecond", "millisecond", "second", "minute", "hour", "epoch":
					return fieldOf(v[i], u)
				}
				return 0, false
			}
		default:
			at := localMicros(ctx, args[1], t)
			// Only timestamptz holds 64-bit instants; a date column holds 32-bit days.
			var raw []int64
			if t.Kind == types.TimestampTZ {
				raw = fixedValues[int64](args[1])
			}
			get = func(i int, u string) (float64, bool) {
				if u == "epoch" && raw != nil {
					return float64(raw[i]) / 1e6, true // the instant, not local time
				}
				return fieldOf(at(i), u)
			}
		}
		return rowsFixed(ctx, args, n, arrow.PrimitiveTypes.Float64, func(i int) (float64, error) {
			u, ok := uc.get(units.at(i))
			if !ok {
				return 0, errUnit("unit", units.at(i), t)
			}
			r, ok := get(i, u)
			if !ok {
				return 0, errUnit("unit", units.at(i), t)
			}
			return r, nil
		})
	}
}

// bindField resolves a Trino field function (year(x), hour(x), ...) returning bigint.
func bindField(unit string) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 1 {
			return Sig{}, false
		}
		t := args[0]
		switch t.Kind {
		case types.Date, types.Timestamp, types.TimestampTZ:
		case types.Time:
			switch unit {
			case "hour", "minute", "second", "millisecond":
			default:
				return Sig{}, false
			}
		case types.Interval:
			switch unit {
			case "year", "month", "day", "hour", "minute", "second", "millisecond":
			default:
				return Sig{}, false
			}
		case types.Unknown:
			t = types.TimestampT
		default:
			return Sig{}, false
		}
		return Sig{Args: []types.T{t}, Ret: types.Int64T, Kernel: fieldKernel(t, unit), Strict: true}, true
	}
}

func fieldKernel(t types.T, unit string) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		var get func(i int) int64
		switch t.Kind {
		case types.Interval:
			v := fixedValues[arrow.MonthDayNanoInterval](args[0])
			get = func(i int) int64 {
				if unit == "millisecond" {
					return v[i].Nanoseconds / 1e6 % 1000
				}
				f, _ := intervalField(v[i], unit)
				return int64(f)
			}
		case types.Time:
			v := fixedValues[int64](args[0])
			get = func(i int) int64 { return timeField(v[i], unit) }
		default:
			at := localMicros(ctx, args[0], t)
			get = func(i int) int64 { return timeField(at(i), unit) }
		}
		return rowsFixed(ctx, args, n, arrow.PrimitiveTypes.Int64, func(i int) (int64, error) { return get(i), nil })
	}
}

// timeField is Trino's integral field of local µs.
func timeField(us int64, unit string) int64 {
	switch unit {
	case "second":
		return floorMod(us, usPerMinute) / usPerSecond
	case "millisecond":
		return floorMod(us, usPerSecond) / 1000
	case "year":
		y, _, _ := civilFromDays(floorDiv(us, usPerDay))
		return y // Trino numbers years astronomically (1 BC is 0)
	}
	f, _ := fieldOf(us, unit)
	return int64(f)
}
