package function

import (
	"strings"
	"sync"
	"time"

	"github.com/quarrydb/quarry/types"
)

// Date, time and timestamp input. PostgreSQL's datetime parser accepts a great many forms;
// this one takes the ones data files and SQL literals actually use:
//
//	2020-01-02   20200102   2020/01/02   01/02/2020 (DateStyle MDY)   epoch
//	2020-01-02 03:04:05.123456   2020-01-02T03:04:05Z   2020-01-02 03:04:05+05:30
//	2020-01-02 03:04:05 America/New_York   0044-03-15 BC
//
// Out-of-range fields (month 13, February 30, hour 25) give 22008; anything else unreadable
// gives 22007.

// dtParsed is the result of scanning date/time text.
type dtParsed struct {
	days    int64 // days since the epoch
	tod     int64 // µs since midnight
	hasTime bool
	hasZone bool
	offset  int64          // seconds east of UTC, when hasZone and zone == nil
	zone    *time.Location // a named zone, when hasZone
}

type dtScanner struct {
	s string
	i int
}

func (p *dtScanner) eof() bool { return p.i >= len(p.s) }

func (p *dtScanner) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// digits reads a run of decimal digits (up to 9 significant), returning the value and the
// number of digits read.
func (p *dtScanner) digits() (int64, int) {
	start := p.i
	var v int64
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		if p.i-start < 12 {
			v = v*10 + int64(p.s[p.i]-'0')
		}
		p.i++
	}
	return v, p.i - start
}

func (p *dtScanner) skipSpace() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

// errBad and errRange are sentinels the scanner returns; callers turn them into the
// type-specific sqlerr.
type dtErr uint8

const (
	dtOK dtErr = iota
	dtBad
	dtRange
)

// scanDate reads the date part.
func (p *dtScanner) scanDate() (int64, dtErr) {
	a, na := p.digits()
	if na == 0 {
		return 0, dtBad
	}
	var y, m, d int64
	switch sep := p.peek(); {
	case sep == '-' || sep == '/':
		p.i++
		b, nb := p.digits()
		if nb == 0 || p.peek() != sep {
			return 0, dtBad
		}
		p.i++
		c, nc := p.digits()
		if nc == 0 {
			return 0, dtBad
		}
		if na >= 3 {
			y, m, d = a, b, c
		} else {
			m, d, y = a, b, c // DateStyle MDY
			if nc <= 2 {
				// Two-digit years as PostgreSQL reads them: 70..99 → 19xx, else 20xx.
				if y < 70 {
					y += 2000
				} else {
					y += 1900
				}
			}
		}
	case na == 8:
		y, m, d = a/10000, a/100%100, a%100
	default:
		return 0, dtBad
	}
	// An era suffix may follow the whole value; it is applied by the caller.
	if y == 0 || y > maxYear+1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) {
		return 0, dtRange
	}
	return daysFromCivil(y, m, d), dtOK
}

// scanClock reads HH:MM[:SS[.ffffff]] (or HHMMSS after a date's 'T'), returning µs.
func (p *dtScanner) scanClock() (int64, dtErr) {
	h, nh := p.digits()
	if nh == 0 {
		return 0, dtBad
	}
	var mi, sec int64
	if p.peek() == ':' {
		p.i++
		var n int
		if mi, n = p.digits(); n == 0 {
			return 0, dtBad
		}
		if p.peek() == ':' {
			p.i++
			if sec, n = p.digits(); n == 0 {
				return 0, dtBad
			}
		}
	} else if nh == 6 {
		h, mi, sec = h/10000, h/100%100, h%100
	} else if nh == 4 {
		h, mi = h/100, h%100
	} else {
		return 0, dtBad
	}
	var frac int64
	if p.peek() == '.' {
		p.i++
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			k := p.i - start
			if k < 6 {
				frac = frac*10 + int64(p.s[p.i]-'0')
			} else if k == 6 && p.s[p.i] >= '5' {
				frac++ // round to µs
			}
			p.i++
		}
		for k := p.i - start; k < 6; k++ {
			frac *= 10
		}
	}
	if h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi != 0 || sec != 0 || frac != 0)) {
		return 0, dtRange
	}
	return h*usPerHour + mi*usPerMinute + sec*usPerSecond + frac, dtOK
}

// scanZone reads a zone: Z, UTC, GMT, +HH, +HH:MM, +HHMM, +HH:MM:SS or a zone name.
func (p *dtScanner) scanZone(d *dtParsed) dtErr {
	c := p.peek()
	switch {
	case c == '+' || c == '-':
		p.i++
		h, nh := p.digits()
		var m, s int64
		switch {
		case nh == 4:
			h, m = h/100, h%100
		case nh == 6:
			h, m, s = h/10000, h/100%100, h%100
		case nh == 1 || nh == 2:
			if p.peek() == ':' {
				p.i++
				var n int
				if m, n = p.digits(); n != 2 {
					return dtBad
				}
				if p.peek() == ':' {
					p.i++
					if s, n = p.digits(); n != 2 {
						return dtBad
					}
				}
			}
		default:
			return dtBad
		}
		if h > 15 || m > 59 || s > 59 {
			return dtRange
		}
		off := h*3600 + m*60 + s
		if c == '-' {
			off = -off
		}
		d.hasZone, d.offset = true, off
		return dtOK
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		start := p.i
		for p.i < len(p.s) && !isSpace(p.s[p.i]) {
			p.i++
		}
		name := p.s[start:p.i]
		switch strings.ToLower(name) {
		case "z", "utc", "gmt", "zulu", "ut":
			d.hasZone = true
			return dtOK
		case "bc", "ad":
			p.i = start // an era, not a zone
			return dtOK
		}
		loc, err := loadLocation(name)
		if err != nil {
			return dtBad
		}
		d.hasZone, d.zone = true, loc
		return dtOK
	}
	return dtBad
}

