package function

import (
	"regexp"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
)

// codedOr fails the test unless err is nil or has one of the codes.
func codedOr(t *testing.T, what string, err error, codes ...string) {
	t.Helper()
	if err == nil {
		return
	}
	c := sqlerr.Code(err)
	for _, want := range codes {
		if c == want {
			return
		}
	}
	t.Fatalf("%s: %v (code %q)", what, err, c)
}

// FuzzDateFormat checks the MySQL (date_format/date_parse) and PostgreSQL template
// (to_char/to_date/to_timestamp) parsers: no panics, only coded errors, and a timestamp
// formatted with a template that keeps every field reads back to itself.
func FuzzDateFormat(f *testing.F) {
	for _, c := range [][2]string{{"%Y-%m-%d %H:%i:%s.%f", "2021-03-04 05:06:07.5"}, {"%d/%b/%Y:%h:%i %p", "04/Mar/2021:05:06 PM"},
		{"%Y-%j", "2021-063"}, {"%%%", "%"}, {"YYYY-MM-DD HH24:MI:SS.US", "2021-03-04 15:04:05.5"}, {"FMDay, DDth Month YYYY", "Thursday, 4th March 2021"},
		{`"lit"YYYY\M`, "lit2021M"}, {"Y,YYY J", "2,021 2459278"}, {"9,999.99PR", "x"}} {
		f.Add(c[0], c[1], int64(1614834367089000))
	}
	f.Fuzz(func(t *testing.T, format, input string, us int64) {
		if len(format) > 200 || len(input) > 200 {
			return
		}
		us = minTimestampUs + floorMod(us, maxTimestampUs-minTimestampUs)
		if toks, err := compileMySQLFormat(format); err == nil {
			out := appendMySQLFormat(nil, toks, us)
			_, err := parseMySQL(string(out), toks)
			codedOr(t, "date_parse(date_format)", err, sqlerr.InvalidDatetimeFormat, sqlerr.DatetimeFieldOverflow)
			_, err = parseMySQL(input, toks)
			codedOr(t, "date_parse", err, sqlerr.InvalidDatetimeFormat, sqlerr.DatetimeFieldOverflow)
		} else {
			codedOr(t, "compileMySQLFormat", err, sqlerr.InvalidParameterValue)
		}
		toks, err := compilePGTemplate(format)
		if err != nil {
			t.Fatalf("compilePGTemplate(%q): %v", format, err)
		}
		out := appendPGFormat(nil, toks, us, 3600, "CET")
		_, err = parsePG(string(out), toks)
		codedOr(t, "to_timestamp(to_char)", err, sqlerr.InvalidDatetimeFormat, sqlerr.DatetimeFieldOverflow, sqlerr.FeatureNotSupported)
		_, err = parsePG(input, toks)
		codedOr(t, "to_timestamp", err, sqlerr.InvalidDatetimeFormat, sqlerr.DatetimeFieldOverflow, sqlerr.FeatureNotSupported)
		if nt, err := compileNumTemplate(format); err == nil {
			appendNumFormat(nil, nt, "1234.5", true)
		}
		// A full template round-trips exactly.
		full, _ := compilePGTemplate("YYYY-MM-DD HH24:MI:SS.US")
		if us >= 0 && us < 253402300800000000 { // years 1970..9999 print in four digits
			back, err := parsePG(string(appendPGFormat(nil, full, us, 0, "UTC")), full)
			if err != nil || back != us {
				t.Fatalf("round trip of %d: %d, %v", us, back, err)
			}
			mt, _ := compileMySQLFormat("%Y-%m-%d %H:%i:%s.%f")
			back, err = parseMySQL(string(appendMySQLFormat(nil, mt, us)), mt)
			if err != nil || back != us {
				t.Fatalf("MySQL round trip of %d: %d, %v", us, back, err)
			}
		}
	})
}

// FuzzJSONPath checks the JSONPath parser and the JSON scanner: no panics, coded errors,
// and on valid documents every value found is itself valid JSON.
func FuzzJSONPath(f *testing.F) {
	for _, c := range [][2]string{{"$.a.b[1]", `{"a": {"b": [1, {"c": 2}]}}`}, {`$['k.y']["z"]`, `{"k.y": {"z": "\u00e9"}}`},
		{"$[0][1]", `[[1, 2], 3]`}, {`$."q\"x"`, `{"q\"x": null}`}, {"$.", "{}"}, {"$[", "["}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, path, doc string) {
		steps, err := parseJSONPath(path)
		if err != nil {
			codedOr(t, "parseJSONPath", err, sqlerr.InvalidParameterValue)
			return
		}
		b := []byte(doc)
		if !jsonValid(b) {
			return
		}
		if s, e, ok := jsonFollow(b, steps); ok {
			if !jsonValid(b[s:e]) {
				t.Fatalf("%q in %q found invalid %q", path, doc, b[s:e])
			}
			if c := appendJSONCompact(nil, b[s:e]); !jsonValid(c) {
				t.Fatalf("compact form %q invalid", c)
			}
			jsonScalarText(nil, b[s:e])
		}
		jsonElement(b, jsonWS(b, 0), -1)
	})
}

// FuzzRegex checks the dialect translation and the replacement parsers: translated
// patterns either compile or fail with 2201B, never panic, and replacement never panics.
func FuzzRegex(f *testing.F) {
	for _, c := range [][3]string{{`\p{Alpha}+(\d)`, "$1x${1}", "ab12"}, {`\yfoo\M`, `\1\&\\`, "foo bar"}, {`[]a\p{Digit}]`, `\$`, "]9"},
		{`(`, "", ""}, {`(?P<n>x)`, "${n}", "x"}, {`[[:alpha:]\d]`, "$", ""}} {
		f.Add(c[0], c[1], c[2])
	}
	f.Fuzz(func(t *testing.T, pat, repl, s string) {
		for _, d := range []reDialect{reTrino, rePG} {
			re, err := compileRegex([]byte(pat), reOpts{dialect: d})
			if err != nil {
				codedOr(t, "compileRegex", err, sqlerr.InvalidRegularExpression)
				continue
			}
			for _, m := range re.FindAllSubmatchIndex([]byte(s), 3) {
				if toks, err := parseJavaReplacement(repl, re); err == nil {
					appendReplacement(nil, toks, []byte(s), m)
				} else {
					codedOr(t, "parseJavaReplacement", err, sqlerr.InvalidParameterValue)
				}
				appendReplacement(nil, parsePGReplacement(repl), []byte(s), m)
			}
		}
		// A pattern without escapes or classes is passed through unchanged.
		if !strings.ContainsAny(pat, `\[`) {
			if got, _ := translateRegex(pat, rePG); got != pat {
				t.Fatalf("translateRegex(%q) = %q", pat, got)
			}
			if _, err := regexp.Compile(pat); err == nil {
				if _, err := compileRegex([]byte(pat), reOpts{}); err != nil {
					t.Fatalf("%q compiles in Go but not here: %v", pat, err)
				}
			}
		}
	})
}
