package textcol

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		st   status
	}{
		{"0", 0, stOK},
		{"-0", 0, stOK},
		{"+12", 12, stOK},
		{" 12\t", 12, stOK},
		{"007", 7, stOK},
		{"9223372036854775807", math.MaxInt64, stOK},
		{"-9223372036854775808", math.MinInt64, stOK},
		{"9223372036854775808", 0, stRange},
		{"99999999999999999999999", 0, stRange},
		{"99999999999999999999999x", 0, stSyntax},
		{"", 0, stSyntax},
		{"-", 0, stSyntax},
		{"1 2", 0, stSyntax},
		{"12a", 0, stSyntax},
		{"1.0", 0, stSyntax},
	} {
		got, st := parseInt([]byte(tc.in), math.MinInt64, math.MaxInt64)
		if got != tc.want || st != tc.st {
			t.Errorf("parseInt(%q) = %d, %d; want %d, %d", tc.in, got, st, tc.want, tc.st)
		}
	}
	if _, st := parseInt([]byte("-32769"), math.MinInt16, math.MaxInt16); st != stRange {
		t.Errorf("parseInt(-32769) as smallint: status %d, want out of range", st)
	}
}

func TestIntegralNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		st   status
	}{
		{"1.0", 1, stOK},
		{"1e3", 1000, stOK},
		{"-2.50e1", -25, stOK},
		{"2.5", 0, stSyntax},
		{"1e-1", 0, stSyntax},
		{"1e19", 0, stRange},
		{"0.0000", 0, stOK},
	} {
		got, st := integralNumber([]byte(tc.in), math.MinInt64, math.MaxInt64)
		if got != tc.want || st != tc.st {
			t.Errorf("integralNumber(%q) = %d, %d; want %d, %d", tc.in, got, st, tc.want, tc.st)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in       string
		prec, sc int32
		want     string // as ToString(scale) prints it
		st       status
	}{
		{"1234.5", 15, 2, "1234.50", stOK},
		{"-1234.5", 15, 2, "-1234.50", stOK},
		{"0.005", 15, 2, "0.01", stOK},
		{"0.004", 15, 2, "0.00", stOK},
		{"-0.005", 15, 2, "-0.01", stOK},
		{"1e2", 15, 2, "100.00", stOK},
		{"1.5E-1", 15, 2, "0.15", stOK},
		{" 7 ", 15, 2, "7.00", stOK},
		{".5", 5, 1, "0.5", stOK},
		{"5.", 5, 1, "5.0", stOK},
		{"999.99", 5, 2, "999.99", stOK},
		{"999.995", 5, 2, "", stOverflow},
		{"1000", 5, 2, "", stOverflow},
		{"99999999999999999999999999999999999999", 38, 0, "99999999999999999999999999999999999999", stOK},
		{"100000000000000000000000000000000000000", 38, 0, "", stOverflow},
		{"0.00000000000000000000000000000000000000000001", 38, 2, "0.00", stOK},
		{"1e100000000", 38, 2, "", stOverflow},
		{"0e100000000", 38, 2, "0.00", stOK},
		{"1e-100000000", 38, 2, "0.00", stOK},
		{"12345678901234567.891", 20, 3, "12345678901234567.891", stOK},
		{"", 15, 2, "", stSyntax},
		{".", 15, 2, "", stSyntax},
		{"1e", 15, 2, "", stSyntax},
		{"1.2.3", 15, 2, "", stSyntax},
		{"--1", 15, 2, "", stSyntax},
		{"NaN", 15, 2, "", stSyntax},
	} {
		got, st := parseDecimal([]byte(tc.in), tc.prec, tc.sc, true, false)
		if st != tc.st || (st == stOK && got.ToString(tc.sc) != tc.want) {
			t.Errorf("parseDecimal(%q, %d, %d) = %s, %d; want %s, %d", tc.in, tc.prec, tc.sc, got.ToString(tc.sc), st, tc.want, tc.st)
		}
	}
}

