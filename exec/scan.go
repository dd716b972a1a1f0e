package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// hiveNullPartition is the directory value Hive writes for a NULL partition key.
const hiveNullPartition = "__HIVE_DEFAULT_PARTITION__"

// scanSplit is one unit of scan work with the partition it belongs to.
type scanSplit struct {
	store  objstore.Store
	split  formats.Split
	values []string // partition key values, in PartitionKeys order
}

// splitSource lists a scan's splits once and hands them out to the scan's workers.
type splitSource struct {
	node   *planner.Scan
	env    *Env
	once   sync.Once
	err    error
	format formats.Format
	splits []scanSplit
	next   atomic.Int64
	files  atomic.Int64 // files listed, for EXPLAIN ANALYZE
}

func (s *splitSource) init(ctx context.Context) error {
	s.once.Do(func() { s.err = s.list(ctx) })
	return s.err
}

func (s *splitSource) take() (*scanSplit, bool) {
	i := s.next.Add(1) - 1
	if int(i) >= len(s.splits) {
		return nil, false
	}
	return &s.splits[i], true
}

type location struct {
	url    string
	values []string
}

func (s *splitSource) list(ctx context.Context) error {
	f, err := s.env.Formats.Get(s.node.Format)
	if err != nil {
		return err
	}
	s.format = f
	var locs []location
	if s.node.Partitioned {
		parts, err := s.env.Catalog.ListPartitions(ctx, s.node.Database, s.node.Table)
		if err != nil {
			return err
		}
		for _, p := range parts {
			loc := p.StorageDescriptor.Location
			if loc == "" {
				continue
			}
			locs = append(locs, location{url: loc, values: p.Values})
		}
	} else {
		if s.node.Location == "" {
			return sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "table %s.%s has no LOCATION", s.node.Database, s.node.Table)
		}
		locs = append(locs, location{url: s.node.Location})
	}
	type file struct {
		store  objstore.Store
		info   objstore.ObjectInfo
		values []string
	}
	var files []file
	for _, l := range locs {
		store, url, err := s.env.Stores.Resolve(l.url)
		if err != nil {
			return sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "table %s.%s: %v", s.node.Database, s.node.Table, err)
		}
		prefix := url
		if !strings.HasSuffix(prefix, "/") {
			// A location names a folder unless it is a single object.
			if _, err := store.Stat(ctx, prefix); err != nil {
				prefix += "/"
			}
		}
		objs, err := store.List(ctx, prefix)
		if err != nil {
			return sqlerr.Wrap(err, sqlerr.IOError, "listing %s: %v", prefix, err)
		}
		for _, o := range objs {
			if o.Size == 0 {
				continue
			}
			files = append(files, file{store: store, info: o, values: l.values})
		}
	}
	// Footers are read in parallel: a table may have many files.
	results := make([][]formats.Split, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(4, s.env.Workers*2))
	for i, fl := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, fl file) {
			defer wg.Done()
			defer func() { <-sem }()
			defer recoverTo(&errs[i])
			results[i], errs[i] = f.Splits(ctx, fl.store, fl.info, s.node.Options)
		}(i, fl)
	}
	wg.Wait()
	for i := range files {
		if errs[i] != nil {
			return errs[i]
		}
		for _, sp := range results[i] {
			s.splits = append(s.splits, scanSplit{store: files[i].store, split: sp, values: files[i].values})
		}
	}
	s.files.Store(int64(len(files)))
	if s.env.Stats != nil {
		atomic.AddInt64(&s.env.Stats.Files, int64(len(files)))
		atomic.AddInt64(&s.env.Stats.Splits, int64(len(s.splits)))
	}
	return nil
}

// scanOp is one worker's scan: it takes splits from the shared source until none are left.
// Not a pipeline breaker.
type scanOp struct {
	src     *splitSource
	node    *planner.Scan
	env     *Env
	schema  *arrow.Schema
	filters []evaluator
	// dataProj are the data column indexes the reader produces; outFrom maps each output
	// column to a reader column (>= 0) or a partition key (-1 - key index).
	dataProj []int
	outFrom  []int
	cur      formats.RecordReader
	curSplit *scanSplit
	partVals []arrow.Array // the current split's partition values, one element each
	read     atomic.Int64  // rows read before the filters, for EXPLAIN ANALYZE
}

