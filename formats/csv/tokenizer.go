package csv

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv/textcol"
	"github.com/quarrydb/quarry/sqlerr"
)

// tokenizer finds the projected fields of each record. A record with no quote or escape byte
// (the common case) is one line split on the delimiter; any other goes through a byte-at-a-time
// state machine that allows quoted delimiters, doubled quotes, escapes and newlines.
type tokenizer struct {
	d      dialect
	key    string
	slotOf []int // field index → cell slot, -1 for a field nobody wants; up to the last wanted
	stride int
	// skipBlank drops empty lines. A table of one column keeps them: there an empty line is a
	// row with an empty value, as in Hive.
	skipBlank  bool
	headerLeft int
	line       int64 // physical lines consumed

	// special caches the position of the next quote or escape byte at or after some point
	// of the window (End when there is none), for the window generation gen.
	special, gen int
}

func newTokenizer(key string, d dialect, slotOf []int, stride, ncols int) *tokenizer {
	return &tokenizer{d: d, key: key, slotOf: slotOf, stride: stride, skipBlank: ncols > 1, headerLeft: d.header, gen: -1}
}

func (t *tokenizer) Line() int64 { return t.line }

func (t *tokenizer) Tokenize(src *textcol.Source, max int, cells []textcol.Cell, lines []int64) (int, error) {
	buf := src.Buf[:src.End]
	pos := src.Pos
	eof := src.EOF()
	for t.headerLeft > 0 && pos < len(buf) {
		nl := bytes.IndexByte(buf[pos:], '\n')
		if nl < 0 {
			if !eof {
				src.Pos = pos
				return 0, nil
			}
			nl = len(buf) - pos - 1
		}
		pos += nl + 1
		t.line++
		t.headerLeft--
	}
	hasSpecial := t.d.hasQuote || t.d.hasEsc
	rows := 0
	for rows < max && pos < len(buf) {
		row := cells[rows*t.stride : (rows+1)*t.stride]
		lineEnd, next := len(buf), len(buf)
		if nl := bytes.IndexByte(buf[pos:], '\n'); nl >= 0 {
			lineEnd, next = pos+nl, pos+nl+1
		} else if !eof {
			break
		}
		if hasSpecial && t.nextSpecial(src, pos) < lineEnd {
			end, n, err := t.slowRecord(buf, pos, eof, row)
			if err != nil {
				return rows, err
			}
			if n == 0 { // the window ends inside the record
				break
			}
			lines[rows] = t.line + 1
			t.line += n
			pos = end
			rows++
			continue
		}
		content := lineEnd
		if content > pos && buf[content-1] == '\r' {
			content--
		}
		t.line++
		if content == pos && t.skipBlank {
			pos = next
			continue
		}
		t.split(buf, pos, content, row)
		lines[rows] = t.line
		rows++
		pos = next
	}
	src.Pos = pos
	return rows, nil
}

// nextSpecial returns the position of the first quote or escape byte at or after pos, or
// the window's end when there is none.
func (t *tokenizer) nextSpecial(src *textcol.Source, pos int) int {
	if t.gen == src.Generation() && t.special >= pos {
		return t.special
	}
	rest := src.Buf[pos:src.End]
	at := len(rest)
	if t.d.hasQuote {
		if i := bytes.IndexByte(rest, t.d.quote); i >= 0 {
			at = i
		}
	}
	if t.d.hasEsc {
		if i := bytes.IndexByte(rest[:at], t.d.esc); i >= 0 {
			at = i
		}
	}
	t.special, t.gen = pos+at, src.Generation()
	return t.special
}

// split cuts a line without quotes or escapes into fields, stopping after the last field
// anybody wants. Fields past the line's end stay Missing (NULL); extra fields are ignored.
//
// Fields are short (a few bytes), where a bytes.IndexByte call per field costs more than the
// search, so the line is scanned eight bytes at a time in a register: each word gives a mask
// of its delimiter bytes, and every set bit ends a field.
func (t *tokenizer) split(buf []byte, s, end int, row []textcol.Cell) {
	for i := range row {
		row[i] = textcol.MissingCell
	}
	slotOf := t.slotOf
	if len(slotOf) == 0 {
		return
	}
	delim := t.d.delim
	pat := uint64(delim) * lsb
	f, fs := 0, s // the current field and its start
	i := s
	for ; i+8 <= end; i += 8 {
		m := zeroBytes(binary.LittleEndian.Uint64(buf[i:]) ^ pat)
		for m != 0 {
			p := i + bits.TrailingZeros64(m)>>3
			if slot := slotOf[f]; slot >= 0 {
				row[slot] = textcol.Cell{Start: int32(fs), End: int32(p)}
			}
			if f++; f == len(slotOf) {
				return
			}
			fs = p + 1
			m &= m - 1
		}
	}
	for ; i < end; i++ {
		if buf[i] == delim {
			if slot := slotOf[f]; slot >= 0 {
				row[slot] = textcol.Cell{Start: int32(fs), End: int32(i)}
			}
			if f++; f == len(slotOf) {
				return
			}
			fs = i + 1
		}
	}
	if slot := slotOf[f]; slot >= 0 {
		row[slot] = textcol.Cell{Start: int32(fs), End: int32(end)}
	}
}

