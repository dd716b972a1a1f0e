package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"
)

// arraySublink binds ARRAY(subquery) as the scalar subquery
// (SELECT array_agg(x) FROM (subquery) AS _array(x)): array_agg keeps the subquery's row
// order, as ARRAY() does. Over no rows the value is NULL where PostgreSQL gives '{}'.
func (b *Binder) arraySublink(sl *pg.SubLink, s *scope) (Expr, error) {
	str := func(v string) *pg.Node { return &pg.Node{Node: &pg.Node_String_{String_: &pg.String{Sval: v}}} }
	agg := &pg.Node{Node: &pg.Node_FuncCall{FuncCall: &pg.FuncCall{
		Funcname: []*pg.Node{str("array_agg")},
		Args:     []*pg.Node{{Node: &pg.Node_ColumnRef{ColumnRef: &pg.ColumnRef{Fields: []*pg.Node{str("_array"), str("x")}, Location: -1}}}},
		Location: sl.Location,
	}}}
	from := &pg.Node{Node: &pg.Node_RangeSubselect{RangeSubselect: &pg.RangeSubselect{
		Subquery: sl.Subselect,
		Alias:    &pg.Alias{Aliasname: "_array", Colnames: []*pg.Node{str("x")}},
	}}}
	wrapped := &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
		TargetList:  []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Name: "array", Val: agg, Location: -1}}}},
		FromClause:  []*pg.Node{from},
		LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT,
		Op:          pg.SetOperation_SETOP_NONE,
	}}}
	return b.bindSubLink(&pg.SubLink{SubLinkType: pg.SubLinkType_EXPR_SUBLINK, Subselect: wrapped, Location: sl.Location}, s)
}
