package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sql"
	"github.com/quarrydb/quarry/sqlerr"
)

func (s *Session) executeHive(ctx context.Context, st sql.HiveStatement) (*Result, error) {
	switch x := st.(type) {
	case *sql.CreateExternalTable:
		return s.createTable(ctx, x)
	case *sql.CreateDatabase:
		return s.createDatabase(ctx, x)
	case *sql.DropTable:
		return s.dropTable(ctx, x.Database, x.Name, x.IfExists)
	case *sql.DropDatabase:
		return s.dropDatabase(ctx, x.Name, x.IfExists, x.Cascade)
	case *sql.ShowDatabases:
		return s.showDatabases(ctx, x.Like)
	case *sql.ShowTables:
		return s.showTables(ctx, x.Database, x.Like)
	case *sql.Describe:
		return s.describe(ctx, x.Database, x.Name)
	case *sql.ShowColumns:
		return s.showColumns(ctx, x.Database, x.Name)
	case *sql.ShowCreateTable:
		return s.showCreateTable(ctx, x.Database, x.Name)
	case *sql.ShowPartitions:
		return s.showPartitions(ctx, x.Database, x.Name)
	case *sql.MsckRepair:
		return s.msckRepair(ctx, x.Database, x.Name)
	case *sql.AlterTableAddPartitions:
		return s.addPartitions(ctx, x)
	case *sql.AlterTableDropPartitions:
		return s.dropPartitions(ctx, x)
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "statement not supported yet")
}

func (s *Session) db(name string) string {
	if name == "" {
		return s.settings.searchDatabase()
	}
	return strings.ToLower(name)
}

// Hive class names recorded for each format, as Athena and Glue crawlers write them.
var formatClasses = map[string]struct{ in, out, serde string }{
	"parquet": {"org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
	"orc":     {"org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcSerde"},
	"csv":     {"org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
	"json":    {"org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", "org.openx.data.jsonserde.JsonSerDe"},
}

// createTable records an external table in the catalog.
func (s *Session) createTable(ctx context.Context, x *sql.CreateExternalTable) (*Result, error) {
	if len(x.Columns) == 0 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "CREATE EXTERNAL TABLE needs a column list (inferring the schema from the files comes with crawlers)")
	}
	if x.Location == "" {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "managed tables are not supported yet: give a LOCATION")
	}
	loc, err := objstore.Normalize(x.Location)
	if err != nil {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "bad LOCATION %q: %v", x.Location, err)
	}
	if _, _, err := s.e.cfg.Stores.Resolve(loc); err != nil {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "%v", err)
	}
	now := time.Now().UTC()
	t := catalog.Table{
		DatabaseName: s.db(x.Database), Name: x.Name, Description: x.Comment, Owner: s.user.Name,
		TableType: catalog.ExternalTable, CreateTime: now, UpdateTime: now,
		Parameters: map[string]string{"EXTERNAL": "TRUE"},
		StorageDescriptor: catalog.StorageDescriptor{
			Location: loc, SerdeInfo: catalog.SerDeInfo{Parameters: map[string]string{}},
		},
	}
	for k, v := range x.TableProperties {
		t.Parameters[k] = v
	}
	for _, c := range x.Columns {
		t.StorageDescriptor.Columns = append(t.StorageDescriptor.Columns, catalog.Column{Name: c.Name, Type: c.Type, Comment: c.Comment})
	}
	for _, c := range x.PartitionKeys {
		t.PartitionKeys = append(t.PartitionKeys, catalog.Column{Name: c.Name, Type: c.Type, Comment: c.Comment})
	}
	format := ""
	switch x.StoredAs {
	case "parquet":
		format = "parquet"
	case "orc":
		format = "orc"
	case "json":
		format = "json"
	case "textfile", "":
		format = "csv"
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "STORED AS %s is not supported (parquet, orc, textfile, json are)", strings.ToUpper(x.StoredAs))
	}
	sd := &t.StorageDescriptor
	if rf := x.RowFormat; rf != nil {
		if rf.Serde != "" {
			sd.SerdeInfo.SerializationLibrary = rf.Serde
			lib := strings.ToLower(rf.Serde)
			if strings.Contains(lib, "json") {
				format = "json"
			} else if strings.Contains(lib, "parquet") {
				format = "parquet"
			} else if strings.Contains(lib, "orc") {
				format = "orc"
			}
		}
		for k, v := range rf.SerdeProperties {
			sd.SerdeInfo.Parameters[k] = v
		}
		set := func(k, v string) {
			if v != "" {
				sd.SerdeInfo.Parameters[k] = v
			}
		}
		set("field.delim", rf.FieldDelim)
		if rf.FieldDelim != "" {
			set("serialization.format", rf.FieldDelim)
		}
		set("escape.delim", rf.EscapeChar)
		set("collection.delim", rf.CollectionDelim)
		set("mapkey.delim", rf.MapKeyDelim)
		set("line.delim", rf.LineDelim)
		set("serialization.null.format", rf.NullFormat)
	}
	cls := formatClasses[format]
	sd.InputFormat, sd.OutputFormat = cls.in, cls.out
	if x.InputFormat != "" {
		sd.InputFormat, sd.OutputFormat = x.InputFormat, x.OutputFormat
	}
	if sd.SerdeInfo.SerializationLibrary == "" {
		sd.SerdeInfo.SerializationLibrary = cls.serde
	}
	if _, ok := t.Parameters["classification"]; !ok {
		t.Parameters["classification"] = format
	}
	if _, err := s.e.cfg.Catalog.GetDatabase(ctx, t.DatabaseName); err != nil {
		return nil, err
	}
	if err := s.e.cfg.Catalog.CreateTable(ctx, t); err != nil {
		if x.IfNotExists && errors.Is(err, catalog.ErrAlreadyExists) {
			return &Result{Tag: "CREATE TABLE", Notices: []string{fmt.Sprintf("relation %q already exists, skipping", t.Name)}}, nil
		}
		return nil, err
	}
	return &Result{Tag: "CREATE TABLE"}, nil
}

