package parquet

import "errors"

// This file checks Thrift compact-protocol bytes (the encoding of Parquet's footer and page
// headers) before parquet-go decodes them. parquet-go allocates a list or a binary field at
// the length the input claims before it finds the input too short, so a single mutated varint
// can make it allocate gigabytes and kill the process, which no recover() can catch. The check
// walks the structure without allocating and rejects any count that the remaining bytes could
// not hold: every element of a compact list takes at least one byte.

var (
	// errThriftShort means the structure runs past the end of the bytes given. For a page
	// header read through a window it may just mean the window must grow.
	errThriftShort = errors.New("truncated thrift structure")
	errThriftBad   = errors.New("malformed thrift structure")
)

// maxThriftDepth bounds nesting; Parquet's own structures nest a handful of levels deep.
const maxThriftDepth = 32

// Compact-protocol type codes.
const (
	tcStop      = 0
	tcTrue      = 1
	tcFalse     = 2
	tcByte      = 3
	tcI16       = 4
	tcI32       = 5
	tcI64       = 6
	tcDouble    = 7
	tcBinary    = 8
	tcList      = 9
	tcSet       = 10
	tcMap       = 11
	tcStruct    = 12
	tcUUID      = 13
	maxTypeCode = 13
)

// thriftStructLen returns the length in bytes of the compact-protocol struct at the start of
// b, or errThriftShort / errThriftBad.
func thriftStructLen(b []byte) (int, error) {
	c := thriftChecker{b: b}
	if err := c.structure(0); err != nil {
		return 0, err
	}
	return c.off, nil
}

type thriftChecker struct {
	b   []byte
	off int
}

func (c *thriftChecker) byte1() (byte, error) {
	if c.off >= len(c.b) {
		return 0, errThriftShort
	}
	v := c.b[c.off]
	c.off++
	return v, nil
}

func (c *thriftChecker) uvarint() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		x, err := c.byte1()
		if err != nil {
			return 0, err
		}
		v |= uint64(x&0x7f) << shift
		if x < 0x80 {
			return v, nil
		}
	}
	return 0, errThriftBad
}

func (c *thriftChecker) skip(n uint64) error {
	if n > uint64(len(c.b)-c.off) {
		return errThriftShort
	}
	c.off += int(n)
	return nil
}

// count reads a collection size and checks that the rest of the input could hold that many
// elements of at least minBytes bytes each.
func (c *thriftChecker) count(n uint64, minBytes uint64) error {
	if n > uint64(len(c.b)-c.off)/minBytes {
		return errThriftShort
	}
	return nil
}

func (c *thriftChecker) structure(depth int) error {
	if depth > maxThriftDepth {
		return errThriftBad
	}
	for {
		h, err := c.byte1()
		if err != nil {
			return err
		}
		typ := h & 0x0f
		if typ == tcStop {
			return nil
		}
		if h>>4 == 0 { // long form: the field id follows as a zigzag varint
			if _, err := c.uvarint(); err != nil {
				return err
			}
		}
		if typ == tcTrue || typ == tcFalse { // a boolean field's value is in its type
			continue
		}
		if err := c.value(typ, depth); err != nil {
			return err
		}
	}
}

func (c *thriftChecker) value(typ byte, depth int) error {
	switch typ {
	case tcTrue, tcFalse, tcByte: // a boolean inside a collection takes one byte
		return c.skip(1)
	case tcI16, tcI32, tcI64:
		_, err := c.uvarint()
		return err
	case tcDouble:
		return c.skip(8)
	case tcUUID:
		return c.skip(16)
	case tcBinary:
		n, err := c.uvarint()
		if err != nil {
			return err
		}
		return c.skip(n)
	case tcStruct:
		return c.structure(depth + 1)
	case tcList, tcSet:
		h, err := c.byte1()
		if err != nil {
			return err
		}
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = c.uvarint(); err != nil {
				return err
			}
		}
		elem := h & 0x0f
		if elem == tcStop || elem > maxTypeCode {
			return errThriftBad
		}
		if err := c.count(n, 1); err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			if err := c.value(elem, depth+1); err != nil {
				return err
			}
		}
		return nil
	case tcMap:
		n, err := c.uvarint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := c.byte1()
		if err != nil {
			return err
		}
		k, v := kv>>4, kv&0x0f
		if k == tcStop || k > maxTypeCode || v == tcStop || v > maxTypeCode {
			return errThriftBad
		}
		if err := c.count(n, 2); err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			if err := c.value(k, depth+1); err != nil {
				return err
			}
			if err := c.value(v, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return errThriftBad
}
