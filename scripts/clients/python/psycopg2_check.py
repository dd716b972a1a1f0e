"""psycopg2: transactions as the driver opens them (BEGIN before the first statement), client-side
interpolated parameters of many types, a server-side (named) cursor read in batches through
DECLARE / FETCH, COPY TO STDOUT through copy_expert, and an error that aborts the transaction
until ROLLBACK."""
import datetime
import io
from decimal import Decimal

import psycopg2
import psycopg2.errors
import psycopg2.extensions as ext

from common import checker, dsn

check = checker("psycopg2")
conn = psycopg2.connect(**dsn())
check("autocommit", conn.autocommit, False)
check("server_version", conn.server_version // 10000, 15)
cur = conn.cursor()

# psycopg2 sends BEGIN before the first statement; the server reports the transaction open.
cur.execute("SELECT count(*) FROM conformance.items")
check("count", cur.fetchone(), (10,))
check("status in tx", conn.info.transaction_status, ext.TRANSACTION_STATUS_INTRANS)
conn.rollback()
check("status after rollback", conn.info.transaction_status, ext.TRANSACTION_STATUS_IDLE)

# Typed results.
cur.execute("SELECT id, name, price, qty, weight, active, added, updated, note "
            "FROM conformance.items WHERE id = %s", (3,))
check("typed row", cur.fetchone(), (
    3, "chisel", Decimal("7.25"), 0, 0.3, False, datetime.date(2024, 3, 10),
    datetime.datetime(2024, 3, 10, 17, 45, 30, 500000), "it's sharp"))
check("rowcount", cur.rowcount, 1)
check("description", [(d.name, d.type_code) for d in cur.description], [
    ("id", 23), ("name", 1043), ("price", 1700), ("qty", 20), ("weight", 701),
    ("active", 16), ("added", 1082), ("updated", 1114), ("note", 25)])

# Parameters of many types (psycopg2 interpolates them into the SQL text as literals).
cases = [
    ("int and text", "SELECT id FROM conformance.items WHERE id > %s AND name LIKE %s ORDER BY id",
     (6, "%a%"), [(7,), (8,), (9,), (10,)]),
    ("text with a quote", "SELECT id FROM conformance.items WHERE note = %s", ("it's sharp",), [(3,)]),
    ("decimal", "SELECT id FROM conformance.items WHERE price = %s", (Decimal("89.00"),), [(4,)]),
    ("float", "SELECT id FROM conformance.items WHERE weight < %s ORDER BY id", (0.2,), [(6,), (9,)]),
    ("bool", "SELECT count(*) FROM conformance.items WHERE active = %s", (False,), [(3,)]),
    ("date", "SELECT id FROM conformance.items WHERE added >= %s ORDER BY id",
     (datetime.date(2024, 9, 1),), [(9,), (10,)]),
    ("timestamp", "SELECT id FROM conformance.items WHERE updated BETWEEN %s AND %s ORDER BY id",
     (datetime.datetime(2024, 3, 10, 17, 45, 30), datetime.datetime(2024, 4, 22, 12, 0)), [(3,), (4,)]),
    ("None", "SELECT %s::integer IS NULL, %s", (None, None), [(True, None)]),
    ("tuple for IN", "SELECT name FROM conformance.items WHERE id IN %s ORDER BY id", ((1, 2),),
     [("anvil",), ("bucket",)]),
    ("list for ANY", "SELECT name FROM conformance.items WHERE id = ANY(%s) ORDER BY id", ([9, 10],),
     [("inkpad",), ("jigsaw",)]),
    ("named", "SELECT %(a)s + %(b)s, %(s)s", {"a": 40, "b": 2, "s": "x"}, [(42, "x")]),
    ("unicode", "SELECT id FROM conformance.items WHERE note = %s", ("électrique",), [(10,)]),
]
for what, sql, params, want in cases:
    cur.execute(sql, params)
    check(what, cur.fetchall(), want)
conn.commit()

# A server-side cursor: psycopg2 declares it (DECLARE "c" CURSOR WITHOUT HOLD FOR ...) and
# fetches itersize rows at a time (FETCH FORWARD n FROM "c"), inside the transaction.
named = conn.cursor(name="items_cursor")
named.itersize = 3
named.execute("SELECT id, name FROM conformance.items ORDER BY id")
check("named cursor", [r[0] for r in named], list(range(1, 11)))
named.close()
named = conn.cursor(name="events_cursor")
named.execute("SELECT id, amount FROM conformance.events WHERE kind = %s ORDER BY id", ("sale",))
check("named fetchmany", named.fetchmany(2), [(1, Decimal("19.99")), (2, Decimal("9.00"))])
check("named fetchone", named.fetchone(), (4, Decimal("89.00")))
check("named exhausted", named.fetchone(), None)
named.close()
conn.commit()

# COPY ... TO STDOUT through copy_expert (CSV with a header, NULL as empty, quotes as needed).
buf = io.StringIO()
cur.copy_expert("COPY (SELECT id, name, note FROM conformance.items WHERE id IN (2, 3, 10) "
                "ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)", buf)
check("copy_expert", buf.getvalue(), "id,name,note\n2,bucket,\n3,chisel,it's sharp\n10,jigsaw,électrique\n")
conn.rollback()

# An error aborts the transaction; statements fail with 25P02 until ROLLBACK, then all is well.
try:
    cur.execute("SELECT 1 / (id - id) FROM conformance.items")
    cur.fetchall()
    raise SystemExit("psycopg2: division by zero did not fail")
except psycopg2.errors.DivisionByZero:
    pass
check("status after error", conn.info.transaction_status, ext.TRANSACTION_STATUS_INERROR)
try:
    cur.execute("SELECT 1")
    raise SystemExit("psycopg2: a statement in a failed transaction did not fail")
except psycopg2.errors.InFailedSqlTransaction:
    pass
conn.rollback()
cur.execute("SELECT name FROM conformance.items WHERE id = %s", (2,))
check("after rollback", cur.fetchone(), ("bucket",))
try:
    cur.execute("SELECT * FROM conformance.no_such_table")
    raise SystemExit("psycopg2: a missing table did not fail")
except psycopg2.errors.UndefinedTable:
    conn.rollback()

# Autocommit: no BEGIN, each statement on its own.
conn.autocommit = True
cur.execute("SELECT current_database(), current_user")
check("session", cur.fetchone(), (dsn()["dbname"], dsn()["user"]))
check("status autocommit", conn.info.transaction_status, ext.TRANSACTION_STATUS_IDLE)
conn.close()
print("psycopg2: ok")
