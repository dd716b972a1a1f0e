package function

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

func TestAppendFloat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0.1, "0.1"}, {1e20, "1e+20"}, {1.5e-07, "1.5e-07"}, {123456789012345, "123456789012345"},
		{1e15, "1e+15"}, {1e14, "100000000000000"}, {0.0001, "0.0001"}, {0.00001, "1e-05"},
		{-2.5, "-2.5"}, {1.0 / 3, "0.3333333333333333"}, {0.30000000000000004, "0.30000000000000004"},
		{math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"}, {math.NaN(), "NaN"},
		{0, "0"}, {math.Copysign(0, -1), "-0"}, {5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"},
		{100, "100"}, {1234.5, "1234.5"},
	}
	for _, tt := range tests {
		if got := string(AppendFloat64(nil, tt.f)); got != tt.want {
			t.Errorf("AppendFloat64(%v) = %q, want %q", tt.f, got, tt.want)
		}
	}
	tests32 := []struct {
		f    float32
		want string
	}{
		{0.1, "0.1"}, {1e6, "1e+06"}, {123456, "123456"}, {float32(math.Pi), "3.1415927"}, {1.5e-5, "1.5e-05"},
	}
	for _, tt := range tests32 {
		if got := string(AppendFloat32(nil, tt.f)); got != tt.want {
			t.Errorf("AppendFloat32(%v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestAppendNumeric(t *testing.T) {
	big, _ := decimal128.FromString("-12345678901234567890123456789.012345678", 38, 9)
	tests := []struct {
		n     decimal128.Num
		scale int32
		want  string
	}{
		{decimal128.FromI64(150), 2, "1.50"},
		{decimal128.FromI64(-5), 3, "-0.005"},
		{decimal128.FromI64(0), 2, "0.00"},
		{decimal128.FromI64(42), 0, "42"},
		{decimal128.FromI64(-42), 0, "-42"},
		{big, 9, "-12345678901234567890123456789.012345678"},
		{pow10[38].Sub(decimal128.FromI64(1)), 0, "99999999999999999999999999999999999999"},
		{pow10[38].Sub(decimal128.FromI64(1)), 38, "0.99999999999999999999999999999999999999"},
	}
	for _, tt := range tests {
		if got := string(AppendNumeric(nil, tt.n, tt.scale)); got != tt.want {
			t.Errorf("AppendNumeric(%v, %d) = %q, want %q", tt.n.BigInt(), tt.scale, got, tt.want)
		}
	}
}

func TestAppendDateTime(t *testing.T) {
	day := func(y, m, d int64) int32 { return int32(daysFromCivil(y, m, d)) }
	us := func(y, m, d, h, mi, s, frac int64) int64 {
		return int64(day(y, m, d))*usPerDay + h*usPerHour + mi*usPerMinute + s*usPerSecond + frac
	}
	dates := []struct {
		d    int32
		want string
	}{
		{0, "1970-01-01"}, {day(2020, 2, 29), "2020-02-29"}, {day(-43, 3, 15), "0044-03-15 BC"},
		{day(12345, 1, 1), "12345-01-01"}, {day(1, 1, 1), "0001-01-01"}, {day(0, 12, 31), "0001-12-31 BC"},
	}
	for _, tt := range dates {
		if got := string(AppendDate(nil, tt.d)); got != tt.want {
			t.Errorf("AppendDate(%d) = %q, want %q", tt.d, got, tt.want)
		}
	}
	stamps := []struct {
		us   int64
		want string
	}{
		{us(2020, 1, 2, 3, 4, 5, 123000), "2020-01-02 03:04:05.123"},
		{us(2020, 1, 2, 3, 4, 5, 0), "2020-01-02 03:04:05"},
		{us(2020, 1, 2, 3, 4, 5, 1), "2020-01-02 03:04:05.000001"},
		{us(1969, 12, 31, 23, 59, 59, 500000), "1969-12-31 23:59:59.5"},
		{us(-43, 3, 15, 12, 0, 0, 0), "0044-03-15 12:00:00 BC"},
	}
	for _, tt := range stamps {
		if got := string(AppendTimestamp(nil, tt.us)); got != tt.want {
			t.Errorf("AppendTimestamp = %q, want %q", got, tt.want)
		}
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo")
	}
	kol, _ := time.LoadLocation("Asia/Kolkata")
	tz := []struct {
		us   int64
		loc  *time.Location
		want string
	}{
		{us(2020, 1, 2, 3, 4, 5, 0), nil, "2020-01-02 03:04:05+00"},
		{us(2020, 7, 1, 12, 0, 0, 0), ny, "2020-07-01 08:00:00-04"},
		{us(2020, 1, 1, 12, 0, 0, 0), ny, "2020-01-01 07:00:00-05"},
		{us(2020, 1, 1, 0, 0, 0, 0), kol, "2020-01-01 05:30:00+05:30"},
	}
	for _, tt := range tz {
		if got := string(AppendTimestampTZ(nil, tt.us, tt.loc)); got != tt.want {
			t.Errorf("AppendTimestampTZ = %q, want %q", got, tt.want)
		}
	}
	if got := string(AppendTime(nil, 13*usPerHour+4*usPerMinute+5*usPerSecond+500000)); got != "13:04:05.5" {
		t.Errorf("AppendTime = %q", got)
	}
}

func TestAppendInterval(t *testing.T) {
	iv := func(m, d int32, us int64) arrow.MonthDayNanoInterval {
		return arrow.MonthDayNanoInterval{Months: m, Days: d, Nanoseconds: us * 1000}
	}
	tests := []struct {
		v    arrow.MonthDayNanoInterval
		want string
	}{
		{iv(14, 3, 4*usPerHour+5*usPerMinute+6*usPerSecond), "1 year 2 mons 3 days 04:05:06"},
		{iv(0, 0, 0), "00:00:00"},
		{iv(0, -1, 0), "-1 days"},
		{iv(1, 1, 0), "1 mon 1 day"},
		{iv(-14, 0, 0), "-1 years -2 mons"},
		{iv(0, 1, -2*usPerHour), "1 day -02:00:00"},
		{iv(12, -2, 3*usPerHour), "1 year -2 days +03:00:00"},
		{iv(0, 0, 90*usPerSecond+500000), "00:01:30.5"},
		{iv(0, 0, 100*usPerHour), "100:00:00"},
		{iv(0, 0, -1), "-00:00:00.000001"},
	}
	for _, tt := range tests {
		if got := string(AppendInterval(nil, tt.v)); got != tt.want {
			t.Errorf("AppendInterval(%+v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestAppendBytesAndUUID(t *testing.T) {
	if got := string(AppendBytea(nil, []byte{0, 0xab, 'A'})); got != `\x00ab41` {
		t.Errorf("AppendBytea = %q", got)
	}
	u, err := ParseUUID("{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(AppendUUID(nil, u[:])); got != "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" {
		t.Errorf("AppendUUID = %q", got)
	}
	if _, err := ParseUUID("a0eebc99-9c0b"); err == nil {
		t.Error("short UUID parsed")
	}
}
