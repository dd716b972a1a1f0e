// Package pgwire is Quarry's PostgreSQL v3 wire-protocol server, built on pgx's pgproto3.
// It accepts connections, answers SSL/GSS negotiation and cancel requests, authenticates
// (SCRAM-SHA-256, cleartext password or trust), runs simple- and extended-protocol queries
// through a Backend, encodes Arrow result batches as PostgreSQL 15 text or binary, and
// turns errors into ErrorResponse messages. It is one of the two places (with httpapi)
// where a *sqlerr.Error becomes a wire reply: errors are flattened only here, through
// sqlerr.From.
//
// The contract with the engine is the small Backend/Conn pair in backend.go, plus the
// optional Preparer (extended.go) for the extended protocol, so the protocol can be tested
// against a fake; EngineBackend adapts the real *engine.Engine.
//
// Layout, one concern per file: server.go (listener, connection set, shutdown), conn.go (one
// connection's message loop and transaction status), reader.go (the socket reader that
// notices a vanished client mid-query), startup.go, auth.go (SCRAM), simple.go (simple query
// protocol), extended.go (the extended protocol's messages), portal.go (portals: row
// limits, PortalSuspended), copy.go (COPY TO STDOUT's stream), decode_params.go (Bind parameters, text and binary), cancel.go,
// errors.go, encode_text.go / encode_datetime.go / encode_nested.go (Arrow to PG text),
// encode_binary.go (Arrow to PG binary), datarow.go (DataRow messages written straight
// from Arrow arrays).
//
// It may import engine (the front door's one dependency above it), catalog (users), types,
// sqlerr, Arrow and pgx; nothing imports it but cmd.
package pgwire
