package sql

import (
	"errors"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/quarrydb/quarry/sqlerr"
)

// addSeeds adds the inputs of every data-driven case as seeds, so the fuzzers start from
// all the forms the tests know.
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/parse/*.txt")
	files = append(files, "testdata/split.txt")
	for _, path := range files {
		for _, ch := range readDataDriven(f, path) {
			if ch.c != nil {
				f.Add(ch.c.input)
			}
		}
	}
	f.Add("CREATE EXTERNAL TABLE t (a struct<b:array<map<string,decimal(10,2)>>>) PARTITIONED BY (dt string) " +
		"CLUSTERED BY (a) SORTED BY (a DESC) INTO 4 BUCKETS ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\001' " +
		"STORED AS INPUTFORMAT 'x' OUTPUTFORMAT 'y' LOCATION 's3://x/' TBLPROPERTIES ('a'='b');")
}

// checkErr fails unless err is a *sqlerr.Error whose position, if any, is inside src.
func checkErr(t *testing.T, src string, err error) {
	t.Helper()
	var e *sqlerr.Error
	if !errors.As(err, &e) {
		t.Fatalf("%q: error %T %v is not a *sqlerr.Error", src, err, err)
	}
	if e.Code == "" || e.Message == "" {
		t.Fatalf("%q: error without code or message: %#v", src, e)
	}
	if e.Position < 0 || e.Position > utf8.RuneCountInString(src)+1 {
		t.Fatalf("%q: position %d outside the text", src, e.Position)
	}
}

func FuzzSplit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, query string) {
		pieces, err := Split(query)
		if err != nil {
			checkErr(t, query, err)
			return
		}
		if len(pieces) == 0 {
			t.Fatalf("%q: no pieces", query)
		}
		end := 0
		for _, p := range pieces {
			checkPiece(t, query, p)
			if p.Offset < end {
				t.Fatalf("%q: pieces overlap or go back: %+v", query, pieces)
			}
			end = p.Offset + len(p.SQL)
			if p.Empty && len(pieces) > 1 {
				t.Fatalf("%q: an empty piece among others: %+v", query, pieces)
			}
			st, err := Parse(p.SQL)
			if err != nil {
				checkErr(t, p.SQL, err)
				continue
			}
			if st == nil {
				t.Fatalf("%q: nil statement without error", p.SQL)
			}
			_ = Tag(st)
		}
	})
}

func FuzzHiveParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		_ = hiveOwns(src)
		st, err := parseHive(src)
		if err != nil {
			checkErr(t, src, err)
			return
		}
		if !IsHive(st) {
			t.Fatalf("%q: parseHive gave %T", src, st)
		}
		if Tag(st) == "" {
			t.Fatalf("%q: no tag for %T", src, st)
		}
	})
}
