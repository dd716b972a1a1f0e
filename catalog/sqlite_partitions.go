package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"

	"github.com/quarrydb/quarry/sqlerr"
)

// AddPartitions adds partitions, replacing any whose values already exist, all in one
// transaction: either every partition is stored or none is. Each partition's table must exist
// and its values must match the table's partition keys in number. Values are kept as given
// (they are data, not names); a zero CreateTime is set to now.
func (s *SQLiteStore) AddPartitions(ctx context.Context, parts []Partition) error {
	if len(parts) == 0 {
		return nil
	}
	return s.write(ctx, "add partitions", func(tx *sql.Tx) error {
		type key struct{ db, tbl string }
		tables := map[key]*Table{}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO partitions (db, tbl, vals, body) VALUES (?, ?, ?, ?)
			ON CONFLICT (db, tbl, vals) DO UPDATE SET body = excluded.body`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := s.now()
		for _, p := range parts {
			p.DatabaseName, p.TableName = Normalize(p.DatabaseName), Normalize(p.TableName)
			k := key{p.DatabaseName, p.TableName}
			t, ok := tables[k]
			if !ok {
				if t, err = getTable(ctx, tx, k.db, k.tbl); err != nil {
					return err
				}
				tables[k] = t
			}
			if err := checkPartitionValues(t, p.Values); err != nil {
				return err
			}
			if p.CreateTime.IsZero() {
				p.CreateTime = now
			}
			vals, err := valuesKey(p.Values)
			if err != nil {
				return err
			}
			p.Values = slices.Clone(p.Values)
			body, err := encode(p)
			if err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, k.db, k.tbl, vals, body); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListPartitions returns a table's partitions sorted by their values, compared key by key as
// strings (Glue keeps values as strings; `10` sorts before `9`).
func (s *SQLiteStore) ListPartitions(ctx context.Context, db, table string) ([]Partition, error) {
	db, table = Normalize(db), Normalize(table)
	var out []Partition
	err := s.read(ctx, "list partitions", func(tx *sql.Tx) error {
		if _, err := getTable(ctx, tx, db, table); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT body FROM partitions WHERE db = ? AND tbl = ?`, db, table)
		if err != nil {
			return err
		}
		out, err = scanBodies[Partition](rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Sorting here rather than in SQL: the vals column is JSON text, whose order differs from
	// the values' order once a value contains a quote or a control character.
	slices.SortFunc(out, func(a, b Partition) int { return slices.Compare(a.Values, b.Values) })
	return out, nil
}

// DropPartition removes the partition with the given values; a missing one is
// ErrPartitionNotFound.
func (s *SQLiteStore) DropPartition(ctx context.Context, db, table string, values []string) error {
	db, table = Normalize(db), Normalize(table)
	vals, err := valuesKey(values)
	if err != nil {
		return err
	}
	return s.write(ctx, "drop partition", func(tx *sql.Tx) error {
		t, err := getTable(ctx, tx, db, table)
		if err != nil {
			return err
		}
		n, err := affected(tx.ExecContext(ctx, `DELETE FROM partitions WHERE db = ? AND tbl = ? AND vals = ?`, db, table, vals))
		if err == nil && n == 0 {
			err = errPartitionNotFound(t, values)
		}
		return err
	})
}

// valuesKey is a partition's primary key column: its values as a JSON array. json.Marshal of
// a []string is deterministic, and nil is spelled as the empty array so it cannot differ from
// an empty slice.
func valuesKey(values []string) (string, error) {
	if values == nil {
		values = []string{}
	}
	b, err := json.Marshal(values)
	return string(b), err
}

// checkPartitionValues refuses values that do not match the table's partition keys in number.
func checkPartitionValues(t *Table, values []string) error {
	if len(t.PartitionKeys) == 0 {
		return sqlerr.New(sqlerr.InvalidParameterValue, "relation %q is not partitioned", t.DatabaseName+"."+t.Name)
	}
	if len(values) != len(t.PartitionKeys) {
		return sqlerr.New(sqlerr.InvalidParameterValue, "relation %q has %d partition keys, partition %s has %d values",
			t.DatabaseName+"."+t.Name, len(t.PartitionKeys), PartitionSpec(t.PartitionKeys, values), len(values))
	}
	return nil
}
