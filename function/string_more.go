package function

import (
	"bytes"
	"encoding/hex"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// More string functions: split (Trino) and string_to_array (PostgreSQL), which return
// array(text); translate; to_hex/from_hex; levenshtein_distance; and Trino's url_extract_*
// family. Strictness as everywhere: a NULL argument gives NULL.

// splitKernel is Trino's split(s, delim [, limit]): the pieces of s between delimiters;
// with a limit, the last piece holds the rest of the string.
func splitKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, d := viewBytes(args[0]), viewBytes(args[1])
		lim := groupArg(args, 2)
		return listRows(ctx, args, n, func(o *strListOut, i int) (bool, error) {
			v, delim := s.at(i), d.at(i)
			if len(delim) == 0 {
				return false, sqlerr.New(sqlerr.InvalidParameterValue, "The delimiter may not be the empty string")
			}
			limit := int64(-1)
			if lim != nil {
				if limit = lim[i]; limit <= 0 {
					return false, sqlerr.New(sqlerr.InvalidParameterValue, "Limit must be positive")
				}
			}
			for parts := int64(1); limit < 0 || parts < limit; parts++ {
				k := bytes.Index(v, delim)
				if k < 0 {
					break
				}
				o.elem(v[:k])
				v = v[k+len(delim):]
			}
			o.elem(v)
			return false, nil
		})
	}
}

// stringToArrayKernel is PostgreSQL's string_to_array(s, delim [, null_string]): an empty
// string gives an empty array, an empty delimiter the whole string as one element, and
// elements equal to null_string become NULL.
func stringToArrayKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, d := viewBytes(args[0]), viewBytes(args[1])
		var ns byteView
		if arity == 3 {
			ns = viewBytes(args[2])
		}
		return listRows(ctx, args, n, func(o *strListOut, i int) (bool, error) {
			v, delim := s.at(i), d.at(i)
			if len(v) == 0 {
				return false, nil
			}
			put := func(p []byte) {
				if arity == 3 && bytes.Equal(p, ns.at(i)) {
					o.elemNull()
					return
				}
				o.elem(p)
			}
			if len(delim) == 0 {
				put(v)
				return false, nil
			}
			for {
				k := bytes.Index(v, delim)
				if k < 0 {
					break
				}
				put(v[:k])
				v = v[k+len(delim):]
			}
			put(v)
			return false, nil
		})
	}
}

// translateKernel is translate(s, from, to): each character of s found in from is
// replaced by the character at the same position in to, or removed when to is shorter.
func translateKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, f, t := viewBytes(args[0]), viewBytes(args[1]), viewBytes(args[2])
		var lastF, lastT []byte
		var m map[rune]rune // -1 = delete
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			if m == nil || !bytes.Equal(f.at(i), lastF) || !bytes.Equal(t.at(i), lastT) {
				m = make(map[rune]rune)
				to := []rune(string(t.at(i)))
				for k, r := range []rune(string(f.at(i))) {
					if _, dup := m[r]; dup {
						continue // the first occurrence wins, as in PostgreSQL
					}
					if k < len(to) {
						m[r] = to[k]
					} else {
						m[r] = -1
					}
				}
				lastF, lastT = append(lastF[:0], f.at(i)...), append(lastT[:0], t.at(i)...)
			}
			for _, r := range bstr(s.at(i)) {
				if x, ok := m[r]; ok {
					if x >= 0 {
						dst = utf8.AppendRune(dst, x)
					}
					continue
				}
				dst = utf8.AppendRune(dst, r)
			}
			return dst, nil
		})
	}
}

// bindToHex resolves to_hex: PostgreSQL's for integers (lower-case, two's complement at
// the argument's width) and Trino's for varbinary (upper-case).
func bindToHex(args []types.T) (Sig, bool) {
	if len(args) != 1 {
		return Sig{}, false
	}
	t := args[0]
	switch {
	case t.Kind == types.Bytea:
		return Sig{Args: args, Ret: types.VarcharT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			v := viewBytes(args[0])
			return textRows(ctx, args, n, 2*len(v.data), func(dst []byte, i int) ([]byte, error) {
				for _, c := range v.at(i) {
					dst = append(dst, "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
				}
				return dst, nil
			})
		}}, true
	case t.IsInteger() || t.Kind == types.Unknown:
		if t.Kind != types.Int64 {
			t = types.Int32T
		}
		bits32 := t.Kind == types.Int32
		return Sig{Args: []types.T{t}, Ret: types.VarcharT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			get := intColumn(args[0], t)
			return textRows(ctx, args, n, 8*n, func(dst []byte, i int) ([]byte, error) {
				v := uint64(get(i))
				if bits32 {
					v = uint64(uint32(v))
				}
				return strconv.AppendUint(dst, v, 16), nil
			})
		}}, true
	}
	return Sig{}, false
}

