package function

import (
	"bytes"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// LIKE and ILIKE (operators ~~, !~~, ~~*, !~~*). '%' matches any run of characters, '_'
// one character (not byte), and a backslash escapes the next character. The pattern is
// compiled once per distinct value (a literal pattern once per batch) into a matcher that
// classifies the common shapes — exact, 'abc%', '%abc', '%abc%' — so they cost one
// bytes.HasPrefix/HasSuffix/Index; other patterns run a backtracking matcher that is
// linear for patterns with one '%' and O(n·m) at worst. ILIKE folds both sides to lower
// case.

type likeKind uint8

const (
	likeExact likeKind = iota
	likePrefix
	likeSuffix
	likeContains
	likeSegments // literals separated by '%', no '_': matched with bytes.Index
	likeGeneral
)

type likeMatcher struct {
	kind likeKind
	lit  []byte    // the literal of the simple shapes
	toks []likeTok // the general pattern
	// likeSegments: the literal runs, and whether the pattern starts/ends with '%'.
	segs        [][]byte
	lead, trail bool
}

type likeTok struct {
	any  bool // '%'
	one  bool // '_'
	char []byte
}

// compileLike parses a LIKE pattern with backslash escapes.
func compileLike(p []byte) (*likeMatcher, error) {
	var toks []likeTok
	for i := 0; i < len(p); {
		c := p[i]
		switch c {
		case '%':
			if len(toks) == 0 || !toks[len(toks)-1].any {
				toks = append(toks, likeTok{any: true})
			}
			i++
		case '_':
			toks = append(toks, likeTok{one: true})
			i++
		case '\\':
			if i+1 == len(p) {
				return nil, sqlerr.New("22025", "LIKE pattern must not end with escape character")
			}
			_, w := utf8.DecodeRune(p[i+1:])
			toks = append(toks, likeTok{char: p[i+1 : i+1+w]})
			i += 1 + w
		default:
			_, w := utf8.DecodeRune(p[i:])
			toks = append(toks, likeTok{char: p[i : i+w]})
			i += w
		}
	}
	m := &likeMatcher{kind: likeGeneral, toks: toks}
	// Classify: literal runs with '%' only at the ends.
	lo, hi := 0, len(toks)
	lead := lo < hi && toks[lo].any
	if lead {
		lo++
	}
	trail := hi > lo && toks[hi-1].any
	if trail {
		hi--
	}
	var lit []byte
	for _, t := range toks[lo:hi] {
		if t.any || t.one {
			m.segments(lead, trail)
			return m, nil
		}
		lit = append(lit, t.char...)
	}
	m.lit = lit
	switch {
	case lead && trail:
		m.kind = likeContains
	case lead:
		m.kind = likeSuffix
	case trail:
		m.kind = likePrefix
	default:
		m.kind = likeExact
	}
	return m, nil
}

// segments switches a pattern of literals and '%' (no '_') to the segment matcher.
func (m *likeMatcher) segments(lead, trail bool) {
	var segs [][]byte
	var cur []byte
	for _, t := range m.toks {
		switch {
		case t.one:
			return
		case t.any:
			if len(cur) > 0 {
				segs = append(segs, cur)
			}
			cur = nil
		default:
			cur = append(cur, t.char...)
		}
	}
	if len(cur) > 0 {
		segs = append(segs, cur)
	}
	m.kind, m.segs, m.lead, m.trail = likeSegments, segs, lead, trail
}

// matchSegments matches literal runs separated by '%': the first must be a prefix unless
// the pattern starts with '%', the last a suffix unless it ends with '%', and the middle
// ones are found leftmost in order (which is optimal: an earlier match never hurts).
func (m *likeMatcher) matchSegments(s []byte) bool {
	segs := m.segs
	if !m.lead {
		if !bytes.HasPrefix(s, segs[0]) {
			return false
		}
		s, segs = s[len(segs[0]):], segs[1:]
	}
	if !m.trail {
		last := segs[len(segs)-1]
		if !bytes.HasSuffix(s, last) {
			return false
		}
		s, segs = s[:len(s)-len(last)], segs[:len(segs)-1]
	}
	for _, seg := range segs {
		k := bytes.Index(s, seg)
		if k < 0 {
			return false
		}
		s = s[k+len(seg):]
	}
	return true
}

func (m *likeMatcher) match(s []byte) bool {
	switch m.kind {
	case likeSegments:
		return m.matchSegments(s)
	case likeExact:
		return bytes.Equal(s, m.lit)
	case likePrefix:
		return bytes.HasPrefix(s, m.lit)
	case likeSuffix:
		return bytes.HasSuffix(s, m.lit)
	case likeContains:
		return bytes.Contains(s, m.lit)
	}
	return matchToks(m.toks, s)
}

// matchToks is the classic wildcard matcher: on a mismatch it backtracks to just after the
// last '%' and lets that '%' swallow one more character.
func matchToks(toks []likeTok, s []byte) bool {
	ti, si := 0, 0
	starT, starS := -1, 0
	for si < len(s) {
		if ti < len(toks) {
			t := toks[ti]
			switch {
			case t.any:
				starT, starS = ti, si
				ti++
				continue
			case t.one:
				_, w := utf8.DecodeRune(s[si:])
				si += w
				ti++
				continue
			case bytes.HasPrefix(s[si:], t.char):
				si += len(t.char)
				ti++
				continue
			}
		}
		if starT < 0 {
			return false
		}
		_, w := utf8.DecodeRune(s[starS:])
		starS += w
		si = starS
		ti = starT + 1
	}
	for ti < len(toks) && toks[ti].any {
		ti++
	}
	return ti == len(toks)
}

func bindLike(negate, fold bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 || !isStringy(args[0]) || !isStringy(args[1]) {
			return Sig{}, false
		}
		return Sig{Args: []types.T{types.VarcharT, types.VarcharT}, Ret: types.BoolT, Kernel: likeKernel(negate, fold), Strict: true}, true
	}
}

func likeKernel(negate, fold bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		res := newBitmap(mem, n)
		o := boolOut{bits: res.Bytes()}
		s, p := viewBytes(args[0]), viewBytes(args[1])
		var m *likeMatcher
		var last []byte
		var sbuf []byte
		for i := 0; i < n; i++ {
			if !validAt(validity, i) {
				o.set(i, false)
				continue
			}
			pat := p.at(i)
			if m == nil || !bytes.Equal(pat, last) {
				cp := pat
				if fold {
					cp = foldLower(nil, pat)
				}
				var err error
				if m, err = compileLike(cp); err != nil {
					releaseBuf(validity)
					res.Release()
					return nil, err
				}
				last = pat
			}
			v := s.at(i)
			if fold {
				sbuf = foldLower(sbuf[:0], v)
				v = sbuf
			}
			o.set(i, m.match(v) != negate)
		}
		o.flush(n)
		return makeArray(arrow.FixedWidthTypes.Boolean, n, validity, res, nulls), nil
	}
}

// foldLower appends the lower-case form of s to dst (ASCII fast path, Unicode otherwise).
func foldLower(dst, s []byte) []byte {
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return append(dst, bytes.ToLower(s)...)
		}
	}
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
