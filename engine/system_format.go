package engine

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// builtinTypeRow is one of the PostgreSQL types pg_type lists: the types Quarry's values take,
// "char" and name (catalog columns), oid, and the array type of each.
type builtinTypeRow struct {
	oid       uint32
	name      string
	len       int16
	byval     bool
	category  string
	preferred bool
	array     uint32 // the array type's OID; 0 for array types
	elem      uint32 // the element type of an array type
	io        string // prefix of the I/O functions: boolin, date_in, ...
	align     string
	storage   string
	collation int64
}

var builtinTypes = func() []builtinTypeRow {
	base := []builtinTypeRow{
		{types.OidBool, "bool", 1, true, "B", true, 1000, 0, "bool", "c", "p", 0},
		{types.OidBytea, "bytea", -1, false, "U", false, 1001, 0, "bytea", "i", "x", 0},
		{18, "char", 1, true, "Z", false, 1002, 0, "char", "c", "p", 0},
		{types.OidName, "name", 64, false, "S", false, 1003, 18, "name", "c", "p", 950},
		{types.OidInt8, "int8", 8, true, "N", false, 1016, 0, "int8", "d", "p", 0},
		{types.OidInt2, "int2", 2, true, "N", false, 1005, 0, "int2", "s", "p", 0},
		{types.OidInt4, "int4", 4, true, "N", false, 1007, 0, "int4", "i", "p", 0},
		{types.OidText, "text", -1, false, "S", true, 1009, 0, "text", "i", "x", 100},
		{types.OidOid, "oid", 4, true, "N", true, 1028, 0, "oid", "i", "p", 0},
		{types.OidJSON, "json", -1, false, "U", false, 199, 0, "json_", "i", "x", 0},
		{types.OidFloat4, "float4", 4, true, "N", false, 1021, 0, "float4", "i", "p", 0},
		{types.OidFloat8, "float8", 8, true, "N", true, 1022, 0, "float8", "d", "p", 0},
		{types.OidBPChar, "bpchar", -1, false, "S", false, 1014, 0, "bpchar", "i", "x", 100},
		{types.OidVarchar, "varchar", -1, false, "S", false, 1015, 0, "varchar", "i", "x", 100},
		{types.OidDate, "date", 4, true, "D", false, 1182, 0, "date_", "i", "p", 0},
		{types.OidTime, "time", 8, true, "D", false, 1183, 0, "time_", "d", "p", 0},
		{types.OidTimestamp, "timestamp", 8, true, "D", false, 1115, 0, "timestamp_", "d", "p", 0},
		{types.OidTimestampTZ, "timestamptz", 8, true, "D", true, 1185, 0, "timestamptz_", "d", "p", 0},
		{types.OidInterval, "interval", 16, false, "T", true, 1187, 0, "interval_", "d", "p", 0},
		{types.OidNumeric, "numeric", -1, false, "N", false, 1231, 0, "numeric_", "i", "m", 0},
		{types.OidUUID, "uuid", 16, false, "U", false, 2951, 0, "uuid_", "c", "p", 0},
		{types.OidJSONB, "jsonb", -1, false, "U", false, 3807, 0, "jsonb_", "i", "x", 0},
		// The OID alias types (types/reg.go); their I/O functions are regprocin, regclassin, ...
		{types.OidRegProc, "regproc", 4, true, "N", false, 1008, 0, "regproc", "i", "p", 0},
		{types.OidRegProcedure, "regprocedure", 4, true, "N", false, 2207, 0, "regprocedure", "i", "p", 0},
		{types.OidRegClass, "regclass", 4, true, "N", false, 2210, 0, "regclass", "i", "p", 0},
		{types.OidRegType, "regtype", 4, true, "N", false, 2211, 0, "regtype", "i", "p", 0},
		{types.OidRegNamespace, "regnamespace", 4, true, "N", false, 4090, 0, "regnamespace", "i", "p", 0},
		{types.OidRegRole, "regrole", 4, true, "N", false, 4097, 0, "regrole", "i", "p", 0},
		// aclitem: no Quarry column has it, but pgJDBC looks up its array (1034) by OID for
		// DBeaver's ACL columns.
		{1033, "aclitem", 12, false, "U", false, 1034, 0, "aclitem", "i", "p", 0},
	}
	out := base
	for _, b := range base {
		align := "i"
		if b.align == "d" {
			align = "d"
		}
		out = append(out, builtinTypeRow{b.array, "_" + b.name, -1, false, "A", false, 0, b.oid, "array_", align, "x", b.collation})
	}
	return out
}()

// builtinType returns the pg_type row of an OID; an unknown OID is text.
func builtinType(oid uint32) builtinTypeRow {
	for _, t := range builtinTypes {
		if t.oid == oid {
			return t
		}
	}
	return builtinType(types.OidText)
}

func typeRows(context.Context, *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(builtinTypes))
	for _, t := range builtinTypes {
		// The I/O functions are named prefix+in/out/recv/send: boolin, date_in, array_in.
		fn := func(suffix string) string { return t.io + suffix }
		subscript := "-"
		if t.category == "A" {
			subscript = "array_subscript_handler"
		}
		modin, modout := "-", "-"
		switch t.name {
		case "varchar", "bpchar":
			modin, modout = t.name+"typmodin", t.name+"typmodout"
		case "numeric", "time", "timestamp", "timestamptz", "interval":
			modin, modout = t.name+"typmodin", t.name+"typmodout"
		}
		out = append(out, []any{int64(t.oid), t.name, int64(oidPgCatalog), int64(oidBootstrapUser), t.len,
			t.byval, "b", t.category, t.preferred,
			true, ",", int64(0), procOID(subscript),
			int64(t.elem), int64(t.array), procOID(fn("in")), procOID(fn("out")), procOID(fn("recv")),
			procOID(fn("send")), procOID(modin), procOID(modout), int64(0), t.align,
			t.storage, false, int64(0), int32(-1), int32(0),
			t.collation, nil, nil, nil})
	}
	return out, nil
}

