package function

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// String functions, with PostgreSQL's semantics: lengths and positions count characters
// (UTF-8 code points), not bytes; substr with a start before the string shortens the
// count as PostgreSQL does (substr('hello', 0, 3) = 'he'; Trino would count a negative
// start from the end). Kernels read arguments straight from the Arrow buffers and write the
// result into one growing data buffer.

// bindStr builds a binder for a function whose arguments have fixed kinds: 't' text,
// 'i' integer, in order; the result is ret.
func bindStr(spec string, ret types.T, k func(n int) Kernel) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != len(spec) {
			return Sig{}, false
		}
		ts := make([]types.T, len(args))
		for i, a := range args {
			switch spec[i] {
			case 't':
				if !isStringy(a) {
					return Sig{}, false
				}
				ts[i] = types.VarcharT
			case 'i':
				if !a.IsInteger() && a.Kind != types.Unknown {
					return Sig{}, false
				}
				ts[i] = types.Int32T
			}
		}
		return Sig{Args: ts, Ret: ret, Kernel: k(len(args)), Strict: true}, true
	}
}

// bindStrOpt binds the spec with an optional trailing argument (spec's last kind).
func bindStrOpt(spec string, ret types.T, k func(n int) Kernel) Binder {
	full, short := bindStr(spec, ret, k), bindStr(spec[:len(spec)-1], ret, k)
	return func(args []types.T) (Sig, bool) {
		if len(args) == len(spec) {
			return full(args)
		}
		return short(args)
	}
}

// textRows runs f over the valid rows, appending each row's text to the result.
func textRows(ctx *Context, args []arrow.Array, n, hint int, f func(dst []byte, i int) ([]byte, error)) (arrow.Array, error) {
	mem := ctx.mem()
	validity, nulls := andValidity(mem, args, n)
	out := newBytesOut(mem, n, hint)
	for i := 0; i < n; i++ {
		if !validAt(validity, i) {
			out.appendEmpty()
			continue
		}
		p, err := f(out.tail(0), i)
		if err != nil {
			out.finish(arrow.BinaryTypes.String, validity, nulls).Release()
			return nil, err
		}
		out.commit(p)
	}
	return out.finish(arrow.BinaryTypes.String, validity, nulls), nil
}

func dataLen(args []arrow.Array) int {
	if len(args) == 0 {
		return 0
	}
	return len(viewBytes(args[0]).data)
}

func caseKernel(upper bool) func(int) Kernel {
	return func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s := viewBytes(args[0])
			return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
				return appendCase(dst, s.at(i), upper), nil
			})
		}
	}
}

// appendCase appends s in lower or upper case (ASCII fast path).
func appendCase(dst, s []byte, upper bool) []byte {
	for _, c := range s {
		if c >= utf8.RuneSelf {
			if upper {
				return append(dst, bytes.ToUpper(s)...)
			}
			return append(dst, bytes.ToLower(s)...)
		}
	}
	for _, c := range s {
		if upper && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		} else if !upper && c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// intRows builds an integer result from a per-row function over valid rows.
func int32Rows(ctx *Context, args []arrow.Array, n int, f func(i int) (int32, error)) (arrow.Array, error) {
	return rowsFixed(ctx, args, n, arrow.PrimitiveTypes.Int32, f)
}

func lengthKernel(octets bool) func(int) Kernel {
	return func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s := viewBytes(args[0])
			return int32Rows(ctx, args, n, func(i int) (int32, error) {
				if octets {
					return s.offs[i+1] - s.offs[i], nil
				}
				return int32(utf8.RuneCount(s.at(i))), nil
			})
		}
	}
}

// bindLength accepts text, and bytea for octet_length and length.
func bindLength(octets bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) == 1 && args[0].Kind == types.Bytea {
			return Sig{Args: args, Ret: types.Int32T, Kernel: lengthKernel(true)(1), Strict: true}, true
		}
		return bindStr("t", types.Int32T, lengthKernel(octets))(args)
	}
}

