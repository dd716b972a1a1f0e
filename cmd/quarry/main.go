// Command quarry is Quarry's one binary: `quarry serve` runs the server, `quarry query`
// runs SQL in process on the same root folder, `quarry version` prints the version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/quarrydb/quarry/engine"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		var ee exitError
		if !errors.Is(err, flag.ErrHelp) && !errors.As(err, &ee) {
			fmt.Fprintln(os.Stderr, "quarry:", err)
		}
		os.Exit(exitCode(err))
	}
}

type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func exitCode(err error) int {
	var e exitError
	if errors.As(err, &e) {
		return e.code
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

const usage = `quarry: SQL over files in object storage.

Usage:
  quarry serve   [flags]            run the server (PostgreSQL protocol and HTTP)
  quarry query   [flags] SQL        run SQL in process on the same --root
                                    (SQL as arguments, with -c, or on standard input)
  quarry version                    print the version

Run 'quarry serve --help' for the settings.`

func run(args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		return exitError{2}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:])
	case "query":
		return query(ctx, args[1:])
	case "version", "--version":
		fmt.Printf("quarry %s (PostgreSQL %s protocol)\n", engine.Version, engine.ServerVersion)
		return nil
	case "help", "-h", "--help":
		fmt.Println(usage)
		return nil
	}
	fmt.Fprintln(os.Stderr, usage)
	return exitError{2}
}
