package sql

import (
	"strings"

	"github.com/quarrydb/quarry/sqlerr"
)

// --- SHOW ---

// showKinds are the SHOW statements the Hive parser owns; any other SHOW is PostgreSQL's
// SHOW of a setting (SHOW search_path), which routing sends to pg_query.
var showKinds = []string{"DATABASES", "SCHEMAS", "TABLES", "PARTITIONS", "CREATE", "COLUMNS"}

func (p *hiveParser) show() (Statement, error) {
	p.next() // SHOW
	switch {
	case p.accept("DATABASES"), p.accept("SCHEMAS"):
		like, err := p.likePattern()
		if err != nil {
			return nil, err
		}
		return &ShowDatabases{Like: like}, nil
	case p.accept("TABLES"):
		st := &ShowTables{}
		if p.accept("IN") || p.accept("FROM") {
			var err error
			if st.Database, err = p.ident("Expected a database name."); err != nil {
				return nil, err
			}
		}
		var err error
		if st.Like, err = p.likePattern(); err != nil {
			return nil, err
		}
		return st, nil
	case p.accept("PARTITIONS"):
		db, name, err := p.qualifiedName()
		if err != nil {
			return nil, err
		}
		return &ShowPartitions{Database: db, Name: name}, nil
	case p.accept("CREATE"):
		if err := p.expect("Expected SHOW CREATE TABLE name.", "TABLE"); err != nil {
			return nil, err
		}
		db, name, err := p.qualifiedName()
		if err != nil {
			return nil, err
		}
		return &ShowCreateTable{Database: db, Name: name}, nil
	case p.accept("COLUMNS"):
		if !p.accept("IN") && !p.accept("FROM") {
			return nil, p.errAt(p.peek(), "Expected SHOW COLUMNS IN table.")
		}
		db, name, err := p.qualifiedName()
		if err != nil {
			return nil, err
		}
		if p.accept("IN") || p.accept("FROM") {
			dbTok := p.peek()
			other, err := p.ident("Expected a database name.")
			if err != nil {
				return nil, err
			}
			if db != "" && db != other {
				// Hive's own message for the same mistake.
				e := sqlerr.New(sqlerr.SyntaxError, "table name %s.%s conflicts with database name %s", db, name, other)
				return nil, e.WithPosition(charPos(p.src, dbTok.pos))
			}
			db = other
		}
		return &ShowColumns{Database: db, Name: name}, nil
	}
	return nil, p.errAt(p.peek(), "Expected DATABASES, TABLES, PARTITIONS, CREATE TABLE or COLUMNS.")
}

// likePattern reads an optional [LIKE] 'pattern'.
func (p *hiveParser) likePattern() (string, error) {
	if p.accept("LIKE") {
		return p.stringLit("Expected a pattern in quotes.")
	}
	if t := p.peek(); t.kind == tkString {
		p.i++
		return t.val, nil
	}
	return "", nil
}

// --- ALTER TABLE ... ADD|DROP PARTITION ---

func (p *hiveParser) alter() (Statement, error) {
	p.next() // ALTER
	if err := p.expect("Expected ALTER TABLE.", "TABLE"); err != nil {
		return nil, err
	}
	db, name, err := p.qualifiedName()
	if err != nil {
		return nil, err
	}
	switch {
	case p.accept("ADD"):
		st := &AlterTableAddPartitions{Database: db, Name: name, IfNotExists: p.ifNotExists()}
		// Hive writes the partitions one after the other; a comma between them is accepted
		// too, since DROP PARTITION needs one and users carry the habit over.
		for {
			if err := p.expect("Expected PARTITION (key = value, ...).", "PARTITION"); err != nil {
				return nil, err
			}
			spec, err := p.partitionSpec()
			if err != nil {
				return nil, err
			}
			if p.accept("LOCATION") {
				if spec.Location, err = p.stringLit("Expected the partition's location in quotes."); err != nil {
					return nil, err
				}
			}
			st.Partitions = append(st.Partitions, spec)
			if !p.acceptPunct(",") && !p.peek().is("PARTITION") {
				return st, nil
			}
		}
	case p.accept("DROP"):
		st := &AlterTableDropPartitions{Database: db, Name: name, IfExists: p.ifExists()}
		for {
			if err := p.expect("Expected PARTITION (key = value, ...).", "PARTITION"); err != nil {
				return nil, err
			}
			spec, err := p.partitionSpec()
			if err != nil {
				return nil, err
			}
			st.Partitions = append(st.Partitions, spec)
			if !p.acceptPunct(",") && !p.peek().is("PARTITION") {
				// Hive's PURGE after the list drops data too; Quarry never deletes the
				// files of an external table, so it is accepted and means nothing more.
				p.accept("PURGE")
				return st, nil
			}
		}
	}
	return nil, p.errAt(p.peek(), "Expected ADD PARTITION or DROP PARTITION.")
}

// partitionSpec reads (key = value, ...). A value is a string, a number (optionally
// signed), a bare word (true, __HIVE_DEFAULT_PARTITION__) or a typed literal such as
// DATE '2024-01-01'; it is kept as text.
func (p *hiveParser) partitionSpec() (PartitionSpec, error) {
	var spec PartitionSpec
	if err := p.expectPunct("(", "Expected (key = value, ...)."); err != nil {
		return spec, err
	}
	for {
		key, err := p.ident("Expected a partition key.")
		if err != nil {
			return spec, err
		}
		if err := p.expectPunct("=", "Expected = after the partition key."); err != nil {
			return spec, err
		}
		val, err := p.partitionValue()
		if err != nil {
			return spec, err
		}
		spec.Values = append(spec.Values, KV{Key: key, Value: val})
		if p.acceptPunct(")") {
			return spec, nil
		}
		if err := p.expectPunct(",", "Expected , or )."); err != nil {
			return spec, err
		}
	}
}

func (p *hiveParser) partitionValue() (string, error) {
	const hint = "Expected a partition value: a string in quotes or a number."
	t := p.peek()
	switch t.kind {
	case tkString:
		p.i++
		return t.val, nil
	case tkQuoted:
		if t.quote == '"' {
			return p.stringLit(hint)
		}
	case tkNumber:
		p.i++
		return t.text, nil
	case tkPunct:
		if n := p.peekAt(1); (t.text == "-" || t.text == "+") && n.kind == tkNumber && n.pos == t.end {
			p.i += 2
			return strings.TrimPrefix(t.text, "+") + n.text, nil
		}
	case tkWord:
		// DATE '2024-01-01', TIMESTAMP '...': the type word is dropped, the text kept.
		if n := p.peekAt(1); n.kind == tkString && (t.is("DATE") || t.is("TIMESTAMP")) {
			p.i += 2
			return n.val, nil
		}
		p.i++
		return t.text, nil
	}
	return "", p.errAt(t, hint)
}
