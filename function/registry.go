// Package function is the registry of Quarry's scalar, aggregate (and, later, window)
// functions and operators, under their PostgreSQL and Trino/Athena names. Each entry binds
// argument types to a signature (the types the arguments are coerced to, the result type)
// and a typed kernel that works on whole Arrow arrays.
//
// The registry is built explicitly by New (no init() registration); families live in their
// own files (arith*.go, compare.go, like.go, logic.go, string*.go, regexp*.go, variadic.go,
// math*.go, numfmt.go, datetime*.go, json*.go, aggregate_*.go with tdigest.go). Beside the registry the package owns the value rules the
// other layers share:
//   - Cast (cast*.go): the conversion kernel between any two scalar types, with TRY semantics;
//   - ImplicitCast, CommonType (coerce.go): what the binder may convert silently and how
//     CASE/UNION/IN/comparison operands unify;
//   - ParseInt/ParseNumeric/ParseDecimalLiteral/ParseDate/ParseTimestamp/ParseInterval
//     (parse*.go): PostgreSQL text input, for literals and text casts;
//   - FormatValue/NewFormatter and the Append* functions (format*.go): PostgreSQL 15 text
//     output, for casts to text and for pgwire.
//
// Kernels never panic on data: bad values are *sqlerr.Error with PostgreSQL's SQLSTATE and
// message. A value under a NULL row never raises an error.
//
// It imports types, sqlerr, Arrow and github.com/axiomhq/hyperloglog (approx_distinct); the
// planner uses it to resolve calls, exec to run kernels, pgwire to format values.
package function

import (
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// Volatility says when a function's result may change, as PostgreSQL's provolatile.
type Volatility uint8

const (
	// Immutable functions give the same result for the same arguments forever, so calls with
	// constant arguments are folded at plan time.
	Immutable Volatility = iota
	// Stable functions give the same result within one statement (now(), current_date).
	Stable
	// Volatile functions may give a new result on every call (random()).
	Volatile
)

// Kernel computes a scalar function over n rows. Every argument array has length n (constant
// arguments arrive broadcast). The result must have length n and the signature's result
// type. Kernels return *sqlerr.Error for data errors (22012 division by zero, 22003 out of
// range) and never panic.
type Kernel func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error)

// Context carries what kernels may need beyond their arguments.
type Context struct {
	Alloc memory.Allocator
	// Now is the statement's start time, for now() and current_date (Stable functions).
	NowMicros int64
	// TimeZone is the session's time zone name (IANA), for timestamptz conversions.
	TimeZone string
	// Session answers the session functions (current_user, current_setting, ...) and the
	// catalog look-ups of the reg* casts and pg_catalog functions (session.go). Nil outside
	// a session (tests, constant folding without one): those functions then fail cleanly.
	Session SessionInfo
}

// Sig is a function bound to concrete argument types.
type Sig struct {
	// Args are the types the binder must coerce the arguments to before calling Kernel.
	Args []types.T
	// Ret is the result type.
	Ret types.T
	// Kernel evaluates a scalar function (nil for aggregates).
	Kernel Kernel
	// Agg creates the accumulator of an aggregate (nil for scalars).
	Agg func() GroupAccumulator
	// NullOnNullInput means the result is NULL whenever an argument is NULL (strict), so
	// the kernel may ignore validity beyond combining it.
	Strict bool
}

// Binder picks the signature for the given argument types; ok is false when the function
// does not apply to them. Binders do the overload resolution of one function name.
type Binder func(args []types.T) (sig Sig, ok bool)

// Func is one registered function name.
type Func struct {
	Name       string
	Kind       Kind
	Volatility Volatility
	Bind       Binder
	// Doc is a one-line description for docs/functions.md.
	Doc string
	// Signatures lists the accepted forms for docs, e.g. "sum(numeric) → numeric".
	Signatures []string
}

// Kind is the kind of a function.
type Kind uint8

const (
	ScalarKind Kind = iota
	AggregateKind
	WindowKind
)

// Registry holds the functions by lower-case name.
type Registry struct {
	byName map[string]*Func
}

// Lookup returns the function with the given name (case-insensitive), or nil.
func (r *Registry) Lookup(name string) *Func {
	return r.byName[strings.ToLower(name)]
}

// All returns every function sorted by name, for documentation.
func (r *Registry) All() []*Func {
	out := make([]*Func, 0, len(r.byName))
	for _, f := range r.byName {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// add registers f under its name and any aliases (Postgres and Trino spellings).
func (r *Registry) add(f *Func, aliases ...string) {
	r.byName[f.Name] = f
	for _, a := range aliases {
		r.byName[a] = f
	}
}

// GroupAccumulator is the state of one aggregate over many groups, updated a batch at a
// time (the "groups accumulator" design): row i of a batch belongs to group groups[i].
// Partial accumulators from parallel workers are combined with Merge, which is what makes
// two-phase (partial, final) aggregation work for every aggregate.
type GroupAccumulator interface {
	// Resize makes room for n groups (n only grows).
	Resize(n int)
	// Update folds the rows of args into their groups. args are the aggregate's arguments
	// already coerced to Sig.Args; for count(*) args is empty and n gives the row count.
	Update(groups []uint32, args []arrow.Array, n int) error
	// Merge folds other's group g into this accumulator's group mapping[g]. other is an
	// accumulator of the same signature.
	Merge(other GroupAccumulator, mapping []uint32) error
	// Finish returns one value per group, in group order, of the signature's result type.
	Finish(alloc memory.Allocator) (arrow.Array, error)
}
