package function

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// SessionInfo is what the session functions and the catalog functions need from the
// session running the statement. The engine's Session implements it, one value per
// statement, so a kernel sees the settings and the catalog as they were when the statement
// started (PostgreSQL's stable functions see one snapshot per statement too). Kernels call it
// row by row: these functions run over catalog-sized inputs, not over data files.
type SessionInfo interface {
	// CurrentUser and SessionUser are current_user and session_user.
	CurrentUser() string
	SessionUser() string
	// Database is current_database(): the data catalog the client connected to.
	Database() string
	// SearchPath returns the schemas of the search path that exist, in search order; with
	// implicit, pg_catalog is included where PostgreSQL searches it (current_schemas(true)).
	SearchPath(implicit bool) []string
	// Setting returns a run-time parameter's value (current_setting); ok is false for an
	// unknown one.
	Setting(name string) (value string, ok bool)
	// SetSetting changes a parameter (set_config) and returns its new value.
	SetSetting(name, value string, local bool) (string, error)
	// BackendPID is pg_backend_pid(): the process id the client got in BackendKeyData.
	BackendPID() int32
	// RegOID resolves a name to an OID for a text → reg* cast ('pg_class'::regclass),
	// following the search path; it returns PostgreSQL's error (42P01, 42704, 42883, 3F000)
	// for an unknown name.
	RegOID(kind types.Reg, name string) (int64, error)
	// RegName is the text form of an OID of a reg* type, as PostgreSQL prints it: the name,
	// schema-qualified when the object is not visible on the search path; ok is false for an
	// OID that names nothing (PostgreSQL then prints the number).
	RegName(kind types.Reg, oid int64) (name string, ok bool)
	// Visible reports whether the object is visible on the search path
	// (pg_table_is_visible, pg_type_is_visible, pg_function_is_visible).
	Visible(kind types.Reg, oid int64) bool
	// Describe answers the pg_get_*def, obj_description and size functions about one object.
	Describe(q DescribeRequest) (value string, ok bool)
}

// DescribeRequest asks the session about one catalog object (see SessionInfo.Describe).
type DescribeRequest struct {
	// What: "viewdef", "comment" (obj_description, with Catalog the catalog table name),
	// "column_comment" (col_description, with Sub the column number), "size" (bytes).
	What    string
	OID     int64
	Sub     int32
	Catalog string
}

// session returns the statement's SessionInfo, or 0A000 outside a session.
func (c *Context) session(fn string) (SessionInfo, error) {
	if c == nil || c.Session == nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s() needs a session", fn)
	}
	return c.Session, nil
}

// The kernels of the session and catalog functions work a row at a time through these
// helpers: their inputs are catalog rows or constants, and their answers come from the
// session, so there is nothing to vectorize.

// rowBuilder is the part of an Arrow builder of T values the row helpers use.
type rowBuilder[T any] interface {
	Append(T)
	AppendNull()
	Reserve(int)
	NewArray() arrow.Array
	Release()
}

// rowValues builds a result a row at a time into b; f returns the value and whether it is
// non-NULL.
func rowValues[T any](b rowBuilder[T], n int, f func(i int) (T, bool, error)) (arrow.Array, error) {
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		v, ok, err := f(i)
		if err != nil {
			return nil, err
		}
		if ok {
			b.Append(v)
		} else {
			b.AppendNull()
		}
	}
	return b.NewArray(), nil
}

// rowText builds a text result.
func rowText(ctx *Context, n int, f func(i int) (string, bool, error)) (arrow.Array, error) {
	return rowValues[string](array.NewStringBuilder(ctx.mem()), n, f)
}

// rowBool builds a boolean result.
func rowBool(ctx *Context, n int, f func(i int) (bool, bool, error)) (arrow.Array, error) {
	return rowValues[bool](array.NewBooleanBuilder(ctx.mem()), n, f)
}

// rowInt64 builds an int64 result (bigint or an OID type, which share the layout).
func rowInt64(ctx *Context, n int, f func(i int) (int64, bool, error)) (arrow.Array, error) {
	return rowValues[int64](array.NewInt64Builder(ctx.mem()), n, f)
}

// rowInt32 builds an integer result.
func rowInt32(ctx *Context, n int, f func(i int) (int32, bool, error)) (arrow.Array, error) {
	return rowValues[int32](array.NewInt32Builder(ctx.mem()), n, f)
}

// argText reads argument a at row i as text; ok is false for NULL.
func argText(a arrow.Array, i int) (string, bool) {
	if a.IsNull(i) {
		return "", false
	}
	switch x := a.(type) {
	case *array.String:
		return x.Value(i), true
	case *array.LargeString:
		return x.Value(i), true
	}
	return a.ValueStr(i), true
}

// argInt reads an integer argument (any width) at row i; ok is false for NULL.
func argInt(a arrow.Array, i int) (int64, bool) {
	if a.IsNull(i) {
		return 0, false
	}
	switch x := a.(type) {
	case *array.Int64:
		return x.Value(i), true
	case *array.Int32:
		return int64(x.Value(i)), true
	case *array.Int16:
		return int64(x.Value(i)), true
	}
	return 0, false
}

// argBool reads a boolean argument at row i; ok is false for NULL.
func argBool(a arrow.Array, i int) (bool, bool) {
	if a.IsNull(i) {
		return false, false
	}
	if x, ok := a.(*array.Boolean); ok {
		return x.Value(i), true
	}
	return false, false
}
