-- The SQL Grafana's PostgreSQL data source sends, replayed by grafana/main.go through pgx (the
-- driver Grafana >= 12.4 uses). Picker queries as the query editor builds them (captured by
-- datafusion-postgres' tests/grafana.rs); dashboard queries as they arrive after Grafana expands
-- the macros for a 2024-05-01 .. 2024-05-31 time range:
--   $__timeFilter(at)            at BETWEEN '2024-05-01T00:00:00Z' AND '2024-05-31T00:00:00Z'
--   $__timeGroupAlias(at, 1h)    floor(extract(epoch from at)/3600)*3600 AS "time"
--   $__timeEpoch(at)             extract(epoch from at) AS "time"
--   $__unixEpochFilter(x)        x >= 1714521600 AND x <= 1717113600
-- Each block: "-- name:" line, the SQL, then "-- expect:" and one comment line per row with the
-- columns separated by " | " (NULL for null; numbers in plain decimal, whatever their type;
-- timestamps in RFC 3339). "-- match: contains" lets other rows (the demo tables) come between
-- the expected ones, in order; "-- match: unordered" compares the rows as a set.

-- name: table picker
-- match: contains
SELECT
  CASE WHEN
        quote_ident(table_schema) IN (
        SELECT
          CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
        FROM
          generate_series(
            array_lower(string_to_array(current_setting('search_path'),','),1),
            array_upper(string_to_array(current_setting('search_path'),','),1)
          ) as i,
          string_to_array(current_setting('search_path'),',') s
        )
    THEN quote_ident(table_name)
    ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
  END AS "table"
  FROM information_schema.tables
  WHERE quote_ident(table_schema) NOT IN ('information_schema',
                           'pg_catalog',
                           '_timescaledb_cache',
                           '_timescaledb_catalog',
                           '_timescaledb_internal',
                           '_timescaledb_config',
                           'timescaledb_information',
                           'timescaledb_experimental')
  ORDER BY CASE WHEN
        quote_ident(table_schema) IN (
        SELECT
          CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
        FROM
          generate_series(
            array_lower(string_to_array(current_setting('search_path'),','),1),
            array_upper(string_to_array(current_setting('search_path'),','),1)
          ) as i,
          string_to_array(current_setting('search_path'),',') s
        ) THEN 0 ELSE 1 END, 1;
-- expect:
-- conformance.active_items
-- conformance.events
-- conformance.items

-- name: column picker (schema-qualified table)
-- match: unordered
SELECT quote_ident(column_name) AS "column", data_type AS "type"
  FROM information_schema.columns
  WHERE
    CASE WHEN array_length(parse_ident('conformance.items'),1) = 2
      THEN quote_ident(table_schema) = (parse_ident('conformance.items'))[1]
        AND quote_ident(table_name) = (parse_ident('conformance.items'))[2]
      ELSE quote_ident(table_name) = 'conformance.items'
        AND
        quote_ident(table_schema) IN (
        SELECT
          CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
        FROM
          generate_series(
            array_lower(string_to_array(current_setting('search_path'),','),1),
            array_upper(string_to_array(current_setting('search_path'),','),1)
          ) as i,
          string_to_array(current_setting('search_path'),',') s
        )
    END;
-- expect:
-- id | integer
-- name | character varying
-- price | numeric
-- qty | bigint
-- weight | double precision
-- active | boolean
-- added | date
-- updated | timestamp without time zone
-- note | text

-- name: column picker (table not on the search path)
SELECT quote_ident(column_name) AS "column", data_type AS "type"
  FROM information_schema.columns
  WHERE
    CASE WHEN array_length(parse_ident('events'),1) = 2
      THEN quote_ident(table_schema) = (parse_ident('events'))[1]
        AND quote_ident(table_name) = (parse_ident('events'))[2]
      ELSE quote_ident(table_name) = 'events'
        AND
        quote_ident(table_schema) IN (
        SELECT
          CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
        FROM
          generate_series(
            array_lower(string_to_array(current_setting('search_path'),','),1),
            array_upper(string_to_array(current_setting('search_path'),','),1)
          ) as i,
          string_to_array(current_setting('search_path'),',') s
        )
    END;
-- expect:

-- name: server version (data source settings)
SELECT current_setting('server_version_num')::int/100 AS version;
-- expect:
-- 1500

-- name: TimescaleDB probe (data source settings)
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb';
-- expect:

-- name: time series, $__timeGroupAlias + $__timeFilter
SELECT
  floor(extract(epoch from at)/3600)*3600 AS "time",
  kind AS metric,
  sum(amount) AS value
FROM conformance.events
WHERE
  at BETWEEN '2024-05-01T00:00:00Z' AND '2024-05-31T00:00:00Z'
GROUP BY 1, 2
ORDER BY 1, 2;
-- expect:
-- 1714557600 | sale | 19.99
-- 1714561200 | sale | 9
-- 1714640400 | return | -19.99
-- 1714748400 | sale | 89

-- name: time series by day, $__timeGroupAlias(at, 1d)
SELECT
  floor(extract(epoch from at)/86400)*86400 AS "time",
  count(*) AS "events",
  sum(amount) AS "net"
FROM conformance.events
WHERE
  at BETWEEN '2024-05-01T00:00:00Z' AND '2024-05-31T00:00:00Z'
GROUP BY 1
ORDER BY 1;
-- expect:
-- 1714521600 | 2 | 28.99
-- 1714608000 | 1 | -19.99
-- 1714694400 | 1 | 89

-- name: table panel, $__timeEpoch + $__timeFilter
SELECT
  extract(epoch from e.at) AS "time",
  i.name,
  e.amount
FROM conformance.events e JOIN conformance.items i ON i.id = e.item_id
WHERE
  e.at BETWEEN '2024-05-01T00:00:00Z' AND '2024-05-02T00:00:00Z'
ORDER BY 1;
-- expect:
-- 1714557600 | anvil | 19.99
-- 1714561200 | bucket | 9

-- name: raw time column, $__unixEpochFilter
SELECT at AS "time", kind, amount
FROM conformance.events
WHERE extract(epoch from at) >= 1714521600 AND extract(epoch from at) <= 1717113600
  AND kind IN ('sale')
ORDER BY at;
-- expect:
-- 2024-05-01T10:00:00Z | sale | 19.99
-- 2024-05-01T11:00:00Z | sale | 9
-- 2024-05-03T15:00:00Z | sale | 89

-- name: variable query
SELECT DISTINCT kind AS __text, kind AS __value FROM conformance.events ORDER BY 1;
-- expect:
-- return | return
-- sale | sale

-- name: $__timeFrom() / $__timeTo() as timestamptz literals, to_timestamp of the bucket
SELECT
  to_timestamp(floor(extract(epoch from at)/86400)*86400) AS "time",
  count(*) AS n
FROM conformance.events
WHERE at >= '2024-05-01T00:00:00Z'::timestamptz AND at < '2024-05-03T00:00:00Z'::timestamptz
GROUP BY 1
ORDER BY 1;
-- expect:
-- 2024-05-01T00:00:00Z | 2
-- 2024-05-02T00:00:00Z | 1
