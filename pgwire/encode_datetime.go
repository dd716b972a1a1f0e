package pgwire

import (
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/types"
)

// Dates, times, timestamps and intervals in PostgreSQL's ISO DateStyle and postgres
// IntervalStyle. Timestamps with time zone are printed in UTC with "+00": the session's
// TimeZone is UTC until sessions can change it, at which point the zone's offset is applied
// here.

const (
	usPerSec  = int64(1_000_000)
	usPerMin  = 60 * usPerSec
	usPerHour = 60 * usPerMin
	usPerDay  = 24 * usPerHour
)

// newTemporalAppender handles the date/time Arrow arrays; ok is false for other arrays.
func newTemporalAppender(t types.T, arr arrow.Array) (app textAppender, ok bool, err error) {
	switch a := arr.(type) {
	case *array.Date32:
		return nullable(a, func(dst []byte, i int) []byte {
			d := int32(a.Value(i))
			// PostgreSQL keeps date infinities as the extreme int32 values.
			switch d {
			case math.MaxInt32:
				return append(dst, "infinity"...)
			case math.MinInt32:
				return append(dst, "-infinity"...)
			}
			return appendDate(dst, int64(d), false)
		}), true, nil
	case *array.Date64:
		return nullable(a, func(dst []byte, i int) []byte {
			return appendDate(dst, floorDiv(int64(a.Value(i)), 86_400_000), false)
		}), true, nil
	case *array.Time32:
		mul := int64(1_000)
		if a.DataType().(*arrow.Time32Type).Unit == arrow.Second {
			mul = usPerSec
		}
		return nullable(a, func(dst []byte, i int) []byte { return appendTime(dst, int64(a.Value(i))*mul) }), true, nil
	case *array.Time64:
		div := int64(1)
		if a.DataType().(*arrow.Time64Type).Unit == arrow.Nanosecond {
			div = 1_000
		}
		return nullable(a, func(dst []byte, i int) []byte { return appendTime(dst, int64(a.Value(i))/div) }), true, nil
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		tz := t.Kind == types.TimestampTZ || tt.TimeZone != ""
		toMicros := unitToMicros(tt.Unit)
		return nullable(a, func(dst []byte, i int) []byte {
			v := int64(a.Value(i))
			// PostgreSQL's timestamp infinities are the extreme int64 values.
			switch v {
			case math.MaxInt64:
				return append(dst, "infinity"...)
			case math.MinInt64:
				return append(dst, "-infinity"...)
			}
			return appendTimestamp(dst, toMicros(v), tz)
		}), true, nil
	case *array.MonthDayNanoInterval:
		return nullable(a, func(dst []byte, i int) []byte {
			v := a.Value(i)
			return appendInterval(dst, v.Months, v.Days, v.Nanoseconds/1_000)
		}), true, nil
	case *array.DayTimeInterval:
		return nullable(a, func(dst []byte, i int) []byte {
			v := a.Value(i)
			return appendInterval(dst, 0, v.Days, int64(v.Milliseconds)*1_000)
		}), true, nil
	case *array.MonthInterval:
		return nullable(a, func(dst []byte, i int) []byte {
			return appendInterval(dst, int32(a.Value(i)), 0, 0)
		}), true, nil
	case *array.Duration:
		toMicros := unitToMicros(a.DataType().(*arrow.DurationType).Unit)
		return nullable(a, func(dst []byte, i int) []byte {
			return appendInterval(dst, 0, 0, toMicros(int64(a.Value(i))))
		}), true, nil
	}
	return nil, false, nil
}

