package engine

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sql"
	"github.com/quarrydb/quarry/sqlerr"
)

// hiveLike compiles a Hive SHOW pattern: '*' is any characters, '|' separates
// alternatives; matching is case-insensitive.
func hiveLike(p string) *regexp.Regexp {
	if p == "" {
		return nil
	}
	alts := strings.Split(p, "|")
	for i, a := range alts {
		alts[i] = strings.ReplaceAll(regexp.QuoteMeta(strings.TrimSpace(a)), `\*`, ".*")
	}
	return regexp.MustCompile("(?i)^(" + strings.Join(alts, "|") + ")$")
}

func (s *Session) showDatabases(ctx context.Context, like string) (*Result, error) {
	dbs, err := s.e.cfg.Catalog.ListDatabases(ctx)
	if err != nil {
		return nil, err
	}
	re := hiveLike(like)
	var rows [][]*string
	for _, d := range dbs {
		if re == nil || re.MatchString(d.Name) {
			rows = append(rows, []*string{strp(d.Name)})
		}
	}
	return textResult([]string{"database_name"}, rows), nil
}

func (s *Session) showTables(ctx context.Context, db, like string) (*Result, error) {
	ts, err := s.e.cfg.Catalog.ListTables(ctx, s.db(db))
	if err != nil {
		return nil, err
	}
	re := hiveLike(like)
	var rows [][]*string
	for _, t := range ts {
		if re == nil || re.MatchString(t.Name) {
			rows = append(rows, []*string{strp(t.Name)})
		}
	}
	return textResult([]string{"tab_name"}, rows), nil
}

func (s *Session) table(ctx context.Context, db, name string) (*catalog.Table, error) {
	return s.e.cfg.Catalog.GetTable(ctx, s.db(db), strings.ToLower(name))
}

// describe lists a table's columns as Athena's DESCRIBE does: name, type, comment, then the
// partition keys under a "# Partition Information" heading.
func (s *Session) describe(ctx context.Context, db, name string) (*Result, error) {
	t, err := s.table(ctx, db, name)
	if err != nil {
		return nil, err
	}
	var rows [][]*string
	for _, c := range t.StorageDescriptor.Columns {
		rows = append(rows, []*string{strp(c.Name), strp(c.Type), strp(c.Comment)})
	}
	for _, c := range t.PartitionKeys {
		rows = append(rows, []*string{strp(c.Name), strp(c.Type), strp(c.Comment)})
	}
	if len(t.PartitionKeys) > 0 {
		rows = append(rows, []*string{strp(""), nil, nil}, []*string{strp("# Partition Information"), nil, nil},
			[]*string{strp("# col_name"), strp("data_type"), strp("comment")})
		for _, c := range t.PartitionKeys {
			rows = append(rows, []*string{strp(c.Name), strp(c.Type), strp(c.Comment)})
		}
	}
	return textResult([]string{"col_name", "data_type", "comment"}, rows), nil
}

func (s *Session) showColumns(ctx context.Context, db, name string) (*Result, error) {
	t, err := s.table(ctx, db, name)
	if err != nil {
		return nil, err
	}
	var rows [][]*string
	for _, c := range append(append([]catalog.Column{}, t.StorageDescriptor.Columns...), t.PartitionKeys...) {
		rows = append(rows, []*string{strp(c.Name)})
	}
	return textResult([]string{"field"}, rows), nil
}

