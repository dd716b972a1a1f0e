package function

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Interval input, as PostgreSQL's interval_in reads it:
//
//	'1 year 2 mons 3 days 04:05:06'   '-1 day'   '1.5 hours'   '3 days ago'   '@ 1 minute'
//	'1-2' (SQL year-month)   '3 4:05:06' (SQL day-time)   'P1Y2M3DT4H5M6S'   'PT1.5S'   'P1W'
//
// A bare number takes the unit of the qualifier's last field (interval '90' day), or seconds
// without one. Fractions cascade down as PostgreSQL does: 1.5 years = 1 year 6 mons,
// 1.5 months = 1 mon 15 days, 1.5 days = 1 day 12:00:00. The qualifier also truncates the
// fields below it (interval '1 day 02:03' day = 1 day).

// intervalAcc accumulates an interval while parsing.
type intervalAcc struct {
	months, days, us int64
	over             bool
}

func (a *intervalAcc) addMonths(v int64) { a.months = addSat(a.months, v, &a.over) }
func (a *intervalAcc) addDays(v int64)   { a.days = addSat(a.days, v, &a.over) }
func (a *intervalAcc) addUs(v int64)     { a.us = addSat(a.us, v, &a.over) }

func addSat(a, b int64, over *bool) int64 {
	r := a + b
	if (a^r)&(b^r) < 0 {
		*over = true
	}
	return r
}

func mulSat(a, b int64, over *bool) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	r := a * b
	if r/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		*over = true
	}
	return r
}

// addUnit adds ival+frac (same sign) of a unit.
func (a *intervalAcc) addUnit(unit string, ival int64, frac float64) bool {
	switch unit {
	case "microsecond":
		a.addUs(ival)
		a.addUs(int64(math.RoundToEven(frac)))
	case "millisecond":
		a.addUs(mulSat(ival, 1000, &a.over))
		a.addUs(int64(math.RoundToEven(frac * 1000)))
	case "second":
		a.addUs(mulSat(ival, usPerSecond, &a.over))
		a.addUs(int64(math.RoundToEven(frac * float64(usPerSecond))))
	case "minute":
		a.addUs(mulSat(ival, usPerMinute, &a.over))
		a.addUs(int64(math.RoundToEven(frac * float64(usPerMinute))))
	case "hour":
		a.addUs(mulSat(ival, usPerHour, &a.over))
		a.addUs(int64(math.RoundToEven(frac * float64(usPerHour))))
	case "day":
		a.addDays(ival)
		a.fracDays(frac)
	case "week":
		a.addDays(mulSat(ival, 7, &a.over))
		a.fracDays(frac * 7)
	case "month":
		a.addMonths(ival)
		a.fracDays(frac * 30)
	case "year":
		a.addMonths(mulSat(ival, 12, &a.over))
		a.addMonths(int64(math.RoundToEven(frac * 12)))
	case "decade":
		a.addMonths(mulSat(ival, 120, &a.over))
		a.addMonths(int64(math.RoundToEven(frac * 120)))
	case "century":
		a.addMonths(mulSat(ival, 1200, &a.over))
		a.addMonths(int64(math.RoundToEven(frac * 1200)))
	case "millennium":
		a.addMonths(mulSat(ival, 12000, &a.over))
		a.addMonths(int64(math.RoundToEven(frac * 12000)))
	default:
		return false
	}
	return true
}

// fracDays adds a fractional number of days: whole days, then the rest as time.
func (a *intervalAcc) fracDays(f float64) {
	d := math.Trunc(f)
	a.addDays(int64(d))
	a.addUs(int64(math.RoundToEven((f - d) * float64(usPerDay))))
}

// intervalUnits maps PostgreSQL's unit spellings to canonical units.
var intervalUnits = map[string]string{
	"microsecond": "microsecond", "microseconds": "microsecond", "usec": "microsecond", "usecs": "microsecond", "us": "microsecond",
	"millisecond": "millisecond", "milliseconds": "millisecond", "msec": "millisecond", "msecs": "millisecond", "ms": "millisecond",
	"second": "second", "seconds": "second", "sec": "second", "secs": "second", "s": "second",
	"minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute", "m": "minute",
	"hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour",
	"day": "day", "days": "day", "d": "day",
	"week": "week", "weeks": "week", "w": "week",
	"month": "month", "months": "month", "mon": "month", "mons": "month",
	"year": "year", "years": "year", "yr": "year", "yrs": "year", "y": "year",
	"decade": "decade", "decades": "decade", "dec": "decade", "decs": "decade",
	"century": "century", "centuries": "century", "cent": "century", "c": "century",
	"millennium": "millennium", "millennia": "millennium", "millenniums": "millennium", "mil": "millennium", "mils": "millennium",
}

