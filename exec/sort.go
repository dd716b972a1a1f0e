package exec

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// sortOp orders its input by the sort keys. With limit >= 0 it is a top-N: it keeps only
// the best offset+limit rows while reading, compacting its buffer as it grows.
//
// sortOp consumes all input before its first Next returns (a pipeline breaker).
type sortOp struct {
	input  Operator
	keys   []planner.SortKey
	fctx   *function.Context
	keep   int64 // rows to keep (offset+limit), -1 for all
	out    arrow.Record
	pos    int64
	sorted bool
}

// sortBatchRows is how many rows each output batch of a sort holds.
const sortBatchRows = 8192

func (s *sortOp) Schema() *arrow.Schema { return s.input.Schema() }
func (s *sortOp) Open(ctx context.Context) error {
	s.sorted, s.pos = false, 0
	return s.input.Open(ctx)
}

func (s *sortOp) Close() error {
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
	return s.input.Close()
}

func (s *sortOp) Next(ctx context.Context) (arrow.Record, error) {
	if !s.sorted {
		s.sorted = true
		if err := s.run(ctx); err != nil {
			return nil, err
		}
	}
	if s.out == nil || s.pos >= s.out.NumRows() {
		return nil, io.EOF
	}
	end := min(s.pos+sortBatchRows, s.out.NumRows())
	rec := s.out.NewSlice(s.pos, end)
	s.pos = end
	return rec, nil
}

func (s *sortOp) run(ctx context.Context) error {
	var buf []arrow.Record
	var rows int64
	for {
		if err := ctx.Err(); err != nil {
			releaseRecs(buf)
			return err
		}
		rec, err := s.input.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			releaseRecs(buf)
			return err
		}
		buf = append(buf, rec)
		rows += rec.NumRows()
		if s.keep >= 0 && rows > 4*s.keep+65536 {
			compacted, err := s.sortRecords(buf, s.keep)
			releaseRecs(buf)
			if err != nil {
				return err
			}
			buf = []arrow.Record{compacted}
			rows = compacted.NumRows()
		}
	}
	out, err := s.sortRecords(buf, s.keep)
	releaseRecs(buf)
	if err != nil {
		return err
	}
	s.out = out
	return nil
}

func releaseRecs(rs []arrow.Record) {
	for _, r := range rs {
		r.Release()
	}
}

// sortRecords concatenates recs and returns them sorted, cut to keep rows (keep < 0: all).
func (s *sortOp) sortRecords(recs []arrow.Record, keep int64) (arrow.Record, error) {
	schema := s.input.Schema()
	cols := make([]arrow.Array, schema.NumFields())
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	for c := range cols {
		parts := make([]arrow.Array, 0, len(recs))
		for _, r := range recs {
			parts = append(parts, r.Column(c))
		}
		if len(parts) == 0 {
			cols[c] = array.MakeArrayOfNull(s.fctx.Alloc, schema.Field(c).Type, 0)
			continue
		}
		cat, err := array.Concatenate(parts, s.fctx.Alloc)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols[c] = cat
	}
	all := array.NewRecord(schema, cols, n)
	releaseAll(cols)
	defer all.Release()
	cmps := make([]func(i, j int) int, len(s.keys))
	keyCols := make([]arrow.Array, len(s.keys))
	for k, key := range s.keys {
		ev, err := compile(key.Expr, s.fctx)
		if err != nil {
			return nil, err
		}
		a, err := ev.eval(all)
		if err != nil {
			return nil, err
		}
		keyCols[k] = a
		if cmps[k], err = comparator(a, key.Desc, key.NullsFirst); err != nil {
			releaseAll(keyCols)
			return nil, err
		}
	}
	defer releaseAll(keyCols)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		for _, c := range cmps {
			if r := c(idx[a], idx[b]); r != 0 {
				return r < 0
			}
		}
		return false
	})
	if keep >= 0 && int64(len(idx)) > keep {
		idx = idx[:keep]
	}
	return takeRecord(s.fctx.Alloc, all, idx)
}

// comparator returns a three-way comparison of rows i and j of a, with direction and NULL
// placement applied.
func comparator(a arrow.Array, desc, nullsFirst bool) (func(i, j int) int, error) {
	var base func(i, j int) int
	switch x := a.(type) {
	case *array.Boolean:
		base = func(i, j int) int { return cmpBool(x.Value(i), x.Value(j)) }
	case *array.Int16:
		v := x.Int16Values()
		base = func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int32:
		v := x.Int32Values()
		base = func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int64:
		v := x.Int64Values()
		base = func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Float32:
		v := x.Float32Values()
		base = func(i, j int) int { return cmpFloat(float64(v[i]), float64(v[j])) }
	case *array.Float64:
		v := x.Float64Values()
		base = func(i, j int) int { return cmpFloat(v[i], v[j]) }
	case *array.Decimal128:
		base = func(i, j int) int { return x.Value(i).Cmp(x.Value(j)) }
	case *array.Date32:
		v := x.Date32Values()
		base = func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Timestamp:
		v := x.TimestampValues()
		base = func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Time64:
		v := x.Time64Values()
		base = func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.String:
		base = func(i, j int) int { return cmp.Compare(x.Value(i), x.Value(j)) }
	case *array.Binary:
		base = func(i, j int) int { return bytes.Compare(x.Value(i), x.Value(j)) }
	case *array.MonthDayNanoInterval:
		base = func(i, j int) int {
			return cmp.Compare(intervalMicros(x.Value(i)), intervalMicros(x.Value(j)))
		}
	case *array.Null:
		base = func(i, j int) int { return 0 }
	default:
		return nil, fmt.Errorf("sorting by %s is not supported yet", a.DataType())
	}
	hasNulls := a.NullN() > 0
	return func(i, j int) int {
		if hasNulls {
			ni, nj := a.IsNull(i), a.IsNull(j)
			switch {
			case ni && nj:
				return 0
			case ni:
				if nullsFirst {
					return -1
				}
				return 1
			case nj:
				if nullsFirst {
					return 1
				}
				return -1
			}
		}
		r := base(i, j)
		if desc {
			return -r
		}
		return r
	}, nil
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// cmpFloat orders floats as PostgreSQL does: NaN is larger than every other value.
func cmpFloat(a, b float64) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

// intervalMicros orders intervals as PostgreSQL does, with a month as 30 days.
func intervalMicros(v arrow.MonthDayNanoInterval) int64 {
	return (int64(v.Months)*30+int64(v.Days))*86400_000000 + v.Nanoseconds/1000
}
