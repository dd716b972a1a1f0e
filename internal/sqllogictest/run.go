package sqllogictest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/quarrydb/quarry/sqlerr"
)

// EngineName is the name Quarry answers to in `skipif` and `onlyif`: the dialect it speaks.
const EngineName = "postgresql"

// Status is what became of one record.
type Status int

const (
	// Passed: the statement or query did what the record expects.
	Passed Status = iota
	// Failed: a wrong answer, an unexpected error, or an expected error that did not come.
	Failed
	// Skipped: a statement kind Quarry does not offer, or a read of a table such a
	// statement would have changed. Reason says which.
	Skipped
	// Excluded: the script itself leaves the record out for this engine (skipif/onlyif).
	Excluded
	// NotRun: the record comes after a halt.
	NotRun
)

func (s Status) String() string {
	return [...]string{"passed", "failed", "skipped", "excluded", "not run"}[s]
}

// Outcome is the result of one statement or query record.
type Outcome struct {
	Record *Record
	Status Status
	// Kind and Reason explain a skip (Kind is the statement kind, Reason why Quarry does not
	// offer it) or an exclusion (Kind is the condition, "onlyif sqlite"); Detail adds what is
	// particular to this record.
	Kind, Reason, Detail string
	// Message says what went wrong in a failure.
	Message string
	// Values are a query's printed values in compared order, and Columns its column count,
	// when it ran without error: what completion writes back.
	Values  []string
	Columns int
	// Threshold is the hash-threshold in force for the record.
	Threshold int
	// Elapsed is how long the record ran.
	Elapsed time.Duration
}

// Options tune a run.
type Options struct {
	// Engine is the name skipif/onlyif compare with (default EngineName).
	Engine string
	// Timeout bounds each record (default one minute). A record the DB does not stop within
	// a grace period after its timeout fails, and the rest of the script is not run, since the
	// DB is still busy with it.
	Timeout time.Duration
	// Trace, when set, is called before each statement or query runs: for finding the record
	// a run is stuck on.
	Trace func(rec *Record)
}

// Report is the result of one script.
type Report struct {
	File                                      string
	Outcomes                                  []Outcome
	Passed, Failed, Skipped, Excluded, NotRun int
	// HaltLine is the line of the halt that stopped the script, or 0.
	HaltLine int
	// Abandoned is the line of a record that did not stop after its timeout, after which
	// nothing more was run; 0 if none.
	Abandoned int
	Elapsed   time.Duration
}

// Run runs the records of one script on db, which must start empty.
func Run(ctx context.Context, db DB, file string, recs []Record, opt Options) *Report {
	if opt.Engine == "" {
		opt.Engine = EngineName
	}
	if opt.Timeout <= 0 {
		opt.Timeout = time.Minute
	}
	start := time.Now()
	rep := &Report{File: file}
	var skip skipper
	threshold := 0
	labels := map[string]labelSeen{}
	for i := range recs {
		rec := &recs[i]
		if rec.Kind == KindHashThreshold {
			threshold = rec.Threshold
			continue
		}
		if rep.HaltLine > 0 {
			if rec.Kind != KindHalt {
				rep.add(Outcome{Record: rec, Status: NotRun})
			}
			continue
		}
		if cond, out := excluded(rec, opt.Engine); out {
			if rec.Kind != KindHalt {
				rep.add(Outcome{Record: rec, Status: Excluded, Kind: cond.String()})
			}
			continue
		}
		if rec.Kind == KindHalt {
			rep.HaltLine = rec.Line
			continue
		}
		if kind, reason, detail := skip.skip(rec); kind != "" {
			rep.add(Outcome{Record: rec, Status: Skipped, Kind: kind, Reason: reason, Detail: detail})
			continue
		}
		if opt.Trace != nil {
			opt.Trace(rec)
		}
		began := time.Now()
		o, stuck := runRecord(ctx, db, rec, opt.Timeout)
		o.Threshold, o.Elapsed = threshold, time.Since(began)
		if stuck {
			rep.add(o)
			rep.Abandoned = rec.Line
			for j := i + 1; j < len(recs); j++ {
				if k := recs[j].Kind; k == KindStatement || k == KindQuery {
					rep.add(Outcome{Record: &recs[j], Status: NotRun})
				}
			}
			break
		}
		if o.Status == Passed && rec.Label != "" {
			h := hashValues(o.Values)
			if prev, ok := labels[rec.Label]; !ok {
				labels[rec.Label] = labelSeen{hash: h, line: rec.Line}
			} else if prev.hash != h {
				o.Status = Failed
				o.Message = fmt.Sprintf("result differs from the query of line %d with the same label %s", prev.line, rec.Label)
			}
		}
		rep.add(o)
	}
	rep.Elapsed = time.Since(start)
	return rep
}

