// Package sql is Quarry's parsing layer: it turns query text into trees, and does nothing
// else (no names are resolved, no types checked beyond the syntax of a column type).
//
// A query string is first cut into statements by Split, then each statement is read by
// Parse with one of two grammars:
//
//   - PostgreSQL's own grammar, through pg_query_go, for queries and most statements. The
//     result is a *PGStmt holding pg_query's node; the planner binds straight from it.
//   - A small recursive-descent parser of this package for the Athena/Hive DDL that
//     PostgreSQL's grammar cannot read (CREATE EXTERNAL TABLE ... ROW FORMAT ... STORED AS
//     ... LOCATION ... TBLPROPERTIES, MSCK REPAIR TABLE, ALTER TABLE ... ADD PARTITION,
//     SHOW TABLES/PARTITIONS/CREATE TABLE, DESCRIBE, ...). Its statements are the structs
//     of hive_ast.go; IsHive tells them apart.
//
// Which grammar reads a statement is decided by its leading words alone (route.go), so
// every statement kind has one representation. docs/design/2026-11-25-sql-two-grammars.md
// gives the reasons.
//
// Errors a user can see are *sqlerr.Error. Syntax errors have code 42601, PostgreSQL's
// message text ("syntax error at or near \"x\"", "syntax error at end of input") and a
// 1-based character Position within the statement; Piece.Rebase moves it to the whole
// query string. Tag gives the CommandComplete word of a statement.
//
// The package imports sqlerr and types of Quarry's (types to check column types), and
// pg_query_go. Nothing below the planner imports it.
package sql
