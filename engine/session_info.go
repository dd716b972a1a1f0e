package engine

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// stmtSession is the function.SessionInfo of one statement: the session's user, settings and
// search path, and a catalog snapshot (system_catalog.go) taken the first time a kernel asks
// about an object, so every look-up of the statement sees the same catalog. Kernels may run
// on several workers at once; the snapshot is built once under a sync.Once and only read.
type stmtSession struct {
	s    *Session
	once sync.Once
	snap *catalogSnapshot
	err  error
}

var _ function.SessionInfo = (*stmtSession)(nil)

// SetBackendPID records the process id pgwire announced in BackendKeyData.
func (s *Session) SetBackendPID(pid int32) { s.pid.Store(pid) }

// nextPID numbers sessions that did not come through pgwire (embedded use, tests).
var nextPID atomic.Int32

func (q *stmtSession) CurrentUser() string { return q.s.user.Name }
func (q *stmtSession) SessionUser() string { return q.s.user.Name }
func (q *stmtSession) Database() string {
	if q.s.database == "" {
		return DefaultCatalog
	}
	return q.s.database
}

func (q *stmtSession) BackendPID() int32 {
	if p := q.s.pid.Load(); p != 0 {
		return p
	}
	q.s.pid.CompareAndSwap(0, 1000+nextPID.Add(1))
	return q.s.pid.Load()
}

// SearchPath is the schemas unqualified names resolve in, as the binder does it: the
// session's database, then pg_catalog (implicit). A database that does not exist is left out,
// as PostgreSQL leaves out missing schemas.
func (q *stmtSession) SearchPath(implicit bool) []string {
	var out []string
	db := q.s.settings.searchDatabase()
	if snap, err := q.snapshot(); err == nil && snap.schemaOID(db) != 0 {
		out = append(out, db)
	}
	if implicit {
		out = append(out, pgCatalogSchema)
	}
	return out
}

func (q *stmtSession) Setting(name string) (string, bool) {
	return q.s.settings.get(name)
}

func (q *stmtSession) SetSetting(name, value string, local bool) (string, error) {
	if err := q.s.settings.set(name, value); err != nil {
		return "", err
	}
	v, _ := q.s.settings.get(name)
	return v, nil
}

func (q *stmtSession) snapshot() (*catalogSnapshot, error) {
	q.once.Do(func() {
		q.snap, q.err = snapshot(context.Background(), q.s.e.cfg.Catalog)
	})
	return q.snap, q.err
}

// RegOID resolves a name for a text → reg* cast.
func (q *stmtSession) RegOID(kind types.Reg, name string) (int64, error) {
	snap, err := q.snapshot()
	if err != nil {
		return 0, err
	}
	parts, err := splitQualified(name)
	if err != nil {
		return 0, err
	}
	switch kind {
	case types.RegClass:
		if len(parts) > 2 {
			return 0, sqlerr.New(sqlerr.FeatureNotSupported, "cross-database references are not implemented: %s", name)
		}
		if len(parts) == 2 {
			if r := snap.relation(parts[0], parts[1]); r != nil {
				return r.oid, nil
			}
		} else {
			for _, ns := range q.SearchPath(true) {
				if r := snap.relation(ns, parts[0]); r != nil {
					return r.oid, nil
				}
			}
		}
		return 0, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", name)
	case types.RegNamespace:
		if o := snap.schemaOID(parts[len(parts)-1]); o != 0 && len(parts) == 1 {
			return o, nil
		}
		return 0, sqlerr.New(sqlerr.UndefinedSchema, "schema %q does not exist", name)
	case types.RegRole:
		for _, u := range snap.users {
			if u.u.Name == parts[len(parts)-1] && len(parts) == 1 {
				return u.oid, nil
			}
		}
		return 0, sqlerr.New(sqlerr.UndefinedObject, "role %q does not exist", name)
	case types.RegType:
		if oid, ok := typeOIDByName(name); ok {
			return oid, nil
		}
		return 0, sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", name)
	case types.RegProc, types.RegProcedure:
		fname := parts[len(parts)-1]
		if len(parts) == 2 && parts[0] != pgCatalogSchema || len(parts) > 2 {
			return 0, sqlerr.New(sqlerr.UndefinedFunction, "function %q does not exist", name)
		}
		if kind == types.RegProcedure {
			if oid, ok := procByIdentity(name); ok {
				return oid, nil
			}
			return 0, sqlerr.New(sqlerr.UndefinedFunction, "function %q does not exist", name)
		}
		oids := procsNamed(fname)
		switch len(oids) {
		case 0:
			return 0, sqlerr.New(sqlerr.UndefinedFunction, "function %q does not exist", name)
		case 1:
			return oids[0], nil
		}
		return 0, sqlerr.New("42725", "more than one function named %q", name)
	}
	return 0, sqlerr.New(sqlerr.FeatureNotSupported, "%s input is not supported", kind.Name())
}

