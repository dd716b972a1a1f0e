package testdata

import (
	"fmt"
	"maps"
	"path/filepath"

	"github.com/quarrydb/quarry/catalog"
)

// The demo tables' definitions, spelled as Athena's CREATE EXTERNAL TABLE (and a Glue
// crawler) would store them, so what `SHOW CREATE TABLE` prints for them is DDL a user can
// take to Athena as is. The column lists must match the files gendemo writes; the tests read
// the files back and compare.

// Storage formats as Athena records them.
const (
	parquetInput  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
	parquetOutput = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
	parquetSerDe  = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
	textInput     = "org.apache.hadoop.mapred.TextInputFormat"
	textOutput    = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
	lazySerDe     = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
)

// demoTable is one table's definition before its location is known.
type demoTable struct {
	name, description string
	columns           []catalog.Column
	partitionKeys     []catalog.Column
	partitions        []string // values of the single partition key, one folder each
	csvDelim          string   // "" for Parquet
	header            bool
}

var demoTables = []demoTable{
	{
		name:        "customers",
		description: "Customers of the demo shop (Parquet, snappy).",
		columns: []catalog.Column{
			{Name: "customer_id", Type: "int"},
			{Name: "name", Type: "string"},
			{Name: "email", Type: "string", Comment: "NULL when the customer gave none"},
			{Name: "country", Type: "string"},
			{Name: "signup_date", Type: "date"},
			{Name: "vip", Type: "boolean"},
		},
	},
	{
		name:        "orders",
		description: "Orders placed in 2024 (Parquet, zstd, two files).",
		columns: []catalog.Column{
			{Name: "order_id", Type: "bigint"},
			{Name: "customer_id", Type: "int", Comment: "customers.customer_id"},
			{Name: "order_ts", Type: "timestamp"},
			{Name: "status", Type: "string", Comment: "shipped, pending, cancelled or returned"},
			{Name: "total", Type: "decimal(12,2)"},
			{Name: "items", Type: "int"},
		},
	},
	{
		name:        "products",
		description: "The product list (CSV with a header line).",
		columns: []catalog.Column{
			{Name: "product_id", Type: "int"},
			{Name: "name", Type: "string"},
			{Name: "category", Type: "string"},
			{Name: "price", Type: "decimal(10,2)"},
			{Name: "in_stock", Type: "boolean"},
		},
		csvDelim: ",",
		header:   true,
	},
	{
		name:        "events",
		description: "Click-stream events, one folder per day ('|'-separated text).",
		columns: []catalog.Column{
			{Name: "event_id", Type: "bigint"},
			{Name: "customer_id", Type: "int"},
			{Name: "kind", Type: "string"},
		},
		partitionKeys: []catalog.Column{{Name: "dt", Type: "date"}},
		partitions:    []string{"2024-01-01", "2024-01-02", "2024-01-03"},
		csvDelim:      "|",
	},
}

// DemoTables returns the catalog definitions of the demo tables, with their locations under
// dir, the absolute path of the folder the demo files are (or will be) copied to, and the
// partitions of the partitioned ones.
func DemoTables(dir string) ([]catalog.Table, []catalog.Partition, error) {
	if !filepath.IsAbs(dir) {
		return nil, nil, fmt.Errorf("demo tables: folder %q is not an absolute path", dir)
	}
	base := "file://" + filepath.ToSlash(filepath.Clean(dir))
	var tables []catalog.Table
	var parts []catalog.Partition
	for _, d := range demoTables {
		t := d.table(base + "/" + d.name + "/")
		for _, v := range d.partitions {
			sd := t.StorageDescriptor
			sd.Columns = append([]catalog.Column(nil), sd.Columns...)
			sd.SerdeInfo.Parameters = maps.Clone(sd.SerdeInfo.Parameters)
			sd.Location = t.StorageDescriptor.Location + d.partitionKeys[0].Name + "=" + v + "/"
			parts = append(parts, catalog.Partition{
				DatabaseName:      DemoDatabase,
				TableName:         d.name,
				Values:            []string{v},
				StorageDescriptor: sd,
			})
		}
		tables = append(tables, t)
	}
	return tables, parts, nil
}

func (d demoTable) table(location string) catalog.Table {
	t := catalog.Table{
		DatabaseName:  DemoDatabase,
		Name:          d.name,
		Description:   d.description,
		Owner:         catalog.AdminUser,
		TableType:     catalog.ExternalTable,
		PartitionKeys: append([]catalog.Column(nil), d.partitionKeys...),
		StorageDescriptor: catalog.StorageDescriptor{
			Columns:  append([]catalog.Column(nil), d.columns...),
			Location: location,
		},
	}
	sd := &t.StorageDescriptor
	if d.csvDelim == "" {
		sd.InputFormat, sd.OutputFormat = parquetInput, parquetOutput
		sd.SerdeInfo = catalog.SerDeInfo{
			SerializationLibrary: parquetSerDe,
			Parameters:           map[string]string{"serialization.format": "1"},
		}
		t.Parameters = map[string]string{"classification": "parquet", "EXTERNAL": "TRUE"}
		return t
	}
	sd.InputFormat, sd.OutputFormat = textInput, textOutput
	sd.SerdeInfo = catalog.SerDeInfo{
		SerializationLibrary: lazySerDe,
		Parameters:           map[string]string{"field.delim": d.csvDelim, "serialization.format": d.csvDelim},
	}
	t.Parameters = map[string]string{"classification": "csv", "EXTERNAL": "TRUE"}
	if d.header {
		t.Parameters["skip.header.line.count"] = "1"
	}
	return t
}
