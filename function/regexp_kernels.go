package function

import (
	"bytes"
	"regexp"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Kernels of the regular-expression functions and operators (see regexp.go for dialects).
// Each kernel keeps the last pattern (and flags) it compiled, so a constant pattern costs
// one comparison per row.

// reCursor compiles the pattern of each row, reusing the previous row's when equal.
type reCursor struct {
	opts   reOpts
	global bool
	last   []byte
	flags  []byte
	re     *regexp.Regexp
}

func (c *reCursor) get(p []byte) (*regexp.Regexp, error) {
	if c.re != nil && bytes.Equal(p, c.last) {
		return c.re, nil
	}
	re, err := compileRegex(p, c.opts)
	if err != nil {
		return nil, err
	}
	c.re, c.last = re, append(c.last[:0], p...)
	return re, nil
}

// getFlags is get for a pattern with PostgreSQL flags.
func (c *reCursor) getFlags(p, f []byte) (*regexp.Regexp, error) {
	if c.re == nil || !bytes.Equal(f, c.flags) {
		opts, global, err := parsePGFlags(f)
		if err != nil {
			return nil, err
		}
		c.opts, c.global, c.re = opts, global, nil
		c.flags = append(c.flags[:0], f...)
	}
	return c.get(p)
}

// textRowsNull is textRows for functions that may return NULL on non-NULL input: f
// reports whether the row's result is NULL.
func textRowsNull(ctx *Context, args []arrow.Array, n, hint int, f func(dst []byte, i int) ([]byte, bool, error)) (arrow.Array, error) {
	mem := ctx.mem()
	validity, _ := andValidity(mem, args, n)
	if validity == nil {
		validity = newBitmap(mem, n)
		bitutil.SetBitsTo(validity.Bytes(), 0, int64(n), true)
	}
	bits := validity.Bytes()
	out := newBytesOut(mem, n, hint)
	for i := 0; i < n; i++ {
		if !bitutil.BitIsSet(bits, i) {
			out.appendEmpty()
			continue
		}
		p, null, err := f(out.tail(0), i)
		if err != nil {
			out.finish(arrow.BinaryTypes.String, validity, 0).Release()
			return nil, err
		}
		if null {
			bitutil.ClearBit(bits, i)
			out.appendEmpty()
			continue
		}
		out.commit(p)
	}
	nulls := n - bitutil.CountSetBits(bits, 0, n)
	return out.finish(arrow.BinaryTypes.String, validity, nulls), nil
}

// strListOut builds an array(text) result row by row.
type strListOut struct {
	lb     *array.ListBuilder
	sb     *array.StringBuilder
	opened bool // the current row's list has been started
}

func newStrListOut(mem memory.Allocator, n int) *strListOut {
	lb := array.NewListBuilder(mem, arrow.BinaryTypes.String)
	lb.Reserve(n)
	return &strListOut{lb: lb, sb: lb.ValueBuilder().(*array.StringBuilder)}
}

func (o *strListOut) open() {
	if !o.opened {
		o.lb.Append(true)
		o.opened = true
	}
}

func (o *strListOut) elem(b []byte) { o.open(); o.sb.BinaryBuilder.Append(b) }
func (o *strListOut) elemNull()     { o.open(); o.sb.AppendNull() }

// listRows runs f over the valid rows of a strict function returning array(text); f
// appends the row's elements, or reports that the row's result is NULL (then it must not
// have appended any).
func listRows(ctx *Context, args []arrow.Array, n int, f func(o *strListOut, i int) (bool, error)) (arrow.Array, error) {
	mem := ctx.mem()
	validity, _ := andValidity(mem, args, n)
	defer releaseBuf(validity)
	o := newStrListOut(mem, n)
	defer o.lb.Release()
	for i := 0; i < n; i++ {
		if !validAt(validity, i) {
			o.lb.AppendNull()
			continue
		}
		o.opened = false
		null, err := f(o, i)
		if err != nil {
			return nil, err
		}
		switch {
		case null && !o.opened:
			o.lb.AppendNull()
		case !o.opened:
			o.lb.Append(true) // an empty list
		}
	}
	return o.lb.NewArray(), nil
}

var textArrayT = types.ArrayT(types.VarcharT)

// bindRegex binds a regex function over text arguments: spec as bindStr ('t' text, 'i'
// integer), result ret.
func bindRegex(spec string, ret types.T, k func(arity int) Kernel) Binder {
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
				ts[i] = types.Int64T
			}
		}
		return Sig{Args: ts, Ret: ret, Kernel: k(len(args)), Strict: true}, true
	}
}