// runeIndex returns the byte offset of the k-th character (0-based) of s, or len(s).
func runeIndex(s []byte, k int) int {
	if k <= 0 {
		return 0
	}
	i := 0
	for c := 0; c < k && i < len(s); c++ {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, w := utf8.DecodeRune(s[i:])
		i += w
	}
	return i
}

// substrBytes is PostgreSQL's substr(s, start[, count]) on characters.
func substrBytes(s []byte, start, count int64, hasCount bool) ([]byte, error) {
	if hasCount {
		if count < 0 {
			return nil, sqlerr.New("22011", "negative substring length not allowed")
		}
		end := start + count // exclusive, 1-based
		if end < 1 || end <= start {
			return nil, nil
		}
		from := max(start, 1)
		b := runeIndex(s, int(min(from-1, int64(len(s)))))
		e := b + runeIndex(s[b:], int(min(end-from, int64(len(s)))))
		return s[b:e], nil
	}
	from := max(start, 1)
	return s[runeIndex(s, int(min(from-1, int64(len(s))))):], nil
}

func substrKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		from := fixedValues[int32](args[1])
		var cnt []int32
		if arity == 3 {
			cnt = fixedValues[int32](args[2])
		}
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			var c int64
			if cnt != nil {
				c = int64(cnt[i])
			}
			p, err := substrBytes(s.at(i), int64(from[i]), c, cnt != nil)
			return append(dst, p...), err
		})
	}
}

// strposKernel is strpos(s, sub): the character position of sub in s, 0 if absent.
func strposKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, sub := viewBytes(args[0]), viewBytes(args[1])
		return int32Rows(ctx, args, n, func(i int) (int32, error) {
			h := s.at(i)
			k := bytes.Index(h, sub.at(i))
			if k < 0 {
				return 0, nil
			}
			return int32(utf8.RuneCount(h[:k])) + 1, nil
		})
	}
}

func startsWithKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, p := viewBytes(args[0]), viewBytes(args[1])
		return boolRows(ctx, args, n, func(i int) bool { return bytes.HasPrefix(s.at(i), p.at(i)) })
	}
}

// boolRows builds a strict boolean result from a per-row predicate.
func boolRows(ctx *Context, args []arrow.Array, n int, f func(i int) bool) (arrow.Array, error) {
	mem := ctx.mem()
	validity, nulls := andValidity(mem, args, n)
	res := newBitmap(mem, n)
	o := boolOut{bits: res.Bytes()}
	for i := 0; i < n; i++ {
		o.set(i, validAt(validity, i) && f(i))
	}
	o.flush(n)
	return makeArray(arrow.FixedWidthTypes.Boolean, n, validity, res, nulls), nil
}

func replaceKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, from, to := viewBytes(args[0]), viewBytes(args[1]), viewBytes(args[2])
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			h, f, t := s.at(i), from.at(i), to.at(i)
			if len(f) == 0 {
				return append(dst, h...), nil
			}
			for {
				k := bytes.Index(h, f)
				if k < 0 {
					return append(dst, h...), nil
				}
				dst = append(dst, h[:k]...)
				dst = append(dst, t...)
				h = h[k+len(f):]
			}
		})
	}
}

// trimKernel is btrim/ltrim/rtrim with an optional set of characters (default a space).
func trimKernel(left, right bool) func(int) Kernel {
	return func(arity int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s := viewBytes(args[0])
			var chars byteView
			if arity == 2 {
				chars = viewBytes(args[1])
			}
			return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
				set := " "
				if arity == 2 {
					set = bstr(chars.at(i))
				}
				v := bstr(s.at(i))
				if left {
					v = strings.TrimLeft(v, set)
				}
				if right {
					v = strings.TrimRight(v, set)
				}
				return append(dst, v...), nil
			})
		}
	}
}

