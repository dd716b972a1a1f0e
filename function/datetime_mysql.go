package function

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Trino's date_format(ts, format) and date_parse(text, format), with MySQL's format
// specifiers:
//
//	%a Sun..Sat   %b Jan..Dec   %c month 1..12   %D 1st 2nd ..   %d 01..31   %e 1..31
//	%f microseconds 000000..999999 (parsing: 1-9 fraction digits)   %H 00..23   %h %I 01..12
//	%i minutes   %j 001..366   %k 0..23   %l 1..12   %M January..   %m 01..12   %p AM/PM
//	%r hh:mm:ss AM   %S %s seconds   %T hh:mm:ss   %v ISO week 01..53   %W Sunday..
//	%w 0..6 (Sunday = 0)   %x ISO week year   %Y year   %y 2-digit year   %% a percent sign
//
// %U %u %V %X (week numbering with Sunday-first modes) are rejected, as Trino rejects
// them. A '%' before any other character stands for that character. The format is
// compiled once per distinct value.

var (
	monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dayNames   = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// civil is a broken-down local time.
type civil struct {
	y, m, d, hh, mi, ss, us int64
	days                    int64 // days since the epoch
}

func civilOf(local int64) civil {
	days, tod := splitTimestamp(local)
	y, m, d := civilFromDays(days)
	return civil{y: y, m: m, d: d, hh: tod / usPerHour, mi: tod / usPerMinute % 60, ss: tod / usPerSecond % 60, us: tod % usPerSecond, days: days}
}

// mysqlTok is a literal (spec 0) or a specifier.
type mysqlTok struct {
	spec byte
	lit  string
}

func errFormatSpec(c byte) error {
	return sqlerr.New(sqlerr.InvalidParameterValue, "%%%c not supported in date format string", c)
}

// compileMySQLFormat splits a format into literals and specifiers.
func compileMySQLFormat(f string) ([]mysqlTok, error) {
	var toks []mysqlTok
	var lit strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' || i+1 == len(f) {
			lit.WriteByte(c)
			continue
		}
		i++
		s := f[i]
		switch s {
		case 'a', 'b', 'c', 'D', 'd', 'e', 'f', 'H', 'h', 'I', 'i', 'j', 'k', 'l', 'M', 'm', 'p', 'r', 'S', 's', 'T', 'v', 'W', 'w', 'x', 'Y', 'y':
			if lit.Len() > 0 {
				toks = append(toks, mysqlTok{lit: lit.String()})
				lit.Reset()
			}
			toks = append(toks, mysqlTok{spec: s})
		case 'U', 'u', 'V', 'X':
			return nil, errFormatSpec(s)
		default:
			lit.WriteByte(s)
		}
	}
	if lit.Len() > 0 {
		toks = append(toks, mysqlTok{lit: lit.String()})
	}
	return toks, nil
}

func hour12(h int64) int64 {
	if h %= 12; h == 0 {
		return 12
	}
	return h
}

