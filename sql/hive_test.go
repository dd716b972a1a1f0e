package sql

import (
	"testing"
)

func TestHiveOwns(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		hive bool
	}{
		{"CREATE EXTERNAL TABLE t (a int) LOCATION 'x'", true},
		{"  /* c */ create   database d", true},
		{"CREATE SCHEMA s", true},
		{"CREATE TABLE t (a int)", false},
		{"CREATE TABLE t (a int) STORED AS PARQUET", true},
		{"CREATE TABLE t (a int) ROW FORMAT DELIMITED", true},
		{"CREATE TABLE t (a int) PARTITION BY RANGE (a)", false},
		{"CREATE TABLE t (a int) PARTITIONED BY (b int)", true},
		{"CREATE TABLE IF NOT EXISTS comment (a int)", false},
		{"CREATE TABLE db.location (a int)", false},
		{"CREATE TABLE t (comment text)", false},
		{"CREATE TABLE t (a int CHECK (a < 1))", false},
		{"CREATE TABLE t (a map<string,int>)", true},
		{"CREATE TABLE t AS SELECT 1 AS location", false},
		{"CREATE TABLE t WITH (format='ORC') AS SELECT `x` FROM y", false},
		{"CREATE TEMP TABLE t (a int)", false},
		{"CREATE VIEW v AS SELECT 1", false},
		{"DROP TABLE t", true},
		{"DROP SCHEMA s", true},
		{"DROP VIEW v", false},
		{"SHOW TABLES", true},
		{"SHOW CREATE TABLE t", true},
		{"SHOW server_version", false},
		{"SHOW ALL", false},
		{"DESCRIBE t", true},
		{"desc t", true},
		{"MSCK REPAIR TABLE t", true},
		{"ALTER TABLE t ADD PARTITION (a='1')", true},
		{"ALTER TABLE `db`.t ADD IF NOT EXISTS PARTITION (a='1')", true},
		{"ALTER TABLE db.t DROP IF EXISTS PARTITION (a='1')", true},
		{"ALTER TABLE t ADD partition int", false},
		{"ALTER TABLE t ADD COLUMN a int", false},
		{"ALTER TABLE t RENAME TO u", false},
		{"SELECT 1", false},
		{"", false},
		{"CREATE EXTERNAL TABLE 'unterminated", true},
	} {
		if got := hiveOwns(tc.sql); got != tc.hive {
			t.Errorf("hiveOwns(%q) = %v, want %v", tc.sql, got, tc.hive)
		}
	}
}

func TestHiveLex(t *testing.T) {
	toks, err := hiveLex("CREATE `a``b`.\"c\" (x array<int>) -- c\n LOCATION 'it''s\\'' /* x /* y */ */ 1.5e3;")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind tokKind
		text string
		val  string
	}{
		{tkWord, "CREATE", ""}, {tkQuoted, "`a``b`", "a``b"}, {tkPunct, ".", ""}, {tkQuoted, `"c"`, "c"},
		{tkPunct, "(", ""}, {tkWord, "x", ""}, {tkWord, "array", ""}, {tkPunct, "<", ""}, {tkWord, "int", ""},
		{tkPunct, ">", ""}, {tkPunct, ")", ""}, {tkWord, "LOCATION", ""}, {tkString, `'it''s\''`, "it's'"},
		{tkNumber, "1.5e3", ""}, {tkPunct, ";", ""}, {tkEOF, "", ""},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens %+v", len(toks), toks)
	}
	for i, w := range want {
		if toks[i].kind != w.kind || toks[i].text != w.text || toks[i].val != w.val {
			t.Errorf("token %d: got %+v, want %+v", i, toks[i], w)
		}
	}
}

func TestUnquoteString(t *testing.T) {
	for _, tc := range []struct{ lit, want string }{
		{`'abc'`, "abc"},
		{`'it''s'`, "it's"},
		{`'it\'s'`, "it's"},
		{`"say \"hi\""`, `say "hi"`},
		{`'\t|\n|\r|\b|\0|\Z'`, "\t|\n|\r|\b|\x00|\x1a"},
		{`'\001\177\200'`, "\x01\x7f200"}, // \2 is not octal to Hive: the 2 stands for itself
		{`'\u00e9\u0001'`, "é\x01"},
		{`'\uzzzz'`, "uzzzz"},
		{`'a\%b\_c'`, `a\%b\_c`},
		{`'\\N'`, `\N`},
		{`'\q'`, "q"},
	} {
		got, err := UnquoteString(tc.lit)
		if err != nil || got != tc.want {
			t.Errorf("UnquoteString(%s) = %q, %v; want %q", tc.lit, got, err, tc.want)
		}
	}
	for _, bad := range []string{``, `'`, `abc`, `'a'b'`, `'abc\'`, "`a`"} {
		if _, err := UnquoteString(bad); err == nil {
			t.Errorf("UnquoteString(%s) succeeded", bad)
		}
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"", "abc", "it's", `back\slash`, "\x01", "tab\there", "line\nbreak", "é日本", "\x7f"} {
		q := QuoteString(s)
		got, err := UnquoteString(q)
		if err != nil || got != s {
			t.Errorf("UnquoteString(QuoteString(%q) = %s) = %q, %v", s, q, got, err)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"orders", "orders"}, {"Orders", "`Orders`"}, {"order id", "`order id`"}, {"a`b", "`a``b`"}, {"1a", "`1a`"}, {"_x1", "_x1"},
	} {
		if got := QuoteIdent(tc.in); got != tc.want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestTagEmptyAndHive(t *testing.T) {
	if got := Tag(&EmptyStmt{}); got != "" {
		t.Errorf("Tag(empty) = %q", got)
	}
	if IsHive(&EmptyStmt{}) || IsHive(&PGStmt{}) || !IsHive(&MsckRepair{}) {
		t.Error("IsHive is wrong")
	}
}