const (
	lsb = 0x0101010101010101
	low = 0x7f7f7f7f7f7f7f7f
)

// zeroBytes returns a mask with the high bit set in exactly the bytes of x that are zero
// (no false positives from borrows, unlike the shorter (x-lsb)&^x trick).
func zeroBytes(x uint64) uint64 {
	y := (x & low) + low
	return ^(y | x | low)
}

// slowRecord tokenizes one record that has quote or escape bytes, starting at pos. It
// returns the position after the record and the physical lines it spans, or n == 0 when the
// window ends inside the record and more of the file follows.
//
// A quote opens a quoted field only as the field's first byte; inside, a doubled quote is a
// quote, and newlines and delimiters are data. After the closing quote, bytes up to the next
// delimiter are kept as they are (lenient, like opencsv). An escape byte makes the next byte
// literal anywhere, newline included.
func (t *tokenizer) slowRecord(buf []byte, pos int, eof bool, row []textcol.Cell) (end int, n int64, err error) {
	for i := range row {
		row[i] = textcol.MissingCell
	}
	d := &t.d
	size := len(buf)
	i := pos
	var newlines int64
	for f := 0; ; f++ {
		start := i
		var flags uint8
		if d.hasQuote && i < size && buf[i] == d.quote {
			flags = textcol.Quoted | textcol.Decode
			i++
			for closed := false; !closed; {
				if i >= size {
					if !eof {
						return 0, 0, nil
					}
					return 0, 0, &formats.DataError{Key: t.key, Line: t.line + 1, Column: f + 1,
						Msg: "unterminated CSV quoted field", Code: sqlerr.BadCopyFileFormat}
				}
				switch c := buf[i]; {
				case d.hasEsc && c == d.esc:
					if i+1 < size && buf[i+1] == '\n' {
						newlines++
					}
					i += 2
				case c == d.quote:
					if i+1 >= size && !eof {
						return 0, 0, nil // a doubled quote may straddle the window's end
					}
					if i+1 < size && buf[i+1] == d.quote {
						i += 2
					} else {
						i++
						closed = true
					}
				default:
					if c == '\n' {
						newlines++
					}
					i++
				}
			}
		}
		fieldEnd, last, escapedAt := 0, false, -1
		for {
			if i >= size {
				if !eof {
					return 0, 0, nil
				}
				fieldEnd, last = size, true
				break
			}
			c := buf[i]
			if c == d.delim {
				fieldEnd = i
				break
			}
			if c == '\n' {
				fieldEnd, last = i, true
				if fieldEnd > start && buf[fieldEnd-1] == '\r' && escapedAt != fieldEnd-1 {
					fieldEnd--
				}
				break
			}
			if d.hasEsc && c == d.esc {
				flags |= textcol.Decode
				if i+1 >= size && !eof {
					return 0, 0, nil
				}
				if i+1 < size && buf[i+1] == '\n' {
					newlines++
				}
				escapedAt = i + 1
				i += 2
				continue
			}
			i++
		}
		if f < len(t.slotOf) {
			if slot := t.slotOf[f]; slot >= 0 {
				row[slot] = textcol.Cell{Start: int32(start), End: int32(fieldEnd), Flags: flags}
			}
		}
		if last {
			return min(i+1, size), newlines + 1, nil
		}
		i++ // past the delimiter
	}
}

// Decode turns a quoted or escaped field into its value, by the rules slowRecord read it with.
func (t *tokenizer) Decode(dst, raw []byte) []byte {
	d := &t.d
	i := 0
	if d.hasQuote && len(raw) > 0 && raw[0] == d.quote {
		for i = 1; i < len(raw); {
			c := raw[i]
			if d.hasEsc && c == d.esc && i+1 < len(raw) {
				dst = append(dst, raw[i+1])
				i += 2
				continue
			}
			if c == d.quote {
				if i+1 < len(raw) && raw[i+1] == d.quote {
					dst = append(dst, c)
					i += 2
					continue
				}
				i++
				break
			}
			dst = append(dst, c)
			i++
		}
	}
	for i < len(raw) {
		c := raw[i]
		if d.hasEsc && c == d.esc && i+1 < len(raw) {
			dst = append(dst, raw[i+1])
			i += 2
			continue
		}
		dst = append(dst, c)
		i++
	}
	return dst
}
