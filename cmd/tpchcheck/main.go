// Command tpchcheck runs the TPC-H queries on Quarry in process over the data `peer gen`
// writes, and compares each result with its answer, one line per query and layout:
//
//	q01 parquet ok 5.41s
//	q02 parquet WRONG (row 3 col 2: got "..." want "...") 1.20s
//	q03 csv ERROR 0A000 joins are not supported yet
//
// then a summary. It exits 1 when any query is not ok.
//
// Each query runs in a child process of its own (this program again, with -inprocess), so
// that a query that crashes the engine is reported as an ERROR line and the check goes on;
// -inprocess runs everything in one process instead.
//
//	go run ./cmd/tpchcheck -data /tmp/tpch -layouts parquet,csv,json -queries 1,6
//
// The data comes from `peer gen -sf 1 -out /tmp/tpch` (../shared/peer); the queries and the
// SF1 answers from ../shared/bench/tpch. Each layout gets a fresh root folder in a temporary
// directory, with the eight tables declared over DATA/<layout>/<table>/. The answers are
// compared as `peer compare` does, written again here so that Quarry depends on no other
// engine (see compare.go).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/quarrydb/quarry/internal/sqllogictest"
	"github.com/quarrydb/quarry/sqlerr"
)

func main() {
	data := flag.String("data", "/tmp/tpch", "data folder written by `peer gen -sf 1 -out DIR`")
	layoutList := flag.String("layouts", "parquet,csv,json", "layouts to check: parquet, csv, csv_gz, json")
	queryList := flag.String("queries", "", "queries to run, as numbers (1,6 or 1-22); default all 22")
	bench := flag.String("bench", "../shared/bench/tpch", "folder of the query files qNN.sql")
	answers := flag.String("answers", "", "folder of the answers qNN.tsv (default BENCH/answers-sf1)")
	workers := flag.Int("workers", 0, "scan workers per query (0: all cores)")
	timeout := flag.Duration("timeout", 30*time.Minute, "time limit for each query")
	inProcess := flag.Bool("inprocess", false, "run every query in this process (a crash ends the whole check)")
	quiet := flag.Bool("quiet", false, "print no summary (used by the child processes)")
	flag.Parse()
	if *answers == "" {
		*answers = filepath.Join(*bench, "answers-sf1")
	}
	queries, err := parseQueries(*queryList)
	if err != nil {
		fatal(err)
	}
	layoutNames := strings.Split(*layoutList, ",")
	for _, l := range layoutNames {
		if _, ok := layouts[l]; !ok {
			fatal(fmt.Errorf("unknown layout %q (parquet, csv, csv_gz, json)", l))
		}
		if _, err := os.Stat(filepath.Join(*data, l, "lineitem")); err != nil {
			fatal(fmt.Errorf("no %s data in %s: generate it with `peer gen -sf 1 -out %s` (see ../shared/peer)", l, *data, *data))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	start := time.Now()
	ok, total := 0, 0
	var perLayout []string
	for _, layout := range layoutNames {
		var n int
		if *inProcess {
			n, err = runLayout(ctx, *data, layout, *bench, *answers, queries, *workers, *timeout)
		} else {
			n, err = runChildren(ctx, layout, queries, *timeout)
		}
		if err != nil {
			fatal(err)
		}
		ok += n
		total += len(queries)
		perLayout = append(perLayout, fmt.Sprintf("%s %d/%d", layout, n, len(queries)))
	}
	if !*quiet {
		fmt.Printf("%d of %d ok (%s) in %.1fs\n", ok, total, strings.Join(perLayout, ", "), time.Since(start).Seconds())
	}
	if ok != total {
		os.Exit(1)
	}
}

// runChildren runs each query of a layout in a child process with the same flags, passing its
// line through. A child that dies without printing its line (a panic in the engine) is
// reported as an ERROR with the first line of its panic, and its whole output is kept in a
// file for the stack.
func runChildren(ctx context.Context, layout string, queries []int, timeout time.Duration) (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	ok := 0
	for _, q := range queries {
		args := []string{"-inprocess", "-quiet", "-layouts", layout, "-queries", strconv.Itoa(q)}
		flag.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "layouts", "queries", "inprocess", "quiet":
			default:
				args = append(args, "-"+f.Name+"="+f.Value.String())
			}
		})
		// The child stops its query at -timeout; the grace minute is for a query that does
		// not heed cancellation, which is then killed and reported.
		childCtx, cancel := context.WithTimeout(ctx, timeout+time.Minute)
		cmd := exec.CommandContext(childCtx, exe, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		runErr := cmd.Run()
		killed := childCtx.Err() != nil && ctx.Err() == nil
		cancel()
		prefix := fmt.Sprintf("q%02d %s ", q, layout)
		line := ""
		for _, l := range strings.Split(stdout.String(), "\n") {
			if strings.HasPrefix(l, prefix) {
				line = l
			}
		}
		if line == "" && killed {
			line = fmt.Sprintf("%sERROR 57014 still running %s after the time limit of %s, killed", prefix, time.Minute, timeout)
		} else if line == "" {
			line = prefix + "ERROR " + crashLine(stderr.String(), runErr)
			if f, err := os.CreateTemp("", fmt.Sprintf("tpchcheck-q%02d-%s-*.log", q, layout)); err == nil {
				f.Write(stderr.Bytes())
				f.Close()
				line += " (output in " + f.Name() + ")"
			}
		}
		fmt.Println(line)
		if strings.HasPrefix(line, prefix+"ok") {
			ok++
		}
		if ctx.Err() != nil {
			return ok, ctx.Err()
		}
	}
	return ok, nil
}

