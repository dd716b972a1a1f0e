package function

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// to_char(number, template), PostgreSQL's numeric formatting, for the common patterns:
//
//	9 digit (blank when a leading zero)   0 digit (zero shown)   . or D decimal point
//	, or G group separator   FM no padding, no trailing zeros after the point
//	S sign (+/-) where written   MI minus (or blank) where written   PR <negative>
//
// Without S, MI or PR, one position before the number holds '-' or a blank. A value with
// more integer digits than the template has prints every digit position as '#'. Other
// characters are copied; EEEE, RN, TH and V are not supported and print as literals.

type numTemplate struct {
	toks      []numTok
	intDigits int // digit positions before the point
	fracDigit int // digit positions after the point
	zeroFrom  int // index (among integer positions) of the first '0', or intDigits
	fm        bool
	sign      byte // 0 (default), 'S', 'M' (MI), 'P' (PR)
}

type numTok struct {
	kind byte // '9', '0', '.', ',', 'S', 'M', 'l' (literal)
	lit  string
}

func compileNumTemplate(f string) (*numTemplate, error) {
	t := &numTemplate{zeroFrom: -1}
	afterPoint := false
	for i := 0; i < len(f); i++ {
		c := f[i]
		up := strings.ToUpper(f[i:min(i+2, len(f))])
		switch {
		case up == "FM":
			t.fm = true
			i++
		case up == "MI":
			t.sign = 'M'
			t.toks = append(t.toks, numTok{kind: 'M'})
			i++
		case up == "PR":
			t.sign = 'P'
			i++
		case c == 'S' || c == 's':
			t.sign = 'S'
			t.toks = append(t.toks, numTok{kind: 'S'})
		case c == '9' || c == '0':
			if afterPoint {
				t.fracDigit++
			} else {
				if c == '0' && t.zeroFrom < 0 {
					t.zeroFrom = t.intDigits
				}
				t.intDigits++
			}
			t.toks = append(t.toks, numTok{kind: c})
		case (c == '.' || c == 'D' || c == 'd') && !afterPoint:
			afterPoint = true
			t.toks = append(t.toks, numTok{kind: '.'})
		case c == ',' || c == 'G' || c == 'g':
			t.toks = append(t.toks, numTok{kind: ','})
		default:
			t.toks = append(t.toks, numTok{kind: 'l', lit: f[i : i+1]})
		}
	}
	if t.zeroFrom < 0 {
		t.zeroFrom = t.intDigits
	}
	return t, nil
}

// appendNumFormat lays out the decimal text of |v| (digits with an optional '.') and its
// sign according to the template.
func appendNumFormat(dst []byte, t *numTemplate, abs string, neg bool) []byte {
	intPart, frac, _ := strings.Cut(abs, ".")
	if intPart == "0" && t.fracDigit > 0 {
		intPart = ""
	}
	overflow := len(intPart) > t.intDigits
	// The first integer position that prints something.
	first := t.intDigits - len(intPart)
	if t.zeroFrom < first {
		first = t.zeroFrom
	}
	if t.intDigits > 0 && first == t.intDigits && t.fracDigit == 0 {
		first = t.intDigits - 1 // zero prints as "0"
		intPart = "0"
	}
	var body []byte
	pos, fpos := 0, 0
	started := false
	signDone := t.sign != 0
	putSign := func() {
		if !signDone {
			if neg {
				body = append(body, '-')
			} else if !t.fm {
				body = append(body, ' ')
			}
			signDone = true
		}
	}
	for _, tk := range t.toks {
		switch tk.kind {
		case '9', '0':
			if pos < t.intDigits {
				switch {
				case overflow:
					putSign()
					body = append(body, '#')
				case pos < first:
					if !t.fm {
						body = append(body, ' ')
					}
				default:
					putSign()
					started = true
					k := pos - (t.intDigits - len(intPart))
					if k < 0 {
						body = append(body, '0')
					} else {
						body = append(body, intPart[k])
					}
				}
				pos++
				continue
			}
			switch {
			case overflow:
				body = append(body, '#')
			case fpos < len(frac):
				body = append(body, frac[fpos])
			}
			fpos++
		case '.':
			putSign()
			body = append(body, '.')
		case ',':
			if started || overflow {
				body = append(body, ',')
			} else if !t.fm {
				body = append(body, ' ')
			}
		case 'S':
			if neg {
				body = append(body, '-')
			} else {
				body = append(body, '+')
			}
		case 'M':
			if neg {
				body = append(body, '-')
			} else if !t.fm {
				body = append(body, ' ')
			}
		default:
			body = append(body, tk.lit...)
		}
	}
	putSign()
	if t.fm && t.fracDigit > 0 {
		// FM drops trailing zeros of '9' positions after the point (PostgreSQL keeps the
		// ones of '0' positions; templates rarely mix them).
		if k := strings.LastIndexByte(string(body), '.'); k >= 0 {
			end := len(body)
			for end > k+1 && body[end-1] == '0' {
				end--
			}
			body = body[:end]
		}
	}
	if t.sign == 'P' {
		if neg {
			dst = append(dst, '<')
			dst = append(dst, body...)
			return append(dst, '>')
		}
		if !t.fm {
			dst = append(dst, ' ')
			dst = append(dst, body...)
			return append(dst, ' ')
		}
	}
	return append(dst, body...)
}

// bindToCharNumber resolves to_char(numeric types, template) → text.
func bindToCharNumber(args []types.T) (Sig, bool) {
	t := mathArg(args[0])
	if t.Kind == types.Float32 || t.IsInteger() && t.Kind != types.Int64 {
		if t.Kind == types.Float32 {
			t = types.Float64T
		} else {
			t = types.Int64T
		}
	}
	return Sig{Args: []types.T{t, types.VarcharT}, Ret: types.VarcharT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		fs := viewBytes(args[1])
		fc := fmtCursor[*numTemplate]{compile: compileNumTemplate}
		var text func(i, frac int) (string, bool)
		switch t.Kind {
		case types.Int64:
			v := fixedValues[int64](args[0])
			text = func(i, frac int) (string, bool) {
				s := strconv.FormatUint(uint64(abs64u(v[i])), 10)
				if frac > 0 {
					s += "." + strings.Repeat("0", frac)
				}
				return s, v[i] < 0
			}
		case types.Float64:
			v := fixedValues[float64](args[0])
			text = func(i, frac int) (string, bool) {
				x := v[i]
				neg := x < 0
				if neg {
					x = -x
				}
				return strconv.FormatFloat(x, 'f', frac, 64), neg
			}
		default:
			v := fixedValues[num](args[0])
			s := decScale(args[0], t)
			text = func(i, frac int) (string, bool) {
				x := v[i]
				neg := x.Sign() < 0
				if neg {
					x = x.Negate()
				}
				if int32(frac) < s {
					x, _ = roundNum(rmRound, x, s-int32(frac))
					x = truncDown(x, s-int32(frac))
					return string(appendDecimal(nil, x, int32(frac))), neg && x.Sign() != 0
				}
				str := string(appendDecimal(nil, x, s))
				if int32(frac) > s {
					if s == 0 {
						str += "."
					}
					str += strings.Repeat("0", frac-int(s))
				}
				return str, neg
			}
		}
		return textRows(ctx, args, n, 16*n, func(dst []byte, i int) ([]byte, error) {
			tpl, err := fc.get(fs.at(i))
			if err != nil {
				return nil, err
			}
			s, neg := text(i, tpl.fracDigit)
			return appendNumFormat(dst, tpl, s, neg), nil
		})
	}}, true
}

func abs64u(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}