// qualifierUnit returns the unit a bare number takes under a qualifier ("day to second"
// → second), or "" for an unknown qualifier.
func qualifierUnit(fields string) string {
	f := strings.ToLower(strings.TrimSpace(fields))
	if i := strings.LastIndex(f, " to "); i >= 0 {
		f = strings.TrimSpace(f[i+4:])
	}
	switch f {
	case "", "second":
		return "second"
	case "year", "month", "day", "hour", "minute":
		return f
	}
	return ""
}

// ParseInterval parses interval text with an optional qualifier (fields: "", "year",
// "month", "day", "hour", "minute", "second", or "X to Y" such as "year to month" and
// "day to second").
func ParseInterval(s, fields string) (arrow.MonthDayNanoInterval, error) {
	unit := qualifierUnit(fields)
	if unit == "" {
		return arrow.MonthDayNanoInterval{}, sqlerr.New(sqlerr.SyntaxError, "invalid interval qualifier %q", fields)
	}
	var a intervalAcc
	v := strings.ToLower(trimSpace(s))
	var ok bool
	if len(v) > 0 && (v[0] == 'p' || (len(v) > 1 && v[0] == '-' && v[1] == 'p')) {
		ok = parseISOInterval(v, &a)
	} else {
		ok = parseVerboseInterval(v, unit, &a)
	}
	if !ok {
		return arrow.MonthDayNanoInterval{}, errDatetimeSyntax(types.IntervalT, s)
	}
	truncateInterval(&a, fields)
	if a.over || a.months != int64(int32(a.months)) || a.days != int64(int32(a.days)) ||
		a.us > math.MaxInt64/nsPerUs || a.us < math.MinInt64/nsPerUs {
		return arrow.MonthDayNanoInterval{}, sqlerr.New(sqlerr.DatetimeFieldOverflow, "interval field value out of range: \"%s\"", s)
	}
	return arrow.MonthDayNanoInterval{Months: int32(a.months), Days: int32(a.days), Nanoseconds: a.us * nsPerUs}, nil
}

// truncateInterval drops the fields below a qualifier's last field.
func truncateInterval(a *intervalAcc, fields string) {
	f := strings.ToLower(strings.TrimSpace(fields))
	if i := strings.LastIndex(f, " to "); i >= 0 {
		f = strings.TrimSpace(f[i+4:])
	}
	switch f {
	case "year":
		a.months -= a.months % 12
		a.days, a.us = 0, 0
	case "month":
		a.days, a.us = 0, 0
	case "day":
		a.us = 0
	case "hour":
		a.us -= a.us % usPerHour
	case "minute":
		a.us -= a.us % usPerMinute
	}
}

// ivToken is a token of verbose interval text.
type ivToken struct {
	kind byte // 'n' number, 't' time, 'w' word, 'y' year-month
	text string
}

// tokenizeInterval splits at white space and between numbers and words ("1day").
func tokenizeInterval(v string) []ivToken {
	var toks []ivToken
	i := 0
	for i < len(v) {
		c := v[i]
		switch {
		case isSpace(c) || c == ',':
			i++
		case c >= 'a' && c <= 'z':
			j := i
			for j < len(v) && v[j] >= 'a' && v[j] <= 'z' {
				j++
			}
			toks = append(toks, ivToken{'w', v[i:j]})
			i = j
		case c == '@':
			i++
		default:
			j := i
			if v[j] == '+' || v[j] == '-' {
				j++
			}
			kind := byte('n')
			for j < len(v) && (v[j] >= '0' && v[j] <= '9' || v[j] == '.' || v[j] == ':' || v[j] == '-') {
				if v[j] == ':' {
					kind = 't'
				} else if v[j] == '-' && kind == 'n' {
					kind = 'y'
				}
				j++
			}
			if j == i {
				return nil // an unexpected character
			}
			toks = append(toks, ivToken{kind, v[i:j]})
			i = j
		}
	}
	return toks
}

// splitNumber parses a signed decimal into an integer part and a fraction of the same sign.
func splitNumber(t string) (int64, float64, bool) {
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	ip, fp, _ := strings.Cut(t, ".")
	if ip == "" && fp == "" {
		return 0, 0, false
	}
	var iv int64
	for i := 0; i < len(ip); i++ {
		if ip[i] < '0' || ip[i] > '9' {
			return 0, 0, false
		}
		if iv > (math.MaxInt64-9)/10 {
			return 0, 0, false
		}
		iv = iv*10 + int64(ip[i]-'0')
	}
	var frac float64
	if fp != "" {
		for i := 0; i < len(fp); i++ {
			if fp[i] < '0' || fp[i] > '9' {
				return 0, 0, false
			}
		}
		f, err := strconv.ParseFloat("0."+fp, 64)
		if err != nil {
			return 0, 0, false
		}
		frac = f
	}
	if neg {
		return -iv, -frac, true
	}
	return iv, frac, true
}

