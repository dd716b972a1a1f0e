package pgwire

import (
	"bufio"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/types"
)

var rewrite = flag.Bool("rewrite", false, "rewrite golden files from the reference PostgreSQL named by QUARRY_PG_REFERENCE")

const binaryGolden = "testdata/binary_pg15.txt"

// goldenValue is one line of testdata/binary_pg15.txt.
type goldenValue struct {
	typ, text, hex string
}

func readBinaryGolden(t *testing.T) (header []string, vals []goldenValue) {
	t.Helper()
	f, err := os.Open(binaryGolden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			header = append(header, line)
			continue
		}
		parts := strings.SplitN(line, " | ", 3)
		if len(parts) != 3 {
			t.Fatalf("bad line %q", line)
		}
		vals = append(vals, goldenValue{typ: parts[0], text: parts[1], hex: strings.TrimSpace(parts[2])})
	}
	return header, vals
}

// TestBinaryGolden checks the binary encoder and the parameter decoder against the bytes
// PostgreSQL 15 sends for the same values, and the text encoder against its text. With
// QUARRY_PG_REFERENCE set it first compares the file with a live server (-rewrite: updates it).
func TestBinaryGolden(t *testing.T) {
	header, vals := readBinaryGolden(t)
	if dsn := os.Getenv("QUARRY_PG_REFERENCE"); dsn != "" {
		vals = checkGoldenAgainstPG(t, dsn, header, vals)
	}
	for _, v := range vals {
		t.Run(v.typ+" "+v.text, func(t *testing.T) {
			typ, err := types.Parse(v.typ)
			if err != nil {
				t.Fatal(err)
			}
			arr := arrowFromText(t, typ, v.text)
			defer arr.Release()
			if got := encodeOne(t, typ, arr, newBinaryAppender); hex.EncodeToString(got) != v.hex {
				t.Errorf("binary: got %x, want %s", got, v.hex)
			}
			if got := encodeOne(t, typ, arr, newTextAppender); string(got) != v.text {
				t.Errorf("text: got %q, want %q", got, v.text)
			}
			if typ.Kind == types.Array {
				return // array parameters are not supported
			}
			raw, _ := hex.DecodeString(v.hex)
			p, err := decodeBinary(raw, typ.OID())
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			back, err := engine.ParamArray(typ, p, "UTC")
			if err != nil {
				t.Fatalf("decoded value: %v", err)
			}
			defer back.Release()
			if got := encodeOne(t, typ, back, newBinaryAppender); hex.EncodeToString(got) != v.hex {
				t.Errorf("decoded and encoded again: got %x, want %s", got, v.hex)
			}
		})
	}
}

func encodeOne(t *testing.T, typ types.T, arr arrow.Array, newApp func(types.T, arrow.Array) (textAppender, error)) []byte {
	t.Helper()
	app, err := newApp(typ, arr)
	if err != nil {
		t.Fatal(err)
	}
	out, ok := app(nil, 0)
	if !ok {
		t.Fatal("encoded as NULL")
	}
	return out
}

// arrowFromText builds a one-element array of typ from PostgreSQL text, as a text parameter
// would be read; arrays ({a,"b c",NULL}, one dimension) are split here, each element read
// the same way.
func arrowFromText(t *testing.T, typ types.T, text string) arrow.Array {
	t.Helper()
	if typ.Kind != types.Array {
		p := engine.Param{Text: text}
		if v, ok := infinity(typ, text); ok {
			// The text casts do not read infinities yet; build them from the value.
			p = engine.Param{Value: v}
		}
		arr, err := engine.ParamArray(typ, p, "UTC")
		if err != nil {
			t.Fatal(err)
		}
		return arr
	}
	lb := array.NewListBuilder(memory.DefaultAllocator, typ.Elem.Arrow())
	defer lb.Release()
	lb.Append(true)
	vb := lb.ValueBuilder()
	for _, e := range splitArrayLiteral(t, text) {
		if e == nil {
			vb.AppendNull()
			continue
		}
		el := arrowFromText(t, *typ.Elem, *e)
		if err := vb.AppendValueFromString(el.ValueStr(0)); err != nil {
			t.Fatal(err)
		}
		el.Release()
	}
	return lb.NewArray()
}

// infinity returns the value of a date or timestamp infinity: the extreme integers, in
// PostgreSQL and in Quarry's Arrow arrays alike.
func infinity(typ types.T, text string) (any, bool) {
	if text != "infinity" && text != "-infinity" {
		return nil, false
	}
	neg := text[0] == '-'
	switch typ.Kind {
	case types.Date:
		if neg {
			return int32(math.MinInt32), true
		}
		return int32(math.MaxInt32), true
	case types.Timestamp, types.TimestampTZ:
		if neg {
			return int64(math.MinInt64), true
		}
		return int64(math.MaxInt64), true
	}
	return nil, false
}

func splitArrayLiteral(t *testing.T, s string) []*string {
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		t.Fatalf("bad array literal %q", s)
	}
	s = s[1 : len(s)-1]
	if s == "" {
		return nil
	}
	var out []*string
	for _, e := range strings.Split(s, ",") {
		switch {
		case e == "NULL":
			out = append(out, nil)
		case strings.HasPrefix(e, `"`):
			v := strings.Trim(e, `"`)
			out = append(out, &v)
		default:
			v := e
			out = append(out, &v)
		}
	}
	return out
}

// checkGoldenAgainstPG reads each value back from a PostgreSQL server in binary and text
// and compares with the file, or rewrites the file with the server's bytes under -rewrite.
func checkGoldenAgainstPG(t *testing.T, dsn string, header []string, vals []goldenValue) []goldenValue {
	ctx := context.Background()
	pc, err := pgconn.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("reference server: %v", err)
	}
	defer pc.Close(ctx)
	if _, err := pc.Exec(ctx, "SET TimeZone = 'UTC'").ReadAll(); err != nil {
		t.Fatal(err)
	}
	var out []goldenValue
	for _, v := range vals {
		q := "SELECT $1::" + v.typ
		res := pc.ExecParams(ctx, q, [][]byte{[]byte(v.text)}, nil, nil, []int16{1}).Read()
		if res.Err != nil {
			t.Fatalf("%s %q: %v", v.typ, v.text, res.Err)
		}
		txt := pc.ExecParams(ctx, q, [][]byte{[]byte(v.text)}, nil, nil, []int16{0}).Read()
		if txt.Err != nil {
			t.Fatalf("%s %q: %v", v.typ, v.text, txt.Err)
		}
		got := goldenValue{typ: v.typ, text: string(txt.Rows[0][0]), hex: hex.EncodeToString(res.Rows[0][0])}
		if got != v && !*rewrite {
			t.Errorf("reference server: %+v, file: %+v", got, v)
		}
		out = append(out, got)
	}
	if *rewrite {
		var b strings.Builder
		for _, h := range header {
			b.WriteString(h + "\n")
		}
		for _, v := range out {
			fmt.Fprintf(&b, "%s | %s | %s\n", v.typ, v.text, v.hex)
		}
		if err := os.WriteFile(binaryGolden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
