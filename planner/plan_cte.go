package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Materialized WITH queries, as PostgreSQL 12+ decides them: a CTE referenced more than once
// (or written AS MATERIALIZED, or calling a volatile function) is computed once and its rows
// read by every reference; a CTE referenced once (or written AS NOT MATERIALIZED) is inlined
// as a derived table, so that filters and column pruning reach into it.
//
// A materialized CTE is a CTE, optimized on its own (Optimize runs the rules over its plan
// once, after the main tree), and each reference is a CteScan: a leaf to every rule, so no
// per-reference rewrite can make the copies diverge, and filters and pruning stop at it. The
// executor runs the CTE's plan on the first Open of any of its scans and buffers its batches
// for all of them (exec/cte.go).

// CTE is a WITH query computed once for all its CteScans. Its Plan's columns are the CTE's;
// each scan renames them for its alias.
type CTE struct {
	Name string
	Plan Node
}

// CteScan reads the rows of a materialized CTE.
type CteScan struct {
	CTE   *CTE
	Alias string
	// Keep are the CTE.Plan columns the scan outputs, in order (PruneColumns narrows it).
	Keep []int
	// Cols are those columns, qualified by Alias (and renamed by its column list).
	Cols []Column
}

func (n *CteScan) Columns() []Column { return n.Cols }
func (n *CteScan) Inputs() []Node    { return nil }
func (n *CteScan) String() string {
	s := "CTE Scan " + n.CTE.Name
	if n.Alias != n.CTE.Name {
		s += " alias=" + n.Alias
	}
	narrowed := len(n.Keep) != len(n.CTE.Plan.Columns())
	for i, k := range n.Keep {
		narrowed = narrowed || k != i
	}
	if narrowed {
		names := make([]string, len(n.Cols))
		for i, c := range n.Cols {
			names[i] = c.Name
		}
		s += ", columns=[" + strings.Join(names, ", ") + "]"
	}
	return s
}

