package sql

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/quarrydb/quarry/sqlerr"
)

// TestParseData runs testdata/parse/*.txt: each "parse" case is one statement given to
// Parse; the output names the grammar, the tag and (for Hive statements) the tree, or the
// error with a caret under its position.
func TestParseData(t *testing.T) {
	for _, f := range []string{"hive_create.txt", "hive_other.txt", "pg.txt", "errors.txt"} {
		t.Run(f, func(t *testing.T) {
			runDataDriven(t, "testdata/parse/"+f, func(t *testing.T, c *ddCase) string {
				if c.directive != "parse" {
					t.Fatalf("line %d: unknown directive %q", c.line, c.directive)
				}
				st, err := Parse(c.input)
				return formatParse(c.input, st, err)
			})
		})
	}
}

func formatParse(input string, st Statement, err error) string {
	if err != nil {
		return formatError(input, err)
	}
	switch s := st.(type) {
	case *PGStmt:
		return fmt.Sprintf("pg %s\ntag: %s", strings.TrimPrefix(fmt.Sprintf("%T", s.Node.GetNode()), "*pg_query.Node_"), Tag(st))
	case *EmptyStmt:
		return "empty"
	}
	if !IsHive(st) {
		return fmt.Sprintf("unexpected statement %T", st)
	}
	return fmt.Sprintf("hive %s\ntag: %s\n%s", reflect.TypeOf(st).Elem().Name(), Tag(st), prunedJSON(st))
}

// formatError shows an error as psql would, with the line of the input it points at.
func formatError(input string, err error) string {
	var e *sqlerr.Error
	if !errors.As(err, &e) {
		return fmt.Sprintf("error that is not a *sqlerr.Error: %T %v", err, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "error %s: %s", e.Code, e.Message)
	if e.Position > 0 {
		b.WriteString("\n" + caret(input, e.Position))
	}
	if e.Detail != "" {
		b.WriteString("\ndetail: " + e.Detail)
	}
	if e.Hint != "" {
		b.WriteString("\nhint: " + e.Hint)
	}
	return b.String()
}

// caret returns the line holding the 1-based character position pos and a ^ under it.
func caret(input string, pos int) string {
	runes := []rune(input)
	if pos > len(runes)+1 {
		return fmt.Sprintf("position %d is past the end (%d characters)", pos, len(runes))
	}
	lineStart, lineNo := 0, 1
	for i := 0; i < pos-1; i++ {
		if runes[i] == '\n' {
			lineStart, lineNo = i+1, lineNo+1
		}
	}
	lineEnd := lineStart
	for lineEnd < len(runes) && runes[lineEnd] != '\n' {
		lineEnd++
	}
	prefix := fmt.Sprintf("LINE %d: ", lineNo)
	return fmt.Sprintf("position %d\n%s%s\n%s^", pos, prefix, string(runes[lineStart:lineEnd]),
		strings.Repeat(" ", len(prefix)+pos-1-lineStart))
}

// prunedJSON marshals v without its zero fields, so the expected trees stay short.
func prunedJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	var m any
	if err := json.Unmarshal(data, &m); err != nil {
		return err.Error()
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep array<int> readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(prune(m)); err != nil {
		return err.Error()
	}
	return strings.TrimRight(b.String(), "\n")
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e = prune(e); isZero(e) {
				delete(x, k)
			} else {
				x[k] = e
			}
		}
	case []any:
		for i := range x {
			x[i] = prune(x[i])
		}
	}
	return v
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// TestPGErrorPositions pins that pg_query's cursor position is PostgreSQL's 1-based
// character position, not a byte offset: the tests would break if a pg_query upgrade
// changed that.
func TestPGErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		sql string
		pos int
		msg string
	}{
		{"SELEC 1", 1, `syntax error at or near "SELEC"`},
		{"select * fro t", 10, `syntax error at or near "fro"`},
		{"select 'ééé' fro t", 18, `syntax error at or near "t"`},
		{"select '日本' from t where", 25, "syntax error at end of input"},
		{"select * from   ", 17, "syntax error at end of input"},
	} {
		_, err := Parse(tc.sql)
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: got %v, want a *sqlerr.Error", tc.sql, err)
		}
		if e.Code != sqlerr.SyntaxError || e.Position != tc.pos || e.Message != tc.msg {
			t.Errorf("%q: got %s %q at %d, want 42601 %q at %d", tc.sql, e.Code, e.Message, e.Position, tc.msg, tc.pos)
		}
		if n := utf8.RuneCountInString(tc.sql); e.Position > n+1 {
			t.Errorf("%q: position %d past the end", tc.sql, e.Position)
		}
	}
}

func TestParseEncoding(t *testing.T) {
	for _, s := range []string{"select 'a\x00b'", "select '\xff'"} {
		_, err := Parse(s)
		if sqlerr.Code(err) != "22021" {
			t.Errorf("Parse(%q) = %v, want 22021", s, err)
		}
		if _, err := Split(s); sqlerr.Code(err) != "22021" {
			t.Errorf("Split(%q) = %v, want 22021", s, err)
		}
	}
}

func TestParseMultipleStatements(t *testing.T) {
	_, err := Parse("select 1; select 2")
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Code != sqlerr.SyntaxError || e.Position != 11 {
		t.Fatalf("got %#v", err)
	}
}

func TestRebase(t *testing.T) {
	query := "select 'é'; select * fro t"
	pieces, err := Split(query)
	if err != nil || len(pieces) != 2 {
		t.Fatalf("Split: %v %v", pieces, err)
	}
	_, err = Parse(pieces[1].SQL)
	err = pieces[1].Rebase(query, err)
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Position != 22 {
		t.Fatalf("rebased error %v at %d, want position 22", err, e.Position)
	}
	if got := pieces[1].Rebase(query, errors.New("plain")); got.Error() != "plain" {
		t.Errorf("Rebase changed a plain error: %v", got)
	}
}