type labelSeen struct {
	hash string
	line int
}

// excluded applies a record's conditions: skipif ENGINE leaves it out on ENGINE, onlyif
// ENGINE leaves it out everywhere else.
func excluded(rec *Record, engine string) (Condition, bool) {
	for _, c := range rec.Conditions {
		if c.Skip == strings.EqualFold(c.Engine, engine) {
			return c, true
		}
	}
	return Condition{}, false
}

func (r *Report) add(o Outcome) {
	switch o.Status {
	case Passed:
		r.Passed++
	case Failed:
		r.Failed++
	case Skipped:
		r.Skipped++
	case Excluded:
		r.Excluded++
	case NotRun:
		r.NotRun++
	}
	r.Outcomes = append(r.Outcomes, o)
}

// stopGrace is how long a record may run past its timeout before the runner gives up on it.
const stopGrace = 10 * time.Second

// runRecord runs a statement or query record. stuck is set when the DB did not return within
// stopGrace after the timeout: it is still running the record, so the script cannot go on.
func runRecord(ctx context.Context, db DB, rec *Record, timeout time.Duration) (o Outcome, stuck bool) {
	o = Outcome{Record: rec}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type answer struct {
		res *Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		res, err := db.Exec(ctx, rec.SQL)
		done <- answer{res, err}
	}()
	var res *Result
	var err error
	select {
	case a := <-done:
		res, err = a.res, a.err
	case <-time.After(timeout + stopGrace):
		o.Status, o.Message = Failed, fmt.Sprintf("did not finish in %s, nor stop %s after being cancelled; the rest of the script is not run", timeout, stopGrace)
		return o, true
	}
	if ctx.Err() != nil && err != nil {
		o.Status, o.Message = Failed, fmt.Sprintf("did not finish in %s: %v", timeout, err)
		return o, false
	}
	if rec.ExpectError {
		if err == nil {
			o.Status, o.Message = Failed, "succeeded, want an error"
			return o, false
		}
		if rec.ErrorPattern != "" {
			re, rerr := regexp.Compile(rec.ErrorPattern)
			if rerr != nil {
				o.Status, o.Message = Failed, fmt.Sprintf("bad error pattern: %v", rerr)
				return o, false
			}
			if text := errorText(err); !re.MatchString(text) {
				o.Status, o.Message = Failed, fmt.Sprintf("error %q does not match %q", text, rec.ErrorPattern)
				return o, false
			}
		}
		o.Status = Passed
		return o, false
	}
	if err != nil {
		o.Status, o.Message = Failed, "error: "+errorText(err)
		return o, false
	}
	if rec.Kind == KindStatement {
		o.Status = Passed
		return o, false
	}
	if res.Columns == nil {
		o.Status, o.Message = Failed, "returned no rows, want a result"
		return o, false
	}
	if len(res.Columns) != len(rec.Types) {
		o.Status, o.Message = Failed, fmt.Sprintf("returned %d columns, want %d (%s)", len(res.Columns), len(rec.Types), rec.Types)
		return o, false
	}
	o.Columns = len(rec.Types)
	o.Values = formatRows(res.Rows, rec.Types, rec.Sort)
	if msg := compareResult(rec.Expected, o.Values, o.Columns); msg != "" {
		o.Status, o.Message = Failed, msg
		return o, false
	}
	o.Status = Passed
	return o, false
}

