package testdata

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/quarrydb/quarry/catalog"
)

//go:generate go run ./internal/gendemo -out demo

// demoFiles are the files gendemo wrote, under the folder demo/.
//
//go:embed demo
var demoFiles embed.FS

// DemoDatabase is the name of the demo database.
const DemoDatabase = "demo"

// DemoFS returns the demo files, one folder per table (`customers/customers.parquet`,
// `events/dt=2024-01-01/events.csv`, ...).
func DemoFS() fs.FS {
	sub, err := fs.Sub(demoFiles, "demo")
	if err != nil {
		panic(err) // "demo" is a valid path: fs.Sub cannot fail on it
	}
	return sub
}

// InstallDemo creates the demo database on a fresh catalog: it copies the demo files into dir
// (a local folder, created if needed, each table in a subfolder) and registers database
// `demo`, its tables and the partitions of `events` in store, with locations under dir.
//
// It does nothing when database `demo` exists already, whatever its contents: a user who
// dropped or changed a demo table keeps that change. The files are written before the catalog
// is touched, so a failed copy leaves the catalog as it was and the next start tries again;
// a failure after the database was created drops it again for the same reason. Of two
// processes installing at once, the one whose CreateDatabase loses returns nil and leaves the
// rest to the winner.
func InstallDemo(ctx context.Context, store catalog.Store, dir string) error {
	_, err := store.GetDatabase(ctx, DemoDatabase)
	if err == nil {
		return nil
	}
	if !errors.Is(err, catalog.ErrDatabaseNotFound) {
		return fmt.Errorf("install demo: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("install demo: %w", err)
	}
	tables, parts, err := DemoTables(abs)
	if err != nil {
		return fmt.Errorf("install demo: %w", err)
	}
	if err := copyDemoFiles(abs); err != nil {
		return fmt.Errorf("install demo: %w", err)
	}
	err = store.CreateDatabase(ctx, catalog.Database{Name: DemoDatabase, Description: "Quarry demo data"})
	if errors.Is(err, catalog.ErrAlreadyExists) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("install demo: %w", err)
	}
	if err := registerTables(ctx, store, tables, parts); err != nil {
		// Without the database, the next start installs the demo again instead of finding a
		// half-made one and leaving it so. Dropping must run even if ctx was cancelled.
		if dropErr := store.DropDatabase(context.WithoutCancel(ctx), DemoDatabase, true); dropErr != nil {
			err = errors.Join(err, dropErr)
		}
		return fmt.Errorf("install demo: %w", err)
	}
	return nil
}

func registerTables(ctx context.Context, store catalog.Store, tables []catalog.Table, parts []catalog.Partition) error {
	for _, t := range tables {
		if err := store.CreateTable(ctx, t); err != nil {
			return err
		}
	}
	return store.AddPartitions(ctx, parts)
}

// copyDemoFiles writes every embedded demo file under dir.
func copyDemoFiles(dir string) error {
	src := DemoFS()
	return fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, name)
		if err != nil {
			return err
		}
		return writeFileAtomic(filepath.Join(dir, filepath.FromSlash(name)), data)
	})
}

// writeFileAtomic writes data to path through a temporary file in the same folder and a
// rename, so a reader (or a second process installing the demo at the same time) never sees
// a partial file. The temporary file's name starts with '.', which table listings skip.
func writeFileAtomic(name string, data []byte) (err error) {
	folder := filepath.Dir(name)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(folder, "."+path.Base(filepath.ToSlash(name))+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	// Sync before the rename: otherwise a crash can leave the new name pointing at an empty
	// file on some file systems, and the demo would read as corrupt from then on.
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
