package sqllogictest

import (
	"fmt"
	"strings"
)

// Complete rewrites a script with the values its queries returned in rep (a run of the same
// text): the way expected results of Quarry's own scripts are written, from a run on
// PostgreSQL. Everything but the result sections is kept as it was. A query that failed with
// an error, or was not run, keeps its old results; a failed statement is left alone too, and
// the returned list names every record left alone so the author can look at it.
//
// Results are written one row per line, values separated by spaces, or hashed when there are
// more values than the hash-threshold in force.
func Complete(text string, rep *Report) (string, []string) {
	lines := splitLines(text)
	byStart := map[int]*Outcome{}
	var untouched []string
	for i := range rep.Outcomes {
		o := &rep.Outcomes[i]
		switch {
		case o.Record.Kind == KindQuery && !o.Record.ExpectError && o.Values != nil:
			byStart[o.Record.Start] = o
		case o.Status == Failed:
			untouched = append(untouched, fmt.Sprintf("line %d: %s", o.Record.Line, o.Message))
		}
	}
	var b strings.Builder
	for i := 0; i < len(lines); {
		o, ok := byStart[i]
		if !ok {
			b.WriteString(lines[i])
			b.WriteByte('\n')
			i++
			continue
		}
		rec := o.Record
		for _, l := range lines[rec.Start:rec.SQLEnd] {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		b.WriteString("----\n")
		for _, l := range resultLines(o.Values, o.Columns, o.Threshold, true) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		i = rec.End
	}
	return b.String(), untouched
}
