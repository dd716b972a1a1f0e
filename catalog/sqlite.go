package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/quarrydb/quarry/sqlerr"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// SQLiteStore is the embedded catalog Store: one SQLite file in the data directory, read and
// written through modernc.org/sqlite (pure Go, no cgo).
//
// Several processes may open the same file at once (`quarry serve` and a `quarry query` CLI on
// one root). That works because of three choices, all made in OpenSQLite:
//   - WAL journal mode, so readers never block the writer and the writer never blocks readers;
//   - a busy timeout, so a writer that finds another process mid-write waits for it instead of
//     failing with SQLITE_BUSY;
//   - every write is one transaction begun with BEGIN IMMEDIATE, which takes the write lock up
//     front. A deferred transaction that reads first and upgrades later can fail at once with
//     SQLITE_BUSY_SNAPSHOT when another process wrote in between, and no timeout helps then.
//
// Nothing is cached in the process: every read runs a query, so a change committed by another
// process is seen by the next call.
type SQLiteStore struct {
	db   *sql.DB
	path string

	// writeMu serializes this process's writers before they reach SQLite. BEGIN IMMEDIATE would
	// serialize them anyway, but through the busy handler's sleep-and-retry loop; queueing on a
	// mutex is fairer and wakes the next writer as soon as the lock is free. Writers in other
	// processes still meet at SQLite's lock.
	writeMu sync.Mutex

	// now is the clock for CreateTime and UpdateTime; tests replace it.
	now func() time.Time
}

var _ Store = (*SQLiteStore)(nil)

// busyTimeout is how long a write waits for another connection's write lock. Catalog writes are
// a few milliseconds, so reaching it means something is stuck (a crashed process holds no lock,
// the kernel drops it).
const busyTimeout = 10 * time.Second

