package catalog

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Passwords are kept only as SCRAM-SHA-256 verifiers (RFC 5802, RFC 7677), in PostgreSQL's
// text form, so that the pgwire server can run SCRAM with any client and a verifier can be
// copied to or from a PostgreSQL pg_authid.rolpassword unchanged:
//
//	SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
//
// where, with Hi being PBKDF2 with HMAC-SHA-256:
//
//	SaltedPassword = Hi(SASLprep(password), salt, iterations)
//	StoredKey      = SHA-256(HMAC(SaltedPassword, "Client Key"))
//	ServerKey      = HMAC(SaltedPassword, "Server Key")

const (
	scramMechanism = "SCRAM-SHA-256"
	// scramIterations and scramSaltLen are PostgreSQL's defaults (scram_iterations and
	// SCRAM_DEFAULT_SALT_LEN).
	scramIterations = 4096
	scramSaltLen    = 16
	scramKeyLen     = sha256.Size
	// scramMaxIterations bounds the work CheckPassword does for a verifier it is handed.
	// PostgreSQL accepts up to 2^31-1; nobody configures more than a few million.
	scramMaxIterations = 1 << 24
)

// ErrInvalidVerifier is returned by ParseSCRAMVerifier for text that is not a SCRAM-SHA-256
// verifier.
var ErrInvalidVerifier = errors.New("invalid SCRAM-SHA-256 verifier")

// NewSCRAMVerifier returns a SCRAM-SHA-256 verifier for password with a fresh random 16-byte
// salt and 4096 iterations, as PostgreSQL computes it for `CREATE ROLE ... PASSWORD`. An empty
// password is refused, as PostgreSQL refuses it.
func NewSCRAMVerifier(password string) (string, error) {
	if password == "" {
		return "", errors.New("empty password")
	}
	salt := make([]byte, scramSaltLen)
	rand.Read(salt) // crypto/rand.Read never fails (it crashes the program instead).
	return scramVerifier(password, salt, scramIterations)
}

// scramVerifier formats the verifier of password for a given salt and iteration count.
func scramVerifier(password string, salt []byte, iter int) (string, error) {
	storedKey, serverKey, err := scramKeys(password, salt, iter)
	if err != nil {
		return "", err
	}
	enc := base64.StdEncoding
	return fmt.Sprintf("%s$%d:%s$%s:%s", scramMechanism, iter,
		enc.EncodeToString(salt), enc.EncodeToString(storedKey), enc.EncodeToString(serverKey)), nil
}

// scramKeys derives StoredKey and ServerKey from a password.
func scramKeys(password string, salt []byte, iter int) (storedKey, serverKey []byte, err error) {
	salted, err := pbkdf2.Key(sha256.New, saslprep(password), salt, iter, scramKeyLen)
	if err != nil {
		return nil, nil, err
	}
	clientKey := scramHMAC(salted, "Client Key")
	sum := sha256.Sum256(clientKey)
	return sum[:], scramHMAC(salted, "Server Key"), nil
}

func scramHMAC(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// ParseSCRAMVerifier splits a verifier into its iteration count, salt and keys. The keys are
// 32 bytes each; the salt may be of any non-zero length, as PostgreSQL allows.
func ParseSCRAMVerifier(v string) (iter int, salt, storedKey, serverKey []byte, err error) {
	fail := func(why string) (int, []byte, []byte, []byte, error) {
		return 0, nil, nil, nil, fmt.Errorf("%w: %s", ErrInvalidVerifier, why)
	}
	mech, rest, ok := strings.Cut(v, "$")
	if !ok || mech != scramMechanism {
		return fail("does not start with " + scramMechanism + "$")
	}
	params, keys, ok := strings.Cut(rest, "$")
	if !ok {
		return fail("missing keys")
	}
	iterText, saltText, ok := strings.Cut(params, ":")
	if !ok {
		return fail("missing salt")
	}
	storedText, serverText, ok := strings.Cut(keys, ":")
	if !ok {
		return fail("missing server key")
	}
	iter, err = strconv.Atoi(iterText)
	if err != nil || iter < 1 || iter > scramMaxIterations || iterText != strconv.Itoa(iter) {
		return fail("bad iteration count " + strconv.Quote(iterText))
	}
	enc := base64.StdEncoding.Strict()
	if salt, err = enc.DecodeString(saltText); err != nil || len(salt) == 0 {
		return fail("bad salt")
	}
	if storedKey, err = enc.DecodeString(storedText); err != nil || len(storedKey) != scramKeyLen {
		return fail("bad stored key")
	}
	if serverKey, err = enc.DecodeString(serverText); err != nil || len(serverKey) != scramKeyLen {
		return fail("bad server key")
	}
	return iter, salt, storedKey, serverKey, nil
}

// CheckPassword reports whether password matches verifier, for clients that send the password
// in clear text (pgwire's password message, HTTP basic auth). A malformed verifier or an empty
// password never matches. The comparison takes the same time wherever the keys differ.
func CheckPassword(verifier, password string) bool {
	if password == "" {
		return false
	}
	iter, salt, storedKey, serverKey, err := ParseSCRAMVerifier(verifier)
	if err != nil {
		return false
	}
	gotStored, gotServer, err := scramKeys(password, salt, iter)
	if err != nil {
		return false
	}
	// Both keys are compared, without short-circuit, as PostgreSQL's scram_verify_plain_password
	// compares ServerKey; StoredKey alone would do as well.
	return subtle.ConstantTimeCompare(gotStored, storedKey)&subtle.ConstantTimeCompare(gotServer, serverKey) == 1
}
