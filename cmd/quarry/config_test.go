package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Flags win over the environment, which wins over the config file, which wins over the
// defaults.
func TestConfigPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "quarry.conf")
	os.WriteFile(file, []byte("# comment\nroot = /from/file\npg-addr = 127.0.0.1:1111\nlog-level = warn\nworkers = 3\n"), 0o644)
	t.Setenv("QUARRY_PG_ADDR", "127.0.0.1:2222")
	t.Setenv("QUARRY_WORKERS", "5")
	var c config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	if err := loadConfig(fs, &c, []string{"--config", file, "--workers", "7"}); err != nil {
		t.Fatal(err)
	}
	if c.Root != "/from/file" || c.PGAddr != "127.0.0.1:2222" || c.LogLevel != "warn" || c.Workers != 7 || c.HTTPAddr != "127.0.0.1:8080" {
		t.Errorf("got %+v", c)
	}
}

func TestConfigErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(file, []byte("nosuch = 1\n"), 0o644)
	var c config
	if err := loadConfig(flag.NewFlagSet("t", flag.ContinueOnError), &c, []string{"--config", file}); err == nil {
		t.Error("an unknown setting in the config file was accepted")
	}
	t.Setenv("QUARRY_WORKERS", "many")
	if err := loadConfig(flag.NewFlagSet("t", flag.ContinueOnError), &c, nil); err == nil {
		t.Error("a malformed QUARRY_WORKERS was accepted")
	}
}
