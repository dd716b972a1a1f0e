package exec

import (
	"fmt"
	"runtime"

	"github.com/quarrydb/quarry/planner"
)

// Build makes the operators for a plan, fresh for one execution. The pipeline under the
// first pipeline breaker (scan, filter, project) is built once per worker over a shared
// split source and gathered, or fed straight into a parallel aggregation.
func Build(n planner.Node, env *Env) (Operator, error) {
	b := &builder{env: env, workers: env.Workers}
	if b.workers <= 0 {
		b.workers = runtime.GOMAXPROCS(0)
	}
	return b.build(n)
}

type builder struct {
	env     *Env
	workers int
}

func (b *builder) build(n planner.Node) (Operator, error) {
	switch x := n.(type) {
	case *planner.Scan, *planner.Filter, *planner.Project:
		if parallel(n) {
			chains, err := b.chains(n)
			if err != nil {
				return nil, err
			}
			if len(chains) == 1 {
				return chains[0], nil
			}
			return newGather(chains), nil
		}
		switch x := n.(type) {
		case *planner.Filter:
			in, err := b.build(x.Input)
			if err != nil {
				return nil, err
			}
			return b.filter(x, in)
		case *planner.Project:
			in, err := b.build(x.Input)
			if err != nil {
				return nil, err
			}
			return b.project(x, in)
		}
	case *planner.Values:
		return &valuesOp{node: x, fctx: b.env.Funcs, schema: SchemaOf(x.Cols)}, nil
	case *planner.Aggregate:
		var inputs []Operator
		if parallel(x.Input) {
			chains, err := b.chains(x.Input)
			if err != nil {
				return nil, err
			}
			inputs = chains
		} else {
			in, err := b.build(x.Input)
			if err != nil {
				return nil, err
			}
			inputs = []Operator{in}
		}
		return &hashAggOp{inputs: inputs, node: x, fctx: b.env.Funcs, schema: SchemaOf(x.Cols)}, nil
	case *planner.Sort:
		in, err := b.build(x.Input)
		if err != nil {
			return nil, err
		}
		return &sortOp{input: in, keys: x.Keys, fctx: b.env.Funcs, keep: -1}, nil
	case *planner.Limit:
		if s, ok := x.Input.(*planner.Sort); ok && x.Count >= 0 {
			in, err := b.build(s.Input)
			if err != nil {
				return nil, err
			}
			top := &sortOp{input: in, keys: s.Keys, fctx: b.env.Funcs, keep: x.Count + x.Offset}
			return &limitOp{input: top, count: x.Count, offset: x.Offset}, nil
		}
		in, err := b.build(x.Input)
		if err != nil {
			return nil, err
		}
		return &limitOp{input: in, count: x.Count, offset: x.Offset}, nil
	}
	return nil, fmt.Errorf("exec: no operator for %T", n)
}

// parallel reports whether n is a scan pipeline: a scan under filters and projections.
func parallel(n planner.Node) bool {
	switch x := n.(type) {
	case *planner.Scan:
		return true
	case *planner.Filter:
		return parallel(x.Input)
	case *planner.Project:
		return parallel(x.Input)
	}
	return false
}

// chains builds one copy of a scan pipeline per worker, all sharing one split source.
func (b *builder) chains(n planner.Node) ([]Operator, error) {
	var src *splitSource
	out := make([]Operator, b.workers)
	for w := range out {
		op, err := b.chain(n, &src)
		if err != nil {
			return nil, err
		}
		out[w] = op
	}
	return out, nil
}

func (b *builder) chain(n planner.Node, src **splitSource) (Operator, error) {
	switch x := n.(type) {
	case *planner.Scan:
		if *src == nil {
			*src = &splitSource{node: x, env: b.env}
		}
		return newScanOp(*src, b.env, b.env.Funcs)
	case *planner.Filter:
		in, err := b.chain(x.Input, src)
		if err != nil {
			return nil, err
		}
		return b.filter(x, in)
	case *planner.Project:
		in, err := b.chain(x.Input, src)
		if err != nil {
			return nil, err
		}
		return b.project(x, in)
	}
	return nil, fmt.Errorf("exec: %T is not part of a scan pipeline", n)
}

func (b *builder) filter(x *planner.Filter, in Operator) (Operator, error) {
	cond, err := compile(x.Cond, b.env.Funcs)
	if err != nil {
		return nil, err
	}
	return &filterOp{input: in, cond: cond, fctx: b.env.Funcs}, nil
}

func (b *builder) project(x *planner.Project, in Operator) (Operator, error) {
	exprs, err := compileAll(x.Exprs, b.env.Funcs)
	if err != nil {
		return nil, err
	}
	return &projectOp{input: in, exprs: exprs, schema: SchemaOf(x.Cols)}, nil
}
