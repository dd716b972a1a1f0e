package function

import (
	"testing"

	"github.com/quarrydb/quarry/types"
)

func TestImplicitCast(t *testing.T) {
	vc := func(n int32) types.T { return types.T{Kind: types.Varchar, Precision: n} }
	yes := [][2]types.T{
		{i16, i32}, {i16, i64}, {i32, i64}, {dec(5, 2), dec(5, 3)}, {dec(38, 0), dec(38, 10)}, {i32, dec(10, 0)}, {i32, dec(12, 2)}, {i64, dec(19, 0)}, {i64, types.DecimalT(0, 0)},
		{i64, f64}, {dec(10, 2), f64}, {dec(5, 2), dec(7, 3)}, {f32, f64}, {unk, i32}, {unk, dat}, {unk, ivt},
		{vc(10), txt}, {vc(10), vc(20)}, {txt, types.JSONT}, {dat, ts}, {dat, tstz}, {ts, tstz}, {i32, i32},
	}
	no := [][2]types.T{
		{i64, i32}, {i32, i16}, {f64, i64}, {f64, dec(10, 2)}, {dec(10, 2), i64}, {i32, dec(5, 0)}, {dec(5, 2), i32},
		{txt, i32}, {txt, vc(10)}, {vc(20), vc(10)}, {ts, dat}, {tstz, ts}, {i32, txt}, {boo, i32}, {i32, boo},
	}
	for _, p := range yes {
		if !ImplicitCast(p[0], p[1]) {
			t.Errorf("ImplicitCast(%s, %s) = false", p[0], p[1])
		}
	}
	for _, p := range no {
		if ImplicitCast(p[0], p[1]) {
			t.Errorf("ImplicitCast(%s, %s) = true", p[0], p[1])
		}
	}
}

func TestCommonType(t *testing.T) {
	vc := func(n int32) types.T { return types.T{Kind: types.Varchar, Precision: n} }
	tests := []struct {
		a, b types.T
		want types.T
		ok   bool
	}{
		{i16, i32, i32, true},
		{i64, i32, i64, true},
		{i32, dec(5, 2), dec(12, 2), true},
		{i64, dec(5, 2), dec(21, 2), true},
		{dec(10, 2), dec(5, 4), dec(12, 4), true},
		{dec(38, 0), dec(38, 10), dec(38, 10), true},
		{dec(5, 2), f32, f64, true},
		{f32, f32, f32, true},
		{i32, f64, f64, true},
		{unk, i32, i32, true},
		{dat, unk, dat, true},
		{unk, unk, txt, true},
		{vc(5), vc(10), vc(10), true},
		{vc(5), txt, txt, true},
		{dat, ts, ts, true},
		{ts, tstz, tstz, true},
		{dat, tstz, tstz, true},
		{boo, boo, boo, true},
		{types.ArrayT(i32), types.ArrayT(i64), types.ArrayT(i64), true},
		{txt, i32, types.T{}, false},
		{dat, i32, types.T{}, false},
		{boo, i32, types.T{}, false},
		{ivt, ts, types.T{}, false},
	}
	for _, tt := range tests {
		got, ok := CommonType(tt.a, tt.b)
		if ok != tt.ok || (ok && !got.Equal(tt.want)) {
			t.Errorf("CommonType(%s, %s) = %s, %v; want %s, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
		}
		// Unification is symmetric.
		got2, ok2 := CommonType(tt.b, tt.a)
		if ok2 != ok || (ok && !got2.Equal(got)) {
			t.Errorf("CommonType(%s, %s) = %s, not symmetric with %s", tt.b, tt.a, got2, got)
		}
		// Every input converts to the common type implicitly (text → text(n) aside).
		if ok && got.Kind != types.Varchar && got.Kind != types.Array {
			for _, in := range []types.T{tt.a, tt.b} {
				if !ImplicitCast(in, got) {
					t.Errorf("CommonType(%s, %s) = %s, but %s does not convert implicitly", tt.a, tt.b, got, in)
				}
			}
		}
	}
	if got, ok := CommonTypeOf(i16, unk, dec(5, 2), i32); !ok || !got.Equal(dec(12, 2)) {
		t.Errorf("CommonTypeOf = %s, %v", got, ok)
	}
	if got := DecimalFor(i32); !got.Equal(dec(10, 0)) {
		t.Errorf("DecimalFor(integer) = %s", got)
	}
}
