//go:build !unix

package parquet

func cpuTime() int64 { return 0 }
