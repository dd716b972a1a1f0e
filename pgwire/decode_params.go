package pgwire

import (
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Parameter decoding: the values of a Bind message, in text or binary format, to
// engine.Params. Text is passed on as text (the engine parses it as a cast would, with the
// same errors); binary is read by the OID the statement reported for the parameter, exactly
// as PostgreSQL 15's *recv functions read it, into the Go value engine.Param documents for
// the parameter's type. Numeric's binary form is turned into its exact text, which the
// engine then parses into the parameter's decimal type.

// Error codes PostgreSQL uses for bad parameter bytes.
const (
	codeInvalidBinary  = "22P03" // invalid_binary_representation
	codeBadEncoding    = "22021" // character_not_in_repertoire
	codeDatetimeBounds = sqlerr.DatetimeFieldOverflow
)

// msgInvalidBinary is PostgreSQL's text for a binary value of the wrong length; the
// parameter's number follows it.
const msgInvalidBinary = "incorrect binary data format in bind parameter"

// formatCode returns the format of item i of n for a Bind format-code list: none means all
// text, one applies to all, otherwise one per item. The caller has checked the list's length.
func formatCode(codes []int16, i int) int16 {
	switch len(codes) {
	case 0:
		return 0
	case 1:
		return codes[0]
	}
	return codes[i]
}

// decodeParams decodes Bind's parameter values for a statement whose parameters have the
// given OIDs. values are only valid during the Bind message; nothing here keeps them.
func decodeParams(formats []int16, values [][]byte, oids []uint32) ([]engine.Param, error) {
	if len(formats) > 1 && len(formats) != len(values) {
		return nil, sqlerr.New(sqlerr.ProtocolViolation, "bind message has %d parameter formats but %d parameters", len(formats), len(values))
	}
	out := make([]engine.Param, len(values))
	for i, v := range values {
		p, err := decodeParam(formatCode(formats, i), v, oids[i])
		if err != nil {
			if e := sqlerr.From(err); e.Code == codeInvalidBinary && e.Message == msgInvalidBinary {
				return nil, sqlerr.New(codeInvalidBinary, "%s %d", msgInvalidBinary, i+1)
			}
			return nil, err
		}
		out[i] = p
		if p.Null || p.Value != nil {
			continue
		}
		if !utf8.ValidString(p.Text) {
			return nil, sqlerr.New(codeBadEncoding, "invalid byte sequence for encoding \"UTF8\" in parameter $%d", i+1)
		}
	}
	return out, nil
}

func decodeParam(format int16, v []byte, oid uint32) (engine.Param, error) {
	if v == nil {
		return engine.Param{Null: true}, nil
	}
	switch format {
	case 0:
		return engine.Param{Text: string(v)}, nil
	case 1:
		return decodeBinary(v, oid)
	}
	return engine.Param{}, sqlerr.New(sqlerr.InvalidParameterValue, "unsupported format code: %d", format)
}

// decodeBinary reads one binary parameter value of type oid.
func decodeBinary(v []byte, oid uint32) (engine.Param, error) {
	// size checks a fixed-size value's length as the *recv functions do: reading past the
	// end is a protocol error, bytes left over mean a bad value.
	size := func(n int) error {
		switch {
		case len(v) < n:
			return sqlerr.New(sqlerr.ProtocolViolation, "insufficient data left in message")
		case len(v) > n:
			return sqlerr.New(codeInvalidBinary, msgInvalidBinary)
		}
		return nil
	}
	be := binary.BigEndian
	switch oid {
	case types.OidBool:
		if err := size(1); err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Value: v[0] != 0}, nil
	case types.OidInt2:
		if err := size(2); err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Value: int16(be.Uint16(v))}, nil
	case types.OidInt4:
		if err := size(4); err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Value: int32(be.Uint32(v))}, nil
	case types.OidInt8:
		if err := size(8); err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Value: int64(be.Uint64(v))}, nil
	case types.OidOid:
		if err := size(4); err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Value: int64(be.Uint32(v))}, nil
	case types.OidFloat4:
		if err := size(4); err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Value: math.Float32frombits(be.Uint32(v))}, nil
	case types.OidFloat8:
		if err := size(8); err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Value: math.Float64frombits(be.Uint64(v))}, nil
	case types.OidText, types.OidVarchar, types.OidBPChar, types.OidName, types.OidUnknown, types.OidJSON, 18:
		if !utf8.Valid(v) {
			return engine.Param{}, sqlerr.New(codeBadEncoding, "invalid byte sequence for encoding \"UTF8\"")
		}
		return engine.Param{Value: string(v)}, nil
	case types.OidJSONB:
		if len(v) == 0 || v[0] != 1 {
			return engine.Param{}, sqlerr.New(codeInvalidBinary, "unsupported jsonb version number")
		}
		if !utf8.Valid(v[1:]) {
			return engine.Param{}, sqlerr.New(codeBadEncoding, "invalid byte sequence for encoding \"UTF8\"")
		}
		return engine.Param{Value: string(v[1:])}, nil
	case types.OidBytea:
		return engine.Param{Value: append([]byte{}, v...)}, nil
	case types.OidUUID:
		if err := size(16); err != nil {
			return engine.Param{}, err
		}
		var u [16]byte
		copy(u[:], v)
		return engine.Param{Value: u}, nil
	case types.OidDate:
		if err := size(4); err != nil {
			return engine.Param{}, err
		}
		d := int64(int32(be.Uint32(v)))
		if d == math.MaxInt32 || d == math.MinInt32 {
			return engine.Param{Value: int32(d)}, nil // infinities
		}
		d += pgEpochDays
		if d >= math.MaxInt32 || d <= math.MinInt32 {
			return engine.Param{}, sqlerr.New(codeDatetimeBounds, "date out of range")
		}
		return engine.Param{Value: int32(d)}, nil
	case types.OidTime:
		if err := size(8); err != nil {
			return engine.Param{}, err
		}
		us := int64(be.Uint64(v))
		if us < 0 || us > usPerDay {
			return engine.Param{}, sqlerr.New(codeDatetimeBounds, "time out of range")
		}
		return engine.Param{Value: us}, nil
	case types.OidTimestamp, types.OidTimestampTZ:
		if err := size(8); err != nil {
			return engine.Param{}, err
		}
		us := int64(be.Uint64(v))
		if us == math.MaxInt64 || us == math.MinInt64 {
			return engine.Param{Value: us}, nil // infinities
		}
		if us > math.MaxInt64-pgEpochMicros {
			return engine.Param{}, sqlerr.New(codeDatetimeBounds, "timestamp out of range")
		}
		return engine.Param{Value: us + pgEpochMicros}, nil
	case types.OidInterval:
		if err := size(16); err != nil {
			return engine.Param{}, err
		}
		us := int64(be.Uint64(v))
		if us > math.MaxInt64/1_000 || us < math.MinInt64/1_000 {
			return engine.Param{}, sqlerr.New(codeDatetimeBounds, "interval out of range")
		}
		return engine.Param{Value: arrow.MonthDayNanoInterval{
			Nanoseconds: us * 1_000,
			Days:        int32(be.Uint32(v[8:])),
			Months:      int32(be.Uint32(v[12:])),
		}}, nil
	case types.OidNumeric:
		text, err := numericText(v)
		if err != nil {
			return engine.Param{}, err
		}
		return engine.Param{Text: text}, nil
	}
	if isArrayOID(oid) {
		return engine.Param{}, sqlerr.New(sqlerr.FeatureNotSupported, "array parameters are not supported yet")
	}
	return engine.Param{}, sqlerr.New(sqlerr.UndefinedFunction, "no binary input function available for type with OID %d", oid)
}

