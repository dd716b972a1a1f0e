package function

import (
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// PostgreSQL's date/time templates for to_char(timestamp, text), to_date(text, text) and
// to_timestamp(text, text). The patterns supported:
//
//	HH HH12 HH24 MI SS MS US FF1..FF6 SSSS SSSSS   AM PM am pm A.M. P.M. a.m. p.m.
//	YYYY YYY YY Y IYYY IYY IY I   CC   BC AD   Q   MM   MONTH Month month MON Mon mon
//	DDD DD D IDDD ID   DAY Day day DY Dy dy   W WW IW   J   TZ tz OF
//
// with the FM prefix (no padding), the TH/th suffix (ordinal), FX and TM prefixes
// (accepted and ignored), "quoted text" and backslash escapes. Anything else is copied. In
// to_date/to_timestamp a separator in the template matches any one separator of the input
// or nothing, and spaces before a field are skipped, as PostgreSQL does without FX; TZ and
// OF cannot be parsed (0A000, as PostgreSQL).

type pgTok struct {
	pat  string // the canonical pattern, "" for a literal
	lit  string
	fm   bool // FM prefix
	th   int8 // 0, 1 for TH, 2 for th
	name int8 // case of a name pattern: 0 as written "Month", 1 upper, 2 lower
}

// pgPatterns are tried longest first at each position.
var pgPatterns = byLengthDesc([]string{
	"HH24", "HH12", "HH", "MI", "SSSSS", "SSSS", "SS", "MS", "US", "FF1", "FF2", "FF3", "FF4", "FF5", "FF6",
	"A.M.", "P.M.", "AM", "PM", "Y,YYY", "YYYY", "YYY", "YY", "IYYY", "IYY", "IY", "IDDD", "ID", "I", "Y",
	"CC", "B.C.", "A.D.", "BC", "AD", "Q", "MM", "MONTH", "MON", "DDD", "DD", "DAY", "DY", "D", "WW", "W", "IW", "J", "TZ", "OF",
})

func byLengthDesc(ps []string) []string {
	slices.SortStableFunc(ps, func(a, b string) int { return len(b) - len(a) })
	return ps
}

// compilePGTemplate parses a template.
func compilePGTemplate(f string) ([]pgTok, error) {
	var toks []pgTok
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, pgTok{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(f); {
		rest := f[i:]
		switch {
		case rest[0] == '"':
			j := 1
			for ; j < len(rest) && rest[j] != '"'; j++ {
				if rest[j] == '\\' && j+1 < len(rest) {
					j++
				}
				lit.WriteByte(rest[j])
			}
			i += min(j+1, len(rest))
			continue
		case rest[0] == '\\' && len(rest) > 1:
			lit.WriteByte(rest[1])
			i += 2
			continue
		}
		var t pgTok
		j := 0
		for {
			up := strings.ToUpper(rest[j:min(j+2, len(rest))])
			if up == "FM" {
				t.fm = true
				j += 2
			} else if up == "FX" || up == "TM" {
				j += 2
			} else {
				break
			}
		}
		body := rest[j:]
		for _, p := range pgPatterns {
			if len(body) < len(p) || !strings.EqualFold(body[:len(p)], p) {
				continue
			}
			w := body[:len(p)]
			isName := p == "MONTH" || p == "MON" || p == "DAY" || p == "DY" || p == "AM" || p == "PM" ||
				p == "A.M." || p == "P.M." || p == "BC" || p == "AD" || p == "B.C." || p == "A.D." || p == "TZ"
			if !isName && w != p {
				continue // numeric patterns are upper case only
			}
			switch w {
			case strings.ToUpper(w):
				t.name = 1
			case strings.ToLower(w):
				t.name = 2
			}
			t.pat = p
			i += j + len(p)
			if after := f[i:]; len(after) >= 2 {
				switch after[:2] {
				case "TH":
					t.th = 1
					i += 2
				case "th":
					t.th = 2
					i += 2
				}
			}
			break
		}
		if t.pat == "" {
			lit.WriteString(rest[:j])
			if j < len(rest) {
				lit.WriteByte(rest[j])
				j++
			}
			i += j
			continue
		}
		flush()
		toks = append(toks, t)
	}
	flush()
	return toks, nil
}

// casedName applies a name pattern's case to s ("Month" as given).
func casedName(s string, c int8) string {
	switch c {
	case 1:
		return strings.ToUpper(s)
	case 2:
		return strings.ToLower(s)
	}
	return s
}

func appendNum(dst []byte, v int64, width int, t pgTok) []byte {
	if t.fm {
		width = 1
	}
	neg := v < 0
	if neg {
		dst = append(dst, '-')
		v = -v
	}
	dst = appendInt(dst, v, width)
	switch t.th {
	case 1:
		dst = append(dst, strings.ToUpper(ordinalSuffix(v))...)
	case 2:
		dst = append(dst, ordinalSuffix(v)...)
	}
	return dst
}

// appendPGFormat formats local µs with a template; off is the UTC offset in seconds and
// zone the zone's abbreviation (for TZ and OF).
func appendPGFormat(dst []byte, toks []pgTok, local int64, off int64, zone string) []byte {
	c := civilOf(local)
	bc := c.y <= 0
	year := c.y
	if bc {
		year = 1 - c.y
	}
	for _, t := range toks {
		switch t.pat {
		case "":
			dst = append(dst, t.lit...)
		case "HH", "HH12":
			dst = appendNum(dst, hour12(c.hh), 2, t)
		case "HH24":
			dst = appendNum(dst, c.hh, 2, t)
		case "MI":
			dst = appendNum(dst, c.mi, 2, t)
		case "SS":
			dst = appendNum(dst, c.ss, 2, t)
		case "MS":
			dst = appendNum(dst, c.us/1000, 3, t)
		case "US", "FF6":
			dst = appendNum(dst, c.us, 6, t)
		case "FF1", "FF2", "FF3", "FF4", "FF5":
			k := int(t.pat[2] - '0')
			v := c.us
			for j := k; j < 6; j++ {
				v /= 10
			}
			dst = appendInt(dst, v, k)
		case "SSSS", "SSSSS":
			dst = appendNum(dst, c.hh*3600+c.mi*60+c.ss, 1, t)
		case "AM", "PM":
			dst = append(dst, casedName(ampm(c.hh), t.name)...)
		case "A.M.", "P.M.":
			s := "A.M."
			if c.hh >= 12 {
				s = "P.M."
			}
			dst = append(dst, casedName(s, t.name)...)
		case "Y,YYY":
			dst = appendInt(dst, year/1000, 1)
			dst = append(dst, ',')
			dst = appendInt(dst, year%1000, 3)
		case "YYYY":
			dst = appendNum(dst, year, 4, t)
		case "YYY", "YY", "Y":
			k := len(t.pat)
			m := int64(1)
			for j := 0; j < k; j++ {
				m *= 10
			}
			dst = appendNum(dst, year%m, k, t)
		case "IYYY", "IYY", "IY", "I":
			y, _ := isoYearWeek(c.days)
			k := len(t.pat)
			m := int64(1)
			for j := 0; j < k; j++ {
				m *= 10
			}
			if k == 4 {
				m = 1 << 62
			}
			dst = appendNum(dst, y%m, k, t)
		case "CC":
			cc := (year + 99) / 100
			if bc {
				cc = -cc
			}
			dst = appendNum(dst, cc, 2, t)
		case "BC", "AD", "B.C.", "A.D.":
			s := "AD"
			if bc {
				s = "BC"
			}
			if strings.Contains(t.pat, ".") {
				s = s[:1] + "." + s[1:] + "."
			}
			dst = append(dst, casedName(s, t.name)...)
		case "Q":
			dst = appendNum(dst, (c.m-1)/3+1, 1, t)
		case "MM":
			dst = appendNum(dst, c.m, 2, t)
		case "MONTH":
			dst = appendName(dst, monthNames[c.m-1], t, 9)
		case "MON":
			dst = append(dst, casedName(monthNames[c.m-1][:3], t.name)...)
		case "DDD":
			dst = appendNum(dst, c.days-daysFromCivil(c.y, 1, 1)+1, 3, t)
		case "IDDD":
			y, _ := isoYearWeek(c.days)
			jan4 := daysFromCivil(y, 1, 4)
			start := jan4 - (isoWeekday(jan4) - 1)
			dst = appendNum(dst, c.days-start+1, 3, t)
		case "DD":
			dst = appendNum(dst, c.d, 2, t)
		case "D":
			dst = appendNum(dst, isoWeekday(c.days)%7+1, 1, t)
		case "ID":
			dst = appendNum(dst, isoWeekday(c.days), 1, t)
		case "DAY":
			dst = appendName(dst, dayNames[isoWeekday(c.days)%7], t, 9)
		case "DY":
			dst = append(dst, casedName(dayNames[isoWeekday(c.days)%7][:3], t.name)...)
		case "W":
			dst = appendNum(dst, (c.d-1)/7+1, 1, t)
		case "WW":
			dst = appendNum(dst, (c.days-daysFromCivil(c.y, 1, 1))/7+1, 2, t)
		case "IW":
			_, w := isoYearWeek(c.days)
			dst = appendNum(dst, w, 2, t)
		case "J":
			dst = appendNum(dst, c.days+2440588, 1, t)
		case "TZ":
			dst = append(dst, casedName(zone, t.name)...)
		case "OF":
			if off < 0 {
				dst = append(dst, '-')
				off = -off
			} else {
				dst = append(dst, '+')
			}
			dst = appendInt(dst, off/3600, 2)
			if off%3600 != 0 {
				dst = append(dst, ':')
				dst = appendInt(dst, off/60%60, 2)
			}
		}
	}
	return dst
}

// appendName appends a month or day name padded to width unless FM.
func appendName(dst []byte, s string, t pgTok, width int) []byte {
	dst = append(dst, casedName(s, t.name)...)
	if !t.fm {
		for k := len(s); k < width; k++ {
			dst = append(dst, ' ')
		}
	}
	return dst
}

func isSeparator(c byte) bool {
	return !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80)
}

// parsePG parses s with a template into local µs.
func parsePG(s string, toks []pgTok) (int64, error) {
	p := newDTInput(s)
	bc := false
	skipSpaces := func() {
		for p.i < len(p.s) && p.s[p.i] == ' ' {
			p.i++
		}
	}
	fieldErr := func(pat string) error {
		end := min(len(p.s), p.i+8)
		return sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid value \"%s\" for \"%s\"", p.s[p.i:end], pat)
	}
	for k, t := range toks {
		if t.pat == "" {
			for j := 0; j < len(t.lit); j++ {
				c := t.lit[j]
				switch {
				case p.i < len(p.s) && p.s[p.i] == c:
					p.i++
				case isSeparator(c):
					if c == ' ' {
						skipSpaces()
					} else if p.i < len(p.s) && isSeparator(p.s[p.i]) {
						p.i++
					}
				default:
					if p.i < len(p.s) {
						p.i++ // a letter of the template stands for any character
					}
				}
			}
			continue
		}
		skipSpaces()
		// A field directly followed by another field reads its nominal width; otherwise
		// it reads every digit there is.
		fixed := k+1 < len(toks) && toks[k+1].pat != ""
		w := func(nominal int) int {
			if fixed {
				return nominal
			}
			return 9
		}
		before := p.i
		switch t.pat {
		case "HH", "HH12":
			p.hh, p.h12 = p.num(w(2), false), true
		case "HH24":
			p.hh = p.num(w(2), false)
		case "MI":
			p.mi = p.num(w(2), false)
		case "SS":
			p.ss = p.num(w(2), false)
		case "MS":
			p.us = p.fraction() / 1000 * 1000
		case "US", "FF1", "FF2", "FF3", "FF4", "FF5", "FF6":
			p.us = p.fraction()
		case "SSSS", "SSSSS":
			v := p.num(5, false)
			p.hh, p.mi, p.ss = v/3600, v/60%60, v%60
		case "AM", "PM", "A.M.", "P.M.":
			rest := strings.ToUpper(p.s[p.i:])
			switch {
			case strings.HasPrefix(rest, "A.M."), strings.HasPrefix(rest, "P.M."):
				p.pm = 1 + int8(b2u(rest[0] == 'P'))
				p.i += 4
			case strings.HasPrefix(rest, "AM"), strings.HasPrefix(rest, "PM"):
				p.pm = 1 + int8(b2u(rest[0] == 'P'))
				p.i += 2
			default:
				p.bad = true
			}
		case "YYYY", "IYYY":
			p.y = p.num(w(4), false)
		case "Y,YYY":
			hi := p.num(3, false)
			p.lit(",")
			p.y = hi*1000 + p.num(3, false)
		case "YYY", "IYY":
			p.y = p.num(w(3), false) + 1000
			if p.y < 1070 {
				p.y += 1000
			}
		case "YY", "IY":
			y := p.num(w(2), false)
			if y < 70 {
				y += 2000
			} else {
				y += 1900
			}
			p.y = y
		case "Y", "I":
			p.y = 2000 + p.num(1, false)
		case "BC", "B.C.", "AD", "A.D.":
			rest := strings.ToUpper(p.s[p.i:])
			switch {
			case strings.HasPrefix(rest, "B.C."), strings.HasPrefix(rest, "A.D."):
				bc = rest[0] == 'B'
				p.i += 4
			case strings.HasPrefix(rest, "BC"), strings.HasPrefix(rest, "AD"):
				bc = rest[0] == 'B'
				p.i += 2
			default:
				p.bad = true
			}
		case "MM":
			p.m = p.num(w(2), false)
		case "MONTH":
			p.m = int64(p.name(monthNames[:], 0)) + 1
		case "MON":
			p.m = int64(p.name(monthNames[:], 3)) + 1
		case "DD":
			p.d = p.num(w(2), false)
		case "DDD":
			p.doy = p.num(w(3), false)
		case "DAY":
			p.name(dayNames[:], 0)
		case "DY":
			p.name(dayNames[:], 3)
		case "D", "ID", "Q", "W", "WW", "IW", "CC", "IDDD":
			p.num(w(len(t.pat)+1), false) // read and ignored, as PostgreSQL ignores most of them
		case "J":
			days := p.num(9, false) - 2440588
			p.y, p.m, p.d = civilFromDays(days)
		case "TZ", "OF":
			return 0, sqlerr.New(sqlerr.FeatureNotSupported, "formatting field \"%s\" is only supported in to_char", t.pat)
		}
		if p.bad {
			p.i = before
			return 0, fieldErr(t.pat)
		}
		if t.th != 0 && len(p.s)-p.i >= 2 {
			p.i += 2
		}
	}
	skipSpaces()
	if p.bad || p.i != len(p.s) {
		return 0, sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input \"%s\" for the template", s)
	}
	if bc {
		p.y = 1 - p.y
	}
	us, ok := p.result()
	if !ok {
		return 0, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	return us, nil
}