// crashLine is the first line that says why a child process died.
func crashLine(stderr string, err error) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "tpchcheck:") {
			return "XX000 " + l
		}
	}
	return fmt.Sprintf("XX000 the query's process ended: %v", err)
}

// runLayout declares the tables of one layout in a fresh engine and runs the queries on it,
// printing a line for each. It returns how many were right.
func runLayout(ctx context.Context, data, layout, bench, answers string, queries []int, workers int, timeout time.Duration) (int, error) {
	db, err := sqllogictest.TempEngine(ctx, workers)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	stmts, err := ddl(data, layout)
	if err != nil {
		return 0, err
	}
	for _, s := range stmts {
		if _, err := db.Exec(ctx, s); err != nil {
			return 0, fmt.Errorf("%s: %s: %w", layout, s, err)
		}
	}
	ok := 0
	for _, q := range queries {
		name := fmt.Sprintf("q%02d", q)
		status, elapsed := runQuery(ctx, db, filepath.Join(bench, name+".sql"), filepath.Join(answers, name+".tsv"), timeout)
		if status == "ok" {
			ok++
		}
		if elapsed > 0 {
			fmt.Printf("%s %s %s %.3fs\n", name, layout, status, elapsed.Seconds())
		} else {
			fmt.Printf("%s %s %s\n", name, layout, status)
		}
		if ctx.Err() != nil {
			return ok, ctx.Err()
		}
	}
	return ok, nil
}

// runQuery runs one query file and compares it with its answer. The status is "ok",
// "WRONG (...)" or "ERROR SQLSTATE message"; elapsed is set when the query ran to its end.
func runQuery(ctx context.Context, db sqllogictest.DB, queryFile, answerFile string, timeout time.Duration) (string, time.Duration) {
	text, err := os.ReadFile(queryFile)
	if err != nil {
		return "ERROR " + err.Error(), 0
	}
	answer, err := os.ReadFile(answerFile)
	if err != nil {
		return "ERROR " + err.Error(), 0
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	res, err := db.Exec(ctx, string(text))
	elapsed := time.Since(start)
	if err != nil {
		e := sqlerr.From(err)
		msg, _, _ := strings.Cut(e.Message, "\n")
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			msg += fmt.Sprintf(" (time limit %s)", timeout)
		}
		return fmt.Sprintf("ERROR %s %s", e.Code, msg), 0
	}
	got := make([][]string, len(res.Rows))
	for i, row := range res.Rows {
		got[i] = make([]string, len(row))
		for j, v := range row {
			got[i][j] = "NULL"
			if v != nil {
				got[i][j] = *v
			}
		}
	}
	if msg := check(readTSV(string(answer)), got, ordered(string(text))); msg != "" {
		return "WRONG (" + msg + ")", elapsed
	}
	return "ok", elapsed
}

// parseQueries reads "1,6", "1-22" or "q01,q06"; empty means all 22.
func parseQueries(s string) ([]int, error) {
	if s == "" {
		s = "1-22"
	}
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(part)), "q")
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(strings.TrimPrefix(hi, "q"))
		}
		if err != nil || a < 1 || b > 22 || a > b {
			return nil, fmt.Errorf("bad -queries %q: want numbers 1 to 22, as 1,6 or 1-22", s)
		}
		for q := a; q <= b; q++ {
			out = append(out, q)
		}
	}
	return out, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "tpchcheck:", err)
	os.Exit(2)
}