var locCache sync.Map // zone name → *time.Location

// loadLocation caches time.LoadLocation, which reads the zoneinfo database.
func loadLocation(name string) (*time.Location, error) {
	if l, ok := locCache.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locCache.Store(name, l)
	return l, nil
}

// parseDateTime scans date/time text. needDate is false for TIME input.
func parseDateTime(s string, needDate bool) (dtParsed, dtErr) {
	var d dtParsed
	p := &dtScanner{s: trimSpace(s)}
	if strings.EqualFold(p.s, "epoch") {
		return d, dtOK
	}
	if needDate {
		days, e := p.scanDate()
		if e != dtOK {
			return d, e
		}
		d.days = days
		if p.peek() == 'T' || p.peek() == 't' {
			p.i++
		} else {
			p.skipSpace()
		}
	}
	if !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
		tod, e := p.scanClock()
		if e != dtOK {
			return d, e
		}
		d.tod, d.hasTime = tod, true
		p.skipSpace()
	}
	if !p.eof() {
		c := p.peek()
		if c == '+' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			if e := p.scanZone(&d); e != dtOK {
				return d, e
			}
			p.skipSpace()
		}
	}
	if !p.eof() && needDate {
		rest := p.s[p.i:]
		switch strings.ToLower(rest) {
		case "bc":
			y, m, dd := civilFromDays(d.days)
			d.days = daysFromCivil(1-y, m, dd)
			if m == 2 && dd == 29 && !isLeap(1-y) {
				return d, dtRange
			}
			p.i = len(p.s)
		case "ad":
			p.i = len(p.s)
		}
	}
	if !p.eof() {
		return d, dtBad
	}
	return d, dtOK
}

// ParseDate parses date input; a time part is accepted and ignored, as PostgreSQL does.
func ParseDate(s string) (int32, error) {
	d, e := parseDateTime(s, true)
	if e == dtOK && (d.days < minDate || d.days >= maxDate) {
		e = dtRange
	}
	switch e {
	case dtBad:
		return 0, errDatetimeSyntax(types.DateT, s)
	case dtRange:
		return 0, errDatetimeRange(s)
	}
	return int32(d.days), nil
}

// ParseTimestamp parses timestamp (without time zone) input. A zone in the text is
// ignored, as PostgreSQL does for this type.
func ParseTimestamp(s string) (int64, error) {
	d, e := parseDateTime(s, true)
	us := d.days*usPerDay + d.tod
	if e == dtOK && (d.days < minDate || d.days > maxDate || !timestampInRange(us)) {
		e = dtRange
	}
	switch e {
	case dtBad:
		return 0, errDatetimeSyntax(types.TimestampT, s)
	case dtRange:
		return 0, errDatetimeRange(s)
	}
	return us, nil
}

// ParseTimestampTZ parses timestamptz input. A value without a zone is local time in loc
// (nil means UTC).
func ParseTimestampTZ(s string, loc *time.Location) (int64, error) {
	d, e := parseDateTime(s, true)
	var us int64
	if e == dtOK && (d.days < minDate || d.days > maxDate) {
		e = dtRange
	}
	if e == dtOK {
		us = d.days*usPerDay + d.tod
		switch {
		case d.hasZone && d.zone == nil:
			us -= d.offset * usPerSecond
		case d.hasZone:
			us = localToUTC(us, d.zone)
		case loc != nil && loc != time.UTC:
			us = localToUTC(us, loc)
		}
		if !timestampInRange(us) {
			e = dtRange
		}
	}
	switch e {
	case dtBad:
		return 0, errDatetimeSyntax(types.TimestampTZT, s)
	case dtRange:
		return 0, errDatetimeRange(s)
	}
	return us, nil
}

// localToUTC converts a wall-clock time in loc (µs since the epoch, read as local) to UTC.
func localToUTC(local int64, loc *time.Location) int64 {
	days, tod := splitTimestamp(local)
	y, m, d := civilFromDays(days)
	sec := tod / usPerSecond
	t := time.Date(int(y), time.Month(m), int(d), int(sec/3600), int(sec/60%60), int(sec%60), 0, loc)
	return t.Unix()*usPerSecond + tod%usPerSecond
}

// utcToLocal converts a UTC instant to wall-clock µs in loc.
func utcToLocal(us int64, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return us
	}
	_, off := time.Unix(floorDiv(us, usPerSecond), 0).In(loc).Zone()
	return us + int64(off)*usPerSecond
}

// ParseTime parses time (of day) input: HH:MM[:SS[.ffffff]]; a zone is ignored.
func ParseTime(s string) (int64, error) {
	d, e := parseDateTime(s, false)
	if e == dtOK && !d.hasTime {
		e = dtBad
	}
	switch e {
	case dtBad:
		return 0, errDatetimeSyntax(types.TimeT, s)
	case dtRange:
		return 0, errDatetimeRange(s)
	}
	return d.tod, nil
}
