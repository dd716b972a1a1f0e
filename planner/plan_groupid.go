package planner

import (
	"fmt"
	"strings"

	"github.com/quarrydb/quarry/types"
)

// GroupId feeds an aggregation by grouping sets (GROUP BY ROLLUP, CUBE, GROUPING SETS), as
// Trino's GroupIdNode does: it emits every input row once per grouping set, with the key
// columns that set does not group by set to NULL, followed by the set's number. The
// Aggregate above groups by the key columns and that number, so a key that is NULL in the
// data stays apart from a key the set rolled up, and grouping() is a function of the number.
//
// Its output is its input's columns followed by the set number (int4). Only the Keys
// columns differ from the input; the columns the aggregates read pass through unchanged.
type GroupId struct {
	Input Node
	// Keys are the input columns the sets choose from.
	Keys []int
	// Sets lists, per grouping set, the positions in Keys it groups by. The set number is
	// the index in Sets; two equal sets still get two numbers (and two result rows), as
	// PostgreSQL gives GROUPING SETS ((a), (a)).
	Sets [][]int
}

// GroupIdColumn is the name of GroupId's set-number column.
const GroupIdColumn = "$groupid"

func (n *GroupId) Columns() []Column {
	in := n.Input.Columns()
	out := make([]Column, len(in), len(in)+1)
	copy(out, in)
	return append(out, Column{Name: GroupIdColumn, Type: types.Int32T})
}

func (n *GroupId) Inputs() []Node { return []Node{n.Input} }

func (n *GroupId) String() string {
	in := n.Input.Columns()
	sets := make([]string, len(n.Sets))
	for s, set := range n.Sets {
		names := make([]string, len(set))
		for i, k := range set {
			names[i] = fmt.Sprintf("%s#%d", in[n.Keys[k]].Name, n.Keys[k])
		}
		sets[s] = "(" + strings.Join(names, ", ") + ")"
	}
	return "GroupId sets=[" + strings.Join(sets, ", ") + "]"
}

// pruneGroupId narrows a GroupId's input to the columns its parent reads and its keys.
func pruneGroupId(x *GroupId, required []bool) (Node, []int) {
	nin := len(x.Input.Columns())
	need := copyReq(required, nin)
	for _, k := range x.Keys {
		need[k] = true
	}
	in, m := prune(x.Input, need)
	c := *x
	c.Input = in
	c.Keys = make([]int, len(x.Keys))
	for i, k := range x.Keys {
		c.Keys[i] = m[k]
	}
	mapping := make([]int, nin+1)
	copy(mapping, m)
	mapping[nin] = len(in.Columns())
	return &c, mapping
}
