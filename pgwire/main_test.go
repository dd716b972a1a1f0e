package pgwire

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestMain checks, after all tests passed, that no goroutine outlived its test (servers,
// connections, socket readers) and that every Arrow batch the fake handed out was released.
// A settle loop stands in for go.uber.org/goleak to keep go.mod unchanged.
func TestMain(m *testing.M) {
	base := runtime.NumGoroutine()
	code := m.Run()
	if f := flag.Lookup("test.fuzz"); code == 0 && (f == nil || f.Value.String() == "") {
		if err := settleGoroutines(base, 5*time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
		if n := testAlloc.CurrentAlloc(); n != 0 {
			fmt.Fprintf(os.Stderr, "Arrow memory not released: %d bytes\n", n)
			code = 1
		}
	}
	os.Exit(code)
}

func settleGoroutines(base int, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return nil
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			return fmt.Errorf("goroutine leak: %d running, %d at start\n%s", n, base, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