func ordinalSuffix(d int64) string {
	if d%100 >= 11 && d%100 <= 13 {
		return "th"
	}
	switch d % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// appendMySQLFormat formats local µs with compiled tokens.
func appendMySQLFormat(dst []byte, toks []mysqlTok, local int64) []byte {
	c := civilOf(local)
	for _, t := range toks {
		switch t.spec {
		case 0:
			dst = append(dst, t.lit...)
		case 'a':
			dst = append(dst, dayNames[isoWeekday(c.days)%7][:3]...)
		case 'b':
			dst = append(dst, monthNames[c.m-1][:3]...)
		case 'c':
			dst = appendInt(dst, c.m, 1)
		case 'D':
			dst = appendInt(dst, c.d, 1)
			dst = append(dst, ordinalSuffix(c.d)...)
		case 'd':
			dst = appendInt(dst, c.d, 2)
		case 'e':
			dst = appendInt(dst, c.d, 1)
		case 'f':
			dst = appendInt(dst, c.us, 6)
		case 'H':
			dst = appendInt(dst, c.hh, 2)
		case 'h', 'I':
			dst = appendInt(dst, hour12(c.hh), 2)
		case 'i':
			dst = appendInt(dst, c.mi, 2)
		case 'j':
			dst = appendInt(dst, c.days-daysFromCivil(c.y, 1, 1)+1, 3)
		case 'k':
			dst = appendInt(dst, c.hh, 1)
		case 'l':
			dst = appendInt(dst, hour12(c.hh), 1)
		case 'M':
			dst = append(dst, monthNames[c.m-1]...)
		case 'm':
			dst = appendInt(dst, c.m, 2)
		case 'p':
			dst = append(dst, ampm(c.hh)...)
		case 'r':
			dst = appendInt(dst, hour12(c.hh), 2)
			dst = append(dst, ':')
			dst = appendInt(dst, c.mi, 2)
			dst = append(dst, ':')
			dst = appendInt(dst, c.ss, 2)
			dst = append(dst, ' ')
			dst = append(dst, ampm(c.hh)...)
		case 'S', 's':
			dst = appendInt(dst, c.ss, 2)
		case 'T':
			dst = appendInt(dst, c.hh, 2)
			dst = append(dst, ':')
			dst = appendInt(dst, c.mi, 2)
			dst = append(dst, ':')
			dst = appendInt(dst, c.ss, 2)
		case 'v':
			_, w := isoYearWeek(c.days)
			dst = appendInt(dst, w, 2)
		case 'W':
			dst = append(dst, dayNames[isoWeekday(c.days)%7]...)
		case 'w':
			dst = appendInt(dst, isoWeekday(c.days)%7, 1)
		case 'x':
			y, _ := isoYearWeek(c.days)
			dst = appendInt(dst, y, 4)
		case 'Y':
			dst = appendInt(dst, c.y, 4)
		case 'y':
			dst = appendInt(dst, floorMod(c.y, 100), 2)
		}
	}
	return dst
}

func ampm(h int64) string {
	if h < 12 {
		return "AM"
	}
	return "PM"
}

// dtInput scans date/time text against a format, collecting fields.
type dtInput struct {
	s                       string
	i                       int
	y, m, d, hh, mi, ss, us int64
	doy                     int64
	pm                      int8 // 0 none, 1 AM, 2 PM
	h12                     bool
	bad                     bool
}

func newDTInput(s string) *dtInput { return &dtInput{s: s, y: 1970, m: 1, d: 1} }

// num reads between 1 and maxW digits (with an optional sign when signed).
func (p *dtInput) num(maxW int, signed bool) int64 {
	neg := false
	if signed && p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
		neg = p.s[p.i] == '-'
		p.i++
	}
	start := p.i
	var v int64
	for p.i < len(p.s) && p.i-start < maxW && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	if p.i == start {
		p.bad = true
	}
	if neg {
		v = -v
	}
	return v
}

// name matches one of names (case-insensitive, full or first n letters) and returns its
// index.
func (p *dtInput) name(names []string, abbrev int) int {
	rest := p.s[p.i:]
	for k, nm := range names {
		if len(rest) >= len(nm) && strings.EqualFold(rest[:len(nm)], nm) {
			p.i += len(nm)
			return k
		}
	}
	if abbrev > 0 {
		for k, nm := range names {
			if len(rest) >= abbrev && strings.EqualFold(rest[:abbrev], nm[:abbrev]) {
				p.i += abbrev
				return k
			}
		}
	}
	p.bad = true
	return 0
}

func (p *dtInput) lit(l string) {
	if strings.HasPrefix(p.s[p.i:], l) {
		p.i += len(l)
		return
	}
	p.bad = true
}

func (p *dtInput) meridiem() {
	rest := p.s[p.i:]
	switch {
	case len(rest) >= 2 && strings.EqualFold(rest[:2], "AM"):
		p.pm = 1
	case len(rest) >= 2 && strings.EqualFold(rest[:2], "PM"):
		p.pm = 2
	default:
		p.bad = true
		return
	}
	p.i += 2
}

// fraction reads 1-9 fraction digits as microseconds.
func (p *dtInput) fraction() int64 {
	start := p.i
	var v int64
	for p.i < len(p.s) && p.i-start < 9 && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	n := p.i - start
	if n == 0 {
		p.bad = true
	}
	for ; n < 6; n++ {
		v *= 10
	}
	for ; n > 6; n-- {
		v /= 10
	}
	return v
}

// result validates the fields and returns local µs; ok is false for out-of-range fields.
func (p *dtInput) result() (int64, bool) {
	if p.h12 || p.pm != 0 {
		if p.hh < 1 || p.hh > 12 {
			return 0, false
		}
		p.hh %= 12
		if p.pm == 2 {
			p.hh += 12
		}
	}
	if p.m < 1 || p.m > 12 || p.d < 1 || p.d > daysInMonth(p.y, p.m) || p.hh > 23 || p.mi > 59 || p.ss > 59 ||
		p.y < minYear || p.y > maxYear {
		return 0, false
	}
	days := daysFromCivil(p.y, p.m, p.d)
	if p.doy > 0 {
		if p.doy > 365+int64(b2u(isLeap(p.y))) {
			return 0, false
		}
		days = daysFromCivil(p.y, 1, 1) + p.doy - 1
	}
	us := days*usPerDay + p.hh*usPerHour + p.mi*usPerMinute + p.ss*usPerSecond + p.us
	return us, timestampInRange(us)
}

