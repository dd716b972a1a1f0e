package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestJSONFunctions(t *testing.T) {
	js := types.JSONT
	doc := `{"a": {"b": [10, {"c": "x\u00e9"}, null]}, "k.y": true, "n": 1.50, "s": "q\"t", "a2": []}`
	runScalarCases(t, []scalarCase{
		{name: "json_extract", args: []types.T{js, txt}, cols: cols(row(doc, doc, doc, doc, doc, doc), row("$.a", "$.a.b[1]", "$['k.y']", `$.a.b[5]`, "$.zz", "$")),
			ret: js, want: []string{`{"b":[10,{"c":"x\u00e9"},null]}`, `{"c":"x\u00e9"}`, "true", "NULL", "NULL", `{"a":{"b":[10,{"c":"x\u00e9"},null]},"k.y":true,"n":1.50,"s":"q\"t","a2":[]}`}},
		{name: "json_extract", args: []types.T{txt, txt}, cols: cols(row(`{"a":1`, `[1,[2,3]]`), row("$.a", "$[1][0]")), want: []string{"NULL", "2"}},
		{name: "json_extract", args: []types.T{js, txt}, cols: cols(row(doc), row("a.b")), code: sqlerr.InvalidParameterValue},
		{name: "json_extract_scalar", args: []types.T{js, txt}, cols: cols(row(doc, doc, doc, doc, doc, doc), row("$.a.b[0]", "$.a.b[1].c", "$.a.b[2]", "$.a", "$.n", `$["s"]`)),
			ret: txt, want: []string{"10", "xé", "NULL", "NULL", "1.50", `q"t`}},
		{name: "json_extract_scalar", args: []types.T{txt, txt}, cols: cols(row(`{"a": "\ud83d\ude00"}`, "not json", "NULL"), row("$.a", "$.a", "$.a")), want: []string{"😀", "NULL", "NULL"}},
		{name: "json_parse", args: []types.T{txt}, cols: cols(row(`{ "a" : [1, 2] }`, `"x y"`)), ret: js, want: []string{`{"a":[1,2]}`, `"x y"`}},
		{name: "json_parse", args: []types.T{txt}, cols: cols(row(`{"a":}`)), code: sqlerr.InvalidTextRepresentation},
		{name: "json_format", args: []types.T{js}, cols: cols(row(`[1, "a b"]`)), ret: txt, want: []string{`[1,"a b"]`}},
		{name: "json_array_length", args: []types.T{js}, cols: cols(row(`[1, [2, 3], {"a": [4]}]`, `[]`, `{"a": 1}`, "NULL")), ret: i64, want: []string{"3", "0", "NULL", "NULL"}},
		{name: "json_array_length", args: []types.T{txt}, cols: cols(row(`[1,`)), want: []string{"NULL"}},
		{name: "json_array_get", args: []types.T{js, i64}, cols: cols(row(`[1, {"a": 2}, 3]`, `[1, {"a": 2}, 3]`, `[1]`, `{"a": 1}`), row("1", "-1", "5", "0")), ret: js, want: []string{`{"a":2}`, "3", "NULL", "NULL"}},
		{name: "json_size", args: []types.T{js, txt}, cols: cols(row(doc, doc, doc, doc), row("$.a", "$.a.b", "$.n", "$.x")), ret: i64, want: []string{"1", "3", "0", "NULL"}},
		{name: "json_typeof", args: []types.T{js}, cols: cols(row(` {"a":1}`, "[]", `"s"`, "1", "false", "null")), ret: txt, want: []string{"object", "array", "string", "number", "boolean", "null"}},
		{name: "->", args: []types.T{js, txt}, cols: cols(row(doc, doc, `[1]`, `{"a": 1, "a": 2}`), row("a", "zz", "a", "a")), ret: js, want: []string{`{"b": [10, {"c": "x\u00e9"}, null]}`, "NULL", "NULL", "2"}},
		{name: "->", args: []types.T{js, i32}, cols: cols(row(`[1, [2], "x"]`, `[1, [2], "x"]`, `[1]`, `{"0": 1}`), row("1", "-1", "2", "0")), want: []string{"[2]", `"x"`, "NULL", "NULL"}},
		{name: "->>", args: []types.T{js, txt}, cols: cols(row(doc, doc, doc, `{"a": null}`), row("s", "a", "n", "a")), ret: txt, want: []string{`q"t`, `{"b": [10, {"c": "x\u00e9"}, null]}`, "1.50", "NULL"}},
		{name: "->>", args: []types.T{js, i64}, cols: cols(row(`["a", 2]`), row("0")), want: []string{"a"}},
		{name: "json_extract_path", args: []types.T{js, txt, txt, txt}, cols: cols(row(doc, doc), row("a", "a"), row("b", "NULL"), row("1", "0")), ret: js, want: []string{`{"c": "x\u00e9"}`, "NULL"}},
		{name: "json_extract_path_text", args: []types.T{js, txt, txt, txt, txt}, cols: cols(row(doc), row("a"), row("b"), row("1"), row("c")), ret: txt, want: []string{"xé"}},
	})
}