func (s *Session) createDatabase(ctx context.Context, x *sql.CreateDatabase) (*Result, error) {
	if n := strings.ToLower(x.Name); strings.HasPrefix(n, "pg_") || n == "information_schema" {
		// These names belong to the system catalogs (system_catalog.go), as in PostgreSQL.
		return nil, sqlerr.New("42939", "unacceptable schema name %q", x.Name).WithDetail("The prefix \"pg_\" and the name information_schema are reserved for system schemas.")
	}
	db := catalog.Database{Name: strings.ToLower(x.Name), Description: x.Comment, Parameters: x.Properties, CreateTime: time.Now().UTC()}
	if x.Location != "" {
		loc, err := objstore.Normalize(x.Location)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "bad LOCATION %q: %v", x.Location, err)
		}
		db.LocationURI = loc
	}
	if err := s.e.cfg.Catalog.CreateDatabase(ctx, db); err != nil {
		if x.IfNotExists && errors.Is(err, catalog.ErrAlreadyExists) {
			return &Result{Tag: "CREATE SCHEMA", Notices: []string{fmt.Sprintf("schema %q already exists, skipping", db.Name)}}, nil
		}
		return nil, err
	}
	return &Result{Tag: "CREATE SCHEMA"}, nil
}

func (s *Session) dropTable(ctx context.Context, db, name string, ifExists bool) (*Result, error) {
	if t, err := s.e.cfg.Catalog.GetTable(ctx, s.db(db), strings.ToLower(name)); err == nil && t.TableType == catalog.VirtualView {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "%q is not a table", name).WithHint("Use DROP VIEW to remove a view.")
	}
	managed := s.managedFiles(ctx, s.db(db), strings.ToLower(name)) // managed.go
	err := s.e.cfg.Catalog.DropTable(ctx, s.db(db), strings.ToLower(name))
	if err != nil {
		if ifExists && (errors.Is(err, catalog.ErrTableNotFound) || errors.Is(err, catalog.ErrDatabaseNotFound)) {
			return &Result{Tag: "DROP TABLE", Notices: []string{fmt.Sprintf("table %q does not exist, skipping", name)}}, nil
		}
		return nil, err
	}
	return &Result{Tag: "DROP TABLE", Notices: s.deleteManagedFiles(ctx, managed)}, nil
}

func (s *Session) dropDatabase(ctx context.Context, name string, ifExists, cascade bool) (*Result, error) {
	var managed []managedTable
	if cascade {
		managed = s.managedFiles(ctx, strings.ToLower(name), "") // managed.go
	}
	err := s.e.cfg.Catalog.DropDatabase(ctx, strings.ToLower(name), cascade)
	if err != nil {
		if ifExists && errors.Is(err, catalog.ErrDatabaseNotFound) {
			return &Result{Tag: "DROP SCHEMA", Notices: []string{fmt.Sprintf("schema %q does not exist, skipping", name)}}, nil
		}
		return nil, err
	}
	return &Result{Tag: "DROP SCHEMA", Notices: s.deleteManagedFiles(ctx, managed)}, nil
}

// dropPG runs DROP TABLE / DROP SCHEMA written in PostgreSQL's grammar.
func (s *Session) dropPG(ctx context.Context, d *pg.DropStmt) (*Result, error) {
	cascade := d.Behavior == pg.DropBehavior_DROP_CASCADE
	var res *Result
	for _, obj := range d.Objects {
		var parts []string
		if l := obj.GetList(); l != nil {
			for _, it := range l.Items {
				parts = append(parts, strVal(it))
			}
		} else {
			parts = append(parts, strVal(obj))
		}
		var err error
		switch d.RemoveType {
		case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_FOREIGN_TABLE:
			db, name := "", parts[len(parts)-1]
			if len(parts) > 1 {
				db = parts[len(parts)-2]
			}
			res, err = s.dropTable(ctx, db, name, d.MissingOk)
		case pg.ObjectType_OBJECT_SCHEMA:
			res, err = s.dropDatabase(ctx, parts[len(parts)-1], d.MissingOk, cascade)
		default:
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "DROP %s is not supported", d.RemoveType)
		}
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

func strVal(n *pg.Node) string {
	if s := n.GetString_(); s != nil {
		return s.Sval
	}
	return ""
}