// parseMySQL parses s with compiled tokens into local µs.
func parseMySQL(s string, toks []mysqlTok) (int64, error) {
	p := newDTInput(s)
	for _, t := range toks {
		if p.bad {
			break
		}
		switch t.spec {
		case 0:
			p.lit(t.lit)
		case 'a':
			p.name(dayNames[:], 3)
		case 'W':
			p.name(dayNames[:], 0)
		case 'b':
			p.m = int64(p.name(monthNames[:], 3)) + 1
		case 'M':
			p.m = int64(p.name(monthNames[:], 0)) + 1
		case 'c', 'm':
			p.m = p.num(2, false)
		case 'd', 'e':
			p.d = p.num(2, false)
		case 'D':
			p.d = p.num(2, false)
			if len(p.s)-p.i >= 2 {
				p.i += 2
			}
		case 'f':
			p.us = p.fraction()
		case 'H', 'k':
			p.hh = p.num(2, false)
		case 'h', 'I', 'l':
			p.hh, p.h12 = p.num(2, false), true
		case 'i':
			p.mi = p.num(2, false)
		case 'j':
			p.doy = p.num(3, false)
			if p.doy == 0 {
				p.bad = true
			}
		case 'p':
			p.meridiem()
		case 'r':
			p.hh, p.h12 = p.num(2, false), true
			p.lit(":")
			p.mi = p.num(2, false)
			p.lit(":")
			p.ss = p.num(2, false)
			p.lit(" ")
			p.meridiem()
		case 'S', 's':
			p.ss = p.num(2, false)
		case 'T':
			p.hh = p.num(2, false)
			p.lit(":")
			p.mi = p.num(2, false)
			p.lit(":")
			p.ss = p.num(2, false)
		case 'Y':
			p.y = p.num(4, true)
		case 'y':
			y := p.num(2, false)
			if y < 70 {
				y += 2000
			} else {
				y += 1900
			}
			p.y = y
		default: // %v %w %x: read and ignore, as MySQL does
			p.num(4, false)
		}
	}
	if p.bad || p.i != len(p.s) {
		return 0, sqlerr.New(sqlerr.InvalidDatetimeFormat, "Invalid format: \"%s\"", s)
	}
	us, ok := p.result()
	if !ok {
		return 0, errDatetimeRange(s)
	}
	return us, nil
}

// fmtCursor compiles the format of each row, reusing the previous row's when equal.
type fmtCursor[T any] struct {
	last    []byte
	toks    T
	ok      bool
	compile func(string) (T, error)
}

func (c *fmtCursor[T]) get(f []byte) (T, error) {
	if c.ok && string(f) == string(c.last) {
		return c.toks, nil
	}
	toks, err := c.compile(string(f))
	if err != nil {
		return toks, err
	}
	c.toks, c.ok, c.last = toks, true, append(c.last[:0], f...)
	return toks, nil
}

// bindDateFormat resolves date_format(date|timestamp|timestamptz, format) → text.
func bindDateFormat(args []types.T) (Sig, bool) {
	if len(args) != 2 || !isStringy(args[1]) {
		return Sig{}, false
	}
	t := args[0]
	switch t.Kind {
	case types.Date, types.Timestamp, types.TimestampTZ:
	case types.Unknown:
		t = types.TimestampT
	default:
		return Sig{}, false
	}
	return Sig{Args: []types.T{t, types.VarcharT}, Ret: types.VarcharT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		at := localMicros(ctx, args[0], t)
		fs := viewBytes(args[1])
		fc := fmtCursor[[]mysqlTok]{compile: compileMySQLFormat}
		return textRows(ctx, args, n, 20*n, func(dst []byte, i int) ([]byte, error) {
			toks, err := fc.get(fs.at(i))
			if err != nil {
				return nil, err
			}
			return appendMySQLFormat(dst, toks, at(i)), nil
		})
	}}, true
}

// datetimeParseKernel parses text with a per-row format into a timestamp (local µs as
// is) or timestamptz (local µs read in the session time zone).
func datetimeParseKernel[T any](ret types.T, compile func(string) (T, error), parse func(string, T) (int64, error)) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, fs := viewBytes(args[0]), viewBytes(args[1])
		fc := fmtCursor[T]{compile: compile}
		loc := ctx.location()
		conv := func(i int) (int64, error) {
			toks, err := fc.get(fs.at(i))
			if err != nil {
				return 0, err
			}
			return parse(bstr(s.at(i)), toks) // parse copies what it keeps (error text)
		}
		switch ret.Kind {
		case types.Date:
			return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (int32, error) {
				us, err := conv(i)
				return int32(floorDiv(us, usPerDay)), err
			})
		case types.TimestampTZ:
			return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (int64, error) {
				us, err := conv(i)
				if err == nil && loc != nil {
					us = localToUTC(us, loc)
				}
				return us, err
			})
		}
		return rowsFixed(ctx, args, n, ret.Arrow(), conv)
	}
}

func bindDateParse(args []types.T) (Sig, bool) {
	return bindStr("tt", types.TimestampT, func(int) Kernel {
		return datetimeParseKernel(types.TimestampT, compileMySQLFormat, parseMySQL)
	})(args)
}
