package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedFilesUpToDate regenerates the demo and compares it byte for byte with the
// files under testdata/demo, which the binary embeds: a recipe change without a regeneration
// (or a generator that stopped being deterministic) fails here.
func TestCommittedFilesUpToDate(t *testing.T) {
	out := t.TempDir()
	if err := write(out, generate(seed)); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "demo")
	got, want := readTree(t, out), readTree(t, committed)
	for name, data := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s is committed but no longer generated", name)
		case !bytes.Equal(g, data):
			t.Errorf("%s differs from the generator's output (%d bytes, generated %d)", name, len(data), len(g))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is generated but not committed", name)
		}
	}
	if t.Failed() {
		t.Log("regenerate with: go generate ./testdata")
	}
}

// TestDeterministic writes the demo twice and expects identical bytes.
func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := write(a, generate(seed)); err != nil {
		t.Fatal(err)
	}
	if err := write(b, generate(seed)); err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("%d files, then %d", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// TestWriteLeavesOtherFolders checks that write replaces only the table folders it owns.
func TestWriteLeavesOtherFolders(t *testing.T) {
	out := t.TempDir()
	keep := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, "orders", "part-9.parquet")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := write(out, generate(seed)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file outside the table folders was touched: %v", err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a stale file in a table folder survived: %v", err)
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
