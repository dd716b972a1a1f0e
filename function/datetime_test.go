package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestDateTimeFunctions(t *testing.T) {
	const stamp = "2021-08-15 13:45:30.25" // a Sunday
	runScalarCases(t, []scalarCase{
		{name: "date_trunc", args: []types.T{txt, ts},
			cols: cols(row("microseconds", "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century", "millennium", "NULL"),
				row(stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp)), ret: ts,
			want: []string{"2021-08-15 13:45:30.25", "2021-08-15 13:45:30", "2021-08-15 13:45:00", "2021-08-15 13:00:00", "2021-08-15 00:00:00",
				"2021-08-09 00:00:00", "2021-08-01 00:00:00", "2021-07-01 00:00:00", "2021-01-01 00:00:00", "2020-01-01 00:00:00",
				"2001-01-01 00:00:00", "2001-01-01 00:00:00", "NULL"}},
		{name: "date_trunc", args: []types.T{unk, dat}, cols: cols(row("MONTH"), row("2021-08-15")), ret: ts, want: []string{"2021-08-01 00:00:00"}},
		{name: "date_trunc", args: []types.T{txt, tstz}, cols: cols(row("day"), row("2021-08-15 13:45:30+00")), ret: tstz, want: []string{"2021-08-15 00:00:00+00"}},
		{name: "date_trunc", args: []types.T{txt, ts}, cols: cols(row("fortnight"), row(stamp)), code: sqlerr.InvalidParameterValue},
		{name: "date_trunc", args: []types.T{txt, ts}, cols: cols(row("month", "day"), row("1969-12-31 23:00:00", "1969-12-31 23:00:00")), want: []string{"1969-12-01 00:00:00", "1969-12-31 00:00:00"}},
		{name: "date_part", args: []types.T{txt, ts},
			cols: cols(row("year", "month", "day", "hour", "minute", "second", "milliseconds", "microseconds", "dow", "isodow", "doy", "week", "quarter", "epoch", "decade", "century"),
				row(stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp, stamp)), ret: f64,
			want: []string{"2021", "8", "15", "13", "45", "30.25", "30250", "30250000", "0", "7", "227", "32", "3", "1629035130.25", "202", "21"}},
		{name: "extract", args: []types.T{txt, dat}, cols: cols(row("year", "epoch", "dow"), row("2021-01-03", "1970-01-02", "2021-01-03")), want: []string{"2021", "86400", "0"}},
		{name: "date_part", args: []types.T{txt, ivt}, cols: cols(row("year", "month", "day", "hour", "minute", "second", "epoch"), row("1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5", "1 day")), want: []string{"1", "2", "3", "4", "5", "6.5", "86400"}},
		{name: "date_part", args: []types.T{txt, tim}, cols: cols(row("hour", "second"), row("13:45:30.5", "13:45:30.5")), want: []string{"13", "30.5"}},
		{name: "date_part", args: []types.T{txt, tim}, cols: cols(row("year"), row("13:45:30")), code: sqlerr.InvalidParameterValue},
		{name: "date_part", args: []types.T{txt, ts}, cols: cols(row("year"), row("0044-03-15 BC")), want: []string{"-44"}},
		{name: "year", args: []types.T{ts}, cols: cols(row(stamp, "NULL")), ret: i64, want: []string{"2021", "NULL"}},
		{name: "month", args: []types.T{dat}, cols: cols(row("2021-08-15")), want: []string{"8"}},
		{name: "day", args: []types.T{tstz}, cols: cols(row("2021-08-15 23:00:00-02")), want: []string{"16"}},
		{name: "day_of_month", args: []types.T{dat}, cols: cols(row("2021-08-15")), want: []string{"15"}},
		{name: "day_of_week", args: []types.T{dat}, cols: cols(row("2021-08-15", "2021-08-16")), want: []string{"7", "1"}},
		{name: "dow", args: []types.T{dat}, cols: cols(row("2021-08-14")), want: []string{"6"}},
		{name: "day_of_year", args: []types.T{dat}, cols: cols(row("2021-12-31", "2020-12-31")), want: []string{"365", "366"}},
		{name: "quarter", args: []types.T{dat}, cols: cols(row("2021-08-15")), want: []string{"3"}},
		{name: "week", args: []types.T{dat}, cols: cols(row("2021-01-03", "2021-01-04", "2020-12-31")), want: []string{"53", "1", "53"}},
		{name: "hour", args: []types.T{ts}, cols: cols(row(stamp)), want: []string{"13"}},
		{name: "minute", args: []types.T{tim}, cols: cols(row("13:45:30")), want: []string{"45"}},
		{name: "second", args: []types.T{ts}, cols: cols(row(stamp, "1969-12-31 23:59:58.5")), want: []string{"30", "58"}},
		{name: "millisecond", args: []types.T{ts}, cols: cols(row(stamp)), want: []string{"250"}},
		{name: "date_add", args: []types.T{txt, i32, ts}, cols: cols(row("day", "month", "hour", "quarter", "year"), row("1", "1", "-2", "1", "1"), row("2020-01-31 10:00:00", "2020-01-31 10:00:00", "2020-01-01 01:00:00", "2020-11-30 00:00:00", "2020-02-29 00:00:00")), ret: ts,
			want: []string{"2020-02-01 10:00:00", "2020-02-29 10:00:00", "2019-12-31 23:00:00", "2021-02-28 00:00:00", "2021-02-28 00:00:00"}},
		{name: "date_add", args: []types.T{unk, i64, dat}, cols: cols(row("week"), row("2"), row("2020-01-01")), ret: dat, want: []string{"2020-01-15"}},
		{name: "date_add", args: []types.T{txt, i64, dat}, cols: cols(row("eon"), row("2"), row("2020-01-01")), code: sqlerr.InvalidParameterValue},
		{name: "date_diff", args: []types.T{txt, ts, ts},
			cols: cols(row("day", "day", "hour", "month", "month", "month", "year", "week", "second"),
				row("2020-01-01 10:00:00", "2020-01-05", "2020-01-01", "2020-01-31", "2020-01-31", "2020-03-31", "2019-06-01", "2020-01-01", "2020-01-01"),
				row("2020-01-03 09:00:00", "2020-01-01", "2020-01-02 01:30:00", "2020-02-29", "2020-03-01", "2020-01-31", "2021-05-31", "2020-01-15", "2020-01-01 00:01:00")), ret: i64,
			want: []string{"1", "-4", "25", "1", "1", "-2", "1", "2", "60"}},
		{name: "date_diff", args: []types.T{txt, dat, ts}, cols: cols(row("day"), row("2020-01-01"), row("2020-01-03 00:00:00")), want: []string{"2"}},
		{name: "now", want: []string{"2023-11-14 22:13:20.123456+00"}},
		{name: "current_timestamp", want: []string{"2023-11-14 22:13:20.123456+00"}},
		{name: "current_date", want: []string{"2023-11-14"}},
		{name: "localtimestamp", want: []string{"2023-11-14 22:13:20.123456"}},
		{name: "to_unixtime", args: []types.T{ts}, cols: cols(row("1970-01-02 00:00:00.5")), ret: f64, want: []string{"86400.5"}},
		{name: "from_unixtime", args: []types.T{i64}, cols: cols(row("86400")), ret: tstz, want: []string{"1970-01-02 00:00:00+00"}},
		{name: "to_timestamp", args: []types.T{f64}, cols: cols(row("1.5")), want: []string{"1970-01-01 00:00:01.5+00"}},
	})
	reg := New()
	if _, ok := reg.Lookup("year").Bind([]types.T{i32}); ok {
		t.Error("year(integer) binds")
	}
	if _, ok := reg.Lookup("date_trunc").Bind([]types.T{txt, i32}); ok {
		t.Error("date_trunc(text, integer) binds")
	}
}

