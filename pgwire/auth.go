package pgwire

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/sqlerr"
)

// Authentication: SCRAM-SHA-256 (RFC 5802 / RFC 7677, server side, without channel
// binding), cleartext password checked against the same stored verifier, or trust.
//
// An unknown user, or one without a usable verifier, goes through the same exchange as a
// real one (with a salt derived from the name, so it is stable across attempts) and fails at
// the end with the same message as a wrong password: the reply never tells whether a user
// exists, as in PostgreSQL.

const scramMechanism = "SCRAM-SHA-256"

// authenticate runs the configured method for user name. It returns the user on success;
// on failure it has already told the client (or the client is gone).
func (c *conn) authenticate(name string) (*catalog.User, bool) {
	u, err := c.srv.backend.LookupUser(c.ctx, name)
	if err != nil {
		if !errors.Is(err, catalog.ErrUserNotFound) {
			c.log.Error("pgwire: looking up user", "user", name, "err", err)
			c.sendFatal(fatal(sqlerr.InternalError, "could not look up user %q", name))
			return nil, false
		}
		u = nil
	}
	switch c.srv.cfg.AuthMethod {
	case AuthTrust:
		if u == nil {
			c.sendFatal(fatal(sqlerr.InvalidAuthorization, "role %q does not exist", name))
			return nil, false
		}
	case AuthPassword:
		err = c.authCleartext(name, u)
	default:
		err = c.authSCRAM(name, u)
	}
	_ = c.be.SetAuthType(pgproto3.AuthTypeOk)
	if err != nil {
		var e *sqlerr.Error
		if errors.As(err, &e) {
			c.sendFatal(e)
		} else {
			c.log.Debug("pgwire: authentication interrupted", "user", name, "err", err)
		}
		return nil, false
	}
	return u, true
}

// scramVerifier is a parsed `SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>`.
type scramVerifier struct {
	iter                 int
	salt                 []byte
	storedKey, serverKey []byte
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// verifierFor returns u's verifier, or a mock one (ok=false) that no proof can match.
func (c *conn) verifierFor(name string, u *catalog.User) (v scramVerifier, ok bool) {
	if u != nil {
		iter, salt, stored, server, err := catalog.ParseSCRAMVerifier(u.Verifier)
		if err == nil {
			return scramVerifier{iter: iter, salt: salt, storedKey: stored, serverKey: server}, true
		}
		if u.Verifier != "" {
			c.log.Warn("pgwire: user has an unusable password verifier", "user", name, "err", err)
		}
	}
	mac := hmac.New(sha256.New, c.srv.mockKey[:])
	mac.Write([]byte(name))
	return scramVerifier{iter: 4096, salt: mac.Sum(nil)[:16]}, false
}

func (c *conn) authSCRAM(name string, u *catalog.User) error {
	v, real := c.verifierFor(name, u)
	c.be.Send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{scramMechanism}})
	if err := c.be.Flush(); err != nil {
		return err
	}
	_ = c.be.SetAuthType(pgproto3.AuthTypeSASL)
	msg, err := c.receiveAuth()
	if err != nil {
		return err
	}
	init, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok {
		return protocolViolation("expected SASL response, got message %T", msg)
	}
	if init.AuthMechanism != scramMechanism {
		return protocolViolation("client selected an invalid SASL authentication mechanism")
	}
	first, err := parseClientFirst(string(init.Data))
	if err != nil {
		return err
	}

	var nb [18]byte
	_, _ = rand.Read(nb[:])
	nonce := first.nonce + base64.StdEncoding.EncodeToString(nb[:])
	serverFirst := fmt.Sprintf("r=%s,s=%s,i=%d", nonce, base64.StdEncoding.EncodeToString(v.salt), v.iter)
	c.be.Send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	if err := c.be.Flush(); err != nil {
		return err
	}
	_ = c.be.SetAuthType(pgproto3.AuthTypeSASLContinue)
	msg, err = c.receiveAuth()
	if err != nil {
		return err
	}
	resp, ok := msg.(*pgproto3.SASLResponse)
	if !ok {
		return protocolViolation("expected SASL response, got message %T", msg)
	}
	final, err := parseClientFinal(string(resp.Data))
	if err != nil {
		return err
	}
	if final.channelBinding != first.gs2Header {
		return protocolViolation("SCRAM channel binding check failed")
	}
	if final.nonce != nonce {
		return protocolViolation("invalid SCRAM response (nonce does not match)")
	}
	authMessage := first.bare + "," + serverFirst + "," + final.withoutProof
	if !real || !verifyClientProof(v, authMessage, final.proof) {
		return authFailed(name)
	}
	sig := hmacSHA256(v.serverKey, authMessage)
	c.be.Send(&pgproto3.AuthenticationSASLFinal{Data: []byte("v=" + base64.StdEncoding.EncodeToString(sig))})
	return nil
}

