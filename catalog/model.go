// Package catalog is Quarry's Glue-style data catalog: databases, tables with their storage
// descriptors, partitions, users and (later) grants, persisted in a Store (embedded SQLite by
// default, PostgreSQL when several servers share a catalog). Crawlers and classifiers, and the
// pg_catalog / information_schema views derived from the catalog, live here too as they land.
//
// It imports types, objstore and sqlerr; never planner, exec or the front doors.
package catalog

import (
	"errors"
	"strings"
	"time"

	"github.com/quarrydb/quarry/types"
)

// Sentinel errors. Stores wrap them with the object's name.
var (
	ErrDatabaseNotFound = errors.New("database not found")
	ErrTableNotFound    = errors.New("table not found")
	ErrUserNotFound     = errors.New("user not found")
	ErrAlreadyExists    = errors.New("already exists")
	ErrNotEmpty         = errors.New("database is not empty")
)

// Table types, as Glue names them.
const (
	ExternalTable = "EXTERNAL_TABLE"
	ManagedTable  = "MANAGED_TABLE"
	VirtualView   = "VIRTUAL_VIEW"
)

// Database is a Glue database, which Postgres clients see as a schema.
type Database struct {
	Name        string            `json:"Name"`
	Description string            `json:"Description,omitempty"`
	LocationURI string            `json:"LocationUri,omitempty"`
	Parameters  map[string]string `json:"Parameters,omitempty"`
	CreateTime  time.Time         `json:"CreateTime"`
}

// Column is a column as Glue stores it: the type is a Hive type name (`decimal(15,2)`,
// `array<string>`).
type Column struct {
	Name    string `json:"Name"`
	Type    string `json:"Type"`
	Comment string `json:"Comment,omitempty"`
}

// SQLType parses the column's Hive type name.
func (c Column) SQLType() (types.T, error) { return types.Parse(c.Type) }

// SerDeInfo names the serializer/deserializer of a table's files and its parameters
// (`field.delim`, `serialization.null.format`, ...).
type SerDeInfo struct {
	Name                 string            `json:"Name,omitempty"`
	SerializationLibrary string            `json:"SerializationLibrary,omitempty"`
	Parameters           map[string]string `json:"Parameters,omitempty"`
}

// StorageDescriptor says where a table's (or partition's) files are and how to read them.
type StorageDescriptor struct {
	Columns      []Column          `json:"Columns"`
	Location     string            `json:"Location,omitempty"`
	InputFormat  string            `json:"InputFormat,omitempty"`
	OutputFormat string            `json:"OutputFormat,omitempty"`
	Compressed   bool              `json:"Compressed,omitempty"`
	SerdeInfo    SerDeInfo         `json:"SerdeInfo"`
	Parameters   map[string]string `json:"Parameters,omitempty"`
}

// Table is a Glue table or view.
type Table struct {
	DatabaseName      string            `json:"DatabaseName"`
	Name              string            `json:"Name"`
	Description       string            `json:"Description,omitempty"`
	Owner             string            `json:"Owner,omitempty"`
	TableType         string            `json:"TableType"`
	StorageDescriptor StorageDescriptor `json:"StorageDescriptor"`
	PartitionKeys     []Column          `json:"PartitionKeys,omitempty"`
	Parameters        map[string]string `json:"Parameters,omitempty"`
	ViewOriginalText  string            `json:"ViewOriginalText,omitempty"`
	ViewExpandedText  string            `json:"ViewExpandedText,omitempty"`
	CreateTime        time.Time         `json:"CreateTime"`
	UpdateTime        time.Time         `json:"UpdateTime"`
}

// Partition is one partition of a table: its key values in PartitionKeys order and where its
// files are.
type Partition struct {
	DatabaseName      string            `json:"DatabaseName"`
	TableName         string            `json:"TableName"`
	Values            []string          `json:"Values"`
	StorageDescriptor StorageDescriptor `json:"StorageDescriptor"`
	Parameters        map[string]string `json:"Parameters,omitempty"`
	CreateTime        time.Time         `json:"CreateTime"`
}

// User is a principal that can log in. The password is kept only as a SCRAM-SHA-256 verifier,
// in PostgreSQL's `SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>` form.
type User struct {
	Name       string    `json:"Name"`
	Verifier   string    `json:"Verifier"`
	Superuser  bool      `json:"Superuser"`
	CreateTime time.Time `json:"CreateTime"`
}

// Format returns the table's data format (parquet, csv, json, orc, or "" when unknown),
// from the table's `classification` parameter, its SerDe or its input format, as Athena and
// Glue crawlers record them.
func (t *Table) Format() string {
	if c := strings.ToLower(t.Parameters["classification"]); c != "" {
		return c
	}
	lib := strings.ToLower(t.StorageDescriptor.SerdeInfo.SerializationLibrary)
	in := strings.ToLower(t.StorageDescriptor.InputFormat)
	switch {
	case strings.Contains(lib, "parquet") || strings.Contains(in, "parquet"):
		return "parquet"
	case strings.Contains(lib, "orc") || strings.Contains(in, "orc"):
		return "orc"
	case strings.Contains(lib, "json"):
		return "json"
	case strings.Contains(lib, "lazysimpleserde") || strings.Contains(lib, "opencsvserde") || strings.Contains(in, "textinputformat"):
		return "csv"
	}
	return ""
}

// Normalize lowers a database, table or column name as Athena and Glue do.
func Normalize(name string) string { return strings.ToLower(name) }