// zoneAt returns the UTC offset and abbreviation of loc (nil = UTC) at instant us.
func zoneAt(loc *time.Location, us int64) (int64, string) {
	if loc == nil {
		return 0, "UTC"
	}
	name, off := time.Unix(floorDiv(us, usPerSecond), 0).In(loc).Zone()
	return int64(off), name
}

// bindToChar resolves to_char(date|timestamp|timestamptz, template) → text; the numeric
// forms are in numfmt.go.
func bindToChar(args []types.T) (Sig, bool) {
	if len(args) != 2 || !isStringy(args[1]) {
		return Sig{}, false
	}
	t := args[0]
	switch {
	case t.Kind == types.Date || t.Kind == types.Timestamp || t.Kind == types.TimestampTZ:
		if t.Kind == types.Date {
			t = types.TimestampT
		}
	case t.IsNumeric():
		return bindToCharNumber(args)
	default:
		return Sig{}, false
	}
	return Sig{Args: []types.T{t, types.VarcharT}, Ret: types.VarcharT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		raw := fixedValues[int64](args[0])
		fs := viewBytes(args[1])
		loc := ctx.location()
		fc := fmtCursor[[]pgTok]{compile: compilePGTemplate}
		return textRows(ctx, args, n, 24*n, func(dst []byte, i int) ([]byte, error) {
			toks, err := fc.get(fs.at(i))
			if err != nil {
				return nil, err
			}
			local, off, zone := raw[i], int64(0), ""
			if t.Kind == types.TimestampTZ {
				off, zone = zoneAt(loc, raw[i])
				local += off * usPerSecond
			}
			return appendPGFormat(dst, toks, local, off, zone), nil
		})
	}}, true
}

func bindToDate(args []types.T) (Sig, bool) {
	return bindStr("tt", types.DateT, func(int) Kernel {
		return datetimeParseKernel(types.DateT, compilePGTemplate, parsePG)
	})(args)
}

// bindToTimestamp resolves to_timestamp(text, template) → timestamptz and PostgreSQL's
// to_timestamp(double precision) (seconds since the epoch, as from_unixtime).
func bindToTimestamp(args []types.T) (Sig, bool) {
	if len(args) == 1 {
		return bindFromUnixtime(args)
	}
	return bindStr("tt", types.TimestampTZT, func(int) Kernel {
		return datetimeParseKernel(types.TimestampTZT, compilePGTemplate, parsePG)
	})(args)
}
