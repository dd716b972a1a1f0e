package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/quarrydb/quarry/sqlerr"
)

// CreateUser adds a user. The name is stored lower-case (PostgreSQL folds unquoted role names
// the same way); the verifier, when set, must be a SCRAM-SHA-256 verifier.
func (s *SQLiteStore) CreateUser(ctx context.Context, u User) error {
	if err := checkUser(&u); err != nil {
		return err
	}
	if u.CreateTime.IsZero() {
		u.CreateTime = s.now()
	}
	body, err := encode(u)
	if err != nil {
		return err
	}
	return s.write(ctx, "create user", func(tx *sql.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `INSERT INTO users (name, body) VALUES (?, ?) ON CONFLICT DO NOTHING`, u.Name, body))
		if err == nil && n == 0 {
			err = errUserExists(u.Name)
		}
		return err
	})
}

// GetUser returns the user named name (any case).
func (s *SQLiteStore) GetUser(ctx context.Context, name string) (*User, error) {
	name = Normalize(name)
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM users WHERE name = ?`, name).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUserNotFound(name)
	}
	if err != nil {
		return nil, errStore("get user", err)
	}
	return decode[User](body)
}

// UpdateUser replaces an existing user's verifier and superuser flag; CreateTime is kept.
func (s *SQLiteStore) UpdateUser(ctx context.Context, u User) error {
	if err := checkUser(&u); err != nil {
		return err
	}
	return s.write(ctx, "update user", func(tx *sql.Tx) error {
		var body string
		err := tx.QueryRowContext(ctx, `SELECT body FROM users WHERE name = ?`, u.Name).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			return errUserNotFound(u.Name)
		}
		if err != nil {
			return err
		}
		old, err := decode[User](body)
		if err != nil {
			return err
		}
		u.CreateTime = old.CreateTime
		if body, err = encode(u); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET body = ? WHERE name = ?`, body, u.Name)
		return err
	})
}

// ListUsers returns all users sorted by name.
func (s *SQLiteStore) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM users ORDER BY name`)
	if err != nil {
		return nil, errStore("list users", err)
	}
	out, err := scanBodies[User](rows)
	if err != nil {
		return nil, storeErr("list users", err)
	}
	return out, nil
}

func checkUser(u *User) error {
	u.Name = Normalize(u.Name)
	if u.Name == "" {
		return errEmptyName("user")
	}
	if u.Verifier != "" {
		if _, _, _, _, err := ParseSCRAMVerifier(u.Verifier); err != nil {
			return sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "user %q: %v", u.Name, err)
		}
	}
	return nil
}
