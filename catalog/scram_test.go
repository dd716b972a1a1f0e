package catalog

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// pgVectors are verifiers a real PostgreSQL 15 computed for `CREATE ROLE ... PASSWORD` (see
// the file's "source"), including passwords SASLprep changes (NFKC, mapped characters) and
// passwords it rejects, where PostgreSQL falls back to the raw bytes.
type pgVectors struct {
	Source  string `json:"source"`
	Vectors []struct {
		Name     string `json:"name"`
		Password string `json:"password"`
		Verifier string `json:"verifier"`
	} `json:"vectors"`
}

func loadPGVectors(t testing.TB) pgVectors {
	t.Helper()
	b, err := os.ReadFile("testdata/scram_pg15_verifiers.json")
	if err != nil {
		t.Fatal(err)
	}
	var v pgVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	return v
}

func TestSCRAMVerifierMatchesPostgreSQL(t *testing.T) {
	vs := loadPGVectors(t)
	for _, tc := range vs.Vectors {
		t.Run(tc.Name, func(t *testing.T) {
			iter, salt, _, _, err := ParseSCRAMVerifier(tc.Verifier)
			if err != nil {
				t.Fatal(err)
			}
			got, err := scramVerifier(tc.Password, salt, iter)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.Verifier {
				t.Errorf("verifier of %+q:\n got %s\nwant %s (%s)", tc.Password, got, tc.Verifier, vs.Source)
			}
			if !CheckPassword(tc.Verifier, tc.Password) {
				t.Errorf("CheckPassword(%+q) = false", tc.Password)
			}
			if CheckPassword(tc.Verifier, tc.Password+"x") {
				t.Errorf("CheckPassword(%+q + x) = true", tc.Password)
			}
		})
	}
}

// TestSCRAMRFC7677 checks the keys against the SCRAM-SHA-256 exchange published in RFC 7677
// section 3 (user "user", password "pencil"): the server's verification of the client proof
// succeeds with our StoredKey, and our ServerKey signs the exchange as the RFC's server did.
// This is also the check the pgwire server performs.
func TestSCRAMRFC7677(t *testing.T) {
	const (
		clientFirstBare   = "n=user,r=rOprNGfwEbeRWgbNEkqO"
		serverFirst       = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
		clientFinalNoPrf  = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
		clientProof       = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
		serverSignature   = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
		saltB64, password = "W22ZaJ0SNY7soEsUEjb6gQ==", "pencil"
	)
	salt, _ := base64.StdEncoding.DecodeString(saltB64)
	v, err := scramVerifier(password, salt, 4096)
	if err != nil {
		t.Fatal(err)
	}
	_, _, storedKey, serverKey, err := ParseSCRAMVerifier(v)
	if err != nil {
		t.Fatal(err)
	}
	authMessage := clientFirstBare + "," + serverFirst + "," + clientFinalNoPrf

	proof, _ := base64.StdEncoding.DecodeString(clientProof)
	clientSignature := scramHMAC(storedKey, authMessage)
	clientKey := make([]byte, len(proof))
	for i := range proof {
		clientKey[i] = proof[i] ^ clientSignature[i]
	}
	if sum := sha256.Sum256(clientKey); !bytes.Equal(sum[:], storedKey) {
		t.Errorf("client proof does not verify against StoredKey %x", storedKey)
	}
	mac := hmac.New(sha256.New, serverKey)
	mac.Write([]byte(authMessage))
	if got := base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != serverSignature {
		t.Errorf("server signature = %s, want %s", got, serverSignature)
	}
}

func TestNewSCRAMVerifier(t *testing.T) {
	a, err := NewSCRAMVerifier("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSCRAMVerifier("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Error("two verifiers of one password are equal: the salt is not random")
	}
	for _, v := range []string{a, b} {
		iter, salt, _, _, err := ParseSCRAMVerifier(v)
		if err != nil {
			t.Fatal(err)
		}
		if iter != 4096 || len(salt) != 16 || !strings.HasPrefix(v, "SCRAM-SHA-256$4096:") {
			t.Errorf("verifier %s: iter %d, salt %d bytes", v, iter, len(salt))
		}
		if !CheckPassword(v, "s3cret") || CheckPassword(v, "S3cret") || CheckPassword(v, "") {
			t.Errorf("CheckPassword on %s is wrong", v)
		}
	}
	if _, err := NewSCRAMVerifier(""); err == nil {
		t.Error("empty password accepted")
	}
}

