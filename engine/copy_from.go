package engine

import (
	"bytes"
	"context"
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
)

// COPY table [(cols)] FROM STDIN into a table Quarry writes (a managed Parquet table), in the
// text or CSV format, as psql's `\copy t FROM 'file'` sends it. The front door answers
// CopyInResponse and feeds the client's CopyData to CopyIn.Write; at CopyDone, Finish parses
// the rows and appends them as one INSERT would (the same casts from text, the same checks,
// one new file, nothing written when any row fails). The data is held in memory until then,
// and every row goes through the INSERT's binder as literals (about 3,000 rows a second on
// one busy core): this is for loading small tables from a client, so a COPY is limited to
// maxCopyIn bytes and maxCopyRows rows. Bulk data belongs in object storage, behind CREATE
// EXTERNAL TABLE; a streaming COPY FROM would need a plan node over Arrow batches.

// maxCopyIn and maxCopyRows bound one COPY FROM STDIN.
const (
	maxCopyIn   = 16 << 20
	maxCopyRows = 50_000
)

// CopyIn receives the data of a COPY ... FROM STDIN. Write and Finish are called from the
// front door's one goroutine, in order; Finish or Abort ends it.
type CopyIn struct {
	// Columns is the number of columns each row has (CopyInResponse announces it).
	Columns int

	buf    bytes.Buffer
	finish func(ctx context.Context, data []byte) (int64, error)
}

// Write takes the next bytes of the client's data.
func (c *CopyIn) Write(p []byte) error {
	if c.buf.Len()+len(p) > maxCopyIn {
		return sqlerr.New(sqlerr.ProgramLimitExceeded, "COPY FROM STDIN is limited to %d MiB", maxCopyIn>>20).
			WithHint("Put large files in object storage and use CREATE EXTERNAL TABLE.")
	}
	c.buf.Write(p)
	return nil
}

// Finish parses what was written and inserts the rows; it returns how many.
func (c *CopyIn) Finish(ctx context.Context) (int64, error) {
	defer c.buf.Reset()
	return c.finish(ctx, c.buf.Bytes())
}

// Abort drops what was written (CopyFail, or the client went away).
func (c *CopyIn) Abort() { c.buf.Reset() }

// copyFrom starts COPY table FROM STDIN: the table must be one Quarry can insert into, and
// the options valid, before the client is asked for data.
func (s *Session) copyFrom(ctx context.Context, text string, cs *pg.CopyStmt) (*Result, error) {
	if cs.WhereClause != nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY FROM ... WHERE is not supported")
	}
	out, _, err := copyOptions(cs.Options, true)
	if err != nil {
		return nil, err
	}
	t, err := s.writeTarget(ctx, cs.Relation, 0)
	if err != nil {
		return nil, err
	}
	data, keys, err := tableColumns(t)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(data)+len(keys))
	for _, c := range append(data, keys...) {
		names = append(names, c.Name)
	}
	if len(cs.Attlist) > 0 {
		names = names[:0]
		for _, a := range cs.Attlist {
			names = append(names, a.GetString_().GetSval())
		}
	}
	in := &CopyIn{Columns: len(names)}
	in.finish = func(ctx context.Context, raw []byte) (int64, error) {
		rows, err := parseCopyRows(raw, out, names)
		if err != nil {
			return 0, err
		}
		if len(rows) == 0 {
			return 0, nil
		}
		res, err := s.insert(ctx, text, copyInsert(cs, rows), nil)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected, nil
	}
	return &Result{Tag: "COPY", CopyIn: in}, nil
}

// copyInsert spells the rows as INSERT INTO table [(cols)] VALUES ('text', NULL, ...): the
// INSERT's literal typing casts each text to its column's type, as COPY's input functions
// do.
func copyInsert(cs *pg.CopyStmt, rows [][]*string) *pg.InsertStmt {
	lists := make([]*pg.Node, len(rows))
	for r, row := range rows {
		items := make([]*pg.Node, len(row))
		for i, v := range row {
			if v == nil {
				items[i] = &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Isnull: true, Location: -1}}}
			} else {
				items[i] = pg.MakeAConstStrNode(*v, -1)
			}
		}
		lists[r] = pg.MakeListNode(items)
	}
	var cols []*pg.Node
	for _, a := range cs.Attlist {
		cols = append(cols, &pg.Node{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Name: a.GetString_().GetSval(), Location: -1}}})
	}
	sel := &pg.SelectStmt{ValuesLists: lists, LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg.SetOperation_SETOP_NONE}
	return &pg.InsertStmt{Relation: cs.Relation, Cols: cols, SelectStmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}
}

