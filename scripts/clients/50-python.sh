# Python clients from Debian's packages: psycopg2 (transactions, parameters, named cursors,
# errors), SQLAlchemy 1.4 (first connect, pool_pre_ping, the inspector) and pandas (read_sql,
# read_sql_table). They run with the Debian interpreter, where the packages are installed.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
need_apt python3-psycopg2 python3-sqlalchemy python3-pandas
cd python
for script in psycopg2_check.py sqlalchemy_check.py pandas_check.py; do
  "$PY" "$script"
done
