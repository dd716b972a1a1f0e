package engine

import (
	"strings"
	"testing"
)

// TestParseCopyRows reads COPY's text and CSV formats as PostgreSQL's COPY FROM does.
func TestParseCopyRows(t *testing.T) {
	text := &CopyOut{Delimiter: '\t', Null: `\N`}
	csv := &CopyOut{CSV: true, Delimiter: ',', Quote: '"', Escape: '"'}
	csvHeader := &CopyOut{CSV: true, Delimiter: ',', Quote: '"', Escape: '"', Header: true}
	csvBackslash := &CopyOut{CSV: true, Delimiter: ';', Quote: '"', Escape: '\\', Null: "NULL"}
	for _, tc := range []struct {
		name  string
		o     *CopyOut
		cols  int
		in    string
		want  string // rows joined by "/", fields by "|", NULL as <null>
		error string
	}{
		{name: "text", o: text, cols: 2, in: "1\ta\n2\t\\N\n", want: "1|a/2|<null>"},
		{name: "text escapes", o: text, cols: 1, in: `a\tb\\c\nd\x41\101\q` + "\n", want: "a\tb\\c\ndAAq"},
		{name: "text escaped delimiter", o: text, cols: 1, in: "a\\\tb\n", want: "a\tb"},
		{name: "text CRLF and end marker", o: text, cols: 1, in: "x\r\n\\.\nignored\n", want: "x"},
		{name: "text empty line is an empty string", o: text, cols: 1, in: "\n", want: ""},
		{name: "text no final newline", o: text, cols: 2, in: "1\ta", want: "1|a"},
		{name: "text too few", o: text, cols: 2, in: "1\n", error: `missing data for column "c2"`},
		{name: "text too many", o: text, cols: 1, in: "1\t2\n", error: "extra data after last expected column"},
		{name: "csv", o: csv, cols: 3, in: "1,\"a,b\",\"say \"\"hi\"\"\"\n", want: `1|a,b|say "hi"`},
		{name: "csv null and empty", o: csv, cols: 2, in: "1,\n2,\"\"\n", want: "1|<null>/2|"},
		{name: "csv newline in quotes", o: csv, cols: 2, in: "1,\"two\nlines\"\r\n2,x\n", want: "1|two\nlines/2|x"},
		{name: "csv header", o: csvHeader, cols: 1, in: "name\nv\n", want: "v"},
		{name: "csv end marker", o: csv, cols: 1, in: "a\n\\.\nb\n", want: "a"},
		{name: "csv escape and null", o: csvBackslash, cols: 3, in: "\"a\\\"b\";NULL;\"NULL\"\n", want: `a"b|<null>|NULL`},
		{name: "too many rows", o: text, cols: 1, in: strings.Repeat("1\n", maxCopyRows+1), error: "limited to 50000 rows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			names := []string{"c1", "c2", "c3"}[:tc.cols]
			rows, err := parseCopyRows([]byte(tc.in), tc.o, names)
			if tc.error != "" {
				if err == nil || !strings.Contains(err.Error(), tc.error) {
					t.Fatalf("got %v, want error %q", err, tc.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				var fs []string
				for _, f := range r {
					if f == nil {
						fs = append(fs, "<null>")
					} else {
						fs = append(fs, *f)
					}
				}
				out = append(out, strings.Join(fs, "|"))
			}
			if got := strings.Join(out, "/"); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
