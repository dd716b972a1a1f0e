package function

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// scalarCase is one call of a function or operator on text columns.
type scalarCase struct {
	name    string
	args    []types.T
	cols    [][]any
	ret     types.T // checked when Kind or Precision set
	want    []string
	code    string // expected SQLSTATE instead of a result
	message string // expected error text, when set
}

func runScalarCases(t *testing.T, cases []scalarCase) {
	t.Helper()
	reg := New()
	for _, c := range cases {
		r := call(t, reg, c.name, c.args, c.cols...)
		label := c.name
		for _, col := range c.cols {
			label += " " + formatAnyRow(col)
		}
		if c.code != "" {
			if r.code != c.code {
				t.Errorf("%s: got error %v (code %q), want code %s", label, r.err, r.code, c.code)
			} else if c.message != "" && r.err.Error() != c.message {
				t.Errorf("%s: got message %q, want %q", label, r.err.Error(), c.message)
			}
			continue
		}
		if r.err != nil {
			t.Errorf("%s: unexpected error %v", label, r.err)
			continue
		}
		if (c.ret.Kind != types.Unknown || c.ret.Precision != 0) && !r.ret.Equal(c.ret) {
			t.Errorf("%s: result type %s, want %s", label, r.ret, c.ret)
		}
		if !equalStrings(r.out, c.want) {
			t.Errorf("%s: got %q, want %q", label, r.out, c.want)
		}
	}
}

func formatAnyRow(vals []any) string {
	s := "["
	for i, v := range vals {
		if i > 0 {
			s += ","
		}
		if v == nil {
			s += "NULL"
		} else {
			s += v.(string)
		}
	}
	return s + "]"
}

func cols(c ...[]any) [][]any { return c }

func TestArithmeticIntegers(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "+", args: []types.T{i32, i32}, cols: cols(row("1", "-5", "NULL", "7"), row("2", "3", "4", "NULL")), ret: i32, want: []string{"3", "-2", "NULL", "NULL"}},
		{name: "+", args: []types.T{i16, i64}, cols: cols(row("1"), row("2")), ret: i64, want: []string{"3"}},
		{name: "+", args: []types.T{i32, unk}, cols: cols(row("1"), row("41")), ret: i32, want: []string{"42"}},
		{name: "+", args: []types.T{i32, i32}, cols: cols(row("2147483647"), row("1")), code: sqlerr.NumericValueOutOfRange, message: "integer out of range"},
		{name: "+", args: []types.T{i16, i16}, cols: cols(row("32767"), row("1")), code: sqlerr.NumericValueOutOfRange, message: "smallint out of range"},
		{name: "+", args: []types.T{i64, i64}, cols: cols(row("9223372036854775807"), row("1")), code: sqlerr.NumericValueOutOfRange, message: "bigint out of range"},
		{name: "-", args: []types.T{i64, i64}, cols: cols(row("-9223372036854775808", "5"), row("1", "7")), code: sqlerr.NumericValueOutOfRange},
		{name: "-", args: []types.T{i32, i32}, cols: cols(row("5", "-3"), row("7", "-3")), want: []string{"-2", "0"}},
		{name: "*", args: []types.T{i32, i32}, cols: cols(row("6", "-7", "65536"), row("7", "6", "32767")), want: []string{"42", "-42", "2147418112"}},
		{name: "*", args: []types.T{i32, i32}, cols: cols(row("65536"), row("65536")), code: sqlerr.NumericValueOutOfRange},
		{name: "*", args: []types.T{i64, i64}, cols: cols(row("-4611686018427387904", "3037000500"), row("2", "3037000500")), code: sqlerr.NumericValueOutOfRange},
		{name: "*", args: []types.T{i64, i64}, cols: cols(row("-4611686018427387904"), row("2")), want: []string{"-9223372036854775808"}},
		{name: "/", args: []types.T{i32, i32}, cols: cols(row("7", "-7", "7", "-2147483648"), row("2", "2", "-1", "1")), want: []string{"3", "-3", "-7", "-2147483648"}},
		{name: "/", args: []types.T{i32, i32}, cols: cols(row("1"), row("0")), code: sqlerr.DivisionByZero, message: "division by zero"},
		{name: "/", args: []types.T{i32, i32}, cols: cols(row("-2147483648"), row("-1")), code: sqlerr.NumericValueOutOfRange},
		{name: "%", args: []types.T{i32, i32}, cols: cols(row("7", "-7", "7", "-2147483648"), row("3", "3", "-3", "-1")), want: []string{"1", "-1", "1", "0"}},
		{name: "%", args: []types.T{i64, i64}, cols: cols(row("7"), row("0")), code: sqlerr.DivisionByZero},
		{name: "neg", args: []types.T{i32}, cols: cols(row("5", "NULL")), want: []string{"-5", "NULL"}},
		{name: "neg", args: []types.T{i32}, cols: cols(row("-2147483648")), code: sqlerr.NumericValueOutOfRange},
		{name: "-", args: []types.T{i16}, cols: cols(row("3")), want: []string{"-3"}},
		{name: "mod", args: []types.T{i32, i32}, cols: cols(row("10"), row("4")), want: []string{"2"}},
	})
}

