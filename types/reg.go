package types

// PostgreSQL's OID-valued types: oid itself and the reg* alias types (regclass, regtype,
// regproc, ...). Quarry holds them as int64 values (Kind Int64), so every integer kernel —
// comparison, hashing, join keys, arithmetic — works on them unchanged; the Reg field of T
// says which of them a value is. It matters in three places only:
//   - the OID a client is told (oid 26, regclass 2205, ...) and the 4-byte binary form;
//   - casts: text → reg* looks a name up and reg* → text prints one (function/cast_reg.go),
//     both through the session, because names depend on the catalog and the search path;
//   - result columns: a reg* column (other than oid) reaches the client as the name, as
//     PostgreSQL prints it. The engine renders those columns to text before they leave it
//     and marks the rendered column T{Kind: Varchar, Reg: r}, so the wire still reports the
//     reg* OID (see RenderedReg).

// Reg says which OID-valued type an int64 value is. RegNone is a plain integer.
type Reg uint8

const (
	RegNone Reg = iota
	RegOid
	RegClass
	RegType
	RegProc
	RegProcedure
	RegNamespace
	RegRole
)

// PostgreSQL's OIDs of the reg* types and their arrays.
const (
	OidRegProc      = 24
	OidRegProcedure = 2202
	OidRegClass     = 2205
	OidRegType      = 2206
	OidRegNamespace = 4089
	OidRegRole      = 4096
)

var regInfo = [...]struct {
	name     string
	oid      uint32
	arrayOID uint32
}{
	RegNone:      {"bigint", OidInt8, 1016},
	RegOid:       {"oid", OidOid, 1028},
	RegClass:     {"regclass", OidRegClass, 2210},
	RegType:      {"regtype", OidRegType, 2211},
	RegProc:      {"regproc", OidRegProc, 1008},
	RegProcedure: {"regprocedure", OidRegProcedure, 2207},
	RegNamespace: {"regnamespace", OidRegNamespace, 4090},
	RegRole:      {"regrole", OidRegRole, 4097},
}

// The OID-valued types as values.
var (
	OidT          = T{Kind: Int64, Reg: RegOid}
	RegClassT     = T{Kind: Int64, Reg: RegClass}
	RegTypeT      = T{Kind: Int64, Reg: RegType}
	RegProcT      = T{Kind: Int64, Reg: RegProc}
	RegProcedureT = T{Kind: Int64, Reg: RegProcedure}
	RegNamespaceT = T{Kind: Int64, Reg: RegNamespace}
	RegRoleT      = T{Kind: Int64, Reg: RegRole}
)

// regByName maps the type names (as FromName sees them) to their Reg.
var regByName = map[string]Reg{
	"oid": RegOid, "regclass": RegClass, "regtype": RegType, "regproc": RegProc,
	"regprocedure": RegProcedure, "regnamespace": RegNamespace, "regrole": RegRole,
}

// Name returns the PostgreSQL name of the type ("regclass").
func (r Reg) Name() string {
	if int(r) < len(regInfo) {
		return regInfo[r].name
	}
	return "oid"
}

// IsReg reports whether t is oid or one of the reg* types (stored or rendered).
func (t T) IsReg() bool { return t.Reg != RegNone }

// NamedReg reports whether t is a reg* type whose text form is a name (every reg* type but
// oid), held as its int64 OID.
func (t T) NamedReg() bool { return t.Kind == Int64 && t.Reg > RegOid }

// RenderedReg returns the type of a reg* result column after the engine has rendered its
// values to names: text in memory, the reg* type on the wire.
func RenderedReg(t T) T { return T{Kind: Varchar, Reg: t.Reg} }
