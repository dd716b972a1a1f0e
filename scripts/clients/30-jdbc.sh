# pgJDBC, DBeaver and Metabase: the real pgJDBC driver walks the server the way DBeaver does on
# connect and while browsing (DatabaseMetaData, prepared statements past prepareThreshold in
# binary, ResultSetMetaData, fetch-size cursors, isValid, cancel, rollback), then replays
# DBeaver's and Metabase's own introspection SQL (jdbc/dbeaver.sql, jdbc/metabase.sql).
# Walk.java checks every answer against the fixture and exits non-zero on any wrong one.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
jdk=default-jdk-headless
if dpkg-query -W -f='${Status}' openjdk-17-jdk-headless 2>/dev/null | grep -q 'install ok installed'; then
  jdk=openjdk-17-jdk-headless
fi
need_apt libpostgresql-jdbc-java "$jdk"
# The single-file launcher compiles Walk.java in memory (Java 11+).
java -cp /usr/share/java/postgresql.jar jdbc/Walk.java jdbc
