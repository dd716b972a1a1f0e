// Package textcol is the machinery the text formats (CSV and JSON lines) share: a large
// window over a file's decompressed bytes (Source), the cells a format's tokenizer finds in it
// (Cell), typed columns that parse those cells straight from the window's bytes into Arrow
// buffers (Column), and the driver that turns them into record batches (Reader).
//
// A format supplies only a Tokenizer: it finds the projected fields of each record and says
// how a quoted or escaped field decodes. Everything after that is shared, so CSV and JSON parse
// values identically (PostgreSQL's input syntax and error wording, Hive's NULL rules).
//
// Values are converted a column at a time over a chunk of records, with one typed loop per SQL
// type, so no value is boxed and no field becomes a Go string.
//
// It imports formats, formats/compress, objstore, sqlerr and types. It lives under formats/csv
// only because that is where its author could write; formats/internal/textcol is its natural
// home.
package textcol
