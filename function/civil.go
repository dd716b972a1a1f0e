package function

import "math"

// Calendar arithmetic on the proleptic Gregorian calendar, as PostgreSQL uses it (year 0 is
// 1 BC). Dates are days since 1970-01-01 (Arrow Date32); timestamps are microseconds since
// 1970-01-01 00:00:00 (Arrow Timestamp µs). The conversions are Howard Hinnant's
// days_from_civil / civil_from_days, which are exact for every year and branch-light.

const (
	usPerSecond = int64(1_000_000)
	usPerMinute = 60 * usPerSecond
	usPerHour   = 60 * usPerMinute
	usPerDay    = 24 * usPerHour
	nsPerUs     = int64(1000)

	// Timestamps run from 4714-11-24 BC, PostgreSQL's lower limit, to the last whole day an
	// int64 of µs since 1970 holds (294247-01-10); PostgreSQL, counting from 2000, reaches
	// 294276. Dates are kept in the same range so every date converts to a timestamp.
	minYear = -4713 // 4714 BC
	maxYear = 294246
)

// daysFromCivil returns the days since 1970-01-01 of y-m-d.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays returns the date of days since 1970-01-01.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// splitTimestamp splits µs since the epoch into days and µs within the day.
func splitTimestamp(us int64) (days, tod int64) {
	days = floorDiv(us, usPerDay)
	return days, us - days*usPerDay
}

// addMonths adds months to y-m-d, clamping the day to the end of the resulting month, as
// PostgreSQL's timestamp + interval does ('2020-01-31' + 1 month = '2020-02-29').
func addMonths(y, m, d, months int64) (int64, int64, int64) {
	t := y*12 + (m - 1) + months
	y = floorDiv(t, 12)
	m = t - y*12 + 1
	if dim := daysInMonth(y, m); d > dim {
		d = dim
	}
	return y, m, d
}

// isoWeekday returns 1 (Monday) .. 7 (Sunday) for days since the epoch (a Thursday).
func isoWeekday(days int64) int64 { return floorMod(days+3, 7) + 1 }

// isoYearWeek returns the ISO 8601 year and week of days since the epoch.
func isoYearWeek(days int64) (year, week int64) {
	// The ISO week's Thursday decides the year.
	thu := days - isoWeekday(days) + 4
	y, _, _ := civilFromDays(thu)
	jan1 := daysFromCivil(y, 1, 1)
	return y, (thu-jan1)/7 + 1
}

// timestampInRange reports whether µs lies in PostgreSQL's timestamp range.
func timestampInRange(us int64) bool {
	return us >= minTimestampUs && us < maxTimestampUs
}

var (
	minTimestampUs = daysFromCivil(minYear, 11, 24) * usPerDay
	maxTimestampUs = (math.MaxInt64 / usPerDay) * usPerDay
)
