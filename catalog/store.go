package catalog

import "context"

// Store persists the catalog. Implementations must be safe for concurrent use by several
// goroutines and, for the embedded store, by several processes sharing one root folder
// (`quarry serve` and `quarry query` at once). Names are matched case-insensitively (they are
// stored lower-case, as Glue does).
type Store interface {
	CreateDatabase(ctx context.Context, db Database) error           // ErrAlreadyExists
	GetDatabase(ctx context.Context, name string) (*Database, error) // ErrDatabaseNotFound
	ListDatabases(ctx context.Context) ([]Database, error)           // sorted by name
	// DropDatabase removes a database; without cascade a database that has tables is
	// ErrNotEmpty. With cascade its tables and partitions go too.
	DropDatabase(ctx context.Context, name string, cascade bool) error

	CreateTable(ctx context.Context, t Table) error                // ErrDatabaseNotFound, ErrAlreadyExists
	GetTable(ctx context.Context, db, name string) (*Table, error) // ErrDatabaseNotFound, ErrTableNotFound
	ListTables(ctx context.Context, db string) ([]Table, error)    // sorted by name
	UpdateTable(ctx context.Context, t Table) error                // replaces the table's definition
	DropTable(ctx context.Context, db, name string) error          // its partitions go too

	// AddPartitions adds partitions; one whose values exist already is replaced.
	AddPartitions(ctx context.Context, parts []Partition) error
	// ListPartitions returns a table's partitions sorted by their values.
	ListPartitions(ctx context.Context, db, table string) ([]Partition, error)
	DropPartition(ctx context.Context, db, table string, values []string) error

	CreateUser(ctx context.Context, u User) error // ErrAlreadyExists
	GetUser(ctx context.Context, name string) (*User, error)
	UpdateUser(ctx context.Context, u User) error
	ListUsers(ctx context.Context) ([]User, error)

	Close() error
}
