// Package planner turns parsed statements into plans: the binder resolves names and types
// straight from pg_query's tree (split by clause: select.go, from.go, where.go, group_by.go,
// order_by.go, expr.go, scope.go), builds a logical plan of immutable nodes (plan.go), and
// ordered, named rules (rules.go, one file per rule) rewrite it (projection and filter
// pushdown into scans, ...). The physical operators are built from the plan by exec.
//
// It imports sql's parser output (pg_query), catalog, function, types, formats (for column
// and option shapes) and sqlerr; never exec, engine or the front doors.
package planner
