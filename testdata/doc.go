// Package testdata holds the small fixtures Quarry's tests and its first-run demo use.
//
// The demo database `demo` is a handful of tables in the layouts Quarry reads, written by
// testdata/internal/gendemo from a fixed seed and embedded in the binary:
//
//	customers  Parquet (snappy), 500 rows, some NULL emails
//	orders     Parquet (zstd), 20,000 rows in two files of four row groups each
//	products   CSV with a header line and RFC 4180 quoting, 200 rows
//	events     '|'-separated text without a header, partitioned by dt (three days)
//
// InstallDemo copies the files into a folder and registers the database, its tables and
// partitions in a catalog, as `quarry serve` does on first start. DemoFS gives tests the same
// files without touching the disk.
//
// The go tool leaves directories named testdata out of `./...` patterns, so this package's
// tests run only when named: `go test ./testdata ./testdata/internal/gendemo` (even
// `./testdata/...` matches nothing).
//
// It imports catalog of Quarry's (and, in tests, the formats readers and objstore).
package testdata
