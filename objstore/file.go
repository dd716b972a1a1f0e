package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FileStore serves file:// URLs from the local file system.
type FileStore struct{}

// NewFileStore returns the local file system store.
func NewFileStore() *FileStore { return &FileStore{} }

func filePath(key string) (string, error) {
	if !strings.HasPrefix(key, "file://") {
		return "", fmt.Errorf("not a file:// URL: %q", key)
	}
	return filepath.FromSlash(strings.TrimPrefix(key, "file://")), nil
}

// List walks the folder (or the files starting with prefix) recursively.
func (s *FileStore) List(ctx context.Context, prefix string) ([]ObjectInfo, error) {
	p, err := filePath(prefix)
	if err != nil {
		return nil, err
	}
	root := p
	if !strings.HasSuffix(prefix, "/") {
		// A prefix that is not a folder: list its parent and filter by name.
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			root = p
		} else {
			root = filepath.Dir(p)
		}
	}
	var out []ObjectInfo
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() {
			return nil
		}
		if !strings.HasPrefix(path, p) {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if hidden(filepath.ToSlash(rel)) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, ObjectInfo{Key: "file://" + filepath.ToSlash(path), Size: info.Size(), ModTime: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Stat describes one file.
func (s *FileStore) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	p, err := filePath(key)
	if err != nil {
		return ObjectInfo{}, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return ObjectInfo{}, fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	if err != nil {
		return ObjectInfo{}, err
	}
	return ObjectInfo{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

type fileReader struct {
	*os.File
	size int64
}

func (r fileReader) Size() int64 { return r.size }

// Open opens a file for ranged reads.
func (s *FileStore) Open(ctx context.Context, key string) (Reader, error) {
	p, err := filePath(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a folder, not a file", key)
	}
	return Counted(ctx, fileReader{File: f, size: st.Size()}), nil
}

// Put writes to a temporary file beside the target and renames it into place, so a reader
// never sees half an object.
func (s *FileStore) Put(ctx context.Context, key string, r io.Reader) error {
	p, err := filePath(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-"+filepath.Base(p)+"-*")
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Delete removes a file.
func (s *FileStore) Delete(ctx context.Context, key string) error {
	p, err := filePath(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
