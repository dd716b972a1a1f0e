package function

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Casts to and from oid and the reg* types (types/reg.go). Between them and the integers a
// cast only relabels the int64 values. Text → regclass/regtype/... looks the name up, and
// regclass/... → text prints the name, both through the session (its catalog snapshot and
// search path), as PostgreSQL's regclassin/regclassout do.

// castRegKernel returns the kernel for a cast involving an OID type, or nil when neither
// side is one.
func castRegKernel(from, to types.T, try bool) Kernel {
	if !from.IsReg() && !to.IsReg() {
		return nil
	}
	if from.Kind == types.Varchar && from.Reg != types.RegNone {
		from = types.VarcharT // a rendered reg* column is text
	}
	switch {
	case from.Kind == types.Int64 && to.Kind == types.Int64:
		return identityKernel(to)
	case from.IsInteger() && to.IsInteger():
		return castNumeric(types.T{Kind: from.Kind}, types.T{Kind: to.Kind}, try)
	case (from.Kind == types.Varchar || from.Kind == types.Unknown) && to.Kind == types.Int64:
		return textToRegKernel(to.Reg, try)
	case from.Kind == types.Int64 && (to.Kind == types.Varchar || to.Kind == types.Unknown):
		return regToTextKernel(from.Reg)
	}
	return nil
}

// textToRegKernel parses OIDs and, for the named reg* types, looks names up.
func textToRegKernel(kind types.Reg, try bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return rowInt64(ctx, n, func(i int) (int64, bool, error) {
			s, ok := argText(args[0], i)
			if !ok {
				return 0, false, nil
			}
			v, err := regIn(ctx, kind, strings.TrimSpace(s))
			if err != nil {
				if try {
					return 0, false, nil
				}
				return 0, false, err
			}
			return v, true, nil
		})
	}
}

// regIn is the input function of an OID type: a number is taken as is (PostgreSQL accepts
// an OID for every reg* type, and '-' as 0); a name is looked up in the session.
func regIn(ctx *Context, kind types.Reg, s string) (int64, error) {
	if s == "-" && kind != types.RegOid {
		return 0, nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		if v < -(1<<31) || v > 1<<32-1 {
			return 0, sqlerr.New(sqlerr.NumericValueOutOfRange, "value %q is out of range for type oid", s)
		}
		if v < 0 {
			v += 1 << 32 // oidin wraps negative input, as PostgreSQL's strtoul does
		}
		return v, nil
	}
	if kind == types.RegOid {
		return 0, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type oid: %q", s)
	}
	sess, err := ctx.session(kind.Name() + " input")
	if err != nil {
		return 0, err
	}
	return sess.RegOID(kind, s)
}

// regToTextKernel prints OIDs: numbers for oid, names for the reg* types (the number when
// the OID names nothing, '-' for 0, as PostgreSQL does).
func regToTextKernel(kind types.Reg) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		var sess SessionInfo
		if kind != types.RegOid && kind != types.RegNone {
			s, err := ctx.session(kind.Name() + " output")
			if err != nil {
				return nil, err
			}
			sess = s
		}
		return rowText(ctx, n, func(i int) (string, bool, error) {
			v, ok := argInt(args[0], i)
			if !ok {
				return "", false, nil
			}
			if sess == nil {
				return strconv.FormatInt(v, 10), true, nil
			}
			return RegOut(sess, kind, v), true, nil
		})
	}
}

// RegOut is the text form of an OID of a reg* type: the object's name as the session sees
// it, '-' for 0, the number for an OID that names nothing.
func RegOut(s SessionInfo, kind types.Reg, oid int64) string {
	if oid == 0 {
		return "-"
	}
	if name, ok := s.RegName(kind, oid); ok {
		return name
	}
	return strconv.FormatInt(oid, 10)
}
