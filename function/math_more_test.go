package function

import (
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestMathFunctionsMore(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "degrees", args: []types.T{f64}, cols: cols(row("3.141592653589793", "NULL")), ret: f64, want: []string{"180", "NULL"}},
		{name: "radians", args: []types.T{i32}, cols: cols(row("180")), want: []string{"3.141592653589793"}},
		{name: "sin", args: []types.T{f64}, cols: cols(row("0", "1")), want: []string{"0", "0.8414709848078965"}},
		{name: "sin", args: []types.T{f64}, cols: cols(row("Infinity")), code: sqlerr.NumericValueOutOfRange, message: "input is out of range"},
		{name: "cos", args: []types.T{f64}, cols: cols(row("0")), want: []string{"1"}},
		{name: "tan", args: []types.T{f64}, cols: cols(row("0")), want: []string{"0"}},
		{name: "cot", args: []types.T{f64}, cols: cols(row("1")), want: []string{"0.6420926159343308"}},
		{name: "asin", args: []types.T{f64}, cols: cols(row("1")), want: []string{"1.5707963267948966"}},
		{name: "acos", args: []types.T{f64}, cols: cols(row("2")), code: sqlerr.NumericValueOutOfRange},
		{name: "atan", args: []types.T{f64}, cols: cols(row("1")), want: []string{"0.7853981633974483"}},
		{name: "atan2", args: []types.T{f64, i32}, cols: cols(row("1"), row("0")), want: []string{"1.5707963267948966"}},
		{name: "sinh", args: []types.T{f64}, cols: cols(row("0")), want: []string{"0"}},
		{name: "cosh", args: []types.T{f64}, cols: cols(row("0")), want: []string{"1"}},
		{name: "tanh", args: []types.T{f64}, cols: cols(row("0")), want: []string{"0"}},
		{name: "asinh", args: []types.T{f64}, cols: cols(row("0")), want: []string{"0"}},
		{name: "acosh", args: []types.T{f64}, cols: cols(row("1")), want: []string{"0"}},
		{name: "acosh", args: []types.T{f64}, cols: cols(row("0.5")), code: sqlerr.NumericValueOutOfRange},
		{name: "atanh", args: []types.T{f64}, cols: cols(row("0")), want: []string{"0"}},
		{name: "e", want: []string{"2.718281828459045"}},
		{name: "infinity", want: []string{"Infinity"}},
		{name: "nan", want: []string{"NaN"}},
		{name: "is_nan", args: []types.T{f64}, cols: cols(row("NaN", "1", "NULL")), ret: boo, want: []string{"true", "false", "NULL"}},
		{name: "is_finite", args: []types.T{f64}, cols: cols(row("NaN", "1", "-Infinity")), want: []string{"false", "true", "false"}},
		{name: "is_infinite", args: []types.T{i32}, cols: cols(row("1")), want: []string{"false"}},
		{name: "width_bucket", args: []types.T{f64, f64, f64, i32}, cols: cols(row("5.35", "0", "10", "-1", "5"), row("0.024", "0", "0", "0", "10"), row("10.06", "10", "10", "10", "0"), row("5", "5", "5", "5", "5")), ret: i32, want: []string{"3", "1", "6", "0", "3"}},
		{name: "width_bucket", args: []types.T{f64, f64, f64, i32}, cols: cols(row("1"), row("0"), row("1"), row("0")), code: "2201G"},
		{name: "width_bucket", args: []types.T{f64, f64, f64, i32}, cols: cols(row("1"), row("2"), row("2"), row("3")), code: "2201G"},
		{name: "div", args: []types.T{i32, i32}, cols: cols(row("9", "-9", "NULL"), row("4", "4", "1")), ret: i32, want: []string{"2", "-2", "NULL"}},
		{name: "div", args: []types.T{i64, i64}, cols: cols(row("1"), row("0")), code: sqlerr.DivisionByZero},
		{name: "div", args: []types.T{i64, i64}, cols: cols(row("-9223372036854775808"), row("-1")), code: sqlerr.NumericValueOutOfRange},
		{name: "div", args: []types.T{dec(10, 2), dec(10, 1)}, cols: cols(row("9.50", "-9.50"), row("4.1", "4.1")), ret: dec(38, 0), want: []string{"2", "-2"}},
		{name: "div", args: []types.T{f64, i32}, cols: cols(row("7.5"), row("2")), ret: dec(38, 0), want: []string{"3"}},
	})
}