// bindRegexN tries several arities of bindRegex.
func bindRegexN(binders ...Binder) Binder {
	return func(args []types.T) (Sig, bool) {
		for _, b := range binders {
			if s, ok := b(args); ok {
				return s, true
			}
		}
		return Sig{}, false
	}
}

// regexMatchKernel is the ~ family and regexp_like: whether the pattern matches anywhere.
// With arity 3 the third argument holds PostgreSQL flags.
func regexMatchKernel(opts reOpts, negate bool) func(int) Kernel {
	return func(arity int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s, p := viewBytes(args[0]), viewBytes(args[1])
			var fl byteView
			if arity == 3 {
				fl = viewBytes(args[2])
			}
			cur := reCursor{opts: opts}
			var err error
			res, _ := boolRows(ctx, args, n, func(i int) bool {
				if err != nil {
					return false
				}
				var re *regexp.Regexp
				if arity == 3 {
					re, err = cur.getFlags(p.at(i), fl.at(i))
				} else {
					re, err = cur.get(p.at(i))
				}
				return err == nil && re.Match(s.at(i)) != negate
			})
			if err != nil {
				res.Release()
				return nil, err
			}
			return res, nil
		}
	}
}

// groupArg returns the group-number column of an optional argument at position k.
func groupArg(args []arrow.Array, k int) []int64 {
	if len(args) > k {
		return fixedValues[int64](args[k])
	}
	return nil
}

func checkGroup(re *regexp.Regexp, g int64) error {
	if g < 0 || g > int64(re.NumSubexp()) {
		return sqlerr.New(sqlerr.InvalidParameterValue, "Pattern has %d groups. Cannot access group %d", re.NumSubexp(), g)
	}
	return nil
}

// regexExtractKernel is regexp_extract(s, p [, group]): the group of the first match, NULL
// without a match or when the group did not take part in it.
func regexExtractKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, p := viewBytes(args[0]), viewBytes(args[1])
		grp := groupArg(args, 2)
		cur := reCursor{opts: reOpts{dialect: reTrino}}
		return textRowsNull(ctx, args, n, 0, func(dst []byte, i int) ([]byte, bool, error) {
			re, err := cur.get(p.at(i))
			if err != nil {
				return nil, false, err
			}
			var g int64
			if grp != nil {
				g = grp[i]
			}
			if err := checkGroup(re, g); err != nil {
				return nil, false, err
			}
			v := s.at(i)
			m := re.FindSubmatchIndex(v)
			if m == nil || m[2*g] < 0 {
				return nil, true, nil
			}
			return append(dst, v[m[2*g]:m[2*g+1]]...), false, nil
		})
	}
}

// regexExtractAllKernel is regexp_extract_all(s, p [, group]) → array(varchar).
func regexExtractAllKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, p := viewBytes(args[0]), viewBytes(args[1])
		grp := groupArg(args, 2)
		cur := reCursor{opts: reOpts{dialect: reTrino}}
		return listRows(ctx, args, n, func(o *strListOut, i int) (bool, error) {
			re, err := cur.get(p.at(i))
			if err != nil {
				return false, err
			}
			var g int64
			if grp != nil {
				g = grp[i]
			}
			if err := checkGroup(re, g); err != nil {
				return false, err
			}
			v := s.at(i)
			for _, m := range re.FindAllSubmatchIndex(v, -1) {
				if m[2*g] < 0 {
					o.elemNull()
					continue
				}
				o.elem(v[m[2*g]:m[2*g+1]])
			}
			return false, nil
		})
	}
}

