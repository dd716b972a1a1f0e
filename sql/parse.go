package sql

import (
	"errors"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/quarrydb/quarry/sqlerr"
)

// Statement is one parsed statement: a *PGStmt, an *EmptyStmt, or one of the Hive/Athena
// statements of hive_ast.go (all of which are HiveStatements). The set is closed.
type Statement interface {
	statementNode()
}

// HiveStatement is implemented by the statements the Athena/Hive DDL parser produces.
type HiveStatement interface {
	Statement
	hiveStatement()
}

// PGStmt is a statement the PostgreSQL grammar read. Node is the statement node of
// pg_query's tree (a SelectStmt, CreateStmt, VariableSetStmt, ...); SQL is the text it was
// parsed from, which the node's locations are relative to.
type PGStmt struct {
	Node *pg_query.Node
	SQL  string
}

// EmptyStmt is a statement with no content, only white space and comments. pgwire answers
// it with EmptyQueryResponse.
type EmptyStmt struct{}

func (*PGStmt) statementNode()    {}
func (*EmptyStmt) statementNode() {}

// IsHive reports whether st came from the Athena/Hive DDL parser; such statements are
// planned from their own structs rather than from a pg_query tree.
func IsHive(st Statement) bool {
	_, ok := st.(HiveStatement)
	return ok
}

// Parse parses one statement (a piece of Split; a trailing ';' is allowed). It routes the
// statement to the Hive parser or to pg_query by its leading words (see route.go). Errors
// are *sqlerr.Error; a syntax error has code 42601 and a 1-based character Position within
// sql (Piece.Rebase moves it to the whole query string).
func Parse(sql string) (Statement, error) {
	if err := checkEncoding(sql); err != nil {
		return nil, err
	}
	if hiveOwns(sql) {
		return parseHive(sql)
	}
	return parsePG(sql)
}

func parsePG(sql string) (Statement, error) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, pgError(err)
	}
	stmts := tree.GetStmts()
	switch len(stmts) {
	case 0:
		return &EmptyStmt{}, nil
	case 1:
		return &PGStmt{Node: stmts[0].GetStmt(), SQL: sql}, nil
	}
	// PostgreSQL's message for several statements in one Parse message. Split never makes
	// such a piece; a caller that skipped it gets this.
	e := sqlerr.New(sqlerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	if loc := int(stmts[1].GetStmtLocation()); loc >= 0 && loc <= len(sql) {
		start, _ := skipSpaceAndComments(sql, loc)
		e.Position = charPos(sql, start)
	}
	return nil, e
}

// pgError turns pg_query's error into a *sqlerr.Error. pg_query's Cursorpos is already
// PostgreSQL's 1-based character position (checked by TestPGErrorPositions on multi-byte
// text). The raw parser raises few other kinds of error than syntax errors, so all get
// 42601.
func pgError(err error) error {
	var pe *pgparser.Error
	if !errors.As(err, &pe) {
		return sqlerr.Wrap(err, sqlerr.InternalError, "parser: %v", err)
	}
	e := sqlerr.Wrap(err, sqlerr.SyntaxError, "%s", pe.Message)
	if pe.Cursorpos > 0 {
		e.Position = pe.Cursorpos
	}
	return e
}

// checkEncoding rejects text that is not UTF-8 or holds a NUL byte, as PostgreSQL does
// before parsing; pg_query would silently stop reading at a NUL, and positions in invalid
// UTF-8 would not be character positions.
func checkEncoding(s string) error {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0 || r == utf8.RuneError && size <= 1 {
			// 22021 is character_not_in_repertoire.
			return sqlerr.New("22021", "invalid byte sequence for encoding \"UTF8\": 0x%02x", s[i])
		}
		i += size
	}
	return nil
}

// Rebase returns err with its Position moved from the piece to the whole query string
// query, in characters, as a client expects it. Errors without a position are returned
// unchanged.
func (p Piece) Rebase(query string, err error) error {
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Position <= 0 || p.Offset < 0 || p.Offset > len(query) {
		return err
	}
	return e.WithPosition(e.Position + utf8.RuneCountInString(query[:p.Offset]))
}