// systemFormat is the "system" format: it reads a system table by building its rows from
// the live catalog when the query runs, so tables created a moment ago appear.
type systemFormat struct {
	store catalog.Store
}

func (systemFormat) Name() string { return systemClassification }

// Splits returns the whole table as one split: system tables are small.
func (systemFormat) Splits(_ context.Context, _ objstore.Store, obj objstore.ObjectInfo, _ formats.Options) ([]formats.Split, error) {
	return []formats.Split{{Key: obj.Key, Size: obj.Size, Rows: -1}}, nil
}

// Open builds the rows of the system table the split's key names
// (mem://quarry-system/<schema>/<table>/rows).
func (f systemFormat) Open(ctx context.Context, _ objstore.Store, split formats.Split, _ formats.Options, req formats.Request) (formats.RecordReader, error) {
	rest := strings.TrimPrefix(split.Key, systemLocation)
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || !strings.HasPrefix(split.Key, systemLocation) {
		return nil, sqlerr.New(sqlerr.InternalError, "not a system table object: %s", split.Key)
	}
	st := lookupSystemTable(parts[0], parts[1])
	if st == nil {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation %s.%s does not exist", parts[0], parts[1])
	}
	snap, err := snapshot(ctx, f.store)
	if err != nil {
		return nil, err
	}
	rows, err := st.rows(ctx, snap)
	if err != nil {
		return nil, err
	}
	alloc := req.Alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	size := req.BatchSize
	if size <= 0 {
		size = formats.DefaultBatchSize
	}
	return &systemReader{rows: rows, req: req, alloc: alloc, size: size}, nil
}

// systemReader yields a system table's rows in batches of the projected columns.
type systemReader struct {
	rows  [][]any
	next  int
	req   formats.Request
	alloc memory.Allocator
	size  int
	done  bool
}

func (r *systemReader) Next(ctx context.Context) (arrow.Record, error) {
	if r.done || (r.next >= len(r.rows) && r.next > 0) {
		return nil, io.EOF
	}
	end := min(r.next+r.size, len(r.rows))
	fields := make([]arrow.Field, len(r.req.Projection))
	arrs := make([]arrow.Array, len(r.req.Projection))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, p := range r.req.Projection {
		col := r.req.Columns[p]
		fields[i] = arrow.Field{Name: col.Name, Type: col.Type.Arrow(), Nullable: true}
		b := array.NewBuilder(r.alloc, fields[i].Type)
		for _, row := range r.rows[r.next:end] {
			if err := appendSystemValue(b, row[p]); err != nil {
				b.Release()
				return nil, fmt.Errorf("system table column %s: %w", col.Name, err)
			}
		}
		arrs[i] = b.NewArray()
		b.Release()
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(end-r.next))
	r.next = end
	if r.next >= len(r.rows) {
		r.done = true
	}
	return rec, nil
}

func (r *systemReader) Close() error { return nil }

// appendSystemValue appends one system-table value to a builder of its column's type.
func appendSystemValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.Int64Builder:
		switch x := v.(type) {
		case int64:
			b.Append(x)
			return nil
		}
	case *array.Int32Builder:
		switch x := v.(type) {
		case int32:
			b.Append(x)
			return nil
		case int:
			b.Append(int32(x))
			return nil
		}
	case *array.Int16Builder:
		if x, ok := v.(int16); ok {
			b.Append(x)
			return nil
		}
	case *array.Float32Builder:
		if x, ok := v.(float32); ok {
			b.Append(x)
			return nil
		}
	case *array.BooleanBuilder:
		if x, ok := v.(bool); ok {
			b.Append(x)
			return nil
		}
	case *array.StringBuilder:
		if x, ok := v.(string); ok {
			b.Append(x)
			return nil
		}
	case *array.ListBuilder:
		// Array columns (oid[], text[], "char"[]) take []int64 or []string.
		b.Append(true)
		switch x := v.(type) {
		case []int64:
			for _, e := range x {
				if err := appendSystemValue(b.ValueBuilder(), e); err != nil {
					return err
				}
			}
			return nil
		case []string:
			for _, e := range x {
				if err := appendSystemValue(b.ValueBuilder(), e); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return fmt.Errorf("value %v (%T) does not fit %s", v, v, b.Type())
}

// installSystemObjects puts one small object under each system table's location, so the
// scan's listing (which skips empty objects) finds exactly one file to hand to systemFormat.
// The bytes are never read.
func installSystemObjects(stores *objstore.Registry, log interface{ Error(string, ...any) }) {
	store, _, err := stores.Resolve(systemLocation)
	if err != nil {
		log.Error("system catalog: no mem:// store", "err", err)
		return
	}
	for _, t := range systemTables {
		key := systemLocation + t.schema + "/" + t.name + "/" + systemObject
		if err := store.Put(context.Background(), key, strings.NewReader("\n")); err != nil {
			log.Error("system catalog: installing "+key, "err", err)
		}
	}
}
