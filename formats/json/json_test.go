package json

import (
	"flag"
	"testing"

	"github.com/quarrydb/quarry/formats/csv/textcol/texttest"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the golden output of testdata/cases")

// TestCases runs the case files of testdata/cases: each holds a table, a file and the golden
// rendering of what the reader returns for it.
func TestCases(t *testing.T) {
	texttest.RunDir(t, New(), newReader, "testdata/cases", *rewrite)
}
