package function

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// More date/time functions: ISO 8601 input and output (Trino), age (PostgreSQL),
// make_date, last_day_of_month (Trino), current_time/localtime, and timezone(zone, x), the
// function the planner turns `x AT TIME ZONE zone` into.
//
// timezone follows PostgreSQL: timestamp → timestamptz reads the timestamp as wall-clock
// time in the zone; timestamptz → timestamp gives the wall-clock time in the zone. Zones are
// IANA names (time.LoadLocation), UTC/GMT/Z, a few common abbreviations, or numeric
// offsets — which PostgreSQL reads as POSIX does, positive meaning WEST of Greenwich
// ('+05' is UTC-5), unlike ISO 8601. An interval zone is an offset east of UTC.

// bindFromISO8601 resolves from_iso8601_timestamp(text) → timestamptz (no zone in the text
// means the session time zone) and from_iso8601_date(text) → date.
func bindFromISO8601(ret types.T) Binder {
	return bindStr("t", ret, func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s := viewBytes(args[0])
			if ret.Kind == types.Date {
				return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (int32, error) {
					v := s.at(i)
					if k := indexByte(v, 'T'); k >= 0 {
						return 0, errDatetimeSyntax(types.DateT, string(v))
					}
					return ParseDate(string(v))
				})
			}
			loc := ctx.location()
			return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (int64, error) {
				return ParseTimestampTZ(string(s.at(i)), loc)
			})
		}
	})
}

// bindToISO8601 resolves to_iso8601(date|timestamp|timestamptz) → text:
// 2020-01-02, 2020-01-02T03:04:05.000000, 2020-01-02T03:04:05.000000Z (or +05:30 in the
// session time zone).
func bindToISO8601(args []types.T) (Sig, bool) {
	if len(args) != 1 || !isDateTime(args[0]) {
		return Sig{}, false
	}
	t := args[0]
	return Sig{Args: []types.T{t}, Ret: types.VarcharT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		if t.Kind == types.Date {
			d := fixedValues[int32](args[0])
			return textRows(ctx, args, n, 10*n, func(dst []byte, i int) ([]byte, error) {
				out, _ := appendYMD(dst, int64(d[i]))
				return out, nil
			})
		}
		v := fixedValues[int64](args[0])
		loc := ctx.location()
		return textRows(ctx, args, n, 32*n, func(dst []byte, i int) ([]byte, error) {
			us, off := v[i], int64(0)
			if t.Kind == types.TimestampTZ {
				off, _ = zoneAt(loc, us)
				us += off * usPerSecond
			}
			c := civilOf(us)
			dst, _ = appendYMD(dst, c.days)
			dst = append(dst, 'T')
			dst = appendInt(dst, c.hh, 2)
			dst = append(dst, ':')
			dst = appendInt(dst, c.mi, 2)
			dst = append(dst, ':')
			dst = appendInt(dst, c.ss, 2)
			dst = append(dst, '.')
			dst = appendInt(dst, c.us, 6)
			if t.Kind != types.TimestampTZ {
				return dst, nil
			}
			if off == 0 {
				return append(dst, 'Z'), nil
			}
			if off < 0 {
				dst = append(dst, '-')
				off = -off
			} else {
				dst = append(dst, '+')
			}
			dst = appendInt(dst, off/3600, 2)
			dst = append(dst, ':')
			return appendInt(dst, off/60%60, 2), nil
		})
	}}, true
}

// ageOf is PostgreSQL's timestamp_age: the symbolic difference a - b in years, months,
// days and time, each field borrowing from the next as in hand subtraction.
func ageOf(a, b int64) arrow.MonthDayNanoInterval {
	ca, cb := civilOf(a), civilOf(b)
	neg := a < b
	if neg {
		ca, cb = cb, ca
	}
	us := ca.us - cb.us
	sec := ca.ss - cb.ss
	mi := ca.mi - cb.mi
	hh := ca.hh - cb.hh
	d := ca.d - cb.d
	m := ca.m - cb.m
	y := ca.y - cb.y
	if us < 0 {
		us += usPerSecond
		sec--
	}
	if sec < 0 {
		sec += 60
		mi--
	}
	if mi < 0 {
		mi += 60
		hh--
	}
	if hh < 0 {
		hh += 24
		d--
	}
	for d < 0 {
		// Borrow the length of the earlier value's month, as PostgreSQL does.
		d += daysInMonth(cb.y, cb.m)
		m--
	}
	for m < 0 {
		m += 12
		y--
	}
	tod := hh*usPerHour + mi*usPerMinute + sec*usPerSecond + us
	months, days := y*12+m, d
	if neg {
		months, days, tod = -months, -days, -tod
	}
	return arrow.MonthDayNanoInterval{Months: int32(months), Days: int32(days), Nanoseconds: tod * nsPerUs}
}

