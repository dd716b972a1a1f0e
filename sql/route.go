package sql

// Routing: which grammar reads a statement. The Hive parser owns, by leading words:
//
//	CREATE EXTERNAL TABLE, CREATE DATABASE, CREATE SCHEMA
//	CREATE TABLE when it has a Hive clause (see createTableIsHive)
//	DROP TABLE, DROP DATABASE, DROP SCHEMA
//	SHOW DATABASES|SCHEMAS|TABLES|PARTITIONS|COLUMNS, SHOW CREATE ...
//	DESCRIBE, DESC, MSCK
//	ALTER TABLE name ADD [IF NOT EXISTS] PARTITION (, ALTER TABLE name DROP [IF EXISTS] PARTITION (
//
// pg_query reads everything else, including plain CREATE TABLE, CREATE TABLE ... AS SELECT
// (Athena's CTAS with WITH (format = ...) is valid PostgreSQL), SHOW of a setting, and all
// queries. Each statement kind has exactly one representation: DROP TABLE is always a
// *DropTable, never a PostgreSQL DropStmt, so the planner handles it once.

// hiveOwns reports whether the Hive parser owns the statement src. It looks only at
// tokens, so it works on statements that neither grammar can read to the end; a lexical
// error later in the statement is reported by the parser that owns it.
func hiveOwns(src string) bool {
	ts := &tokenStream{l: lexer{src: src}}
	at := ts.at
	first := at(0)
	switch {
	case first.is("DESCRIBE"), first.is("DESC"), first.is("MSCK"):
		return true
	case first.is("SHOW"):
		for _, k := range showKinds {
			if at(1).is(k) {
				return true
			}
		}
	case first.is("DROP"):
		return at(1).is("TABLE") || at(1).is("DATABASE") || at(1).is("SCHEMA")
	case first.is("CREATE"):
		switch {
		case at(1).is("EXTERNAL"), at(1).is("DATABASE"), at(1).is("SCHEMA"):
			return true
		case at(1).is("TABLE"):
			return createTableIsHive(at, 2)
		}
	case first.is("ALTER"):
		if !at(1).is("TABLE") {
			return false
		}
		// After the [db.]name: ADD|DROP [IF [NOT] EXISTS] PARTITION (.
		i, _ := skipName(at, 2)
		switch {
		case at(i).is("ADD"):
			i++
			if at(i).is("IF") && at(i+1).is("NOT") && at(i+2).is("EXISTS") {
				i += 3
			}
		case at(i).is("DROP"):
			i++
			if at(i).is("IF") && at(i+1).is("EXISTS") {
				i += 2
			}
		default:
			return false
		}
		// PostgreSQL reads ALTER TABLE t ADD partition int as adding a column named
		// partition, so the parenthesis is what makes it Hive's.
		return at(i).is("PARTITION") && at(i+1).kind == tkPunct && at(i+1).text == "("
	}
	return false
}

// skipName returns the index after the [db.]name that starts at token i, and whether a
// part of it is backquoted.
func skipName(at func(int) token, i int) (int, bool) {
	backquoted := false
	for at(i).kind == tkWord || at(i).kind == tkQuoted {
		backquoted = backquoted || at(i).quote == '`'
		i++
		if t := at(i); t.kind != tkPunct || t.text != "." {
			break
		}
		i++
	}
	return i, backquoted
}

// hiveTableWords are the words that, outside parentheses, mark a CREATE TABLE as Hive's:
// PostgreSQL's CREATE TABLE has none of these clauses.
var hiveTableWords = []string{"STORED", "LOCATION", "TBLPROPERTIES", "PARTITIONED", "CLUSTERED", "COMMENT", "SKEWED"}

// createTableIsHive reports whether the CREATE TABLE whose tokens after TABLE start at
// index i has Hive syntax: a backquoted name, a Hive clause, a column COMMENT or a complex
// type written with angle brackets. The scan stops at a top-level AS, after which comes a
// query.
func createTableIsHive(at func(int) token, i int) bool {
	if at(i).is("IF") && at(i+1).is("NOT") && at(i+2).is("EXISTS") {
		i += 3
	}
	// The name may be a word like location; only its quotes tell.
	i, backquoted := skipName(at, i)
	if backquoted {
		return true
	}
	depth := 0
	for ; at(i).kind != tkEOF; i++ {
		t, next := at(i), at(i+1)
		switch {
		case t.kind == tkQuoted && t.quote == '`':
			return true
		case t.kind == tkPunct && t.text == "(":
			depth++
		case t.kind == tkPunct && t.text == ")":
			depth--
		case t.kind == tkPunct && t.text == "<":
			// array<int> directly in the column list; a CHECK (a < b) is deeper.
			if prev := at(i - 1); depth == 1 && (prev.is("ARRAY") || prev.is("MAP") || prev.is("STRUCT")) {
				return true
			}
		case depth == 0 && t.is("AS"):
			return false
		case depth == 0 && t.is("ROW") && next.is("FORMAT"):
			return true
		case depth == 0:
			for _, w := range hiveTableWords {
				if t.is(w) {
					return true
				}
			}
		case depth == 1 && t.is("COMMENT") && next.kind == tkString:
			return true
		}
	}
	return false
}
