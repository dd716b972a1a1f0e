// Command slt runs sqllogictest scripts on Quarry in process, or on a PostgreSQL server, and
// prints what passed, failed and was skipped, with the reason for every skip.
//
//	slt [-v] [-pg URL] [-complete] FILE...
//
// With -pg the scripts run on PostgreSQL instead (each in a database of its own, dropped
// afterwards): that is how the expected values of Quarry's own scripts are checked. With
// -complete the files are rewritten with the values the run returned, so a new script's
// results can be written from PostgreSQL 15 and then checked on Quarry:
//
//	go run ./cmd/slt -pg postgres://postgres@127.0.0.1:5432/postgres -complete testdata/slt/new.slt
//	go run ./cmd/slt -v testdata/slt/new.slt
//
// It exits 1 when a record failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/quarrydb/quarry/internal/sqllogictest"
)

func main() {
	verbose := flag.Bool("v", false, "print every failure (default: the first 20 of each file) and every skipped record")
	pgURL := flag.String("pg", "", "run on the PostgreSQL server at this URL instead of Quarry")
	complete := flag.Bool("complete", false, "rewrite each file with the results of this run")
	workers := flag.Int("workers", 0, "Quarry's scan workers per query (0: all cores)")
	trace := flag.Bool("trace", false, "print each record's line to stderr before it runs (to find where a run is stuck)")
	timeout := flag.Duration("timeout", time.Minute, "time limit for each record")
	slow := flag.Duration("slow", 0, "list the records that ran longer than this")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: slt [-v] [-pg URL] [-complete] FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "slt:", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "slt:", err)
			os.Exit(2)
		}
		// os.Exit skips deferred calls: the exit after failures stops the profile itself.
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	open := func(ctx context.Context) (sqllogictest.DB, error) { return sqllogictest.TempEngine(ctx, *workers) }
	if *pgURL != "" {
		open = func(ctx context.Context) (sqllogictest.DB, error) { return sqllogictest.OpenPostgres(ctx, *pgURL) }
	}
	failed := false
	for _, path := range flag.Args() {
		opt := sqllogictest.Options{Timeout: *timeout}
		if *trace {
			opt.Trace = func(rec *sqllogictest.Record) {
				fmt.Fprintf(os.Stderr, "%s:%d\n", path, rec.Line)
			}
		}
		rep, err := sqllogictest.RunFile(ctx, path, open, opt)
		if err != nil {
			fmt.Fprintln(os.Stderr, "slt:", err)
			os.Exit(2)
		}
		max := 20
		if *verbose {
			max = 0
		}
		fmt.Print(rep.Failures(max))
		if *verbose {
			for _, o := range rep.Outcomes {
				if o.Status == sqllogictest.Skipped {
					fmt.Printf("%s:%d: skipped %s: %s %s\n", rep.File, o.Record.Line, o.Kind, o.Reason, o.Detail)
				}
			}
		}
		if *slow > 0 {
			for _, o := range rep.Outcomes {
				if o.Elapsed > *slow {
					fmt.Printf("%s:%d: slow: %.2fs %s\n", rep.File, o.Record.Line, o.Elapsed.Seconds(), strings.Join(strings.Fields(o.Record.SQL), " "))
				}
			}
		}
		for _, s := range rep.Skips() {
			fmt.Printf("  skipped %d × %s: %s\n", s.Count, s.Kind, s.Reason)
		}
		fmt.Printf("%s (%.2fs)\n", rep.Summary(), rep.Elapsed.Seconds())
		if rep.Failed > 0 {
			failed = true
		}
		if *complete {
			text, err := os.ReadFile(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, "slt:", err)
				os.Exit(2)
			}
			out, untouched := sqllogictest.Complete(string(text), rep)
			for _, u := range untouched {
				fmt.Printf("%s: left as it was: %s\n", path, u)
			}
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "slt:", err)
				os.Exit(2)
			}
		}
	}
	if failed {
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}
