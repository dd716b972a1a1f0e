package function

// syntaxNotes closes docs/functions.md: the expression syntax the binder maps onto the
// functions above, and where Quarry's results differ from PostgreSQL's by design.
const syntaxNotes = `
## Expression syntax

- ` + "`s ~ p`, `~*`, `!~`, `!~*`" + `: POSIX regular expressions (run on RE2), also in the qualified form
  psql sends, ` + "`s OPERATOR(pg_catalog.~) p`" + `.
- ` + "`s [NOT] SIMILAR TO p [ESCAPE e]`" + `: runs as ` + "`s ~ similar_to_escape(p, e)`" + `, as in PostgreSQL.
- ` + "`x COLLATE \"C\"`" + ` (and ` + "`\"POSIX\"`, `\"default\"`, `ucs_basic`" + `, optionally qualified by
  ` + "`pg_catalog`" + `): accepted and changes nothing, because Quarry compares and sorts text by its
  bytes, which is the C collation; the database default collation is C too. Any other
  collation is 42704 ` + "`collation \"x\" for encoding \"UTF8\" does not exist`" + `.
- ` + "`x AT TIME ZONE z`" + `: ` + "`timezone(z, x)`" + `; a timestamp becomes a timestamptz (the wall clock read in
  z) and a timestamptz a timestamp (the wall clock in z); a date or an untyped literal is read
  as timestamptz, as in PostgreSQL.
- ` + "`j -> k`, `->>`, `#>`, `#>>`" + `: on json (or text holding JSON); an integer key indexes an array
  (negative from the end), a text key an object member; ` + "`'{a,0}'`" + ` is read as a text[] path.
- ` + "`TRY(expr)`" + ` (Trino): expr, or NULL on the rows where it raises a data error (SQLSTATE class
  22: division by zero, invalid cast or argument, overflow, out of range). Other errors still
  fail the query. A constant that fails, such as ` + "`TRY(1/0)`" + `, is NULL, not a planning error.
- ` + "`CASE`" + ` and ` + "`COALESCE`" + ` are lazy, as in PostgreSQL: a THEN/ELSE result is evaluated only on
  the rows that reach it, a later WHEN only on the rows no earlier WHEN took, a later COALESCE
  argument only where the earlier ones are NULL. So ` + "`CASE WHEN a = 0 THEN 0 ELSE 10 / a END`" + `
  never divides by zero, and ` + "`CASE WHEN 1 = 1 THEN 1 ELSE 1/0 END`" + ` is 1. Where PostgreSQL's
  planner folds a failing constant in a branch that some rows skip and fails at once
  (` + "`CASE WHEN a > 0 THEN 1 ELSE 1/0 END`" + `), Quarry fails only when a row takes that branch.
- Numeric scales: PostgreSQL gives each numeric value its own display scale; a Quarry column
  has one. Where a constant decides the scale Quarry picks PostgreSQL's for that value:
  ` + "`1.0/3`" + ` is 0.33333333333333333333, ` + "`round(2.345, 2)`" + ` is 2.35, ` + "`sqrt(2.0)`" + ` is
  1.414213562373095. For column operands the scale is PostgreSQL's for values of weight 0
  (1 to 9999): a quotient has max(16, s1, s2) fractional digits, sqrt 15, exp and ln 16, avg 16
  (PostgreSQL shows fewer digits for larger values, more for smaller ones). Results beyond
  DECIMAL(38) give up fractional digits first.
`
