package main

import (
	"bufio"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// config is every setting of the quarry command. Each has a flag (--name), an environment
// variable (QUARRY_NAME, dashes as underscores) and a config-file key (name = value). Flags
// win over the environment, which wins over the file, which wins over the defaults.
type config struct {
	Root       string
	PGAddr     string
	HTTPAddr   string
	LogLevel   string
	Workers    int
	Config     string
	AuthMethod string
	NoDemo     bool
}

// settingDocs documents the settings (README and --help).
var settingDocs = []struct{ name, def, help string }{
	{"root", "./quarry-data", "folder for the catalog, caches and the warehouse of managed tables"},
	{"pg-addr", "127.0.0.1:5433", "address the PostgreSQL protocol listens on"},
	{"http-addr", "127.0.0.1:8080", "address the HTTP API listens on"},
	{"log-level", "info", "debug, info, warn or error"},
	{"workers", "0", "parallel scan workers per query (0: one per core)"},
	{"auth", "scram-sha-256", "client authentication: scram-sha-256, password (cleartext) or trust"},
	{"no-demo", "false", "do not create the demo database on first start"},
	{"config", "", "a file of `name = value` lines with any of these settings"},
}

func registerFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Root, "root", "./quarry-data", "")
	fs.StringVar(&c.PGAddr, "pg-addr", "127.0.0.1:5433", "")
	fs.StringVar(&c.HTTPAddr, "http-addr", "127.0.0.1:8080", "")
	fs.StringVar(&c.LogLevel, "log-level", "info", "")
	fs.IntVar(&c.Workers, "workers", 0, "")
	fs.StringVar(&c.AuthMethod, "auth", "scram-sha-256", "")
	fs.BoolVar(&c.NoDemo, "no-demo", false, "")
	fs.StringVar(&c.Config, "config", "", "")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage of quarry %s:\n", fs.Name())
		// The subcommand's own flags (query's -c, --format) are the ones with a usage text.
		fs.VisitAll(func(f *flag.Flag) {
			if f.Usage != "" {
				fmt.Fprintf(fs.Output(), "  -%-11s %s\n", f.Name, f.Usage)
			}
		})
		fmt.Fprintf(fs.Output(), "Settings:\n")
		for _, s := range settingDocs {
			fmt.Fprintf(fs.Output(), "  --%-10s %s (default %q; env QUARRY_%s)\n", s.name, s.help, s.def, strings.ToUpper(strings.ReplaceAll(s.name, "-", "_")))
		}
	}
}

// loadConfig parses args with the environment and config file underneath.
func loadConfig(fs *flag.FlagSet, c *config, args []string) error {
	registerFlags(fs, c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	path := c.Config
	if path == "" {
		path = os.Getenv("QUARRY_CONFIG")
	}
	values := map[string]string{}
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("config file: %w", err)
		}
		sc := bufio.NewScanner(f)
		line := 0
		for sc.Scan() {
			line++
			t := strings.TrimSpace(sc.Text())
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			k, v, ok := strings.Cut(t, "=")
			if !ok {
				f.Close()
				return fmt.Errorf("%s:%d: expected name = value", path, line)
			}
			k = strings.TrimSpace(k)
			if fs.Lookup(k) == nil {
				f.Close()
				return fmt.Errorf("%s:%d: unknown setting %q", path, line, k)
			}
			values[k] = strings.Trim(strings.TrimSpace(v), `"`)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || f.Name == "config" || err != nil {
			return
		}
		env := "QUARRY_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s: %w", env, e)
			}
			return
		}
		if v, ok := values[f.Name]; ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("config %s: %w", f.Name, e)
			}
		}
	})
	return err
}

func newLogger(level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("bad log level %q", level)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l})), nil
}
