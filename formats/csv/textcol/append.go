package textcol

import (
	"math"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Append parses the chunk's cells for this column and appends them. On a value that does not
// parse it returns the error (unless the input turns such values into NULLs); the column is
// then in an unspecified state and the batch must be abandoned.
//
// Each SQL type has its own loop, so the per-value work is one cell lookup and one typed
// parse with no interface calls.
func (c *Column) Append(in *Input) *ValueError {
	if c.n+in.Rows > c.capacity {
		// The Reader sizes chunks to fit; reaching this is a bug, reported rather than panicked.
		return &ValueError{Msg: "internal error: text chunk overflows its batch", Code: sqlerr.InternalError}
	}
	in.prepare()
	var err *ValueError
	switch c.t.Kind {
	case types.Bool:
		err = c.appendBool(in)
	case types.Int16:
		err = appendInts(c, in, arrow.Int16Traits.CastFromBytes(c.values.Bytes())[c.n:], math.MinInt16, math.MaxInt16)
	case types.Int32:
		err = appendInts(c, in, arrow.Int32Traits.CastFromBytes(c.values.Bytes())[c.n:], math.MinInt32, math.MaxInt32)
	case types.Int64:
		err = appendInts(c, in, arrow.Int64Traits.CastFromBytes(c.values.Bytes())[c.n:], math.MinInt64, math.MaxInt64)
	case types.Float32:
		err = appendFloats(c, in, arrow.Float32Traits.CastFromBytes(c.values.Bytes())[c.n:], 32)
	case types.Float64:
		err = appendFloats(c, in, arrow.Float64Traits.CastFromBytes(c.values.Bytes())[c.n:], 64)
	case types.Decimal:
		err = c.appendDecimals(in)
	case types.Date:
		err = c.appendDates(in)
	case types.Time:
		err = c.appendTimes(in)
	case types.Timestamp, types.TimestampTZ:
		err = c.appendTimestamps(in)
	case types.UUID:
		err = c.appendUUIDs(in)
	case types.Bytea:
		err = c.appendBytea(in)
	default:
		err = c.appendStrings(in)
	}
	if err != nil {
		return err
	}
	c.n += in.Rows
	return nil
}

// bad reports a value that did not parse: an error, or a NULL under InvalidAsNull.
func (c *Column) bad(in *Input, r int, st status, b []byte) *ValueError {
	if in.InvalidAsNull {
		c.setNull(r)
		return nil
	}
	return valueError(c.t, st, b, r)
}

func appendInts[T int16 | int32 | int64](c *Column, in *Input, vals []T, lo, hi int64) *ValueError {
	vals = vals[:in.Rows]
	for r := range vals {
		b, plain := in.plain(r)
		var flags uint8
		if !plain {
			var ok bool
			if b, flags, ok = in.value(r, false); !ok {
				c.setNull(r)
				vals[r] = 0
				continue
			}
		}
		v, st := parseInt(b, lo, hi)
		if st == stSyntax && flags&Number != 0 {
			v, st = integralNumber(b, lo, hi)
		}
		if st != stOK {
			vals[r] = 0
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		vals[r] = T(v)
	}
	return nil
}

func appendFloats[T float32 | float64](c *Column, in *Input, vals []T, bitSize int) *ValueError {
	vals = vals[:in.Rows]
	for r := range vals {
		b, _, ok := in.value(r, false)
		if !ok {
			c.setNull(r)
			vals[r] = 0
			continue
		}
		v, st := parseFloat(b, bitSize)
		if st != stOK {
			vals[r] = 0
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		vals[r] = T(v)
	}
	return nil
}

func (c *Column) appendBool(in *Input) *ValueError {
	bm := c.values.Bytes()
	for r := 0; r < in.Rows; r++ {
		b, _, ok := in.value(r, false)
		if !ok {
			c.setNull(r)
			continue
		}
		v, st := parseBool(b)
		if st != stOK {
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		if v {
			bitutil.SetBit(bm, c.n+r)
		}
	}
	return nil
}

func (c *Column) appendDecimals(in *Input) *ValueError {
	vals := arrow.Decimal128Traits.CastFromBytes(c.values.Bytes())[c.n:]
	for r := 0; r < in.Rows; r++ {
		b, plain := in.plain(r)
		if !plain {
			var ok bool
			if b, _, ok = in.value(r, false); !ok {
				c.setNull(r)
				vals[r] = decimal128.Num{}
				continue
			}
		}
		v, st := parseDecimal(b, c.t.Precision, c.t.Scale, true, false)
		if st != stOK {
			vals[r] = decimal128.Num{}
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		vals[r] = v
	}
	return nil
}

func (c *Column) appendDates(in *Input) *ValueError {
	vals := arrow.Date32Traits.CastFromBytes(c.values.Bytes())[c.n:]
	for r := 0; r < in.Rows; r++ {
		b, plain := in.plain(r)
		if !plain {
			var ok bool
			if b, _, ok = in.value(r, false); !ok {
				c.setNull(r)
				vals[r] = 0
				continue
			}
		}
		v, st := parseDate(b)
		if st != stOK {
			vals[r] = 0
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		vals[r] = arrow.Date32(v)
	}
	return nil
}

func (c *Column) appendTimes(in *Input) *ValueError {
	vals := arrow.Time64Traits.CastFromBytes(c.values.Bytes())[c.n:]
	for r := 0; r < in.Rows; r++ {
		b, _, ok := in.value(r, false)
		if !ok {
			c.setNull(r)
			vals[r] = 0
			continue
		}
		v, st := parseTime(b)
		if st != stOK {
			vals[r] = 0
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		vals[r] = arrow.Time64(v)
	}
	return nil
}

func (c *Column) appendTimestamps(in *Input) *ValueError {
	vals := arrow.TimestampTraits.CastFromBytes(c.values.Bytes())[c.n:]
	tz := c.t.Kind == types.TimestampTZ
	for r := 0; r < in.Rows; r++ {
		b, flags, ok := in.value(r, false)
		if !ok {
			c.setNull(r)
			vals[r] = 0
			continue
		}
		var v int64
		st := stSyntax
		if flags&Number != 0 {
			// A JSON number in a timestamp column is milliseconds since the epoch, as the
			// OpenX SerDe reads it.
			if ms, s := parseInt(b, math.MinInt64/1000, math.MaxInt64/1000); s == stOK {
				v, st = ms*1000, stOK
			}
		} else {
			v, st = parseTimestamp(b, tz)
		}
		if st != stOK {
			vals[r] = 0
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		vals[r] = arrow.Timestamp(v)
	}
	return nil
}

func (c *Column) appendUUIDs(in *Input) *ValueError {
	vals := c.values.Bytes()[c.n*16:]
	for r := 0; r < in.Rows; r++ {
		dst := (*[16]byte)(vals[r*16:])
		b, _, ok := in.value(r, false)
		if !ok {
			c.setNull(r)
			*dst = [16]byte{}
			continue
		}
		if st := parseUUID(b, dst); st != stOK {
			*dst = [16]byte{}
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Column) appendBytea(in *Input) *ValueError {
	offs := c.offsets()[c.n+1:]
	for r := 0; r < in.Rows; r++ {
		b, _, ok := in.value(r, true)
		if !ok {
			c.setNull(r)
			offs[r] = int32(c.dataLen)
			continue
		}
		var st status
		c.scratch, st = appendBytea(c.scratch[:0], b)
		if st != stOK {
			offs[r] = int32(c.dataLen)
			if err := c.bad(in, r, st, b); err != nil {
				return err
			}
			continue
		}
		offs[r] = c.appendData(c.scratch)
	}
	return nil
}

// appendStrings appends text as it is: varchar (truncated to its length, as Hive does),
// json and unknown columns.
func (c *Column) appendStrings(in *Input) *ValueError {
	offs := c.offsets()[c.n+1:]
	maxLen := int(c.t.Precision)
	if c.t.Kind != types.Varchar {
		maxLen = 0
	}
	for r := 0; r < in.Rows; r++ {
		b, plain := in.plain(r)
		if !plain {
			var ok bool
			if b, _, ok = in.value(r, true); !ok {
				c.setNull(r)
				offs[r] = int32(c.dataLen)
				continue
			}
		}
		if !in.ValidUTF8 && !utf8.Valid(b) {
			c.scratch = appendValidUTF8(c.scratch[:0], b)
			b = c.scratch
		}
		if maxLen > 0 {
			b = truncateRunes(b, maxLen)
		}
		offs[r] = c.appendData(b)
	}
	return nil
}