// padKernel is lpad/rpad(s, len[, fill]): s cut or filled to len characters.
func padKernel(left bool) func(int) Kernel {
	return func(arity int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s := viewBytes(args[0])
			ln := fixedValues[int32](args[1])
			var fill byteView
			if arity == 3 {
				fill = viewBytes(args[2])
			}
			return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
				want := int(ln[i])
				if want <= 0 {
					return dst, nil
				}
				if want > 10<<20 {
					return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested length too large")
				}
				f := []byte(" ")
				if arity == 3 {
					f = fill.at(i)
				}
				v := s.at(i)
				have := utf8.RuneCount(v)
				if have >= want || len(f) == 0 {
					return append(dst, v[:runeIndex(v, want)]...), nil
				}
				need := want - have
				if !left {
					dst = append(dst, v...)
				}
				for need > 0 {
					for j := 0; j < len(f) && need > 0; {
						_, w := utf8.DecodeRune(f[j:])
						dst = append(dst, f[j:j+w]...)
						j += w
						need--
					}
				}
				if left {
					dst = append(dst, v...)
				}
				return dst, nil
			})
		}
	}
}

func reverseKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			v := s.at(i)
			for j := len(v); j > 0; {
				_, w := utf8.DecodeLastRune(v[:j])
				dst = append(dst, v[j-w:j]...)
				j -= w
			}
			return dst, nil
		})
	}
}

// leftRightKernel is left(s, n) / right(s, n); a negative n drops |n| characters from the
// other end.
func leftRightKernel(left bool) func(int) Kernel {
	return func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s := viewBytes(args[0])
			k := fixedValues[int32](args[1])
			return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
				v := s.at(i)
				cnt := utf8.RuneCount(v)
				m := int(k[i])
				if m < 0 {
					m = max(cnt+m, 0)
				}
				m = min(m, cnt)
				if left {
					return append(dst, v[:runeIndex(v, m)]...), nil
				}
				return append(dst, v[runeIndex(v, cnt-m):]...), nil
			})
		}
	}
}

func repeatKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		k := fixedValues[int32](args[1])
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			v := s.at(i)
			if int64(len(v))*int64(k[i]) > 64<<20 {
				return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested length too large")
			}
			for j := int32(0); j < k[i]; j++ {
				dst = append(dst, v...)
			}
			return dst, nil
		})
	}
}

// splitPartKernel is split_part(s, delim, n); a negative n counts from the end
// (PostgreSQL 14+); n = 0 is an error.
func splitPartKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, d := viewBytes(args[0]), viewBytes(args[1])
		k := fixedValues[int32](args[2])
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			v, delim, idx := s.at(i), d.at(i), int(k[i])
			if idx == 0 {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "field position must not be zero")
			}
			if len(delim) == 0 {
				if idx == 1 || idx == -1 {
					return append(dst, v...), nil
				}
				return dst, nil
			}
			parts := bytes.Split(v, delim)
			if idx < 0 {
				idx = len(parts) + idx + 1
			}
			if idx < 1 || idx > len(parts) {
				return dst, nil
			}
			return append(dst, parts[idx-1]...), nil
		})
	}
}

func initcapKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			inWord := false
			for _, r := range bstr(s.at(i)) {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					if inWord {
						r = unicode.ToLower(r)
					} else {
						r = unicode.ToUpper(r)
					}
					inWord = true
				} else {
					inWord = false
				}
				dst = utf8.AppendRune(dst, r)
			}
			return dst, nil
		})
	}
}

func md5Kernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		return textRows(ctx, args, n, 32*n, func(dst []byte, i int) ([]byte, error) {
			sum := md5.Sum(s.at(i))
			return hex.AppendEncode(dst, sum[:]), nil
		})
	}
}

func chrKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		c := fixedValues[int32](args[0])
		return textRows(ctx, args, n, 2*n, func(dst []byte, i int) ([]byte, error) {
			r := c[i]
			switch {
			case r == 0:
				return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "null character not permitted")
			case r < 0 || r > unicode.MaxRune || (r >= 0xD800 && r <= 0xDFFF):
				return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested character too large for encoding: %d", r)
			}
			return utf8.AppendRune(dst, rune(r)), nil
		})
	}
}

func asciiKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		return int32Rows(ctx, args, n, func(i int) (int32, error) {
			r, _ := utf8.DecodeRune(s.at(i))
			if r == utf8.RuneError && len(s.at(i)) == 0 {
				return 0, nil
			}
			return int32(r), nil
		})
	}
}
