package engine

import (
	"context"
	"errors"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/sqlerr"
)

// COPY table [(cols)] TO STDOUT and COPY (query) TO STDOUT, with PostgreSQL 15's options in
// both spellings (`WITH (FORMAT csv, HEADER)` and the legacy `WITH CSV HEADER` psql's \copy
// sends). The engine plans the query and checks the options as PostgreSQL's
// ProcessCopyOptions does; the front door streams the rows in COPY's format (pgwire's
// copy.go: CopyOutResponse, one CopyData per row, CopyDone, COPY n).
//
// COPY table FROM STDIN is copy_from.go. What Quarry does not do, it refuses before anything
// reaches the client, so the session stays usable: COPY to or from a server file or program
// (the server does not touch its own file system; psql's \copy reads and writes the
// client's), COPY (query) FROM, and the binary format.

// CopyOut is how COPY ... TO STDOUT formats its rows.
type CopyOut struct {
	// CSV selects FORMAT csv; otherwise the rows are in the text format.
	CSV bool
	// Delimiter separates columns (tab for text, comma for CSV by default); Null is the text
	// of a NULL (\N for text, empty for CSV).
	Delimiter byte
	Null      string
	// Header writes the column names first.
	Header bool
	// Quote and Escape are CSV's (both '"' by default).
	Quote, Escape byte
	// ForceQuote, for CSV, has one entry per column: quote its non-NULL values always.
	ForceQuote []bool
}

// copy runs COPY.
func (s *Session) copy(ctx context.Context, text string, cs *pg.CopyStmt) (*Result, error) {
	if err := s.copyTarget(cs); err != nil {
		return nil, err
	}
	if cs.IsFrom {
		return s.copyFrom(ctx, text, cs) // copy_from.go
	}
	var sel *pg.SelectStmt
	if cs.Relation != nil {
		var err error
		if sel, err = s.copyTableQuery(ctx, text, cs); err != nil {
			return nil, err
		}
	}
	out, forceQuote, err := copyOptions(cs.Options, false)
	if err != nil {
		return nil, err
	}
	if cs.Query != nil {
		if sel = cs.Query.GetSelectStmt(); sel == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY supports a SELECT or VALUES query only")
		}
	}
	fctx := s.functionContext()
	node, err := s.plan(ctx, text, sel, fctx)
	if err != nil {
		return nil, err
	}
	cols := resultColumns(node)
	if out.CSV {
		out.ForceQuote = make([]bool, len(cols))
		for _, name := range forceQuote {
			found := false
			for i, c := range cols {
				if name == "*" || c.Name == name {
					out.ForceQuote[i], found = true, true
				}
			}
			if !found {
				// PostgreSQL looks the name up in the table or query first.
				return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q does not exist", name)
			}
		}
	}
	res, err := s.start(ctx, node, fctx)
	if err != nil {
		return nil, err
	}
	res.Tag, res.Copy = "COPY", out
	return res, nil
}

// copyTarget refuses what COPY may not do here, with PostgreSQL's errors where a user
// without the server-file roles would get them.
func (s *Session) copyTarget(cs *pg.CopyStmt) error {
	hint := "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone."
	switch {
	case cs.IsProgram && !s.user.Superuser:
		return sqlerr.New(sqlerr.InsufficientPrivilege, "must be superuser or have privileges of the pg_execute_server_program role to COPY to or from an external program").WithHint(hint)
	case cs.IsProgram:
		return sqlerr.New(sqlerr.FeatureNotSupported, "COPY to or from an external program is not supported").WithHint(hint)
	case cs.Filename != "" && !s.user.Superuser && cs.IsFrom:
		return sqlerr.New(sqlerr.InsufficientPrivilege, "must be superuser or have privileges of the pg_read_server_files role to COPY from a file").WithHint(hint)
	case cs.Filename != "" && !s.user.Superuser:
		return sqlerr.New(sqlerr.InsufficientPrivilege, "must be superuser or have privileges of the pg_write_server_files role to COPY to a file").WithHint(hint)
	case cs.Filename != "":
		return sqlerr.New(sqlerr.FeatureNotSupported, "COPY to or from a file on the server is not supported").WithHint(hint)
	case cs.IsFrom && cs.Query != nil:
		return sqlerr.New(sqlerr.WrongObjectType, "COPY query must not be used with FROM")
	}
	return nil
}

