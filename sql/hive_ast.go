package sql

// The statements the Athena/Hive DDL parser produces. Every name (database, table, column,
// partition key) is lower-cased, quoted or not, as Athena and the Glue catalog store them.
// Strings (locations, comments, property values, delimiters) are decoded and kept as given.

// ColumnDef is a column or partition key of CREATE TABLE.
type ColumnDef struct {
	Name string
	// Type is the Hive type text, lower-case without spaces except between words
	// ("decimal(15,2)", "array<struct<a:int,b:map<string,int>>>"); it has been checked with
	// types.Parse.
	Type    string
	Comment string
}

// RowFormat is ROW FORMAT DELIMITED ... or ROW FORMAT SERDE '...'. Empty strings are
// clauses not given; the delimiters are the decoded characters ('\t' is a tab, '\001' the
// byte 1).
type RowFormat struct {
	Serde           string
	SerdeProperties map[string]string
	FieldDelim      string
	EscapeChar      string
	CollectionDelim string
	MapKeyDelim     string
	LineDelim       string
	NullFormat      string
}

// SortColumn is one column of CLUSTERED BY ... SORTED BY (...).
type SortColumn struct {
	Name string
	Desc bool
}

// CreateExternalTable is CREATE EXTERNAL TABLE, or CREATE TABLE with Hive clauses.
type CreateExternalTable struct {
	IfNotExists bool
	Database    string // empty: the session's current database
	Name        string
	// Columns is empty when the statement gives no column list (the schema is to be
	// inferred from the files, as for Parquet).
	Columns       []ColumnDef
	PartitionKeys []ColumnDef
	Comment       string
	ClusteredBy   []string
	SortedBy      []SortColumn
	NumBuckets    int
	RowFormat     *RowFormat
	// StoredAs is the lower-case format word (parquet, textfile, json, orc, avro, ...),
	// empty when not given or when InputFormat/OutputFormat name the classes.
	StoredAs        string
	InputFormat     string
	OutputFormat    string
	Location        string
	TableProperties map[string]string
	// External is true for CREATE EXTERNAL TABLE, and for CREATE TABLE with a LOCATION, which
	// Athena treats the same way.
	External bool
}

// CreateDatabase is CREATE DATABASE|SCHEMA.
type CreateDatabase struct {
	IfNotExists bool
	Name        string
	Comment     string
	Location    string
	Properties  map[string]string
}

// DropTable is DROP TABLE.
type DropTable struct {
	IfExists bool
	Database string
	Name     string
	Purge    bool
}

// DropDatabase is DROP DATABASE|SCHEMA.
type DropDatabase struct {
	IfExists bool
	Name     string
	Cascade  bool
}

// ShowDatabases is SHOW DATABASES|SCHEMAS [LIKE 'pattern']. Like is the raw Hive pattern
// ('*' any characters, '|' alternatives); empty means all.
type ShowDatabases struct {
	Like string
}

// ShowTables is SHOW TABLES [IN db] [LIKE 'pattern'].
type ShowTables struct {
	Database string
	Like     string
}

// ShowPartitions is SHOW PARTITIONS [db.]t.
type ShowPartitions struct {
	Database, Name string
}

// ShowCreateTable is SHOW CREATE TABLE [db.]t.
type ShowCreateTable struct {
	Database, Name string
}

// ShowColumns is SHOW COLUMNS IN|FROM [db.]t [IN|FROM db].
type ShowColumns struct {
	Database, Name string
}

// Describe is DESCRIBE|DESC [FORMATTED|EXTENDED] [db.]t [column].
type Describe struct {
	Database  string
	Name      string
	Column    string
	Formatted bool
	Extended  bool
}

// MsckRepair is MSCK REPAIR TABLE [db.]t.
type MsckRepair struct {
	Database, Name string
}

// KV is one key = value of a partition spec. Value is the literal's text as a string
// ('2024' and 2024 both give "2024").
type KV struct {
	Key, Value string
}

// PartitionSpec is PARTITION (k='v', ...) [LOCATION '...'], keys in the order written.
type PartitionSpec struct {
	Values   []KV
	Location string
}

// AlterTableAddPartitions is ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (...) [LOCATION
// '...'] ....
type AlterTableAddPartitions struct {
	Database, Name string
	IfNotExists    bool
	Partitions     []PartitionSpec
}

// AlterTableDropPartitions is ALTER TABLE t DROP [IF EXISTS] PARTITION (...)[, ...].
// Partition locations are never set.
type AlterTableDropPartitions struct {
	Database, Name string
	IfExists       bool
	Partitions     []PartitionSpec
}

func (*CreateExternalTable) statementNode()      {}
func (*CreateDatabase) statementNode()           {}
func (*DropTable) statementNode()                {}
func (*DropDatabase) statementNode()             {}
func (*ShowDatabases) statementNode()            {}
func (*ShowTables) statementNode()               {}
func (*ShowPartitions) statementNode()           {}
func (*ShowCreateTable) statementNode()          {}
func (*ShowColumns) statementNode()              {}
func (*Describe) statementNode()                 {}
func (*MsckRepair) statementNode()               {}
func (*AlterTableAddPartitions) statementNode()  {}
func (*AlterTableDropPartitions) statementNode() {}

func (*CreateExternalTable) hiveStatement()      {}
func (*CreateDatabase) hiveStatement()           {}
func (*DropTable) hiveStatement()                {}
func (*DropDatabase) hiveStatement()             {}
func (*ShowDatabases) hiveStatement()            {}
func (*ShowTables) hiveStatement()               {}
func (*ShowPartitions) hiveStatement()           {}
func (*ShowCreateTable) hiveStatement()          {}
func (*ShowColumns) hiveStatement()              {}
func (*Describe) hiveStatement()                 {}
func (*MsckRepair) hiveStatement()               {}
func (*AlterTableAddPartitions) hiveStatement()  {}
func (*AlterTableDropPartitions) hiveStatement() {}
