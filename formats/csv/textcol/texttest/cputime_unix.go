//go:build unix

package texttest

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time (user and system, all threads) the process has used. On a shared
// machine a benchmark's wall time mostly measures the neighbours; bytes per CPU-second
// measures the reader.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
