package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Test helpers: columns are written as SQL text (nil for NULL) and built by casting text to
// the column's type, and results are compared as PostgreSQL text output, so the tables read
// like psql sessions.

var testNow = int64(1_700_000_000_123_456) // 2023-11-14 22:13:20.123456 UTC

// newTestCtx returns a context over a checked allocator; the test fails if any buffer is
// still allocated when it ends.
func newTestCtx(t testing.TB) *Context {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return &Context{Alloc: mem, NowMicros: testNow, TimeZone: "UTC"}
}

// textCol builds a text array from values (nil = NULL).
func textCol(mem memory.Allocator, vals []any) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(v.(string))
		}
	}
	return b.NewArray()
}

// col builds an array of type typ from SQL text values.
func col(t testing.TB, ctx *Context, typ types.T, vals ...any) arrow.Array {
	t.Helper()
	txt := textCol(ctx.mem(), vals)
	if typ.Kind == types.Varchar || typ.Kind == types.Unknown {
		return txt
	}
	defer txt.Release()
	k, err := Cast(types.VarcharT, typ, false)
	if err != nil {
		t.Fatalf("no cast text → %s: %v", typ, err)
	}
	out, err := k(ctx, []arrow.Array{txt}, len(vals))
	if err != nil {
		t.Fatalf("building %s column %v: %v", typ, vals, err)
	}
	return out
}

// texts formats an array as PostgreSQL text ("NULL" for NULL).
func texts(arr arrow.Array, typ types.T) []string {
	out := make([]string, arr.Len())
	f := NewFormatter(arr, typ, FormatOptions{})
	for i := range out {
		if arr.IsNull(i) {
			out[i] = "NULL"
			continue
		}
		out[i] = string(f(nil, i))
	}
	return out
}

// callResult is the outcome of calling a scalar function on text columns.
type callResult struct {
	ret  types.T
	out  []string
	err  error
	code string
}

// call binds name to the argument types, converts the argument columns to the signature's
// types as the planner would, and runs the kernel.
func call(t testing.TB, reg *Registry, name string, argTypes []types.T, cols ...[]any) callResult {
	t.Helper()
	ctx := newTestCtx(t)
	f := reg.Lookup(name)
	if f == nil {
		t.Fatalf("no function %q", name)
	}
	sig, ok := f.Bind(argTypes)
	if !ok {
		t.Fatalf("%s%v does not bind", name, argTypes)
	}
	if len(cols) != len(argTypes) {
		t.Fatalf("%s: %d columns for %d argument types", name, len(cols), len(argTypes))
	}
	n := 1
	if len(cols) > 0 {
		n = len(cols[0])
	}
	args := make([]arrow.Array, len(cols))
	for i, c := range cols {
		a := col(t, ctx, argTypes[i], c...)
		if !argTypes[i].Equal(sig.Args[i]) {
			k, err := Cast(argTypes[i], sig.Args[i], false)
			if err != nil {
				t.Fatalf("%s: no cast %s → %s", name, argTypes[i], sig.Args[i])
			}
			b, err := k(ctx, []arrow.Array{a}, n)
			a.Release()
			if err != nil {
				return callResult{ret: sig.Ret, err: err, code: sqlerr.Code(err)}
			}
			a = b
		}
		args[i] = a
	}
	defer releaseAll(args...)
	res, err := sig.Kernel(ctx, args, n)
	if err != nil {
		return callResult{ret: sig.Ret, err: err, code: sqlerr.Code(err)}
	}
	defer res.Release()
	if res.Len() != n {
		t.Fatalf("%s returned %d rows for %d", name, res.Len(), n)
	}
	if !arrow.TypeEqual(res.DataType(), sig.Ret.Arrow()) {
		t.Fatalf("%s returned %s, signature says %s", name, res.DataType(), sig.Ret.Arrow())
	}
	return callResult{ret: sig.Ret, out: texts(res, sig.Ret)}
}

// row makes a one-column []any from strings, with "NULL" meaning NULL.
func row(vals ...string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		if v != "NULL" {
			out[i] = v
		}
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var (
	i16  = types.Int16T
	i32  = types.Int32T
	i64  = types.Int64T
	f32  = types.Float32T
	f64  = types.Float64T
	txt  = types.VarcharT
	unk  = types.UnknownT
	boo  = types.BoolT
	dat  = types.DateT
	tim  = types.TimeT
	ts   = types.TimestampT
	tstz = types.TimestampTZT
	ivt  = types.IntervalT
	dec  = types.DecimalT
)