// OpenSQLite opens (creating if needed) the catalog file at path and brings its schema up to
// date. The file's directory must exist.
func OpenSQLite(path string) (*SQLiteStore, error) {
	if path == "" {
		return nil, errors.New("catalog: OpenSQLite: empty path")
	}
	dsn, err := sqliteDSN(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	s := &SQLiteStore{db: db, path: path, now: func() time.Time { return time.Now().UTC() }}
	ctx := context.Background()
	if err := s.enableWAL(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	return s, nil
}

// enableWAL switches the file to WAL journal mode, which then sticks to the file, so it is
// done once here rather than by every pooled connection. Switching needs the file to itself
// for a moment, and SQLite returns SQLITE_BUSY at once rather than waiting under the busy
// timeout, so when several processes open a new catalog together, the losers retry here until
// the winner has switched it.
func (s *SQLiteStore) enableWAL(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeout)
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		var mode string
		err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
		if err == nil {
			if !strings.EqualFold(mode, "wal") {
				// SQLite keeps the old mode when WAL is impossible, e.g. for want of shared memory.
				return fmt.Errorf("cannot use WAL journal mode (the file stays in %q mode); the catalog needs a local file system", mode)
			}
			return nil
		}
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

// isBusy reports whether err is SQLITE_BUSY or one of its extended codes.
func isBusy(err error) bool {
	var e interface{ Code() int }
	return errors.As(err, &e) && e.Code()&0xff == 5 // SQLITE_BUSY
}

// sqliteDSN builds the connection string. The path goes in a file: URI, percent-encoded, so a
// '?' or '%' in a folder name cannot be mistaken for the start of the parameters. The
// parameters are applied by the driver to every connection the pool opens, which matters:
// busy_timeout, synchronous and foreign_keys are per-connection settings. (journal_mode is the
// file's; see enableWAL.)
func sqliteDSN(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("catalog: %s: %w", path, err)
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: C:/x becomes /C:/x, as SQLite's URI rules want.
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	// NORMAL is durable across application crashes in WAL mode; only a power loss can roll back
	// the last commits, and a catalog rebuilt by a crawler can live with that.
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String(), nil
}

// Path returns the file the store was opened on.
func (s *SQLiteStore) Path() string { return s.path }

// Close closes the store's connections. Other processes' handles are unaffected.
func (s *SQLiteStore) Close() error { return s.db.Close() }

// migrations[i] brings the schema from version i to i+1. Append only: a released step never
// changes, because files written by that release already went through it.
var migrations = []string{
	// Version 1. Bodies are the model structs as JSON, Glue-shaped; the key columns repeat the
	// (lower-case) names so lookups, uniqueness and cascades are relational. A partition's key
	// is its values as a JSON array, which is exact for any string values.
	`CREATE TABLE databases (
		name TEXT PRIMARY KEY,
		body TEXT NOT NULL
	);
	CREATE TABLE tables (
		db   TEXT NOT NULL REFERENCES databases(name) ON DELETE CASCADE,
		name TEXT NOT NULL,
		body TEXT NOT NULL,
		PRIMARY KEY (db, name)
	);
	CREATE TABLE partitions (
		db   TEXT NOT NULL,
		tbl  TEXT NOT NULL,
		vals TEXT NOT NULL,
		body TEXT NOT NULL,
		PRIMARY KEY (db, tbl, vals),
		FOREIGN KEY (db, tbl) REFERENCES tables(db, name) ON DELETE CASCADE
	);
	CREATE TABLE users (
		name TEXT PRIMARY KEY,
		body TEXT NOT NULL
	);`,
}

// SchemaVersion is the catalog schema version this binary writes.
func SchemaVersion() int { return len(migrations) }

const schemaVersionKey = "schema_version"

// migrate brings the file's schema to SchemaVersion. The common case, an up-to-date file, is a
// plain read; only when a step is due does it take the write lock, and then it reads the
// version again, because another process opening the same new file may have migrated it while
// this one waited.
func (s *SQLiteStore) migrate(ctx context.Context) error {
	if v, err := s.schemaVersion(ctx, s.db); err == nil && v == SchemaVersion() {
		return nil
	}
	return s.write(ctx, "migrate", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`); err != nil {
			return err
		}
		v, err := s.schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if v > SchemaVersion() {
			return fmt.Errorf("catalog schema version %d is newer than this binary supports (%d); upgrade Quarry", v, SchemaVersion())
		}
		for ; v < SchemaVersion(); v++ {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migrating catalog schema to version %d: %w", v+1, err)
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, schemaVersionKey, strconv.Itoa(v))
		return err
	})
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schemaVersion reads the version from meta; a file without the row is version 0.
func (s *SQLiteStore) schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, schemaVersionKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("catalog schema version %q: %w", v, err)
	}
	return n, nil
}

// write runs fn in one write transaction (BEGIN IMMEDIATE, from the DSN's _txlock) and commits
// it. fn's own errors (not found, exists) come back unchanged; failures of SQLite itself are
// wrapped by errStore.
func (s *SQLiteStore) write(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return errStore(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return storeErr(op, err)
	}
	if err := tx.Commit(); err != nil {
		return errStore(op, err)
	}
	return nil
}

// read runs fn in a read transaction, so a read made of several statements sees one snapshot.
// It is a deferred BEGIN (database/sql passes ReadOnly, and the driver then ignores _txlock),
// which in WAL mode never waits for a writer.
func (s *SQLiteStore) read(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return errStore(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return storeErr(op, err)
	}
	return nil
}

// storeErr passes errors that already carry a SQLSTATE (the catalog's own: not found, exists,
// invalid input) through unchanged and wraps anything else, a failure of SQLite itself.
func storeErr(op string, err error) error {
	var coded *sqlerr.Error
	if errors.As(err, &coded) {
		return err
	}
	return errStore(op, err)
}

// encode and decode convert model structs to and from their JSON bodies.
func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func decode[T any](body string) (*T, error) {
	v := new(T)
	if err := json.Unmarshal([]byte(body), v); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.DataCorrupted, "catalog store: corrupt entry: %v", err)
	}
	return v, nil
}
