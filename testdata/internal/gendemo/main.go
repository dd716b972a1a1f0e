// Command gendemo writes the files of Quarry's demo database under testdata/demo. Run it from
// the module root with `go run ./testdata/internal/gendemo` (or `go generate ./testdata`)
// after changing the recipe, and commit the files: the server embeds them, and the tests of
// package testdata hold the generator and the committed files to the same bytes.
//
// Everything is drawn from one fixed seed with a generator of its own, so two runs, on any
// machine and Go version, write identical files.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// seed is the demo's one source of randomness. Changing it changes every file and the example
// results quoted in the README.
const seed = 20240101

func main() {
	out := flag.String("out", filepath.Join("testdata", "demo"), "folder to write the demo tables into")
	flag.Parse()
	if err := write(*out, generate(seed)); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
	var total int64
	err := filepath.WalkDir(*out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		fmt.Printf("%8d  %s\n", info.Size(), path)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
	fmt.Printf("%8d  total\n", total)
}