// bindAge resolves age(a, b) and age(a) (= age(current_date at midnight, a)).
func bindAge(args []types.T) (Sig, bool) {
	if len(args) < 1 || len(args) > 2 {
		return Sig{}, false
	}
	t := args[0]
	if len(args) == 2 {
		var ok bool
		if t, ok = CommonType(args[0], args[1]); !ok {
			return Sig{}, false
		}
		if args[0].Kind == types.Unknown && args[1].Kind == types.Unknown {
			t = types.TimestampT // two literals: read as timestamps, as PostgreSQL does
		}
	}
	switch t.Kind {
	case types.Date, types.Unknown:
		t = types.TimestampT
	case types.Timestamp, types.TimestampTZ:
	default:
		return Sig{}, false
	}
	ts := []types.T{t}
	if len(args) == 2 {
		ts = append(ts, t)
	}
	return Sig{Args: ts, Ret: types.IntervalT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		a := localMicros(ctx, args[0], t)
		var b func(i int) int64
		if len(args) == 2 {
			b = localMicros(ctx, args[1], t)
		}
		var today int64
		if ctx != nil {
			today = floorDiv(utcToLocal(ctx.NowMicros, ctx.location()), usPerDay) * usPerDay
		}
		return rowsFixed(ctx, args, n, types.IntervalT.Arrow(), func(i int) (arrow.MonthDayNanoInterval, error) {
			if b == nil {
				return ageOf(today, a(i)), nil
			}
			return ageOf(a(i), b(i)), nil
		})
	}}, true
}

// bindMakeDate resolves make_date(year, month, day) → date; a negative year is BC.
func bindMakeDate(args []types.T) (Sig, bool) {
	return bindStr("iii", types.DateT, func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			y, m, d := fixedValues[int32](args[0]), fixedValues[int32](args[1]), fixedValues[int32](args[2])
			return rowsFixed(ctx, args, n, types.DateT.Arrow(), func(i int) (int32, error) {
				yy, mm, dd := int64(y[i]), int64(m[i]), int64(d[i])
				if yy == 0 {
					return 0, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", yy, mm, dd)
				}
				if yy < 0 {
					yy++ // 1 BC is year 0
				}
				if mm < 1 || mm > 12 || dd < 1 || dd > daysInMonth(yy, mm) || yy < minYear || yy > maxYear {
					return 0, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", y[i], mm, dd)
				}
				return int32(daysFromCivil(yy, mm, dd)), nil
			})
		}
	})(args)
}

// bindLastDayOfMonth resolves Trino's last_day_of_month(date|timestamp|timestamptz) → date.
func bindLastDayOfMonth(args []types.T) (Sig, bool) {
	if len(args) != 1 || !isDateTime(args[0]) {
		return Sig{}, false
	}
	t := args[0]
	return Sig{Args: []types.T{t}, Ret: types.DateT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		at := localMicros(ctx, args[0], t)
		return rowsFixed(ctx, args, n, types.DateT.Arrow(), func(i int) (int32, error) {
			y, m, _ := civilFromDays(floorDiv(at(i), usPerDay))
			return int32(daysFromCivil(y, m, daysInMonth(y, m))), nil
		})
	}}, true
}

// bindCurrentTime resolves current_time and localtime: the time of day of the statement's
// start in the session time zone (PostgreSQL's current_time is timetz, which Quarry does
// not have; the value is the same local time).
func bindCurrentTime(args []types.T) (Sig, bool) {
	if len(args) != 0 {
		return Sig{}, false
	}
	return Sig{Ret: types.TimeT, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		var now int64
		if ctx != nil {
			now = utcToLocal(ctx.NowMicros, ctx.location())
		}
		_, tod := splitTimestamp(now)
		data, out := newFixed[int64](ctx.mem(), n)
		for i := range out {
			out[i] = tod
		}
		return makeArray(types.TimeT.Arrow(), n, nil, data, 0), nil
	}}, true
}

// zoneAbbrevs are the abbreviations PostgreSQL knows that the zone database lacks, as
// offsets east of UTC in seconds.
var zoneAbbrevs = map[string]int64{
	"PST": -8 * 3600, "PDT": -7 * 3600, "MDT": -6 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600, "EDT": -4 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "BST": 3600, "CEST": 2 * 3600, "EEST": 3 * 3600, "IST": 5*3600 + 1800,
	"JST": 9 * 3600, "KST": 9 * 3600, "AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
}

