// Package httpapi is Quarry's HTTP front door. Today it serves health and version; the
// Athena- and Glue-compatible API (query executions, saved queries, crawlers, catalog) and
// metrics land here.
//
// It imports engine (and the layers engine exposes); never pgwire.
package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/quarrydb/quarry/engine"
)

// New returns the HTTP handler over an engine.
func New(e *engine.Engine) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"quarry": engine.Version, "postgres": engine.ServerVersion})
	})
	return mux
}
