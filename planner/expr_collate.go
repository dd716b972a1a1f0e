package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// byteOrderCollations are the collations that order strings by their bytes. Quarry compares
// and sorts text bytewise (UTF-8 byte order is code point order), which is exactly
// PostgreSQL's "C" collation, so `x COLLATE "C"` and its synonyms bind to x itself. The
// database default is C as well: that is what psql's \d sends (`OPERATOR(pg_catalog.~) '^(t)$'
// COLLATE pg_catalog.default`). Collation names are case-sensitive identifiers, as in
// PostgreSQL: "c" is not "C".
var byteOrderCollations = map[string]bool{"C": true, "POSIX": true, "default": true, "ucs_basic": true}

// collate binds `arg COLLATE name`. Every collation Quarry has orders bytewise, so the clause
// only checks that the collation exists and that arg is text.
func (b *Binder) collate(cc *pg.CollateClause, s *scope) (Expr, error) {
	arg, err := b.expr(cc.Arg, s)
	if err != nil {
		return nil, err
	}
	ns := names(cc.Collname)
	name := strings.Join(ns, ".")
	qualified := len(ns) == 2 && ns[0] == "pg_catalog"
	if !(len(ns) == 1 || qualified) || !byteOrderCollations[ns[len(ns)-1]] {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "collation %q for encoding \"UTF8\" does not exist", name).
			WithPosition(b.pos(cc.Location))
	}
	switch arg.Type().Kind {
	case types.Varchar:
		return arg, nil
	case types.Unknown:
		// An untyped literal becomes text, as PostgreSQL resolves it.
		return b.cast(arg, types.VarcharT, false, cc.Location)
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "collations are not supported by type %s", arg.Type()).
		WithPosition(b.pos(cc.Location))
}
