package types

// PostgreSQL type OIDs (pg_type.oid) for the types Quarry sends over the wire.
const (
	OidBool        = 16
	OidBytea       = 17
	OidName        = 19
	OidInt8        = 20
	OidInt2        = 21
	OidInt4        = 23
	OidText        = 25
	OidOid         = 26
	OidJSON        = 114
	OidFloat4      = 700
	OidFloat8      = 701
	OidUnknown     = 705
	OidBPChar      = 1042
	OidVarchar     = 1043
	OidDate        = 1082
	OidTime        = 1083
	OidTimestamp   = 1114
	OidTimestampTZ = 1184
	OidInterval    = 1186
	OidNumeric     = 1700
	OidUUID        = 2950
	OidJSONB       = 3802
)

var arrayOids = map[uint32]uint32{
	OidBool: 1000, OidBytea: 1001, OidInt2: 1005, OidInt4: 1007, OidText: 1009, OidInt8: 1016,
	OidFloat4: 1021, OidFloat8: 1022, OidVarchar: 1015, OidDate: 1182, OidTime: 1183,
	OidTimestamp: 1115, OidTimestampTZ: 1185, OidInterval: 1187, OidNumeric: 1231,
	OidUUID: 2951, OidJSON: 199, OidJSONB: 3807,
}

// OID returns the PostgreSQL type OID a client sees for t. Maps and structs, which Postgres
// lacks, are sent as json text.
func (t T) OID() uint32 {
	if t.Reg != RegNone {
		return regInfo[t.Reg].oid
	}
	switch t.Kind {
	case Unknown:
		return OidText
	case Bool:
		return OidBool
	case Int16:
		return OidInt2
	case Int32:
		return OidInt4
	case Int64:
		return OidInt8
	case Float32:
		return OidFloat4
	case Float64:
		return OidFloat8
	case Decimal:
		return OidNumeric
	case Varchar:
		if t.Precision > 0 {
			return OidVarchar
		}
		return OidText
	case Bytea:
		return OidBytea
	case Date:
		return OidDate
	case Time:
		return OidTime
	case Timestamp:
		return OidTimestamp
	case TimestampTZ:
		return OidTimestampTZ
	case Interval:
		return OidInterval
	case JSON:
		return OidJSON
	case UUID:
		return OidUUID
	case Array:
		if t.Elem.Reg != RegNone {
			return regInfo[t.Elem.Reg].arrayOID
		}
		if o, ok := arrayOids[t.Elem.OID()]; ok {
			return o
		}
		return 1009
	case Map, Struct:
		return OidJSON
	}
	return OidText
}

// Typmod returns the type modifier PostgreSQL reports for t in RowDescription (-1 for none).
func (t T) Typmod() int32 {
	switch t.Kind {
	case Decimal:
		if t.Precision == 0 {
			return -1
		}
		return ((t.Precision << 16) | t.Scale) + 4
	case Varchar:
		if t.Precision > 0 {
			return t.Precision + 4
		}
	}
	return -1
}

// Size returns pg_type.typlen for t: the byte width of fixed-size types, -1 for varlena.
func (t T) Size() int16 {
	if t.Reg != RegNone {
		return 4 // oid and the reg* types are unsigned 32-bit in PostgreSQL
	}
	switch t.Kind {
	case Bool:
		return 1
	case Int16:
		return 2
	case Int32, Float32, Date:
		return 4
	case Int64, Float64, Time, Timestamp, TimestampTZ:
		return 8
	case Interval, UUID:
		return 16
	}
	return -1
}
