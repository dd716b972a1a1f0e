package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The end-to-end tests build the real binary, start `quarry serve` on free ports with a
// fresh root folder, and drive it with the pgx client and with psql.

var quarryBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "quarry-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	quarryBin = filepath.Join(dir, "quarry")
	out, err := exec.Command("go", "build", "-o", quarryBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building quarry: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const testPassword = "e2e-secret"

type server struct {
	cmd    *exec.Cmd
	pgAddr string
	root   string
	done   chan error
}

// startServer runs `quarry serve` on root with free ports and waits until it listens.
func startServer(t *testing.T, root string, extra ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--root", root, "--pg-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--log-level", "warn"}, extra...)
	cmd := exec.Command(quarryBin, args...)
	cmd.Env = append(os.Environ(), "QUARRY_ADMIN_PASSWORD="+testPassword)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, root: root, done: make(chan error, 1)}
	addrs := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`PostgreSQL protocol on (\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addrs <- m[1]
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	select {
	case s.pgAddr = <-addrs:
	case err := <-s.done:
		t.Fatalf("quarry serve exited before listening: %v", err)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("quarry serve did not start within 60s")
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop sends SIGINT and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("quarry serve did not exit cleanly: %v", err)
		}
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		t.Error("quarry serve did not stop within 20s of SIGINT")
	}
}

func (s *server) connString(password string) string {
	host, port, _ := strings.Cut(s.pgAddr, ":")
	return fmt.Sprintf("host=%s port=%s user=admin password=%s dbname=quarry sslmode=disable", host, port, password)
}

func (s *server) connect(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(s.connString(testPassword))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// pgErr runs sql and returns the server's error.
func pgErr(t *testing.T, c *pgx.Conn, sql string) *pgconn.PgError {
	t.Helper()
	rows, err := c.Query(context.Background(), sql)
	if err == nil {
		for rows.Next() {
		}
		rows.Close()
		err = rows.Err()
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("%s: want a server error, got %v", sql, err)
	}
	return pe
}

func errorsAs(err error, target any) bool { return err != nil && errors.As(err, target) }

func asPgError(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	ok := errors.As(err, &pe)
	return pe, ok
}
