// The pgJDBC conformance walk: what DBeaver does on connect and while browsing, through the
// real pgJDBC driver, with every result checked against the fixture (scripts/clients/fixture.sql).
// Then it replays DBeaver's and Metabase's own introspection SQL (dbeaver.sql, metabase.sql).
//
//   java -cp /usr/share/java/postgresql.jar Walk.java [dir-of-sql-files]
//
// Connection settings come from PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE. Every step
// runs even when an earlier one failed, so one run lists every gap; the exit status is 1 if any
// step failed.

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.*;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.*;
import java.util.regex.Pattern;

public class Walk {
    // The fixture's conformance.items rows (id, name, price, qty, weight, active, added, updated).
    record Item(int id, String name, String price, long qty, double weight, boolean active, String added, String updated) {}

    static final List<Item> ITEMS = List.of(
        new Item(1, "anvil", "19.99", 3, 12.5, true, "2024-01-15", "2024-01-15T10:30:00"),
        new Item(2, "bucket", "4.50", 10, 0.75, true, "2024-02-01", "2024-02-01T08:00:00"),
        new Item(3, "chisel", "7.25", 0, 0.3, false, "2024-03-10", "2024-03-10T17:45:30.5"),
        new Item(4, "drill", "89.00", 2, 1.8, true, "2024-04-22", "2024-04-22T12:00:00"),
        new Item(5, "easel", "35.10", 1, 4.2, false, null, null),
        new Item(6, "file", "3.99", 25, 0.1, true, "2024-06-30", "2024-06-30T23:59:59"),
        new Item(7, "gauge", "12.00", 4, 0.2, true, "2024-07-04", "2024-07-04T09:15:00"),
        new Item(8, "hammer", "15.49", 7, 0.9, true, "2024-08-08", "2024-08-08T14:20:10"),
        new Item(9, "inkpad", "2.25", 30, 0.05, false, "2024-09-09", "2024-09-09T07:07:07"),
        new Item(10, "jigsaw", "59.95", 3, 2.4, true, "2024-10-31", "2024-10-31T18:30:00"));

    static final List<String> failures = new ArrayList<>();
    static String url, user, password;

    interface Step { void run() throws Exception; }

    static void step(String name, Step s) {
        try {
            s.run();
            System.out.println("   ok   " + name);
        } catch (SQLException e) {
            String msg = name + ": SQLException [" + e.getSQLState() + "] " + e.getMessage();
            failures.add(msg);
            System.out.println("   FAIL " + msg);
        } catch (Throwable e) {
            String msg = name + ": " + e.getMessage();
            failures.add(msg);
            System.out.println("   FAIL " + msg);
        }
    }

    static void check(boolean ok, String fmt, Object... args) {
        if (!ok) throw new AssertionError(String.format(fmt, args));
    }