func TestArithmeticFloats(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "+", args: []types.T{f64, f64}, cols: cols(row("0.1", "NaN", "Infinity"), row("0.2", "1", "1")), ret: f64, want: []string{"0.30000000000000004", "NaN", "Infinity"}},
		{name: "+", args: []types.T{i32, f64}, cols: cols(row("1"), row("0.5")), ret: f64, want: []string{"1.5"}},
		{name: "+", args: []types.T{f32, f32}, cols: cols(row("1.5"), row("0.25")), ret: f32, want: []string{"1.75"}},
		{name: "neg", args: []types.T{f64}, cols: cols(row("0", "1.5")), want: []string{"-0", "-1.5"}},
		{name: "*", args: []types.T{f64, f64}, cols: cols(row("1e308"), row("10")), code: sqlerr.NumericValueOutOfRange, message: "value out of range: overflow"},
		{name: "*", args: []types.T{f64, f64}, cols: cols(row("1e-300"), row("1e-300")), code: sqlerr.NumericValueOutOfRange, message: "value out of range: underflow"},
		{name: "*", args: []types.T{f64, f64}, cols: cols(row("0", "2"), row("5", "-0.5")), want: []string{"0", "-1"}},
		{name: "/", args: []types.T{f64, f64}, cols: cols(row("1"), row("0")), code: sqlerr.DivisionByZero},
		{name: "/", args: []types.T{f64, f64}, cols: cols(row("0"), row("0")), code: sqlerr.DivisionByZero},
		{name: "/", args: []types.T{f64, f64}, cols: cols(row("NaN", "1"), row("0", "4")), want: []string{"NaN", "0.25"}},
		{name: "/", args: []types.T{f64, f64}, cols: cols(row("1", "NULL"), row("3", "0")), want: []string{"0.3333333333333333", "NULL"}},
		{name: "%", args: []types.T{f64, f64}, cols: cols(row("5.5"), row("2")), want: []string{"1.5"}},
	})
}

func TestArithmeticDecimals(t *testing.T) {
	d := dec
	runScalarCases(t, []scalarCase{
		{name: "+", args: []types.T{d(3, 2), d(4, 3)}, cols: cols(row("1.10", "NULL", "-1.10"), row("2.205", "1", "0.005")), ret: d(5, 3), want: []string{"3.305", "NULL", "-1.095"}},
		{name: "-", args: []types.T{i32, d(15, 2)}, cols: cols(row("1", "1"), row("0.04", "-0.10")), ret: d(16, 2), want: []string{"0.96", "1.10"}},
		{name: "*", args: []types.T{d(15, 2), d(16, 2)}, cols: cols(row("100.50", "-2.00"), row("0.96", "0.5")), ret: d(31, 4), want: []string{"96.4800", "-1.0000"}},
		{name: "*", args: []types.T{d(31, 4), d(16, 2)}, cols: cols(row("96.4800"), row("1.08")), ret: d(38, 6), want: []string{"104.198400"}},
		{name: "/", args: []types.T{d(1, 0), d(1, 0)}, cols: cols(row("1", "2", "-2", "0"), row("3", "3", "3", "7")), ret: d(17, 16), want: []string{"0.3333333333333333", "0.6666666666666667", "-0.6666666666666667", "0.0000000000000000"}},
		{name: "/", args: []types.T{d(5, 2), d(3, 1)}, cols: cols(row("100.00"), row("0.3")), want: []string{"333.3333333333333333"}},
		{name: "/", args: []types.T{d(5, 2), d(3, 1)}, cols: cols(row("1.00"), row("0.0")), code: sqlerr.DivisionByZero},
		{name: "%", args: []types.T{d(3, 1), i32}, cols: cols(row("10.5", "-10.5"), row("3", "3")), ret: d(3, 1), want: []string{"1.5", "-1.5"}},
		{name: "+", args: []types.T{d(38, 0), d(38, 0)}, cols: cols(row("99999999999999999999999999999999999999"), row("1")), code: sqlerr.NumericValueOutOfRange, message: "numeric field overflow"},
		{name: "*", args: []types.T{d(20, 0), d(20, 0)}, cols: cols(row("10000000000000000000"), row("10000000000000000000")), code: sqlerr.NumericValueOutOfRange},
		{name: "*", args: []types.T{d(19, 0), d(19, 0)}, cols: cols(row("1000000000000000000"), row("-1000000000000000000")), ret: d(38, 0), want: []string{"-1000000000000000000000000000000000000"}},
		{name: "+", args: []types.T{d(38, 2), d(38, 2)}, cols: cols(row("123456789012345678901234567890.12"), row("0.01")), want: []string{"123456789012345678901234567890.13"}},
		{name: "/", args: []types.T{d(38, 2), d(38, 2)}, cols: cols(row("123456789012345678901.00"), row("3.00")), want: []string{"41152263004115226300.3333333333333333"}},
		{name: "+", args: []types.T{d(5, 2), f64}, cols: cols(row("1.25"), row("0.25")), ret: f64, want: []string{"1.5"}},
		{name: "neg", args: []types.T{d(5, 2)}, cols: cols(row("1.25")), want: []string{"-1.25"}},
	})
}