func TestDateTimeSessionZone(t *testing.T) {
	ctx := newTestCtx(t)
	ctx.TimeZone = "America/New_York"
	if ctx.location() == nil {
		t.Skip("no zoneinfo")
	}
	reg := New()
	// 2021-03-14 is the DST switch in New York: adding a day keeps the wall clock.
	sig, _ := reg.Lookup("+").Bind([]types.T{tstz, ivt})
	a := col(t, ctx, tstz, "2021-03-13 12:00:00-05")
	iv := col(t, ctx, ivt, "1 day")
	defer releaseAll(a, iv)
	res, err := sig.Kernel(ctx, []arrow.Array{a, iv}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if got := texts(res, tstz)[0]; got != "2021-03-14 16:00:00+00" {
		t.Errorf("timestamptz + 1 day across DST = %s, want 2021-03-14 16:00:00+00 (noon EDT)", got)
	}
	sig, _ = reg.Lookup("date_trunc").Bind([]types.T{txt, tstz})
	u := col(t, ctx, txt, "day")
	defer u.Release()
	res2, err := sig.Kernel(ctx, []arrow.Array{u, a}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Release()
	if got := texts(res2, tstz)[0]; got != "2021-03-13 05:00:00+00" {
		t.Errorf("date_trunc(day) in New York = %s", got)
	}
}