// regexReplaceKernel is regexp_replace: Trino's (s, p) and (s, p, r) replace every match
// ($n references); PostgreSQL's (s, p, r, flags) replaces the first match, or all with 'g'
// (\n references).
func regexReplaceKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, p := viewBytes(args[0]), viewBytes(args[1])
		var r, fl byteView
		if arity >= 3 {
			r = viewBytes(args[2])
		}
		if arity == 4 {
			fl = viewBytes(args[3])
		}
		cur := reCursor{opts: reOpts{dialect: reTrino}, global: true}
		var lastRepl []byte
		var toks []replTok
		var tokRe *regexp.Regexp
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			var re *regexp.Regexp
			var err error
			if arity == 4 {
				re, err = cur.getFlags(p.at(i), fl.at(i))
			} else {
				re, err = cur.get(p.at(i))
			}
			if err != nil {
				return nil, err
			}
			if arity >= 3 && (toks == nil || tokRe != re || !bytes.Equal(r.at(i), lastRepl)) {
				if arity == 4 {
					toks = parsePGReplacement(string(r.at(i)))
				} else if toks, err = parseJavaReplacement(string(r.at(i)), re); err != nil {
					return nil, err
				}
				if toks == nil {
					toks = []replTok{}
				}
				lastRepl, tokRe = append(lastRepl[:0], r.at(i)...), re
			}
			v := s.at(i)
			limit := -1
			if !cur.global {
				limit = 1
			}
			prev := 0
			for _, m := range re.FindAllSubmatchIndex(v, limit) {
				dst = append(dst, v[prev:m[0]]...)
				dst = appendReplacement(dst, toks, v, m)
				prev = m[1]
			}
			return append(dst, v[prev:]...), nil
		})
	}
}

// regexCountKernel is regexp_count(s, p): the number of matches.
func regexCountKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, p := viewBytes(args[0]), viewBytes(args[1])
		cur := reCursor{opts: reOpts{dialect: reTrino}}
		return rowsFixed(ctx, args, n, arrow.PrimitiveTypes.Int64, func(i int) (int64, error) {
			re, err := cur.get(p.at(i))
			if err != nil {
				return 0, err
			}
			return int64(len(re.FindAllIndex(s.at(i), -1))), nil
		})
	}
}

// regexSplitKernel is Trino's regexp_split(s, p) and PostgreSQL's
// regexp_split_to_array(s, p [, flags]).
func regexSplitKernel(d reDialect) func(int) Kernel {
	return func(arity int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			s, p := viewBytes(args[0]), viewBytes(args[1])
			var fl byteView
			if arity == 3 {
				fl = viewBytes(args[2])
			}
			cur := reCursor{opts: reOpts{dialect: d}}
			return listRows(ctx, args, n, func(o *strListOut, i int) (bool, error) {
				var re *regexp.Regexp
				var err error
				if arity == 3 {
					re, err = cur.getFlags(p.at(i), fl.at(i))
					if err == nil && cur.global {
						err = sqlerr.New(sqlerr.InvalidParameterValue, "regexp_split_to_array() does not support the \"global\" option")
					}
				} else {
					re, err = cur.get(p.at(i))
				}
				if err != nil {
					return false, err
				}
				v := s.at(i)
				prev := 0
				for _, m := range re.FindAllIndex(v, -1) {
					if m[1] == 0 && d == rePG || m[0] == len(v) && m[1] == m[0] && d == rePG {
						continue // PostgreSQL ignores empty matches at the ends
					}
					o.elem(v[prev:m[0]])
					prev = m[1]
				}
				o.elem(v[prev:])
				return false, nil
			})
		}
	}
}

// regexMatchArrayKernel is PostgreSQL's regexp_match(s, p [, flags]): the captured groups
// of the first match (the whole match when the pattern has none), NULL without a match.
func regexMatchArrayKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, p := viewBytes(args[0]), viewBytes(args[1])
		var fl byteView
		if arity == 3 {
			fl = viewBytes(args[2])
		}
		cur := reCursor{opts: reOpts{dialect: rePG}}
		return listRows(ctx, args, n, func(o *strListOut, i int) (bool, error) {
			var re *regexp.Regexp
			var err error
			if arity == 3 {
				re, err = cur.getFlags(p.at(i), fl.at(i))
				if err == nil && cur.global {
					err = sqlerr.New(sqlerr.InvalidParameterValue, "regexp_match() does not support the \"global\" option")
				}
			} else {
				re, err = cur.get(p.at(i))
			}
			if err != nil {
				return false, err
			}
			v := s.at(i)
			m := re.FindSubmatchIndex(v)
			if m == nil {
				return true, nil
			}
			if re.NumSubexp() == 0 {
				o.elem(v[m[0]:m[1]])
				return false, nil
			}
			for g := 1; g <= re.NumSubexp(); g++ {
				if m[2*g] < 0 {
					o.elemNull()
				} else {
					o.elem(v[m[2*g]:m[2*g+1]])
				}
			}
			return false, nil
		})
	}
}