// tzSpec is a resolved zone: a location, or a fixed offset east of UTC.
type tzSpec struct {
	loc *time.Location
	off int64
}

// resolveZone reads a zone name as PostgreSQL's AT TIME ZONE does.
func resolveZone(name string) (tzSpec, error) {
	s := strings.TrimSpace(name)
	switch strings.ToUpper(s) {
	case "UTC", "GMT", "Z", "ZULU", "UT", "ETC/UTC":
		return tzSpec{}, nil
	}
	if off, ok := zoneAbbrevs[strings.ToUpper(s)]; ok {
		return tzSpec{off: off}, nil
	}
	// POSIX-style offsets: [UTC|GMT]+hh[:mm[:ss]], positive west of Greenwich.
	body := s
	if len(body) > 3 && (strings.EqualFold(body[:3], "UTC") || strings.EqualFold(body[:3], "GMT")) {
		body = body[3:]
	}
	if len(body) > 0 && (body[0] == '+' || body[0] == '-' || body[0] >= '0' && body[0] <= '9') {
		var d dtParsed
		p := &dtScanner{s: body}
		if body[0] >= '0' && body[0] <= '9' {
			p = &dtScanner{s: "+" + body}
		}
		if p.scanZone(&d) == dtOK && p.eof() && d.zone == nil {
			return tzSpec{off: -d.offset}, nil
		}
		return tzSpec{}, sqlerr.New(sqlerr.InvalidParameterValue, "time zone \"%s\" not recognized", name)
	}
	loc, err := loadLocation(s)
	if err != nil {
		return tzSpec{}, sqlerr.New(sqlerr.InvalidParameterValue, "time zone \"%s\" not recognized", name)
	}
	return tzSpec{loc: loc}, nil
}

// bindTimezone resolves timezone(zone text|interval, timestamp|timestamptz).
func bindTimezone(args []types.T) (Sig, bool) {
	if len(args) != 2 {
		return Sig{}, false
	}
	z := args[0]
	switch {
	case isStringy(z):
		z = types.VarcharT
	case z.Kind == types.Interval:
	default:
		return Sig{}, false
	}
	var ret types.T
	t := args[1]
	switch t.Kind {
	case types.Timestamp:
		ret = types.TimestampTZT
	case types.TimestampTZ, types.Date, types.Unknown:
		// A date or an untyped literal is read as timestamptz, PostgreSQL's preferred
		// datetime type: date '2020-01-01' AT TIME ZONE 'UTC' is a timestamp.
		t, ret = types.TimestampTZT, types.TimestampT
	default:
		return Sig{}, false
	}
	return Sig{Args: []types.T{z, t}, Ret: ret, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		v := fixedValues[int64](args[1])
		var zone func(i int) (tzSpec, error)
		if z.Kind == types.Interval {
			iv := fixedValues[arrow.MonthDayNanoInterval](args[0])
			zone = func(i int) (tzSpec, error) {
				if iv[i].Months != 0 || iv[i].Days != 0 {
					return tzSpec{}, sqlerr.New(sqlerr.InvalidParameterValue, "interval time zone must not include months or days")
				}
				return tzSpec{off: iv[i].Nanoseconds / 1e9}, nil
			}
		} else {
			names := viewBytes(args[0])
			var last []byte
			var cached tzSpec
			have := false
			zone = func(i int) (tzSpec, error) {
				nm := names.at(i)
				if have && string(nm) == string(last) {
					return cached, nil
				}
				zs, err := resolveZone(string(nm))
				if err != nil {
					return zs, err
				}
				cached, have, last = zs, true, append(last[:0], nm...)
				return zs, nil
			}
		}
		return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (int64, error) {
			zs, err := zone(i)
			if err != nil {
				return 0, err
			}
			var r int64
			switch {
			case t.Kind == types.TimestampTZ && zs.loc != nil:
				r = utcToLocal(v[i], zs.loc)
			case t.Kind == types.TimestampTZ:
				r = v[i] + zs.off*usPerSecond
			case zs.loc != nil:
				r = localToUTC(v[i], zs.loc)
			default:
				r = v[i] - zs.off*usPerSecond
			}
			if !timestampInRange(r) {
				return 0, errOutOfRange(types.Timestamp)
			}
			return r, nil
		})
	}}, true
}
