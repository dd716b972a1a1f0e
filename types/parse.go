package types

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse reads a type name in any of the dialects Quarry accepts: Hive/Glue
// (`string`, `int`, `array<struct<a:int>>`, `decimal(10,2)`), Trino/Athena (`varchar`,
// `double`, `array(integer)`, `row(a integer)`, `timestamp(3)`) and PostgreSQL (`int4`,
// `character varying(10)`, `timestamp with time zone`, `numeric`, `text[]`).
func Parse(s string) (T, error) {
	p := &typeParser{src: s}
	t, err := p.parse()
	if err != nil {
		return T{}, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return T{}, fmt.Errorf("unexpected %q in type %q", p.src[p.pos:], s)
	}
	return t, nil
}

// FromName returns the type a scalar name denotes with its modifiers (as pg_query gives them:
// `numeric` with [15 2], `varchar` with [10]). ok is false for a name Quarry does not know.
func FromName(name string, mods []int32) (T, bool) {
	name = strings.ToLower(strings.TrimPrefix(strings.ToLower(name), "pg_catalog."))
	if r, ok := regByName[name]; ok {
		return T{Kind: Int64, Reg: r}, true
	}
	switch name {
	case "bool", "boolean":
		return BoolT, true
	case "tinyint", "int1", "smallint", "int2":
		return Int16T, true
	case "int", "int4", "integer", "serial", "serial4":
		return Int32T, true
	case "bigint", "int8", "long", "bigserial", "serial8":
		return Int64T, true
	case "real", "float4", "float":
		if name == "float" && len(mods) == 1 && mods[0] > 24 {
			return Float64T, true
		}
		return Float32T, true
	case "double", "float8", "double precision":
		return Float64T, true
	case "decimal", "numeric", "dec":
		switch len(mods) {
		case 0:
			if name == "numeric" {
				// Postgres' unconstrained numeric; Quarry holds it as the widest decimal
				// with a scale that keeps common fractional inputs exact.
				return T{Kind: Decimal, Precision: MaxDecimalPrecision, Scale: 6}, true
			}
			// Hive's and Trino's default for a bare DECIMAL.
			return DecimalT(10, 0), true
		case 1:
			return DecimalT(mods[0], 0), true
		default:
			return DecimalT(mods[0], mods[1]), true
		}
	case "string", "text", "varchar", "character varying", "char", "character", "bpchar", "name", "citext":
		t := VarcharT
		if len(mods) == 1 && (name == "varchar" || name == "character varying") {
			t.Precision = mods[0]
		}
		return t, true
	case "binary", "varbinary", "bytea", "blob":
		return ByteaT, true
	case "date":
		return DateT, true
	case "time", "time without time zone":
		return TimeT, true
	case "timestamp", "timestamp without time zone", "datetime":
		return TimestampT, true
	case "timestamptz", "timestamp with time zone":
		return TimestampTZT, true
	case "interval":
		return IntervalT, true
	case "json", "jsonb":
		return JSONT, true
	case "uuid":
		return UUIDT, true
	}
	return T{}, false
}

type typeParser struct {
	src string
	pos int
}

func (p *typeParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
}

func (p *typeParser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *typeParser) ident() string {
	p.skipSpace()
	start := p.pos
	if p.pos < len(p.src) && p.src[p.pos] == '`' {
		end := strings.IndexByte(p.src[p.pos+1:], '`')
		if end >= 0 {
			p.pos += end + 2
			return p.src[start+1 : p.pos-1]
		}
	}
	if p.pos < len(p.src) && p.src[p.pos] == '"' {
		end := strings.IndexByte(p.src[p.pos+1:], '"')
		if end >= 0 {
			p.pos += end + 2
			return p.src[start+1 : p.pos-1]
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '_' || c == '.' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			p.pos++
			continue
		}
		break
	}
	return p.src[start:p.pos]
}

func (p *typeParser) expect(c byte) error {
	if p.peek() != c {
		return fmt.Errorf("expected %q at offset %d in type %q", c, p.pos, p.src)
	}
	p.pos++
	return nil
}

