// Package objstore is one interface over the places Quarry's data lives: local folders
// (file://), memory (mem://) and S3-compatible stores (s3://). It lists objects, reads byte
// ranges and writes whole objects, and counts every byte it reads for the query that asked.
//
// It imports nothing of Quarry's but sqlerr.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotFound is returned when an object or prefix does not exist.
var ErrNotFound = errors.New("object not found")

// ObjectInfo describes one object. Key is the full URL of the object (scheme included), so it
// can be passed back to Open on any store that Resolve returns for it.
type ObjectInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// Reader reads byte ranges of one object. It is safe for concurrent ReadAt calls.
type Reader interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// Store is a place objects live. Keys passed to a Store are full URLs of its scheme.
type Store interface {
	// List returns every object whose key starts with prefix, recursively, sorted by key.
	// A prefix that names a folder should end in "/". Hidden objects (a path element that
	// starts with "." or "_", as Hive and Spark write them) are left out.
	List(ctx context.Context, prefix string) ([]ObjectInfo, error)
	// Stat returns one object's description, or ErrNotFound.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// Open opens one object for ranged reads. Bytes read through it are added to the
	// Counter in ctx, if any.
	Open(ctx context.Context, key string) (Reader, error)
	// Put writes a whole object, replacing any object at key. Readers never see a partial
	// object.
	Put(ctx context.Context, key string, r io.Reader) error
	// Delete removes an object; deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// Counter counts bytes and requests for one query. Safe for concurrent use.
type Counter struct {
	BytesRead atomic.Int64
	Requests  atomic.Int64
}

type counterKey struct{}

// WithCounter returns a context whose reads are counted in c.
func WithCounter(ctx context.Context, c *Counter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

// CounterFrom returns the counter in ctx, or nil.
func CounterFrom(ctx context.Context) *Counter {
	c, _ := ctx.Value(counterKey{}).(*Counter)
	return c
}

// countingReader adds every ReadAt to a Counter.
type countingReader struct {
	Reader
	c *Counter
}

func (r countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.Reader.ReadAt(p, off)
	r.c.BytesRead.Add(int64(n))
	r.c.Requests.Add(1)
	return n, err
}

// Counted wraps r so its reads are counted in ctx's Counter, if there is one.
func Counted(ctx context.Context, r Reader) Reader {
	if c := CounterFrom(ctx); c != nil {
		return countingReader{Reader: r, c: c}
	}
	return r
}

// Registry resolves a location URL to the Store that serves it.
type Registry struct {
	mu     sync.RWMutex
	stores map[string]Store // by scheme, or scheme://bucket for per-bucket stores
}

// NewRegistry returns a registry with file:// and a process-wide mem:// store.
func NewRegistry() *Registry {
	r := &Registry{stores: map[string]Store{}}
	r.Register("file", NewFileStore())
	r.Register("mem", NewMemStore())
	return r
}

// Register makes s serve every URL with the given scheme.
func (r *Registry) Register(scheme string, s Store) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stores[scheme] = s
}

// Resolve returns the store for a location and the location normalised to a URL. A plain
// path (absolute or relative) is a local folder.
func (r *Registry) Resolve(location string) (Store, string, error) {
	u, err := Normalize(location)
	if err != nil {
		return nil, "", err
	}
	scheme := u[:strings.Index(u, "://")]
	r.mu.RLock()
	s, ok := r.stores[scheme]
	r.mu.RUnlock()
	if !ok {
		return nil, "", fmt.Errorf("no object store for %q locations (known: file://, mem://)", scheme+"://")
	}
	return s, u, nil
}

// Normalize turns a location into a URL: a plain path becomes file:///abs/path, s3a:// and
// s3n:// become s3://.
func Normalize(location string) (string, error) {
	if location == "" {
		return "", errors.New("empty location")
	}
	i := strings.Index(location, "://")
	if i < 0 {
		abs, err := filepath.Abs(location)
		if err != nil {
			return "", err
		}
		if strings.HasSuffix(location, "/") && !strings.HasSuffix(abs, "/") {
			abs += "/"
		}
		return "file://" + filepath.ToSlash(abs), nil
	}
	scheme := strings.ToLower(location[:i])
	switch scheme {
	case "s3a", "s3n":
		scheme = "s3"
	}
	if _, err := url.Parse(location); err != nil {
		return "", fmt.Errorf("bad location %q: %w", location, err)
	}
	return scheme + location[i:], nil
}

// Join appends path elements to a location URL with single slashes.
func Join(base string, elems ...string) string {
	out := strings.TrimRight(base, "/")
	for _, e := range elems {
		out += "/" + strings.Trim(e, "/")
	}
	return out
}

// hidden reports whether a key relative to a listed prefix has a path element that Hive and
// Spark treat as hidden (_SUCCESS, _temporary/, .crc files).
func hidden(rel string) bool {
	for _, el := range strings.Split(rel, "/") {
		if strings.HasPrefix(el, ".") || strings.HasPrefix(el, "_") {
			return true
		}
	}
	return false
}
