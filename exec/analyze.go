package exec

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/planner"
)

// EXPLAIN ANALYZE: when Env.Analyze is set, Build wraps every operator it makes for a plan
// node in an analyzeOp that counts the batches and rows the operator returns, the time spent
// inside its Open, Next and Close calls, and (for scans) the bytes its reads fetched from the
// object store. A node whose pipeline runs once per worker gets one analyzeOp per copy, each
// with counters of its own; Analysis merges them per node when the query is done. With
// Env.Analyze nil nothing is wrapped, so a plain query pays nothing.
//
// Times are inclusive, as PostgreSQL's "actual time" is: an operator's Next includes the
// time its inputs took to produce the batches it consumed.

// Analysis collects the measurements of one EXPLAIN ANALYZE run. Safe for concurrent use.
type Analysis struct {
	mu  sync.Mutex
	ops map[planner.Node][]*analyzeOp
}

// NewAnalysis returns an empty Analysis, to be set as Env.Analyze before Build.
func NewAnalysis() *Analysis { return &Analysis{ops: map[planner.Node][]*analyzeOp{}} }

// NodeStats are one plan node's figures, merged over every operator that ran it.
type NodeStats struct {
	Copies    int           // operators built for the node (one per worker in a parallel pipeline)
	Opened    int           // copies that were opened
	Rows      int64         // rows returned
	Batches   int64         // non-empty batches returned
	Busy      time.Duration // time inside Open/Next/Close, summed over the copies
	Elapsed   time.Duration // wall time from the first call into any copy to the last return
	Scan      bool          // the node is a scan: the figures below apply
	BytesRead int64         // bytes fetched from the object store (footers included)
	Requests  int64         // ranged reads
	Files     int64         // files listed (and opened for their footers)
	RowGroups int64         // splits (Parquet row groups, text files) in those files
	RowsRead  int64         // rows read from the files, before the scan's filters
}

// Node returns the merged figures of n, or false when no operator was built for it.
func (a *Analysis) Node(n planner.Node) (NodeStats, bool) {
	a.mu.Lock()
	ops := a.ops[n]
	a.mu.Unlock()
	if len(ops) == 0 {
		return NodeStats{}, false
	}
	var st NodeStats
	var first, last int64
	var src *splitSource
	for _, op := range ops {
		st.Copies++
		f := op.first.Load()
		if f == 0 {
			continue
		}
		st.Opened++
		st.Rows += op.rows.Load()
		st.Batches += op.batches.Load()
		st.Busy += time.Duration(op.busy.Load())
		st.BytesRead += op.counter.BytesRead.Load()
		st.Requests += op.counter.Requests.Load()
		if first == 0 || f < first {
			first = f
		}
		last = max(last, op.last.Load())
		if s, ok := op.input.(*scanOp); ok {
			st.Scan = true
			src = s.src
			st.RowsRead += s.read.Load()
		}
	}
	if first != 0 {
		st.Elapsed = time.Duration(last - first)
	}
	if src != nil {
		// The workers share one split source: its counts are the node's, not summed.
		st.Files = src.files.Load()
		st.RowGroups = int64(len(src.splits))
	}
	return st, true
}

// wrap returns op measured as node n's operator. Without an Analysis it returns op as is.
func (a *Analysis) wrap(n planner.Node, op Operator, err error) (Operator, error) {
	if a == nil || err != nil {
		return op, err
	}
	if a.measures(n, op) {
		return op, nil
	}
	w := &analyzeOp{input: op, scan: isScan(n)}
	a.mu.Lock()
	a.ops[n] = append(a.ops[n], w)
	a.mu.Unlock()
	return w, nil
}

