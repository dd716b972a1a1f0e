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
	// ctes holds the materialized CTEs built so far, one per planner.CTE (cte.go).
	ctes map[*planner.CTE]*sharedCTE
}

// build makes n's operator, measured when the query is analyzed.
func (b *builder) build(n planner.Node) (Operator, error) {
	op, err := b.buildNode(n)
	return b.env.Analyze.wrap(n, op, err)
}

func (b *builder) buildNode(n planner.Node) (Operator, error) {
	switch x := n.(type) {
	case *planner.Scan, *planner.Filter, *planner.Project, *planner.GroupId:
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
		case *planner.GroupId:
			in, err := b.build(x.Input)
			if err != nil {
				return nil, err
			}
			return newGroupIdOp(in, x, b.env.Funcs), nil // groupid.go
		}
	case *planner.Join:
		return b.join(x)
	case *planner.CteScan:
		return b.cteScan(x) // cte.go
	case *planner.Values:
		return &valuesOp{node: x, fctx: b.env.Funcs, schema: SchemaOf(x.Cols)}, nil
	case *planner.Aggregate:
		var inputs []Operator
		if u, ok := x.Input.(*planner.Union); ok {
			// UNION: each branch's pipelines aggregate partially, in parallel (setop.go).
			var err error
			if inputs, err = b.unionInputs(u); err != nil {
				return nil, err
			}
		} else if parallel(x.Input) {
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
	case *planner.Union, *planner.SetOp, *planner.Window:
		return b.setOpWindow(n) // setop.go, window.go
	case *planner.Apply:
		in, err := b.build(x.Input)
		if err != nil {
			return nil, err
		}
		return newApplyOp(in, x, b.env), nil // apply.go
	case *planner.Unnest:
		in, err := b.build(x.Input)
		if err != nil {
			return nil, err
		}
		return newUnnestOp(in, x, b.env.Funcs) // unnest.go
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
			top, _ := b.env.Analyze.wrap(s, &sortOp{input: in, keys: s.Keys, fctx: b.env.Funcs, keep: x.Count + x.Offset}, nil)
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
	case *planner.GroupId:
		return parallel(x.Input)
	case *planner.Join:
		return streams(x.Kind) && parallel(x.Left)
	}
	return false
}

// streams reports whether a join kind's output comes from its probe side alone, batch by
// batch, so that its probe can be one more stage of every worker's pipeline.
func streams(k planner.JoinKind) bool {
	switch k {
	case planner.InnerJoin, planner.LeftJoin, planner.SemiJoin, planner.AntiJoin, planner.MarkJoin, planner.SingleJoin:
		return true
	}
	return false
}

// chains builds one copy of a scan pipeline per worker, all sharing one split source and
// the build sides of the joins the pipeline probes.
func (b *builder) chains(n planner.Node) ([]Operator, error) {
	sh := &chainShared{builds: map[*planner.Join]*joinBuild{}}
	out := make([]Operator, b.workers)
	for w := range out {
		op, err := b.chain(n, sh)
		if err != nil {
			return nil, err
		}
		out[w] = op
	}
	return out, nil
}

// chainShared is what the workers' copies of one pipeline share.
type chainShared struct {
	src    *splitSource
	builds map[*planner.Join]*joinBuild
}

// chain makes one worker's copy of n's pipeline, each copy measured on its own when the
// query is analyzed.
func (b *builder) chain(n planner.Node, sh *chainShared) (Operator, error) {
	op, err := b.chainNode(n, sh)
	return b.env.Analyze.wrap(n, op, err)
}

func (b *builder) chainNode(n planner.Node, sh *chainShared) (Operator, error) {
	switch x := n.(type) {
	case *planner.Scan:
		if sh.src == nil {
			sh.src = &splitSource{node: x, env: b.env}
		}
		return newScanOp(sh.src, b.env, b.env.Funcs)
	case *planner.Filter:
		in, err := b.chain(x.Input, sh)
		if err != nil {
			return nil, err
		}
		return b.filter(x, in)
	case *planner.Project:
		in, err := b.chain(x.Input, sh)
		if err != nil {
			return nil, err
		}
		return b.project(x, in)
	case *planner.GroupId:
		in, err := b.chain(x.Input, sh)
		if err != nil {
			return nil, err
		}
		return newGroupIdOp(in, x, b.env.Funcs), nil
	case *planner.Join:
		jb := sh.builds[x]
		if jb == nil {
			right, err := b.build(x.Right)
			if err != nil {
				return nil, err
			}
			jb = newJoinBuild(x, right, b.env.Funcs)
			sh.builds[x] = jb
		}
		in, err := b.chain(x.Left, sh)
		if err != nil {
			return nil, err
		}
		return newProbeOp(in, jb, x, b.env.Funcs, SchemaOf(x.Columns()))
	}
	return nil, fmt.Errorf("exec: %T is not part of a scan pipeline", n)
}

// join builds a join whose probe side is not (or cannot be) part of a parallel pipeline,
// and the joins that emit build rows at the end.
func (b *builder) join(x *planner.Join) (Operator, error) {
	if streams(x.Kind) {
		if parallel(x) {
			chains, err := b.chains(x)
			if err != nil {
				return nil, err
			}
			if len(chains) == 1 {
				return chains[0], nil
			}
			return newGather(chains), nil
		}
		right, err := b.build(x.Right)
		if err != nil {
			return nil, err
		}
		left, err := b.build(x.Left)
		if err != nil {
			return nil, err
		}
		return newProbeOp(left, newJoinBuild(x, right, b.env.Funcs), x, b.env.Funcs, SchemaOf(x.Columns()))
	}
	right, err := b.build(x.Right)
	if err != nil {
		return nil, err
	}
	jb := newJoinBuild(x, right, b.env.Funcs)
	// The probe workers' output schema is the join's without the build rows: for right
	// semi and anti joins they output nothing, so any schema does.
	probeSchema := SchemaOf(x.Columns())
	var probe Operator
	if parallel(x.Left) {
		sh := &chainShared{builds: map[*planner.Join]*joinBuild{}}
		ops := make([]Operator, b.workers)
		for w := range ops {
			in, err := b.chain(x.Left, sh)
			if err != nil {
				return nil, err
			}
			if ops[w], err = newProbeOp(in, jb, x, b.env.Funcs, probeSchema); err != nil {
				return nil, err
			}
		}
		probe = ops[0]
		if len(ops) > 1 {
			probe = newGather(ops)
		}
	} else {
		left, err := b.build(x.Left)
		if err != nil {
			return nil, err
		}
		if probe, err = newProbeOp(left, jb, x, b.env.Funcs, probeSchema); err != nil {
			return nil, err
		}
	}
	return newJoinResidueOp(probe, jb, x, b.env.Funcs), nil
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
