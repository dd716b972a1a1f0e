package json

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv/textcol"
	"github.com/quarrydb/quarry/sqlerr"
)

// tokenizer finds each line's object and the cells of its wanted keys.
type tokenizer struct {
	key             string
	slots           map[string]int // key as matched (lower-cased unless case-sensitive) → cell slot
	stride          int
	ignoreMalformed bool
	caseSensitive   bool
	dotsInKeys      bool
	line            int64
	keyBuf, norm    []byte
	sc              scanner
}

func newTokenizer(key string, slots map[string]int, stride int, opts formats.Options) *tokenizer {
	t := &tokenizer{
		key:             key,
		slots:           slots,
		stride:          stride,
		ignoreMalformed: strings.EqualFold(opts["ignore.malformed.json"], "true"),
		caseSensitive:   strings.EqualFold(opts["case.insensitive"], "false"),
		dotsInKeys:      strings.EqualFold(opts["dots.in.keys"], "true"),
	}
	t.sc.want = t.want
	return t
}

func (t *tokenizer) Line() int64 { return t.line }

func (t *tokenizer) Decode(dst, raw []byte) []byte { return unescape(dst, raw) }

func (t *tokenizer) Tokenize(src *textcol.Source, max int, cells []textcol.Cell, lines []int64) (int, error) {
	buf := src.Buf[:src.End]
	pos := src.Pos
	rows := 0
	for rows < max && pos < len(buf) {
		lineEnd, next := len(buf), len(buf)
		if nl := bytes.IndexByte(buf[pos:], '\n'); nl >= 0 {
			lineEnd, next = pos+nl, pos+nl+1
		} else if !src.EOF() {
			break
		}
		t.line++
		row := cells[rows*t.stride : (rows+1)*t.stride]
		for i := range row {
			row[i] = textcol.MissingCell
		}
		t.sc.buf, t.sc.base, t.sc.end = buf, pos, lineEnd
		blank, err := t.sc.line(pos, row)
		pos = next
		if blank {
			continue
		}
		if err != nil {
			if !t.ignoreMalformed {
				return rows, &formats.DataError{Key: t.key, Line: t.line, Code: sqlerr.InvalidTextRepresentation,
					Msg: fmt.Sprintf("invalid input syntax for type json: %s at character %d", err.msg, err.at+1)}
			}
			// OpenX reads a malformed line as an empty object: a row of NULLs.
			for i := range row {
				row[i] = textcol.MissingCell
			}
		}
		lines[rows] = t.line
		rows++
	}
	src.Pos = pos
	return rows, nil
}

// want returns the slot of a top-level key, or -1. Keys are compared lower-cased (Hive lowers
// column names; OpenX's case.insensitive defaults to true), with dots turned into
// underscores under dots.in.keys.
func (t *tokenizer) want(key []byte, hasEsc bool) int {
	if len(t.slots) == 0 {
		return -1
	}
	k := key
	if hasEsc {
		t.keyBuf = unescape(t.keyBuf[:0], key)
		k = t.keyBuf
	}
	if t.caseSensitive && !t.dotsInKeys {
		if slot, ok := t.slots[string(k)]; ok {
			return slot
		}
		return -1
	}
	t.norm = t.normalize(t.norm[:0], k)
	if slot, ok := t.slots[string(t.norm)]; ok {
		return slot
	}
	return -1
}

// normalize appends the form of a key that slots are indexed by.
func (t *tokenizer) normalize(dst, k []byte) []byte {
	ascii := true
	for _, c := range k {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii && !t.caseSensitive {
		dst = append(dst, strings.ToLower(string(k))...)
	} else {
		for _, c := range k {
			if !t.caseSensitive && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
	}
	if t.dotsInKeys {
		for i, c := range dst {
			if c == '.' {
				dst[i] = '_'
			}
		}
	}
	return dst
}
