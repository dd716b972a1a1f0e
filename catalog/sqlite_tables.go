package catalog

import (
	"context"
	"database/sql"
	"errors"
)

// CreateDatabase adds a database. Its name is stored lower-case; a zero CreateTime is set to now.
func (s *SQLiteStore) CreateDatabase(ctx context.Context, d Database) error {
	d.Name = Normalize(d.Name)
	if d.Name == "" {
		return errEmptyName("database")
	}
	if d.CreateTime.IsZero() {
		d.CreateTime = s.now()
	}
	body, err := encode(d)
	if err != nil {
		return err
	}
	return s.write(ctx, "create database", func(tx *sql.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `INSERT INTO databases (name, body) VALUES (?, ?) ON CONFLICT DO NOTHING`, d.Name, body))
		if err == nil && n == 0 {
			err = errDatabaseExists(d.Name)
		}
		return err
	})
}

// GetDatabase returns the database named name (any case).
func (s *SQLiteStore) GetDatabase(ctx context.Context, name string) (*Database, error) {
	name = Normalize(name)
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM databases WHERE name = ?`, name).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errDatabaseNotFound(name)
	}
	if err != nil {
		return nil, errStore("get database", err)
	}
	return decode[Database](body)
}

// ListDatabases returns all databases sorted by name.
func (s *SQLiteStore) ListDatabases(ctx context.Context) ([]Database, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM databases ORDER BY name`)
	if err != nil {
		return nil, errStore("list databases", err)
	}
	out, err := scanBodies[Database](rows)
	if err != nil {
		return nil, storeErr("list databases", err)
	}
	return out, nil
}

// DropDatabase removes a database. Without cascade, a database with tables is refused with
// ErrNotEmpty (SQLSTATE 2BP01); with cascade, the foreign keys delete its tables and their
// partitions in the same transaction.
func (s *SQLiteStore) DropDatabase(ctx context.Context, name string, cascade bool) error {
	name = Normalize(name)
	return s.write(ctx, "drop database", func(tx *sql.Tx) error {
		if err := databaseExists(ctx, tx, name); err != nil {
			return err
		}
		if !cascade {
			var total int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tables WHERE db = ?`, name).Scan(&total); err != nil {
				return err
			}
			if total > 0 {
				names, err := scanStrings(tx.QueryContext(ctx, `SELECT name FROM tables WHERE db = ? ORDER BY name LIMIT 10`, name))
				if err != nil {
					return err
				}
				return errDatabaseNotEmpty(name, names, total)
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM databases WHERE name = ?`, name)
		return err
	})
}

// CreateTable adds a table to an existing database. Database, table, column and partition key
// names are stored lower-case; a zero CreateTime is set to now and UpdateTime starts equal to it.
func (s *SQLiteStore) CreateTable(ctx context.Context, t Table) error {
	if err := normalizeTable(&t); err != nil {
		return err
	}
	if t.CreateTime.IsZero() {
		t.CreateTime = s.now()
	}
	if t.UpdateTime.IsZero() {
		t.UpdateTime = t.CreateTime
	}
	body, err := encode(t)
	if err != nil {
		return err
	}
	return s.write(ctx, "create table", func(tx *sql.Tx) error {
		if err := databaseExists(ctx, tx, t.DatabaseName); err != nil {
			return err
		}
		n, err := affected(tx.ExecContext(ctx, `INSERT INTO tables (db, name, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			t.DatabaseName, t.Name, body))
		if err == nil && n == 0 {
			err = errTableExists(t.DatabaseName, t.Name)
		}
		return err
	})
}

// GetTable returns table name of database db. A missing database is ErrDatabaseNotFound, a
// missing table in an existing database ErrTableNotFound.
func (s *SQLiteStore) GetTable(ctx context.Context, db, name string) (*Table, error) {
	var t *Table
	err := s.read(ctx, "get table", func(tx *sql.Tx) error {
		var err error
		t, err = getTable(ctx, tx, Normalize(db), Normalize(name))
		return err
	})
	return t, err
}

// ListTables returns the tables of database db sorted by name.
func (s *SQLiteStore) ListTables(ctx context.Context, db string) ([]Table, error) {
	db = Normalize(db)
	var out []Table
	err := s.read(ctx, "list tables", func(tx *sql.Tx) error {
		if err := databaseExists(ctx, tx, db); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT body FROM tables WHERE db = ? ORDER BY name`, db)
		if err != nil {
			return err
		}
		out, err = scanBodies[Table](rows)
		return err
	})
	return out, err
}

// UpdateTable replaces an existing table's definition. CreateTime is kept from the stored table
// (it is the table's, not the caller's) and UpdateTime is set to now. The table's partitions
// are left as they are.
func (s *SQLiteStore) UpdateTable(ctx context.Context, t Table) error {
	if err := normalizeTable(&t); err != nil {
		return err
	}
	return s.write(ctx, "update table", func(tx *sql.Tx) error {
		old, err := getTable(ctx, tx, t.DatabaseName, t.Name)
		if err != nil {
			return err
		}
		t.CreateTime = old.CreateTime
		t.UpdateTime = s.now()
		body, err := encode(t)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE tables SET body = ? WHERE db = ? AND name = ?`, body, t.DatabaseName, t.Name)
		return err
	})
}

// DropTable removes a table; the foreign key deletes its partitions with it.
func (s *SQLiteStore) DropTable(ctx context.Context, db, name string) error {
	db, name = Normalize(db), Normalize(name)
	return s.write(ctx, "drop table", func(tx *sql.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `DELETE FROM tables WHERE db = ? AND name = ?`, db, name))
		if err != nil || n > 0 {
			return err
		}
		if err := databaseExists(ctx, tx, db); err != nil {
			return err
		}
		return errTableNotFound(db, name)
	})
}

// normalizeTable lower-cases the names a table carries, as Glue stores them.
func normalizeTable(t *Table) error {
	t.DatabaseName, t.Name = Normalize(t.DatabaseName), Normalize(t.Name)
	if t.DatabaseName == "" {
		return errEmptyName("database")
	}
	if t.Name == "" {
		return errEmptyName("table")
	}
	t.StorageDescriptor.Columns = normalizeColumns(t.StorageDescriptor.Columns)
	t.PartitionKeys = normalizeColumns(t.PartitionKeys)
	return nil
}

// normalizeColumns returns a lower-cased copy, leaving the caller's slice alone.
func normalizeColumns(cols []Column) []Column {
	if cols == nil {
		return nil
	}
	out := make([]Column, len(cols))
	for i, c := range cols {
		c.Name = Normalize(c.Name)
		out[i] = c
	}
	return out
}

// databaseExists returns ErrDatabaseNotFound unless database name exists.
func databaseExists(ctx context.Context, tx *sql.Tx, name string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM databases WHERE name = ?`, name).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errDatabaseNotFound(name)
	}
	return err
}

// getTable reads one table (names already normalized), telling a missing database from a
// missing table.
func getTable(ctx context.Context, tx *sql.Tx, db, name string) (*Table, error) {
	var body string
	err := tx.QueryRowContext(ctx, `SELECT body FROM tables WHERE db = ? AND name = ?`, db, name).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		if err := databaseExists(ctx, tx, db); err != nil {
			return nil, err
		}
		return nil, errTableNotFound(db, name)
	}
	if err != nil {
		return nil, err
	}
	return decode[Table](body)
}

// affected returns the number of rows a statement changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// scanBodies decodes every row's single body column and closes rows.
func scanBodies[T any](rows *sql.Rows) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		v, err := decode[T](body)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// scanStrings reads a single text column from every row and closes rows.
func scanStrings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