func isArrayOID(oid uint32) bool {
	switch oid {
	case 1000, 1001, 1003, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028, 1115, 1182, 1183, 1185, 1187, 1231, 2951, 199, 3807:
		return true
	}
	return false
}

// numericText reads numeric_recv's input (ndigits, weight, sign, dscale, then base-10000
// digits) and returns the number's text with dscale fractional digits. As numeric_recv
// does, digits beyond dscale are dropped.
func numericText(v []byte) (string, error) {
	bad := func(what string) (string, error) {
		return "", sqlerr.New(codeInvalidBinary, "invalid %s in external \"numeric\" value", what)
	}
	insufficient := sqlerr.New(sqlerr.ProtocolViolation, "insufficient data left in message")
	if len(v) < 8 {
		return "", insufficient
	}
	be := binary.BigEndian
	ndigits := int(int16(be.Uint16(v)))
	weight := int(int16(be.Uint16(v[2:])))
	sign := be.Uint16(v[4:])
	dscale := int(int16(be.Uint16(v[6:])))
	switch {
	case ndigits < 0:
		return bad("length")
	case len(v) < 8+2*ndigits:
		return "", insufficient
	case len(v) > 8+2*ndigits:
		return "", sqlerr.New(codeInvalidBinary, msgInvalidBinary)
	}
	switch sign {
	case numericPos, numericNeg:
	case numericNaN:
		return "NaN", nil
	case numericPInf:
		return "Infinity", nil
	case numericNInf:
		return "-Infinity", nil
	default:
		return bad("sign")
	}
	if dscale < 0 || dscale > 0x3FFF {
		return bad("scale")
	}
	digits := make([]int, ndigits)
	for i := range digits {
		d := int(be.Uint16(v[8+2*i:]))
		if d >= 10000 {
			return bad("digit")
		}
		digits[i] = d
	}
	// Leading and trailing zero digits carry no value (numeric_recv strips them too).
	for len(digits) > 0 && digits[0] == 0 {
		digits = digits[1:]
		weight--
	}
	for len(digits) > 0 && digits[len(digits)-1] == 0 {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		weight = 0
	}
	// digit k (0-based) stands for digits[k] * 10000^(weight-k).
	at := func(exp int) int {
		k := weight - exp
		if k < 0 || k >= len(digits) {
			return 0
		}
		return digits[k]
	}
	var out []byte
	if sign == numericNeg {
		out = append(out, '-')
	}
	if weight < 0 {
		out = append(out, '0')
	} else {
		for exp := weight; exp >= 0; exp-- {
			d := at(exp)
			if exp == weight {
				out = strconv.AppendInt(out, int64(d), 10)
			} else {
				out = appendPadded(out, int64(d), 4)
			}
		}
	}
	if dscale > 0 {
		out = append(out, '.')
		for exp := -1; dscale > 0; exp-- {
			var g [4]byte
			d := at(exp)
			for j := 3; j >= 0; j-- {
				g[j] = byte('0' + d%10)
				d /= 10
			}
			for _, c := range g {
				if dscale == 0 {
					break
				}
				out = append(out, c)
				dscale--
			}
		}
	}
	if isNegativeZero(out) {
		out = out[1:]
	}
	return string(out), nil
}

// isNegativeZero reports a "-0.00" that truncation left behind: numeric has no negative
// zero.
func isNegativeZero(s []byte) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for _, c := range s[1:] {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}
