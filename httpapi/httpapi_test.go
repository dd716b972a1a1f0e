package httpapi

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/quarrydb/quarry/engine"
)

func TestHealthAndVersion(t *testing.T) {
	srv := httptest.NewServer(New(nil))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	resp, err = srv.Client().Get(srv.URL + "/version")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]string
	err = json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	if err != nil || v["quarry"] != engine.Version || v["postgres"] != engine.ServerVersion {
		t.Errorf("version: %v %v", v, err)
	}
	resp, err = srv.Client().Post(srv.URL+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("POST /healthz: got %d, want 405", resp.StatusCode)
	}
}
