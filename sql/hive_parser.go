package sql

import (
	"strings"

	"github.com/quarrydb/quarry/sqlerr"
)

// hiveParser is a recursive-descent parser over the tokens of one statement. Its methods
// return errors that are always *sqlerr.Error (or nil).
type hiveParser struct {
	src  string
	toks []token
	i    int
	// lexErr is the lexer's error, if any. The token stream is cut where it happened and
	// ends in tkEOF; the parser reports lexErr when it reaches that point, so that a syntax
	// error earlier in the statement wins, as it does in PostgreSQL.
	lexErr *sqlerr.Error
}

// parseHive parses one Athena/Hive DDL statement (an optional trailing ';' allowed).
func parseHive(src string) (Statement, error) {
	toks, lexErr := hiveLex(src)
	p := &hiveParser{src: src, toks: toks, lexErr: lexErr}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	return st, nil
}

func (p *hiveParser) statement() (Statement, error) {
	t := p.peek()
	switch {
	case t.is("CREATE"):
		return p.create()
	case t.is("DROP"):
		return p.drop()
	case t.is("SHOW"):
		return p.show()
	case t.is("DESCRIBE"), t.is("DESC"):
		return p.describe()
	case t.is("MSCK"):
		return p.msck()
	case t.is("ALTER"):
		return p.alter()
	}
	return nil, p.errAt(t, "")
}

// --- token helpers ---

func (p *hiveParser) peek() token { return p.toks[p.i] }

