package function

import (
	"testing"

	"github.com/quarrydb/quarry/types"
)

// TestJSONOperatorsMatchTrino checks that j -> 'k' and j ->> 'k' agree with Trino's
// json_extract(j, '$.k') and json_extract_scalar(j, '$.k') on valid JSON, and that the
// operators also take text holding JSON.
func TestJSONOperatorsMatchTrino(t *testing.T) {
	reg := New()
	docs := []any{`{"k":"x"}`, `{"k":12.5}`, `{"k":[1,{"a":2}]}`, `{"k":{"b":true}}`, `{"k":null}`, `{"j":1}`, `[1,2]`, nil}
	keys := make([]any, len(docs))
	paths := make([]any, len(docs))
	for i := range docs {
		keys[i], paths[i] = "k", "$.k"
	}
	for _, left := range []types.T{types.JSONT, types.VarcharT} {
		arrow := call(t, reg, "->", []types.T{left, txt}, docs, keys)
		extract := call(t, reg, "json_extract", []types.T{types.JSONT, txt}, docs, paths)
		if arrow.err != nil || extract.err != nil {
			t.Fatalf("%s -> text: %v; json_extract: %v", left, arrow.err, extract.err)
		}
		for i := range docs {
			// json_extract gives NULL for a JSON null member; -> gives the json value null.
			want := extract.out[i]
			if docs[i] == `{"k":null}` {
				want = "null"
			}
			if arrow.out[i] != want {
				t.Errorf("%s %v -> 'k' = %s, json_extract = %s", left, docs[i], arrow.out[i], extract.out[i])
			}
		}
		text := call(t, reg, "->>", []types.T{left, txt}, docs, keys)
		scalar := call(t, reg, "json_extract_scalar", []types.T{types.JSONT, txt}, docs, paths)
		for i := range docs {
			// json_extract_scalar is NULL for arrays and objects; ->> gives their text.
			if scalar.out[i] != "NULL" && text.out[i] != scalar.out[i] {
				t.Errorf("%s %v ->> 'k' = %s, json_extract_scalar = %s", left, docs[i], text.out[i], scalar.out[i])
			}
		}
		idx := call(t, reg, "->", []types.T{left, i32}, row(`[10,20,30]`, `[10,20,30]`, `{"0":1}`), row("1", "-1", "0"))
		if want := []string{"20", "30", "NULL"}; !equalStrings(idx.out, want) {
			t.Errorf("%s -> integer: got %v, want %v", left, idx.out, want)
		}
	}
	if bad := call(t, reg, "->", []types.T{txt, txt}, row(`{oops`), row("k")); bad.code != "22P02" {
		t.Errorf("text that is not JSON -> 'k': got %v, want 22P02", bad.err)
	}
}
