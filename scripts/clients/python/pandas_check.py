"""pandas over SQLAlchemy: read_sql with a query (pandas first asks has_table(<the query text>),
which must answer False without breaking the transaction) and bound parameters, read_sql_table
(reflection + SELECT), chunked reads, and to_sql into a managed table."""
import datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from common import checker, sqlalchemy_url

check = checker("pandas")
engine = sa.create_engine(sqlalchemy_url(), pool_pre_ping=True)

df = pd.read_sql("select id, name, price, qty, weight, active, added, updated "
                 "from conformance.items where id > %(lo)s order by id", engine, params={"lo": 5})
check("read_sql rows", len(df), 5)
check("read_sql columns", list(df.columns),
      ["id", "name", "price", "qty", "weight", "active", "added", "updated"])
check("read_sql dtypes", [str(t) for t in df.dtypes],
      ["int64", "object", "float64", "int64", "float64", "bool", "object", "datetime64[ns]"])
check("read_sql ids", df["id"].tolist(), [6, 7, 8, 9, 10])
check("read_sql names", df["name"].tolist(), ["file", "gauge", "hammer", "inkpad", "jigsaw"])
check("read_sql prices", df["price"].tolist(), [3.99, 12.0, 15.49, 2.25, 59.95])
check("read_sql dates", df["added"].tolist()[0], datetime.date(2024, 6, 30))
check("read_sql timestamps", df["updated"].tolist()[2], pd.Timestamp("2024-08-08 14:20:10"))

df = pd.read_sql(sa.text("select kind, sum(amount) as total from conformance.events "
                         "where at >= :since group by kind order by kind"), engine,
                 params={"since": datetime.datetime(2024, 5, 1, 10, 30)})
check("read_sql grouped", [tuple(r) for r in df.itertuples(index=False)],
      [("return", -19.99), ("sale", 98.0)])

df = pd.read_sql_table("items", engine, schema="conformance")
check("read_sql_table rows", len(df), 10)
check("read_sql_table dtypes", [str(t) for t in df.dtypes],
      ["int64", "object", "float64", "int64", "float64", "bool", "datetime64[ns]",
       "datetime64[ns]", "object"])
df = df.sort_values("id").reset_index(drop=True)
check("read_sql_table ids", df["id"].tolist(), list(range(1, 11)))
check("read_sql_table sum", round(df["price"].sum(), 2), 249.52)
check("read_sql_table NaT", bool(pd.isna(df.loc[4, "added"])), True)
check("read_sql_table None", df.loc[1, "note"], None)
check("read_sql_table utf-8", df.loc[9, "note"], "électrique")
check("read_sql_table timestamp", df.loc[2, "updated"], pd.Timestamp("2024-03-10 17:45:30.5"))

df = pd.read_sql_table("active_items", engine, schema="conformance", columns=["id", "price"])
check("view", sorted(df["id"].tolist()), [1, 2, 4, 6, 7, 8, 10])

chunks = list(pd.read_sql("select id from conformance.items order by id", engine, chunksize=4))
check("chunks", [len(c) for c in chunks], [4, 4, 2])
check("chunk values", np.concatenate([c["id"].to_numpy() for c in chunks]).tolist(),
      list(range(1, 11)))
# to_sql: pandas checks for the table, creates it with SQLAlchemy's DDL and inserts the rows
# with executemany; "replace" drops and re-creates it. A schema of its own keeps the other
# checks' view of conformance unchanged.
with engine.begin() as conn:
    conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS pandas_check"))
out = pd.DataFrame({"id": [1, 2, 3], "name": ["a", "b", None], "x": [1.5, None, 3.25],
                    "ok": [True, False, True],
                    "t": [pd.Timestamp("2024-01-01 10:00"), pd.Timestamp("2024-01-02"), pd.NaT]})
out.to_sql("frame", engine, schema="pandas_check", index=False, if_exists="replace")
out.to_sql("frame", engine, schema="pandas_check", index=False, if_exists="replace")
out.iloc[:1].to_sql("frame", engine, schema="pandas_check", index=False, if_exists="append")
back = pd.read_sql("select * from pandas_check.frame order by id, name", engine)
check("to_sql rows", len(back), 4)
check("to_sql dtypes", [str(t) for t in back.dtypes], ["int64", "object", "float64", "bool", "datetime64[ns]"])
check("to_sql names", back["name"].tolist(), ["a", "a", "b", None])
check("to_sql NaN", bool(pd.isna(back.loc[2, "x"])), True)
check("to_sql NaT", bool(pd.isna(back.loc[3, "t"])), True)
with engine.begin() as conn:
    conn.execute(sa.text("DROP TABLE pandas_check.frame"))
    conn.execute(sa.text("DROP SCHEMA pandas_check"))
print("pandas: ok")
