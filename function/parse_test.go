package function

import (
	"testing"
	"time"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		s    string
		t    types.T
		want int64
		err  string
	}{
		{" 42 ", i32, 42, ""},
		{"-2147483648", i32, -2147483648, ""},
		{"+7", i16, 7, ""},
		{"2147483648", i32, 0, `value "2147483648" is out of range for type integer`},
		{"99999999999", i32, 0, `value "99999999999" is out of range for type integer`},
		{"32768", i16, 0, `value "32768" is out of range for type smallint`},
		{"-9223372036854775808", i64, -9223372036854775808, ""},
		{"99999999999999999999999", i64, 0, `value "99999999999999999999999" is out of range for type bigint`},
		{"abc", i32, 0, `invalid input syntax for type integer: "abc"`},
		{"1.5", i32, 0, `invalid input syntax for type integer: "1.5"`},
		{"", i64, 0, `invalid input syntax for type bigint: ""`},
		{"-", i64, 0, `invalid input syntax for type bigint: "-"`},
	}
	for _, tt := range tests {
		got, err := ParseInt(tt.s, tt.t)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseInt(%q) error = %v, want %q", tt.s, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", tt.s, got, err, tt.want)
		}
	}
	if _, err := ParseInt("x", i32); sqlerr.Code(err) != sqlerr.InvalidTextRepresentation {
		t.Errorf("code %s", sqlerr.Code(err))
	}
	if _, err := ParseInt("99999999999", i32); sqlerr.Code(err) != sqlerr.NumericValueOutOfRange {
		t.Errorf("code %s", sqlerr.Code(err))
	}
}

func TestParseFloatAndBool(t *testing.T) {
	for _, s := range []string{"1.5", " -2e3 ", "NaN", "infinity", "-Infinity", "inf", ".5", "5."} {
		if _, err := ParseFloat64(s); err != nil {
			t.Errorf("ParseFloat64(%q): %v", s, err)
		}
	}
	for s, want := range map[string]string{
		"abc":   `invalid input syntax for type double precision: "abc"`,
		"1e400": `"1e400" is out of range for type double precision`,
		"1_000": `invalid input syntax for type double precision: "1_000"`,
	} {
		if _, err := ParseFloat64(s); err == nil || err.Error() != want {
			t.Errorf("ParseFloat64(%q) = %v, want %q", s, err, want)
		}
	}
	for s, want := range map[string]bool{"t": true, " TRUE ": true, "yes": true, "on": true, "1": true, "y": true,
		"f": false, "False": false, "no": false, "off": false, "0": false, "n": false} {
		got, err := ParseBool(s)
		if err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"o", "maybe", "", "2", "truee"} {
		if _, err := ParseBool(s); err == nil || sqlerr.Code(err) != sqlerr.InvalidTextRepresentation {
			t.Errorf("ParseBool(%q) = %v, want 22P02", s, err)
		}
	}
}

