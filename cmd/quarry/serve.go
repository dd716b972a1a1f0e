package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/httpapi"
	"github.com/quarrydb/quarry/pgwire"
)

func serve(ctx context.Context, args []string) error {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := loadConfig(fs, &c, args); err != nil {
		return err
	}
	log, err := newLogger(c.LogLevel)
	if err != nil {
		return err
	}
	inst, err := open(ctx, &c, log, true)
	if err != nil {
		return err
	}
	defer inst.Close()
	if inst.adminPW != "" {
		fmt.Printf("Created superuser \"admin\" with password: %s\n(shown once; set QUARRY_ADMIN_PASSWORD to choose it)\n", inst.adminPW)
	}

	pg := pgwire.NewServer(pgwire.Config{Addr: c.PGAddr, Logger: log, AuthMethod: c.AuthMethod}, pgwire.EngineBackend(inst.engine))
	pgAddr, err := pg.Listen()
	if err != nil {
		return fmt.Errorf("postgres listener: %w", err)
	}
	httpLn, err := net.Listen("tcp", c.HTTPAddr)
	if err != nil {
		pg.Close()
		return fmt.Errorf("http listener: %w", err)
	}
	hs := &http.Server{Handler: httpapi.New(inst.engine), ReadHeaderTimeout: 10 * time.Second}

	fmt.Printf("Quarry %s serving root %s\n", engine.Version, inst.root)
	fmt.Printf("PostgreSQL protocol on %s  (psql \"host=%s port=%d user=admin dbname=quarry\")\n", pgAddr, hostOf(pgAddr), portOf(pgAddr))
	fmt.Printf("HTTP on http://%s\n", httpLn.Addr())
	log.Info("serving", "pg", pgAddr.String(), "http", httpLn.Addr().String(), "root", inst.root)

	errc := make(chan error, 2)
	go func() { errc <- pg.Serve(ctx) }()
	go func() {
		if err := hs.Serve(httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err = <-errc:
		log.Error("server stopped", "err", err)
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hs.Shutdown(shutCtx)
	pg.Close()
	return err
}

func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	h, _, _ := net.SplitHostPort(a.String())
	return h
}

func portOf(a net.Addr) int {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.Port
	}
	return 0
}
