// Package json reads JSON lines (NDJSON) files, one object per line, as Hive's JsonSerDe and
// the OpenX JsonSerDe describe them, into Arrow record batches.
//
// Object keys match columns by name, case-insensitively; a missing key or a JSON null is
// NULL. Numbers go into numeric columns exactly (a decimal from the number's text), strings
// into any column through the same text parsing CSV uses, and numbers, booleans, objects and
// arrays into string columns as their JSON text. Blank lines are skipped; a malformed line
// fails the query (22P02) unless `ignore.malformed.json` is true, when it reads as a row of
// NULLs, as in OpenX. The OpenX options `mapping.<column>`, `case.insensitive` and
// `dots.in.keys` are honoured. docs/design/2026-11-25-text-formats.md records the choices.
//
// Lines are scanned by a small validating parser over the line's bytes: only projected keys
// produce cells, and values are parsed straight from the read window into Arrow buffers (see
// formats/csv/textcol).
//
// It imports formats, formats/csv/textcol, objstore and sqlerr.
package json