// parseCopyRows splits COPY's text or CSV data into rows of len(names) fields (nil: NULL),
// with PostgreSQL's errors for a row of the wrong width.
func parseCopyRows(data []byte, o *CopyOut, names []string) ([][]*string, error) {
	var rows [][]*string
	line := 0
	p := copyParser{data: data, o: o}
	for !p.done() {
		line++
		fields, end := p.record()
		if end {
			break
		}
		if line == 1 && o.Header {
			continue
		}
		if len(rows) == maxCopyRows {
			return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "COPY FROM STDIN is limited to %d rows", maxCopyRows).
				WithHint("Put large files in object storage and use CREATE EXTERNAL TABLE.")
		}
		switch {
		case len(fields) < len(names):
			return nil, sqlerr.New("22P04", "missing data for column %q", names[len(fields)]).
				WithDetail("COPY line " + strconv.Itoa(line))
		case len(fields) > len(names):
			return nil, sqlerr.New("22P04", "extra data after last expected column").
				WithDetail("COPY line " + strconv.Itoa(line))
		}
		rows = append(rows, fields)
	}
	return rows, nil
}

// copyParser reads records of COPY's text format (CopyReadAttributesText) or CSV format
// (CopyReadAttributesCSV).
type copyParser struct {
	data []byte
	pos  int
	o    *CopyOut
}

func (p *copyParser) done() bool { return p.pos >= len(p.data) }

// record reads one line (CSV: one record, which quotes may spread over lines). end reports
// the `\.` end-of-data line.
func (p *copyParser) record() (fields []*string, end bool) {
	if p.o.CSV {
		return p.csvRecord()
	}
	nl := bytes.IndexByte(p.data[p.pos:], '\n')
	var line []byte
	if nl < 0 {
		line, p.pos = p.data[p.pos:], len(p.data)
	} else {
		line, p.pos = p.data[p.pos:p.pos+nl], p.pos+nl+1
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if string(line) == `\.` {
		return nil, true
	}
	var field []byte
	start := 0 // where the field's raw text starts, for the NULL comparison
	flush := func(i int) {
		if string(line[start:i]) == p.o.Null {
			fields = append(fields, nil)
		} else {
			s := string(field)
			fields = append(fields, &s)
		}
		field = field[:0]
		start = i + 1
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == p.o.Delimiter:
			flush(i)
		case c == '\\' && i+1 < len(line):
			i++
			switch e := line[i]; e {
			case 'b':
				field = append(field, '\b')
			case 'f':
				field = append(field, '\f')
			case 'n':
				field = append(field, '\n')
			case 'r':
				field = append(field, '\r')
			case 't':
				field = append(field, '\t')
			case 'v':
				field = append(field, '\v')
			case 'x':
				v, n := 0, 0
				for n < 2 && i+1 < len(line) && isHex(line[i+1]) {
					i++
					v = v*16 + hexVal(line[i])
					n++
				}
				if n == 0 {
					field = append(field, 'x')
				} else {
					field = append(field, byte(v))
				}
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(e - '0')
				for n := 1; n < 3 && i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '7'; n++ {
					i++
					v = v*8 + int(line[i]-'0')
				}
				field = append(field, byte(v))
			default:
				field = append(field, e)
			}
		default:
			field = append(field, c)
		}
	}
	flush(len(line))
	return fields, false
}

// csvRecord reads one CSV record: an unquoted field equal to the NULL string is NULL, a
// quoted one never is.
func (p *copyParser) csvRecord() (fields []*string, end bool) {
	o := p.o
	d := p.data
	// `\.` alone on a line ends the data.
	if rest := d[p.pos:]; bytes.HasPrefix(rest, []byte(`\.`)) {
		after := rest[2:]
		if len(after) == 0 || after[0] == '\n' || bytes.HasPrefix(after, []byte("\r\n")) {
			p.pos = len(d)
			return nil, true
		}
	}
	var field []byte
	quoted := false
	for {
		// One field.
		field = field[:0]
		quoted = false
		inQuote := false
		for p.pos < len(d) {
			c := d[p.pos]
			if inQuote {
				switch {
				case c == o.Escape && p.pos+1 < len(d) && (d[p.pos+1] == o.Quote || d[p.pos+1] == o.Escape) && (o.Escape != o.Quote || d[p.pos+1] == o.Quote):
					field = append(field, d[p.pos+1])
					p.pos += 2
				case c == o.Quote:
					inQuote = false
					p.pos++
				default:
					field = append(field, c)
					p.pos++
				}
				continue
			}
			if c == o.Delimiter || c == '\n' || c == '\r' {
				break
			}
			if c == o.Quote {
				inQuote, quoted = true, true
				p.pos++
				continue
			}
			field = append(field, c)
			p.pos++
		}
		if !quoted && string(field) == o.Null {
			fields = append(fields, nil)
		} else {
			s := string(field)
			fields = append(fields, &s)
		}
		if p.pos >= len(d) {
			return fields, false
		}
		c := d[p.pos]
		p.pos++
		if c == o.Delimiter {
			continue
		}
		if c == '\r' && p.pos < len(d) && d[p.pos] == '\n' {
			p.pos++
		}
		return fields, false
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}
