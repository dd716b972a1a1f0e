package function

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// The pg_catalog functions psql, the JDBC/ODBC drivers and BI tools call in their
// introspection queries. Answers about catalog objects come from the session
// (SessionInfo); what Quarry does not have (indexes, constraints, defaults, policies,
// privileges beyond its grants) gets the answer PostgreSQL gives for an object without it:
// NULL expressions, true privileges (grants are checked when a query reads a table).

// addCatalogFuncs registers the pg_catalog functions.
func addCatalogFuncs(r *Registry) {
	r.add(stable("format_type", bindSpec("oi", types.VarcharT, false, formatTypeKernel), "a type's SQL name with its modifier, as psql shows it", "format_type(type oid, typmod integer) → text"))
	r.add(stable("pg_table_is_visible", bindSpec("o", types.BoolT, true, visibleKernel(types.RegClass)), "whether a relation is visible on the search path", "pg_table_is_visible(oid) → boolean"))
	r.add(stable("pg_type_is_visible", bindSpec("o", types.BoolT, true, visibleKernel(types.RegType)), "whether a type is visible on the search path", "pg_type_is_visible(oid) → boolean"))
	r.add(stable("pg_function_is_visible", bindSpec("o", types.BoolT, true, visibleKernel(types.RegProc)), "whether a function is visible on the search path", "pg_function_is_visible(oid) → boolean"))
	r.add(stable("pg_get_userbyid", bindSpec("o", types.VarcharT, true, userByIDKernel), "a role's name by OID", "pg_get_userbyid(oid) → name"))
	r.add(fn("pg_encoding_to_char", bindSpec("i", types.VarcharT, true, encodingKernel), "an encoding's name by number", "pg_encoding_to_char(integer) → name"))
	r.add(fn("pg_get_expr", bindSpecs(types.VarcharT, nullKernel, "ao", "aob"), "NULL: Quarry stores no expression trees (defaults, partition bounds, policies)", "pg_get_expr(pg_node_tree, relation oid[, pretty boolean]) → text"))
	r.add(fn("pg_get_indexdef", bindSpecs(types.VarcharT, nullKernel, "o", "oib"), "NULL: Quarry's tables have no indexes", "pg_get_indexdef(index oid[, column integer, pretty boolean]) → text"))
	r.add(fn("pg_get_constraintdef", bindSpecs(types.VarcharT, nullKernel, "o", "ob"), "NULL: Quarry's tables have no constraints", "pg_get_constraintdef(constraint oid[, pretty boolean]) → text"))
	r.add(fn("pg_get_statisticsobjdef_columns", bindSpec("o", types.VarcharT, true, nullKernel), "NULL: Quarry has no extended statistics objects", "pg_get_statisticsobjdef_columns(oid) → text"))
	r.add(fn("pg_get_partkeydef", bindSpec("o", types.VarcharT, true, nullKernel), "NULL: Quarry's partitioned tables are Hive-style, not declarative partitions", "pg_get_partkeydef(oid) → text"))
	r.add(fn("pg_get_serial_sequence", bindSpec("tt", types.VarcharT, true, nullKernel), "NULL: Quarry has no sequences", "pg_get_serial_sequence(table text, column text) → text"))
	r.add(fn("pg_get_triggerdef", bindSpecs(types.VarcharT, nullKernel, "o", "ob"), "NULL: Quarry has no triggers", "pg_get_triggerdef(oid[, pretty boolean]) → text"))
	r.add(fn("pg_get_ruledef", bindSpecs(types.VarcharT, nullKernel, "o", "ob"), "NULL: Quarry has no rules", "pg_get_ruledef(oid[, pretty boolean]) → text"))
	r.add(fn("pg_relation_is_publishable", bindSpec("o", types.BoolT, true, constBoolKernel(false)), "false: Quarry has no logical replication", "pg_relation_is_publishable(regclass) → boolean"))
	r.add(stable("pg_get_viewdef", bindSpecs(types.VarcharT, describeKernel("viewdef"), "o", "ob", "oi"), "a view's defining query", "pg_get_viewdef(view oid[, pretty boolean]) → text"))
	r.add(stable("obj_description", bindSpecs(types.VarcharT, describeKernel("comment"), "o", "ot"), "an object's comment (a table's or database's description)", "obj_description(oid[, catalog name]) → text"))
	r.add(stable("col_description", bindSpec("oi", types.VarcharT, true, describeKernel("column_comment")), "a column's comment", "col_description(table oid, column integer) → text"))
	r.add(stable("shobj_description", bindSpec("ot", types.VarcharT, true, nullKernel), "NULL: shared objects carry no comments", "shobj_description(oid, catalog name) → text"))
	r.add(stable("pg_get_function_result", bindSpec("o", types.VarcharT, true, describeKernel("function_result")), "a function's result type as CREATE FUNCTION writes it", "pg_get_function_result(oid) → text"))
	r.add(stable("pg_get_function_arguments", bindSpec("o", types.VarcharT, true, describeKernel("function_arguments")), "a function's argument list", "pg_get_function_arguments(oid) → text"))
	r.add(stable("pg_get_function_identity_arguments", bindSpec("o", types.VarcharT, true, describeKernel("function_identity_arguments")), "a function's argument list without defaults", "pg_get_function_identity_arguments(oid) → text"))
	r.add(stable("pg_table_size", bindSpec("o", types.Int64T, true, sizeKernel), "bytes of a table's files (0 for views and catalogs)", "pg_table_size(regclass) → bigint"), "pg_relation_size", "pg_total_relation_size")
	r.add(fn("pg_indexes_size", bindSpec("o", types.Int64T, true, constIntKernel(0)), "0: Quarry's tables have no indexes", "pg_indexes_size(regclass) → bigint"))
	r.add(fn("pg_stat_get_numscans", bindSpec("o", types.Int64T, true, constIntKernel(0)), "0: no index scans are counted", "pg_stat_get_numscans(oid) → bigint"))
	r.add(fn("pg_size_pretty", bindSpec("B", types.VarcharT, true, sizePrettyKernel), "a byte count in bytes, kB, MB, GB, TB or PB, as PostgreSQL rounds it", "pg_size_pretty(bigint) → text"))
	r.add(fn("pg_tablespace_location", bindSpec("o", types.VarcharT, true, constTextKernel("")), "'' : tablespaces are not used", "pg_tablespace_location(oid) → text"))
	for _, p := range []string{"table", "schema", "database", "any_column", "column", "type", "function", "sequence", "language", "foreign_data_wrapper", "server", "tablespace"} {
		name := "has_" + p + "_privilege"
		r.add(stable(name, bindAnyArgs(2, 4, types.BoolT, constBoolKernel(true)), "true: privileges are enforced when a query reads a table (grants)", name+"([user,] object, privilege) → boolean"))
	}
	r.add(stable("to_regclass", bindSpec("t", types.RegClassT, true, toRegKernel(types.RegClass)), "a relation's OID by name, NULL when there is none", "to_regclass(text) → regclass"))
	r.add(stable("to_regtype", bindSpec("t", types.RegTypeT, true, toRegKernel(types.RegType)), "a type's OID by name, NULL when there is none", "to_regtype(text) → regtype"))
	r.add(stable("to_regproc", bindSpec("t", types.RegProcT, true, toRegKernel(types.RegProc)), "a function's OID by name, NULL when there is none", "to_regproc(text) → regproc"))
	r.add(stable("to_regnamespace", bindSpec("t", types.RegNamespaceT, true, toRegKernel(types.RegNamespace)), "a schema's OID by name, NULL when there is none", "to_regnamespace(text) → regnamespace"))
	r.add(stable("to_regrole", bindSpec("t", types.RegRoleT, true, toRegKernel(types.RegRole)), "a role's OID by name, NULL when there is none", "to_regrole(text) → regrole"))
	r.add(fn("quote_ident", bindSpec("t", types.VarcharT, true, quoteIdentKernel), "an identifier quoted when it needs quotes", "quote_ident(text) → text"))
	addArrayFuncs(r)
}

