package catalog

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/quarrydb/quarry/sqlerr"
)

// ErrPartitionNotFound is returned when a partition named by its values does not exist.
var ErrPartitionNotFound = errors.New("partition not found")

// SQLSTATE codes the catalog raises that sqlerr does not name (yet).
const (
	codeDependentObjectsStillExist = "2BP01"
	codeInvalidName                = "42602"
)

// Every error a Store returns for a missing or conflicting object is built here, so that it
// answers to two audiences at once: code inside Quarry asks errors.Is(err, ErrTableNotFound),
// and a SQL user sees PostgreSQL's SQLSTATE and wording. The sentinel, wrapped with the
// object's name, is the cause of a *sqlerr.Error, so errors.Is and errors.As both reach their
// targets, and Error() is the PostgreSQL message.

func errDatabaseNotFound(name string) error {
	return sqlerr.Wrap(fmt.Errorf("database %q: %w", name, ErrDatabaseNotFound),
		sqlerr.UndefinedSchema, "schema %q does not exist", name)
}

func errDatabaseExists(name string) error {
	return sqlerr.Wrap(fmt.Errorf("database %q: %w", name, ErrAlreadyExists),
		sqlerr.DuplicateSchema, "schema %q already exists", name)
}

// errDatabaseNotEmpty follows PostgreSQL's DROP SCHEMA without CASCADE: the detail names the
// dependent tables (at most ten), the hint says how to drop them too.
func errDatabaseNotEmpty(name string, tables []string, total int) error {
	var detail strings.Builder
	for i, t := range tables {
		if i > 0 {
			detail.WriteByte('\n')
		}
		fmt.Fprintf(&detail, "table %s.%s depends on schema %s", name, t, name)
	}
	if more := total - len(tables); more > 0 {
		fmt.Fprintf(&detail, "\nand %d other objects", more)
	}
	return sqlerr.Wrap(fmt.Errorf("database %q: %w", name, ErrNotEmpty),
		codeDependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", name).
		WithDetail(detail.String()).
		WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
}

func errTableNotFound(db, name string) error {
	return sqlerr.Wrap(fmt.Errorf("table %q.%q: %w", db, name, ErrTableNotFound),
		sqlerr.UndefinedTable, "relation %q does not exist", db+"."+name)
}

// errTableExists names the table without its database, as PostgreSQL's CREATE TABLE does.
func errTableExists(db, name string) error {
	return sqlerr.Wrap(fmt.Errorf("table %q.%q: %w", db, name, ErrAlreadyExists),
		sqlerr.DuplicateTable, "relation %q already exists", name)
}

// errPartitionNotFound spells the partition the way Hive and Athena do (`dt=2024-01-01/region=eu`)
// when the table's keys are known.
func errPartitionNotFound(t *Table, values []string) error {
	spec := PartitionSpec(t.PartitionKeys, values)
	return sqlerr.Wrap(fmt.Errorf("partition %s of table %q.%q: %w", spec, t.DatabaseName, t.Name, ErrPartitionNotFound),
		sqlerr.UndefinedObject, "partition %s of relation %q does not exist", spec, t.DatabaseName+"."+t.Name)
}

func errUserNotFound(name string) error {
	return sqlerr.Wrap(fmt.Errorf("user %q: %w", name, ErrUserNotFound),
		sqlerr.UndefinedObject, "role %q does not exist", name)
}

func errUserExists(name string) error {
	return sqlerr.Wrap(fmt.Errorf("user %q: %w", name, ErrAlreadyExists),
		sqlerr.DuplicateObject, "role %q already exists", name)
}

func errEmptyName(what string) error {
	return sqlerr.New(codeInvalidName, "%s name must not be empty", what)
}

// errStore wraps a failure of the underlying database (I/O, a lock held past the busy timeout,
// a corrupt file). Cancellation keeps its identity so the engine reports it as a cancel.
func errStore(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("catalog store: %s: %w", op, err)
	}
	return sqlerr.Wrap(err, sqlerr.IOError, "catalog store: %s: %v", op, err)
}

// PartitionSpec renders partition values with their keys as a Hive path fragment
// (`dt=2024-01-01/region=eu`). Values without a key are rendered bare.
func PartitionSpec(keys []Column, values []string) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte('/')
		}
		if i < len(keys) {
			b.WriteString(keys[i].Name)
			b.WriteByte('=')
		}
		b.WriteString(v)
	}
	return b.String()
}
