package function

import (
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// The session functions: who is connected, to what, with which settings. Their answers come
// from the statement's SessionInfo; they are Stable (one answer per statement) except
// set_config, which changes the session.

// addSessionFuncs registers the session functions.
func addSessionFuncs(r *Registry) {
	r.add(stable("version", bindConstText(versionText), "the server's version string, as PostgreSQL 15 prints it", "version() → text"))
	r.add(stable("current_user", bindConstText(func(s SessionInfo) string { return s.CurrentUser() }), "the user name of the session (also current_role, user)", "current_user → name"), "current_role", "user")
	r.add(stable("session_user", bindConstText(func(s SessionInfo) string { return s.SessionUser() }), "the user who connected", "session_user → name"))
	r.add(stable("current_database", bindConstText(func(s SessionInfo) string { return s.Database() }), "the data catalog the client connected to (also current_catalog)", "current_database() → name"), "current_catalog")
	r.add(stable("current_schema", bindCurrentSchema, "the first schema of the search path that exists", "current_schema() → name"))
	r.add(stable("current_schemas", bindCurrentSchemas, "the schemas of the search path that exist, with pg_catalog when include_implicit", "current_schemas(include_implicit boolean) → name[]"))
	r.add(stable("current_setting", bindCurrentSetting, "a run-time parameter's value; with missing_ok, NULL for an unknown one", "current_setting(name text[, missing_ok boolean]) → text"))
	r.add(&Func{Name: "set_config", Kind: ScalarKind, Volatility: Volatile, Bind: bindSetConfig, Doc: "set a run-time parameter (is_local is treated as the session)", Signatures: []string{"set_config(name text, value text, is_local boolean) → text"}})
	r.add(stable("pg_backend_pid", bindBackendPID, "the process id clients use in a cancel request", "pg_backend_pid() → integer"))
	r.add(stable("pg_is_in_recovery", bindConstBool(false), "false: Quarry is never a standby", "pg_is_in_recovery() → boolean"))
	r.add(&Func{Name: "txid_current", Kind: ScalarKind, Volatility: Volatile, Bind: bindTxid, Doc: "a new transaction number (Quarry's reads need no transactions; the number only grows)", Signatures: []string{"txid_current() → bigint"}})
	r.add(stable("inet_server_addr", bindConstNullText, "NULL: the server address is not exposed", "inet_server_addr() → text"))
}

// versionText is version(): PostgreSQL's format, which clients parse (SQLAlchemy's regex,
// DBeaver's fork detection), with Quarry in the place of the distribution.
func versionText(s SessionInfo) string {
	v, _ := s.Setting("server_version") // "15.18 (Quarry 0.1.0)"
	arch := runtime.GOARCH
	switch arch {
	case "amd64":
		arch = "x86_64"
	case "arm64":
		arch = "aarch64"
	}
	return "PostgreSQL " + v + " on " + arch + "-pc-" + runtime.GOOS + "-gnu, compiled by " + runtime.Version() + ", 64-bit"
}

// bindConstText binds a function of no arguments whose value comes from the session.
func bindConstText(f func(SessionInfo) string) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 0 {
			return Sig{}, false
		}
		return Sig{Ret: types.VarcharT, Kernel: func(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
			s, err := ctx.session("session function")
			if err != nil {
				return nil, err
			}
			v := f(s)
			return rowText(ctx, n, func(int) (string, bool, error) { return v, true, nil })
		}}, true
	}
}

func bindConstNullText(args []types.T) (Sig, bool) {
	if len(args) != 0 {
		return Sig{}, false
	}
	return Sig{Ret: types.VarcharT, Kernel: func(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
		return makeNulls(ctx.mem(), types.VarcharT.Arrow(), n), nil
	}}, true
}

func bindConstBool(v bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 0 {
			return Sig{}, false
		}
		return Sig{Ret: types.BoolT, Kernel: func(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
			return rowBool(ctx, n, func(int) (bool, bool, error) { return v, true, nil })
		}}, true
	}
}