// parseClockInterval parses [-+]H:M[:S[.f]] (also M:S.f, as PostgreSQL reads "1:30.5").
func parseClockInterval(t string) (int64, bool) {
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	parts := strings.Split(t, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var h, m int64
	var sec float64
	var err error
	if len(parts) == 2 && strings.Contains(parts[1], ".") {
		// MM:SS.fff
		if m, err = strconv.ParseInt(parts[0], 10, 64); err != nil {
			return 0, false
		}
		if sec, err = strconv.ParseFloat(parts[1], 64); err != nil {
			return 0, false
		}
	} else {
		if h, err = strconv.ParseInt(parts[0], 10, 64); err != nil {
			return 0, false
		}
		if m, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
			return 0, false
		}
		if len(parts) == 3 {
			if sec, err = strconv.ParseFloat(parts[2], 64); err != nil {
				return 0, false
			}
		}
	}
	if h < 0 || m < 0 || m > 59 || sec < 0 || sec >= 60 || h > math.MaxInt64/usPerHour-1 {
		return 0, false
	}
	us := h*usPerHour + m*usPerMinute + int64(math.RoundToEven(sec*float64(usPerSecond)))
	if neg {
		us = -us
	}
	return us, true
}

func parseVerboseInterval(v, unit string, a *intervalAcc) bool {
	toks := tokenizeInterval(v)
	if len(toks) == 0 {
		return false
	}
	ago := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case 'w':
			if t.text == "ago" && i == len(toks)-1 {
				ago = true
				continue
			}
			return false
		case 't':
			us, ok := parseClockInterval(t.text)
			if !ok {
				return false
			}
			a.addUs(us)
		case 'y':
			// SQL standard year-month: [-]Y-M
			neg := t.text[0] == '-'
			body := strings.TrimLeft(t.text, "+-")
			ys, ms, ok := strings.Cut(body, "-")
			if !ok {
				return false
			}
			y, err1 := strconv.ParseInt(ys, 10, 32)
			m, err2 := strconv.ParseInt(ms, 10, 32)
			if err1 != nil || err2 != nil || m > 11 {
				return false
			}
			mo := y*12 + m
			if neg {
				mo = -mo
			}
			a.addMonths(mo)
		case 'n':
			ival, frac, ok := splitNumber(t.text)
			if !ok {
				return false
			}
			u := ""
			if i+1 < len(toks) && toks[i+1].kind == 'w' && toks[i+1].text != "ago" {
				cu, known := intervalUnits[toks[i+1].text]
				if !known {
					return false
				}
				u = cu
				i++
			} else if i+1 < len(toks) && toks[i+1].kind == 't' {
				u = "day" // SQL day-time: "3 4:05:06"
			} else {
				u = unit
			}
			if !a.addUnit(u, ival, frac) {
				return false
			}
		}
	}
	if ago {
		a.months, a.days, a.us = -a.months, -a.days, -a.us
	}
	return true
}

// parseISOInterval parses ISO 8601 designators: P[nY][nM][nW][nD][T[nH][nM][nS]].
func parseISOInterval(v string, a *intervalAcc) bool {
	neg := false
	if v[0] == '-' {
		neg = true
		v = v[1:]
	}
	v = v[1:] // 'p'
	if v == "" {
		return false
	}
	inTime := false
	for len(v) > 0 {
		if v[0] == 't' {
			if inTime {
				return false
			}
			inTime = true
			v = v[1:]
			continue
		}
		j := 0
		if j < len(v) && (v[j] == '-' || v[j] == '+') {
			j++
		}
		for j < len(v) && (v[j] >= '0' && v[j] <= '9' || v[j] == '.') {
			j++
		}
		if j == 0 || j == len(v) {
			return false
		}
		ival, frac, ok := splitNumber(v[:j])
		if !ok {
			return false
		}
		var u string
		switch d := v[j]; {
		case d == 'y' && !inTime:
			u = "year"
		case d == 'm' && !inTime:
			u = "month"
		case d == 'w' && !inTime:
			u = "week"
		case d == 'd' && !inTime:
			u = "day"
		case d == 'h' && inTime:
			u = "hour"
		case d == 'm' && inTime:
			u = "minute"
		case d == 's' && inTime:
			u = "second"
		default:
			return false
		}
		a.addUnit(u, ival, frac)
		v = v[j+1:]
	}
	if neg {
		a.months, a.days, a.us = -a.months, -a.days, -a.us
	}
	return true
}
