package sqllogictest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	rewrite = flag.Bool("rewrite", false, "rewrite testdata/corpus.floor with today's counts (files not run keep theirs) (and, with -slt.pg, testdata/pg15-failures.txt)")
	summary = flag.String("slt.summary", "", "write the corpus report (counts, skip reasons, commonest failures) to this file")
	pgURL   = flag.String("slt.pg", "", "PostgreSQL server URL: also run the project's scripts and the corpus there, to check expected values")
	only    = flag.String("slt.file", "", "run only the corpus files whose name contains this")
	big     = flag.Bool("slt.corpus", false, "also run the big select1..5 files of the corpus (minutes)")
)

// moduleRoot is the folder of go.mod above the test's working directory.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// corpusFiles lists SQLite's corpus, which sits beside the project in ../shared. It is part of
// every checkout the tests run in, so a missing folder is a failure, not a skip.
func corpusFiles(t *testing.T) (dir string, files []string) {
	dir = filepath.Join(moduleRoot(t), "..", "shared", "testdata", "slt", "sqlite")
	for _, pattern := range []string{"select*.test", "evidence/*.test"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatalf("no sqllogictest corpus in %s (it comes with ../shared)", dir)
	}
	sort.Strings(files)
	var out []string
	for _, f := range files {
		if strings.Contains(filepath.Base(f), *only) {
			out = append(out, f)
		}
	}
	return dir, out
}

func engineDB(ctx context.Context) (DB, error) { return TempEngine(ctx, 1) }

func pgDB(ctx context.Context) (DB, error) { return OpenPostgres(ctx, *pgURL) }

// corpusName is a corpus file's name relative to the corpus folder ("evidence/in1.test").
func corpusName(dir, path string) string {
	rel, _ := filepath.Rel(dir, path)
	return filepath.ToSlash(rel)
}

// TestCorpus runs SQLite's corpus on Quarry. Much of it needs statements that are still being
// built, so it reports counts rather than demanding a pass, and fails only when a file passes
// fewer records than testdata/corpus.floor records (rewrite it with -rewrite when more pass).
// Records PostgreSQL 15 fails too (testdata/pg15-failures.txt) are counted apart.
//
// The select1..5 files take minutes (select5 joins up to 64 tables in one FROM), so they run only with
// -slt.corpus (as `make slt` does); evidence/ runs always.
func TestCorpus(t *testing.T) {
	dir, files := corpusFiles(t)
	pgFails := readPGFailures(t)
	floor := readFloor(t)
	var mu sync.Mutex
	reports := map[string]*Report{}
	t.Run("files", func(t *testing.T) {
		for _, path := range files {
			name := corpusName(dir, path)
			if !*big && strings.HasPrefix(name, "select") {
				continue
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				rep, err := RunFile(t.Context(), path, engineDB, Options{})
				if err != nil {
					t.Fatal(err)
				}
				rep.File = name
				mu.Lock()
				reports[name] = rep
				mu.Unlock()
				t.Log(summaryLine(rep, pgFails))
				if want, ok := floor[name]; ok && rep.Passed < want && !*rewrite {
					t.Errorf("%d records pass, %d did before (testdata/corpus.floor): a regression?\n%s", rep.Passed, want, rep.Failures(20))
				}
			})
		}
	})
	if *rewrite && !t.Failed() {
		writeFloor(t, reports, floor)
	}
	if *summary != "" {
		writeSummary(t, *summary, reports, pgFails)
	}
}