// showCreateTable prints DDL that recreates the table.
func (s *Session) showCreateTable(ctx context.Context, db, name string) (*Result, error) {
	t, err := s.table(ctx, db, name)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if t.TableType == catalog.VirtualView {
		fmt.Fprintf(&b, "CREATE VIEW `%s`.`%s` AS\n%s\n", t.DatabaseName, t.Name, t.ViewOriginalText)
		var rows [][]*string
		for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			rows = append(rows, []*string{strp(line)})
		}
		return textResult([]string{"createtab_stmt"}, rows), nil
	}
	kind := "EXTERNAL TABLE"
	if t.TableType == catalog.ManagedTable {
		kind = "TABLE"
	}
	fmt.Fprintf(&b, "CREATE %s `%s`.`%s`(\n", kind, t.DatabaseName, t.Name)
	for i, c := range t.StorageDescriptor.Columns {
		sep := ","
		if i == len(t.StorageDescriptor.Columns)-1 {
			sep = ")"
		}
		fmt.Fprintf(&b, "  `%s` %s%s\n", c.Name, c.Type, sep)
	}
	if len(t.PartitionKeys) > 0 {
		b.WriteString("PARTITIONED BY (\n")
		for i, c := range t.PartitionKeys {
			sep := ","
			if i == len(t.PartitionKeys)-1 {
				sep = ")"
			}
			fmt.Fprintf(&b, "  `%s` %s%s\n", c.Name, c.Type, sep)
		}
	}
	sd := t.StorageDescriptor
	fmt.Fprintf(&b, "ROW FORMAT SERDE\n  %s\n", sql.QuoteString(sd.SerdeInfo.SerializationLibrary))
	if len(sd.SerdeInfo.Parameters) > 0 {
		b.WriteString("WITH SERDEPROPERTIES (\n")
		writeProps(&b, sd.SerdeInfo.Parameters)
	}
	fmt.Fprintf(&b, "STORED AS INPUTFORMAT\n  %s\nOUTPUTFORMAT\n  %s\nLOCATION\n  %s\n", sql.QuoteString(sd.InputFormat), sql.QuoteString(sd.OutputFormat), sql.QuoteString(sd.Location))
	if len(t.Parameters) > 0 {
		b.WriteString("TBLPROPERTIES (\n")
		writeProps(&b, t.Parameters)
	}
	var rows [][]*string
	for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		rows = append(rows, []*string{strp(line)})
	}
	return textResult([]string{"createtab_stmt"}, rows), nil
}

func writeProps(b *strings.Builder, m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		sep := ","
		if i == len(keys)-1 {
			sep = ")"
		}
		fmt.Fprintf(b, "  %s=%s%s\n", sql.QuoteString(k), sql.QuoteString(m[k]), sep)
	}
}

func (s *Session) showPartitions(ctx context.Context, db, name string) (*Result, error) {
	t, err := s.table(ctx, db, name)
	if err != nil {
		return nil, err
	}
	if len(t.PartitionKeys) == 0 {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "table %s.%s is not partitioned", t.DatabaseName, t.Name)
	}
	parts, err := s.e.cfg.Catalog.ListPartitions(ctx, t.DatabaseName, t.Name)
	if err != nil {
		return nil, err
	}
	var rows [][]*string
	for _, p := range parts {
		kv := make([]string, len(p.Values))
		for i, v := range p.Values {
			kv[i] = t.PartitionKeys[i].Name + "=" + v
		}
		rows = append(rows, []*string{strp(strings.Join(kv, "/"))})
	}
	return textResult([]string{"partition"}, rows), nil
}

// msckRepair finds Hive-style key=value folders under the table's location and adds the
// partitions the catalog does not have yet.
func (s *Session) msckRepair(ctx context.Context, db, name string) (*Result, error) {
	t, err := s.table(ctx, db, name)
	if err != nil {
		return nil, err
	}
	if len(t.PartitionKeys) == 0 {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "table %s.%s is not partitioned", t.DatabaseName, t.Name)
	}
	store, loc, err := s.e.cfg.Stores.Resolve(t.StorageDescriptor.Location)
	if err != nil {
		return nil, err
	}
	prefix := strings.TrimSuffix(loc, "/") + "/"
	objs, err := store.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	have, err := s.partitionSet(ctx, t)
	if err != nil {
		return nil, err
	}
	var added []catalog.Partition
	seen := map[string]bool{}
	for _, o := range objs {
		rel := strings.TrimPrefix(o.Key, prefix)
		dirs := strings.Split(path.Dir(rel), "/")
		if len(dirs) < len(t.PartitionKeys) {
			continue
		}
		vals := make([]string, len(t.PartitionKeys))
		ok := true
		for i, k := range t.PartitionKeys {
			key, val, found := strings.Cut(dirs[i], "=")
			if !found || !strings.EqualFold(key, k.Name) {
				ok = false
				break
			}
			vals[i] = unescapePartition(val)
		}
		if !ok {
			continue
		}
		id := strings.Join(vals, "\x00")
		if have[id] || seen[id] {
			continue
		}
		seen[id] = true
		sd := t.StorageDescriptor
		sd.Location = prefix + strings.Join(dirs[:len(t.PartitionKeys)], "/") + "/"
		added = append(added, catalog.Partition{DatabaseName: t.DatabaseName, TableName: t.Name, Values: vals, StorageDescriptor: sd, CreateTime: time.Now().UTC()})
	}
	if len(added) > 0 {
		if err := s.e.cfg.Catalog.AddPartitions(ctx, added); err != nil {
			return nil, err
		}
	}
	var rows [][]*string
	for _, p := range added {
		kv := make([]string, len(p.Values))
		for i, v := range p.Values {
			kv[i] = t.PartitionKeys[i].Name + "=" + v
		}
		rows = append(rows, []*string{strp("Repair: Added partition to metastore " + t.Name + ":" + strings.Join(kv, "/"))})
	}
	return textResult([]string{"result"}, rows), nil
}

