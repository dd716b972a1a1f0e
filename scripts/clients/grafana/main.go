// Command grafana replays the SQL of Grafana's PostgreSQL data source (scripts/clients/grafana.sql)
// through pgx, the driver Grafana uses since 12.4, and compares each result with the rows the
// file expects. Every query runs twice: in pgx's default mode (named prepared statements, binary
// results) and over the simple protocol (text results, as lib/pq sent them for older Grafanas).
//
//	go run ./scripts/clients/grafana scripts/clients/grafana.sql
//
// The connection comes from the PG* environment variables.
package main

import (
	"bufio"
	"context"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// query is one block of the file.
type query struct {
	name  string
	sql   string
	match string // "", "contains" or "unordered"
	want  []string
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: grafana FILE.sql")
		os.Exit(2)
	}
	queries, err := parse(os.Args[1])
	if err != nil {
		fatalf("%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		cfg, err := pgx.ParseConfig("")
		if err != nil {
			fatalf("config: %v", err)
		}
		cfg.DefaultQueryExecMode = mode
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			fatalf("connect: %v", err)
		}
		// The data source's health check is a ping ("-- ping").
		if err := conn.Ping(ctx); err != nil {
			fatalf("ping: %v", err)
		}
		for _, q := range queries {
			got, err := run(ctx, conn, q.sql)
			if err != nil {
				fatalf("%s (%v): %v", q.name, mode, err)
			}
			if msg := compare(q, got); msg != "" {
				fatalf("%s (%v): %s\n got:\n  %s\n want:\n  %s", q.name, mode, msg,
					strings.Join(got, "\n  "), strings.Join(q.want, "\n  "))
			}
		}
		if err := conn.Close(ctx); err != nil {
			fatalf("close: %v", err)
		}
	}
	fmt.Printf("grafana: %d queries ok\n", len(queries))
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "grafana: "+format+"\n", args...)
	os.Exit(1)
}

// parse reads the blocks of the file: "-- name:", optional "-- match:", the SQL, "-- expect:"
// and the expected rows as comment lines.
func parse(path string) ([]query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []query
	var cur *query
	expecting := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "-- name:"):
			out = append(out, query{name: strings.TrimSpace(strings.TrimPrefix(line, "-- name:"))})
			cur, expecting = &out[len(out)-1], false
		case cur == nil:
			// The file's header comment.
		case strings.HasPrefix(line, "-- match:"):
			cur.match = strings.TrimSpace(strings.TrimPrefix(line, "-- match:"))
		case strings.HasPrefix(line, "-- expect:"):
			expecting = true
		case expecting && strings.HasPrefix(line, "-- "):
			cur.want = append(cur.want, strings.TrimPrefix(line, "-- "))
		case expecting:
			// A blank line ends the block.
		default:
			cur.sql += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].sql = strings.TrimSuffix(strings.TrimSpace(out[i].sql), ";")
		if out[i].sql == "" {
			return nil, fmt.Errorf("%s: no SQL", out[i].name)
		}
	}
	return out, nil
}

// run executes sql and renders each row as its columns joined by " | ".
func run(ctx context.Context, conn *pgx.Conn, sql string) ([]string, error) {
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = render(v)
		}
		out = append(out, strings.Join(cells, " | "))
	}
	return out, rows.Err()
}

// render writes a value the way the expected rows spell it: numbers in plain decimal whatever
// their SQL type (Grafana turns them all into float64 anyway), times in RFC 3339.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case pgtype.Numeric:
		return renderNumeric(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func renderNumeric(n pgtype.Numeric) string {
	switch {
	case !n.Valid:
		return "NULL"
	case n.NaN:
		return "NaN"
	case n.InfinityModifier != pgtype.Finite:
		return fmt.Sprint(n.InfinityModifier)
	}
	r := new(big.Rat).SetInt(n.Int)
	scale := 0
	if n.Exp > 0 {
		r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n.Exp)), nil)))
	} else if n.Exp < 0 {
		scale = int(-n.Exp)
		r.Quo(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	}
	s := r.FloatString(scale)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// compare returns why got does not match q's expected rows, or "".
func compare(q query, got []string) string {
	switch q.match {
	case "":
		if !slices.Equal(got, q.want) {
			return "rows differ"
		}
	case "unordered":
		g, w := slices.Clone(got), slices.Clone(q.want)
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			return "rows differ (in any order)"
		}
	case "contains":
		i := 0
		for _, row := range got {
			if i < len(q.want) && row == q.want[i] {
				i++
			}
		}
		if i < len(q.want) {
			return fmt.Sprintf("expected row %q missing or out of order", q.want[i])
		}
	default:
		return "unknown match mode " + q.match
	}
	return ""
}
