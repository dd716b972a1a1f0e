// Package csv reads delimited text files (CSV, TSV, Hive's \001-separated text) as Hive's
// LazySimpleSerDe and OpenCSVSerde tables describe them, into Arrow record batches.
//
// The dialect comes from the table's options: the delimiter from `field.delim`,
// `separatorChar` or `serialization.format` (default ','), quoting per RFC 4180 with
// `quoteChar` (default '"'), backslash-style escapes with `escapeChar` or `escape.delim`,
// `skip.header.line.count` header lines, and the NULL marker `serialization.null.format`
// (default \N). Fields map to columns by position. docs/design/2026-11-25-text-formats.md
// records each choice where Hive, Athena and PostgreSQL differ.
//
// The reader scans bytes: a record without quote or escape bytes is split with
// bytes.IndexByte, only up to the last projected field, and only projected fields are parsed,
// straight from the read window into Arrow buffers (see formats/csv/textcol).
//
// It imports formats, formats/csv/textcol, objstore and sqlerr.
package csv
