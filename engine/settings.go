package engine

import (
	"sort"
	"strings"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/sqlerr"
)

// settings are a session's run-time parameters (GUCs), with the set PostgreSQL 15 reports to
// clients in ParameterStatus.
type settings struct {
	values map[string]string
}

// reported are the parameters PostgreSQL sends in ParameterStatus, at startup and whenever
// they change.
var reported = map[string]bool{
	"application_name": true, "client_encoding": true, "datestyle": true,
	"default_transaction_read_only": true, "in_hot_standby": true, "integer_datetimes": true,
	"intervalstyle": true, "is_superuser": true, "server_encoding": true, "server_version": true,
	"session_authorization": true, "standard_conforming_strings": true, "timezone": true,
}

// canonical spellings of the reported names, as PostgreSQL sends them.
var canonical = map[string]string{
	"datestyle": "DateStyle", "intervalstyle": "IntervalStyle", "timezone": "TimeZone",
}

func defaultSettings(u *catalog.User) *settings {
	super := "off"
	if u.Superuser {
		super = "on"
	}
	return &settings{values: map[string]string{
		"application_name":              "",
		"client_encoding":               "UTF8",
		"datestyle":                     "ISO, MDY",
		"default_transaction_read_only": "off",
		"in_hot_standby":                "off",
		"integer_datetimes":             "on",
		"intervalstyle":                 "postgres",
		"is_superuser":                  super,
		"server_encoding":               "UTF8",
		"server_version":                ServerVersion + " (Quarry " + Version + ")",
		"server_version_num":            "150018",
		"session_authorization":         u.Name,
		"standard_conforming_strings":   "on",
		"timezone":                      "UTC",
		"search_path":                   DefaultDatabase,
		"extra_float_digits":            "1",
		"statement_timeout":             "0",
		"transaction_isolation":         "read committed",
		"default_transaction_isolation": "read committed",
		"max_identifier_length":         "63",
		"lc_collate":                    "C",
		"lc_ctype":                      "C",
		"transaction_read_only":         "off",
	}}
}

// get returns a setting's value.
func (s *settings) get(name string) (string, bool) {
	v, ok := s.values[strings.ToLower(name)]
	return v, ok
}

// set changes a setting. Unknown settings are accepted (clients set many), as are dotted
// custom ones; read-only ones are refused.
func (s *settings) set(name, value string) error {
	name = strings.ToLower(name)
	switch name {
	case "server_version", "server_version_num", "server_encoding", "integer_datetimes", "is_superuser", "in_hot_standby", "lc_collate", "lc_ctype", "max_identifier_length":
		return sqlerr.New("55P02", "parameter %q cannot be changed", name)
	case "client_encoding":
		v := strings.ToUpper(strings.ReplaceAll(value, "-", ""))
		if v != "UTF8" && v != "UNICODE" && v != "SQL_ASCII" {
			return sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"client_encoding\": %q", value)
		}
		if v == "UNICODE" {
			v = "UTF8"
		}
		value = v
	case "search_path":
		value = strings.TrimSpace(value)
	}
	s.values[name] = value
	return nil
}

// setFromClient applies a startup parameter, ignoring ones that cannot be set.
func (s *settings) setFromClient(name, value string) {
	_ = s.set(name, value)
}

// applyOptions applies `-c name=value` pairs from the startup `options` parameter.
func (s *settings) applyOptions(opts string) error {
	fields := strings.Fields(opts)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		var kv string
		switch {
		case f == "-c" && i+1 < len(fields):
			kv = fields[i+1]
			i++
		case strings.HasPrefix(f, "-c"):
			kv = f[2:]
		case strings.HasPrefix(f, "--"):
			kv = f[2:]
		default:
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return sqlerr.New(sqlerr.SyntaxError, "invalid command-line argument for server process: %s", f)
		}
		if err := s.set(strings.ReplaceAll(k, "-", "_"), v); err != nil {
			return err
		}
	}
	return nil
}

// ParameterStatus returns the parameters to report to a client after authentication.
func (s *Session) ParameterStatus() map[string]string {
	out := map[string]string{}
	for k := range reported {
		name := k
		if c, ok := canonical[k]; ok {
			name = c
		}
		out[name] = s.settings.values[k]
	}
	return out
}

// reportedName returns the name to use in ParameterStatus for a setting, and whether it is
// reported at all.
func reportedName(name string) (string, bool) {
	name = strings.ToLower(name)
	if !reported[name] {
		return "", false
	}
	if c, ok := canonical[name]; ok {
		return c, true
	}
	return name, true
}

// searchDatabase returns the database unqualified names resolve in: the first entry of
// search_path that is not "$user" or "public".
func (s *settings) searchDatabase() string {
	for _, p := range strings.Split(s.values["search_path"], ",") {
		p = strings.Trim(strings.TrimSpace(p), `"`)
		if p == "" || p == "$user" || p == "public" {
			continue
		}
		return strings.ToLower(p)
	}
	return DefaultDatabase
}

func (s *settings) names() []string {
	out := make([]string, 0, len(s.values))
	for k := range s.values {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