// RegName prints an OID of a reg* type.
func (q *stmtSession) RegName(kind types.Reg, oid int64) (string, bool) {
	switch kind {
	case types.RegType:
		if oid == types.OidBPChar {
			return "character", true // format_type(oid, NULL) spells bpchar so
		}
		return function.TypeOIDName(oid)
	case types.RegProc, types.RegProcedure:
		p := procByOID(oid)
		if p == nil {
			return "", false
		}
		if kind == types.RegProcedure {
			return p.name + "(" + p.identityArgs + ")", true
		}
		return p.name, true
	}
	snap, err := q.snapshot()
	if err != nil {
		return "", false
	}
	switch kind {
	case types.RegClass:
		r := snap.relationByOID(oid)
		if r == nil {
			return "", false
		}
		name := function.QuoteIdent(r.t.Name)
		if !q.Visible(kind, oid) {
			name = function.QuoteIdent(r.t.DatabaseName) + "." + name
		}
		return name, true
	case types.RegNamespace:
		for _, ns := range snap.schemas {
			if ns.oid == oid {
				return function.QuoteIdent(ns.name), true
			}
		}
	case types.RegRole:
		for _, u := range snap.users {
			if u.oid == oid {
				return u.u.Name, true
			}
		}
	}
	return "", false
}

// Visible reports whether an unqualified name finds the object: for relations, the first
// schema of the search path that has a relation of that name is the object's own.
func (q *stmtSession) Visible(kind types.Reg, oid int64) bool {
	if kind != types.RegClass {
		return true // types and functions all live in pg_catalog, which is always searched
	}
	snap, err := q.snapshot()
	if err != nil {
		return false
	}
	r := snap.relationByOID(oid)
	if r == nil {
		return false
	}
	for _, ns := range q.SearchPath(true) {
		if found := snap.relation(ns, r.t.Name); found != nil {
			return found.oid == oid
		}
	}
	return false
}

// Describe answers pg_get_viewdef, obj_description, col_description, the size functions and
// pg_get_function_*.
func (q *stmtSession) Describe(req function.DescribeRequest) (string, bool) {
	switch req.What {
	case "function_result", "function_arguments", "function_identity_arguments":
		p := procByOID(req.OID)
		if p == nil {
			return "", false
		}
		switch req.What {
		case "function_result":
			return p.result, true
		case "function_arguments":
			return p.args, true
		}
		return p.identityArgs, true
	}
	snap, err := q.snapshot()
	if err != nil {
		return "", false
	}
	if req.What == "comment" && (req.Catalog == "" || req.Catalog == "pg_namespace") {
		for _, ns := range snap.schemas {
			if ns.oid == req.OID && ns.db != nil && ns.db.Description != "" {
				return ns.db.Description, true
			}
		}
	}
	r := snap.relationByOID(req.OID)
	if r == nil {
		return "", false
	}
	switch req.What {
	case "viewdef":
		if relKind(*r) != "v" || r.t.ViewOriginalText == "" {
			return "", false
		}
		return " " + strings.TrimSpace(r.t.ViewOriginalText) + ";", true
	case "comment":
		if (req.Catalog == "" || req.Catalog == "pg_class") && r.t.Description != "" {
			return r.t.Description, true
		}
	case "column_comment":
		cols := clientColumns(r.t)
		if req.Sub >= 1 && int(req.Sub) <= len(cols) && cols[req.Sub-1].Comment != "" {
			return cols[req.Sub-1].Comment, true
		}
	case "size":
		// Listing a table's files can be a slow object-store walk; clients call this for
		// every table of a schema, so Quarry reports 0 until sizes are kept in the catalog.
		return "0", true
	}
	return "", false
}

