package csv

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
	{Name: "i", Type: types.Int32T},
	{Name: "s", Type: types.VarcharT},
	{Name: "d", Type: types.DecimalT(10, 2)},
	{Name: "dt", Type: types.DateT},
	{Name: "ts", Type: types.TimestampT},
	{Name: "b", Type: types.BoolT},
	{Name: "f", Type: types.Float64T},
	{Name: "v", Type: types.T{Kind: types.Varchar, Precision: 3}},
}

// FuzzCSVReader reads arbitrary bytes under a dialect and projection chosen by the fuzzer.
// It must not panic or hang, every error must be a DataError, and reading through a tiny
// window must give exactly what reading through a large one gives.
func FuzzCSVReader(f *testing.F) {
	paths, _ := filepath.Glob("testdata/cases/*.txt")
	for _, p := range paths {
		if c, err := texttest.Load(p); err == nil && filepath.Ext(c.Key) == "" {
			f.Add(c.Input, uint8(0), uint8(0xff))
		}
	}
	f.Add([]byte("1,\"a\"\"b\",1.5,2024-01-01,2024-01-01 10:00:00,t,1e3,abcd\n"), uint8(0), uint8(0xff))
	f.Add([]byte("1|x\\|y|\\N\n\"2\n"), uint8(1|4), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, dialect, proj uint8) {
		if len(data) > 1<<14 {
			return
		}
		opts := formats.Options{"field.delim": []string{",", "|", "\t", "1"}[dialect&3]}
		if dialect&4 != 0 {
			opts["escapeChar"] = `\\`
		}
		if dialect&8 != 0 {
			opts["skip.header.line.count"] = "1"
		}
		if dialect&16 != 0 {
			opts["quoteChar"] = `\0`
		}
		if dialect&32 != 0 {
			opts["serialization.null.format"] = ""
		}
		if dialect&64 != 0 {
			opts["use.null.for.invalid.data"] = "true"
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
	src := textcol.NewSource("mem://f/data", bytes.NewReader(data), window)
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
