package catalog

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
)

const (
	// AdminUser is the superuser Bootstrap creates on a fresh catalog.
	AdminUser = "admin"
	// DefaultDatabase is Athena's database of unqualified names; it always exists.
	DefaultDatabase = "default"
)

// Bootstrap prepares a catalog for first use. It makes sure the `default` database exists,
// and, when the catalog has no users at all, creates the superuser `admin` with adminPassword,
// or with a generated password when adminPassword is empty. It returns the generated password,
// so the caller can print it once; otherwise "".
//
// It is idempotent and safe to run from several processes at once: an existing admin (or any
// existing user) is left untouched, so changing QUARRY_ADMIN_PASSWORD after the first start
// changes nothing, and of two processes racing on a fresh catalog only the one whose admin was
// stored reports a password.
func Bootstrap(ctx context.Context, store Store, adminPassword string) (generated string, err error) {
	err = store.CreateDatabase(ctx, Database{
		Name:        DefaultDatabase,
		Description: "Default database",
	})
	if err != nil && !errors.Is(err, ErrAlreadyExists) {
		return "", fmt.Errorf("bootstrap: %w", err)
	}

	users, err := store.ListUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	if len(users) > 0 {
		return "", nil
	}
	password := adminPassword
	if password == "" {
		// 26 base32 characters, 130 bits: strong, and nothing in it a shell or a
		// connection string would need quoted.
		password = rand.Text()
	}
	verifier, err := NewSCRAMVerifier(password)
	if err != nil {
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	err = store.CreateUser(ctx, User{Name: AdminUser, Verifier: verifier, Superuser: true})
	if errors.Is(err, ErrAlreadyExists) {
		return "", nil // another process bootstrapped between ListUsers and here
	}
	if err != nil {
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	if adminPassword == "" {
		return password, nil
	}
	return "", nil
}
