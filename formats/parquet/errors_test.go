package parquet

import (
	"errors"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
)

func TestIncompatibleTypes(t *testing.T) {
	data := writeParquet(t, []narrow{{Str: "x"}})
	for _, tt := range []struct {
		decl, msg string
	}{
		{"str int", "column str: file has BYTE_ARRAY (STRING), table declares integer"},
		{"i64 int", "column i64: file has INT64 (INT(64,true)), table declares integer"},
		{"f32 bigint", "column f32: file has FLOAT, table declares bigint"},
		{"date int", "column date: file has INT32 (DATE), table declares integer"},
		{"i32 date", "column i32: file has INT32 (INT(32,true)), table declares date"},
		{"dec bigint", "column dec: file has INT32 (DECIMAL(7,2)), table declares bigint"},
		{"i32 varchar", "column i32: file has INT32 (INT(32,true)), table declares text"},
		{"str array<int>", "column str: file has BYTE_ARRAY (STRING), table declares integer[]"},
	} {
		t.Run(tt.decl, func(t *testing.T) {
			_, err := scan(t, data, formats.Request{Columns: cols(t, tt.decl), Projection: []int{0}})
			var de *formats.DataError
			if !errors.As(err, &de) || de.Code != sqlerr.InvalidTextRepresentation {
				t.Fatalf("got %v, want a 22P02 DataError", err)
			}
			if de.Key != "mem://test/t.parquet" || de.Msg != tt.msg {
				t.Errorf("got %q (key %q), want %q", de.Msg, de.Key, tt.msg)
			}
			if sqlerr.Code(err) != sqlerr.InvalidTextRepresentation {
				t.Errorf("SQLSTATE %s", sqlerr.Code(err))
			}
		})
	}
}

func TestOutOfRange(t *testing.T) {
	data := writeParquet(t, []narrow{{U64: 1 << 63}})
	_, err := scan(t, data, formats.Request{Columns: cols(t, "u64 bigint"), Projection: []int{0}})
	if sqlerr.Code(err) != sqlerr.NumericValueOutOfRange {
		t.Fatalf("got %v, want SQLSTATE 22003", err)
	}
}

func TestCorruptFiles(t *testing.T) {
	good := writeParquet(t, []narrow{{I32: 1, Str: "a"}, {I32: 2, Str: "b"}}, parquet.Compression(&parquet.Snappy))
	truncate := func(n int) []byte { return good[:len(good)-n] }
	flip := func(i int) []byte {
		b := slices.Clone(good)
		b[i] ^= 0xff
		return b
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not_parquet", []byte("id,name\n1,alice\n2,bob\n")},
		{"truncated_footer", truncate(1)},
		{"half_the_file", good[:len(good)/2]},
		{"bad_footer_length", func() []byte { b := slices.Clone(good); b[len(b)-6] = 0x7f; return b }()},
		{"bad_first_page", flip(5)},
		{"bad_page_data", flip(30)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scan(t, tt.data, formats.Request{Columns: cols(t, "i32 int", "str varchar"), Projection: []int{0, 1}})
			var de *formats.DataError
			if !errors.As(err, &de) || de.Code != sqlerr.DataCorrupted || de.Key != "mem://test/t.parquet" {
				t.Fatalf("got %v, want a corrupt-file DataError", err)
			}
		})
	}
}
