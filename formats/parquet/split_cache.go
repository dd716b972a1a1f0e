package parquet

import (
	"sync"
	"time"

	"github.com/quarrydb/quarry/formats"
)

// splitCache remembers the splits (row groups and their row counts) of the files whose
// footers were read, so that planning a statement (join ordering sizes tables from the row
// counts) and then running it do not decode every footer twice, and a table queried again
// is not re-read either. An entry is keyed by the object's URL, size and modification
// time: a file replaced in place (an INSERT compacting small files rewrites one) has
// another size or time and is read again.
type splitCache struct {
	mu  sync.Mutex
	max int
	m   map[splitKey][]formats.Split
}

type splitKey struct {
	key   string
	size  int64
	mtime time.Time
}

// maxCachedFiles bounds the cache; when it is full it starts over, which costs one footer
// read per file and keeps memory bounded without an LRU's bookkeeping.
const maxCachedFiles = 8192

func newSplitCache(max int) *splitCache {
	return &splitCache{max: max, m: map[splitKey][]formats.Split{}}
}

// get returns a copy of the cached splits of k.
func (c *splitCache) get(k splitKey) ([]formats.Split, bool) {
	if c == nil || k.mtime.IsZero() {
		return nil, false
	}
	c.mu.Lock()
	s, ok := c.m[k]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	// The callers own what they get: the splits and their RowGroups slices are copied.
	out := make([]formats.Split, len(s))
	for i, sp := range s {
		sp.RowGroups = append([]int(nil), sp.RowGroups...)
		out[i] = sp
	}
	return out, true
}

func (c *splitCache) put(k splitKey, s []formats.Split) {
	if c == nil || k.mtime.IsZero() {
		return
	}
	kept := make([]formats.Split, len(s))
	for i, sp := range s {
		sp.RowGroups = append([]int(nil), sp.RowGroups...)
		kept[i] = sp
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = kept
	c.mu.Unlock()
}
