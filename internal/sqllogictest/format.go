package sqllogictest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// formatValue prints one value (PostgreSQL's text output, nil for NULL) as SQLite's runner
// prints a value of column type typ.
//
// The reference runner converts rather than checks: an I column shows a real truncated to an
// integer and text that is not a number as 0, as sqlite3_column_int64 does, and an R column
// shows any number with three decimals. Booleans arrive as PostgreSQL's t/f and count as 1/0.
func formatValue(v *string, typ byte) string {
	if v == nil {
		return "NULL"
	}
	s := *v
	switch typ {
	case 'I':
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return s
		}
		switch s {
		case "t":
			return "1"
		case "f":
			return "0"
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) {
			return "0"
		}
		f = math.Trunc(f)
		if f >= math.MaxInt64 || f <= math.MinInt64 {
			return strconv.FormatFloat(f, 'f', 0, 64)
		}
		return strconv.FormatInt(int64(f), 10)
	case 'R':
		switch s {
		case "t":
			s = "1"
		case "f":
			s = "0"
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			f = 0
		}
		return fmt.Sprintf("%.3f", f)
	}
	if s == "" {
		return "(empty)"
	}
	// The reference runner replaces every byte outside printable ASCII with '@', one '@' per
	// byte of a multi-byte character.
	var b []byte
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' {
			if b == nil {
				b = []byte(s)
			}
			b[i] = '@'
		}
	}
	if b != nil {
		return string(b)
	}
	return s
}

// formatRows prints a result's rows by the query's column types and orders the values by its
// sort mode. It returns the values row by row, flattened.
func formatRows(rows [][]*string, types string, mode SortMode) []string {
	n := len(types)
	printed := make([][]string, len(rows))
	for r, row := range rows {
		out := make([]string, n)
		for c := 0; c < n && c < len(row); c++ {
			out[c] = formatValue(row[c], types[c])
		}
		printed[r] = out
	}
	if mode == RowSort {
		slices.SortStableFunc(printed, func(a, b []string) int { return slices.Compare(a, b) })
	}
	vals := make([]string, 0, len(rows)*n)
	for _, r := range printed {
		vals = append(vals, r...)
	}
	if mode == ValueSort {
		slices.Sort(vals)
	}
	return vals
}

// hashValues is the reference runner's hash of a result: MD5 over every value followed by a
// newline, in lower-case hex.
func hashValues(vals []string) string {
	h := md5.New()
	for _, v := range vals {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

var hashLine = regexp.MustCompile(`^(\d+) values hashing to ([0-9a-f]{32})$`)

// resultLines is how a result is written in a script: each value on its own line, or the
// hash line when there are more than threshold values (a threshold of 0 never hashes).
// rowPerLine writes each row on one line with its values separated by spaces instead, the
// more readable form Quarry's own files use.
func resultLines(vals []string, ncols, threshold int, rowPerLine bool) []string {
	if threshold > 0 && len(vals) > threshold {
		return []string{fmt.Sprintf("%d values hashing to %s", len(vals), hashValues(vals))}
	}
	if !rowPerLine || ncols <= 1 {
		return vals
	}
	var out []string
	for i := 0; i+ncols <= len(vals); i += ncols {
		out = append(out, strings.Join(vals[i:i+ncols], " "))
	}
	return out
}

// compareResult checks a query's printed values against the expected lines and returns ""
// when they match or a description of the difference.
func compareResult(expected, vals []string, ncols int) string {
	if len(expected) == 1 {
		if m := hashLine.FindStringSubmatch(expected[0]); m != nil {
			got := fmt.Sprintf("%d values hashing to %s", len(vals), hashValues(vals))
			if got == expected[0] {
				return ""
			}
			return fmt.Sprintf("got %s, want %s%s", got, expected[0], preview(vals, ncols))
		}
	}
	if len(expected) == len(vals) {
		for i := range vals {
			if vals[i] != expected[i] {
				return fmt.Sprintf("value %d (row %d, column %d) is %q, want %q%s", i+1, i/max(ncols, 1)+1, i%max(ncols, 1)+1,
					vals[i], expected[i], preview(vals, ncols))
			}
		}
		return ""
	}
	if ncols > 1 && len(vals) == len(expected)*ncols {
		for r := range expected {
			got := strings.Join(vals[r*ncols:(r+1)*ncols], " ")
			if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(expected[r]), " ") {
				return fmt.Sprintf("row %d is %q, want %q%s", r+1, got, expected[r], preview(vals, ncols))
			}
		}
		return ""
	}
	return fmt.Sprintf("got %d values, want %d%s", len(vals), len(expected), preview(vals, ncols))
}

// preview shows the first rows of a result in a failure message.
func preview(vals []string, ncols int) string {
	if len(vals) == 0 {
		return " (no rows)"
	}
	const maxRows = 5
	lines := resultLines(vals, ncols, 0, true)
	more := ""
	if len(lines) > maxRows {
		more = fmt.Sprintf("\n    ... %d rows in all", len(lines))
		lines = lines[:maxRows]
	}
	return "\n  got:\n    " + strings.Join(lines, "\n    ") + more
}
