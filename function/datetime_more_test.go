package function

import (
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestDateFormatParse(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "date_format", args: []types.T{ts, txt}, cols: cols(row("2021-03-04 05:06:07.089", "2021-03-04 15:06:07", "NULL"), row("%Y-%m-%d %H:%i:%s.%f", "%a %b %e %D %l%p %r %T %j %W %M %c %y %k %h %I %% %q", "%Y")), ret: txt,
			want: []string{"2021-03-04 05:06:07.089000", "Thu Mar 4 4th 3PM 03:06:07 PM 15:06:07 063 Thursday March 3 21 15 03 03 % q", "NULL"}},
		{name: "date_format", args: []types.T{dat, txt}, cols: cols(row("2021-01-03"), row("%v %x %w")), want: []string{"53 2020 0"}},
		{name: "date_format", args: []types.T{tstz, txt}, cols: cols(row("2021-03-04 05:06:07+02"), row("%H:%i")), want: []string{"03:06"}},
		{name: "date_format", args: []types.T{ts, txt}, cols: cols(row("2021-03-04 05:06:07"), row("%U")), code: sqlerr.InvalidParameterValue},
		{name: "date_parse", args: []types.T{txt, txt}, cols: cols(row("2021-03-04 05:06:07.5", "04/Mar/2021:05:06 PM", "2021-063", "21", "NULL"), row("%Y-%m-%d %H:%i:%s.%f", "%d/%b/%Y:%h:%i %p", "%Y-%j", "%y", "%Y")), ret: ts,
			want: []string{"2021-03-04 05:06:07.5", "2021-03-04 17:06:00", "2021-03-04 00:00:00", "2021-01-01 00:00:00", "NULL"}},
		{name: "date_parse", args: []types.T{txt, txt}, cols: cols(row("2021-13-01"), row("%Y-%m-%d")), code: sqlerr.DatetimeFieldOverflow},
		{name: "date_parse", args: []types.T{txt, txt}, cols: cols(row("2021-x-01"), row("%Y-%m-%d")), code: sqlerr.InvalidDatetimeFormat},
		{name: "date_parse", args: []types.T{txt, txt}, cols: cols(row("2021-01-01 junk"), row("%Y-%m-%d")), code: sqlerr.InvalidDatetimeFormat},
	})
}

func TestToCharAndTemplates(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "to_char", args: []types.T{ts, txt}, cols: cols(row("2021-03-04 15:06:07.089", "2021-03-04 15:06:07.089", "2021-03-04 00:00:00"), row("YYYY-MM-DD HH24:MI:SS.MS", "Day, DD Month YYYY HH12 am Mon Dy \"Q\"Q DDD IW FMDD", "FMMonth FMDay DDth D ID")), ret: txt,
			want: []string{"2021-03-04 15:06:07.089", "Thursday , 04 March     2021 03 pm Mar Thu Q1 063 09 4", "March Thursday 04th 5 4"}},
		{name: "to_char", args: []types.T{ts, txt}, cols: cols(row("2021-03-04 15:06:07.123456"), row("MONTH DAY mon dy US FF3 SSSS YY Y CC AD J")), want: []string{"MARCH     THURSDAY  mar thu 123456 123 54367 21 1 21 AD 2459278"}},
		{name: "to_char", args: []types.T{tstz, txt}, cols: cols(row("2021-03-04 15:06:07+00"), row("HH24 TZ OF")), want: []string{"15 UTC +00"}},
		{name: "to_char", args: []types.T{dat, txt}, cols: cols(row("2021-03-04"), row("YYYY/MM/DD")), want: []string{"2021/03/04"}},
		{name: "to_char", args: []types.T{i32, txt}, cols: cols(row("12", "-12", "0", "12345"), row("999", "999", "999", "999")), want: []string{"  12", " -12", "   0", " ###"}},
		{name: "to_char", args: []types.T{dec(10, 3), txt}, cols: cols(row("1234.567", "-0.5", "0.5", "1.5"), row("9,999.99", "S0.99", "FM9.999", "0009.9MI")), want: []string{" 1,234.57", "-0.50", ".5", "0001.5 "}},
		{name: "to_char", args: []types.T{f64, txt}, cols: cols(row("-3.14159", "2.5"), row("99.99PR", "FM999")), want: []string{"< 3.14>", "2"}},
		{name: "to_date", args: []types.T{txt, txt}, cols: cols(row("05 Dec 2000", "2021-03-04", "20210304", "  4/3/21", "12345-01-01"), row("DD Mon YYYY", "YYYY-MM-DD", "YYYYMMDD", "DD/MM/YY", "YYYY-MM-DD")), ret: dat,
			want: []string{"2000-12-05", "2021-03-04", "2021-03-04", "2021-03-04", "12345-01-01"}},
		{name: "to_date", args: []types.T{txt, txt}, cols: cols(row("2021-02-30"), row("YYYY-MM-DD")), code: sqlerr.DatetimeFieldOverflow},
		{name: "to_date", args: []types.T{txt, txt}, cols: cols(row("2021-xx-01"), row("YYYY-MM-DD")), code: sqlerr.InvalidDatetimeFormat},
		{name: "to_timestamp", args: []types.T{txt, txt}, cols: cols(row("2021-03-04 03:04:05.5 PM", "March 4, 2021"), row("YYYY-MM-DD HH:MI:SS.MS AM", "Month DD, YYYY")), ret: tstz,
			want: []string{"2021-03-04 15:04:05.5+00", "2021-03-04 00:00:00+00"}},
		{name: "to_timestamp", args: []types.T{f64}, cols: cols(row("1")), ret: tstz, want: []string{"1970-01-01 00:00:01+00"}},
		{name: "to_timestamp", args: []types.T{txt, txt}, cols: cols(row("10 UTC"), row("HH24 TZ")), code: sqlerr.FeatureNotSupported},
	})
}

