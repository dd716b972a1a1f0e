package sqllogictest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/quarrydb/quarry/sqlerr"
)

// Postgres is a DB over a PostgreSQL server, the reference Quarry's own scripts are checked
// against. Each Postgres works in a database of its own, created by OpenPostgres and dropped
// by Close.
type Postgres struct {
	admin *pgx.Conn
	conn  *pgx.Conn
	name  string
}

// OpenPostgres connects to the server at url (any database the user may create databases
// from) and creates a fresh database for one script.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	var b [6]byte
	rand.Read(b[:])
	name := "slt_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		return nil, err
	}
	cfg := admin.Config().Copy()
	cfg.Database = name
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		admin.Exec(ctx, "DROP DATABASE "+name)
		admin.Close(ctx)
		return nil, err
	}
	return &Postgres{admin: admin, conn: conn, name: name}, nil
}

// Exec runs sql with the simple query protocol, so every value comes back as the server's
// text output, as the engine's values are printed.
func (p *Postgres) Exec(ctx context.Context, sql string) (*Result, error) {
	rows, err := p.conn.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, pgError(err)
	}
	defer rows.Close()
	res := &Result{}
	if fds := rows.FieldDescriptions(); len(fds) > 0 {
		res.Columns = make([]string, len(fds))
		for i, fd := range fds {
			res.Columns[i] = fd.Name
		}
	}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]*string, len(raw))
		for i, v := range raw {
			if v != nil {
				s := string(v)
				row[i] = &s
			}
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, pgError(err)
	}
	if res.Columns == nil {
		res.Rows = nil
	}
	return res, nil
}

// Close drops the script's database.
func (p *Postgres) Close() error {
	ctx := context.Background()
	p.conn.Close(ctx)
	_, err := p.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+p.name+" WITH (FORCE)")
	p.admin.Close(ctx)
	return err
}

// pgError keeps the server's SQLSTATE, so `statement error` patterns see the same text on
// both sides.
func pgError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return sqlerr.New(pe.Code, "%s", pe.Message)
	}
	return fmt.Errorf("postgres: %w", err)
}
