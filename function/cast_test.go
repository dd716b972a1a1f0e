package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

type castCase struct {
	from, to types.T
	in       []any
	want     []string
	code     string
	message  string
	try      bool
}

func runCast(t *testing.T, c castCase) {
	t.Helper()
	ctx := newTestCtx(t)
	a := col(t, ctx, c.from, c.in...)
	defer a.Release()
	k, err := Cast(c.from, c.to, c.try)
	if err != nil {
		t.Errorf("Cast(%s, %s): %v", c.from, c.to, err)
		return
	}
	res, err := k(ctx, []arrow.Array{a}, a.Len())
	label := c.from.String() + " → " + c.to.String() + " " + formatAnyRow(c.in)
	if c.code != "" {
		if sqlerr.Code(err) != c.code {
			t.Errorf("%s: error %v, want %s", label, err, c.code)
		} else if c.message != "" && err.Error() != c.message {
			t.Errorf("%s: message %q, want %q", label, err.Error(), c.message)
		}
		if res != nil {
			res.Release()
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %v", label, err)
		return
	}
	defer res.Release()
	if !arrow.TypeEqual(res.DataType(), c.to.Arrow()) {
		t.Errorf("%s: result type %s, want %s", label, res.DataType(), c.to.Arrow())
	}
	if got := texts(res, c.to); !equalStrings(got, c.want) {
		t.Errorf("%s: got %q, want %q", label, got, c.want)
	}
}

func TestCasts(t *testing.T) {
	cases := []castCase{
		// to text: PostgreSQL's output functions (boolean → 'true', not 't').
		{from: i32, to: txt, in: row("42", "NULL", "-7"), want: []string{"42", "NULL", "-7"}},
		{from: f64, to: txt, in: row("0.1", "1e20", "1.5e-7", "Infinity", "NaN", "-0"), want: []string{"0.1", "1e+20", "1.5e-07", "Infinity", "NaN", "-0"}},
		{from: f32, to: txt, in: row("0.1", "1e6"), want: []string{"0.1", "1e+06"}},
		{from: dec(5, 2), to: txt, in: row("1.5", "-0.001"), want: []string{"1.50", "0.00"}},
		{from: boo, to: txt, in: row("t", "f", "NULL"), want: []string{"true", "false", "NULL"}},
		{from: dat, to: txt, in: row("2020-01-02"), want: []string{"2020-01-02"}},
		{from: ts, to: txt, in: row("2020-01-02 03:04:05.120"), want: []string{"2020-01-02 03:04:05.12"}},
		{from: tstz, to: txt, in: row("2020-01-02 03:04:05+02"), want: []string{"2020-01-02 01:04:05+00"}},
		{from: ivt, to: txt, in: row("1 year 2 mons 3 days 04:05:06"), want: []string{"1 year 2 mons 3 days 04:05:06"}},
		{from: types.ByteaT, to: txt, in: row(`\x0aff`), want: []string{`\x0aff`}},
		{from: txt, to: types.T{Kind: types.Varchar, Precision: 3}, in: row("abcdef", "ab", "héllo"), want: []string{"abc", "ab", "hél"}},
		{from: i64, to: types.T{Kind: types.Varchar, Precision: 2}, in: row("12345"), want: []string{"12"}},

		// from text
		{from: txt, to: i32, in: row(" 42 ", "NULL"), want: []string{"42", "NULL"}},
		{from: txt, to: i32, in: row("1", "abc"), code: sqlerr.InvalidTextRepresentation, message: `invalid input syntax for type integer: "abc"`},
		{from: txt, to: i32, in: row("99999999999"), code: sqlerr.NumericValueOutOfRange, message: `value "99999999999" is out of range for type integer`},
		{from: txt, to: i32, in: row("1", "abc", "99999999999", "NULL"), try: true, want: []string{"1", "NULL", "NULL", "NULL"}},
		{from: txt, to: boo, in: row(" yes", "OFF", "NULL"), want: []string{"true", "false", "NULL"}},
		{from: txt, to: boo, in: row("maybe"), code: sqlerr.InvalidTextRepresentation},
		{from: txt, to: dec(5, 2), in: row("1.005", "-3"), want: []string{"1.01", "-3.00"}},
		{from: txt, to: dec(5, 2), in: row("1000"), code: sqlerr.NumericValueOutOfRange, message: "numeric field overflow"},
		{from: txt, to: f64, in: row("1e400"), code: sqlerr.NumericValueOutOfRange},
		{from: txt, to: dat, in: row("2020-02-30"), code: sqlerr.DatetimeFieldOverflow},
		{from: txt, to: dat, in: row("2020-02-30", "2020-02-29"), try: true, want: []string{"NULL", "2020-02-29"}},
		{from: txt, to: ivt, in: row("1.5 days"), want: []string{"1 day 12:00:00"}},
		{from: txt, to: tim, in: row("13:04:05"), want: []string{"13:04:05"}},
		{from: txt, to: types.ByteaT, in: row(`\x41`, `a\\b\101`), want: []string{`\x41`, `\x615c6241`}},
		{from: txt, to: types.JSONT, in: row(`{"a": 1}`), want: []string{`{"a": 1}`}},
		{from: txt, to: types.JSONT, in: row(`{"a": `), code: sqlerr.InvalidTextRepresentation},
		{from: txt, to: types.UUIDT, in: row("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), want: []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
		{from: unk, to: i64, in: row("12"), want: []string{"12"}},

		// numeric ↔ numeric
		{from: i64, to: i32, in: row("70000", "NULL"), want: []string{"70000", "NULL"}},
		{from: i32, to: i16, in: row("70000"), code: sqlerr.NumericValueOutOfRange, message: "smallint out of range"},
		{from: i32, to: i16, in: row("1", "70000"), try: true, want: []string{"1", "NULL"}},
		{from: i16, to: i64, in: row("-5"), want: []string{"-5"}},
		{from: f64, to: i32, in: row("2.5", "3.5", "-2.5", "-0.4"), want: []string{"2", "4", "-2", "0"}},
		{from: f64, to: i32, in: row("NaN"), code: sqlerr.NumericValueOutOfRange},
		{from: f64, to: i64, in: row("9.3e18"), code: sqlerr.NumericValueOutOfRange, message: "bigint out of range"},
		{from: f64, to: i16, in: row("32767.4"), want: []string{"32767"}},
		{from: f64, to: f32, in: row("1e300"), code: sqlerr.NumericValueOutOfRange},
		{from: f64, to: f32, in: row("0.1"), want: []string{"0.1"}},
		{from: f32, to: f64, in: row("0.1"), want: []string{"0.10000000149011612"}},
		{from: f64, to: dec(5, 2), in: row("0.1", "1.005", "-2.675"), want: []string{"0.10", "1.01", "-2.68"}},
		{from: f64, to: dec(5, 2), in: row("1e20"), code: sqlerr.NumericValueOutOfRange},
		{from: f64, to: dec(5, 2), in: row("NaN"), code: sqlerr.NumericValueOutOfRange},
		{from: dec(5, 2), to: i32, in: row("2.50", "-2.50", "2.49"), want: []string{"3", "-3", "2"}},
		{from: dec(20, 0), to: i64, in: row("99999999999999999999"), code: sqlerr.NumericValueOutOfRange},
		{from: dec(5, 2), to: f64, in: row("1.10", "-0.01"), want: []string{"1.1", "-0.01"}},
		{from: dec(38, 10), to: f64, in: row("1234567890123456789012345678.0123456789"), want: []string{"1.2345678901234569e+27"}},
		{from: dec(4, 3), to: dec(3, 2), in: row("1.235", "-1.235"), want: []string{"1.24", "-1.24"}},
		{from: dec(5, 2), to: dec(10, 4), in: row("1.5"), want: []string{"1.5000"}},
		{from: dec(5, 2), to: dec(38, 2), in: row("1.5", "NULL"), want: []string{"1.50", "NULL"}},
		{from: dec(5, 2), to: types.DecimalT(0, 2), in: row("-1.5"), want: []string{"-1.50"}},
		{from: dec(5, 2), to: dec(3, 2), in: row("100.00"), code: sqlerr.NumericValueOutOfRange},
		{from: i32, to: dec(5, 2), in: row("123"), want: []string{"123.00"}},
		{from: i32, to: dec(5, 2), in: row("1234"), code: sqlerr.NumericValueOutOfRange},
		{from: i64, to: types.DecimalT(0, 0), in: row("123"), want: []string{"123"}},
		{from: boo, to: i32, in: row("t", "f", "NULL"), want: []string{"1", "0", "NULL"}},
		{from: i64, to: boo, in: row("0", "7"), want: []string{"false", "true"}},

		// date/time
		{from: dat, to: ts, in: row("2020-01-02"), want: []string{"2020-01-02 00:00:00"}},
		{from: dat, to: tstz, in: row("2020-01-02"), want: []string{"2020-01-02 00:00:00+00"}},
		{from: ts, to: dat, in: row("2020-01-02 23:59:59", "1969-12-31 23:00:00"), want: []string{"2020-01-02", "1969-12-31"}},
		{from: ts, to: tim, in: row("1969-12-31 23:00:00.5"), want: []string{"23:00:00.5"}},
		{from: ts, to: tstz, in: row("2020-01-02 03:04:05"), want: []string{"2020-01-02 03:04:05+00"}},
		{from: tstz, to: ts, in: row("2020-01-02 03:04:05+01"), want: []string{"2020-01-02 02:04:05"}},
		{from: tim, to: ivt, in: row("01:02:03"), want: []string{"01:02:03"}},
	}
	for _, c := range cases {
		runCast(t, c)
	}
}

func TestCastSessionTimeZone(t *testing.T) {
	ctx := newTestCtx(t)
	ctx.TimeZone = "America/New_York"
	if ctx.location() == nil {
		t.Skip("no zoneinfo")
	}
	a := col(t, ctx, txt, "2020-07-01 00:00:00")
	defer a.Release()
	k, _ := Cast(txt, tstz, false)
	tz, err := k(ctx, []arrow.Array{a}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer tz.Release()
	if got := texts(tz, tstz); got[0] != "2020-07-01 04:00:00+00" {
		t.Errorf("text → timestamptz in New York = %s", got[0])
	}
	k, _ = Cast(tstz, txt, false)
	back, err := k(ctx, []arrow.Array{tz}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if got := back.(*array.String).Value(0); got != "2020-07-01 00:00:00-04" {
		t.Errorf("timestamptz → text in New York = %s", got)
	}
	k, _ = Cast(tstz, dat, false)
	d, _ := k(ctx, []arrow.Array{tz}, 1)
	defer d.Release()
	if got := texts(d, dat); got[0] != "2020-07-01" {
		t.Errorf("timestamptz → date in New York = %s", got[0])
	}
}

// TestCastMatrix runs every cast Quarry offers between scalar types on a column of NULLs
// and an empty column (no kernel may panic on either), and checks that the pairs that make
// sense exist.
func TestCastMatrix(t *testing.T) {
	scalars := []types.T{boo, i16, i32, i64, f32, f64, dec(10, 2), txt, types.ByteaT, dat, tim, ts, tstz, ivt, types.JSONT, types.UUIDT}
	for _, from := range scalars {
		for _, to := range scalars {
			k, err := Cast(from, to, false)
			if err != nil {
				if sqlerr.Code(err) != "42846" {
					t.Errorf("Cast(%s, %s) error code %s", from, to, sqlerr.Code(err))
				}
				continue
			}
			for _, n := range []int{0, 3} {
				ctx := newTestCtx(t)
				in := makeNulls(ctx.mem(), from.Arrow(), n)
				res, err := k(ctx, []arrow.Array{in}, n)
				if err != nil {
					t.Errorf("Cast(%s, %s) on NULLs: %v", from, to, err)
				} else {
					if res.Len() != n || res.NullN() != n {
						t.Errorf("Cast(%s, %s) on %d NULLs: len %d nulls %d", from, to, n, res.Len(), res.NullN())
					}
					res.Release()
				}
				in.Release()
			}
		}
	}
	must := [][2]types.T{
		{i16, i64}, {i64, i16}, {i32, f64}, {f64, i32}, {i32, dec(10, 2)}, {dec(10, 2), i64}, {dec(10, 2), f64},
		{f64, dec(10, 2)}, {boo, i32}, {i32, boo}, {dat, ts}, {ts, dat}, {ts, tstz}, {tstz, ts}, {tstz, dat},
	}
	for _, s := range scalars {
		must = append(must, [2]types.T{s, txt}, [2]types.T{txt, s})
	}
	for _, p := range must {
		if !CanCast(p[0], p[1]) {
			t.Errorf("no cast %s → %s", p[0], p[1])
		}
	}
	for _, p := range [][2]types.T{{dat, i32}, {boo, f64}, {ivt, dat}, {types.UUIDT, i64}} {
		if CanCast(p[0], p[1]) {
			t.Errorf("unexpected cast %s → %s", p[0], p[1])
		}
	}
}

// FuzzCastTextToNumeric checks that numeric input never panics, and that an accepted value
// prints back to text that parses to the same value.
func FuzzCastTextToNumeric(f *testing.F) {
	for _, s := range []string{"1.005", "-0.5", "1e3", "  12 ", ".5", "5.", "1e-40", "99999999999999999999999999999999999999",
		"123456789012345678901234567890.123456789", "abc", "", "-", "1e99999", "0.000", "+1.5E+2"} {
		f.Add(s, int8(10), int8(2))
	}
	f.Fuzz(func(t *testing.T, s string, p, sc int8) {
		prec := int32(p)%38 + 1
		if prec < 1 {
			prec += 38
		}
		scale := int32(sc) % (prec + 1)
		if scale < 0 {
			scale = -scale
		}
		typ := dec(prec, scale)
		n, err := ParseNumeric(s, typ)
		if err != nil {
			switch sqlerr.Code(err) {
			case sqlerr.InvalidTextRepresentation, sqlerr.NumericValueOutOfRange:
				return
			}
			t.Fatalf("ParseNumeric(%q, %s): uncoded error %v", s, typ, err)
		}
		if !fitsPrecision(n, prec) {
			t.Fatalf("ParseNumeric(%q, %s) = %s does not fit", s, typ, AppendNumeric(nil, n, scale))
		}
		out := string(AppendNumeric(nil, n, scale))
		back, err := ParseNumeric(out, typ)
		if err != nil || back != n {
			t.Fatalf("%q → %q → %v (%v)", s, out, back.BigInt(), err)
		}
		// The literal path must agree on the value at the literal's own scale.
		lt, ln, err := ParseDecimalLiteral(s)
		if err == nil && lt.Kind == types.Decimal {
			r, ok := rescale(ln, lt.Scale, scale)
			if ok && lt.Scale <= scale && r != n {
				t.Fatalf("literal %q = %s, cast = %s", s, AppendNumeric(nil, ln, lt.Scale), out)
			}
		}
	})
}