// bindSpec binds a fixed argument list described one letter per argument: o oid, t text,
// i integer, B bigint, b boolean, a any (kept as it is).
func bindSpec(spec string, ret types.T, strict bool, k Kernel) Binder {
	return func(args []types.T) (Sig, bool) {
		ts, ok := specArgs(spec, args)
		if !ok {
			return Sig{}, false
		}
		return Sig{Args: ts, Ret: ret, Kernel: k, Strict: strict}, true
	}
}

// bindSpecs binds one of several argument lists (optional arguments); non-strict.
func bindSpecs(ret types.T, k Kernel, specs ...string) Binder {
	return func(args []types.T) (Sig, bool) {
		for _, spec := range specs {
			if ts, ok := specArgs(spec, args); ok {
				return Sig{Args: ts, Ret: ret, Kernel: k}, true
			}
		}
		return Sig{}, false
	}
}

// bindAnyArgs binds min..max arguments of any type.
func bindAnyArgs(min, max int, ret types.T, k Kernel) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) < min || len(args) > max {
			return Sig{}, false
		}
		ts := make([]types.T, len(args))
		for i, a := range args {
			ts[i] = a
			if a.Kind == types.Unknown {
				ts[i] = types.VarcharT
			}
		}
		return Sig{Args: ts, Ret: ret, Kernel: k}, true
	}
}

