package objstore

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	abs, _ := filepath.Abs("rel/dir")
	cases := []struct{ in, want string }{
		{"/data/x/", "file:///data/x/"},
		{"/data/x", "file:///data/x"},
		{"rel/dir/", "file://" + abs + "/"},
		{"s3a://bucket/key/", "s3://bucket/key/"},
		{"S3://bucket/key", "s3://bucket/key"},
		{"mem://b/k", "mem://b/k"},
	}
	for _, c := range cases {
		got, err := Normalize(c.in)
		if err != nil || got != c.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := Normalize(""); err == nil {
		t.Error("Normalize of an empty location succeeded")
	}
}

// stores returns a file store rooted in a temp folder and a memory store, with the URL
// prefix each uses.
func stores(t *testing.T) map[string]struct {
	s      Store
	prefix string
} {
	dir := t.TempDir()
	return map[string]struct {
		s      Store
		prefix string
	}{
		"file": {NewFileStore(), "file://" + filepath.ToSlash(dir) + "/"},
		"mem":  {NewMemStore(), "mem://bucket/"},
	}
}

func TestStores(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s, p := st.s, st.prefix
			files := map[string]string{
				"t/a.csv":            "1,2\n",
				"t/dt=1/b.csv":       "3,4\n",
				"t/_SUCCESS":         "",
				"t/.hidden.crc":      "x",
				"t/_temporary/c.csv": "5",
				"other/d.csv":        "6",
			}
			for k, v := range files {
				if err := s.Put(ctx, p+k, strings.NewReader(v)); err != nil {
					t.Fatal(err)
				}
			}
			objs, err := s.List(ctx, p+"t/")
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, o := range objs {
				keys = append(keys, strings.TrimPrefix(o.Key, p))
			}
			if strings.Join(keys, ",") != "t/a.csv,t/dt=1/b.csv" {
				t.Errorf("List = %v, want the two visible files in key order", keys)
			}
			var c Counter
			r, err := s.Open(WithCounter(ctx, &c), p+"t/dt=1/b.csv")
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 2)
			if n, err := r.ReadAt(buf, 2); n != 2 || string(buf) != "4\n" || (err != nil && err != io.EOF) {
				t.Errorf("ReadAt = %d %q %v", n, buf, err)
			}
			if r.Size() != 4 || c.BytesRead.Load() != 2 || c.Requests.Load() != 1 {
				t.Errorf("size %d, counted %d bytes in %d requests", r.Size(), c.BytesRead.Load(), c.Requests.Load())
			}
			r.Close()
			if _, err := s.Open(ctx, p+"nope"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Open(missing) = %v, want ErrNotFound", err)
			}
			if _, err := s.Stat(ctx, p+"nope"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Stat(missing) = %v, want ErrNotFound", err)
			}
			if err := s.Delete(ctx, p+"t/a.csv"); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx, p+"t/a.csv"); err != nil {
				t.Errorf("deleting a missing object: %v", err)
			}
			if objs, _ := s.List(ctx, p+"t/"); len(objs) != 1 {
				t.Errorf("after Delete, List has %d objects", len(objs))
			}
		})
	}
}

// A file store's Put never leaves a partial object visible: it writes beside the target and
// renames.
func TestFilePutIsAtomic(t *testing.T) {
	dir := t.TempDir()
	s := NewFileStore()
	key := "file://" + filepath.ToSlash(dir) + "/x/y.bin"
	failing := io.MultiReader(strings.NewReader("partial"), errReader{})
	if err := s.Put(context.Background(), key, failing); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "x"))
	if len(entries) != 0 {
		t.Errorf("a failed Put left %d files", len(entries))
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	if _, u, err := r.Resolve("/tmp/x/"); err != nil || u != "file:///tmp/x/" {
		t.Errorf("Resolve(/tmp/x/) = %q, %v", u, err)
	}
	if _, _, err := r.Resolve("s3://bucket/x/"); err == nil || !strings.Contains(err.Error(), "s3://") {
		t.Errorf("Resolve(s3://) without an S3 store: %v", err)
	}
}