// unitToMicros converts a count of unit to microseconds, PostgreSQL's resolution.
// Nanoseconds are floored to the microsecond.
func unitToMicros(u arrow.TimeUnit) func(int64) int64 {
	switch u {
	case arrow.Second:
		return func(v int64) int64 { return v * usPerSec }
	case arrow.Millisecond:
		return func(v int64) int64 { return v * 1_000 }
	case arrow.Nanosecond:
		return func(v int64) int64 { return floorDiv(v, 1_000) }
	}
	return func(v int64) int64 { return v }
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date with astronomical
// year numbering (year 0 is 1 BC), after Howard Hinnant's days_from_civil inverse.
func civil(days int64) (year int64, month, day int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	year = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		month = int(mp + 3)
	} else {
		month = int(mp - 9)
	}
	if month <= 2 {
		year++
	}
	return year, month, day
}

// appendDate prints YYYY-MM-DD; years before 1 AD print as PostgreSQL does, "0044-03-15 BC".
// With deferBC the caller appends the " BC" itself (timestamps put it after the time).
func appendDate(dst []byte, days int64, deferBC bool) []byte {
	y, m, d := civil(days)
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendPadded(dst, y, 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, int64(m), 2)
	dst = append(dst, '-')
	dst = appendPadded(dst, int64(d), 2)
	if bc && !deferBC {
		dst = append(dst, " BC"...)
	}
	return dst
}

func appendPadded(dst []byte, v int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for range width - len(s) {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// appendTime prints a time of day in microseconds as HH:MM:SS[.ffffff], trailing zeros of
// the fraction trimmed (24:00:00 is a valid PostgreSQL time).
func appendTime(dst []byte, us int64) []byte {
	dst = appendPadded(dst, us/usPerHour, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, us/usPerMin%60, 2)
	dst = append(dst, ':')
	return appendSeconds(dst, us%usPerMin)
}

// appendSeconds prints |us| (under a minute for times, any size for intervals' seconds
// field) as SS[.ffffff] with the fraction's trailing zeros trimmed.
func appendSeconds(dst []byte, us int64) []byte {
	if us < 0 {
		us = -us
	}
	dst = appendPadded(dst, us/usPerSec, 2)
	frac := us % usPerSec
	if frac == 0 {
		return dst
	}
	dst = append(dst, '.')
	n := 6
	for frac%10 == 0 {
		frac /= 10
		n--
	}
	return appendPadded(dst, frac, n)
}

// appendTimestamp prints microseconds since 1970-01-01 00:00:00 (UTC for timestamptz).
func appendTimestamp(dst []byte, us int64, tz bool) []byte {
	days := floorDiv(us, usPerDay)
	dst = appendDate(dst, days, true)
	dst = append(dst, ' ')
	dst = appendTime(dst, us-days*usPerDay)
	if tz {
		dst = append(dst, "+00"...)
	}
	if y, _, _ := civil(days); y <= 0 {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendInterval prints an interval in the postgres IntervalStyle, following PostgreSQL's
// EncodeInterval: "1 year 2 mons 3 days 04:05:06", signs per field, a "+" after a negative
// field, and "00:00:00" for the zero interval.
func appendInterval(dst []byte, months, days int32, us int64) []byte {
	isZero, isBefore := true, false
	part := func(v int64, unit string) {
		if v == 0 {
			return
		}
		if !isZero {
			dst = append(dst, ' ')
		}
		if isBefore && v > 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, v, 10)
		dst = append(dst, ' ')
		dst = append(dst, unit...)
		if v != 1 {
			dst = append(dst, 's')
		}
		isBefore, isZero = v < 0, false
	}
	part(int64(months/12), "year")
	part(int64(months%12), "mon")
	part(int64(days), "day")
	if isZero || us != 0 {
		hours := us / usPerHour
		rest := us - hours*usPerHour
		mins := rest / usPerMin
		secs := rest - mins*usPerMin
		if !isZero {
			dst = append(dst, ' ')
		}
		if us < 0 {
			dst = append(dst, '-')
		} else if isBefore {
			dst = append(dst, '+')
		}
		dst = appendPadded(dst, abs64(hours), 2)
		dst = append(dst, ':')
		dst = appendPadded(dst, abs64(mins), 2)
		dst = append(dst, ':')
		dst = appendSeconds(dst, secs)
	}
	return dst
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