func specArgs(spec string, args []types.T) ([]types.T, bool) {
	if len(args) != len(spec) {
		return nil, false
	}
	ts := make([]types.T, len(args))
	for i, a := range args {
		unknown := a.Kind == types.Unknown
		switch spec[i] {
		case 'o':
			if !unknown && !a.IsInteger() {
				return nil, false
			}
			ts[i] = types.OidT
		case 't':
			if !isStringy(a) {
				return nil, false
			}
			ts[i] = types.VarcharT
		case 'i':
			if !unknown && !a.IsInteger() {
				return nil, false
			}
			ts[i] = types.Int32T
			if a.Kind == types.Int64 && a.Reg == types.RegNone {
				return nil, false // bigint does not fit integer implicitly
			}
		case 'B':
			if !unknown && !a.IsInteger() && a.Kind != types.Decimal {
				return nil, false
			}
			ts[i] = types.Int64T
			if a.Kind == types.Decimal {
				ts[i] = a // pg_size_pretty(numeric): the kernel reads it as text
			}
		case 'b':
			if !unknown && a.Kind != types.Bool {
				return nil, false
			}
			ts[i] = types.BoolT
		default:
			ts[i] = a
			if unknown {
				ts[i] = types.VarcharT
			}
		}
	}
	return ts, true
}

func nullKernel(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
	return makeNulls(ctx.mem(), types.VarcharT.Arrow(), n), nil
}

func constBoolKernel(v bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return rowBool(ctx, n, func(int) (bool, bool, error) { return v, true, nil })
	}
}

func constIntKernel(v int64) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return rowInt64(ctx, n, func(i int) (int64, bool, error) { return v, args[0].IsValid(i), nil })
	}
}

func constTextKernel(v string) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return rowText(ctx, n, func(i int) (string, bool, error) { return v, args[0].IsValid(i), nil })
	}
}

func visibleKernel(kind types.Reg) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, err := ctx.session("pg_" + kind.Name() + "_is_visible")
		if err != nil {
			return nil, err
		}
		return rowBool(ctx, n, func(i int) (bool, bool, error) {
			oid, ok := argInt(args[0], i)
			if !ok {
				return false, false, nil
			}
			if _, exists := s.RegName(kind, oid); !exists {
				return false, false, nil // PostgreSQL: NULL for an OID that names nothing
			}
			return s.Visible(kind, oid), true, nil
		})
	}
}

func userByIDKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	s, err := ctx.session("pg_get_userbyid")
	if err != nil {
		return nil, err
	}
	return rowText(ctx, n, func(i int) (string, bool, error) {
		oid, ok := argInt(args[0], i)
		if !ok {
			return "", false, nil
		}
		if name, ok := s.RegName(types.RegRole, oid); ok {
			return name, true, nil
		}
		return "unknown (OID=" + strconv.FormatInt(oid, 10) + ")", true, nil
	})
}

// encodingNames are PostgreSQL's encoding numbers (pg_wchar.h) of the encodings Quarry
// reports; other numbers give ” as in PostgreSQL.
var encodingNames = map[int64]string{0: "SQL_ASCII", 6: "UTF8", 8: "LATIN1"}

func encodingKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return rowText(ctx, n, func(i int) (string, bool, error) {
		v, ok := argInt(args[0], i)
		if !ok {
			return "", false, nil
		}
		return encodingNames[v], true, nil
	})
}

// describeKernel asks the session about the object in the first argument; NULL when it has
// no answer. The second argument is the catalog name (obj_description) or column number
// (col_description).
func describeKernel(what string) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, err := ctx.session(what)
		if err != nil {
			return nil, err
		}
		return rowText(ctx, n, func(i int) (string, bool, error) {
			oid, ok := argInt(args[0], i)
			if !ok {
				return "", false, nil
			}
			q := DescribeRequest{What: what, OID: oid}
			if len(args) > 1 {
				switch what {
				case "comment":
					if q.Catalog, ok = argText(args[1], i); !ok {
						return "", false, nil
					}
				case "column_comment":
					sub, ok := argInt(args[1], i)
					if !ok {
						return "", false, nil
					}
					q.Sub = int32(sub)
				}
			}
			v, ok := s.Describe(q)
			return v, ok, nil
		})
	}
}

func sizeKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	s, err := ctx.session("pg_table_size")
	if err != nil {
		return nil, err
	}
	return rowInt64(ctx, n, func(i int) (int64, bool, error) {
		oid, ok := argInt(args[0], i)
		if !ok {
			return 0, false, nil
		}
		v, ok := s.Describe(DescribeRequest{What: "size", OID: oid})
		if !ok {
			return 0, false, nil // PostgreSQL: NULL for an OID that is no relation
		}
		size, _ := strconv.ParseInt(v, 10, 64)
		return size, true, nil
	})
}

// sizePrettyKernel is pg_size_pretty as PostgreSQL 15 rounds: bytes below 10 kB, then each
// unit while the value stays below 20 units (keeping one extra bit to round half up).
func sizePrettyKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return rowText(ctx, n, func(i int) (string, bool, error) {
		var size int64
		if v, ok := argInt(args[0], i); ok {
			size = v
		} else if s, ok := argText(args[0], i); ok {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return "", false, err
			}
			size = int64(f)
		} else {
			return "", false, nil
		}
		return SizePretty(size), true, nil
	})
}

// SizePretty formats a byte count as pg_size_pretty(bigint) does.
func SizePretty(size int64) string {
	const limit = 10 * 1024
	const limit2 = limit*2 - 1
	abs := func(v int64) int64 {
		if v < 0 {
			return -v
		}
		return v
	}
	half := func(v int64) int64 {
		if v < 0 {
			return (v - 1) / 2
		}
		return (v + 1) / 2
	}
	if abs(size) < limit {
		return strconv.FormatInt(size, 10) + " bytes"
	}
	size >>= 9 // one extra bit for rounding
	for _, unit := range []string{"kB", "MB", "GB", "TB"} {
		if abs(size) < limit2 {
			return strconv.FormatInt(half(size), 10) + " " + unit
		}
		size >>= 10
	}
	return strconv.FormatInt(half(size), 10) + " PB"
}

func toRegKernel(kind types.Reg) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, err := ctx.session("to_" + kind.Name())
		if err != nil {
			return nil, err
		}
		return rowInt64(ctx, n, func(i int) (int64, bool, error) {
			name, ok := argText(args[0], i)
			if !ok {
				return 0, false, nil
			}
			oid, err := s.RegOID(kind, name)
			return oid, err == nil, nil
		})
	}
}

func quoteIdentKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return rowText(ctx, n, func(i int) (string, bool, error) {
		s, ok := argText(args[0], i)
		if !ok {
			return "", false, nil
		}
		return QuoteIdent(s), true, nil
	})
}

// QuoteIdent quotes an identifier as PostgreSQL's quote_ident: unquoted when it is a
// lower-case name that is not a reserved keyword, else in double quotes with quotes doubled.
func QuoteIdent(s string) string {
	safe := s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] == '_')
	for i := 0; safe && i < len(s); i++ {
		c := s[i]
		safe = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if safe && !reservedKeyword(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