func TestParseSCRAMVerifierErrors(t *testing.T) {
	const (
		salt = "2XqCbolxZ8EaJ6cruHfv8A=="
		key  = "K+CRBvaIIofU1pf2/uiHM01K+LCruDNpXXoDxo419cE="
	)
	tests := []struct{ name, v string }{
		{"empty", ""},
		{"md5", "md5a3556571e93b0d20722ba62be61e8c2d"},
		{"wrong mechanism", "SCRAM-SHA-1$4096:" + salt + "$" + key + ":" + key},
		{"no keys", "SCRAM-SHA-256$4096:" + salt},
		{"no salt", "SCRAM-SHA-256$4096$" + key + ":" + key},
		{"no server key", "SCRAM-SHA-256$4096:" + salt + "$" + key},
		{"zero iterations", "SCRAM-SHA-256$0:" + salt + "$" + key + ":" + key},
		{"negative iterations", "SCRAM-SHA-256$-1:" + salt + "$" + key + ":" + key},
		{"signed iterations", "SCRAM-SHA-256$+4096:" + salt + "$" + key + ":" + key},
		{"huge iterations", "SCRAM-SHA-256$2147483647:" + salt + "$" + key + ":" + key},
		{"empty salt", "SCRAM-SHA-256$4096:$" + key + ":" + key},
		{"bad base64 salt", "SCRAM-SHA-256$4096:!!$" + key + ":" + key},
		{"short stored key", "SCRAM-SHA-256$4096:" + salt + "$" + salt + ":" + key},
		{"short server key", "SCRAM-SHA-256$4096:" + salt + "$" + key + ":" + salt},
		{"trailing text", "SCRAM-SHA-256$4096:" + salt + "$" + key + ":" + key + "$x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, _, _, err := ParseSCRAMVerifier(tc.v); !errors.Is(err, ErrInvalidVerifier) {
				t.Errorf("ParseSCRAMVerifier(%q) error = %v, want ErrInvalidVerifier", tc.v, err)
			}
			if CheckPassword(tc.v, "pencil") {
				t.Errorf("CheckPassword accepted a malformed verifier")
			}
		})
	}
}

func TestSASLprep(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ascii", "pencil", "pencil"},
		{"ascii control kept", "a\x01b", "a\x01b"},
		{"non-ascii space", "a\u00a0b", "a b"},
		{"mapped to nothing", "I\u00adX", "IX"},
		{"nfkc", "\ufb01\u2168", "fiIX"},
		{"combining", "cafe\u0301", "caf\u00e9"},
		{"prohibited falls back", "\u00e9\t", "\u00e9\t"},
		{"bidi mixed falls back", "a\u0627", "a\u0627"},
		{"bidi ok", "\u0627\u0644", "\u0627\u0644"},
		{"unassigned in 3.2 falls back", "\U0001F916\ufb01", "\U0001F916\ufb01"},
		{"maps to nothing falls back", "\u00ad", "\u00ad"},
		{"invalid utf-8 falls back", "\xff\u00e9", "\xff\u00e9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := saslprep(tc.in); got != tc.want {
				t.Errorf("saslprep(%+q) = %+q, want %+q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzParseSCRAMVerifier(f *testing.F) {
	for _, v := range loadPGVectors(f).Vectors {
		f.Add(v.Verifier)
	}
	f.Add("SCRAM-SHA-256$4096:$:")
	f.Add("SCRAM-SHA-256$$$$")
	f.Fuzz(func(t *testing.T, v string) {
		iter, salt, stored, server, err := ParseSCRAMVerifier(v)
		if err != nil {
			return
		}
		if iter < 1 || len(salt) == 0 || len(stored) != 32 || len(server) != 32 {
			t.Fatalf("accepted %q with iter %d salt %d keys %d/%d", v, iter, len(salt), len(stored), len(server))
		}
		// What parses re-encodes to itself: the parser accepts only canonical text.
		enc := base64.StdEncoding
		again := "SCRAM-SHA-256$" + strconv.Itoa(iter) + ":" + enc.EncodeToString(salt) + "$" +
			enc.EncodeToString(stored) + ":" + enc.EncodeToString(server)
		if again != v {
			t.Fatalf("parsed %q, re-encoded %q", v, again)
		}
	})
}

func FuzzSASLprep(f *testing.F) {
	for _, s := range []string{"pencil", "\ufb01\u2168", "a\u0627", "\u0627\u0644", "\u00ad", "\xff", "a\u00a0b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := saslprep(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("saslprep(%+q) = %+q, not UTF-8", s, out)
		}
		if out != s && out == "" {
			t.Fatalf("saslprep(%+q) is empty", s)
		}
	})
}
