package engine

import (
	"context"
	"log/slog"
	"runtime"
	"sync/atomic"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

// Version is Quarry's version; ServerVersion is the PostgreSQL version Quarry speaks as, the
// one clients parse from server_version and version().
const (
	Version       = "0.1.0"
	ServerVersion = "15.18"
	// DefaultCatalog is the data catalog name clients connect to (the connection's
	// database name).
	DefaultCatalog = "quarry"
	// DefaultDatabase is the Glue database unqualified names resolve in, as in Athena.
	DefaultDatabase = "default"
)

// Config assembles an engine from its parts.
type Config struct {
	Catalog catalog.Store
	Stores  *objstore.Registry
	Formats *formats.Registry
	Funcs   *function.Registry
	// Warehouse is the location under which managed tables are written.
	Warehouse string
	// Workers is the number of parallel scan workers per query (0: all cores).
	Workers int
	Logger  *slog.Logger
}

// Engine is one Quarry instance's query engine: catalog, object stores, formats, functions.
type Engine struct {
	cfg      Config
	log      *slog.Logger
	queryIDs atomic.Int64
}

// New returns an engine over the given parts.
func New(cfg Config) *Engine {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Formats != nil && cfg.Catalog != nil {
		cfg.Formats = cfg.Formats.With(systemFormat{store: cfg.Catalog}) // system_format.go
	}
	if cfg.Stores != nil {
		installSystemObjects(cfg.Stores, cfg.Logger)
	}
	return &Engine{cfg: cfg, log: cfg.Logger}
}

// Catalog returns the engine's catalog store.
func (e *Engine) Catalog() catalog.Store { return e.cfg.Catalog }

// LookupUser returns a user for authentication (catalog.ErrUserNotFound if none).
func (e *Engine) LookupUser(ctx context.Context, name string) (*catalog.User, error) {
	return e.cfg.Catalog.GetUser(ctx, name)
}

// NewSession starts a session for an authenticated user. database is the data catalog name
// the client asked for ("quarry"; an empty name means the default); another name is 3D000.
// params are the startup parameters (application_name, options, DateStyle, ...).
func (e *Engine) NewSession(ctx context.Context, user, database string, params map[string]string) (*Session, error) {
	if database == "" || database == user {
		// libpq defaults the database to the user name; treat that as the default catalog.
		database = DefaultCatalog
	}
	if database != DefaultCatalog {
		return nil, sqlerr.New(sqlerr.InvalidCatalogName, "database %q does not exist", database)
	}
	u, err := e.cfg.Catalog.GetUser(ctx, user)
	if err != nil {
		return nil, err
	}
	s := &Session{e: e, user: u, database: database, settings: defaultSettings(u)}
	for k, v := range params {
		switch k {
		case "user", "database", "options", "replication":
			continue
		}
		s.settings.setFromClient(k, v)
	}
	if opts := params["options"]; opts != "" {
		if err := s.settings.applyOptions(opts); err != nil {
			return nil, err
		}
	}
	return s, nil
}
