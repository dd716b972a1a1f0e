package sql

import (
	"strconv"
	"strings"

	"github.com/quarrydb/quarry/sqlerr"
)

func (p *hiveParser) create() (Statement, error) {
	p.next() // CREATE
	switch {
	case p.accept("EXTERNAL"):
		if err := p.expect("Expected CREATE EXTERNAL TABLE.", "TABLE"); err != nil {
			return nil, err
		}
		return p.createTable(true)
	case p.accept("TABLE"):
		return p.createTable(false)
	case p.accept("DATABASE"), p.accept("SCHEMA"):
		return p.createDatabase()
	}
	return nil, p.errAt(p.peek(), "Expected EXTERNAL TABLE, TABLE, DATABASE or SCHEMA.")
}

// tableClauses are the clauses after the column list, in the order Hive's grammar has
// them. Quarry accepts them in any order but each at most once: the order carries no
// meaning, and a strict order only turns a readable statement into an error.
var tableClauses = []string{"COMMENT", "PARTITIONED BY", "CLUSTERED BY", "ROW FORMAT", "STORED AS", "LOCATION", "TBLPROPERTIES"}

// createTable parses the rest of CREATE [EXTERNAL] TABLE after TABLE.
func (p *hiveParser) createTable(external bool) (Statement, error) {
	st := &CreateExternalTable{External: external, IfNotExists: p.ifNotExists()}
	var err error
	if st.Database, st.Name, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	seenCols := map[string]bool{}
	if p.isPunct("(") {
		if st.Columns, err = p.columnDefs(seenCols, "Expected a column type, as in (id bigint, name string)."); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for {
		t := p.peek()
		clause := ""
		for _, c := range tableClauses {
			if t.is(strings.Fields(c)[0]) {
				clause = c
			}
		}
		if clause == "" {
			break
		}
		if seen[clause] {
			return nil, sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options").
				WithPosition(charPos(p.src, t.pos)).WithHint(clause + " is given twice.")
		}
		seen[clause] = true
		if err := p.tableClause(st, clause, seenCols); err != nil {
			return nil, err
		}
	}
	if t := p.peek(); t.is("AS") {
		return nil, p.errAt(t, "Quarry reads Athena's CREATE TABLE AS: CREATE TABLE t WITH (format = 'PARQUET', external_location = 's3://...') AS SELECT ...")
	}
	if t := p.peek(); t.kind != tkEOF && !(t.kind == tkPunct && t.text == ";") {
		return nil, p.errAt(t, clauseHint(seen))
	}
	if st.Location != "" {
		st.External = true
	} else if external {
		return nil, p.errAt(p.peek(), "CREATE EXTERNAL TABLE needs LOCATION 's3://bucket/path/'.")
	}
	return st, nil
}

// clauseHint lists the clauses that could still follow.
func clauseHint(seen map[string]bool) string {
	var left []string
	for _, c := range tableClauses {
		if !seen[c] {
			left = append(left, c)
		}
	}
	switch len(left) {
	case 0:
		return "The statement should end here."
	case 1:
		return "Expected " + left[0] + "."
	}
	return "Expected " + strings.Join(left[:len(left)-1], ", ") + " or " + left[len(left)-1] + "."
}

func (p *hiveParser) tableClause(st *CreateExternalTable, clause string, seenCols map[string]bool) error {
	var err error
	switch clause {
	case "COMMENT":
		p.next()
		st.Comment, err = p.stringLit("Expected the table comment in quotes.")
	case "PARTITIONED BY":
		if err = p.expect("Expected PARTITIONED BY (column type, ...).", "PARTITIONED", "BY"); err != nil {
			return err
		}
		st.PartitionKeys, err = p.columnDefs(seenCols, "Partition columns need a type, as in PARTITIONED BY (dt string).")
	case "CLUSTERED BY":
		err = p.clusteredBy(st)
	case "ROW FORMAT":
		st.RowFormat, err = p.rowFormat()
	case "STORED AS":
		if err = p.expect("Expected STORED AS format.", "STORED", "AS"); err != nil {
			return err
		}
		if p.accept("INPUTFORMAT") {
			if st.InputFormat, err = p.stringLit("Expected the input format class in quotes."); err != nil {
				return err
			}
			if err = p.expect("Expected OUTPUTFORMAT 'class'.", "OUTPUTFORMAT"); err != nil {
				return err
			}
			st.OutputFormat, err = p.stringLit("Expected the output format class in quotes.")
			return err
		}
		t := p.peek()
		if t.kind != tkWord {
			return p.errAt(t, "Expected a file format (PARQUET, ORC, TEXTFILE, JSON, AVRO, ...) or INPUTFORMAT 'class' OUTPUTFORMAT 'class'.")
		}
		p.next()
		st.StoredAs = strings.ToLower(t.text)
	case "LOCATION":
		p.next()
		st.Location, err = p.stringLit("Expected the location in quotes, as in LOCATION 's3://bucket/path/'.")
	case "TBLPROPERTIES":
		p.next()
		st.TableProperties, err = p.properties()
	}
	return err
}

// columnDefs reads (name type [COMMENT '...'], ...). seen holds the names read so far in
// the statement, since a partition key may not repeat a column either.
func (p *hiveParser) columnDefs(seen map[string]bool, typeHint string) ([]ColumnDef, error) {
	if err := p.expectPunct("(", "Expected (column type, ...)."); err != nil {
		return nil, err
	}
	var cols []ColumnDef
	for {
		nameTok := p.peek()
		name, err := p.ident("Expected a column name.")
		if err != nil {
			return nil, err
		}
		if seen[name] {
			e := sqlerr.New(sqlerr.DuplicateColumn, "column \"%s\" specified more than once", name)
			return nil, e.WithPosition(charPos(p.src, nameTok.pos))
		}
		seen[name] = true
		col := ColumnDef{Name: name}
		if col.Type, err = p.columnType(typeHint); err != nil {
			return nil, err
		}
		if p.accept("COMMENT") {
			if col.Comment, err = p.stringLit("Expected the column comment in quotes."); err != nil {
				return nil, err
			}
		}
		cols = append(cols, col)
		if p.acceptPunct(")") {
			return cols, nil
		}
		if err := p.expectPunct(",", "Expected , or ) after the column."); err != nil {
			return nil, err
		}
	}
}

func (p *hiveParser) clusteredBy(st *CreateExternalTable) error {
	if err := p.expect("Expected CLUSTERED BY (column, ...) INTO n BUCKETS.", "CLUSTERED", "BY"); err != nil {
		return err
	}
	if err := p.expectPunct("(", "Expected (column, ...)."); err != nil {
		return err
	}
	for {
		name, err := p.ident("Expected a column name.")
		if err != nil {
			return err
		}
		st.ClusteredBy = append(st.ClusteredBy, name)
		if p.acceptPunct(")") {
			break
		}
		if err := p.expectPunct(",", "Expected , or )."); err != nil {
			return err
		}
	}
	if p.accept("SORTED", "BY") {
		if err := p.expectPunct("(", "Expected (column [ASC|DESC], ...)."); err != nil {
			return err
		}
		for {
			name, err := p.ident("Expected a column name.")
			if err != nil {
				return err
			}
			sc := SortColumn{Name: name}
			if p.accept("DESC") {
				sc.Desc = true
			} else {
				p.accept("ASC")
			}
			st.SortedBy = append(st.SortedBy, sc)
			if p.acceptPunct(")") {
				break
			}
			if err := p.expectPunct(",", "Expected , or )."); err != nil {
				return err
			}
		}
	}
	if err := p.expect("Expected INTO n BUCKETS.", "INTO"); err != nil {
		return err
	}
	t := p.peek()
	n, err := strconv.Atoi(t.text)
	if t.kind != tkNumber || err != nil || n < 1 {
		return p.errAt(t, "Expected the number of buckets, a positive integer.")
	}
	p.next()
	st.NumBuckets = n
	return p.expect("Expected INTO n BUCKETS.", "BUCKETS")
}

// rowFormat parses ROW FORMAT DELIMITED ... | ROW FORMAT SERDE '...' [WITH SERDEPROPERTIES].
func (p *hiveParser) rowFormat() (*RowFormat, error) {
	if err := p.expect("Expected ROW FORMAT.", "ROW", "FORMAT"); err != nil {
		return nil, err
	}
	rf := &RowFormat{}
	var err error
	if p.accept("SERDE") {
		if rf.Serde, err = p.stringLit("Expected the SerDe class in quotes."); err != nil {
			return nil, err
		}
		if p.accept("WITH", "SERDEPROPERTIES") {
			if rf.SerdeProperties, err = p.properties(); err != nil {
				return nil, err
			}
		}
		return rf, nil
	}
	if !p.accept("DELIMITED") {
		return nil, p.errAt(p.peek(), "Expected DELIMITED or SERDE.")
	}
	// The sub-clauses, each at most once, in any order (Hive's order is this one).
	subs := []struct {
		words []string
		dst   *string
	}{
		{[]string{"FIELDS", "TERMINATED", "BY"}, &rf.FieldDelim},
		{[]string{"ESCAPED", "BY"}, &rf.EscapeChar},
		{[]string{"COLLECTION", "ITEMS", "TERMINATED", "BY"}, &rf.CollectionDelim},
		{[]string{"MAP", "KEYS", "TERMINATED", "BY"}, &rf.MapKeyDelim},
		{[]string{"LINES", "TERMINATED", "BY"}, &rf.LineDelim},
		{[]string{"NULL", "DEFINED", "AS"}, &rf.NullFormat},
	}
	seen := make([]bool, len(subs))
	for {
		t := p.peek()
		k := -1
		for i, s := range subs {
			if t.is(s.words[0]) {
				k = i
			}
		}
		if k < 0 {
			return rf, nil
		}
		if seen[k] {
			return nil, sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options").
				WithPosition(charPos(p.src, t.pos)).WithHint(strings.Join(subs[k].words, " ") + " is given twice.")
		}
		seen[k] = true
		if err := p.expect("Expected "+strings.Join(subs[k].words, " ")+" 'c'.", subs[k].words...); err != nil {
			return nil, err
		}
		if *subs[k].dst, err = p.stringLit("Expected a character in quotes, as in ','."); err != nil {
			return nil, err
		}
	}
}

// createDatabase parses the rest of CREATE DATABASE|SCHEMA; its clauses come in any order.
func (p *hiveParser) createDatabase() (Statement, error) {
	st := &CreateDatabase{IfNotExists: p.ifNotExists()}
	var err error
	if st.Name, err = p.ident("Expected a database name."); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for {
		t := p.peek()
		var clause string
		switch {
		case t.is("COMMENT"), t.is("LOCATION"):
			clause = strings.ToUpper(t.text)
		case t.is("WITH"):
			clause = "WITH DBPROPERTIES"
		case t.kind == tkEOF || t.kind == tkPunct && t.text == ";":
			return st, nil
		default:
			return nil, p.errAt(t, "Expected COMMENT, LOCATION or WITH DBPROPERTIES.")
		}
		if seen[clause] {
			return nil, sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options").
				WithPosition(charPos(p.src, t.pos)).WithHint(clause + " is given twice.")
		}
		seen[clause] = true
		switch clause {
		case "COMMENT":
			p.next()
			st.Comment, err = p.stringLit("Expected the comment in quotes.")
		case "LOCATION":
			p.next()
			st.Location, err = p.stringLit("Expected the location in quotes.")
		default:
			if err = p.expect("Expected WITH DBPROPERTIES ('key'='value', ...).", "WITH", "DBPROPERTIES"); err == nil {
				st.Properties, err = p.properties()
			}
		}
		if err != nil {
			return nil, err
		}
	}
}
