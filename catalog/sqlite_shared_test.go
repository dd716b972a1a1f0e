package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// These tests are about the file, not the API: it outlives a process, is shared by several
// handles and processes, and its schema is versioned.

func TestPersistence(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	s, err := OpenSQLite(path)
	must(t, err)
	must(t, s.CreateDatabase(ctx, Database{Name: "sales"}))
	must(t, s.CreateTable(ctx, sales("sales", "orders")))
	must(t, s.AddPartitions(ctx, []Partition{part("sales", "orders", "2024", "eu")}))
	must(t, s.CreateUser(ctx, User{Name: "bob", Superuser: true}))
	before, err := s.GetTable(ctx, "sales", "orders")
	must(t, err)
	must(t, s.Close())

	s = openAt(t, path)
	after, err := s.GetTable(ctx, "sales", "orders")
	must(t, err)
	if after.StorageDescriptor.Location != before.StorageDescriptor.Location || !after.CreateTime.Equal(before.CreateTime) {
		t.Errorf("table changed across reopen: %+v vs %+v", after, before)
	}
	if parts, err := s.ListPartitions(ctx, "sales", "orders"); err != nil || len(parts) != 1 {
		t.Errorf("partitions after reopen: %d, %v", len(parts), err)
	}
	if u, err := s.GetUser(ctx, "bob"); err != nil || !u.Superuser {
		t.Errorf("user after reopen: %+v, %v", u, err)
	}
	var mode string
	must(t, s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestPathNeedsEscaping(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "a ?b%20c#d")
	must(t, os.Mkdir(dir, 0o755))
	path := filepath.Join(dir, "catalog.db")
	s, err := OpenSQLite(path)
	must(t, err)
	must(t, s.CreateDatabase(ctx, Database{Name: "x"}))
	must(t, s.Close())
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the file is not where it was asked for: %v", err)
	}
	s = openAt(t, path)
	if _, err := s.GetDatabase(ctx, "x"); err != nil {
		t.Error(err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalog.db")
	s, err := OpenSQLite(path)
	must(t, err)
	var v string
	must(t, s.db.QueryRow(`SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v))
	if v != strconv.Itoa(SchemaVersion()) {
		t.Errorf("schema_version = %s, want %d", v, SchemaVersion())
	}
	_, err = s.db.Exec(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`)
	must(t, err)
	must(t, s.Close())
	if _, err := OpenSQLite(path); err == nil || !strings.Contains(err.Error(), "newer than this binary supports") {
		t.Errorf("opening a newer schema: %v", err)
	}
}

// TestTwoHandles: what one handle commits, the other reads at once (nothing is cached).
func TestTwoHandles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	a, b := openAt(t, path), openAt(t, path)

	must(t, a.CreateDatabase(ctx, Database{Name: "sales"}))
	if _, err := b.GetDatabase(ctx, "sales"); err != nil {
		t.Fatalf("b does not see a's database: %v", err)
	}
	must(t, b.CreateTable(ctx, sales("sales", "orders")))
	if _, err := a.GetTable(ctx, "sales", "orders"); err != nil {
		t.Fatalf("a does not see b's table: %v", err)
	}
	must(t, a.AddPartitions(ctx, []Partition{part("sales", "orders", "1", "eu")}))
	if parts, err := b.ListPartitions(ctx, "sales", "orders"); err != nil || len(parts) != 1 {
		t.Fatalf("b sees %d partitions, %v", len(parts), err)
	}
	upd := sales("sales", "orders")
	upd.Description = "by b"
	must(t, b.UpdateTable(ctx, upd))
	if got, err := a.GetTable(ctx, "sales", "orders"); err != nil || got.Description != "by b" {
		t.Fatalf("a sees %+v, %v", got, err)
	}
	if err := b.CreateDatabase(ctx, Database{Name: "sales"}); !errors.Is(err, ErrAlreadyExists) {
		t.Fatalf("b re-created a's database: %v", err)
	}
	must(t, a.DropDatabase(ctx, "sales", true))
	if _, err := b.GetTable(ctx, "sales", "orders"); !errors.Is(err, ErrDatabaseNotFound) {
		t.Fatalf("b still sees the dropped database: %v", err)
	}
}

// TestConcurrentWriters: goroutines on two handles write at once, and none of them sees
// SQLITE_BUSY; readers run alongside.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	handles := []*SQLiteStore{openAt(t, path), openAt(t, path)}
	must(t, handles[0].CreateDatabase(ctx, Database{Name: "sales"}))

	const writers, tablesEach = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers*tablesEach*4)
	for h, s := range handles {
		for w := range writers {
			wg.Go(func() {
				for i := range tablesEach {
					name := fmt.Sprintf("t_%d_%d_%d", h, w, i)
					errs <- s.CreateTable(ctx, sales("sales", name))
					errs <- s.AddPartitions(ctx, []Partition{part("sales", name, "1", "eu"), part("sales", name, "2", "eu")})
					upd := sales("sales", name)
					upd.Description = "updated"
					errs <- s.UpdateTable(ctx, upd)
					_, err := s.ListTables(ctx, "sales")
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	tables, err := handles[1].ListTables(ctx, "sales")
	must(t, err)
	if len(tables) != 2*writers*tablesEach {
		t.Fatalf("%d tables, want %d", len(tables), 2*writers*tablesEach)
	}
	for _, tb := range tables {
		if tb.Description != "updated" {
			t.Errorf("table %s lost its update", tb.Name)
		}
	}
	if n := countRows(t, handles[0], "partitions", "sales"); n != 2*len(tables) {
		t.Errorf("%d partitions, want %d", n, 2*len(tables))
	}
}

// TestConcurrentOpen: several handles opening one new file at once all migrate it, or find
// it migrated, without error.
func TestConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalog.db")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			s, err := OpenSQLite(path)
			if err == nil {
				err = s.CreateDatabase(context.Background(), Database{Name: "d" + strconv.Itoa(i%2)})
				if errors.Is(err, ErrAlreadyExists) {
					err = nil
				}
				s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// helperEnv names, for TestMain, the catalog file a child process writes to; helperPrefix the
// prefix of the tables it creates.
const (
	helperEnv    = "QUARRY_CATALOG_TEST_HELPER_PATH"
	helperPrefix = "QUARRY_CATALOG_TEST_HELPER_PREFIX"
	helperTables = 20
)

// TestMain lets the test binary double as the second process of TestMultiProcess.
func TestMain(m *testing.M) {
	if path := os.Getenv(helperEnv); path != "" {
		if err := helperWrite(path, os.Getenv(helperPrefix)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func helperWrite(path, prefix string) error {
	ctx := context.Background()
	s, err := OpenSQLite(path)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.CreateDatabase(ctx, Database{Name: "sales"}); err != nil && !errors.Is(err, ErrAlreadyExists) {
		return err
	}
	for i := range helperTables {
		name := fmt.Sprintf("%s_%d", prefix, i)
		if err := s.CreateTable(ctx, sales("sales", name)); err != nil {
			return err
		}
		if err := s.AddPartitions(ctx, []Partition{part("sales", name, "1", "eu")}); err != nil {
			return err
		}
	}
	return nil
}

// TestMultiProcess: two child processes and this one create one new file and write to it at
// once, as `quarry serve` and `quarry query` on a fresh root do.
func TestMultiProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	var cmds []*exec.Cmd
	for _, prefix := range []string{"child_a", "child_b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+path, helperPrefix+"="+prefix)
		cmd.Stderr = os.Stderr
		must(t, cmd.Start())
		cmds = append(cmds, cmd)
	}
	parentErr := helperWrite(path, "parent")
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %d: %v", cmd.Process.Pid, err)
		}
	}
	must(t, parentErr)
	s := openAt(t, path)
	tables, err := s.ListTables(ctx, "sales")
	must(t, err)
	if len(tables) != 3*helperTables {
		t.Errorf("%d tables, want %d", len(tables), 3*helperTables)
	}
}
