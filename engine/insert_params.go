package engine

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// Parameters in INSERT, for the extended protocol (`INSERT INTO t VALUES ($1, $2)`, the
// statement every driver's batch insert prepares). PostgreSQL types a parameter that stands
// alone as a VALUES item, or as a plain SELECT's select-list item, from its target column;
// Quarry does the same by the rewrite it already makes for literals (insert.go's
// typedLiteral): `$1` becomes `CAST($1 AS <column type>)`, and the first cast applied to an
// unknown parameter is its type (planner/params.go). Parameters elsewhere (`$2 + 1`,
// `WHERE id = $3`) are typed as in a SELECT.
//
// Prepare binds the INSERT with planner.DescribeQuery and writes nothing; every execution
// binds it again with the values as literals and writes, as an INSERT without parameters
// does.

// describing reports whether pp is a statement's parameters being described (Prepare), not
// an execution's values.
func describing(pp *planner.Params) bool { return pp != nil && pp.Values == nil }

// bindParams binds q with b (whose parameters are pp): described when pp has no values yet.
func bindParams(b *planner.Binder, pp *planner.Params, q *pg.SelectStmt) (planner.Node, error) {
	if describing(pp) {
		return b.DescribeQuery(q)
	}
	return b.BindQuery(q)
}

// typedParam types a parameter fed straight into a column as the column's type. A
// varchar(n) column types it text, as typedLiteral does for strings, so that an over-long
// value fails (22001) instead of being cut by the cast.
func typedParam(n *pg.Node, pr *pg.ParamRef, t types.T) *pg.Node {
	if t.Kind == types.Varchar {
		t = types.VarcharT
	}
	tn := typeNameOf(t)
	if tn == nil {
		return n
	}
	tn.Location = -1
	return &pg.Node{Node: &pg.Node_TypeCast{TypeCast: &pg.TypeCast{Arg: n, TypeName: tn, Location: pr.Location}}}
}

// CheckParams converts parameter values to their types, as ExecutePrepared will, without
// running the statement: pgwire calls it at Bind for statements that run at Execute, since
// PostgreSQL reports a bad parameter value (22P02 and the like) at Bind.
func (s *Session) CheckParams(p *Prepared, params []Param) error {
	if len(params) != len(p.ParamTypes) {
		return nil // ExecutePrepared reports it
	}
	fctx := s.functionContext()
	for i, prm := range params {
		v, err := paramArray(p.ParamTypes[i], prm, fctx)
		if err != nil {
			return err
		}
		v.Release()
	}
	return nil
}