func TestDecimalResultTypes(t *testing.T) {
	d := dec
	tests := []struct {
		op   arithOp
		a, b types.T
		want types.T
	}{
		{opAdd, d(15, 2), d(10, 0), d(16, 2)},
		{opAdd, d(38, 10), d(38, 2), d(38, 10)},
		{opMul, d(15, 2), d(16, 2), d(31, 4)},
		{opMul, d(31, 4), d(16, 2), d(38, 6)},
		{opMul, d(38, 20), d(38, 20), d(38, 20)},
		{opDiv, d(38, 6), d(38, 4), d(38, 16)},
		{opDiv, d(5, 2), d(5, 2), d(21, 16)},
		{opDiv, d(10, 0), d(38, 20), d(38, 20)},
		{opMod, d(3, 1), d(10, 0), d(3, 1)},
	}
	for _, tt := range tests {
		if got := decimalResult(tt.op, tt.a, tt.b); !got.Equal(tt.want) {
			t.Errorf("%s %s %s = %s, want %s", tt.a, tt.op, tt.b, got, tt.want)
		}
	}
}

// TestErrorUnderNull checks that garbage stored under a NULL row (here MaxInt32 and a zero
// divisor) does not fail the statement.
func TestErrorUnderNull(t *testing.T) {
	ctx := newTestCtx(t)
	mem := ctx.mem()
	mk := func(vals []int32, valid []bool) arrow.Array {
		b := array.NewInt32Builder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	}
	// AppendValues stores the value even for invalid slots.
	a := mk([]int32{math.MaxInt32, 4}, []bool{false, true})
	b := mk([]int32{1, 2}, nil)
	z := mk([]int32{0, 2}, []bool{false, true})
	defer releaseAll(a, b, z)
	reg := New()
	for _, tc := range []struct {
		op   string
		x, y arrow.Array
		want []string
	}{
		{"+", a, b, []string{"NULL", "6"}},
		{"*", a, b, []string{"NULL", "8"}},
		{"/", b, z, []string{"NULL", "1"}},
		{"%", b, z, []string{"NULL", "0"}},
	} {
		sig, _ := reg.Lookup(tc.op).Bind([]types.T{i32, i32})
		res, err := sig.Kernel(ctx, []arrow.Array{tc.x, tc.y}, 2)
		if err != nil {
			t.Errorf("%s: %v", tc.op, err)
			continue
		}
		if got := texts(res, i32); !equalStrings(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.op, got, tc.want)
		}
		res.Release()
	}
}

