"""psqlODBC prepared statements through pyodbc: SQLPrepare + bound parameters (the driver sends
Parse / Describe / Bind / Execute), typed fetches, and an error that leaves the connection usable.
Usage: params.py CONNECTION-STRING (with UseDeclareFetch=1 the driver reads through cursors).
"""
import datetime
import sys
from decimal import Decimal

import pyodbc


def check(what, got, want):
    if got != want:
        sys.exit(f"odbc params ({sys.argv[1]}): {what}: got {got!r}, want {want!r}")


conn = pyodbc.connect(sys.argv[1])
cur = conn.cursor()

query = ("SELECT id, name, price, qty, weight, active, added, updated, note "
         "FROM conformance.items WHERE id > ? AND name LIKE ? ORDER BY id")
cases = [
    ((2, "%e%"), [3, 5, 6, 7, 8]),
    ((7, "%"), [8, 9, 10]),
    ((0, "d%"), [4]),
    ((10, "%"), []),
]
for params, want in cases:
    cur.execute(query, *params)
    check(f"ids for {params}", [r.id for r in cur.fetchall()], want)

cur.execute(query, 2, "c%")
row = cur.fetchone()
check("chisel row", tuple(row), (
    3, "chisel", Decimal("7.25"), 0, 0.3, False, datetime.date(2024, 3, 10),
    datetime.datetime(2024, 3, 10, 17, 45, 30, 500000), "it's sharp"))
check("column names", [d[0] for d in cur.description],
      ["id", "name", "price", "qty", "weight", "active", "added", "updated", "note"])
check("column types", [d[1] for d in cur.description],
      [int, str, Decimal, int, float, bool, datetime.date, datetime.datetime, str])

# NULLs and non-ASCII text come back as None and str.
cur.execute("SELECT added, updated, note FROM conformance.items WHERE id = ?", 5)
check("nulls", tuple(cur.fetchone()), (None, None, "wooden"))
cur.execute("SELECT note FROM conformance.items WHERE id = ?", 10)
check("utf-8", cur.fetchone()[0], "électrique")

# Parameters of other types: decimal, date, timestamp, bool, float.
cur.execute("SELECT count(*) FROM conformance.items WHERE price >= ? AND added < ? AND active = ?",
            Decimal("10.00"), datetime.date(2024, 9, 1), True)
check("typed params count", cur.fetchone()[0], 4)
cur.execute("SELECT id FROM conformance.items WHERE updated > ? AND weight < ? ORDER BY id",
            datetime.datetime(2024, 8, 1, 0, 0), 1.0)
check("timestamp/float params", [r[0] for r in cur.fetchall()], [8, 9])

# Many rows through the cursor (with UseDeclareFetch=1, Fetch=3 reads them 3 at a time).
cur.execute("SELECT id, kind, amount FROM conformance.events ORDER BY id")
check("events", [tuple(r) for r in cur.fetchall()], [
    (1, "sale", Decimal("19.99")), (2, "sale", Decimal("9.00")),
    (3, "return", Decimal("-19.99")), (4, "sale", Decimal("89.00"))])
cur.execute("SELECT id FROM conformance.items ORDER BY id")
check("fetchmany", [r[0] for r in cur.fetchmany(4)], [1, 2, 3, 4])
check("fetchall rest", [r[0] for r in cur.fetchall()], [5, 6, 7, 8, 9, 10])
conn.commit()

# An error, a rollback, and the connection works again.
try:
    cur.execute("SELECT no_such_column FROM conformance.items WHERE id = ?", 1)
    sys.exit("odbc params: a bad column did not fail")
except pyodbc.Error as e:
    check("error sqlstate", e.args[0], "42703")
conn.rollback()
cur.execute("SELECT name FROM conformance.items WHERE id = ?", 4)
check("after error", cur.fetchone()[0], "drill")
conn.close()
print(f"odbc params ({sys.argv[1]}): ok")