func TestParseNumeric(t *testing.T) {
	tests := []struct {
		s    string
		t    types.T
		want string
		code string
	}{
		{"1.005", dec(5, 2), "1.01", ""},
		{"-1.005", dec(5, 2), "-1.01", ""},
		{"1.004", dec(5, 2), "1.00", ""},
		{"  12  ", dec(5, 2), "12.00", ""},
		{"1e2", dec(5, 2), "100.00", ""},
		{"1.5E-1", dec(5, 2), "0.15", ""},
		{".5", dec(2, 1), "0.5", ""},
		{"999.995", dec(5, 2), "", sqlerr.NumericValueOutOfRange},
		{"999.994", dec(5, 2), "999.99", ""},
		{"12345678901234567890123456789012345678", dec(38, 0), "12345678901234567890123456789012345678", ""},
		{"123456789012345678901234567890123456789", dec(38, 0), "", sqlerr.NumericValueOutOfRange},
		{"0.00000000000000000000000000000000000000001", dec(38, 2), "0.00", ""},
		{"abc", dec(5, 2), "", sqlerr.InvalidTextRepresentation},
		{"1.2.3", dec(5, 2), "", sqlerr.InvalidTextRepresentation},
		{"1e", dec(5, 2), "", sqlerr.InvalidTextRepresentation},
		{"", dec(5, 2), "", sqlerr.InvalidTextRepresentation},
	}
	for _, tt := range tests {
		n, err := ParseNumeric(tt.s, tt.t)
		if tt.code != "" {
			if sqlerr.Code(err) != tt.code {
				t.Errorf("ParseNumeric(%q, %s) error %v, want %s", tt.s, tt.t, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseNumeric(%q, %s): %v", tt.s, tt.t, err)
			continue
		}
		if got := string(AppendNumeric(nil, n, tt.t.Scale)); got != tt.want {
			t.Errorf("ParseNumeric(%q, %s) = %s, want %s", tt.s, tt.t, got, tt.want)
		}
	}
	_, err := ParseNumeric("1000", dec(5, 2))
	if e := sqlerr.From(err); e.Message != "numeric field overflow" || e.Detail != "A field with precision 5, scale 2 must round to an absolute value less than 10^3." {
		t.Errorf("overflow error = %q / %q", e.Message, e.Detail)
	}
}

func TestParseDecimalLiteral(t *testing.T) {
	tests := []struct {
		s    string
		typ  types.T
		want string
	}{
		{"123.45", dec(5, 2), "123.45"},
		{"0.5", dec(1, 1), "0.5"},
		{".5", dec(1, 1), "0.5"},
		{"1.50", dec(3, 2), "1.50"},
		{"1e3", dec(4, 0), "1000"},
		{"1.5e-3", dec(4, 4), "0.0015"},
		{"0", dec(1, 0), "0"},
		{"0.00", dec(2, 2), "0.00"},
		{"007", dec(1, 0), "7"},
		{"12345678901234567890.123456789012345678901234", dec(38, 18), "12345678901234567890.123456789012345679"},
		{"1" + string(make([]byte, 0)) + "234567890123456789012345678901234567890", f64, ""},
	}
	for _, tt := range tests {
		typ, n, err := ParseDecimalLiteral(tt.s)
		if tt.typ.Kind == types.Float64 {
			if err != ErrDecimalLiteralTooLarge || !typ.Equal(f64) {
				t.Errorf("ParseDecimalLiteral(%q) = %s, %v; want double precision, ErrDecimalLiteralTooLarge", tt.s, typ, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDecimalLiteral(%q): %v", tt.s, err)
			continue
		}
		if !typ.Equal(tt.typ) {
			t.Errorf("ParseDecimalLiteral(%q) type %s, want %s", tt.s, typ, tt.typ)
			continue
		}
		if typ.Kind == types.Decimal {
			if got := string(AppendNumeric(nil, n, typ.Scale)); got != tt.want {
				t.Errorf("ParseDecimalLiteral(%q) = %s, want %s", tt.s, got, tt.want)
			}
		}
	}
	if _, _, err := ParseDecimalLiteral("x"); err == nil {
		t.Error("ParseDecimalLiteral(x) succeeded")
	}
}

func TestParseDateTime(t *testing.T) {
	dates := []struct{ s, want, code string }{
		{"2020-01-02", "2020-01-02", ""},
		{" 2020-1-2 ", "2020-01-02", ""},
		{"20200102", "2020-01-02", ""},
		{"2020/01/02", "2020-01-02", ""},
		{"01/02/2020", "2020-01-02", ""},
		{"0044-03-15 BC", "0044-03-15 BC", ""},
		{"2020-01-02 10:11:12", "2020-01-02", ""},
		{"epoch", "1970-01-01", ""},
		{"2020-02-30", "", sqlerr.DatetimeFieldOverflow},
		{"2020-13-01", "", sqlerr.DatetimeFieldOverflow},
		{"0000-01-01", "", sqlerr.DatetimeFieldOverflow},
		{"abc", "", sqlerr.InvalidDatetimeFormat},
		{"2020-01", "", sqlerr.InvalidDatetimeFormat},
		{"", "", sqlerr.InvalidDatetimeFormat},
	}
	for _, tt := range dates {
		d, err := ParseDate(tt.s)
		if tt.code != "" {
			if sqlerr.Code(err) != tt.code {
				t.Errorf("ParseDate(%q) error %v, want %s", tt.s, err, tt.code)
			}
			continue
		}
		if err != nil || string(AppendDate(nil, d)) != tt.want {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", tt.s, AppendDate(nil, d), err, tt.want)
		}
	}
	if _, err := ParseDate("abc"); err == nil || err.Error() != `invalid input syntax for type date: "abc"` {
		t.Errorf("ParseDate(abc) = %v", err)
	}
	stamps := []struct{ s, want, code string }{
		{"2020-01-02 03:04:05.123456", "2020-01-02 03:04:05.123456", ""},
		{"2020-01-02T03:04:05Z", "2020-01-02 03:04:05", ""},
		{"2020-01-02 03:04:05+05:30", "2020-01-02 03:04:05", ""},
		{"2020-01-02 03:04:05.1234567", "2020-01-02 03:04:05.123457", ""},
		{"2020-01-02 03:04", "2020-01-02 03:04:00", ""},
		{"2020-01-02", "2020-01-02 00:00:00", ""},
		{"2020-01-02 24:00:00", "2020-01-03 00:00:00", ""},
		{"2020-01-02 25:00:00", "", sqlerr.DatetimeFieldOverflow},
		{"2020-01-02 03:60:00", "", sqlerr.DatetimeFieldOverflow},
		{"2020-01-02 03:04:05 junk", "", sqlerr.InvalidDatetimeFormat},
	}
	for _, tt := range stamps {
		us, err := ParseTimestamp(tt.s)
		if tt.code != "" {
			if sqlerr.Code(err) != tt.code {
				t.Errorf("ParseTimestamp(%q) error %v, want %s", tt.s, err, tt.code)
			}
			continue
		}
		if err != nil || string(AppendTimestamp(nil, us)) != tt.want {
			t.Errorf("ParseTimestamp(%q) = %s, %v; want %s", tt.s, AppendTimestamp(nil, us), err, tt.want)
		}
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo")
	}
	tz := []struct {
		s    string
		loc  *time.Location
		want string
	}{
		{"2020-01-02 03:04:05+05:30", nil, "2020-01-01 21:34:05+00"},
		{"2020-01-02 03:04:05-0800", nil, "2020-01-02 11:04:05+00"},
		{"2020-01-02 03:04:05 America/New_York", nil, "2020-01-02 08:04:05+00"},
		{"2020-07-01 00:00:00", ny, "2020-07-01 04:00:00+00"},
		{"2020-07-01 00:00:00 UTC", ny, "2020-07-01 00:00:00+00"},
	}
	for _, tt := range tz {
		us, err := ParseTimestampTZ(tt.s, tt.loc)
		if err != nil || string(AppendTimestampTZ(nil, us, nil)) != tt.want {
			t.Errorf("ParseTimestampTZ(%q) = %s, %v; want %s", tt.s, AppendTimestampTZ(nil, us, nil), err, tt.want)
		}
	}
	for s, want := range map[string]string{"13:04:05.5": "13:04:05.5", "1:02": "01:02:00", "24:00": "24:00:00"} {
		us, err := ParseTime(s)
		if err != nil || string(AppendTime(nil, us)) != want {
			t.Errorf("ParseTime(%q) = %s, %v", s, AppendTime(nil, us), err)
		}
	}
}

func TestParseInterval(t *testing.T) {
	tests := []struct{ s, fields, want, code string }{
		{"1 year 2 mons", "", "1 year 2 mons", ""},
		{"3 days 04:05:06", "", "3 days 04:05:06", ""},
		{"-1 day", "", "-1 days", ""},
		{"1.5 hours", "", "01:30:00", ""},
		{"1.5 years", "", "1 year 6 mons", ""},
		{"1.5 months", "", "1 mon 15 days", ""},
		{"1.5 days", "", "1 day 12:00:00", ""},
		{"2 weeks", "", "14 days", ""},
		{"1 week 1.5 days", "", "8 days 12:00:00", ""},
		{"3 days ago", "", "-3 days", ""},
		{"1 day 2 hours ago", "", "-1 days -02:00:00", ""},
		{"@ 1 minute", "", "00:01:00", ""},
		{"1day", "", "1 day", ""},
		{"P1Y2M3DT4H5M6S", "", "1 year 2 mons 3 days 04:05:06", ""},
		{"PT1.5S", "", "00:00:01.5", ""},
		{"P2W", "", "14 days", ""},
		{"-P1D", "", "-1 days", ""},
		{"90", "day", "90 days", ""},
		{"90", "", "00:01:30", ""},
		{"90", "minute", "01:30:00", ""},
		{"1-2", "year to month", "1 year 2 mons", ""},
		{"-1-2", "", "-1 years -2 mons", ""},
		{"3 4:05:06", "", "3 days 04:05:06", ""},
		{"1 day 02:03:04", "day", "1 day", ""},
		{"1 day 02:03:04", "day to hour", "1 day 02:00:00", ""},
		{"2 years 5 mons", "year", "2 years", ""},
		{"1:30", "", "01:30:00", ""},
		{"-01:30", "", "-01:30:00", ""},
		{"1:30.5", "", "00:01:30.5", ""},
		{"1 millisecond 5 microseconds", "", "00:00:00.001005", ""},
		{"10 years 1 decade 1 century", "", "120 years", ""},
		{"1 mon -1 day +02:00", "", "1 mon -1 days +02:00:00", ""},
		{"", "", "", sqlerr.InvalidDatetimeFormat},
		{"abc", "", "", sqlerr.InvalidDatetimeFormat},
		{"1 fortnight", "", "", sqlerr.InvalidDatetimeFormat},
		{"1 day ago ago", "", "", sqlerr.InvalidDatetimeFormat},
		{"P1X", "", "", sqlerr.InvalidDatetimeFormat},
		{"3000000000 days", "", "", sqlerr.DatetimeFieldOverflow},
		{"1", "fortnight", "", sqlerr.SyntaxError},
	}
	for _, tt := range tests {
		v, err := ParseInterval(tt.s, tt.fields)
		if tt.code != "" {
			if sqlerr.Code(err) != tt.code {
				t.Errorf("ParseInterval(%q, %q) error %v, want %s", tt.s, tt.fields, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseInterval(%q, %q): %v", tt.s, tt.fields, err)
			continue
		}
		if got := string(AppendInterval(nil, v)); got != tt.want {
			t.Errorf("ParseInterval(%q, %q) = %q, want %q", tt.s, tt.fields, got, tt.want)
		}
	}
}

// FuzzParseInterval checks that interval input never panics and that its output reads back
// to the same value.
func FuzzParseInterval(f *testing.F) {
	for _, s := range []string{"1 year 2 mons", "3 days 04:05:06", "-1 day", "1.5 hours", "P1Y2M3DT4H5M6S",
		"90", "1-2", "3 4:05:06", "@ 1 minute ago", "PT1.5S", "1:30.5", "-P1W", "1e5 days", "99999999999 years"} {
		f.Add(s, "")
	}
	f.Add("90", "day")
	f.Add("1 day 02:03", "day to hour")
	f.Fuzz(func(t *testing.T, s, fields string) {
		v, err := ParseInterval(s, fields)
		if err != nil {
			if sqlerr.Code(err) == sqlerr.InternalError {
				t.Fatalf("uncoded error %v", err)
			}
			return
		}
		out := string(AppendInterval(nil, v))
		back, err := ParseInterval(out, "")
		if err != nil {
			t.Fatalf("output %q of %q does not parse: %v", out, s, err)
		}
		if back.Months != v.Months || back.Days != v.Days || back.Nanoseconds/1000 != v.Nanoseconds/1000 {
			t.Fatalf("%q → %q → %+v, want %+v", s, out, back, v)
		}
	})
}