// copyTableQuery turns COPY table [(cols)] into the SELECT it reads.
func (s *Session) copyTableQuery(ctx context.Context, text string, cs *pg.CopyStmt) (*pg.SelectStmt, error) {
	rel := cs.Relation
	if db, name, err := s.relName(rel); err == nil {
		t, err := s.e.cfg.Catalog.GetTable(ctx, db, name)
		if err == nil && t.TableType == catalog.VirtualView {
			return nil, sqlerr.New(sqlerr.WrongObjectType, "cannot copy from view %q", t.Name).
				WithHint("Try the COPY (SELECT ...) TO variant.")
		}
		if err != nil && !errors.Is(err, catalog.ErrTableNotFound) && !errors.Is(err, catalog.ErrDatabaseNotFound) {
			return nil, err
		}
		// A name the catalog does not know may still be a system table: the binder decides.
	}
	selectList := func(list []*pg.Node) *pg.SelectStmt {
		from := &pg.Node{Node: &pg.Node_RangeVar{RangeVar: rel}}
		return &pg.SelectStmt{TargetList: list, FromClause: []*pg.Node{from},
			LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg.SetOperation_SETOP_NONE}
	}
	star := pg.MakeColumnRefNode([]*pg.Node{{Node: &pg.Node_AStar{AStar: &pg.A_Star{}}}}, rel.Location)
	all := selectList([]*pg.Node{pg.MakeResTargetNodeWithVal(star, rel.Location)})
	if len(cs.Attlist) == 0 {
		return all, nil
	}
	// The column list is checked against the table's columns, with PostgreSQL's messages.
	node, err := s.binder(ctx, text, s.functionContext()).BindQuery(all)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, c := range node.Columns() {
		if !c.Hidden {
			have[c.Name] = true
		}
	}
	var list []*pg.Node
	seen := map[string]bool{}
	for _, a := range cs.Attlist {
		name := a.GetString_().GetSval()
		if !have[name] {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", name, rel.Relname)
		}
		if seen[name] {
			return nil, sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", name)
		}
		seen[name] = true
		ref := pg.MakeColumnRefNode([]*pg.Node{pg.MakeStrNode(name)}, rel.Location)
		list = append(list, pg.MakeResTargetNodeWithVal(ref, rel.Location))
	}
	return selectList(list), nil
}