// peekAt returns the token n places ahead (tkEOF past the end).
func (p *hiveParser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *hiveParser) next() token {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

// accept consumes the words kws if the next tokens are exactly them.
func (p *hiveParser) accept(kws ...string) bool {
	for n, kw := range kws {
		if !p.peekAt(n).is(kw) {
			return false
		}
	}
	p.i += len(kws)
	return true
}

// expect consumes the words kws or fails at the first one that is missing.
func (p *hiveParser) expect(hint string, kws ...string) error {
	for _, kw := range kws {
		if !p.peek().is(kw) {
			return p.errAt(p.peek(), hint)
		}
		p.i++
	}
	return nil
}

func (p *hiveParser) isPunct(c string) bool {
	t := p.peek()
	return t.kind == tkPunct && t.text == c
}

func (p *hiveParser) acceptPunct(c string) bool {
	if p.isPunct(c) {
		p.i++
		return true
	}
	return false
}

func (p *hiveParser) expectPunct(c, hint string) error {
	if !p.acceptPunct(c) {
		return p.errAt(p.peek(), hint)
	}
	return nil
}

// end accepts an optional ';' and requires the end of the statement.
func (p *hiveParser) end() error {
	p.acceptPunct(";")
	if t := p.peek(); t.kind != tkEOF {
		return p.errAt(t, "")
	}
	if p.lexErr != nil {
		return p.lexErr
	}
	return nil
}

// errAt is PostgreSQL's syntax error at token t, with an optional hint (a sentence).
func (p *hiveParser) errAt(t token, hint string) error {
	var e *sqlerr.Error
	if t.kind == tkEOF {
		if p.lexErr != nil {
			return p.lexErr
		}
		e = sqlerr.New(sqlerr.SyntaxError, "syntax error at end of input")
	} else {
		e = sqlerr.New(sqlerr.SyntaxError, "syntax error at or near \"%s\"", t.text)
	}
	e.Position = charPos(p.src, t.pos)
	e.Hint = hint
	return e
}

// --- names and literals ---

// ident reads an identifier, bare or quoted, lower-cased as Athena stores every name.
// Bare words are accepted whatever they are, since a keyword in a name's place can only be
// a name (a column called location, a table called comment).
func (p *hiveParser) ident(hint string) (string, error) {
	t := p.peek()
	switch t.kind {
	case tkWord:
		p.i++
		return strings.ToLower(t.text), nil
	case tkQuoted:
		v := strings.ReplaceAll(t.val, string(t.quote)+string(t.quote), string(t.quote))
		if v == "" {
			e := sqlerr.New(sqlerr.SyntaxError, "zero-length delimited identifier at or near \"%s\"", t.text)
			return "", e.WithPosition(charPos(p.src, t.pos))
		}
		p.i++
		return strings.ToLower(v), nil
	}
	return "", p.errAt(t, hint)
}

// qualifiedName reads [db.]name.
func (p *hiveParser) qualifiedName() (db, name string, err error) {
	start := p.peek()
	name, err = p.ident("Expected a table name.")
	if err != nil {
		return "", "", err
	}
	if !p.acceptPunct(".") {
		return "", name, nil
	}
	db = name
	if name, err = p.ident("Expected a table name after the database name."); err != nil {
		return "", "", err
	}
	if p.isPunct(".") {
		e := sqlerr.New(sqlerr.SyntaxError, "improper qualified name (too many dotted names): %s",
			strings.TrimSpace(p.src[start.pos:p.peekAt(1).end]))
		return "", "", e.WithPosition(charPos(p.src, start.pos))
	}
	return db, name, nil
}

// stringLit reads a string literal. Hive reads "..." as a string too, so it is accepted
// where only a string can stand.
func (p *hiveParser) stringLit(hint string) (string, error) {
	t := p.peek()
	switch {
	case t.kind == tkString:
		p.i++
		return t.val, nil
	case t.kind == tkQuoted && t.quote == '"':
		p.i++
		return unescapeHive(t.val, '"'), nil
	}
	return "", p.errAt(t, hint)
}

// properties reads ('k'='v', ...), as TBLPROPERTIES, SERDEPROPERTIES and DBPROPERTIES give
// them. A key given twice keeps its last value, as in Hive.
func (p *hiveParser) properties() (map[string]string, error) {
	if err := p.expectPunct("(", "Expected a list of properties ('key'='value', ...)."); err != nil {
		return nil, err
	}
	props := map[string]string{}
	if p.acceptPunct(")") {
		return props, nil
	}
	for {
		k, err := p.stringLit("Expected a property name in quotes.")
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct("=", "Expected = after the property name."); err != nil {
			return nil, err
		}
		v, err := p.stringLit("Expected a property value in quotes.")
		if err != nil {
			return nil, err
		}
		props[k] = v
		if p.acceptPunct(")") {
			return props, nil
		}
		if err := p.expectPunct(",", "Expected , or )."); err != nil {
			return nil, err
		}
	}
}

// ifNotExists accepts IF NOT EXISTS.
func (p *hiveParser) ifNotExists() bool { return p.accept("IF", "NOT", "EXISTS") }

// ifExists accepts IF EXISTS.
func (p *hiveParser) ifExists() bool { return p.accept("IF", "EXISTS") }

// --- DROP ---

func (p *hiveParser) drop() (Statement, error) {
	p.next() // DROP
	switch {
	case p.accept("TABLE"):
		st := &DropTable{IfExists: p.ifExists()}
		var err error
		if st.Database, st.Name, err = p.qualifiedName(); err != nil {
			return nil, err
		}
		st.Purge = p.accept("PURGE")
		return st, nil
	case p.accept("DATABASE"), p.accept("SCHEMA"):
		st := &DropDatabase{IfExists: p.ifExists()}
		var err error
		if st.Name, err = p.ident("Expected a database name."); err != nil {
			return nil, err
		}
		if p.accept("CASCADE") {
			st.Cascade = true
		} else {
			p.accept("RESTRICT")
		}
		return st, nil
	}
	return nil, p.errAt(p.peek(), "Expected TABLE, DATABASE or SCHEMA.")
}

// --- MSCK, DESCRIBE ---

func (p *hiveParser) msck() (Statement, error) {
	p.next() // MSCK
	if err := p.expect("Expected MSCK REPAIR TABLE name.", "REPAIR", "TABLE"); err != nil {
		return nil, err
	}
	db, name, err := p.qualifiedName()
	if err != nil {
		return nil, err
	}
	return &MsckRepair{Database: db, Name: name}, nil
}

func (p *hiveParser) describe() (Statement, error) {
	p.next() // DESCRIBE | DESC
	st := &Describe{}
	// FORMATTED and EXTENDED are modifiers only when a name follows: DESCRIBE formatted
	// describes a table called formatted.
	if next := p.peekAt(1); next.kind == tkWord || next.kind == tkQuoted {
		switch {
		case p.accept("FORMATTED"):
			st.Formatted = true
		case p.accept("EXTENDED"):
			st.Extended = true
		}
	}
	var err error
	if st.Database, st.Name, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tkWord || t.kind == tkQuoted {
		if st.Column, err = p.ident(""); err != nil {
			return nil, err
		}
	}
	return st, nil
}
