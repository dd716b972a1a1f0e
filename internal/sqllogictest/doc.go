// Package sqllogictest runs sqllogictest scripts: SQLite's corpus (select1..5, evidence/) and
// Quarry's own feature files under testdata/slt.
//
// A script is a list of records separated by blank lines: `statement ok`, `statement error
// [regex]`, `query <types> [nosort|rowsort|valuesort] [label]` with its expected values after
// `----` (or "N values hashing to MD5"), `hash-threshold N`, `halt`, and `skipif`/`onlyif
// <engine>` before a record. Quarry answers to the engine name `postgresql`, the dialect it
// speaks, so a record marked `skipif postgresql` is left out and `onlyif postgresql` runs.
//
// Values are compared as SQLite's reference runner prints them: I as a 64-bit integer, R with
// "%.3f", T as text with "(empty)" for the empty string and '@' for bytes outside printable
// ASCII, NULL as "NULL". A DB gives the runner each value as PostgreSQL's text output, so the
// same script runs on the engine in process (Engine) and on a real PostgreSQL server
// (Postgres), which is how expected results of Quarry's own files are checked.
//
// A record whose statement kind Quarry does not offer (triggers, indexes, UPDATE, DELETE,
// REPLACE) is skipped with the reason, and so is a later record that reads a table such a
// skipped statement would have changed; nothing is skipped for giving a wrong answer.
//
// It imports engine and the parts an engine is assembled from (catalog, formats, function,
// objstore), and pgx for the PostgreSQL side. Only tests and commands import it.
package sqllogictest