// verifyClientProof checks ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage) by
// recovering ClientKey and comparing its hash with StoredKey.
func verifyClientProof(v scramVerifier, authMessage string, proof []byte) bool {
	sig := hmacSHA256(v.storedKey, authMessage)
	if len(proof) != len(sig) {
		return false
	}
	clientKey := make([]byte, len(sig))
	for i := range sig {
		clientKey[i] = proof[i] ^ sig[i]
	}
	sum := sha256.Sum256(clientKey)
	return subtle.ConstantTimeCompare(sum[:], v.storedKey) == 1
}

func (c *conn) authCleartext(name string, u *catalog.User) error {
	c.be.Send(&pgproto3.AuthenticationCleartextPassword{})
	if err := c.be.Flush(); err != nil {
		return err
	}
	_ = c.be.SetAuthType(pgproto3.AuthTypeCleartextPassword)
	msg, err := c.receiveAuth()
	if err != nil {
		return err
	}
	pw, ok := msg.(*pgproto3.PasswordMessage)
	if !ok {
		return protocolViolation("expected password response, got message %T", msg)
	}
	// CheckPassword applies SASLprep as the verifier's creator did, refuses an empty
	// password and compares in constant time. An unknown user fails the same way.
	if u == nil || !catalog.CheckPassword(u.Verifier, pw.Password) {
		return authFailed(name)
	}
	return nil
}

// receiveAuth reads the client's next authentication message; a client that gives up
// (Terminate or a closed socket) ends the exchange without a reply.
func (c *conn) receiveAuth() (pgproto3.FrontendMessage, error) {
	msg, err := c.be.Receive()
	if err != nil {
		if isNetErr(err) {
			return nil, err
		}
		return nil, protocolViolation("invalid authentication message: %v", err)
	}
	if _, ok := msg.(*pgproto3.Terminate); ok {
		return nil, io.EOF
	}
	return msg, nil
}

// clientFirst is the parsed client-first-message.
type clientFirst struct {
	gs2Header string // "n,," or "y,,": echoed, base64, as the final message's c= attribute
	bare      string // client-first-message-bare, part of AuthMessage
	nonce     string
}

func malformedSCRAM(detail string) *sqlerr.Error {
	return protocolViolation("malformed SCRAM message").WithDetail(detail)
}

func parseClientFirst(s string) (clientFirst, error) {
	var cf clientFirst
	switch {
	case strings.HasPrefix(s, "n,"), strings.HasPrefix(s, "y,"):
		// "y": the client could do channel binding but believes we cannot, which is true.
	case strings.HasPrefix(s, "p="):
		return cf, malformedSCRAM("The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.")
	default:
		return cf, malformedSCRAM("Unexpected channel-binding flag.")
	}
	rest := s[2:]
	if strings.HasPrefix(rest, "a=") {
		return cf, fatal(sqlerr.FeatureNotSupported, "client uses authorization identity, but it is not supported")
	}
	if !strings.HasPrefix(rest, ",") {
		return cf, malformedSCRAM("Comma expected after the channel-binding flag.")
	}
	cf.gs2Header = s[:3]
	cf.bare = rest[1:]
	attrs := strings.Split(cf.bare, ",")
	if strings.HasPrefix(attrs[0], "m=") {
		return cf, fatal(sqlerr.FeatureNotSupported, "client requires an unsupported SCRAM extension")
	}
	if len(attrs) < 2 || !strings.HasPrefix(attrs[0], "n=") || !strings.HasPrefix(attrs[1], "r=") {
		return cf, malformedSCRAM("Expected user name and nonce attributes.")
	}
	cf.nonce = attrs[1][2:]
	if cf.nonce == "" || !printable(cf.nonce) {
		return cf, malformedSCRAM("The client nonce is empty or contains invalid characters.")
	}
	return cf, nil
}

// clientFinal is the parsed client-final-message.
type clientFinal struct {
	channelBinding string // decoded c= attribute
	nonce          string
	withoutProof   string // client-final-message-without-proof, part of AuthMessage
	proof          []byte
}

func parseClientFinal(s string) (clientFinal, error) {
	var cf clientFinal
	i := strings.LastIndex(s, ",p=")
	if i < 0 {
		return cf, malformedSCRAM("Missing proof.")
	}
	cf.withoutProof = s[:i]
	proof, err := base64.StdEncoding.DecodeString(s[i+3:])
	if err != nil {
		return cf, malformedSCRAM("Malformed proof in client-final-message.")
	}
	cf.proof = proof
	attrs := strings.Split(cf.withoutProof, ",")
	if len(attrs) < 2 || !strings.HasPrefix(attrs[0], "c=") || !strings.HasPrefix(attrs[1], "r=") {
		return cf, malformedSCRAM("Expected channel binding and nonce attributes.")
	}
	cb, err := base64.StdEncoding.DecodeString(attrs[0][2:])
	if err != nil {
		return cf, malformedSCRAM("Malformed channel binding attribute.")
	}
	cf.channelBinding = string(cb)
	cf.nonce = attrs[1][2:]
	return cf, nil
}

// printable reports whether s has only the characters RFC 5802 allows in a nonce.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e || s[i] == ',' {
			return false
		}
	}
	return true
}
