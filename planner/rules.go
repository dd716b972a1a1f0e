package planner

import (
	"fmt"
)

// Rule rewrites a plan into an equivalent one.
type Rule interface {
	Name() string
	Apply(n Node) (Node, error)
}

// DefaultRules returns the optimizer rules in the order they run, without table
// statistics.
func DefaultRules() []Rule { return RulesWithStats(nil) }

// RulesWithStats returns the optimizer rules in the order they run, the join rules sizing
// tables through st.
//
// Ordering: subqueries become joins first, so every later rule sees only joins. Filters
// are pushed down (into joins as their keys, into scans) before joins are ordered, so the
// ordering sees the filtered sizes and every join condition; semi joins move down before
// the ordering, so that it orders the inner joins around them. Sides of the other joins are
// chosen after the inner joins are ordered, from the same estimates; a join then filters the
// input of an aggregate it reads (its sides are final by then). Columns are pruned
// after that, so that the pruning sees the final keys and the scans' own filter columns;
// join keys are cast to one type at the very end.
func RulesWithStats(st Stats) []Rule {
	return []Rule{
		DecorrelateSubqueries{},
		SimplifyDateComparisons{},
		PushDownFilters{},
		PushSemiJoins{Stats: st},
		JoinOrder{Stats: st},
		ChooseJoinSides{Stats: st},
		PushJoinIntoAggregate{Stats: st},
		PushFilterIntoScan{},
		PruneColumns{},
		// Last: the keys are final only once the joins are ordered and their sides chosen.
		CoerceJoinKeys{},
	}
}

// Optimize runs rules in order. It fails loudly, naming the rule, if a rule changes the
// plan's output columns. The plans of materialized CTEs are optimized the same way, once
// each (plan_cte.go).
func Optimize(n Node, rules []Rule) (Node, error) {
	n, err := runRules(n, rules)
	if err != nil {
		return nil, err
	}
	return optimizeCTEs(n, rules)
}

// runRules runs rules in order over one tree.
func runRules(n Node, rules []Rule) (Node, error) {
	for _, r := range rules {
		before := n.Columns()
		out, err := r.Apply(n)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.Name(), err)
		}
		after := out.Columns()
		if len(before) != len(after) {
			return nil, fmt.Errorf("rule %s changed the plan's output from %d to %d columns", r.Name(), len(before), len(after))
		}
		for i := range before {
			if before[i].Name != after[i].Name || !before[i].Type.Equal(after[i].Type) {
				return nil, fmt.Errorf("rule %s changed output column %d from %s %s to %s %s", r.Name(), i, before[i].Name, before[i].Type, after[i].Name, after[i].Type)
			}
		}
		n = out
	}
	return n, nil
}

// mapChildren rebuilds a node with fn applied to its inputs.
func mapChildren(n Node, fn func(Node) (Node, error)) (Node, error) {
	switch x := n.(type) {
	case *Filter:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Project:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Aggregate:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *GroupId:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Apply: // apply.go: Sub reads the input by position and stays as it is
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Unnest:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Sort:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Limit:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Window, *Union, *SetOp:
		return mapSetOpWindow(n, fn) // rule_setop_window.go
	case *Join:
		l, err := fn(x.Left)
		if err != nil {
			return nil, err
		}
		r, err := fn(x.Right)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Left, c.Right = l, r
		return &c, nil
	}
	return n, nil
}