func TestArithmeticDateTime(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "+", args: []types.T{dat, i32}, cols: cols(row("2020-02-28", "2020-12-31"), row("1", "1")), ret: dat, want: []string{"2020-02-29", "2021-01-01"}},
		{name: "+", args: []types.T{i32, dat}, cols: cols(row("1"), row("2020-02-28")), ret: dat, want: []string{"2020-02-29"}},
		{name: "-", args: []types.T{dat, i32}, cols: cols(row("2020-03-01"), row("1")), want: []string{"2020-02-29"}},
		{name: "-", args: []types.T{dat, dat}, cols: cols(row("2020-03-01", "2020-01-01"), row("2020-01-01", "2020-03-01")), ret: i32, want: []string{"60", "-60"}},
		{name: "-", args: []types.T{dat, unk}, cols: cols(row("2020-03-01"), row("2020-02-01")), ret: i32, want: []string{"29"}},
		{name: "+", args: []types.T{dat, ivt}, cols: cols(row("2020-01-31"), row("1 month")), ret: ts, want: []string{"2020-02-29 00:00:00"}},
		{name: "+", args: []types.T{dat, unk}, cols: cols(row("2020-01-31"), row("1 day 2 hours")), ret: ts, want: []string{"2020-02-01 02:00:00"}},
		{name: "-", args: []types.T{dat, ivt}, cols: cols(row("2020-03-31"), row("1 mon")), ret: ts, want: []string{"2020-02-29 00:00:00"}},
		{name: "+", args: []types.T{ts, ivt}, cols: cols(row("2019-01-31 10:00:00", "2020-02-29 23:30:00"), row("1 month 1 day 01:00:00", "1 year 1 hour")), ret: ts, want: []string{"2019-03-01 11:00:00", "2021-03-01 00:30:00"}},
		{name: "+", args: []types.T{ivt, ts}, cols: cols(row("-1 day"), row("2020-03-01 00:00:00")), want: []string{"2020-02-29 00:00:00"}},
		{name: "+", args: []types.T{tstz, ivt}, cols: cols(row("2020-01-31 00:00:00+00"), row("1 month")), ret: tstz, want: []string{"2020-02-29 00:00:00+00"}},
		{name: "-", args: []types.T{ts, ts}, cols: cols(row("2020-01-02 02:00:00", "2020-01-01"), row("2020-01-01", "2020-01-02 02:00:00.5")), ret: ivt, want: []string{"1 day 02:00:00", "-1 days -02:00:00.5"}},
		{name: "-", args: []types.T{ts, dat}, cols: cols(row("2020-01-02 12:00:00"), row("2020-01-01")), ret: ivt, want: []string{"1 day 12:00:00"}},
		{name: "+", args: []types.T{dat, tim}, cols: cols(row("2020-01-02"), row("03:04:05")), ret: ts, want: []string{"2020-01-02 03:04:05"}},
		{name: "+", args: []types.T{tim, ivt}, cols: cols(row("23:00:00"), row("2 hours")), ret: tim, want: []string{"01:00:00"}},
		{name: "-", args: []types.T{tim, tim}, cols: cols(row("10:00:00"), row("12:30:00")), ret: ivt, want: []string{"-02:30:00"}},
		{name: "+", args: []types.T{ivt, ivt}, cols: cols(row("1 year 2 mons"), row("11 mons 3 days")), ret: ivt, want: []string{"2 years 1 mon 3 days"}},
		{name: "-", args: []types.T{ivt, ivt}, cols: cols(row("1 day"), row("2 days 01:00:00")), want: []string{"-1 days -01:00:00"}},
		{name: "*", args: []types.T{ivt, i32}, cols: cols(row("1 mon 1 day 01:00:00"), row("3")), ret: ivt, want: []string{"3 mons 3 days 03:00:00"}},
		{name: "*", args: []types.T{f64, ivt}, cols: cols(row("1.5"), row("1 mon 1 day")), ret: ivt, want: []string{"1 mon 16 days 12:00:00"}},
		{name: "/", args: []types.T{ivt, i32}, cols: cols(row("1 mon", "3 days"), row("2", "2")), want: []string{"15 days", "1 day 12:00:00"}},
		{name: "/", args: []types.T{ivt, i32}, cols: cols(row("1 mon"), row("0")), code: sqlerr.DivisionByZero},
		{name: "neg", args: []types.T{ivt}, cols: cols(row("1 year -2 days 03:00:00")), want: []string{"-1 years +2 days -03:00:00"}},
		{name: "+", args: []types.T{dat, i32}, cols: cols(row("294247-01-09"), row("1")), code: sqlerr.DatetimeFieldOverflow},
	})
}
