package sql

import (
	"fmt"
	"strings"
	"testing"
)

// TestSplitData runs testdata/split.txt: each "split" case is a query string; the output
// is the splitter used and one line per piece.
func TestSplitData(t *testing.T) {
	runDataDriven(t, "testdata/split.txt", func(t *testing.T, c *ddCase) string {
		if c.directive != "split" {
			t.Fatalf("line %d: unknown directive %q", c.line, c.directive)
		}
		pieces, err := Split(c.input)
		if err != nil {
			return formatError(c.input, err)
		}
		var b strings.Builder
		if _, ok := splitPG(c.input); ok {
			b.WriteString("splitter: pg\n")
		} else {
			b.WriteString("splitter: hive\n")
		}
		for _, p := range pieces {
			checkPiece(t, c.input, p)
			fmt.Fprintf(&b, "offset=%d empty=%v %q\n", p.Offset, p.Empty, p.SQL)
		}
		return b.String()
	})
}

// checkPiece checks that a piece is the text at its offset, trimmed.
func checkPiece(t *testing.T, query string, p Piece) {
	t.Helper()
	if p.Offset < 0 || p.Offset+len(p.SQL) > len(query) || query[p.Offset:p.Offset+len(p.SQL)] != p.SQL {
		t.Fatalf("piece %q at %d is not the query's text there (query %q)", p.SQL, p.Offset, query)
	}
	if p.SQL != strings.Trim(p.SQL, " \t\n\r\f\v") {
		t.Fatalf("piece %q is not trimmed", p.SQL)
	}
}

// TestSplitThenParse checks that every piece of a mixed script parses with the grammar
// that owns it.
func TestSplitThenParse(t *testing.T) {
	script := "CREATE DATABASE IF NOT EXISTS tpch;\n" +
		"CREATE EXTERNAL TABLE tpch.`region;x` (r_regionkey int, r_name string, r_comment string)\n" +
		"  ROW FORMAT DELIMITED FIELDS TERMINATED BY ';' ESCAPED BY '\\\\'\n" +
		"  STORED AS TEXTFILE LOCATION 's3://b/region/' TBLPROPERTIES ('skip.header.line.count'='1');\n" +
		"-- a comment; with a semicolon\n" +
		"SELECT r_name, ';' AS semi FROM tpch.\"region;x\" WHERE r_comment <> $$;$$;\n" +
		"MSCK REPAIR TABLE tpch.lineitem;\n"
	pieces, err := Split(script)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CreateDatabase", "CreateExternalTable", "PGStmt", "MsckRepair"}
	if len(pieces) != len(want) {
		t.Fatalf("got %d pieces: %+v", len(pieces), pieces)
	}
	for i, p := range pieces {
		checkPiece(t, script, p)
		st, err := Parse(p.SQL)
		if err != nil {
			t.Fatalf("piece %d %q: %v", i, p.SQL, err)
		}
		if got := strings.TrimPrefix(fmt.Sprintf("%T", st), "*sql."); got != want[i] {
			t.Errorf("piece %d: got %s, want %s", i, got, want[i])
		}
	}
}
