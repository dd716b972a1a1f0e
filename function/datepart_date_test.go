package function

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// date_part on a DATE column reads 32-bit days (TPC-H Q7-Q9 extract the year of dates).
func TestDatePartOnDates(t *testing.T) {
	sig, ok := New().Lookup("date_part").Bind([]types.T{types.VarcharT, types.DateT})
	if !ok {
		t.Fatal("no date_part(text, date)")
	}
	ub := array.NewStringBuilder(memory.DefaultAllocator)
	db := array.NewDate32Builder(memory.DefaultAllocator)
	for _, d := range []int32{0, 9862, 10591} { // 1970-01-01, 1997-01-01, 1998-12-31
		ub.Append("year")
		db.Append(arrow.Date32(d))
	}
	out, err := sig.Kernel(&Context{}, []arrow.Array{ub.NewArray(), db.NewArray()}, 3)
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*array.Float64).Float64Values()
	if got[0] != 1970 || got[1] != 1997 || got[2] != 1998 {
		t.Errorf("years = %v", got)
	}
}
