package textcol

// Dates and times are parsed by hand: time.Parse wants a string and a layout per form, and
// allocates on error. The forms accepted are those Hive writes and PostgreSQL reads back:
//
//	date       YYYY-MM-DD (a time after it is ignored, as PostgreSQL does)
//	time       HH:MM[:SS[.ffffff]]
//	timestamp  YYYY-MM-DD[( |T)HH:MM[:SS[.fffffffff]]][zone]
//	zone       Z | UTC | GMT | ±HH[[:]MM]
//
// Years have 4 to 6 digits; fractions beyond microseconds are rounded. A zone on a timestamp
// without time zone is ignored (PostgreSQL); on a timestamptz it shifts the value to UTC, and
// a timestamptz without one is taken as UTC.

const (
	microsPerSecond = 1_000_000
	microsPerDay    = 86_400 * microsPerSecond
	// maxTimestampYear keeps microseconds since 1970 within int64 (PostgreSQL's limit too).
	maxTimestampYear = 294276
)

// dateTime is a parsed date with an optional time of day and zone.
type dateTime struct {
	days    int64 // since 1970-01-01
	micros  int64 // since midnight
	offset  int64 // zone offset east of UTC, in seconds
	hasTime bool
	hasZone bool
}

func parseDate(b []byte) (int32, status) {
	// The fast path: exactly YYYY-MM-DD, as nearly every file writes dates.
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y, n1 := digits(b, 0, 4)
		m, n2 := digits(b, 5, 2)
		d, n3 := digits(b, 8, 2)
		if n1 == 4 && n2 == 2 && n3 == 2 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) && y >= 1 {
			if y >= tableFirstYear && y < tableFirstYear+int64(len(yearStart)) {
				days := int64(yearStart[y-tableFirstYear]) + int64(monthStart[m-1]) + d - 1
				if m > 2 && daysIn(y, 2) == 29 {
					days++
				}
				return int32(days), stOK
			}
			return int32(daysFromCivil(y, m, d)), stOK
		}
	}
	dt, st := parseDateTime(b)
	if st != stOK {
		return 0, st
	}
	return int32(dt.days), stOK
}

// parseTimestamp returns microseconds since 1970-01-01 00:00 (UTC for a timestamptz).
func parseTimestamp(b []byte, tz bool) (int64, status) {
	dt, st := parseDateTime(b)
	if st != stOK {
		return 0, st
	}
	v := dt.days*microsPerDay + dt.micros
	if tz && dt.hasZone {
		v -= dt.offset * microsPerSecond
	}
	return v, stOK
}

func parseDateTime(b []byte) (dateTime, status) {
	var dt dateTime
	b = trimSpace(b)
	i := 0
	year, n := digits(b, i, 6)
	if n < 4 {
		return dt, stSyntax
	}
	i += n
	if i >= len(b) || b[i] != '-' {
		return dt, stSyntax
	}
	month, n := digits(b, i+1, 2)
	if n == 0 {
		return dt, stSyntax
	}
	i += 1 + n
	if i >= len(b) || b[i] != '-' {
		return dt, stSyntax
	}
	day, n := digits(b, i+1, 2)
	if n == 0 {
		return dt, stSyntax
	}
	i += 1 + n
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || year < 1 || year > maxTimestampYear {
		if i == len(b) || b[i] == ' ' || b[i] == 'T' {
			return dt, stDateTime
		}
		return dt, stSyntax
	}
	dt.days = daysFromCivil(year, month, day)
	if i == len(b) {
		return dt, stOK
	}
	if b[i] != ' ' && b[i] != 'T' && b[i] != 't' {
		return dt, stSyntax
	}
	i++
	for i < len(b) && b[i] == ' ' {
		i++
	}
	micros, n, st := parseClock(b[i:])
	if st != stOK {
		return dt, st
	}
	dt.hasTime, dt.micros = true, micros
	i += n
	for i < len(b) && b[i] == ' ' {
		i++
	}
	if i == len(b) {
		return dt, stOK
	}
	off, ok := parseZone(b[i:])
	if !ok {
		return dt, stSyntax
	}
	dt.hasZone, dt.offset = true, off
	return dt, stOK
}

// parseTime parses a time of day into microseconds since midnight.
func parseTime(b []byte) (int64, status) {
	b = trimSpace(b)
	micros, n, st := parseClock(b)
	if st != stOK {
		return 0, st
	}
	if n != len(b) {
		return 0, stSyntax
	}
	return micros, stOK
}

// parseClock parses HH:MM[:SS[.f...]] at the start of b and says how many bytes it took.
func parseClock(b []byte) (micros int64, used int, st status) {
	h, n := digits(b, 0, 2)
	if n == 0 || n >= len(b) || b[n] != ':' {
		return 0, 0, stSyntax
	}
	i := n + 1
	m, n := digits(b, i, 2)
	if n != 2 {
		return 0, 0, stSyntax
	}
	i += n
	var s, frac int64
	if i < len(b) && b[i] == ':' {
		var n int
		s, n = digits(b, i+1, 2)
		if n != 2 {
			return 0, 0, stSyntax
		}
		i += 1 + n
		if i < len(b) && b[i] == '.' {
			i++
			start := i
			scale := int64(100000)
			for ; i < len(b) && b[i]-'0' <= 9; i++ {
				d := int64(b[i] - '0')
				switch {
				case scale > 0:
					frac += d * scale
					scale /= 10
				case i-start == 6 && d >= 5: // round on the first digit past microseconds
					frac++
				}
			}
			if i == start {
				return 0, 0, stSyntax
			}
		}
	}
	if h > 23 || m > 59 || s > 59 {
		return 0, 0, stDateTime
	}
	return ((h*60+m)*60+s)*microsPerSecond + frac, i, stOK
}

// parseZone parses a zone suffix into seconds east of UTC.
func parseZone(b []byte) (int64, bool) {
	switch string(b) {
	case "Z", "z", "UTC", "utc", "GMT", "gmt", "+00", "-00":
		return 0, true
	}
	if b[0] != '+' && b[0] != '-' {
		return 0, false
	}
	sign := int64(1)
	if b[0] == '-' {
		sign = -1
	}
	b = b[1:]
	h, n := digits(b, 0, 2)
	if n != 2 || h > 15 {
		return 0, false
	}
	b = b[n:]
	var m int64
	if len(b) > 0 {
		if b[0] == ':' {
			b = b[1:]
		}
		m, n = digits(b, 0, 2)
		if n != 2 || n != len(b) || m > 59 {
			return 0, false
		}
	}
	return sign * (h*3600 + m*60), true
}

// digits reads up to max decimal digits at b[i:].
func digits(b []byte, i, max int) (v int64, n int) {
	for n < max && i+n < len(b) && b[i+n]-'0' <= 9 {
		v = v*10 + int64(b[i+n]-'0')
		n++
	}
	return v, n
}

func daysIn(year, month int64) int64 {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// yearStart holds the day number of January 1st of the years from tableFirstYear on, and
// monthStart the day of the year each month starts on in a common year: the fast date path
// adds three numbers instead of running the calendar arithmetic.
const tableFirstYear = 1900

var (
	yearStart = func() (t [300]int32) {
		for i := range t {
			t[i] = int32(daysFromCivil(int64(tableFirstYear+i), 1, 1))
		}
		return t
	}()
	monthStart = [12]int16{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}
)

// daysFromCivil counts days from 1970-01-01 in the proleptic Gregorian calendar (Howard
// Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
