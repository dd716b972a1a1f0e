package sqllogictest

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseError is a script that cannot be read, with the line where reading stopped.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Parse reads a script. name is used in errors only. Lines made only of spaces separate
// records as empty lines do, as in SQLite's runner.
func Parse(name string, text string) ([]Record, error) {
	lines := splitLines(text)
	var recs []Record
	i := 0
	for i < len(lines) {
		if blank(lines[i]) {
			i++
			continue
		}
		// A block is the run of non-blank lines from i.
		end := i
		for end < len(lines) && !blank(lines[end]) {
			end++
		}
		rec, ok, err := parseBlock(name, lines, i, end)
		if err != nil {
			return nil, err
		}
		if ok {
			recs = append(recs, rec)
		}
		i = end
	}
	return recs, nil
}

// parseBlock reads the record in lines[start:end]; ok is false for a block of comments only.
func parseBlock(name string, lines []string, start, end int) (Record, bool, error) {
	rec := Record{Start: start, End: end, SQLEnd: end}
	fail := func(i int, format string, args ...any) (Record, bool, error) {
		return Record{}, false, &ParseError{File: name, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
	}
	i := start
	for ; i < end; i++ {
		line := lines[i]
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(stripComment(line))
		if len(f) == 0 {
			continue
		}
		if f[0] == "skipif" || f[0] == "onlyif" {
			if len(f) != 2 {
				return fail(i, "%s wants one engine name", f[0])
			}
			rec.Conditions = append(rec.Conditions, Condition{Skip: f[0] == "skipif", Engine: f[1]})
			continue
		}
		break
	}
	if i == end {
		if len(rec.Conditions) > 0 {
			return fail(end-1, "%s with no record after it", rec.Conditions[len(rec.Conditions)-1])
		}
		return rec, false, nil
	}
	rec.Line = i + 1
	f := strings.Fields(stripComment(lines[i]))
	body := i + 1
	switch f[0] {
	case "statement":
		rec.Kind = KindStatement
		if len(f) < 2 {
			return fail(i, "statement wants ok or error")
		}
		switch f[1] {
		case "ok":
			if len(f) > 2 {
				return fail(i, "unexpected %q after statement ok", f[2])
			}
		case "error":
			rec.ExpectError = true
			rec.ErrorPattern = restAfter(lines[i], 2)
		default:
			return fail(i, "statement wants ok or error, not %q", f[1])
		}
		if body == end {
			return fail(i, "statement with no SQL")
		}
		rec.SQL = strings.Join(lines[body:end], "\n")
	case "query":
		rec.Kind = KindQuery
		if len(f) < 2 {
			return fail(i, "query wants its column types")
		}
		if f[1] == "error" {
			rec.ExpectError = true
			rec.ErrorPattern = restAfter(lines[i], 2)
		} else {
			rec.Types = f[1]
			if len(f) > 2 {
				switch f[2] {
				case "nosort":
				case "rowsort":
					rec.Sort = RowSort
				case "valuesort":
					rec.Sort = ValueSort
				default:
					return fail(i, "unknown sort mode %q", f[2])
				}
			}
			if len(f) > 3 {
				rec.Label = f[3]
			}
		}
		sep := body
		for sep < end && lines[sep] != "----" {
			sep++
		}
		if sep == body {
			return fail(i, "query with no SQL")
		}
		rec.SQL = strings.Join(lines[body:sep], "\n")
		rec.SQLEnd = sep
		if sep < end {
			rec.HasResults = true
			rec.Expected = append([]string(nil), lines[sep+1:end]...)
		}
	case "hash-threshold":
		rec.Kind = KindHashThreshold
		if len(f) != 2 {
			return fail(i, "hash-threshold wants a number")
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 {
			return fail(i, "bad hash-threshold %q", f[1])
		}
		rec.Threshold = n
	case "halt":
		rec.Kind = KindHalt
	default:
		return fail(i, "unknown record %q", f[0])
	}
	return rec, true, nil
}

// splitLines splits text into lines without their terminators (\n or \r\n).
func splitLines(text string) []string {
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

func blank(line string) bool { return strings.TrimSpace(line) == "" }

// stripComment drops a trailing "# ..." from a control line ("onlyif sqlite # empty RHS").
func stripComment(line string) string {
	if i := strings.Index(line, "#"); i >= 0 {
		return line[:i]
	}
	return line
}

// restAfter returns what follows the first n fields of line, trimmed: the regular expression
// of `statement error REGEX`, which may contain spaces and '#'.
func restAfter(line string, n int) string {
	s := strings.TrimSpace(line)
	for k := 0; k < n; k++ {
		j := strings.IndexAny(s, " \t")
		if j < 0 {
			return ""
		}
		s = strings.TrimSpace(s[j:])
	}
	return s
}