func (p *typeParser) number() (int32, error) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	n, err := strconv.Atoi(p.src[start:p.pos])
	if err != nil || n > 1<<20 {
		return 0, fmt.Errorf("expected a number at offset %d in type %q", start, p.src)
	}
	return int32(n), nil
}

func (p *typeParser) parse() (T, error) {
	name := strings.ToLower(p.ident())
	if name == "" {
		return T{}, fmt.Errorf("expected a type name at offset %d in %q", p.pos, p.src)
	}
	// Multi-word Postgres names.
	for _, mw := range []struct{ first, rest string }{
		{"double", "precision"}, {"character", "varying"},
	} {
		if name == mw.first {
			save := p.pos
			if strings.ToLower(p.ident()) == mw.rest {
				name += " " + mw.rest
			} else {
				p.pos = save
			}
		}
	}
	var t T
	switch name {
	case "array":
		open, close := p.peek(), byte('>')
		if open == '(' {
			close = ')'
		} else if open != '<' {
			return T{}, fmt.Errorf("expected < after array in type %q", p.src)
		}
		p.pos++
		e, err := p.parse()
		if err != nil {
			return T{}, err
		}
		if err := p.expect(close); err != nil {
			return T{}, err
		}
		t = ArrayT(e)
	case "map":
		open, close := p.peek(), byte('>')
		if open == '(' {
			close = ')'
		} else if open != '<' {
			return T{}, fmt.Errorf("expected < after map in type %q", p.src)
		}
		p.pos++
		k, err := p.parse()
		if err != nil {
			return T{}, err
		}
		if err := p.expect(','); err != nil {
			return T{}, err
		}
		v, err := p.parse()
		if err != nil {
			return T{}, err
		}
		if err := p.expect(close); err != nil {
			return T{}, err
		}
		t = T{Kind: Map, Key: &k, Elem: &v}
	case "struct", "row":
		open, close, sep := p.peek(), byte('>'), byte(':')
		if open == '(' {
			close, sep = ')', 0
		} else if open != '<' {
			return T{}, fmt.Errorf("expected < after struct in type %q", p.src)
		}
		p.pos++
		t = T{Kind: Struct}
		for {
			fname := p.ident()
			if fname == "" {
				return T{}, fmt.Errorf("expected a field name at offset %d in type %q", p.pos, p.src)
			}
			if sep != 0 {
				if err := p.expect(sep); err != nil {
					return T{}, err
				}
			}
			ft, err := p.parse()
			if err != nil {
				return T{}, err
			}
			t.Fields = append(t.Fields, Field{Name: fname, Type: ft})
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if err := p.expect(close); err != nil {
				return T{}, err
			}
			break
		}
	default:
		var mods []int32
		if p.peek() == '(' {
			p.pos++
			for {
				n, err := p.number()
				if err != nil {
					return T{}, err
				}
				mods = append(mods, n)
				if p.peek() == ',' {
					p.pos++
					continue
				}
				if err := p.expect(')'); err != nil {
					return T{}, err
				}
				break
			}
		}
		// "timestamp(3) with time zone", "time with time zone"
		save := p.pos
		if w := strings.ToLower(p.ident()); w == "with" || w == "without" {
			if strings.ToLower(p.ident()) == "time" && strings.ToLower(p.ident()) == "zone" {
				name += " " + w + " time zone"
			} else {
				p.pos = save
			}
		} else {
			p.pos = save
		}
		if (name == "timestamp" || name == "time") && len(mods) > 0 {
			mods = nil // fractional-second precision: Quarry keeps microseconds
		}
		if name == "time with time zone" {
			name = "time"
		}
		var ok bool
		t, ok = FromName(name, mods)
		if !ok {
			return T{}, fmt.Errorf("unknown type %q", name)
		}
		if t.Kind == Decimal && (t.Precision < 1 || t.Precision > MaxDecimalPrecision || t.Scale < 0 || t.Scale > t.Precision) {
			return T{}, fmt.Errorf("decimal(%d,%d) is out of range: precision must be 1 to %d and scale 0 to precision", t.Precision, t.Scale, MaxDecimalPrecision)
		}
	}
	for p.peek() == '[' {
		p.pos++
		if err := p.expect(']'); err != nil {
			return T{}, err
		}
		t = ArrayT(t)
	}
	return t, nil
}