// measures reports whether op already measures n: a pipeline built once per worker whose
// copies are each wrapped, returned alone or under the gather that runs them.
func (a *Analysis) measures(n planner.Node, op Operator) bool {
	mine := func(op Operator) bool {
		w, ok := op.(*analyzeOp)
		if !ok {
			return false
		}
		for _, x := range a.ops[n] {
			if x == w {
				return true
			}
		}
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if g, ok := op.(*gatherOp); ok {
		for _, in := range g.inputs {
			if !mine(in) {
				return false
			}
		}
		return len(g.inputs) > 0
	}
	return mine(op)
}

func isScan(n planner.Node) bool {
	_, ok := n.(*planner.Scan)
	return ok
}

// analyzeOp measures one operator. One goroutine calls it at a time, but the merge may read
// its counters from another, hence the atomics.
type analyzeOp struct {
	input   Operator
	scan    bool // count the object store bytes the calls read
	counter objstore.Counter
	rows    atomic.Int64
	batches atomic.Int64
	busy    atomic.Int64 // nanoseconds
	first   atomic.Int64 // unix nanoseconds of the first call; 0 before it
	last    atomic.Int64 // unix nanoseconds of the latest return
	fwdB    int64        // counter values already added to the query's counter
	fwdR    int64
}

func (w *analyzeOp) Schema() *arrow.Schema { return w.input.Schema() }

// enter starts a call. A scan's calls run under a context whose Counter is the operator's
// own, so the bytes its readers fetch are attributed to it (a reader counts into the Counter
// of the context it was opened with, and a scan opens its readers inside its own calls).
func (w *analyzeOp) enter(ctx context.Context) (context.Context, time.Time) {
	now := time.Now()
	w.first.CompareAndSwap(0, now.UnixNano())
	if w.scan {
		ctx = objstore.WithCounter(ctx, &w.counter)
	}
	return ctx, now
}

// leave ends a call begun at start with the outer context ctx: it adds the time, and hands
// the bytes read since the last call on to the query's own counter, which a scan's context
// hid.
func (w *analyzeOp) leave(ctx context.Context, start time.Time) {
	end := time.Now()
	w.busy.Add(int64(end.Sub(start)))
	w.last.Store(end.UnixNano())
	if !w.scan {
		return
	}
	if c := objstore.CounterFrom(ctx); c != nil {
		b, r := w.counter.BytesRead.Load(), w.counter.Requests.Load()
		c.BytesRead.Add(b - w.fwdB)
		c.Requests.Add(r - w.fwdR)
		w.fwdB, w.fwdR = b, r
	}
}

func (w *analyzeOp) Open(ctx context.Context) error {
	inner, start := w.enter(ctx)
	defer w.leave(ctx, start)
	return w.input.Open(inner)
}

func (w *analyzeOp) Next(ctx context.Context) (arrow.Record, error) {
	inner, start := w.enter(ctx)
	defer w.leave(ctx, start)
	rec, err := w.input.Next(inner)
	if err == nil && rec != nil && rec.NumRows() > 0 {
		w.rows.Add(rec.NumRows())
		w.batches.Add(1)
	}
	return rec, err
}

func (w *analyzeOp) Close() error {
	if w.first.Load() == 0 {
		return w.input.Close() // never opened: no call to time
	}
	start := time.Now()
	err := w.input.Close()
	w.busy.Add(int64(time.Since(start)))
	return err
}

// ExplainAnalyze formats a plan as planner.Explain does, one node per line indented as a
// tree, each line followed by what the node did in the run a measured:
//
//	Scan t (actual rows=3, batches=1, workers=2, time=1.2ms, elapsed=0.9ms, files=1, row_groups=1, rows_read=3, bytes_read=1.2kB, requests=2)
func ExplainAnalyze(n planner.Node, a *Analysis) string {
	var b strings.Builder
	var walk func(n planner.Node, depth int)
	walk = func(n planner.Node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(n.String())
		b.WriteString(" (")
		b.WriteString(a.actual(n))
		b.WriteString(")\n")
		for _, c := range n.Inputs() {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	for _, c := range planner.CTEs(n) { // materialized CTEs, as planner.Explain shows them
		b.WriteString("CTE " + c.Name + "\n")
		walk(c.Plan, 1)
	}
	return b.String()
}

// actual is one node's figures as EXPLAIN ANALYZE shows them.
func (a *Analysis) actual(n planner.Node) string {
	st, ok := a.Node(n)
	switch {
	case !ok:
		return "not measured: runs inside its parent's operator"
	case st.Opened == 0:
		return "never executed"
	}
	out := fmt.Sprintf("actual rows=%d, batches=%d", st.Rows, st.Batches)
	if st.Copies > 1 {
		out += fmt.Sprintf(", workers=%d", st.Copies)
	}
	out += fmt.Sprintf(", time=%s, elapsed=%s", FormatDuration(st.Busy), FormatDuration(st.Elapsed))
	if st.Scan {
		out += fmt.Sprintf(", files=%d, row_groups=%d, rows_read=%d, bytes_read=%s, requests=%d",
			st.Files, st.RowGroups, st.RowsRead, FormatBytes(st.BytesRead), st.Requests)
	}
	return out
}

// FormatDuration shows a duration in milliseconds with three decimals, as PostgreSQL's
// EXPLAIN ANALYZE does ("12.345ms").
func FormatDuration(d time.Duration) string {
	return fmt.Sprintf("%.3fms", float64(d)/float64(time.Millisecond))
}

// FormatBytes shows a byte count with a binary unit ("512B", "1.5kB", "3.2MB").
func FormatBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%dB", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1fkB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1fMB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1fGB", float64(n)/(1<<30))
}
