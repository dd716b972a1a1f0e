package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/exec"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// hiveNullPartition is the folder value Hive, Athena and Quarry's scan use for a NULL (or
// empty) partition key.
const hiveNullPartition = "__HIVE_DEFAULT_PARTITION__"

// tableWriter writes one statement's rows into a table's files: one new Parquet file per
// partition the rows fall in (one file for an unpartitioned table), named
// `<location>[k=v/...]<time>_<random>.parquet`.
//
// All or nothing, as far as readers can tell: each file streams through a pipe into
// objstore.Put, which publishes an object only once it is complete (file:// writes a hidden
// temporary file and renames it). When the statement fails, the pipes are closed with the
// error, so the Puts fail and publish nothing; when a file fails after others were published,
// those are deleted again. A reader planning a scan meanwhile sees either none of the new
// files or, for an INSERT into several partitions, some of them; never half a file.
type tableWriter struct {
	ctx      context.Context
	store    objstore.Store
	location string // the table's location URL, ending in "/"
	data     []formats.Column
	keys     []formats.Column
	opts     parquet.WriterOptions
	fctx     *function.Context
	name     string               // the statement's file name
	files    map[string]*fileSink // by partition values joined with NUL
	order    []*fileSink
	rows     int64
	ended    bool                 // finish or abort ran
	base     *objstore.ObjectInfo // the small file an unpartitioned INSERT rewrites with its rows (managed_compact.go)
}

// fileSink is one file being written.
type fileSink struct {
	values []string // partition values; nil for an unpartitioned table
	dir    string   // the folder it lands in (the partition's location)
	key    string   // the object's URL
	w      *parquet.Writer
	pw     *io.PipeWriter
	done   chan error // objstore.Put's result
	put    bool       // Put succeeded: the file is published
	// replaces says the file took the place of an older one, whose rows it holds too:
	// deleting it would lose them.
	replaces bool
}

// newTableWriter prepares to write rows with columns data followed by keys (the partition
// keys) into table t.
func (s *Session) newTableWriter(ctx context.Context, t *catalog.Table, data, keys []formats.Column, fctx *function.Context) (*tableWriter, error) {
	store, loc, err := s.e.cfg.Stores.Resolve(t.StorageDescriptor.Location)
	if err != nil {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "%v", err)
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, err
	}
	return &tableWriter{
		ctx: ctx, store: store, location: strings.TrimSuffix(loc, "/") + "/",
		data: data, keys: keys, fctx: fctx,
		opts: parquet.WriterOptions{Compression: t.Parameters[paramCompression], CreatedBy: "quarry version " + Version},
		// The time first, so that a table's files list in the order they were written.
		name:  time.Now().UTC().Format("20060102_150405") + "_" + hex.EncodeToString(rnd[:]) + ".parquet",
		files: map[string]*fileSink{},
	}, nil
}

// write adds a batch whose columns are the data columns followed by the partition keys.
func (tw *tableWriter) write(rec arrow.Record) error {
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	tw.rows += int64(n)
	if len(tw.keys) == 0 {
		f, err := tw.sink(nil)
		if err != nil {
			return err
		}
		return f.w.Write(rec)
	}
	nd := len(tw.data)
	data := array.NewRecord(arrow.NewSchema(rec.Schema().Fields()[:nd], nil), rec.Columns()[:nd], int64(n))
	defer data.Release()
	// The partition values as text, the way they name folders and catalog partitions.
	keyText := make([]*array.String, len(tw.keys))
	for i, k := range tw.keys {
		a, err := partitionText(tw.fctx, k.Type, rec.Column(nd+i))
		if err != nil {
			return err
		}
		defer a.Release()
		keyText[i] = a
	}
	value := func(k, row int) string {
		if keyText[k].IsNull(row) || keyText[k].Value(row) == "" {
			return hiveNullPartition
		}
		return keyText[k].Value(row)
	}
	// Runs of rows with the same partition go to its file as slices of the batch: no copy,
	// and sorted or clustered input (the usual case) makes few runs.
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && samePartition(len(tw.keys), value, lo, hi) {
			hi++
		}
		vals := make([]string, len(tw.keys))
		for k := range vals {
			vals[k] = value(k, lo)
		}
		f, err := tw.sink(vals)
		if err != nil {
			return err
		}
		slice := data.NewSlice(int64(lo), int64(hi))
		err = f.w.Write(slice)
		slice.Release()
		if err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

func samePartition(nkeys int, value func(k, row int) string, a, b int) bool {
	for k := 0; k < nkeys; k++ {
		if value(k, a) != value(k, b) {
			return false
		}
	}
	return true
}

// partitionText converts a partition key column to its text form (PostgreSQL's output format).
func partitionText(fctx *function.Context, t types.T, a arrow.Array) (*array.String, error) {
	k, err := function.Cast(t, types.VarcharT, false)
	if err != nil {
		return nil, err
	}
	out, err := k(fctx, []arrow.Array{a}, a.Len())
	if err != nil {
		return nil, err
	}
	s, ok := out.(*array.String)
	if !ok {
		out.Release()
		return nil, fmt.Errorf("partition value cast returned %s", out.DataType())
	}
	return s, nil
}

// sink returns the file of a partition, starting it on first use.
func (tw *tableWriter) sink(values []string) (*fileSink, error) {
	id := strings.Join(values, "\x00")
	if f := tw.files[id]; f != nil {
		return f, nil
	}
	if len(tw.files) >= maxWritePartitions {
		return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "a statement may write at most %d partitions", maxWritePartitions).
			WithHint("Split the statement by ranges of the partition keys.")
	}
	dir := tw.location
	for i, k := range tw.keys {
		dir += k.Name + "=" + escapePartition(values[i]) + "/"
	}
	pr, pw := io.Pipe()
	f := &fileSink{values: values, dir: dir, key: dir + tw.name, pw: pw, done: make(chan error, 1)}
	if values == nil && tw.base != nil {
		f.key, f.replaces = tw.base.Key, true
	}
	go func() {
		err := tw.store.Put(tw.ctx, f.key, pr)
		// A Put that stopped reading early must not leave the writer blocked on the pipe.
		pr.CloseWithError(errOr(err, io.ErrClosedPipe))
		f.done <- err
	}()
	w, err := parquet.NewWriter(pw, tw.data, tw.opts)
	if err == nil && f.replaces {
		// The old file's rows first, so that the table's rows keep their order.
		if cerr := copyRows(tw.ctx, tw.store, *tw.base, tw.data, w); cerr != nil {
			// The old file cannot be read as the table's columns (say, a column's type
			// changed since): leave it alone and write a file of the statement's own.
			pw.CloseWithError(cerr)
			<-f.done
			tw.base = nil
			return tw.sink(values)
		}
	}
	if err != nil {
		pw.CloseWithError(err)
		<-f.done
		return nil, err
	}
	f.w = w
	tw.files[id] = f
	tw.order = append(tw.order, f)
	return f, nil
}

