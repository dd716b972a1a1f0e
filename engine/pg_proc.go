package engine

//go:generate go run ./internal/genpgproc

import (
	"context"
	"strconv"
	"strings"
	"sync"
)

// pgProcRow is one pg_proc row as PostgreSQL 15 has it (pg_proc.gen.go), plus what
// pg_get_function_result/arguments/identity_arguments print for it. Empty strings stand for
// NULL in the nullable array columns.
type pgProcRow struct {
	oid          int64
	name         string
	lang         int64
	cost, rows   float32
	variadic     int64
	support      int64
	kind         string
	secdef       bool
	leakproof    bool
	strict       bool
	retset       bool
	volatile     string
	parallel     string
	nargs        int16
	nargDefaults int16
	rettype      int64
	argTypes     string // oidvector text: "23 23"
	allArgTypes  string
	argModes     string
	argNames     string
	src          string
	result       string
	args         string
	identityArgs string
}

var procIndex = sync.OnceValue(func() map[int64]*pgProcRow {
	m := make(map[int64]*pgProcRow, len(pgProcRows))
	for i := range pgProcRows {
		m[pgProcRows[i].oid] = &pgProcRows[i]
	}
	return m
})

// procByOID returns the pg_proc row of an OID, or nil.
func procByOID(oid int64) *pgProcRow { return procIndex()[oid] }

// procsNamed returns the OIDs of the functions with a name.
func procsNamed(name string) []int64 {
	var out []int64
	for i := range pgProcRows {
		if pgProcRows[i].name == name {
			out = append(out, pgProcRows[i].oid)
		}
	}
	return out
}

func procRows(context.Context, *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(pgProcRows))
	for _, p := range pgProcRows {
		out = append(out, []any{p.oid, p.name, int64(oidPgCatalog), int64(oidBootstrapUser), p.lang,
			p.cost, p.rows, p.variadic, p.support, p.kind,
			p.secdef, p.leakproof, p.strict, p.retset,
			p.volatile, p.parallel, p.nargs, p.nargDefaults,
			p.rettype, p.argTypes, pgOIDArray(p.allArgTypes), pgTextArray(p.argModes),
			pgTextArray(p.argNames), nil, nil, p.src,
			nil, nil, nil, nil})
	}
	return out, nil
}

// procOID is the OID of the first pg_proc row with a name ('-' and unknown names are 0), for
// pg_type's regproc columns.
func procOID(name string) int64 {
	if oids := procsNamed(name); len(oids) > 0 {
		return oids[0]
	}
	return 0
}

// pgArray parses the text form of a one-dimensional array of simple elements ({23,25} or
// {i,o}); "" (NULL) gives nil.
func pgArray(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.Trim(p, `"`)
	}
	return parts
}

func pgOIDArray(s string) any {
	if s == "" {
		return nil
	}
	parts := pgArray(s)
	out := make([]int64, len(parts))
	for i, p := range parts {
		out[i], _ = strconv.ParseInt(p, 10, 64)
	}
	return out
}

func pgTextArray(s string) any {
	if s == "" {
		return nil
	}
	return pgArray(s)
}
