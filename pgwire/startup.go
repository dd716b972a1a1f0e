package pgwire

import (
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/sqlerr"
)

// startup runs everything before the first query: SSL/GSS negotiation, a CancelRequest
// (which ends the connection), the StartupMessage, authentication, the session, and the
// greeting. It reports whether the connection is ready for queries.
func (c *conn) startup() bool {
	_ = c.nc.SetDeadline(time.Now().Add(c.srv.cfg.AuthTimeout))
	if c.ctx.Err() != nil { // Server.Close ran before the deadline was set
		return false
	}
	var sslDone, gssDone bool
	for {
		msg, err := c.be.ReceiveStartupMessage()
		if err != nil {
			c.startupFailed(err)
			return false
		}
		switch m := msg.(type) {
		case *pgproto3.SSLRequest:
			if sslDone {
				c.sendFatal(protocolViolation("SSL negotiation requested twice"))
				return false
			}
			sslDone = true
			if !c.negotiateSSL() {
				return false
			}
		case *pgproto3.GSSEncRequest:
			if gssDone {
				c.sendFatal(protocolViolation("GSSAPI negotiation requested twice"))
				return false
			}
			gssDone = true
			// No GSSAPI encryption: the client continues on the same socket.
			if _, err := c.nc.Write([]byte{'N'}); err != nil {
				return false
			}
		case *pgproto3.CancelRequest:
			c.srv.cancelRequest(m.ProcessID, m.SecretKey)
			return false // no reply: the client waits for us to close
		case *pgproto3.StartupMessage:
			if !c.start(m) {
				return false
			}
			// Clearing the deadline could undo one set by a concurrent Close; the message
			// loop then sees the cancelled context and says goodbye itself.
			_ = c.nc.SetDeadline(time.Time{})
			return true
		}
	}
}

// negotiateSSL answers an SSLRequest. Quarry has no TLS yet, so the answer is 'N' and the
// client goes on in plaintext on the same socket (libpq and pgJDBC do; pgx's sslmode=prefer
// does too). When TLS lands, this is the hook: answer 'S', refuse if the client already sent
// bytes after the SSLRequest (PostgreSQL's defence against CVE-2021-23214: check that the
// Backend has nothing buffered), run tls.Server's handshake, and rebuild c.rd and c.be over
// the TLS connection.
func (c *conn) negotiateSSL() bool {
	_, err := c.nc.Write([]byte{'N'})
	return err == nil
}

// startupFailed reports a startup packet that could not be read. A closed socket gets no
// reply; a protocol version we do not speak gets PostgreSQL's 0A000.
func (c *conn) startupFailed(err error) {
	if isNetErr(err) || c.ctx.Err() != nil {
		return
	}
	msg := err.Error()
	if strings.Contains(msg, "unknown startup message code") || strings.Contains(msg, "version number") {
		c.sendFatal(fatal(sqlerr.FeatureNotSupported, "unsupported frontend protocol: server supports 3.0 to 3.0"))
		return
	}
	c.sendFatal(protocolViolation("invalid startup packet: %v", err))
}

// start handles the StartupMessage through to ReadyForQuery.
func (c *conn) start(m *pgproto3.StartupMessage) bool {
	params := make(map[string]string, len(m.Parameters))
	var unrecognized []string
	for k, v := range m.Parameters {
		if strings.HasPrefix(k, "_pq_.") {
			unrecognized = append(unrecognized, k)
			continue
		}
		params[k] = v
	}
	// Protocol 3.2 (PostgreSQL 18's libpq) and protocol options are negotiated down to plain
	// 3.0, as a PostgreSQL 15 server does.
	if m.ProtocolVersion != pgproto3.ProtocolVersion30 || len(unrecognized) > 0 {
		slices.Sort(unrecognized)
		c.be.Send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unrecognized})
	}
	user := params["user"]
	database := params["database"]
	delete(params, "user")
	delete(params, "database")
	if user == "" {
		c.sendFatal(fatal(sqlerr.InvalidAuthorization, "no PostgreSQL user name specified in startup packet"))
		return false
	}
	if database == "" {
		database = user
	}
	c.user = user
	c.log = c.log.With("user", user, "database", database)

	u, ok := c.authenticate(user)
	if !ok {
		return false
	}
	// As in PostgreSQL, AuthenticationOk comes before the database is opened, so an
	// unknown database is reported to an authenticated client.
	c.be.Send(&pgproto3.AuthenticationOk{})
	sess, err := c.srv.backend.Connect(c.ctx, user, database, params)
	if err != nil {
		c.sendFatal(sqlerr.From(err))
		return false
	}
	c.session = sess

	for _, p := range reportedParams(sess.ParameterStatus(), u, user, params) {
		c.be.Send(&pgproto3.ParameterStatus{Name: p[0], Value: p[1]})
	}
	c.srv.registerKey(c)
	if s, ok := sess.(interface{ SetBackendPID(int32) }); ok {
		s.SetBackendPID(int32(c.pid)) // pg_backend_pid() answers what BackendKeyData said
	}
	c.be.Send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret})
	c.log = c.log.With("pid", c.pid)
	return c.readyForQuery() == nil
}

// pg15Params are the parameters PostgreSQL 15 reports after authentication, with its
// defaults. Clients check some of them: pgJDBC closes the connection unless DateStyle starts
// with ISO, client_encoding is UTF8 and standard_conforming_strings is on; pgx's simple
// protocol needs the last two as well.
var pg15Params = [][2]string{
	{"application_name", ""},
	{"client_encoding", "UTF8"},
	{"DateStyle", "ISO, MDY"},
	{"default_transaction_read_only", "off"},
	{"in_hot_standby", "off"},
	{"integer_datetimes", "on"},
	{"IntervalStyle", "postgres"},
	{"is_superuser", "off"},
	{"server_encoding", "UTF8"},
	{"server_version", "15.18"},
	{"session_authorization", ""},
	{"standard_conforming_strings", "on"},
	{"TimeZone", "UTC"},
}

// reportedParams merges the session's parameters over PG15's set, sorted as PostgreSQL
// sends them (by name, ignoring case). GUC names are case-insensitive, but clients look the
// reported ones up by exact name (pgJDBC: "TimeZone", "DateStyle"), so PG15's names keep
// PostgreSQL's spelling whatever case the session used.
func reportedParams(fromConn map[string]string, u *catalog.User, user string, startup map[string]string) [][2]string {
	byLower := make(map[string][2]string, len(fromConn))
	for k, v := range fromConn {
		byLower[strings.ToLower(k)] = [2]string{k, v}
	}
	out := make([][2]string, 0, len(fromConn)+len(pg15Params))
	for _, p := range pg15Params {
		lower := strings.ToLower(p[0])
		if kv, ok := byLower[lower]; ok {
			out = append(out, [2]string{p[0], kv[1]})
			delete(byLower, lower)
			continue
		}
		switch p[0] {
		case "application_name":
			p[1] = startup["application_name"]
		case "session_authorization":
			p[1] = user
		case "is_superuser":
			if u != nil && u.Superuser {
				p[1] = "on"
			}
		}
		out = append(out, p)
	}
	for _, kv := range byLower {
		out = append(out, kv)
	}
	slices.SortFunc(out, func(a, b [2]string) int {
		return strings.Compare(strings.ToLower(a[0]), strings.ToLower(b[0]))
	})
	return out
}