func errOr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// finish completes every file. On an error no file stays published.
func (tw *tableWriter) finish() error {
	tw.ended = true
	var first error
	for _, f := range tw.order {
		err := f.w.Close()
		if err != nil {
			f.pw.CloseWithError(err)
		} else {
			f.pw.Close()
		}
		if perr := <-f.done; err == nil {
			err = perr
		}
		f.put = err == nil
		if err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		tw.unpublish()
		return writeErr(first)
	}
	return nil
}

// abort abandons every file: nothing the statement wrote stays.
func (tw *tableWriter) abort(cause error) {
	tw.ended = true
	for _, f := range tw.order {
		f.pw.CloseWithError(cause)
		f.put = <-f.done == nil
	}
	tw.unpublish()
}

// unpublish deletes the files already published. It uses a context of its own: the
// statement's may be the reason for the cleanup.
func (tw *tableWriter) unpublish() {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(tw.ctx), time.Minute)
	defer cancel()
	for _, f := range tw.order {
		if f.put && !f.replaces {
			_ = tw.store.Delete(ctx, f.key)
			f.put = false
		}
	}
}

// writeErr gives an object store failure a SQLSTATE; coded errors pass through.
func writeErr(err error) error {
	var e *sqlerr.Error
	if errors.As(err, &e) {
		return err
	}
	return sqlerr.Wrap(err, sqlerr.IOError, "writing table files: %v", err)
}

// escapePartition escapes a partition value for a folder name as Hive's
// FileUtils.escapePathName does.
func escapePartition(v string) string {
	const special = "\"#%'*/:=?\\\x7f{[]^"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || strings.IndexByte(special, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// newPartitions returns the catalog partitions of the files written whose partition the
// catalog does not have yet.
func (tw *tableWriter) newPartitions(t *catalog.Table, have map[string]bool) []catalog.Partition {
	var out []catalog.Partition
	now := time.Now().UTC()
	for _, f := range tw.order {
		if f.values == nil || have[strings.Join(f.values, "\x00")] {
			continue
		}
		sd := t.StorageDescriptor
		sd.Location = f.dir
		out = append(out, catalog.Partition{DatabaseName: t.DatabaseName, TableName: t.Name, Values: f.values, StorageDescriptor: sd, CreateTime: now})
	}
	return out
}

// runWrite runs a plan whose columns are the table's (data columns, then partition keys,
// already converted to their types) and writes its rows with tw. check validates each batch
// before it is written. It returns the number of rows written; on an error nothing is.
func (s *Session) runWrite(ctx context.Context, node planner.Node, fctx *function.Context, tw *tableWriter, check func(arrow.Record) error) (int64, error) {
	env := &exec.Env{Stores: s.e.cfg.Stores, Formats: s.e.cfg.Formats, Catalog: s.e.cfg.Catalog, Funcs: fctx, Alloc: fctx.Alloc, Workers: s.e.cfg.Workers, Stats: &exec.Stats{}}
	op, err := exec.Build(node, env)
	if err != nil {
		return 0, err
	}
	// Whatever ends the statement (a panic included), its uploads must not wait on their
	// pipes forever.
	defer func() {
		if !tw.ended {
			tw.abort(errors.New("statement ended before its files were complete"))
		}
	}()
	runCtx, cancel := context.WithCancel(objstore.WithCounter(context.WithoutCancel(ctx), &objstore.Counter{}))
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	fail := func(err error) (int64, error) {
		op.Close()
		if ctx.Err() != nil {
			err = canceled(ctx)
		}
		tw.abort(err)
		return 0, err
	}
	if err := op.Open(runCtx); err != nil {
		return fail(err)
	}
	for {
		rec, err := op.Next(runCtx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		if check != nil {
			err = check(rec)
		}
		if err == nil {
			err = tw.write(rec)
		}
		rec.Release()
		if err != nil {
			return fail(err)
		}
	}
	if err := op.Close(); err != nil {
		tw.abort(err)
		return 0, err
	}
	if ctx.Err() != nil {
		err := canceled(ctx)
		tw.abort(err)
		return 0, err
	}
	if err := tw.finish(); err != nil {
		return 0, err
	}
	return tw.rows, nil
}