// copyOptions reads COPY's options as PostgreSQL 15's ProcessCopyOptions does, with its
// errors, and returns the FORCE_QUOTE column names ("*" for all) for the caller to resolve.
// COPY FROM (from) takes HEADER MATCH as HEADER; its FORCE_NOT_NULL and FORCE_NULL are not
// supported.
func copyOptions(opts []*pg.Node, from bool) (*CopyOut, []string, error) {
	redundant := func() error { return sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options") }
	var (
		format, delim, null, quote, escape *string
		header                             *bool
		forceQuote                         []string
		forceQuoteSet, forceNotNull        bool
		forceNull                          bool
	)
	str := func(d *pg.DefElem, dst **string) error {
		if *dst != nil {
			return redundant()
		}
		v, err := defString(d)
		if err != nil {
			return err
		}
		*dst = &v
		return nil
	}
	for _, n := range opts {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		var err error
		switch d.Defname {
		case "format":
			if err = str(d, &format); err == nil {
				switch *format {
				case "text", "csv":
				case "binary":
					err = sqlerr.New(sqlerr.FeatureNotSupported, "COPY in binary format is not supported").WithHint("Use FORMAT text or FORMAT csv.")
				default:
					err = sqlerr.New(sqlerr.InvalidParameterValue, "COPY format %q not recognized", *format)
				}
			}
		case "delimiter":
			err = str(d, &delim)
		case "null":
			err = str(d, &null)
		case "quote":
			err = str(d, &quote)
		case "escape":
			err = str(d, &escape)
		case "header":
			if header != nil {
				return nil, nil, redundant()
			}
			var h bool
			if h, err = copyHeader(d, from); err == nil {
				header = &h
			}
		case "force_quote":
			if forceQuoteSet {
				return nil, nil, redundant()
			}
			forceQuoteSet = true
			switch {
			case d.Arg.GetAStar() != nil:
				forceQuote = []string{"*"}
			case d.Arg.GetList() != nil:
				for _, it := range d.Arg.GetList().GetItems() {
					forceQuote = append(forceQuote, it.GetString_().GetSval())
				}
			default:
				err = sqlerr.New(sqlerr.InvalidParameterValue, "argument to option %q must be a list of column names", d.Defname)
			}
		case "force_not_null":
			forceNotNull = true
		case "force_null":
			forceNull = true
		case "encoding":
			var enc string
			if enc, err = defString(d); err == nil {
				switch strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(enc, "-", ""), "_", "")) {
				case "utf8", "unicode", "sqlascii":
				default:
					err = sqlerr.New(sqlerr.FeatureNotSupported, "COPY encoding %q is not supported: Quarry sends UTF8", enc)
				}
			}
		case "freeze", "convert_selectively":
			// Options of COPY FROM; COPY TO accepts and ignores them, as PostgreSQL does.
		default:
			err = sqlerr.New(sqlerr.SyntaxError, "option %q not recognized", d.Defname)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	out := &CopyOut{CSV: format != nil && *format == "csv", Header: header != nil && *header}
	mode := "text"
	if out.CSV {
		mode = "csv"
	}
	out.Delimiter, out.Null = '\t', `\N`
	if out.CSV {
		out.Delimiter, out.Null = ',', ""
	}
	if null != nil {
		out.Null = *null
	}
	if delim != nil {
		if len(*delim) != 1 {
			return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
		}
		out.Delimiter = (*delim)[0]
	}
	switch {
	case out.Delimiter == '\r' || out.Delimiter == '\n':
		return nil, nil, sqlerr.New(sqlerr.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return")
	case strings.ContainsAny(out.Null, "\r\n"):
		return nil, nil, sqlerr.New(sqlerr.InvalidParameterValue, "COPY null representation cannot use newline or carriage return")
	case mode == "text" && strings.IndexByte(`\.abcdefghijklmnopqrstuvwxyz0123456789`, out.Delimiter) >= 0:
		return nil, nil, sqlerr.New(sqlerr.InvalidParameterValue, "COPY delimiter cannot be %q", string(out.Delimiter))
	case mode == "text" && quote != nil:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY quote available only in CSV mode")
	case mode == "text" && escape != nil:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY escape available only in CSV mode")
	case mode == "text" && forceQuoteSet:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY force quote available only in CSV mode")
	case mode == "text" && forceNotNull:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY force not null available only in CSV mode")
	case forceNotNull && !from:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY force not null only available using COPY FROM")
	case forceNotNull || forceNull:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY FROM with FORCE_NOT_NULL or FORCE_NULL is not supported")
	case forceQuoteSet && from:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY force quote only available using COPY TO")
	case mode == "text" && forceNull:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY force null available only in CSV mode")
	case forceNull && !from:
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY force null only available using COPY FROM")
	}
	if out.CSV {
		out.Quote = '"'
		if quote != nil {
			if len(*quote) != 1 {
				return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY quote must be a single one-byte character")
			}
			out.Quote = (*quote)[0]
		}
		if out.Delimiter == out.Quote {
			return nil, nil, sqlerr.New(sqlerr.InvalidParameterValue, "COPY delimiter and quote must be different")
		}
		out.Escape = out.Quote
		if escape != nil {
			if len(*escape) != 1 {
				return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY escape must be a single one-byte character")
			}
			out.Escape = (*escape)[0]
		}
	}
	if strings.IndexByte(out.Null, out.Delimiter) >= 0 {
		return nil, nil, sqlerr.New(sqlerr.InvalidParameterValue, "COPY delimiter must not appear in the NULL specification")
	}
	if out.CSV && strings.IndexByte(out.Null, out.Quote) >= 0 {
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "CSV quote character must not appear in the NULL specification")
	}
	return out, forceQuote, nil
}

// defString reads an option's value as text (defGetString).
func defString(d *pg.DefElem) (string, error) {
	switch {
	case d.Arg == nil:
		return "", sqlerr.New(sqlerr.SyntaxError, "%s requires a parameter", d.Defname)
	case d.Arg.GetString_() != nil:
		return d.Arg.GetString_().GetSval(), nil
	case d.Arg.GetInteger() != nil:
		return strconv.FormatInt(int64(d.Arg.GetInteger().GetIval()), 10), nil
	case d.Arg.GetBoolean() != nil:
		if d.Arg.GetBoolean().GetBoolval() {
			return "true", nil
		}
		return "false", nil
	case d.Arg.GetFloat() != nil:
		return d.Arg.GetFloat().GetFval(), nil
	}
	return "", sqlerr.New(sqlerr.SyntaxError, "%s requires a parameter", d.Defname)
}

// copyHeader reads HEADER's value (defGetCopyHeaderChoice): a Boolean, or MATCH, which
// only COPY FROM accepts.
func copyHeader(d *pg.DefElem, from bool) (bool, error) {
	if d.Arg == nil {
		return true, nil
	}
	if i := d.Arg.GetInteger(); i != nil {
		switch i.GetIval() {
		case 0:
			return false, nil
		case 1:
			return true, nil
		}
	} else if v, err := defString(d); err == nil {
		switch strings.ToLower(v) {
		case "true", "on":
			return true, nil
		case "false", "off":
			return false, nil
		case "match":
			if from {
				return true, nil // the header line is skipped, not matched
			}
			return false, sqlerr.New(sqlerr.FeatureNotSupported, "cannot use %q with HEADER in COPY TO", v)
		}
	}
	return false, sqlerr.New(sqlerr.InvalidParameterValue, "%s requires a Boolean value or \"match\"", d.Defname)
}
