"""Shared by the Python client checks: connection settings from the PG* environment."""
import os
import sys


def dsn():
    return dict(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
                user=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD", ""),
                dbname=os.environ["PGDATABASE"])


def sqlalchemy_url():
    from sqlalchemy.engine import URL
    d = dsn()
    return URL.create("postgresql+psycopg2", username=d["user"], password=d["password"],
                      host=d["host"], port=d["port"], database=d["dbname"])


def checker(prefix):
    def check(what, got, want):
        if got != want:
            sys.exit(f"{prefix}: {what}: got {got!r}, want {want!r}")
    return check