// unescapePartition decodes Hive's %XX escapes in partition folder names.
func unescapePartition(v string) string {
	if !strings.Contains(v, "%") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '%' && i+2 < len(v) {
			var c byte
			if _, err := fmt.Sscanf(v[i+1:i+3], "%02X", &c); err == nil {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func (s *Session) addPartitions(ctx context.Context, x *sql.AlterTableAddPartitions) (*Result, error) {
	t, err := s.table(ctx, x.Database, x.Name)
	if err != nil {
		return nil, err
	}
	have, err := s.partitionSet(ctx, t)
	if err != nil {
		return nil, err
	}
	var parts []catalog.Partition
	for _, spec := range x.Partitions {
		vals, err := partitionValues(t, spec)
		if err != nil {
			return nil, err
		}
		if have[strings.Join(vals, "\x00")] {
			if x.IfNotExists {
				continue
			}
			return nil, sqlerr.New(sqlerr.DuplicateObject, "partition %v of %s.%s already exists", vals, t.DatabaseName, t.Name)
		}
		sd := t.StorageDescriptor
		if spec.Location != "" {
			loc, err := objstore.Normalize(spec.Location)
			if err != nil {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "bad LOCATION %q: %v", spec.Location, err)
			}
			sd.Location = loc
		} else {
			kv := make([]string, len(vals))
			for i, v := range vals {
				kv[i] = t.PartitionKeys[i].Name + "=" + v
			}
			sd.Location = strings.TrimSuffix(t.StorageDescriptor.Location, "/") + "/" + strings.Join(kv, "/") + "/"
		}
		parts = append(parts, catalog.Partition{DatabaseName: t.DatabaseName, TableName: t.Name, Values: vals, StorageDescriptor: sd, CreateTime: time.Now().UTC()})
	}
	if len(parts) > 0 {
		if err := s.e.cfg.Catalog.AddPartitions(ctx, parts); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "ALTER TABLE"}, nil
}

func (s *Session) dropPartitions(ctx context.Context, x *sql.AlterTableDropPartitions) (*Result, error) {
	t, err := s.table(ctx, x.Database, x.Name)
	if err != nil {
		return nil, err
	}
	for _, spec := range x.Partitions {
		vals, err := partitionValues(t, spec)
		if err != nil {
			return nil, err
		}
		if err := s.e.cfg.Catalog.DropPartition(ctx, t.DatabaseName, t.Name, vals); err != nil && !x.IfExists {
			return nil, err
		}
	}
	return &Result{Tag: "ALTER TABLE"}, nil
}

// partitionValues orders a partition spec's values by the table's partition keys.
func partitionValues(t *catalog.Table, spec sql.PartitionSpec) ([]string, error) {
	if len(spec.Values) != len(t.PartitionKeys) {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "partition spec has %d values but table %s.%s has %d partition keys", len(spec.Values), t.DatabaseName, t.Name, len(t.PartitionKeys))
	}
	vals := make([]string, len(t.PartitionKeys))
	for i, k := range t.PartitionKeys {
		found := false
		for _, kv := range spec.Values {
			if strings.EqualFold(kv.Key, k.Name) {
				vals[i] = kv.Value
				found = true
			}
		}
		if !found {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "partition spec lacks key %q", k.Name)
		}
	}
	return vals, nil
}

// partitionSet returns the value lists of a table's partitions, joined by NUL, for
// membership tests.
func (s *Session) partitionSet(ctx context.Context, t *catalog.Table) (map[string]bool, error) {
	existing, err := s.e.cfg.Catalog.ListPartitions(ctx, t.DatabaseName, t.Name)
	if err != nil {
		return nil, err
	}
	have := make(map[string]bool, len(existing))
	for _, p := range existing {
		have[strings.Join(p.Values, "\x00")] = true
	}
	return have, nil
}
