package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// TestConstNumericFn checks sqrt, exp and ln of numeric constants against PostgreSQL 15,
// digits and display scale both.
func TestConstNumericFn(t *testing.T) {
	cases := []struct {
		fn, x string
		tx    types.T
		want  string
		code  string
	}{
		{"sqrt", "2.0", dec(2, 1), "1.414213562373095", ""},
		{"sqrt", "16.00", dec(4, 2), "4.000000000000000", ""},
		{"sqrt", "0.0002", dec(4, 4), "0.01414213562373095", ""},
		{"sqrt", "123456789.0", dec(10, 1), "11111.11106055556", ""},
		{"sqrt", "-1.0", dec(2, 1), "", "2201F"},
		{"exp", "1.0", dec(2, 1), "2.7182818284590452", ""},
		{"exp", "2.5", dec(2, 1), "12.182493960703473", ""},
		{"exp", "-3.0", dec(2, 1), "0.04978706836786394", ""},
		{"exp", "50.0", dec(3, 1), "5184705528587072464087.5", ""},
		{"exp", "100.0", dec(4, 1), "", sqlerr.NumericValueOutOfRange},
		{"ln", "2.0", dec(2, 1), "0.6931471805599453", ""},
		{"ln", "1.05", dec(3, 2), "0.048790164169432003", ""},
		{"ln", "100000.0", dec(7, 1), "11.512925464970228", ""},
		{"ln", "1.0", dec(2, 1), "0.0000000000000000", ""},
		{"ln", "0.0", dec(2, 1), "", "2201E"},
	}
	for _, c := range cases {
		ctx := newTestCtx(t)
		x := col(t, ctx, c.tx, c.x)
		sig, ok := ConstNumericFn(c.fn, x, c.tx)
		if !ok {
			t.Errorf("%s(%s): no signature", c.fn, c.x)
			x.Release()
			continue
		}
		out, err := sig.Kernel(ctx, []arrow.Array{x}, 1)
		x.Release()
		if c.code != "" {
			if sqlerr.Code(err) != c.code {
				t.Errorf("%s(%s): error %v, want %s", c.fn, c.x, err, c.code)
			}
			if out != nil {
				out.Release()
			}
			continue
		}
		if err != nil {
			t.Errorf("%s(%s): %v", c.fn, c.x, err)
			continue
		}
		if got := texts(out, sig.Ret)[0]; got != c.want {
			t.Errorf("%s(%s) = %s (%s), want %s", c.fn, c.x, got, sig.Ret, c.want)
		}
		out.Release()
	}
}

// TestNumericFnColumns checks the column signatures: numeric in, numeric out at
// PostgreSQL's scale for values of weight 0; other types keep the double precision form.
func TestNumericFnColumns(t *testing.T) {
	reg := New()
	got := call(t, reg, "sqrt", []types.T{dec(5, 1)}, row("2.0", "100.0", "NULL"))
	if want := []string{"1.414213562373095", "10.000000000000000", "NULL"}; got.err != nil || !equalStrings(got.out, want) {
		t.Errorf("sqrt(numeric column) = %v (%v), want %v", got.out, got.err, want)
	}
	if got.ret.Kind != types.Decimal {
		t.Errorf("sqrt(numeric) returns %s, want numeric", got.ret)
	}
	if got := call(t, reg, "ln", []types.T{i32}, row("10")); got.ret.Kind != types.Float64 || got.out[0] != "2.302585092994046" {
		t.Errorf("ln(integer) = %v of type %s, want double precision 2.302585092994046", got.out, got.ret)
	}
}
