package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// information_schema._pg_expandarray(arr) is PostgreSQL's set-returning function of
// composite rows (x = element, n = 1-based position). pgJDBC's getPrimaryKeys, getIndexInfo
// and getBestRowIdentifier and Metabase's index sync use it in exactly three shapes:
//
//	(information_schema._pg_expandarray(i.indkey)).n      -- the position, a select-list SRF
//	information_schema._pg_expandarray(i.indkey) AS keys  -- the row, a select-list SRF ...
//	... (result.keys).x                                   -- ... whose element an outer query reads
//
// Quarry has no composite values, so rewriteExpandArray turns those shapes into the
// set-returning functions it has before binding: (f(a)).x is unnest(a), (f(a)).n is
// generate_subscripts(a, 1), a target f(a) AS k becomes unnest(a) AS k, and (q.k).x then
// reads k itself. PostgreSQL runs several select-list SRFs of one list in lockstep, as
// Quarry's Unnest does, so the rows and their order are PostgreSQL's. Other uses of the
// function (its .n through an alias, or FROM _pg_expandarray(...)) still fail to bind.
//
// The rewrite edits the parse tree in place and is idempotent: a tree with no
// _pg_expandarray left is not changed again.
func rewriteExpandArray(stmt *pg.SelectStmt) {
	if stmt == nil || !mentionsExpandArray(stmt.ProtoReflect()) {
		return
	}
	aliases := map[string]bool{}
	// Targets first, so the aliases are known when their uses are rewritten.
	walkNodes(stmt.ProtoReflect(), func(n *pg.Node) {
		rt := n.GetResTarget()
		if rt == nil || rt.Name == "" {
			return
		}
		if arg, ok := expandArrayArg(rt.Val); ok {
			rt.Val = srfCall("unnest", arg)
			aliases[strings.ToLower(rt.Name)] = true
		}
	})
	walkNodes(stmt.ProtoReflect(), func(n *pg.Node) {
		ind := n.GetAIndirection()
		if ind == nil || len(ind.Indirection) != 1 {
			return
		}
		field := strVal(ind.Indirection[0])
		if arg, ok := expandArrayArg(ind.Arg); ok {
			switch field {
			case "x":
				n.Node = &pg.Node_FuncCall{FuncCall: srfCall("unnest", arg).GetFuncCall()}
			case "n":
				one := &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Val: &pg.A_Const_Ival{Ival: &pg.Integer{Ival: 1}}}}}
				n.Node = &pg.Node_FuncCall{FuncCall: srfCall("generate_subscripts", arg, one).GetFuncCall()}
			}
			return
		}
		if cr := ind.Arg.GetColumnRef(); cr != nil && field == "x" && len(cr.Fields) > 0 {
			if aliases[strings.ToLower(strVal(cr.Fields[len(cr.Fields)-1]))] {
				n.Node = ind.Arg.Node
			}
		}
	})
}

// expandArrayArg returns the argument of a one-argument _pg_expandarray call.
func expandArrayArg(n *pg.Node) (*pg.Node, bool) {
	fc := n.GetFuncCall()
	if fc == nil || len(fc.Args) != 1 || len(fc.Funcname) == 0 || fc.Over != nil {
		return nil, false
	}
	if strings.ToLower(strVal(fc.Funcname[len(fc.Funcname)-1])) != "_pg_expandarray" {
		return nil, false
	}
	return fc.Args[0], true
}

func srfCall(name string, args ...*pg.Node) *pg.Node {
	return &pg.Node{Node: &pg.Node_FuncCall{FuncCall: &pg.FuncCall{
		Funcname: []*pg.Node{{Node: &pg.Node_String_{String_: &pg.String{Sval: name}}}},
		Args:     args, Funcformat: pg.CoercionForm_COERCE_EXPLICIT_CALL, Location: -1}}}
}

// mentionsExpandArray reports whether the tree calls _pg_expandarray anywhere.
func mentionsExpandArray(m protoreflect.Message) bool {
	found := false
	walkNodes(m, func(n *pg.Node) {
		if _, ok := expandArrayArg(n); ok {
			found = true
		}
	})
	return found
}

// walkNodes calls fn for every pg.Node in the tree, parents before children. fn may
// replace a node's content; the walk then descends into the new content.
func walkNodes(m protoreflect.Message, fn func(*pg.Node)) {
	if n, ok := m.Interface().(*pg.Node); ok {
		fn(n)
		m = n.ProtoReflect()
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkNodes(l.Get(i).Message(), fn)
			}
		case fd.Message() != nil && !fd.IsMap():
			walkNodes(v.Message(), fn)
		}
		return true
	})
}
