// Package exec runs plans: vectorized operators over Arrow record batches, built fresh for
// each execution from the planner's immutable plan nodes, and the evaluation of bound
// expressions a batch at a time. Work runs in parallel across splits (files, row groups) on
// all cores: the scan pipeline below the first pipeline breaker is built once per worker
// over a shared split queue.
//
// The operator contract (Operator): Open, then Next until io.EOF, then Close. Next returns a
// record the caller owns and must Release. Close may be called at any time, also before
// io.EOF, and releases everything the operator holds.
//
// It imports planner (plan nodes and expressions), function, formats, objstore, catalog,
// types and sqlerr; never engine or the front doors.
package exec