// schemaOID returns a schema's OID, 0 when there is none.
func (s *catalogSnapshot) schemaOID(name string) int64 {
	for _, ns := range s.schemas {
		if ns.name == name {
			return ns.oid
		}
	}
	return 0
}

// relation finds a table or view by schema and name.
func (s *catalogSnapshot) relation(schema, name string) *tableRow {
	for i := range s.tables {
		r := &s.tables[i]
		if r.t.Name == name && r.t.DatabaseName == schema {
			return r
		}
	}
	return nil
}

// relationByOID finds a table or view by OID.
func (s *catalogSnapshot) relationByOID(oid int64) *tableRow {
	for i := range s.tables {
		if s.tables[i].oid == oid {
			return &s.tables[i]
		}
	}
	return nil
}

// splitQualified splits a possibly qualified, possibly quoted name as PostgreSQL's
// stringToQualifiedNameList: unquoted parts are lower-cased.
func splitQualified(s string) ([]string, error) {
	var parts []string
	s = strings.TrimSpace(s)
	for {
		var part string
		if strings.HasPrefix(s, `"`) {
			end := 1
			var b strings.Builder
			for end < len(s) {
				if s[end] == '"' {
					if end+1 < len(s) && s[end+1] == '"' {
						b.WriteByte('"')
						end += 2
						continue
					}
					break
				}
				b.WriteByte(s[end])
				end++
			}
			if end >= len(s) {
				return nil, sqlerr.New("42602", "invalid name syntax")
			}
			part, s = b.String(), s[end+1:]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part, s = strings.ToLower(strings.TrimSpace(s[:i])), s[i:]
		}
		if part == "" {
			return nil, sqlerr.New("42602", "invalid name syntax")
		}
		parts = append(parts, part)
		s = strings.TrimSpace(s)
		if s == "" {
			return parts, nil
		}
		if s[0] != '.' {
			return nil, sqlerr.New("42602", "invalid name syntax")
		}
		s = s[1:]
	}
}

// typeOIDByName resolves a type name for regtype input: pg_type's names (int4, _text), the
// SQL names format_type prints (integer, character varying) and Quarry's aliases, with []
// for arrays and modifiers ignored.
func typeOIDByName(name string) (int64, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "pg_catalog.")
	if strings.HasSuffix(n, "[]") {
		elem, ok := typeOIDByName(strings.TrimSuffix(n, "[]"))
		if !ok {
			return 0, false
		}
		for _, t := range builtinTypes {
			if int64(t.oid) == elem && t.array != 0 {
				return int64(t.array), true
			}
		}
		return 0, false
	}
	if i := strings.IndexByte(n, '('); i >= 0 {
		if j := strings.IndexByte(n, ')'); j > i {
			n = strings.TrimSpace(n[:i] + n[j+1:])
		}
	}
	n = strings.Trim(n, `"`)
	for _, t := range builtinTypes {
		if t.name == n {
			return int64(t.oid), true
		}
	}
	for _, t := range builtinTypes {
		if s, _ := function.TypeOIDName(int64(t.oid)); s == n {
			return int64(t.oid), true
		}
	}
	switch n {
	case "character":
		return types.OidBPChar, true
	case "time with time zone":
		return 1266, true
	}
	if t, ok := types.FromName(n, nil); ok {
		return int64(t.OID()), true
	}
	return 0, false
}

// procByIdentity resolves regprocedure input: name(argtypes).
func procByIdentity(s string) (int64, bool) {
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(strings.TrimSpace(s), ")") {
		return 0, false
	}
	parts, err := splitQualified(s[:open])
	if err != nil {
		return 0, false
	}
	args := strings.TrimSuffix(strings.TrimSpace(s[open+1:]), ")")
	var want []int64
	for _, a := range strings.Split(args, ",") {
		if strings.TrimSpace(a) == "" {
			continue
		}
		o, ok := typeOIDByName(a)
		if !ok {
			return 0, false
		}
		want = append(want, o)
	}
	for _, oid := range procsNamed(parts[len(parts)-1]) {
		p := procByOID(oid)
		if p.argTypes == joinOIDs(want) {
			return oid, true
		}
	}
	return 0, false
}

func joinOIDs(oids []int64) string {
	s := make([]string, len(oids))
	for i, o := range oids {
		s[i] = strconv.FormatInt(o, 10)
	}
	return strings.Join(s, " ")
}