func TestDateTimeMore(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "from_iso8601_timestamp", args: []types.T{txt}, cols: cols(row("2020-05-11T11:15:05.123+02:00", "2020-05-11", "NULL")), ret: tstz, want: []string{"2020-05-11 09:15:05.123+00", "2020-05-11 00:00:00+00", "NULL"}},
		{name: "from_iso8601_timestamp", args: []types.T{txt}, cols: cols(row("2020-13-11")), code: sqlerr.DatetimeFieldOverflow},
		{name: "from_iso8601_date", args: []types.T{txt}, cols: cols(row("2020-05-11")), ret: dat, want: []string{"2020-05-11"}},
		{name: "from_iso8601_date", args: []types.T{txt}, cols: cols(row("2020-05-11T00:00")), code: sqlerr.InvalidDatetimeFormat},
		{name: "to_iso8601", args: []types.T{dat}, cols: cols(row("2020-05-11")), ret: txt, want: []string{"2020-05-11"}},
		{name: "to_iso8601", args: []types.T{ts}, cols: cols(row("2020-05-11 01:02:03.5")), want: []string{"2020-05-11T01:02:03.500000"}},
		{name: "to_iso8601", args: []types.T{tstz}, cols: cols(row("2020-05-11 01:02:03+02")), want: []string{"2020-05-10T23:02:03.000000Z"}},
		{name: "age", args: []types.T{ts, ts}, cols: cols(row("2001-04-10", "1957-06-13", "2001-03-01", "2001-01-01 00:00:00"), row("1957-06-13", "2001-04-10", "2001-01-31", "2000-12-31 23:59:59.5")), ret: ivt,
			want: []string{"43 years 9 mons 27 days", "-43 years -9 mons -27 days", "1 mon 1 day", "00:00:00.5"}},
		{name: "age", args: []types.T{ts}, cols: cols(row("2023-11-13 12:00:00")), want: []string{"12:00:00"}},
		{name: "age", args: []types.T{unk, unk}, cols: cols(row("2001-04-10"), row("1957-06-13")), want: []string{"43 years 9 mons 27 days"}},
		{name: "age", args: []types.T{dat, dat}, cols: cols(row("2020-03-01"), row("2020-02-29")), want: []string{"1 day"}},
		{name: "make_date", args: []types.T{i32, i32, i32}, cols: cols(row("2013", "-44", "NULL"), row("7", "3", "1"), row("15", "15", "1")), ret: dat, want: []string{"2013-07-15", "0044-03-15 BC", "NULL"}},
		{name: "make_date", args: []types.T{i32, i32, i32}, cols: cols(row("2013"), row("2"), row("30")), code: sqlerr.DatetimeFieldOverflow},
		{name: "last_day_of_month", args: []types.T{dat}, cols: cols(row("2020-02-10", "2021-02-10", "2021-12-31")), ret: dat, want: []string{"2020-02-29", "2021-02-28", "2021-12-31"}},
		{name: "last_day_of_month", args: []types.T{ts}, cols: cols(row("2020-04-10 12:00")), want: []string{"2020-04-30"}},
		{name: "current_time", ret: tim, want: []string{"22:13:20.123456"}},
		{name: "localtime", want: []string{"22:13:20.123456"}},
		{name: "timezone", args: []types.T{txt, ts}, cols: cols(row("America/Denver", "UTC", "+05", "EST", "Europe/Paris"), row("2001-02-16 20:38:40", "2001-02-16 20:38:40", "2001-02-16 20:38:40", "2001-02-16 20:38:40", "2021-07-01 12:00")), ret: tstz,
			want: []string{"2001-02-17 03:38:40+00", "2001-02-16 20:38:40+00", "2001-02-17 01:38:40+00", "2001-02-17 01:38:40+00", "2021-07-01 10:00:00+00"}},
		{name: "timezone", args: []types.T{txt, tstz}, cols: cols(row("America/Denver", "PST", "UTC-03:30"), row("2001-02-16 20:38:40.12+00", "2001-02-16 20:38:40+00", "2001-02-16 20:38:40+00")), ret: ts,
			want: []string{"2001-02-16 13:38:40.12", "2001-02-16 12:38:40", "2001-02-17 00:08:40"}},
		{name: "timezone", args: []types.T{ivt, tstz}, cols: cols(row("-08:00"), row("2001-02-16 20:38:40+00")), want: []string{"2001-02-16 12:38:40"}},
		{name: "timezone", args: []types.T{txt, ts}, cols: cols(row("Mars/Olympus"), row("2001-02-16 20:38:40")), code: sqlerr.InvalidParameterValue},
	})
}
