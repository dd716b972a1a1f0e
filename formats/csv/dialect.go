package csv

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
)

// dialect is how a table's delimited files are written.
type dialect struct {
	delim         byte
	quote         byte
	hasQuote      bool
	esc           byte
	hasEsc        bool
	header        int // lines to skip at the start of each file
	nullMarker    []byte
	invalidAsNull bool
}

// defaultNullMarker is Hive's default `serialization.null.format`.
const defaultNullMarker = `\N`

// parseDialect reads the dialect from a table's options.
//
// The delimiter is `field.delim` (LazySimpleSerDe), else `separatorChar` (OpenCSVSerde), else
// `serialization.format`, else ','. Hive's own default with no delimiter at all is \001; the
// engine always passes `field.delim` when the DDL names one, so a table that reaches here with
// none was declared as CSV, and ',' is what its files hold.
func parseDialect(opts formats.Options) (dialect, error) {
	d := dialect{delim: ',', quote: '"', hasQuote: true, nullMarker: []byte(defaultNullMarker)}
	var err error
	switch {
	case opts["field.delim"] != "":
		d.delim, err = hiveByte("field.delim", opts["field.delim"])
	case opts["separatorChar"] != "":
		d.delim, err = oneChar("separatorChar", opts["separatorChar"])
	case opts["serialization.format"] != "":
		d.delim, err = hiveByte("serialization.format", opts["serialization.format"])
	}
	if err != nil {
		return d, err
	}
	if v, ok := opts["quoteChar"]; ok {
		d.quote, err = oneChar("quoteChar", v)
		if err != nil {
			return d, err
		}
		// opencsv's NO_QUOTE_CHARACTER is \0: a table may turn quoting off with it.
		d.hasQuote = d.quote != 0
	}
	esc := opts["escapeChar"]
	if esc == "" {
		esc = opts["escape.delim"]
	}
	if esc != "" {
		d.esc, err = oneChar("escapeChar", esc)
		if err != nil {
			return d, err
		}
		d.hasEsc = d.esc != 0
	}
	// opencsv's default escape is the quote itself, which is RFC 4180's doubled quote: no
	// separate escape. An escape or quote equal to the delimiter could never be told apart
	// from it, so it is ignored.
	if d.hasEsc && ((d.hasQuote && d.esc == d.quote) || d.esc == d.delim) {
		d.hasEsc = false
	}
	if d.hasQuote && d.quote == d.delim {
		d.hasQuote = false
	}
	if d.delim == '\n' || (d.hasQuote && d.quote == '\n') || (d.hasEsc && d.esc == '\n') {
		return d, sqlerr.New(sqlerr.InvalidParameterValue, "a newline cannot be a delimiter, quote or escape character")
	}
	d.header = max(opts.Int("skip.header.line.count", 0), 0)
	if v, ok := opts["serialization.null.format"]; ok {
		d.nullMarker = []byte(v)
	}
	d.invalidAsNull = strings.EqualFold(opts["use.null.for.invalid.data"], "true")
	return d, nil
}

// hiveByte reads a LazySimpleSerDe separator as Hive's LazySerDeParameters.getByte does: a
// decimal byte value first ('1' is \001, '9' is a tab, '124' is '|'), else the character.
func hiveByte(key, v string) (byte, error) {
	if n, err := strconv.ParseInt(v, 10, 8); err == nil {
		return byte(n), nil
	}
	return oneChar(key, v)
}

// oneChar decodes a one-character option, allowing the escaped spellings DDL and Glue
// clients leave in it: \t \n \r \\ \0, octal \001, \u0001 and \x01.
func oneChar(key, v string) (byte, error) {
	s := v
	if len(v) > 1 && v[0] == '\\' {
		s = unescapeOption(v)
	}
	if len(s) == 0 {
		return 0, nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) {
		return 0, sqlerr.New(sqlerr.FeatureNotSupported, "%s %q: only single-character delimiters are supported", key, v)
	}
	if r >= utf8.RuneSelf {
		return 0, sqlerr.New(sqlerr.FeatureNotSupported, "%s %q: only single-byte (ASCII or control) characters are supported", key, v)
	}
	return byte(r), nil
}

func unescapeOption(v string) string {
	switch v {
	case `\t`:
		return "\t"
	case `\n`:
		return "\n"
	case `\r`:
		return "\r"
	case `\\`:
		return `\`
	case `\0`:
		return "\x00"
	}
	if len(v) == 2 && v[1] < utf8.RuneSelf && (v[1] < '0' || v[1] > '7') && v[1] != 'u' && v[1] != 'x' {
		return v[1:] // \| and the like: the escaped character itself, as Hive's DDL reads it
	}
	var n uint64
	var err error
	switch {
	case len(v) >= 3 && (v[1] == 'u' || v[1] == 'U'):
		n, err = strconv.ParseUint(v[2:], 16, 32)
	case len(v) >= 3 && (v[1] == 'x' || v[1] == 'X'):
		n, err = strconv.ParseUint(v[2:], 16, 8)
	default:
		n, err = strconv.ParseUint(v[1:], 8, 8)
	}
	if err != nil {
		return v
	}
	return string(rune(n))
}
