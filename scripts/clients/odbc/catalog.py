"""psqlODBC catalog functions through pyodbc: SQLTables, SQLColumns, SQLPrimaryKeys,
SQLStatistics, SQLForeignKeys, SQLSpecialColumns, SQLGetTypeInfo.

Each is a query psqlODBC builds over pg_class / pg_namespace / pg_attribute / pg_type /
pg_index (its info.c), so this checks those catalogs' shapes as the driver reads them.
Usage: catalog.py CONNECTION-STRING
"""
import sys

import pyodbc

SQL_INTEGER, SQL_NUMERIC, SQL_BIGINT, SQL_FLOAT = 4, 2, -5, 6
SQL_WVARCHAR, SQL_WLONGVARCHAR, SQL_BIT = -9, -10, -7
SQL_TYPE_DATE, SQL_TYPE_TIMESTAMP = 91, 93


def check(what, got, want):
    if got != want:
        sys.exit(f"odbc catalog: {what}: got {got!r}, want {want!r}")


conn = pyodbc.connect(sys.argv[1], autocommit=True)
cur = conn.cursor()

tables = [(r.table_schem, r.table_name, r.table_type) for r in cur.tables(schema="conformance")]
check("SQLTables(conformance)", sorted(tables), [
    ("conformance", "active_items", "VIEW"),
    ("conformance", "events", "TABLE"),
    ("conformance", "items", "TABLE"),
])
views = [r.table_name for r in cur.tables(schema="conformance", tableType="VIEW")]
check("SQLTables(VIEW)", views, ["active_items"])
check("SQLTables(nosuch)", cur.tables(table="no_such_table").fetchall(), [])

cols = [(r.column_name, r.data_type, r.type_name, r.column_size, r.decimal_digits, r.nullable,
         r.ordinal_position) for r in cur.columns(table="items", schema="conformance")]
check("SQLColumns(items)", cols, [
    ("id", SQL_INTEGER, "int4", 10, 0, 1, 1),
    ("name", SQL_WVARCHAR, "varchar", 40, None, 1, 2),
    ("price", SQL_NUMERIC, "numeric", 10, 2, 1, 3),
    ("qty", SQL_BIGINT, "int8", 19, 0, 1, 4),
    ("weight", SQL_FLOAT, "float8", 17, 0, 1, 5),
    ("active", SQL_BIT, "bool", 1, 0, 1, 6),
    ("added", SQL_TYPE_DATE, "date", 10, None, 1, 7),
    ("updated", SQL_TYPE_TIMESTAMP, "timestamp", 26, 6, 1, 8),
    ("note", SQL_WLONGVARCHAR, "text", 8190, None, 1, 9),
])
vcols = [r.column_name for r in cur.columns(table="active_items", schema="conformance")]
check("SQLColumns(active_items)", vcols, ["id", "name", "price"])

# Quarry's tables have no primary keys: the driver's pg_index query must run and find none.
check("SQLPrimaryKeys(items)", cur.primaryKeys("items", schema="conformance").fetchall(), [])
# SQLStatistics reads pg_index / pg_am the same way; no indexes either.
stats = [r for r in cur.statistics("items", schema="conformance") if r.index_name is not None]
check("SQLStatistics(items)", stats, [])

# Enumerations (SQLTables with % in one argument and empty strings in the others).
schemas = {r.table_schem for r in cur.tables(catalog="", schema="%", table="")}
for s in ("conformance", "demo"):
    if s not in schemas:
        sys.exit(f"odbc catalog: schema enumeration: {s} missing from {sorted(schemas)}")
types = {r.table_type for r in cur.tables(catalog="", schema="", table="", tableType="%")}
check("table type enumeration", {"TABLE", "VIEW"} <= types, True)
check("SQLColumns(conformance.%)", len(cur.columns(schema="conformance").fetchall()), 9 + 5 + 3)

# SQLForeignKeys both ways (pg_constraint), SQLSpecialColumns, SQLGetTypeInfo.
check("SQLForeignKeys(items)", cur.foreignKeys(table="items", schema="conformance").fetchall(), [])
check("SQLForeignKeys(-> items)",
      cur.foreignKeys(foreignTable="items", foreignSchema="conformance").fetchall(), [])
check("SQLSpecialColumns(items)", cur.rowIdColumns("items", schema="conformance").fetchall(), [])
type_names = {r.type_name for r in cur.getTypeInfo()}
check("SQLGetTypeInfo", {"int4", "int8", "numeric", "varchar", "text", "bool", "date", "timestamptz"} <= type_names, True)
print("odbc catalog: ok")