// TestCorpusOnPostgres runs the corpus on a real PostgreSQL (-slt.pg URL): it checks the runner
// itself, which must pass every record PostgreSQL passes, and keeps the list of records
// PostgreSQL 15 fails (SQLite-only SQL not marked onlyif sqlite) in testdata/pg15-failures.txt.
func TestCorpusOnPostgres(t *testing.T) {
	if *pgURL == "" {
		t.Skip("needs -slt.pg URL of a PostgreSQL server")
	}
	dir, files := corpusFiles(t)
	want := readPGFailures(t)
	got := map[string]bool{}
	for _, path := range files {
		name := corpusName(dir, path)
		rep, err := RunFile(t.Context(), path, pgDB, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep.File = name
		t.Log(rep.Summary())
		for _, o := range rep.Outcomes {
			if o.Status != Failed {
				continue
			}
			key := fmt.Sprintf("%s:%d", name, o.Record.Line)
			got[key] = true
			if !want[key] && !*rewrite {
				t.Errorf("%s: PostgreSQL fails a record it passed before: %s", key, o.Message)
			}
		}
		for key := range want {
			if strings.HasPrefix(key, name+":") && !got[key] && !*rewrite {
				t.Errorf("%s: PostgreSQL passes a record listed in testdata/pg15-failures.txt", key)
			}
		}
	}
	if *rewrite && *only == "" {
		keys := make([]string, 0, len(got))
		for k := range got {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return lessKey(keys[i], keys[j]) })
		text := "# Corpus records PostgreSQL 15 fails (SQLite-only SQL the script does not mark onlyif sqlite).\n" +
			"# Written by: go test ./internal/sqllogictest -run TestCorpusOnPostgres -slt.pg URL -rewrite\n" +
			strings.Join(keys, "\n") + "\n"
		if err := os.WriteFile("testdata/pg15-failures.txt", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lessKey orders "file:line" keys by file, then by line number.
func lessKey(a, b string) bool {
	fa, la, _ := strings.Cut(a, ":")
	fb, lb, _ := strings.Cut(b, ":")
	if fa != fb {
		return fa < fb
	}
	na, _ := strconv.Atoi(la)
	nb, _ := strconv.Atoi(lb)
	return na < nb
}

// summaryLine is a report's summary with the failures PostgreSQL 15 shares counted apart.
func summaryLine(rep *Report, pgFails map[string]bool) string {
	s := rep.Summary()
	if n := sharedFailures(rep, pgFails); n > 0 {
		s += fmt.Sprintf("; %d of the failures fail on PostgreSQL 15 too", n)
	}
	return s
}

func sharedFailures(rep *Report, pgFails map[string]bool) int {
	n := 0
	for _, o := range rep.Outcomes {
		if o.Status == Failed && pgFails[fmt.Sprintf("%s:%d", rep.File, o.Record.Line)] {
			n++
		}
	}
	return n
}

func readPGFailures(t *testing.T) map[string]bool {
	b, err := os.ReadFile("testdata/pg15-failures.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	return out
}

const floorFile = "testdata/corpus.floor"

// readFloor reads the passing counts of testdata/corpus.floor: lines "NAME passed=N ...".
func readFloor(t *testing.T) map[string]int {
	f, err := os.Open(floorFile)
	if os.IsNotExist(err) {
		return map[string]int{}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		v, ok := strings.CutPrefix(fields[1], "passed=")
		if !ok {
			t.Fatalf("%s: bad line %q", floorFile, sc.Text())
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("%s: bad line %q", floorFile, sc.Text())
		}
		out[fields[0]] = n
	}
	return out
}

// writeFloor records today's counts; files not run this time (-short, -slt.file) keep theirs.
func writeFloor(t *testing.T, reports map[string]*Report, old map[string]int) {
	names := map[string]bool{}
	for n := range reports {
		names[n] = true
	}
	for n := range old {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	var b strings.Builder
	b.WriteString("# Records of SQLite's corpus that pass on Quarry, per file: TestCorpus fails when a file\n")
	b.WriteString("# passes fewer. The other counts are for information. Rewrite after a change that makes\n")
	b.WriteString("# more pass: go test ./internal/sqllogictest -run TestCorpus -slt.corpus -rewrite -timeout 60m\n")
	for _, n := range sorted {
		if r, ok := reports[n]; ok {
			fmt.Fprintf(&b, "%s passed=%d failed=%d skipped=%d excluded=%d notrun=%d\n", n, r.Passed, r.Failed, r.Skipped, r.Excluded, r.NotRun)
		} else {
			fmt.Fprintf(&b, "%s passed=%d\n", n, old[n])
		}
	}
	if err := os.WriteFile(floorFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeSummary writes every file's counts, the reason for every kind of skip, and the
// commonest failure messages.
func writeSummary(t *testing.T, path string, reports map[string]*Report, pgFails map[string]bool) {
	names := make([]string, 0, len(reports))
	for n := range reports {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	reasons := map[string]string{}
	failures := map[string]int{}
	var total Report
	for _, n := range names {
		r := reports[n]
		fmt.Fprintln(&b, summaryLine(r, pgFails))
		for _, s := range r.Skips() {
			reasons[s.Kind] = s.Reason
		}
		for _, f := range r.FailureMessages() {
			failures[f.Kind] += f.Count
		}
		total.Passed += r.Passed
		total.Failed += r.Failed
		total.Skipped += r.Skipped
	}
	fmt.Fprintf(&b, "\ntotal: %d passed, %d failed, %d skipped\n", total.Passed, total.Failed, total.Skipped)
	if len(reasons) > 0 {
		b.WriteString("\nskip reasons:\n")
		kinds := make([]string, 0, len(reasons))
		for k := range reasons {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			fmt.Fprintf(&b, "  %s: %s\n", k, reasons[k])
		}
	}
	if len(failures) > 0 {
		b.WriteString("\ncommonest failures:\n")
		msgs := make([]string, 0, len(failures))
		for m := range failures {
			msgs = append(msgs, m)
		}
		sort.Slice(msgs, func(i, j int) bool { return failures[msgs[i]] > failures[msgs[j]] })
		for i, m := range msgs {
			if i == 25 {
				break
			}
			fmt.Fprintf(&b, "  %6d  %s\n", failures[m], m)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