func TestParseFloatAndBool(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		st   status
	}{
		{" 1.5 ", 1.5, stOK},
		{"-Infinity", math.Inf(-1), stOK},
		{"inf", math.Inf(1), stOK},
		{"1e400", 0, stRange},
		{"0x10", 0, stSyntax},
		{"1_0", 0, stSyntax},
		{"abc", 0, stSyntax},
	} {
		got, st := parseFloat([]byte(tc.in), 64)
		if got != tc.want || st != tc.st {
			t.Errorf("parseFloat(%q) = %g, %d; want %g, %d", tc.in, got, st, tc.want, tc.st)
		}
	}
	for in, want := range map[string]bool{"t": true, "TRUE": true, "Yes": true, "on": true, "1": true, "f": false, "False": false, "NO": false, "off": false, "0": false} {
		if got, st := parseBool([]byte(in)); got != want || st != stOK {
			t.Errorf("parseBool(%q) = %v, %d", in, got, st)
		}
	}
	for _, in := range []string{"", "tru", "2", "truee", "yess"} {
		if _, st := parseBool([]byte(in)); st != stSyntax {
			t.Errorf("parseBool(%q) accepted", in)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	ts := func(s string) int64 {
		v, err := time.Parse("2006-01-02 15:04:05.999999", s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixMicro()
	}
	for _, tc := range []struct {
		in   string
		tz   bool
		want int64
		st   status
	}{
		{"2024-02-29", false, ts("2024-02-29 00:00:00"), stOK},
		{"2024-02-29 13:45:01.123456", false, ts("2024-02-29 13:45:01.123456"), stOK},
		{"2024-02-29T13:45", false, ts("2024-02-29 13:45:00"), stOK},
		{"2024-02-29 13:45:01.1234565", false, ts("2024-02-29 13:45:01.123457"), stOK},
		{"2024-02-29 13:45:01+02", false, ts("2024-02-29 13:45:01"), stOK},
		{"2024-02-29 13:45:01+02", true, ts("2024-02-29 11:45:01"), stOK},
		{"2024-02-29 13:45:01 -03:30", true, ts("2024-02-29 17:15:01"), stOK},
		{"2024-02-29 13:45:01Z", true, ts("2024-02-29 13:45:01"), stOK},
		{"2024-02-29 13:45:01 UTC", true, ts("2024-02-29 13:45:01"), stOK},
		{"1969-12-31 23:59:59.5", false, ts("1969-12-31 23:59:59.5"), stOK},
		{"0001-01-01", false, ts("0001-01-01 00:00:00"), stOK},
		{"2023-02-29", false, 0, stDateTime},
		{"2024-13-01", false, 0, stDateTime},
		{"2024-01-01 24:00", false, 0, stDateTime},
		{"2024-01-01 10:60", false, 0, stDateTime},
		{"24-01-01", false, 0, stSyntax},
		{"2024/01/01", false, 0, stSyntax},
		{"2024-01-01x", false, 0, stSyntax},
		{"2024-01-01 10", false, 0, stSyntax},
		{"2024-01-01 10:00:00 Europe/Paris", true, 0, stSyntax},
		{"2024-01-01 10:00:00.", false, 0, stSyntax},
	} {
		got, st := parseTimestamp([]byte(tc.in), tc.tz)
		if got != tc.want || st != tc.st {
			t.Errorf("parseTimestamp(%q, tz=%v) = %d, %d; want %d, %d", tc.in, tc.tz, got, st, tc.want, tc.st)
		}
	}
	// The date fast path and the general path agree across the table's edges.
	for _, in := range []string{"1899-12-31", "1900-01-01", "1900-03-01", "2000-02-29", "2100-03-01", "2199-12-31", "2200-01-01", "9999-12-31"} {
		fast, st1 := parseDate([]byte(in))
		dt, st2 := parseDateTime([]byte(in))
		if st1 != stOK || st2 != stOK || int64(fast) != dt.days {
			t.Errorf("parseDate(%q) = %d, general path %d", in, fast, dt.days)
		}
	}
	if v, st := parseTime([]byte("23:59:59.999999")); st != stOK || v != 86400*1e6-1 {
		t.Errorf("parseTime = %d, %d", v, st)
	}
}

func TestParseMisc(t *testing.T) {
	var u [16]byte
	for _, in := range []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}", "A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11"} {
		if st := parseUUID([]byte(in), &u); st != stOK || u[0] != 0xa0 || u[15] != 0x11 {
			t.Errorf("parseUUID(%q) = %x, %d", in, u, st)
		}
	}
	for _, in := range []string{"a0eebc99-9c0b", "-a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99--9c0b4ef8bb6d6bb9bd380a11", "g0eebc999c0b4ef8bb6d6bb9bd380a11"} {
		if st := parseUUID([]byte(in), &u); st != stSyntax {
			t.Errorf("parseUUID(%q) accepted", in)
		}
	}
	for in, want := range map[string]string{`\x0aff`: "\x0a\xff", "aGVsbG8=": "hello", "aGVsbG8": "hello", "not base64!": "not base64!"} {
		if got, st := appendBytea(nil, []byte(in)); st != stOK || string(got) != want {
			t.Errorf("appendBytea(%q) = %q, %d", in, got, st)
		}
	}
	if _, st := appendBytea(nil, []byte(`\x0g`)); st != stSyntax {
		t.Error(`appendBytea(\x0g) accepted`)
	}
	if got := string(truncateRunes([]byte("héllo"), 2)); got != "hé" {
		t.Errorf("truncateRunes = %q", got)
	}
	if got := string(appendValidUTF8(nil, []byte("a\xffb"))); got != "a\uFFFDb" {
		t.Errorf("appendValidUTF8 = %q", got)
	}
	if got := quoteValue([]byte(strings.Repeat("é", 80))); !strings.HasSuffix(got, `..."`) || len(got) > 110 {
		t.Errorf("quoteValue of a long value = %s", got)
	}
}
