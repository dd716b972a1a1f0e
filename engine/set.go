package engine

import (
	"strconv"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
)

// set runs SET / RESET.
func (s *Session) set(v *pg.VariableSetStmt) (*Result, error) {
	name := strings.ToLower(v.Name)
	res := &Result{Tag: "SET"}
	switch v.Kind {
	case pg.VariableSetKind_VAR_SET_VALUE:
		var parts []string
		for _, a := range v.Args {
			parts = append(parts, constText(a))
		}
		val := strings.Join(parts, ", ")
		if name == "timezone" && len(parts) == 1 {
			val = parts[0]
		}
		if err := s.settings.set(name, val); err != nil {
			return nil, err
		}
	case pg.VariableSetKind_VAR_SET_DEFAULT, pg.VariableSetKind_VAR_RESET:
		def := defaultSettings(s.user)
		if dv, ok := def.values[name]; ok {
			s.settings.values[name] = dv
		} else {
			delete(s.settings.values, name)
		}
		if v.Kind == pg.VariableSetKind_VAR_RESET {
			res.Tag = "RESET"
		}
	case pg.VariableSetKind_VAR_RESET_ALL:
		s.settings = defaultSettings(s.user)
		res.Tag = "RESET"
		res.Params = s.ParameterStatus()
		return res, nil
	case pg.VariableSetKind_VAR_SET_MULTI:
		// SET TRANSACTION ... / SET SESSION CHARACTERISTICS: accepted, reads are always
		// consistent snapshots of immutable files.
		return res, nil
	default:
		return res, nil
	}
	if rn, ok := reportedName(name); ok {
		res.Params = map[string]string{rn: s.settings.values[name]}
	}
	return res, nil
}

// constText returns the text of a SET argument (a string, number or name).
func constText(n *pg.Node) string {
	if c := n.GetAConst(); c != nil {
		switch {
		case c.GetSval() != nil:
			return c.GetSval().Sval
		case c.GetIval() != nil:
			return strconv.Itoa(int(c.GetIval().Ival))
		case c.GetFval() != nil:
			return c.GetFval().Fval
		case c.GetBoolval() != nil:
			if c.GetBoolval().Boolval {
				return "on"
			}
			return "off"
		}
	}
	if tc := n.GetTypeCast(); tc != nil {
		return constText(tc.Arg)
	}
	return strings.Trim(n.String(), " ")
}

// show runs SHOW name / SHOW ALL.
func (s *Session) show(name string) (*Result, error) {
	name = strings.ToLower(name)
	if name == "all" {
		var rows [][]*string
		for _, k := range s.settings.names() {
			rows = append(rows, []*string{strp(k), strp(s.settings.values[k]), strp("")})
		}
		r := textResult([]string{"name", "setting", "description"}, rows)
		r.Tag = "SHOW"
		return r, nil
	}
	lookup := name
	switch name {
	case "transaction isolation level":
		lookup = "transaction_isolation"
	case "time zone":
		lookup = "timezone"
	case "session authorization":
		lookup = "session_authorization"
	}
	v, ok := s.settings.get(lookup)
	if !ok {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	col := lookup
	if c, ok := canonical[lookup]; ok {
		col = c
	}
	r := textResult([]string{col}, [][]*string{{strp(v)}})
	r.Tag = "SHOW"
	return r, nil
}

// statementTimeout returns the statement_timeout setting (0: none). A bare number is
// milliseconds, as in PostgreSQL; units ms, s, min, h are accepted.
func (s *Session) statementTimeout() time.Duration {
	v := strings.TrimSpace(s.settings.values["statement_timeout"])
	if v == "" || v == "0" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(n) * time.Millisecond
	}
	v = strings.ReplaceAll(v, " ", "")
	v = strings.Replace(v, "min", "m", 1)
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0
	}
	return d
}
