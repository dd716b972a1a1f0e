"""SQLAlchemy 1.4 over psycopg2: the dialect's first-connect queries (version(), current_schema(),
isolation level, standard_conforming_strings, the hstore probe), pool_pre_ping, and the
inspector, whose methods read pg_namespace / pg_class / pg_attribute / pg_constraint / pg_index /
pg_description through format_type, pg_get_constraintdef, ::regclass, ANY(ARRAY[...]) and more."""
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from common import checker, sqlalchemy_url

check = checker("sqlalchemy")
engine = sa.create_engine(sqlalchemy_url(), pool_pre_ping=True)
with engine.connect() as conn:
    check("select 1", conn.execute(sa.text("SELECT 1")).scalar(), 1)
    check("server version", engine.dialect.server_version_info[0], 15)
    # The dialect takes its default schema from current_schema() (public on PostgreSQL).
    check("default schema", engine.dialect.default_schema_name,
          conn.execute(sa.text("SELECT current_schema()")).scalar())
    rows = conn.execute(sa.text(
        "SELECT id, name FROM conformance.items WHERE id > :lo AND active = :a ORDER BY id"),
        {"lo": 6, "a": True}).all()
    check("bound select", [tuple(r) for r in rows], [(7, "gauge"), (8, "hammer"), (10, "jigsaw")])

# The pool hands the same connection out again after a pre-ping (SELECT 1).
for _ in range(3):
    with engine.connect() as conn:
        check("pooled", conn.execute(sa.text("SELECT count(*) FROM conformance.events")).scalar(), 4)

insp = sa.inspect(engine)
schemas = insp.get_schema_names()
for s in ("conformance", "demo", "information_schema"):
    if s not in schemas:
        raise SystemExit(f"sqlalchemy: get_schema_names: {s} missing from {schemas}")
check("no pg_ schemas", [s for s in schemas if s.startswith("pg_")], [])
check("get_table_names", sorted(insp.get_table_names(schema="conformance")), ["events", "items"])
check("get_view_names", insp.get_view_names(schema="conformance"), ["active_items"])
check("has_table", insp.has_table("items", schema="conformance"), True)
check("has_table missing", insp.has_table("nope", schema="conformance"), False)

cols = insp.get_columns("items", schema="conformance")
check("column names", [c["name"] for c in cols],
      ["id", "name", "price", "qty", "weight", "active", "added", "updated", "note"])
want_types = [pg.INTEGER, pg.VARCHAR, pg.NUMERIC, pg.BIGINT, pg.DOUBLE_PRECISION, pg.BOOLEAN,
              pg.DATE, pg.TIMESTAMP, pg.TEXT]
check("column types", [type(c["type"]) for c in cols], want_types)
check("varchar length", cols[1]["type"].length, 40)
check("numeric precision", (cols[2]["type"].precision, cols[2]["type"].scale), (10, 2))
check("timestamp without zone", cols[7]["type"].timezone, False)
check("nullable", [c["nullable"] for c in cols], [True] * 9)
check("defaults", [c["default"] for c in cols], [None] * 9)
check("comments", [c["comment"] for c in cols], [None] * 9)
vcols = insp.get_columns("active_items", schema="conformance")
check("view columns", [(c["name"], type(c["type"])) for c in vcols],
      [("id", pg.INTEGER), ("name", pg.VARCHAR), ("price", pg.NUMERIC)])

check("get_pk_constraint", insp.get_pk_constraint("items", schema="conformance"),
      {"constrained_columns": [], "name": None})
check("get_foreign_keys", insp.get_foreign_keys("items", schema="conformance"), [])
check("get_indexes", insp.get_indexes("items", schema="conformance"), [])
check("get_unique_constraints", insp.get_unique_constraints("items", schema="conformance"), [])
check("get_check_constraints", insp.get_check_constraints("items", schema="conformance"), [])
check("get_table_comment", insp.get_table_comment("items", schema="conformance"), {"text": None})
view_def = insp.get_view_definition("active_items", schema="conformance")
if not view_def or "conformance.items" not in view_def.lower() or "active" not in view_def.lower():
    raise SystemExit(f"sqlalchemy: get_view_definition: got {view_def!r}")

check("get_sequence_names", insp.get_sequence_names(schema="conformance"), [])
check("get_foreign_table_names", insp.get_foreign_table_names(schema="conformance"), [])
check("get_sorted_table_and_fkc_names",
      sorted(t for t, _ in insp.get_sorted_table_and_fkc_names(schema="conformance") if t), ["events", "items"])
with engine.connect() as conn:
    check("isolation level", conn.get_isolation_level(), "READ COMMITTED")

# Reflection builds a Table from the same queries.
items = sa.Table("items", sa.MetaData(), autoload_with=engine, schema="conformance")
with engine.connect() as conn:
    q = sa.select(items.c.name, items.c.price).where(items.c.qty >= 10).order_by(items.c.id)
    check("reflected select", [tuple(r) for r in conn.execute(q)],
          [("bucket", Decimal("4.50")), ("file", Decimal("3.99")), ("inkpad", Decimal("2.25"))])
print("sqlalchemy: ok")