// CTEs returns the materialized CTEs the plan under n reads, each once, in order of first
// reference (a CTE read by another CTE's plan after that CTE).
func CTEs(n Node) []*CTE {
	var out []*CTE
	seen := map[*CTE]bool{}
	var walk func(n Node)
	walk = func(n Node) {
		if s, ok := n.(*CteScan); ok && !seen[s.CTE] {
			seen[s.CTE] = true
			out = append(out, s.CTE)
			walk(s.CTE.Plan)
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	return out
}

// optimizeCTEs runs rules over the plan of every CTE n reads, once per CTE however many
// scans read it, narrows each CTE's plan to the columns its scans read, and points the
// scans at the new CTEs. The CTE plans are optimized separately from the tree around their
// scans, as PostgreSQL plans a CTE as its own subquery.
func optimizeCTEs(n Node, rules []Rule) (Node, error) {
	if len(CTEs(n)) == 0 {
		return n, nil
	}
	n, err := optimizeCTEPlans(n, rules)
	if err != nil {
		return nil, err
	}
	return pruneCTEs(n), nil
}

// optimizeCTEPlans runs rules over every CTE's plan.
func optimizeCTEPlans(n Node, rules []Rule) (Node, error) {
	done := map[*CTE]*CTE{}
	var fix func(n Node) (Node, error)
	fix = func(n Node) (Node, error) {
		s, ok := n.(*CteScan)
		if !ok {
			return mapChildren(n, fix)
		}
		o := done[s.CTE]
		if o == nil {
			p, err := runRules(s.CTE.Plan, rules)
			if err != nil {
				return nil, err
			}
			if p, err = fix(p); err != nil {
				return nil, err
			}
			o = &CTE{Name: s.CTE.Name, Plan: p}
			done[s.CTE] = o
		}
		c := *s
		c.CTE = o
		return &c, nil
	}
	return fix(n)
}

// pruneCTEs narrows the plan of every CTE n reads to the union of the columns its scans
// keep, and remaps the scans. A CTE is read only by the main tree and by CTEs defined after
// it, so the CTEs are pruned readers first: a CTE's plan, once pruned, keeps its final
// scans of the CTEs it reads.
func pruneCTEs(n Node) Node {
	ctes := CTEs(n)
	plans := map[*CTE]Node{}
	for _, c := range ctes {
		plans[c] = c.Plan
	}
	// readers[c]: the CTEs whose plans scan c.
	readers := map[*CTE][]*CTE{}
	for _, u := range ctes {
		walkCteScans(u.Plan, func(s *CteScan) { readers[s.CTE] = append(readers[s.CTE], u) })
	}
	mappings := map[*CTE][]int{}
	for len(mappings) < len(ctes) {
		progress := false
		for _, c := range ctes {
			if _, ok := mappings[c]; ok || !allIn(readers[c], mappings) {
				continue
			}
			need := make([]bool, len(c.Plan.Columns()))
			mark := func(s *CteScan) {
				if s.CTE == c {
					for _, k := range s.Keep {
						need[k] = true
					}
				}
			}
			walkCteScans(n, mark)
			for _, u := range readers[c] {
				walkCteScans(plans[u], mark)
			}
			p, m := prune(c.Plan, need)
			plans[c], mappings[c] = p, m
			progress = true
		}
		if !progress { // cannot happen (CTEs read only earlier ones); keep every plan whole
			return n
		}
	}
	done := map[*CTE]*CTE{}
	var fix func(n Node) Node
	fix = func(n Node) Node {
		s, ok := n.(*CteScan)
		if !ok {
			out, _ := mapChildren(n, func(c Node) (Node, error) { return fix(c), nil })
			return out
		}
		o := done[s.CTE]
		if o == nil {
			o = &CTE{Name: s.CTE.Name, Plan: fix(plans[s.CTE])}
			done[s.CTE] = o
		}
		c := *s
		c.CTE = o
		c.Keep = make([]int, len(s.Keep))
		for i, k := range s.Keep {
			c.Keep[i] = mappings[s.CTE][k]
		}
		return &c
	}
	return fix(n)
}

func allIn(cs []*CTE, m map[*CTE][]int) bool {
	for _, c := range cs {
		if _, ok := m[c]; !ok {
			return false
		}
	}
	return true
}

// walkCteScans calls fn on every CteScan in the tree under n (not inside the CTEs' plans).
func walkCteScans(n Node, fn func(*CteScan)) {
	if s, ok := n.(*CteScan); ok {
		fn(s)
	}
	for _, in := range n.Inputs() {
		walkCteScans(in, fn)
	}
}

// pruneCteScan narrows a CteScan to the required columns.
func pruneCteScan(x *CteScan, required []bool) (Node, []int) {
	c := *x
	c.Keep, c.Cols = []int{}, nil
	mapping := make([]int, len(x.Cols))
	for i := range x.Cols {
		mapping[i] = -1
		if i < len(required) && required[i] {
			mapping[i] = len(c.Cols)
			c.Keep = append(c.Keep, x.Keep[i])
			c.Cols = append(c.Cols, x.Cols[i])
		}
	}
	return &c, mapping
}

// materializeCTE reports whether a bound WITH query is computed once rather than inlined:
// PostgreSQL's rule (subselect.c, SS_process_ctes). refs is the number of references to it
// in the statement. A CTE reading columns of an enclosing query is always inlined: its rows
// depend on the outer row, and decorrelation must see into it.
func materializeCTE(node Node, mat pg.CTEMaterialize, refs int) bool {
	if refs == 0 || hasEscapingOuterRefs(node, 1) {
		return false
	}
	switch {
	case hasVolatile(node):
		return true // even AS NOT MATERIALIZED: inlining would change the results
	case mat == pg.CTEMaterialize_CTEMaterializeAlways:
		return true
	case mat == pg.CTEMaterialize_CTEMaterializeNever:
		return false
	}
	return refs > 1
}

// hasEscapingOuterRefs reports whether the plan under n reads a column of a query outside
// it, level being the depth of n's own outer query.
func hasEscapingOuterRefs(n Node, level int) bool {
	found := false
	for _, e := range nodeExprs(n) {
		Walk(e, func(x Expr) bool {
			switch r := x.(type) {
			case *OuterRef:
				if r.Depth >= level {
					found = true
				}
			case *Subquery:
				if hasEscapingOuterRefs(r.Plan, level+1) {
					found = true
				}
			}
			return !found
		})
	}
	for _, in := range n.Inputs() {
		if found {
			break
		}
		found = hasEscapingOuterRefs(in, level)
	}
	return found
}

// hasVolatile reports whether the plan under n calls a volatile function (random()).
func hasVolatile(n Node) bool {
	found := false
	for _, e := range nodeExprs(n) {
		Walk(e, func(x Expr) bool {
			switch c := x.(type) {
			case *Call:
				if c.Volatility == function.Volatile {
					found = true
				}
			case *Subquery:
				if hasVolatile(c.Plan) {
					found = true
				}
			}
			return !found
		})
	}
	for _, in := range n.Inputs() {
		if found {
			break
		}
		found = hasVolatile(in)
	}
	return found
}

// cteRefCount counts the references to the WITH query ctes[i] of sel's WITH clause: in the
// later queries of the clause and in sel itself. It counts in the parse tree, before
// binding, as PostgreSQL's parser counts cterefcount; a nested WITH query of the same name
// hides the outer one from the rest of its clause and its statement.
func cteRefCount(sel *pg.SelectStmt, i int, name string) int {
	count := 0
	var walk func(m protoreflect.Message)
	children := func(m protoreflect.Message, skipWith bool) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.Message() == nil || fd.IsMap() || (skipWith && fd.Name() == "with_clause") {
				return true
			}
			if fd.IsList() {
				l := v.List()
				for k := 0; k < l.Len(); k++ {
					walk(l.Get(k).Message())
				}
				return true
			}
			walk(v.Message())
			return true
		})
	}
	walk = func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg.RangeVar:
			if x.Schemaname == "" && x.Catalogname == "" && strings.ToLower(x.Relname) == name {
				count++
			}
			return
		case *pg.SelectStmt:
			if x.WithClause == nil {
				break
			}
			for _, c := range x.WithClause.Ctes {
				cte := c.GetCommonTableExpr()
				if cte == nil || cte.Ctequery == nil {
					continue
				}
				// A non-recursive WITH query sees the outer name in its own body.
				walk(cte.Ctequery.ProtoReflect())
				if strings.ToLower(cte.Ctename) == name {
					return // hidden from here on
				}
			}
			children(m, true)
			return
		}
		children(m, false)
	}
	for _, c := range sel.WithClause.Ctes[i+1:] {
		if cte := c.GetCommonTableExpr(); cte != nil && cte.Ctequery != nil {
			walk(cte.Ctequery.ProtoReflect())
		}
	}
	children(sel.ProtoReflect(), true)
	return count
}
