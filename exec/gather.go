package exec

import (
	"context"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
)

// gatherOp runs several copies of a pipeline concurrently and returns their batches in
// whatever order they arrive. It is the exchange that spreads a scan across cores. The
// first error from any worker ends the whole operator.
type gatherOp struct {
	inputs []Operator
	schema *arrow.Schema
	ch     chan gatherItem
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed bool
}

type gatherItem struct {
	rec arrow.Record
	err error
}

func newGather(inputs []Operator) *gatherOp {
	return &gatherOp{inputs: inputs, schema: inputs[0].Schema()}
}

func (g *gatherOp) Schema() *arrow.Schema { return g.schema }

func (g *gatherOp) Open(ctx context.Context) error {
	ctx, g.cancel = context.WithCancel(ctx)
	g.ch = make(chan gatherItem, len(g.inputs)*2)
	for _, in := range g.inputs {
		if err := in.Open(ctx); err != nil {
			g.cancel()
			return err
		}
	}
	var done sync.WaitGroup
	for _, in := range g.inputs {
		g.wg.Add(1)
		done.Add(1)
		go func(in Operator) {
			defer g.wg.Done()
			defer done.Done()
			var perr error
			defer func() {
				if perr != nil {
					select {
					case g.ch <- gatherItem{err: perr}:
					case <-ctx.Done():
					}
				}
			}()
			defer recoverTo(&perr)
			for {
				rec, err := in.Next(ctx)
				if err == io.EOF {
					return
				}
				select {
				case g.ch <- gatherItem{rec: rec, err: err}:
				case <-ctx.Done():
					if rec != nil {
						rec.Release()
					}
					return
				}
				if err != nil {
					return
				}
			}
		}(in)
	}
	go func() {
		done.Wait()
		close(g.ch)
	}()
	return nil
}

func (g *gatherOp) Next(ctx context.Context) (arrow.Record, error) {
	select {
	case it, ok := <-g.ch:
		if !ok {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		return it.rec, it.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *gatherOp) Close() error {
	if g.closed {
		return nil
	}
	g.closed = true
	if g.cancel != nil {
		g.cancel()
	}
	if g.ch != nil {
		// Drain so blocked workers can finish.
		go func() {
			for it := range g.ch {
				if it.rec != nil {
					it.rec.Release()
				}
			}
		}()
	}
	g.wg.Wait()
	var first error
	for _, in := range g.inputs {
		if err := in.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
