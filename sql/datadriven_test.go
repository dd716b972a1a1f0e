package sql

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output in testdata files")

// A data-driven test file is a list of cases:
//
//	# a comment
//	directive
//	input line(s)
//	----
//	expected output line(s)
//	(blank line)
//
// The input is everything between the directive and "----", without the final newline;
// the output ends at a blank line. With -rewrite the file is written back with the actual
// outputs, so expectations are reviewed as a diff rather than typed by hand.
type ddCase struct {
	directive string
	input     string
	expected  string
	line      int
}

// ddChunk is a piece of a file: either comment/blank text kept verbatim or a case.
type ddChunk struct {
	text string
	c    *ddCase
}

func readDataDriven(t testing.TB, path string) []ddChunk {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	var chunks []ddChunk
	for i := 0; i < len(lines); {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			chunks = append(chunks, ddChunk{text: l})
			i++
			continue
		}
		c := &ddCase{directive: strings.TrimSpace(l), line: i + 1}
		i++
		var in []string
		for i < len(lines) && lines[i] != "----" {
			in = append(in, lines[i])
			i++
		}
		if i == len(lines) {
			t.Fatalf("%s:%d: case without ----", path, c.line)
		}
		i++ // ----
		var out []string
		for i < len(lines) && lines[i] != "" {
			out = append(out, lines[i])
			i++
		}
		c.input = strings.Join(in, "\n")
		c.expected = strings.Join(out, "\n")
		chunks = append(chunks, ddChunk{c: c})
	}
	return chunks
}

// runDataDriven runs every case of the file at path through run and compares (or, with
// -rewrite, records) the output.
func runDataDriven(t *testing.T, path string, run func(t *testing.T, c *ddCase) string) {
	chunks := readDataDriven(t, path)
	var b strings.Builder
	for _, ch := range chunks {
		if ch.c == nil {
			b.WriteString(ch.text + "\n")
			continue
		}
		c := ch.c
		got := strings.TrimRight(run(t, c), "\n")
		if !*rewrite && got != c.expected {
			t.Errorf("%s:%d: %s\n%s\n---- got:\n%s\n---- want:\n%s", path, c.line, c.directive, c.input, got, c.expected)
		}
		b.WriteString(c.directive + "\n" + c.input + "\n----\n" + got + "\n")
	}
	if *rewrite {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