// fromHexKernel is Trino's from_hex(varchar) → varbinary.
func fromHexKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		v := viewBytes(args[0])
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		out := newBytesOut(mem, n, len(v.data)/2)
		for i := 0; i < n; i++ {
			if !validAt(validity, i) {
				out.appendEmpty()
				continue
			}
			s := v.at(i)
			p := out.tail(len(s) / 2)
			p, err := hex.AppendDecode(p, s)
			if err != nil || len(s)%2 != 0 {
				out.finish(arrow.BinaryTypes.Binary, validity, nulls).Release()
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid hexadecimal input: \"%s\"", s)
			}
			out.commit(p)
		}
		return out.finish(arrow.BinaryTypes.Binary, validity, nulls), nil
	}
}

// levenshteinKernel is levenshtein_distance(a, b): the edit distance in characters.
func levenshteinKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		a, b := viewBytes(args[0]), viewBytes(args[1])
		var ra, rb []rune
		var row []int64
		return rowsFixed(ctx, args, n, arrow.PrimitiveTypes.Int64, func(i int) (int64, error) {
			ra, rb = appendRunes(ra[:0], a.at(i)), appendRunes(rb[:0], b.at(i))
			if len(ra) < len(rb) {
				ra, rb = rb, ra
			}
			if int64(len(ra))*int64(len(rb)) > 1_000_000 {
				return 0, sqlerr.New(sqlerr.ProgramLimitExceeded, "The combined inputs for Levenshtein distance are too large")
			}
			row = grow(row[:0], len(rb)+1)
			for j := range row {
				row[j] = int64(j)
			}
			for x := 1; x <= len(ra); x++ {
				diag := row[0]
				row[0] = int64(x)
				for y := 1; y <= len(rb); y++ {
					cost := int64(1)
					if ra[x-1] == rb[y-1] {
						cost = 0
					}
					next := min(row[y]+1, row[y-1]+1, diag+cost)
					diag, row[y] = row[y], next
				}
			}
			return row[len(rb)], nil
		})
	}
}

func appendRunes(dst []rune, s []byte) []rune {
	for _, r := range bstr(s) {
		dst = append(dst, r)
	}
	return dst
}

// urlPart selects what url_extract_* returns.
type urlPart uint8

const (
	urlHost urlPart = iota
	urlPath
	urlProtocol
	urlQuery
	urlFragment
	urlParameter
)

// urlExtractKernel is Trino's url_extract_{host,path,protocol,query,fragment,parameter}:
// NULL for an unparsable URL or an absent parameter.
func urlExtractKernel(part urlPart) func(int) Kernel {
	return func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s := viewBytes(args[0])
			var name byteView
			if part == urlParameter {
				name = viewBytes(args[1])
			}
			return textRowsNull(ctx, args, n, 0, func(dst []byte, i int) ([]byte, bool, error) {
				u, err := url.Parse(string(s.at(i)))
				if err != nil {
					return nil, true, nil
				}
				switch part {
				case urlHost:
					return append(dst, u.Hostname()...), false, nil
				case urlPath:
					return append(dst, u.EscapedPath()...), false, nil
				case urlProtocol:
					return append(dst, u.Scheme...), false, nil
				case urlQuery:
					return append(dst, u.RawQuery...), false, nil
				case urlFragment:
					return append(dst, u.EscapedFragment()...), false, nil
				}
				vals, err := url.ParseQuery(u.RawQuery)
				v, ok := vals[string(name.at(i))]
				if (err != nil && !ok) || !ok || len(v) == 0 {
					return nil, true, nil
				}
				return append(dst, v[0]...), false, nil
			})
		}
	}
}

// urlPortKernel is url_extract_port(url) → bigint, NULL without a port.
func urlPortKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		mem := ctx.mem()
		validity, _ := andValidity(mem, args, n)
		data, out := newFixed[int64](mem, n)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if !validAt(validity, i) {
				continue
			}
			u, err := url.Parse(string(s.at(i)))
			if err != nil || u.Port() == "" {
				continue
			}
			p, err := strconv.ParseInt(u.Port(), 10, 64)
			if err != nil {
				continue
			}
			out[i], valid[i] = p, true
		}
		releaseBuf(validity)
		v, nulls := validityFromSeen(mem, valid, n)
		return makeArray(arrow.PrimitiveTypes.Int64, n, v, data, nulls), nil
	}
}
