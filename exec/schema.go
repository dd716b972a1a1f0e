package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/planner"
)

// SchemaOf returns the Arrow schema of a plan node's output.
func SchemaOf(cols []planner.Column) *arrow.Schema {
	fs := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fs[i] = arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: true}
	}
	return arrow.NewSchema(fs, nil)
}
