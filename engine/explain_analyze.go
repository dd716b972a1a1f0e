package engine

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/exec"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// EXPLAIN ANALYZE runs the query, throws its rows away, and shows the plan with what each
// node did: rows, batches, time (summed over the workers that ran the node, and the wall time
// from its first call to its last), and for scans the files, row groups, rows and bytes read
// from the object store (exec/analyze.go measures them). The forms accepted are PostgreSQL's
// `EXPLAIN ANALYZE [VERBOSE]` and `EXPLAIN (ANALYZE [bool], VERBOSE [bool], FORMAT TEXT,
// TIMING [bool], SUMMARY [bool], COSTS [bool], BUFFERS [bool])`, which also reads Trino's
// `EXPLAIN ANALYZE VERBOSE`.

// explainOptions are the options of one EXPLAIN.
type explainOptions struct {
	analyze bool
	timing  bool // show times (EXPLAIN ANALYZE only)
	summary bool // the Planning Time / Execution Time lines
}

// parseExplainOptions reads EXPLAIN's options as PostgreSQL's ExplainQuery does.
func parseExplainOptions(text string, ex *pg.ExplainStmt) (explainOptions, error) {
	o := explainOptions{timing: true}
	timingSet, summarySet := false, false
	for _, n := range ex.Options {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		name := strings.ToLower(d.Defname)
		pos := stmtPos(text, d.Location)
		switch name {
		case "analyze", "verbose", "costs", "buffers", "settings", "wal", "timing", "summary":
			v, err := explainBool(name, d.Arg)
			if err != nil {
				return o, err.WithPosition(pos)
			}
			switch name {
			case "analyze":
				o.analyze = v
			case "timing":
				o.timing, timingSet = v, true
			case "summary":
				o.summary, summarySet = v, true
			}
			// VERBOSE adds nothing: Quarry's plan lines already name every column. COSTS,
			// BUFFERS, SETTINGS and WAL ask for figures Quarry has no counterpart of (it
			// has no cost model or buffer pool; bytes read are always shown).
		case "format":
			f := ""
			if d.Arg != nil && d.Arg.GetString_() != nil {
				f = strings.ToLower(d.Arg.GetString_().Sval)
			}
			switch f {
			case "text":
			case "json", "xml", "yaml":
				return o, sqlerr.New(sqlerr.FeatureNotSupported, "EXPLAIN (FORMAT %s) is not supported; use FORMAT TEXT", strings.ToUpper(f)).WithPosition(pos)
			default:
				return o, sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized value for EXPLAIN option \"format\": %q", f).WithPosition(pos)
			}
		default:
			return o, sqlerr.New(sqlerr.SyntaxError, "unrecognized EXPLAIN option %q", d.Defname).WithPosition(pos)
		}
	}
	if timingSet && o.timing && !o.analyze {
		return o, sqlerr.New(sqlerr.InvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE")
	}
	if !summarySet {
		o.summary = o.analyze
	}
	return o, nil
}

// explainBool reads a boolean option's argument as PostgreSQL's defGetBoolean does: none is
// true; 0/1, true/false, on/off (any case) are booleans.
func explainBool(name string, arg *pg.Node) (bool, *sqlerr.Error) {
	if arg == nil {
		return true, nil
	}
	if i := arg.GetInteger(); i != nil {
		switch i.Ival {
		case 0:
			return false, nil
		case 1:
			return true, nil
		}
	}
	if s := arg.GetString_(); s != nil {
		switch strings.ToLower(s.Sval) {
		case "true", "on":
			return true, nil
		case "false", "off":
			return false, nil
		}
	}
	return false, sqlerr.New(sqlerr.SyntaxError, "%s requires a Boolean value", name)
}

// explainAnalyzed runs an EXPLAIN ANALYZE of a SELECT: plan, run to the end with every
// operator measured, then show the plan with the figures.
func (s *Session) explainAnalyzed(ctx context.Context, text string, sel *pg.SelectStmt, o explainOptions) (*Result, error) {
	fctx := s.functionContext()
	return s.runExplainAnalyze(ctx, fctx, func(ctx context.Context) (planner.Node, error) {
		return s.plan(ctx, text, sel, fctx)
	}, o)
}

// runExplainAnalyze is EXPLAIN ANALYZE of the query plan makes (bound with or without
// parameter values).
func (s *Session) runExplainAnalyze(ctx context.Context, fctx *function.Context, plan func(context.Context) (planner.Node, error), o explainOptions) (*Result, error) {
	planStart := time.Now()
	node, err := plan(ctx)
	if err != nil {
		return nil, err
	}
	planTime := time.Since(planStart)

	execStart := time.Now()
	env := s.env(fctx)
	env.Stats = &exec.Stats{}
	env.Analyze = exec.NewAnalysis()
	op, err := exec.Build(node, env)
	if err != nil {
		return nil, err
	}
	counter := &objstore.Counter{}
	runCtx, cancel := context.WithCancel(objstore.WithCounter(context.WithoutCancel(ctx), counter))
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	rows, err := drainAll(runCtx, op)
	if cerr := op.Close(); err == nil {
		err = cerr
	}
	if ctx.Err() != nil {
		return nil, canceled(ctx)
	}
	if err != nil {
		return nil, err
	}
	execTime := time.Since(execStart)

	out := exec.ExplainAnalyze(node, env.Analyze)
	if !o.timing {
		out = stripTimes(out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if o.summary {
		lines = append(lines,
			fmt.Sprintf("Rows: %d, files: %d, row groups: %d, bytes read: %s (%d requests)", rows,
				env.Stats.Files, env.Stats.Splits, exec.FormatBytes(counter.BytesRead.Load()), counter.Requests.Load()),
			"Planning Time: "+exec.FormatDuration(planTime),
			"Execution Time: "+exec.FormatDuration(execTime))
	}
	res := make([][]*string, len(lines))
	for i, l := range lines {
		res[i] = []*string{strp(l)}
	}
	r := textResult([]string{"QUERY PLAN"}, res)
	r.Tag = "EXPLAIN"
	return r, nil
}

// drainAll opens op and reads every batch, releasing it, and returns the rows read.
func drainAll(ctx context.Context, op exec.Operator) (int64, error) {
	if err := op.Open(ctx); err != nil {
		return 0, err
	}
	var n int64
	for {
		rec, err := op.Next(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n += rec.NumRows()
		rec.Release()
	}
}

// stripTimes removes the time= and elapsed= figures of EXPLAIN (ANALYZE, TIMING false).
func stripTimes(out string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		for _, key := range []string{", time=", ", elapsed="} {
			if i := strings.Index(line, key); i >= 0 {
				j := i + len(key)
				for j < len(line) && line[j] != ',' && line[j] != ')' {
					j++
				}
				line = line[:i] + line[j:]
			}
		}
		b.WriteString(line)
	}
	return b.String()
}
