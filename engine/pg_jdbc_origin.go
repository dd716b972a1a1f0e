package engine

import (
	"context"
	"sync"

	"github.com/quarrydb/quarry/planner"
)

// Result columns' origins: RowDescription carries, for a column that is a plain reference to
// a table's column, that table's OID and the column's attnum (0 and 0 for anything
// computed), as PostgreSQL does. pgJDBC's ResultSetMetaData (getTableName, isNullable,
// getBaseSchemaName, which DBeaver's result grid calls) joins them with pg_class and
// pg_attribute, so they must be the same OIDs and numbers the catalog shows: the relation's
// OID from the catalog snapshot and the column's position among the table's client columns
// (data columns, then partition keys), as attributeRows numbers them. Through a view the
// origin is the base table's column, as in PostgreSQL.

// columnOrigin is where a result column comes from.
type columnOrigin struct {
	db, table string
	attnum    int16
}

// traceColumn follows result column i of node down to a scanned table column through the
// nodes that pass columns on unchanged (joins included); nil when the column is computed
// somewhere.
func traceColumn(node planner.Node, i int) *columnOrigin {
	for {
		switch n := node.(type) {
		case *planner.Project:
			if i >= len(n.Exprs) {
				return nil
			}
			ref, ok := n.Exprs[i].(*planner.ColumnRef)
			if !ok {
				return nil
			}
			node, i = n.Input, ref.Index
		case *planner.Filter:
			node = n.Input
		case *planner.Sort:
			node = n.Input
		case *planner.Limit:
			node = n.Input
		case *planner.Join:
			nl := len(n.Left.Columns())
			switch {
			case n.Kind.RightOnly():
				node = n.Right
			case n.Kind.LeftOnly() || n.Kind == planner.MarkJoin:
				if i >= nl {
					return nil // MarkJoin's boolean
				}
				node = n.Left
			case i < nl:
				node = n.Left
			default:
				node, i = n.Right, i-nl
			}
		case *planner.Scan:
			if i >= len(n.Projection) {
				return nil
			}
			return &columnOrigin{db: n.Database, table: n.Table, attnum: int16(n.Projection[i] + 1)}
		default:
			return nil
		}
	}
}

// originCache remembers relation OIDs per session. Reading the catalog snapshot costs a few
// milliseconds, too much for every SELECT; a relation's OID is a hash of its name, unchanged
// as other objects come and go (system_catalog.go), so a remembered OID stays right. A name
// not remembered yet reads the catalog again.
type originCache struct {
	mu   sync.Mutex
	oids map[[2]string]int64
}

// relationOID returns the pg_class OID of db.table, 0 if there is no such relation.
func (c *originCache) relationOID(ctx context.Context, s *Session, db, table string) int64 {
	key := [2]string{db, table}
	c.mu.Lock()
	defer c.mu.Unlock()
	if oid, ok := c.oids[key]; ok {
		return oid
	}
	snap, err := snapshot(ctx, s.e.cfg.Catalog)
	if err != nil {
		return 0 // origins are a courtesy to clients; the query itself is fine
	}
	if c.oids == nil {
		c.oids = map[[2]string]int64{}
	}
	for _, r := range snap.tables {
		c.oids[[2]string{r.t.DatabaseName, r.t.Name}] = r.oid
	}
	return c.oids[key]
}

// withOrigins sets the TableOID and ColumnAttr of the columns that trace to a table.
func (s *Session) withOrigins(ctx context.Context, node planner.Node, cols []Column) []Column {
	for i := range cols {
		o := traceColumn(node, i)
		if o == nil {
			continue
		}
		if oid := s.origins.relationOID(ctx, s, o.db, o.table); oid > 0 && oid < 1<<32 {
			cols[i].TableOID = uint32(oid)
			cols[i].ColumnAttr = o.attnum
		}
	}
	return cols
}
