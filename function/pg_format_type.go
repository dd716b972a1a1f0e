package function

//go:generate ./gen_pg_keywords.sh

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
)

// pgKeyword is one row of pg_get_keywords(): the word, its category (U unreserved,
// C unreserved but not a function or type name, T reserved but a function or type name,
// R reserved) and whether it can be a bare column label.
type pgKeyword struct {
	word      string
	catcode   byte
	barelabel bool
}

// Keyword is a row of pg_get_keywords(), for the engine's set-returning function.
type Keyword struct {
	Word, CatCode, CatDesc, BareDesc string
	BareLabel                        bool
}

// Keywords returns PostgreSQL 15's keywords in pg_get_keywords() order.
func Keywords() []Keyword {
	out := make([]Keyword, len(pgKeywords))
	for i, k := range pgKeywords {
		desc := map[byte]string{'U': "unreserved", 'C': "unreserved (cannot be function or type name)",
			'T': "reserved (can be function or type name)", 'R': "reserved"}[k.catcode]
		bare := "requires AS"
		if k.barelabel {
			bare = "can be bare label"
		}
		out[i] = Keyword{Word: k.word, CatCode: string(k.catcode), CatDesc: desc, BareDesc: bare, BareLabel: k.barelabel}
	}
	return out
}

var keywordCat = func() map[string]byte {
	m := make(map[string]byte, len(pgKeywords))
	for _, k := range pgKeywords {
		m[k.word] = k.catcode
	}
	return m
}()

// reservedKeyword reports whether quote_ident must quote a lower-case word: every keyword
// but the unreserved ones.
func reservedKeyword(s string) bool {
	c, ok := keywordCat[s]
	return ok && c != 'U'
}

// typeDisplay is format_type's name of a built-in type OID, and the kind of modifier it
// takes. Arrays are their element's name with [].
var typeDisplay = map[int64]struct {
	name string
	mod  byte // 0 none, 'v' length (varchar/bpchar), 'n' numeric, 't' time precision, 'i' interval
}{
	16: {"boolean", 0}, 17: {"bytea", 0}, 18: {`"char"`, 0}, 19: {"name", 0}, 20: {"bigint", 0},
	21: {"smallint", 0}, 22: {"int2vector", 0}, 23: {"integer", 0}, 24: {"regproc", 0}, 25: {"text", 0},
	26: {"oid", 0}, 30: {"oidvector", 0}, 114: {"json", 0}, 194: {"pg_node_tree", 0}, 700: {"real", 0},
	701: {"double precision", 0}, 705: {"unknown", 0}, 1033: {"aclitem", 0}, 1042: {"character", 'v'},
	1043: {"character varying", 'v'}, 1082: {"date", 0}, 1083: {"time", 't'}, 1114: {"timestamp", 't'},
	1184: {"timestamp", 'z'}, 1186: {"interval", 'i'}, 1266: {"time", 'Z'}, 1700: {"numeric", 'n'},
	2202: {"regprocedure", 0}, 2205: {"regclass", 0}, 2206: {"regtype", 0}, 2950: {"uuid", 0},
	3802: {"jsonb", 0}, 4089: {"regnamespace", 0}, 4096: {"regrole", 0}, 3220: {"pg_lsn", 0},
	28: {"xid", 0}, 29: {"cid", 0}, 27: {"tid", 0}, 5069: {"xid8", 0}, 2249: {"record", 0},
	2276: {"any", 0}, 2277: {"anyarray", 0}, 2283: {"anyelement", 0}, 2278: {"void", 0},
	3361: {"pg_ndistinct", 0}, 3402: {"pg_dependencies", 0}, 5017: {"pg_mcv_list", 0},
	2275: {"cstring", 0}, 2281: {"internal", 0}, 2279: {"trigger", 0}, 3838: {"event_trigger", 0},
}

// arrayElem maps built-in array type OIDs to their element type OIDs.
var arrayElem = map[int64]int64{
	1000: 16, 1001: 17, 1002: 18, 1003: 19, 1016: 20, 1005: 21, 1006: 22, 1007: 23, 1008: 24,
	1009: 25, 1028: 26, 1013: 30, 199: 114, 1021: 700, 1022: 701, 1034: 1033, 1014: 1042,
	1015: 1043, 1182: 1082, 1183: 1083, 1115: 1114, 1185: 1184, 1187: 1186, 1270: 1266,
	1231: 1700, 2207: 2202, 2210: 2205, 2211: 2206, 2951: 2950, 3807: 3802, 4090: 4089,
	4097: 4096, 1011: 28, 1012: 29, 1010: 27, 2287: 2249,
}

// FormatType is format_type(oid, typmod): "???" for an unknown OID, as PostgreSQL.
func FormatType(oid int64, typmod int32) string {
	if elem, ok := arrayElem[oid]; ok {
		return FormatType(elem, typmod) + "[]"
	}
	d, ok := typeDisplay[oid]
	if !ok {
		return "???"
	}
	if typmod < 0 {
		switch {
		case oid == 1042:
			return "bpchar"
		case d.mod == 'z':
			return "timestamp with time zone"
		case d.mod == 'Z':
			return "time with time zone"
		case d.mod == 't':
			return d.name + " without time zone"
		}
		return d.name
	}
	switch d.mod {
	case 'v':
		return d.name + "(" + strconv.Itoa(int(typmod-4)) + ")"
	case 'n':
		m := typmod - 4
		return d.name + "(" + strconv.Itoa(int(m>>16&0xffff)) + "," + strconv.Itoa(int(m&0xffff)) + ")"
	case 't', 'z', 'Z':
		zone := " without time zone"
		if d.mod != 't' {
			zone = " with time zone"
		}
		return d.name + "(" + strconv.Itoa(int(typmod)) + ")" + zone
	case 'i':
		if p := typmod & 0xffff; p != 0xffff {
			return d.name + "(" + strconv.Itoa(int(p)) + ")"
		}
	}
	return d.name
}

func formatTypeKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return rowText(ctx, n, func(i int) (string, bool, error) {
		oid, ok := argInt(args[0], i)
		if !ok {
			return "", false, nil
		}
		typmod, ok := argInt(args[1], i)
		if !ok {
			typmod = -1
		}
		return FormatType(oid, int32(typmod)), true, nil
	})
}

// TypeOIDName returns format_type's name of a type OID with no modifier, and whether the
// OID is a type Quarry knows (for regtype output).
func TypeOIDName(oid int64) (string, bool) {
	s := FormatType(oid, -1)
	return s, s != "???"
}