    static Connection connect(String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "10");
        if (extra != null) {
            for (String kv : extra.split("&")) {
                String[] f = kv.split("=", 2);
                p.setProperty(f[0], f[1]);
            }
        }
        return DriverManager.getConnection(url, p);
    }

    static List<List<String>> rows(ResultSet rs) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> r = new ArrayList<>();
            for (int i = 1; i <= n; i++) r.add(rs.getString(i));
            out.add(r);
        }
        rs.close();
        return out;
    }

    static Set<String> column(ResultSet rs, String col) throws SQLException {
        Set<String> out = new TreeSet<>();
        while (rs.next()) out.add(rs.getString(col));
        rs.close();
        return out;
    }

    public static void main(String[] args) throws Exception {
        String host = env("PGHOST", "127.0.0.1"), port = env("PGPORT", "5432");
        String db = env("PGDATABASE", "quarry");
        user = env("PGUSER", "admin");
        password = env("PGPASSWORD", "");
        url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
        Path sqlDir = Path.of(args.length > 0 ? args[0] : "scripts/clients/jdbc");

        Connection c;
        try {
            // DBeaver's own settings: it names itself and keeps pgJDBC's defaults otherwise
            // (extended protocol, prepareThreshold=5, binary transfer).
            c = connect("ApplicationName=DBeaver 25.1.5 - Main");
        } catch (SQLException e) {
            System.out.println("connect: [" + e.getSQLState() + "] " + e.getMessage());
            System.exit(1);
            return;
        }
        DatabaseMetaData md = c.getMetaData();

        step("product name and version", () -> {
            check("PostgreSQL".equals(md.getDatabaseProductName()), "product name %s", md.getDatabaseProductName());
            String v = md.getDatabaseProductVersion();
            check(v != null && v.startsWith("15."), "product version %s", v);
            check(md.getDatabaseMajorVersion() == 15, "major version %d", md.getDatabaseMajorVersion());
            check(md.getDriverName().contains("PostgreSQL"), "driver %s", md.getDriverName());
        });
        step("getCatalogs", () -> {
            Set<String> cats = column(md.getCatalogs(), "TABLE_CAT");
            check(cats.contains(db), "catalogs %s lack %s", cats, db);
        });
        step("getSchemas", () -> {
            Set<String> s = column(md.getSchemas(), "TABLE_SCHEM");
            check(s.containsAll(List.of("conformance", "demo", "pg_catalog", "information_schema")), "schemas %s", s);
            Set<String> f = column(md.getSchemas(null, "conf%"), "TABLE_SCHEM");
            check(f.equals(Set.of("conformance")), "schemas like conf%%: %s", f);
        });
        step("getTableTypes", () -> {
            Set<String> t = column(md.getTableTypes(), "TABLE_TYPE");
            check(t.contains("TABLE") && t.contains("VIEW"), "table types %s", t);
        });
        step("getTables", () -> {
            Map<String, String> got = new TreeMap<>();
            ResultSet rs = md.getTables(null, "%", "%", new String[] {"TABLE", "VIEW"});
            while (rs.next()) {
                if ("conformance".equals(rs.getString("TABLE_SCHEM"))) got.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
            }
            rs.close();
            Map<String, String> want = Map.of("items", "TABLE", "events", "TABLE", "active_items", "VIEW");
            check(got.equals(new TreeMap<>(want)), "conformance tables %s, want %s", got, want);
            Set<String> demo = column(md.getTables(null, "demo", "%", new String[] {"TABLE"}), "TABLE_NAME");
            check(demo.contains("orders"), "demo tables %s", demo);
            Set<String> one = column(md.getTables(null, "conformance", "it%", null), "TABLE_NAME");
            check(one.equals(Set.of("items")), "tables like it%%: %s", one);
        });

        // name -> {JDBC type, TYPE_NAME, COLUMN_SIZE or -1, DECIMAL_DIGITS or -1}
        Map<String, Object[][]> wantCols = new LinkedHashMap<>();
        wantCols.put("items", new Object[][] {
            {"id", Types.INTEGER, "int4", 10, 0}, {"name", Types.VARCHAR, "varchar", 40, -1},
            {"price", Types.NUMERIC, "numeric", 10, 2}, {"qty", Types.BIGINT, "int8", 19, 0},
            {"weight", Types.DOUBLE, "float8", 17, 17}, {"active", Types.BIT, "bool", 1, -1},
            {"added", Types.DATE, "date", 13, -1}, {"updated", Types.TIMESTAMP, "timestamp", 29, 6},
            {"note", Types.VARCHAR, "text", -1, -1}});
        wantCols.put("events", new Object[][] {
            {"id", Types.BIGINT, "int8", 19, 0}, {"item_id", Types.INTEGER, "int4", 10, 0},
            {"at", Types.TIMESTAMP, "timestamp", 29, 6}, {"kind", Types.VARCHAR, "varchar", 20, -1},
            {"amount", Types.NUMERIC, "numeric", 12, 2}});
        wantCols.put("active_items", new Object[][] {
            {"id", Types.INTEGER, "int4", 10, 0}, {"name", Types.VARCHAR, "varchar", 40, -1},
            {"price", Types.NUMERIC, "numeric", 10, 2}});
        for (var e : wantCols.entrySet()) {
            String table = e.getKey();
            step("getColumns " + table, () -> {
                ResultSet rs = md.getColumns(null, "conformance", table, "%");
                List<String> problems = new ArrayList<>();
                int i = 0;
                while (rs.next()) {
                    if (i >= e.getValue().length) { problems.add("extra column " + rs.getString("COLUMN_NAME")); continue; }
                    Object[] w = e.getValue()[i++];
                    String name = rs.getString("COLUMN_NAME");
                    int type = rs.getInt("DATA_TYPE");
                    String tname = rs.getString("TYPE_NAME");
                    int size = rs.getInt("COLUMN_SIZE");
                    int digits = rs.getInt("DECIMAL_DIGITS");
                    boolean digitsNull = rs.wasNull();
                    int pos = rs.getInt("ORDINAL_POSITION");
                    if (!w[0].equals(name)) problems.add("column " + i + " is " + name + ", want " + w[0]);
                    boolean typeOK = type == (int) w[1] || ((int) w[1] == Types.BIT && type == Types.BOOLEAN);
                    if (!typeOK) problems.add(name + " DATA_TYPE " + type + ", want " + w[1]);
                    if (!w[2].equals(tname)) problems.add(name + " TYPE_NAME " + tname + ", want " + w[2]);
                    if ((int) w[3] >= 0 && size != (int) w[3]) problems.add(name + " COLUMN_SIZE " + size + ", want " + w[3]);
                    if ((int) w[4] >= 0 && (digitsNull || digits != (int) w[4])) problems.add(name + " DECIMAL_DIGITS " + (digitsNull ? "null" : digits) + ", want " + w[4]);
                    if (pos != i) problems.add(name + " ORDINAL_POSITION " + pos + ", want " + i);
                    if (!"conformance".equals(rs.getString("TABLE_SCHEM")) || !table.equals(rs.getString("TABLE_NAME")))
                        problems.add(name + " in " + rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
                }
                rs.close();
                if (i < e.getValue().length) problems.add("got " + i + " columns, want " + e.getValue().length);
                check(problems.isEmpty(), "%s", problems);
            });
            step("keys and indexes " + table, () -> {
                // Quarry tables have no keys or indexes: the calls must answer, empty.
                check(rows(md.getPrimaryKeys(null, "conformance", table)).isEmpty(), "primary keys");
                check(rows(md.getImportedKeys(null, "conformance", table)).isEmpty(), "imported keys");
                check(rows(md.getExportedKeys(null, "conformance", table)).isEmpty(), "exported keys");
                check(rows(md.getIndexInfo(null, "conformance", table, false, true)).isEmpty(), "index info");
                rows(md.getBestRowIdentifier(null, "conformance", table, DatabaseMetaData.bestRowSession, true));
                rows(md.getTablePrivileges(null, "conformance", table));
            });
        }
        step("getTypeInfo", () -> {
            Set<String> t = column(md.getTypeInfo(), "TYPE_NAME");
            check(t.containsAll(List.of("int4", "int8", "varchar", "text", "numeric", "bool", "date", "timestamp", "float8")), "type info %s", t);
        });
        step("getFunctions and getProcedures", () -> {
            rows(md.getFunctions(null, "pg_catalog", "%"));
            rows(md.getFunctions(null, "conformance", "%"));
            rows(md.getProcedures(null, "conformance", "%"));
            rows(md.getFunctionColumns(null, "pg_catalog", "abs", "%"));
        });
        step("getSQLKeywords and friends", () -> {
            // DBeaver's dialect calls this on connect; pgJDBC answers with pg_get_keywords().
            String kw = md.getSQLKeywords();
            check(kw != null && !kw.isEmpty(), "SQL keywords empty");
            check(md.getMaxColumnNameLength() == 63, "max column name length %d", md.getMaxColumnNameLength());
            check(md.getIdentifierQuoteString().equals("\""), "quote string");
            check(md.getURL().startsWith("jdbc:postgresql:"), "url");
            check(user.equals(md.getUserName()), "user name %s", md.getUserName());
        });

        step("prepared statement x8 (crosses prepareThreshold)", () -> {
            Object[][] runs = {{0, "%"}, {5, "%"}, {0, "a%"}, {2, "%e%"}, {8, "%"}, {1, "%l"}, {3, "_r%"}, {10, "%"}};
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, price FROM conformance.items WHERE id > ? AND name LIKE ? ORDER BY id")) {
                for (Object[] r : runs) {
                    int min = (int) r[0];
                    String like = (String) r[1];
                    ps.setInt(1, min);
                    ps.setString(2, like);
                    List<String> got = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) got.add(rs.getInt(1) + ":" + rs.getString(2) + ":" + rs.getBigDecimal(3).toPlainString());
                    }
                    Pattern p = likePattern(like);
                    List<String> want = new ArrayList<>();
                    for (Item it : ITEMS) if (it.id > min && p.matcher(it.name).matches()) want.add(it.id + ":" + it.name + ":" + it.price);
                    check(got.equals(want), "id > %d AND name LIKE '%s': got %s, want %s", min, like, got, want);
                }
            }
        });
        step("typed parameters (timestamp, date, numeric, boolean, bigint, double)", () -> {
            String sql = "SELECT id, qty, weight, added, updated FROM conformance.items WHERE updated >= ? AND added < ? AND price > ? AND active = ? AND qty < ? AND weight > ? ORDER BY id";
            Object[][] runs = {
                {"2024-01-01T00:00:00", "2024-12-31", "5.00", true, 100L, 0.0},
                {"2024-03-01T00:00:00", "2024-09-01", "10", true, 10L, 0.15},
                {"2024-01-01T00:00:00", "2025-01-01", "0", false, 1000L, 0.01},
                {"2024-06-30T23:59:59", "2024-12-31", "3.99", true, 30L, 0.0},
                {"2025-01-01T00:00:00", "2026-01-01", "0", true, 100L, 0.0},
                {"2024-01-15T10:30:00", "2024-08-09", "15.49", true, 8L, 0.5},
                {"2024-01-01T00:00:00", "2024-12-31", "1.5", true, 5L, 1.0}};
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] r : runs) {
                    LocalDateTime ts = LocalDateTime.parse((String) r[0]);
                    LocalDate d = LocalDate.parse((String) r[1]);
                    BigDecimal price = new BigDecimal((String) r[2]);
                    ps.setTimestamp(1, Timestamp.valueOf(ts));
                    ps.setDate(2, java.sql.Date.valueOf(d));
                    ps.setBigDecimal(3, price);
                    ps.setBoolean(4, (boolean) r[3]);
                    ps.setLong(5, (long) r[4]);
                    ps.setDouble(6, (double) r[5]);
                    List<String> got = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            got.add(rs.getInt(1) + ":" + rs.getLong(2) + ":" + rs.getDouble(3) + ":" + rs.getDate(4).toLocalDate()
                                + ":" + rs.getTimestamp(5).toLocalDateTime());
                        }
                    }
                    List<String> want = new ArrayList<>();
                    for (Item it : ITEMS) {
                        if (it.updated == null || it.added == null) continue;
                        LocalDateTime u = LocalDateTime.parse(it.updated);
                        LocalDate a = LocalDate.parse(it.added);
                        if (!u.isBefore(ts) && a.isBefore(d) && new BigDecimal(it.price).compareTo(price) > 0 && it.active == (boolean) r[3]
                            && it.qty < (long) r[4] && it.weight > (double) r[5])
                            want.add(it.id + ":" + it.qty + ":" + it.weight + ":" + a + ":" + u);
                    }
                    check(got.equals(want), "params %s: got %s, want %s", Arrays.toString(r), got, want);
                }
            }
        });
        step("expressions over parameters", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1, ? || 'x', CAST(? AS numeric(10,2)) * 2, ?::date + 1")) {
                for (int i = 0; i < 7; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    ps.setBigDecimal(3, new BigDecimal("1.25"));
                    ps.setDate(4, java.sql.Date.valueOf(LocalDate.of(2024, 2, 28)));
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next(), "no row");
                        check(rs.getInt(1) == i + 1, "int %d", rs.getInt(1));
                        check(rs.getString(2).equals("v" + i + "x"), "text %s", rs.getString(2));
                        check(rs.getBigDecimal(3).compareTo(new BigDecimal("2.50")) == 0, "numeric %s", rs.getBigDecimal(3));
                        check(rs.getDate(4).toLocalDate().equals(LocalDate.of(2024, 2, 29)), "date %s", rs.getDate(4));
                    }
                }
            }
        });
        step("ResultSetMetaData of SELECT * FROM conformance.items", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM conformance.items ORDER BY id")) {
                ResultSetMetaData m = rs.getMetaData();
                String[][] want = {{"id", "int4"}, {"name", "varchar"}, {"price", "numeric"}, {"qty", "int8"}, {"weight", "float8"},
                    {"active", "bool"}, {"added", "date"}, {"updated", "timestamp"}, {"note", "text"}};
                check(m.getColumnCount() == want.length, "column count %d", m.getColumnCount());
                List<String> problems = new ArrayList<>();
                for (int i = 1; i <= want.length; i++) {
                    if (!want[i - 1][0].equals(m.getColumnName(i))) problems.add("name " + i + " " + m.getColumnName(i));
                    if (!want[i - 1][0].equals(m.getColumnLabel(i))) problems.add("label " + i + " " + m.getColumnLabel(i));
                    if (!want[i - 1][1].equals(m.getColumnTypeName(i))) problems.add(want[i - 1][0] + " type " + m.getColumnTypeName(i));
                    if (!"items".equals(m.getTableName(i))) problems.add(want[i - 1][0] + " table '" + m.getTableName(i) + "'");
                    String schema = m.unwrap(org.postgresql.PGResultSetMetaData.class).getBaseSchemaName(i);
                    if (!"conformance".equals(schema)) problems.add(want[i - 1][0] + " base schema '" + schema + "'");
                    if (m.isNullable(i) != ResultSetMetaData.columnNullable) problems.add(want[i - 1][0] + " nullable " + m.isNullable(i));
                    if (m.isAutoIncrement(i)) problems.add(want[i - 1][0] + " autoincrement");
                }
                if (m.getPrecision(3) != 10 || m.getScale(3) != 2) problems.add("price precision/scale " + m.getPrecision(3) + "/" + m.getScale(3));
                if (m.getPrecision(2) != 40) problems.add("name precision " + m.getPrecision(2));
                if (m.getColumnType(6) != Types.BIT && m.getColumnType(6) != Types.BOOLEAN) problems.add("active type " + m.getColumnType(6));
                check(problems.isEmpty(), "%s", problems);
                int n = 0;
                while (rs.next()) {
                    Item it = ITEMS.get(n++);
                    check(rs.getInt("id") == it.id && rs.getString("name").equals(it.name)
                        && rs.getBigDecimal("price").compareTo(new BigDecimal(it.price)) == 0 && rs.getBoolean("active") == it.active,
                        "row %d: %d %s %s", n, rs.getInt("id"), rs.getString("name"), rs.getBigDecimal("price"));
                }
                check(n == ITEMS.size(), "rows %d", n);
            }
        });
        step("ResultSetMetaData of an expression and a view", () -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) AS n, max(name) FROM conformance.active_items")) {
                ResultSetMetaData m = rs.getMetaData();
                check(m.getColumnName(1).equals("n") && m.getColumnTypeName(1).equals("int8"), "count column %s %s", m.getColumnName(1), m.getColumnTypeName(1));
                check(m.getTableName(1).equals(""), "expression table '%s'", m.getTableName(1));
                check(rs.next() && rs.getLong(1) == 7 && rs.getString(2).equals("jigsaw"), "view aggregate");
            }
        });
        step("fetchSize 3 over demo.orders (autocommit off, named portal)", () -> {
            long want;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM demo.orders")) {
                rs.next();
                want = rs.getLong(1);
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(3);
                long n = 0, sum = 0;
                try (ResultSet rs = st.executeQuery("SELECT order_id FROM demo.orders")) {
                    while (rs.next()) { n++; sum += rs.getLong(1); }
                }
                check(n == want && want > 0, "fetched %d rows, count(*) says %d", n, want);
                try (ResultSet rs = st.executeQuery("SELECT sum(order_id) FROM demo.orders")) {
                    rs.next();
                    check(rs.getLong(1) == sum, "sum %d vs fetched %d", rs.getLong(1), sum);
                }
            } finally {
                c.commit();
                c.setAutoCommit(true);
            }
        });
        step("isValid", () -> check(c.isValid(2), "isValid(2) false"));
        step("Statement.cancel of a long query", () -> {
            try (Statement st = c.createStatement()) {
                Thread t = new Thread(() -> {
                    try { Thread.sleep(1500); st.cancel(); } catch (Exception ignored) { }
                });
                t.start();
                long start = System.nanoTime();
                try {
                    st.executeQuery("SELECT count(*) FROM demo.orders a, demo.orders b, demo.customers c WHERE a.total + b.total < c.customer_id");
                    throw new AssertionError("the query finished instead of being cancelled");
                } catch (SQLException e) {
                    check("57014".equals(e.getSQLState()), "SQLState %s: %s", e.getSQLState(), e.getMessage());
                }
                t.join();
                double secs = (System.nanoTime() - start) / 1e9;
                check(secs < 20, "cancel took %.1fs", secs);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                check(rs.next() && rs.getInt(1) == 1, "connection unusable after cancel");
            }
        });
        step("failed statement in a transaction, rollback", () -> {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM conformance.items")) { rs.next(); }
                try {
                    st.executeQuery("SELECT * FROM conformance.no_such_table");
                    throw new AssertionError("no error for a missing table");
                } catch (SQLException e) {
                    check("42P01".equals(e.getSQLState()), "missing table SQLState %s", e.getSQLState());
                }
                try {
                    st.executeQuery("SELECT 1");
                    throw new AssertionError("statement after an error ran in the aborted transaction");
                } catch (SQLException e) {
                    check("25P02".equals(e.getSQLState()), "aborted transaction SQLState %s", e.getSQLState());
                }
                c.rollback();
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM conformance.items")) {
                    check(rs.next() && rs.getInt(1) == 10, "count after rollback");
                }
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 2")) {
                check(rs.next() && rs.getInt(1) == 2, "autocommit statement after rollback");
            }
        });

        Corpus.run(c, sqlDir.resolve("dbeaver.sql"), "dbeaver");
        c.close();
        // Metabase sets prepareThreshold=0 in its connection options: never server-prepared.
        try (Connection mb = connect("prepareThreshold=0&ApplicationName=Metabase v0.55.1")) {
            Corpus.run(mb, sqlDir.resolve("metabase.sql"), "metabase");
        }

        if (!failures.isEmpty()) {
            System.out.println(failures.size() + " JDBC check(s) failed:");
            for (String f : failures) System.out.println("  - " + f);
            System.exit(1);
        }
        System.out.println("all JDBC checks passed");
    }

    static String env(String k, String def) {
        String v = System.getenv(k);
        return v == null || v.isEmpty() ? def : v;
    }

    // likePattern turns a LIKE pattern into a regex (no escapes in these tests).
    static Pattern likePattern(String like) {
        StringBuilder b = new StringBuilder();
        for (char ch : like.toCharArray()) {
            if (ch == '%') b.append(".*");
            else if (ch == '_') b.append('.');
            else b.append(Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }

    // Corpus replays a file of captured client SQL. Entries are separated by "-- name:" lines;
    // the lines after it until the next entry are:
    //   -- source: where the statement comes from (documentation only)
    //   -- bind: how to fill the ? parameters, comma separated: nsp:NAME (the OID of schema
    //            NAME, bound with setLong), rel:SCHEMA.TABLE (a table's OID, setLong),
    //            str:TEXT (setString), int:N (setInt), long:N (setLong). Without a bind line
    //            the statement runs as a plain Statement (DBeaver's and Metabase's
    //            createStatement path), with one it runs as a PreparedStatement.
    //   -- expect: checks on the result, comma separated: rows>=N, rows=N, has:TEXT (some cell
    //            equals TEXT), cols>=N.
    //   anything else: the SQL text (other "--" lines are comments kept out of it).
    static class Corpus {
        static void run(Connection c, Path file, String tool) throws Exception {
            List<String> lines = Files.readAllLines(file);
            String name = null, bind = null, expect = null;
            StringBuilder sql = new StringBuilder();
            List<Object[]> entries = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("-- name:")) {
                    if (name != null) entries.add(new Object[] {name, sql.toString().trim(), bind, expect});
                    name = line.substring(8).trim();
                    sql = new StringBuilder();
                    bind = null;
                    expect = null;
                } else if (line.startsWith("-- bind:")) {
                    bind = line.substring(8).trim();
                } else if (line.startsWith("-- expect:")) {
                    expect = line.substring(10).trim();
                } else if (line.startsWith("--")) {
                    // source lines and comments
                } else if (name != null) {
                    sql.append(line).append('\n');
                }
            }
            if (name != null) entries.add(new Object[] {name, sql.toString().trim(), bind, expect});
            check(!entries.isEmpty(), "%s has no entries", file);
            for (Object[] e : entries) {
                String q = (String) e[1];
                step(tool + ": " + e[0], () -> {
                    List<List<String>> rs;
                    if (e[2] == null) {
                        try (Statement st = c.createStatement()) {
                            rs = st.execute(q) ? rows(st.getResultSet()) : List.of();
                        }
                    } else {
                        try (PreparedStatement ps = c.prepareStatement(q)) {
                            bindParams(c, ps, (String) e[2]);
                            rs = ps.execute() ? rows(ps.getResultSet()) : List.of();
                        }
                    }
                    if (e[3] != null) expectResult(rs, (String) e[3]);
                });
            }
        }

        static void bindParams(Connection c, PreparedStatement ps, String spec) throws SQLException {
            int i = 1;
            for (String b : spec.split(",")) {
                b = b.trim();
                if (b.isEmpty()) continue;
                String kind = b.substring(0, b.indexOf(':')), v = b.substring(b.indexOf(':') + 1);
                switch (kind) {
                    case "nsp" -> ps.setLong(i, oid(c, "SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = '" + v + "'"));
                    case "rel" -> {
                        String[] f = v.split("\\.");
                        ps.setLong(i, oid(c, "SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
                            + f[0] + "' AND c.relname = '" + f[1] + "'"));
                    }
                    case "str" -> ps.setString(i, v);
                    case "int" -> ps.setInt(i, Integer.parseInt(v));
                    case "long" -> ps.setLong(i, Long.parseLong(v));
                    default -> throw new IllegalArgumentException("bad bind " + b);
                }
                i++;
            }
        }

        static long oid(Connection c, String sql) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                check(rs.next(), "no OID for %s", sql);
                return rs.getLong(1);
            }
        }

        static void expectResult(List<List<String>> rs, String spec) {
            for (String x : spec.split(",")) {
                x = x.trim();
                if (x.startsWith("rows>=")) {
                    check(rs.size() >= Integer.parseInt(x.substring(6)), "%d rows, want %s", rs.size(), x);
                } else if (x.startsWith("rows=")) {
                    check(rs.size() == Integer.parseInt(x.substring(5)), "%d rows, want %s", rs.size(), x);
                } else if (x.startsWith("cols>=")) {
                    check(!rs.isEmpty() && rs.get(0).size() >= Integer.parseInt(x.substring(6)), "columns < %s", x.substring(6));
                } else if (x.startsWith("has:")) {
                    String v = x.substring(4);
                    boolean found = rs.stream().anyMatch(r -> r.contains(v));
                    check(found, "no cell equals '%s' in %d rows", v, rs.size());
                } else {
                    throw new IllegalArgumentException("bad expect " + x);
                }
            }
        }
    }
}