// TestJSONPathOperators covers #> and #>>, whose path is a text[] built directly.
func TestJSONPathOperators(t *testing.T) {
	ctx := newTestCtx(t)
	reg := New()
	docs := col(t, ctx, types.JSONT, row(`{"a": {"b": ["x", "y"]}}`, `{"a": {"b": ["x", "y"]}}`, `{"a": 1}`, `{"a": 1}`)...)
	defer docs.Release()
	lb := array.NewListBuilder(ctx.mem(), arrow.BinaryTypes.String)
	sb := lb.ValueBuilder().(*array.StringBuilder)
	for _, p := range [][]string{{"a", "b", "1"}, {"a", "b"}, {"a", "z"}, nil} {
		if p == nil {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		for _, k := range p {
			sb.Append(k)
		}
	}
	paths := lb.NewArray()
	lb.Release()
	defer paths.Release()
	for _, tc := range []struct {
		op   string
		want []string
	}{
		{"#>", []string{`"y"`, `["x", "y"]`, "NULL", "NULL"}},
		{"#>>", []string{"y", `["x", "y"]`, "NULL", "NULL"}},
	} {
		sig, ok := reg.Lookup(tc.op).Bind([]types.T{types.JSONT, types.ArrayT(txt)})
		if !ok {
			t.Fatalf("%s does not bind", tc.op)
		}
		res, err := sig.Kernel(ctx, []arrow.Array{docs, paths}, 4)
		if err != nil {
			t.Fatal(err)
		}
		if got := texts(res, sig.Ret); !equalStrings(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.op, got, tc.want)
		}
		res.Release()
	}
}

func TestJSONPathParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []jsonStep
		ok   bool
	}{
		{"$", nil, true},
		{"$.a.b", []jsonStep{{key: "a"}, {key: "b"}}, true},
		{`$['a.b']["c"][12]`, []jsonStep{{key: "a.b"}, {key: "c"}, {index: 12, isIndex: true}}, true},
		{`$."q\"x"`, []jsonStep{{key: `q"x`}}, true},
		{" $.a [ 0 ] ", []jsonStep{{key: "a"}, {index: 0, isIndex: true}}, true},
		{"a", nil, false}, {"$.", nil, false}, {"$[", nil, false}, {"$[-1]", nil, false}, {"$.*", nil, false}, {"$['a]", nil, false}, {"$x", nil, false},
	} {
		got, err := parseJSONPath(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("parseJSONPath(%q): err %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && len(got) != len(tc.want) {
			t.Errorf("parseJSONPath(%q) = %v, want %v", tc.in, got, tc.want)
			continue
		}
		for i := range tc.want {
			if got[i] != tc.want[i] {
				t.Errorf("parseJSONPath(%q) = %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}
