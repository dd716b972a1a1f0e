package sqllogictest

import (
	"fmt"
	"regexp"
	"strings"
)

// notOffered lists the statement kinds Quarry does not offer, each with the reason a report
// gives when a record is skipped for it. changes names the table the statement would have
// changed (its first submatch), so that records reading that table later are skipped too:
// their expected values assume the change.
var notOffered = []struct {
	kind    string
	re      *regexp.Regexp
	changes *regexp.Regexp
	reason  string
}{
	{"CREATE TRIGGER", regexp.MustCompile(`(?i)^CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b`), nil,
		"Quarry has no triggers: its tables are files that any tool may write, so there is no write path to hook (Athena has none)"},
	{"DROP TRIGGER", regexp.MustCompile(`(?i)^DROP\s+TRIGGER\b`), nil,
		"Quarry has no triggers: its tables are files that any tool may write, so there is no write path to hook (Athena has none)"},
	{"CREATE INDEX", regexp.MustCompile(`(?i)^CREATE\s+(UNIQUE\s+)?INDEX\b`), nil,
		"Quarry has no indexes: it scans files and prunes them with their statistics (Athena has none)"},
	{"DROP INDEX", regexp.MustCompile(`(?i)^DROP\s+INDEX\b`), nil,
		"Quarry has no indexes: it scans files and prunes them with their statistics (Athena has none)"},
	{"REINDEX", regexp.MustCompile(`(?i)^REINDEX\b`), nil,
		"Quarry has no indexes: it scans files and prunes them with their statistics (Athena has none)"},
	{"UPDATE", regexp.MustCompile(`(?i)^UPDATE\b`), regexp.MustCompile(`(?i)^UPDATE\s+(?:OR\s+\w+\s+)?([\w.]+)`),
		"Quarry's tables are immutable files in object storage: no UPDATE or DELETE (Athena changes rows only in Iceberg tables)"},
	{"DELETE", regexp.MustCompile(`(?i)^DELETE\b`), regexp.MustCompile(`(?i)^DELETE\s+FROM\s+([\w.]+)`),
		"Quarry's tables are immutable files in object storage: no UPDATE or DELETE (Athena changes rows only in Iceberg tables)"},
	{"REPLACE", regexp.MustCompile(`(?i)^(REPLACE|INSERT\s+OR\s+\w+)\b`), regexp.MustCompile(`(?i)\bINTO\s+([\w.]+)`),
		"SQLite's REPLACE / INSERT OR ... resolves conflicts on a unique key; Quarry's tables have no keys (and PostgreSQL has no such statement)"},
}

// skipper decides which records to skip and remembers the tables that skipped statements
// would have changed.
type skipper struct {
	changed map[string]string // table (lower case) -> "UPDATE at line N"
}

// skip returns the kind and reason for skipping rec, or "" to run it; detail says more about
// this record (which table, changed where).
func (s *skipper) skip(rec *Record) (kind, reason, detail string) {
	sql := strings.TrimSpace(stripLeadingComments(rec.SQL))
	for _, n := range notOffered {
		if !n.re.MatchString(sql) {
			continue
		}
		if n.changes != nil && !rec.ExpectError {
			if m := n.changes.FindStringSubmatch(sql); m != nil {
				if s.changed == nil {
					s.changed = map[string]string{}
				}
				s.changed[strings.ToLower(m[1])] = fmt.Sprintf("%s at line %d", n.kind, rec.Line)
			}
		}
		return n.kind, n.reason, ""
	}
	if m := createOrDrop.FindStringSubmatch(sql); m != nil {
		// A table made anew starts from the statements that follow.
		delete(s.changed, strings.ToLower(m[1]))
		return "", "", ""
	}
	for table, by := range s.changed {
		if mentions(sql, table) {
			return "reads a changed table", "reads a table that a skipped UPDATE, DELETE or REPLACE would have changed",
				fmt.Sprintf("reads %s, changed by the skipped %s", table, by)
		}
	}
	return "", "", ""
}

var createOrDrop = regexp.MustCompile(`(?i)^(?:CREATE|DROP)\s+TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?([\w.]+)`)

// mentions reports whether sql names table as a whole word.
func mentions(sql, table string) bool {
	re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(table) + `\b`)
	return re.MatchString(sql)
}

// stripLeadingComments drops "--" comment lines before a statement.
func stripLeadingComments(sql string) string {
	for {
		t := strings.TrimLeft(sql, " \t\r\n")
		if !strings.HasPrefix(t, "--") {
			return t
		}
		i := strings.IndexByte(t, '\n')
		if i < 0 {
			return ""
		}
		sql = t[i+1:]
	}
}