// errorText is an error as patterns see it: "SQLSTATE message".
func errorText(err error) string {
	e := sqlerr.From(err)
	return e.Code + " " + e.Message
}

// RunFile reads and runs one script on a DB from open, closed afterwards.
func RunFile(ctx context.Context, path string, open func(context.Context) (DB, error), opt Options) (*Report, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	recs, err := Parse(path, string(text))
	if err != nil {
		return nil, err
	}
	db, err := open(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return Run(ctx, db, filepath.Base(path), recs, opt), nil
}

// SkipCount is how many records were skipped for one statement kind.
type SkipCount struct {
	Kind, Reason string
	Count        int
}

// Skips groups the skipped records by kind, most frequent first.
func (r *Report) Skips() []SkipCount {
	return r.group(Skipped)
}

// Exclusions groups the excluded records by condition.
func (r *Report) Exclusions() []SkipCount {
	return r.group(Excluded)
}

func (r *Report) group(s Status) []SkipCount {
	idx := map[string]int{}
	var out []SkipCount
	for _, o := range r.Outcomes {
		if o.Status != s {
			continue
		}
		i, ok := idx[o.Kind]
		if !ok {
			i = len(out)
			idx[o.Kind] = i
			out = append(out, SkipCount{Kind: o.Kind, Reason: o.Reason})
		}
		out[i].Count++
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Count > out[b].Count })
	return out
}

// Summary is one line: "name: N passed, M failed, K skipped (kind n, ...), ...".
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d passed, %d failed, %d skipped", r.File, r.Passed, r.Failed, r.Skipped)
	if sk := r.Skips(); len(sk) > 0 {
		parts := make([]string, len(sk))
		for i, s := range sk {
			parts[i] = fmt.Sprintf("%s %d", s.Kind, s.Count)
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	if r.Excluded > 0 {
		parts := []string{}
		for _, s := range r.Exclusions() {
			parts = append(parts, fmt.Sprintf("%s %d", s.Kind, s.Count))
		}
		fmt.Fprintf(&b, ", %d excluded by the script (%s)", r.Excluded, strings.Join(parts, ", "))
	}
	if r.HaltLine > 0 {
		fmt.Fprintf(&b, ", halted at line %d (%d records not run)", r.HaltLine, r.NotRun)
	}
	if r.Abandoned > 0 {
		fmt.Fprintf(&b, ", abandoned at line %d, which did not stop (%d records not run)", r.Abandoned, r.NotRun)
	}
	return b.String()
}

// Failures describes up to max failed records (all when max <= 0), each with its line, SQL
// and what went wrong.
func (r *Report) Failures(max int) string {
	var b strings.Builder
	n := 0
	for _, o := range r.Outcomes {
		if o.Status != Failed {
			continue
		}
		if max > 0 && n == max {
			fmt.Fprintf(&b, "... and %d more failures\n", r.Failed-n)
			break
		}
		n++
		fmt.Fprintf(&b, "%s:%d: %s\n  %s\n", r.File, o.Record.Line, o.Message, strings.ReplaceAll(o.Record.SQL, "\n", "\n  "))
	}
	return b.String()
}

// FailureMessages counts the failures by the first line of their message with numbers and
// quoted names blurred, most frequent first: what stands between the engine and the script.
func (r *Report) FailureMessages() []SkipCount {
	idx := map[string]int{}
	var out []SkipCount
	for _, o := range r.Outcomes {
		if o.Status != Failed {
			continue
		}
		msg, _, _ := strings.Cut(o.Message, "\n")
		msg = blur.ReplaceAllString(msg, "…")
		i, ok := idx[msg]
		if !ok {
			i = len(out)
			idx[msg] = i
			out = append(out, SkipCount{Kind: msg})
		}
		out[i].Count++
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Count > out[b].Count })
	return out
}

var blur = regexp.MustCompile(`"[^"]*"|\b\d+\b`)
