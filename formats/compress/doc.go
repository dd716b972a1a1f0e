// Package compress opens the compressed text files Quarry reads (CSV, JSON lines) and
// decompresses them transparently, choosing the codec by file extension as Hadoop's
// CompressionCodecFactory (and so Hive and Athena) do:
//
//	.gz .gzip        gzip, concatenated members read as one stream
//	.zst .zstd       Zstandard
//	.snappy          Snappy: the framing format when the stream starts with its magic,
//	                 otherwise Hadoop's block stream (what Hive/Spark write with SnappyCodec)
//	.lz4             LZ4: the frame format (lz4 CLI) when it starts with its magic,
//	                 otherwise Hadoop's block stream (Lz4Codec)
//	.bz2 .bzip2      bzip2 (standard library)
//	.deflate .zlib   zlib (what Hadoop's DefaultCodec writes under .deflate), or raw
//	                 DEFLATE when the stream has no zlib header
//
// Any other extension is read as it is. Extensions of codecs Quarry cannot decode (.lzo, .br,
// .xz, ...) are an error rather than garbage.
//
// It imports sqlerr, github.com/klauspost/compress and github.com/pierrec/lz4; never other
// formats packages.
package compress
