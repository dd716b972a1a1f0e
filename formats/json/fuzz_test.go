package json

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv/textcol"
	"github.com/quarrydb/quarry/formats/csv/textcol/texttest"
	"github.com/quarrydb/quarry/types"
)

var fuzzColumns = []formats.Column{
	{Name: "i", Type: types.Int64T},
	{Name: "s", Type: types.VarcharT},
	{Name: "d", Type: types.DecimalT(10, 2)},
	{Name: "dt", Type: types.DateT},
	{Name: "ts", Type: types.TimestampTZT},
	{Name: "b", Type: types.BoolT},
	{Name: "f", Type: types.Float32T},
	{Name: "A.b", Type: types.VarcharT},
}

// FuzzJSONReader reads arbitrary bytes as JSON lines under options and a projection chosen
// by the fuzzer. It must not panic or hang, every error must be a DataError, and reading
// through a tiny window must give exactly what reading through a large one gives.
func FuzzJSONReader(f *testing.F) {
	paths, _ := filepath.Glob("testdata/cases/*.txt")
	for _, p := range paths {
		if c, err := texttest.Load(p); err == nil && filepath.Ext(c.Key) == "" {
			f.Add(c.Input, uint8(0), uint8(0xff))
		}
	}
	f.Add([]byte(`{"i": 1, "s": "x\u00e9", "d": 1.25, "dt": "2024-01-01", "ts": 1700000000000, "b": true, "f": 1e3, "a_b": [1]}`+"\n"), uint8(2), uint8(0xff))
	f.Fuzz(func(t *testing.T, data []byte, options, proj uint8) {
		if len(data) > 1<<14 {
			return
		}
		opts := formats.Options{}
		if options&1 != 0 {
			opts["ignore.malformed.json"] = "true"
		}
		if options&2 != 0 {
			opts["dots.in.keys"] = "true"
		}
		if options&4 != 0 {
			opts["case.insensitive"] = "false"
		}
		if options&8 != 0 {
			opts["mapping.s"] = "S"
		}
		var projection []int
		for i := range fuzzColumns {
			if proj&(1<<i) != 0 {
				projection = append(projection, i)
			}
		}
		req := formats.Request{Columns: fuzzColumns, Projection: projection, BatchSize: 3}
		big, bigErr := fuzzRead(data, opts, req, 1<<16)
		small, smallErr := fuzzRead(data, opts, req, 16)
		for _, err := range []error{bigErr, smallErr} {
			var de *formats.DataError
			if err != nil && !errors.As(err, &de) {
				t.Fatalf("error is not a DataError: %T %v", err, err)
			}
		}
		if big != small || errString(bigErr) != errString(smallErr) {
			t.Fatalf("window size changed the result:\nlarge: %s%v\nsmall: %s%v", big, bigErr, small, smallErr)
		}
	})
}

func fuzzRead(data []byte, opts formats.Options, req formats.Request, window int) (string, error) {
	src := textcol.NewSource("mem://f/data.json", bytes.NewReader(data), window)
	r, err := newReader(src, opts, req)
	if err != nil {
		return "", err
	}
	return texttest.Drain(context.Background(), r)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
