package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// tableFunctions are the set-returning functions of several columns that the system catalog
// serves as tables (pg_catalog.<name>, hidden from pg_class): FROM pg_get_keywords() scans
// them. Arrays can only carry one column, so these do not go through Unnest.
var tableFunctions = map[string]bool{"pg_get_keywords": true}

// tableFunction returns the table a FROM function reads, if it is one of tableFunctions
// called without arguments.
func tableFunction(rf *pg.RangeFunction) (*pg.RangeVar, bool) {
	if len(rf.Functions) != 1 || rf.Ordinality || rf.Lateral {
		return nil, false
	}
	parts := rf.Functions[0].GetList().GetItems()
	if len(parts) == 0 || parts[0].GetFuncCall() == nil {
		return nil, false
	}
	fc := parts[0].GetFuncCall()
	name := funcName(fc)
	ns := names(fc.Funcname)
	if !tableFunctions[name] || len(fc.Args) != 0 || (len(ns) == 2 && strings.ToLower(ns[0]) != "pg_catalog") {
		return nil, false
	}
	return &pg.RangeVar{Schemaname: "pg_catalog", Relname: name, Alias: rf.Alias, Inh: true, Location: fc.Location}, true
}
