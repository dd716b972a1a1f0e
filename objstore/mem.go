package objstore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// MemStore serves mem:// URLs from memory. Tests and the result cache use it.
type MemStore struct {
	mu      sync.RWMutex
	objects map[string]memObject
}

type memObject struct {
	data    []byte
	modTime time.Time
}

// NewMemStore returns an empty memory store.
func NewMemStore() *MemStore { return &MemStore{objects: map[string]memObject{}} }

// List returns the objects under prefix.
func (s *MemStore) List(ctx context.Context, prefix string) ([]ObjectInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []ObjectInfo
	for k, o := range s.objects {
		if strings.HasPrefix(k, prefix) && !hidden(strings.TrimPrefix(k, prefix)) {
			out = append(out, ObjectInfo{Key: k, Size: int64(len(o.data)), ModTime: o.modTime})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Stat describes one object.
func (s *MemStore) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.objects[key]
	if !ok {
		return ObjectInfo{}, fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return ObjectInfo{Key: key, Size: int64(len(o.data)), ModTime: o.modTime}, nil
}

type memReader struct{ *bytes.Reader }

func (memReader) Close() error { return nil }

// Open returns a reader over the object's bytes.
func (s *MemStore) Open(ctx context.Context, key string) (Reader, error) {
	s.mu.RLock()
	o, ok := s.objects[key]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return Counted(ctx, memReader{bytes.NewReader(o.data)}), nil
}

// Put stores a copy of r's bytes.
func (s *MemStore) Put(ctx context.Context, key string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[key] = memObject{data: data, modTime: time.Now()}
	return nil
}

// Delete removes an object.
func (s *MemStore) Delete(ctx context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.objects, key)
	return nil
}
