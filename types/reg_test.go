package types

import "testing"

func TestRegTypes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		oid, aoid uint32
	}{
		{"oid", 26, 1028}, {"regclass", 2205, 2210}, {"regtype", 2206, 2211}, {"regproc", 24, 1008},
		{"regprocedure", 2202, 2207}, {"regnamespace", 4089, 4090}, {"regrole", 4096, 4097},
	} {
		typ, err := Parse(tc.name)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.name, err)
		}
		if typ.Kind != Int64 || !typ.IsReg() || typ.OID() != tc.oid || ArrayT(typ).OID() != tc.aoid ||
			typ.PGName() != tc.name || typ.Size() != 4 || typ.Typmod() != -1 {
			t.Errorf("%s: kind %v, OID %d, array OID %d, name %q, size %d", tc.name, typ.Kind, typ.OID(), ArrayT(typ).OID(), typ.PGName(), typ.Size())
		}
		if typ.Equal(Int64T) || Int64T.Equal(typ) {
			t.Errorf("%s equals bigint", tc.name)
		}
		if r := RenderedReg(typ); r.Kind != Varchar || r.OID() != tc.oid || r.NamedReg() {
			t.Errorf("rendered %s: %+v OID %d", tc.name, r, r.OID())
		}
	}
	if OidT.NamedReg() || !RegClassT.NamedReg() {
		t.Error("NamedReg: oid prints numbers, regclass names")
	}
	if p, err := Parse("pg_catalog.regclass"); err != nil || !p.Equal(RegClassT) {
		t.Errorf("pg_catalog.regclass: %v %v", p, err)
	}
}
