package csv

import (
	"testing"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
)

func TestParseDialect(t *testing.T) {
	for _, tc := range []struct {
		opts         formats.Options
		delim, quote byte
		hasQuote     bool
		esc          byte
		hasEsc       bool
	}{
		{formats.Options{}, ',', '"', true, 0, false},
		{formats.Options{"field.delim": "|", "serialization.format": "|"}, '|', '"', true, 0, false},
		{formats.Options{"serialization.format": "1"}, 1, '"', true, 0, false},
		{formats.Options{"field.delim": "9"}, '\t', '"', true, 0, false},
		{formats.Options{"field.delim": "124"}, '|', '"', true, 0, false},
		{formats.Options{"field.delim": `\t`}, '\t', '"', true, 0, false},
		{formats.Options{"field.delim": "\t"}, '\t', '"', true, 0, false},
		{formats.Options{"field.delim": `\001`}, 1, '"', true, 0, false},
		{formats.Options{"field.delim": `\u0001`}, 1, '"', true, 0, false},
		{formats.Options{"field.delim": `\x01`}, 1, '"', true, 0, false},
		{formats.Options{"field.delim": `\|`}, '|', '"', true, 0, false},
		{formats.Options{"separatorChar": ";", "quoteChar": "'", "escapeChar": `\\`}, ';', '\'', true, '\\', true},
		{formats.Options{"separatorChar": ",", "quoteChar": `"`, "escapeChar": `"`}, ',', '"', true, 0, false},
		{formats.Options{"quoteChar": `\0`}, ',', 0, false, 0, false},
		{formats.Options{"quoteChar": ""}, ',', 0, false, 0, false},
		{formats.Options{"field.delim": ",", "escape.delim": `\`}, ',', '"', true, '\\', true},
	} {
		d, err := parseDialect(tc.opts)
		if err != nil {
			t.Errorf("%v: %v", tc.opts, err)
			continue
		}
		if d.delim != tc.delim || d.hasQuote != tc.hasQuote || (d.hasQuote && d.quote != tc.quote) || d.hasEsc != tc.hasEsc || (d.hasEsc && d.esc != tc.esc) {
			t.Errorf("%v: got delim %q quote %q/%v esc %q/%v", tc.opts, d.delim, d.quote, d.hasQuote, d.esc, d.hasEsc)
		}
	}
	for _, opts := range []formats.Options{{"field.delim": "||"}, {"field.delim": "¦"}, {"field.delim": `\n`}} {
		if _, err := parseDialect(opts); err == nil {
			t.Errorf("%v: accepted", opts)
		} else if c := sqlerr.Code(err); c != sqlerr.FeatureNotSupported && c != sqlerr.InvalidParameterValue {
			t.Errorf("%v: code %s", opts, c)
		}
	}
}
