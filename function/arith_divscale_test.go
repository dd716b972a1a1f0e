package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// TestConstDecimalDiv checks quotients of constants against PostgreSQL 15's output, which
// picks the display scale from the operands' values (select_div_scale).
func TestConstDecimalDiv(t *testing.T) {
	cases := []struct {
		x, y string
		tx   types.T
		ty   types.T
		want string
	}{
		{"1.0", "3", dec(2, 1), dec(10, 0), "0.33333333333333333333"},
		{"10.00", "4", dec(4, 2), dec(10, 0), "2.5000000000000000"},
		{"100000.0", "3", dec(7, 1), dec(10, 0), "33333.333333333333"},
		{"2", "7.0", dec(10, 0), dec(2, 1), "0.28571428571428571429"},
		{"123456789.0", "0.001", dec(10, 1), dec(3, 3), "123456789000.00000000"},
		{"0.001", "123456789", dec(3, 3), dec(10, 0), "0.0000000000081000000737100007"},
		{"1.00000000000000000000001", "3", dec(24, 23), dec(10, 0), "0.33333333333333333333334"},
		{"-5", "3.0", dec(10, 0), dec(2, 1), "-1.6666666666666667"},
		{"0", "3", dec(10, 0), dec(10, 0), "0.00000000000000000000"},
		{"9999", "9999", dec(10, 0), dec(10, 0), "1.00000000000000000000"},
		// Beyond DECIMAL(38) the scale gives way to the integer digits.
		{"1", "0.0000000000000000000000000000001", dec(10, 0), dec(31, 31), "10000000000000000000000000000000.000000"},
	}
	for _, c := range cases {
		ctx := newTestCtx(t)
		x, y := col(t, ctx, c.tx, c.x), col(t, ctx, c.ty, c.y)
		sig, ok := ConstDecimalDiv(x, y, c.tx, c.ty)
		if !ok {
			t.Errorf("%s / %s: no signature", c.x, c.y)
			x.Release()
			y.Release()
			continue
		}
		out, err := sig.Kernel(ctx, []arrow.Array{x, y}, 1)
		x.Release()
		y.Release()
		if err != nil {
			if c.want != "" {
				t.Errorf("%s / %s: %v", c.x, c.y, err)
			}
			continue
		}
		if got := texts(out, sig.Ret)[0]; got != c.want {
			t.Errorf("%s / %s = %s (%s), want %s", c.x, c.y, got, sig.Ret, c.want)
		}
		out.Release()
	}
}

func TestConstDecimalDivDeclines(t *testing.T) {
	ctx := newTestCtx(t)
	x, zero, null := col(t, ctx, dec(2, 1), "1.0"), col(t, ctx, dec(10, 0), "0"), col(t, ctx, dec(10, 0), nil)
	defer x.Release()
	defer zero.Release()
	defer null.Release()
	if _, ok := ConstDecimalDiv(x, zero, dec(2, 1), dec(10, 0)); ok {
		t.Error("x / 0: got a signature, want the ordinary one (which raises 22012)")
	}
	if _, ok := ConstDecimalDiv(x, null, dec(2, 1), dec(10, 0)); ok {
		t.Error("x / NULL: got a signature")
	}
}

// TestCastTextToArray checks PostgreSQL's array input syntax.
func TestCastTextToArray(t *testing.T) {
	txtArr, intArr := types.ArrayT(txt), types.ArrayT(i32)
	for _, c := range []castCase{
		{from: txt, to: txtArr, in: row(`{a,b}`, `{ "x y" , NULL, "NULL", "q\"uote", back\\slash }`, `{}`, "NULL"),
			want: []string{`{a,b}`, `{"x y",NULL,"NULL","q\"uote","back\\slash"}`, `{}`, "NULL"}},
		{from: txt, to: intArr, in: row(`{1, 2 ,NULL}`), want: []string{`{1,2,NULL}`}},
		{from: txt, to: intArr, in: row(`{1,x}`), code: sqlerr.InvalidTextRepresentation},
		{from: txt, to: txtArr, in: row(`a,b`), code: sqlerr.InvalidTextRepresentation, message: `malformed array literal: "a,b"`},
		{from: txt, to: txtArr, in: row(`{a,,b}`), code: sqlerr.InvalidTextRepresentation},
		{from: txt, to: txtArr, in: row(`{{a},{b}}`), code: sqlerr.InvalidTextRepresentation},
		{from: txt, to: txtArr, in: row(`{"a}`), code: sqlerr.InvalidTextRepresentation},
		{from: txt, to: txtArr, in: row(`{a}`, `oops`), try: true, want: []string{`{a}`, "NULL"}},
	} {
		runCast(t, c)
	}
}
