// Package parquet reads Apache Parquet files into Arrow record batches for Quarry's scans.
//
// It implements formats.Format: Splits opens a file's footer and makes one split per row
// group; Open reads the projected columns of a split's row groups page by page with
// github.com/parquet-go/parquet-go and converts the typed page values straight into Arrow
// buffers (no per-value builder appends, no per-value interface calls). Columns are matched to
// the file's top-level leaf columns by name, case-insensitively as Athena does; a table column
// the file lacks reads as NULLs. Values are converted to the type the catalog declares when
// the conversion is safe (int32 → bigint, float → double, int → decimal, decimal rescale, ...);
// an incompatible declaration is a *formats.DataError with SQLSTATE 22P02. Nested columns
// (LIST, MAP, groups) are not read yet: projecting one is a FeatureNotSupported error, leaving
// it unprojected is fine.
//
// A corrupt or truncated file is a *formats.DataError with SQLSTATE XX001, never a panic:
// the footer and every page header are bounds-checked before parquet-go decodes them (so a
// mutated length cannot make it allocate gigabytes), and each exported call recovers from a
// panic inside parquet-go and reports it as a corrupt file.
//
// It imports formats, objstore, sqlerr and types of Quarry's, plus Arrow and parquet-go.
package parquet
