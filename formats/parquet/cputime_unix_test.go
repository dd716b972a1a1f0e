//go:build unix

package parquet

import "syscall"

// cpuTime returns the process's user and system CPU time in nanoseconds. Benchmarks report
// it beside wall time because the machines they run on are shared: CPU time per operation
// is what a reader costs, wall time also counts waiting for a core.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
