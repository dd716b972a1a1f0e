package texttest

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Render prints batch n: a header line with the row count and the schema, then one line per
// row with values separated by " | ". NULL is NULL; strings are Go-quoted so that empty
// strings, spaces and control bytes show.
func Render(rec arrow.Record, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "batch %d: %d rows (", n, rec.NumRows())
	for i, f := range rec.Schema().Fields() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", f.Name, f.Type)
	}
	b.WriteString(")\n")
	for r := 0; r < int(rec.NumRows()); r++ {
		for c := 0; c < int(rec.NumCols()); c++ {
			if c > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(Value(rec.Column(c), r))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Value renders one value of an array.
func Value(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Boolean:
		if a.Value(i) {
			return "t"
		}
		return "f"
	case *array.Int16:
		return strconv.Itoa(int(a.Value(i)))
	case *array.Int32:
		return strconv.Itoa(int(a.Value(i)))
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Float32:
		return strconv.FormatFloat(float64(a.Value(i)), 'g', -1, 32)
	case *array.Float64:
		return strconv.FormatFloat(a.Value(i), 'g', -1, 64)
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.String:
		return strconv.Quote(a.Value(i))
	case *array.Binary:
		return `\x` + hex.EncodeToString(a.Value(i))
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Time64:
		return a.Value(i).ToTime(arrow.Microsecond).Format("15:04:05.999999")
	case *array.Timestamp:
		t := time.UnixMicro(int64(a.Value(i))).UTC()
		if a.DataType().(*arrow.TimestampType).TimeZone != "" {
			return t.Format("2006-01-02 15:04:05.999999Z07:00")
		}
		return t.Format("2006-01-02 15:04:05.999999")
	case *array.FixedSizeBinary:
		return hex.EncodeToString(a.Value(i))
	}
	return a.ValueStr(i)
}