func bindCurrentSchema(args []types.T) (Sig, bool) {
	if len(args) != 0 {
		return Sig{}, false
	}
	return Sig{Ret: types.VarcharT, Kernel: func(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
		s, err := ctx.session("current_schema")
		if err != nil {
			return nil, err
		}
		path := s.SearchPath(false)
		return rowText(ctx, n, func(int) (string, bool, error) {
			if len(path) == 0 {
				return "", false, nil
			}
			return path[0], true, nil
		})
	}}, true
}

func bindCurrentSchemas(args []types.T) (Sig, bool) {
	if len(args) != 1 {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.BoolT}, Ret: textArrayT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, err := ctx.session("current_schemas")
		if err != nil {
			return nil, err
		}
		withImplicit, without := s.SearchPath(true), s.SearchPath(false)
		return listRows(ctx, args, n, func(o *strListOut, i int) (bool, error) {
			implicit, _ := argBool(args[0], i)
			path := without
			if implicit {
				path = withImplicit
			}
			o.open()
			for _, p := range path {
				o.elem([]byte(p))
			}
			return false, nil
		})
	}}, true
}

func bindCurrentSetting(args []types.T) (Sig, bool) {
	switch len(args) {
	case 1:
		return Sig{Args: []types.T{types.VarcharT}, Ret: types.VarcharT, Strict: true, Kernel: currentSettingKernel}, true
	case 2:
		return Sig{Args: []types.T{types.VarcharT, types.BoolT}, Ret: types.VarcharT, Strict: true, Kernel: currentSettingKernel}, true
	}
	return Sig{}, false
}

func currentSettingKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	s, err := ctx.session("current_setting")
	if err != nil {
		return nil, err
	}
	return rowText(ctx, n, func(i int) (string, bool, error) {
		name, ok := argText(args[0], i)
		if !ok {
			return "", false, nil
		}
		missingOK := false
		if len(args) == 2 {
			var valid bool
			if missingOK, valid = argBool(args[1], i); !valid {
				return "", false, nil
			}
		}
		v, found := s.Setting(name)
		if !found {
			if missingOK {
				return "", false, nil
			}
			return "", false, sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
		}
		return v, true, nil
	})
}

func bindSetConfig(args []types.T) (Sig, bool) {
	if len(args) != 3 {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.VarcharT, types.VarcharT, types.BoolT}, Ret: types.VarcharT, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s, err := ctx.session("set_config")
		if err != nil {
			return nil, err
		}
		return rowText(ctx, n, func(i int) (string, bool, error) {
			name, ok := argText(args[0], i)
			if !ok {
				return "", false, sqlerr.New("22004", "SET requires parameter name")
			}
			value, _ := argText(args[1], i) // NULL resets, as in PostgreSQL; "" is our default
			local, _ := argBool(args[2], i)
			v, err := s.SetSetting(strings.ToLower(name), value, local)
			return v, err == nil, err
		})
	}}, true
}

func bindBackendPID(args []types.T) (Sig, bool) {
	if len(args) != 0 {
		return Sig{}, false
	}
	return Sig{Ret: types.Int32T, Kernel: func(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
		s, err := ctx.session("pg_backend_pid")
		if err != nil {
			return nil, err
		}
		pid := s.BackendPID()
		return rowInt32(ctx, n, func(int) (int32, bool, error) { return pid, true, nil })
	}}, true
}

// txidCounter hands out txid_current() values: increasing, starting where a fresh
// PostgreSQL cluster's first user transaction would be.
var txidCounter atomic.Int64

func bindTxid(args []types.T) (Sig, bool) {
	if len(args) != 0 {
		return Sig{}, false
	}
	return Sig{Ret: types.Int64T, Kernel: func(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
		v := 735 + txidCounter.Add(1)
		return rowInt64(ctx, n, func(int) (int64, bool, error) { return v, true, nil })
	}}, true
}