func newScanOp(src *splitSource, env *Env, fctx *function.Context) (*scanOp, error) {
	n := src.node
	op := &scanOp{src: src, node: n, env: env, schema: SchemaOf(n.Columns())}
	for _, p := range n.Projection {
		if p < len(n.DataColumns) {
			op.outFrom = append(op.outFrom, len(op.dataProj))
			op.dataProj = append(op.dataProj, p)
		} else {
			op.outFrom = append(op.outFrom, -1-(p-len(n.DataColumns)))
		}
	}
	for _, f := range n.Filters {
		ev, err := compile(f, fctx)
		if err != nil {
			return nil, err
		}
		op.filters = append(op.filters, ev)
	}
	return op, nil
}

func (s *scanOp) Schema() *arrow.Schema { return s.schema }

func (s *scanOp) Open(ctx context.Context) error { return s.src.init(ctx) }

func (s *scanOp) Close() error {
	if s.cur != nil {
		err := s.cur.Close()
		s.cur = nil
		return err
	}
	return nil
}

func (s *scanOp) Next(ctx context.Context) (arrow.Record, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s.cur == nil {
			sp, ok := s.src.take()
			if !ok {
				return nil, io.EOF
			}
			r, err := s.src.format.Open(ctx, sp.store, sp.split, s.node.Options, formats.Request{
				Columns: s.node.DataColumns, Projection: s.dataProj, Alloc: s.env.Alloc,
			})
			if err != nil {
				return nil, err
			}
			s.cur, s.curSplit = r, sp
			if err := s.loadPartitionValues(); err != nil {
				return nil, err
			}
		}
		rec, err := s.cur.Next(ctx)
		if errors.Is(err, io.EOF) {
			if err := s.cur.Close(); err != nil {
				return nil, err
			}
			s.cur = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		s.read.Add(rec.NumRows())
		if s.env.Stats != nil {
			atomic.AddInt64(&s.env.Stats.RowsRead, rec.NumRows())
		}
		out, err := s.assemble(rec)
		rec.Release()
		if err != nil {
			return nil, err
		}
		for _, f := range s.filters {
			filtered, err := applyFilter(s.env.Funcs, out, f)
			out.Release()
			if err != nil {
				return nil, err
			}
			out = filtered
			if out.NumRows() == 0 {
				break
			}
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

// assemble puts the reader's columns and the partition values in projection order.
func (s *scanOp) assemble(rec arrow.Record) (arrow.Record, error) {
	n := int(rec.NumRows())
	cols := make([]arrow.Array, len(s.outFrom))
	for i, from := range s.outFrom {
		if from >= 0 {
			c := rec.Column(from)
			c.Retain()
			cols[i] = c
			continue
		}
		b, err := broadcast(s.partVals[-1-from], n, s.env.Alloc)
		if err != nil {
			return nil, err
		}
		cols[i] = b
	}
	out := array.NewRecord(s.schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return out, nil
}

// loadPartitionValues parses the current split's partition values into their key types.
func (s *scanOp) loadPartitionValues() error {
	s.partVals = s.partVals[:0]
	for i, k := range s.node.PartitionKeys {
		v := ""
		if i < len(s.curSplit.values) {
			v = s.curSplit.values[i]
		}
		a, err := partitionValue(s.env.Funcs, k.Type, v)
		if err != nil {
			return fmt.Errorf("partition %s=%q of %s.%s: %w", k.Name, v, s.node.Database, s.node.Table, err)
		}
		s.partVals = append(s.partVals, a)
	}
	return nil
}

func partitionValue(fctx *function.Context, t types.T, v string) (arrow.Array, error) {
	b := array.NewStringBuilder(fctx.Alloc)
	if v == hiveNullPartition {
		b.AppendNull()
	} else {
		b.Append(v)
	}
	str := b.NewArray()
	b.Release()
	if t.Kind == types.Varchar {
		return str, nil
	}
	defer str.Release()
	k, err := function.Cast(types.VarcharT, t, false)
	if err != nil {
		return nil, err
	}
	return k(fctx, []arrow.Array{str}, 1)
}
