package catalog

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

func TestBootstrap(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name          string
		existing      []User // users present before Bootstrap
		password      string
		wantGenerated bool
		wantLogin     string // a password admin must log in with, "" when admin must not exist
	}{
		{name: "given password", password: "hunter2", wantLogin: "hunter2"},
		{name: "generated password", wantGenerated: true},
		{name: "admin exists", existing: []User{{Name: "admin", Superuser: true, Verifier: mustVerifier(t, "old")}},
			password: "new", wantLogin: "old"},
		{name: "other users exist", existing: []User{{Name: "bob"}}, password: "new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			for _, u := range tc.existing {
				must(t, s.CreateUser(ctx, u))
			}
			gen, err := Bootstrap(ctx, s, tc.password)
			must(t, err)
			if (gen != "") != tc.wantGenerated {
				t.Fatalf("generated = %q, want generated: %v", gen, tc.wantGenerated)
			}
			login := tc.wantLogin
			if tc.wantGenerated {
				if len(gen) < 20 {
					t.Errorf("generated password %q is short", gen)
				}
				login = gen
			}
			admin, err := s.GetUser(ctx, AdminUser)
			switch {
			case login == "" && err == nil:
				t.Errorf("admin was created next to existing users")
			case login != "":
				must(t, err)
				if !admin.Superuser || !CheckPassword(admin.Verifier, login) {
					t.Errorf("admin %+v does not log in with %q as a superuser", admin, login)
				}
			}
			if _, err := s.GetDatabase(ctx, DefaultDatabase); err != nil {
				t.Errorf("default database: %v", err)
			}

			// Running again changes nothing and reveals nothing.
			before, err := s.ListUsers(ctx)
			must(t, err)
			gen, err = Bootstrap(ctx, s, "other")
			must(t, err)
			after, err := s.ListUsers(ctx)
			must(t, err)
			if gen != "" || len(after) != len(before) || (len(after) > 0 && after[0].Verifier != before[0].Verifier) {
				t.Errorf("second Bootstrap: generated %q, users %+v -> %+v", gen, before, after)
			}
		})
	}
}

// TestBootstrapRace: several handles bootstrap one new file at once; exactly one of them
// reports the password, and it is the one stored.
func TestBootstrapRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		gens []string
	)
	for range 4 {
		s := openAt(t, path)
		wg.Go(func() {
			gen, err := Bootstrap(ctx, s, "")
			if err != nil {
				t.Error(err)
			}
			if gen != "" {
				mu.Lock()
				gens = append(gens, gen)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(gens) != 1 {
		t.Fatalf("%d handles reported a password, want 1", len(gens))
	}
	admin, err := openAt(t, path).GetUser(ctx, AdminUser)
	must(t, err)
	if !CheckPassword(admin.Verifier, gens[0]) {
		t.Error("the reported password is not the stored one")
	}
}

func mustVerifier(t *testing.T, password string) string {
	t.Helper()
	v, err := NewSCRAMVerifier(password)
	must(t, err)
	return v
}
