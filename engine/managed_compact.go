package engine

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/objstore"
)

// Small-file compaction on INSERT. A table filled by many small INSERTs (a row or a few at a
// time, as applications and test suites do) would otherwise get one tiny Parquet file per
// statement, and every later query would list, open and read the footer of each: thousands
// of files for a thousand-row table. So an INSERT into an unpartitioned table whose newest
// file is one Quarry wrote and is smaller than compactBelow writes that file's rows followed
// by its own into a new file of the same name, which replaces the old one whole.
//
// No half-written table: objstore.Put publishes an object only once it is complete (file://
// renames a finished temporary file over the old one; S3 replaces an object atomically), so
// a reader, or the table after a crash, sees either the old file or the new one, never both
// and never a part. A failed statement publishes nothing and the old file stays as it was.
// The layout stays plain Parquet files under the table's location, readable by Athena,
// Trino or Spark.
//
// Two INSERTs that rewrote the same file at once would each publish the old rows plus their
// own, and one statement's rows would be lost; so writes to one location take a lock for
// the whole statement. The lock is per process: several Quarry servers appending to the
// same table at the same moment could still race (as Athena's INSERT INTO has no such
// guarantee either, they should write to different tables or partitions).
//
// A query that planned a scan of the old file and opens it after it was replaced finds a
// file of another size; the Parquet reader refuses it ("changed while the query ran")
// instead of reading the new file with the old footer.

// compactBelow is the size under which an INSERT rewrites a table's newest file with its
// rows instead of adding a file. Rewriting costs reading and writing up to this much per
// statement, which a small INSERT can afford; files stop growing past it.
var compactBelow int64 = 1 << 20 // a variable only so that tests can lower it

// quarryFileName matches the names tableWriter gives files (the time, then random hex):
// only files Quarry wrote are rewritten, never files some other writer put there.
var quarryFileName = regexp.MustCompile(`^\d{8}_\d{6}_[0-9a-f]{16}\.parquet$`)

// writeLocks serializes the statements that write into one location (a table's or a
// partition's folder URL).
var writeLocks = keyedLocks{m: map[string]*keyedLock{}}

type keyedLocks struct {
	mu sync.Mutex
	m  map[string]*keyedLock
}

type keyedLock struct {
	mu   sync.Mutex
	refs int
}

// lock takes the lock of key and returns its unlock.
func (k *keyedLocks) lock(key string) func() {
	k.mu.Lock()
	l := k.m[key]
	if l == nil {
		l = &keyedLock{}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}

// compactTarget returns the file of an unpartitioned table's folder an INSERT should rewrite
// with its rows: the newest one Quarry wrote, if it is small. ok is false when there is none
// (the INSERT then adds a new file).
func compactTarget(ctx context.Context, store objstore.Store, location string) (objstore.ObjectInfo, bool, error) {
	objs, err := store.List(ctx, location)
	if err != nil {
		if errors.Is(err, objstore.ErrNotFound) {
			return objstore.ObjectInfo{}, false, nil
		}
		return objstore.ObjectInfo{}, false, err
	}
	// List sorts by key and names start with the time they were written: the newest file
	// directly in the folder is the last one.
	for i := len(objs) - 1; i >= 0; i-- {
		rel := strings.TrimPrefix(objs[i].Key, location)
		if strings.Contains(rel, "/") || !quarryFileName.MatchString(rel) {
			continue
		}
		if objs[i].Size <= 0 || objs[i].Size >= compactBelow {
			return objstore.ObjectInfo{}, false, nil
		}
		return objs[i], true, nil
	}
	return objstore.ObjectInfo{}, false, nil
}

// copyRows writes every row of the Parquet file obj, read as the columns cols, to w.
func copyRows(ctx context.Context, store objstore.Store, obj objstore.ObjectInfo, cols []formats.Column, w *parquet.Writer) error {
	f := parquet.New()
	splits, err := f.Splits(ctx, store, obj, nil)
	if err != nil {
		return err
	}
	proj := make([]int, len(cols))
	for i := range proj {
		proj[i] = i
	}
	for _, sp := range splits {
		r, err := f.Open(ctx, store, sp, nil, formats.Request{Columns: cols, Projection: proj})
		if err != nil {
			return err
		}
		for {
			rec, err := r.Next(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				r.Close()
				return err
			}
			err = w.Write(rec)
			rec.Release()
			if err != nil {
				r.Close()
				return err
			}
		}
		if err := r.Close(); err != nil {
			return err
		}
	}
	return nil
}

// compactSmallFile prepares an INSERT into an unpartitioned table: it takes the table's
// write lock, held until the returned unlock, and picks the small file the rows will be
// added to, if any.
func (tw *tableWriter) compactSmallFile() (unlock func(), err error) {
	unlock = writeLocks.lock(tw.location)
	obj, ok, err := compactTarget(tw.ctx, tw.store, tw.location)
	if err != nil {
		unlock()
		return nil, writeErr(err)
	}
	if ok {
		tw.base = &obj
	}
	return unlock, nil
}
