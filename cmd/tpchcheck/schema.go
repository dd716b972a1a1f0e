package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// tables are the eight TPC-H tables with the types `peer gen` writes them with (see
// ../shared/peer/tpch.go): integers INTEGER, money DECIMAL(15,2), dates DATE, the rest
// VARCHAR, here under their Hive names.
var tables = []struct{ name, columns string }{
	{"region", "r_regionkey int, r_name string, r_comment string"},
	{"nation", "n_nationkey int, n_name string, n_regionkey int, n_comment string"},
	{"supplier", "s_suppkey int, s_name string, s_address string, s_nationkey int, s_phone string, s_acctbal decimal(15,2), s_comment string"},
	{"customer", "c_custkey int, c_name string, c_address string, c_nationkey int, c_phone string, c_acctbal decimal(15,2), c_mktsegment string, c_comment string"},
	{"part", "p_partkey int, p_name string, p_mfgr string, p_brand string, p_type string, p_size int, p_container string, p_retailprice decimal(15,2), p_comment string"},
	{"partsupp", "ps_partkey int, ps_suppkey int, ps_availqty int, ps_supplycost decimal(15,2), ps_comment string"},
	{"orders", "o_orderkey int, o_custkey int, o_orderstatus string, o_totalprice decimal(15,2), o_orderdate date, o_orderpriority string, o_clerk string, o_shippriority int, o_comment string"},
	{"lineitem", "l_orderkey int, l_partkey int, l_suppkey int, l_linenumber int, l_quantity decimal(15,2), l_extendedprice decimal(15,2), l_discount decimal(15,2), l_tax decimal(15,2), l_returnflag string, l_linestatus string, l_shipdate date, l_commitdate date, l_receiptdate date, l_shipinstruct string, l_shipmode string, l_comment string"},
}

// layouts are the folders `peer gen` writes, with how each is declared: CSV with a header
// line and RFC 4180 quoting (csv_gz the same, gzip-compressed), JSON one object a line.
var layouts = map[string]string{
	"parquet": "STORED AS PARQUET",
	"csv":     "ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE",
	"csv_gz":  "ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE",
	"json":    "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' STORED AS TEXTFILE",
}

// ddl returns the CREATE EXTERNAL TABLE statements for one layout under data.
func ddl(data, layout string) ([]string, error) {
	spec, ok := layouts[layout]
	if !ok {
		return nil, fmt.Errorf("unknown layout %q (parquet, csv, csv_gz, json)", layout)
	}
	var out []string
	for _, t := range tables {
		loc, err := filepath.Abs(filepath.Join(data, layout, t.name))
		if err != nil {
			return nil, err
		}
		s := fmt.Sprintf("CREATE EXTERNAL TABLE %s (%s) %s LOCATION '%s/'", t.name, t.columns, spec, strings.ReplaceAll(loc, "'", "''"))
		if strings.HasPrefix(layout, "csv") {
			s += " TBLPROPERTIES ('skip.header.line.count'='1')"
		}
		out = append(out, s)
	}
	return out, nil
}
