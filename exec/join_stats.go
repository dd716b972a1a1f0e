package exec

import (
	"context"
	"strings"
	"sync"

	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// TableStats sizes tables for the planner's join ordering from file metadata: the row
// counts of Parquet footers, and for text files their size over an estimated row width.
// It lists a table's files (and reads Parquet footers) once per statement.
type TableStats struct {
	ctx context.Context
	env *Env
	mu  sync.Mutex
	got map[string]float64
}

var _ planner.Stats = (*TableStats)(nil)

// NewTableStats returns table statistics read through env's stores and formats.
func NewTableStats(ctx context.Context, env *Env) *TableStats {
	e := *env
	e.Stats = nil // sizing a table is planning, not the query's reading
	return &TableStats{ctx: ctx, env: &e, got: map[string]float64{}}
}

// TableRows estimates the rows of a scan's table (all partitions) before its filters.
func (t *TableStats) TableRows(s *planner.Scan) (float64, bool) {
	key := s.Database + "." + s.Table + "@" + s.Location
	t.mu.Lock()
	defer t.mu.Unlock()
	if r, ok := t.got[key]; ok {
		return r, r >= 0
	}
	r := t.measure(s)
	t.got[key] = r
	return r, r >= 0
}

func (t *TableStats) measure(s *planner.Scan) float64 {
	src := &splitSource{node: s, env: t.env}
	if err := src.list(t.ctx); err != nil {
		return -1
	}
	width := rowWidth(s)
	rows := 0.0
	for _, sp := range src.splits {
		if sp.split.Rows >= 0 {
			rows += float64(sp.split.Rows)
			continue
		}
		size := float64(sp.split.Size)
		key := strings.ToLower(sp.split.Key)
		if strings.HasSuffix(key, ".gz") || strings.HasSuffix(key, ".zst") || strings.HasSuffix(key, ".snappy") ||
			strings.HasSuffix(key, ".bz2") || strings.HasSuffix(key, ".deflate") {
			size *= 4 // a typical ratio for text
		}
		rows += size / width
	}
	return rows
}

// rowWidth guesses the bytes of one row of a text file from the column types (JSON adds
// the key names).
func rowWidth(s *planner.Scan) float64 {
	w := 0.0
	for _, c := range s.DataColumns {
		switch c.Type.Kind {
		case types.Bool:
			w += 5
		case types.Int16, types.Int32:
			w += 6
		case types.Int64:
			w += 10
		case types.Float32, types.Float64, types.Decimal:
			w += 9
		case types.Date:
			w += 10
		case types.Timestamp, types.TimestampTZ:
			w += 20
		default:
			w += 25
		}
		w++ // delimiter
		if s.Format == "json" {
			w += float64(len(c.Name)) + 4
		}
	}
	if w < 1 {
		w = 1
	}
	return w
}
