// node-postgres (pg): parameterised queries (unnamed extended-protocol statements with text
// parameters), a named prepared statement, typed results as node-pg parses them (numeric and
// int8 as strings, dates as Date), a multi-statement simple query, a Pool, errors and recovery.
'use strict';
const assert = require('node:assert/strict');
const { Client, Pool } = require('pg');

function fail(what, err) {
  console.error(`node-pg: ${what}: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
}

async function expectError(client, sql, params, code) {
  try {
    await client.query(sql, params);
  } catch (err) {
    assert.equal(err.code, code, `${sql}: SQLSTATE ${err.code} (${err.message}), want ${code}`);
    return;
  }
  throw new Error(`${sql}: no error, want ${code}`);
}

async function client() {
  const c = new Client();
  await c.connect();
  try {
    // Parameters in text, results typed by the RowDescription's OIDs.
    const r = await c.query(
      'SELECT id, name, price, qty, weight, active, added, updated, note FROM conformance.items ' +
      'WHERE id > $1 AND name LIKE $2 ORDER BY id', [2, '%e%']);
    assert.deepEqual(r.rows.map((x) => x.id), [3, 5, 6, 7, 8]);
    assert.equal(r.rowCount, 5);
    assert.equal(r.command, 'SELECT');
    assert.deepEqual(r.fields.map((f) => [f.name, f.dataTypeID]), [
      ['id', 23], ['name', 1043], ['price', 1700], ['qty', 20], ['weight', 701],
      ['active', 16], ['added', 1082], ['updated', 1114], ['note', 25]]);
    const chisel = r.rows[0];
    assert.equal(chisel.name, 'chisel');
    assert.equal(chisel.price, '7.25'); // numeric stays a string
    assert.equal(chisel.qty, '0'); // int8 stays a string
    assert.equal(chisel.weight, 0.3);
    assert.equal(chisel.active, false);
    assert.equal(chisel.added.toISOString(), '2024-03-10T00:00:00.000Z'); // TZ=UTC
    assert.equal(chisel.updated.toISOString(), '2024-03-10T17:45:30.500Z');
    assert.equal(chisel.note, "it's sharp");
    assert.equal(r.rows[1].added, null);
    assert.equal(r.rows[1].updated, null);

    // Parameters of other types: numeric string, boolean, Date (sent as an ISO string with an
    // offset), null, a JS array (sent as an array literal).
    let q = await c.query('SELECT count(*) AS n FROM conformance.items WHERE price >= $1 AND active = $2',
      ['10.00', true]);
    assert.equal(q.rows[0].n, '5');
    q = await c.query('SELECT id FROM conformance.items WHERE updated > $1 ORDER BY id',
      [new Date(Date.UTC(2024, 7, 1))]);
    assert.deepEqual(q.rows.map((x) => x.id), [8, 9, 10]);
    q = await c.query('SELECT $1::integer IS NULL AS isnull, $2::text AS t', [null, 'électrique']);
    assert.deepEqual(q.rows[0], { isnull: true, t: 'électrique' });
    q = await c.query('SELECT id FROM conformance.items WHERE added = $1::date', ['2024-07-04']);
    assert.deepEqual(q.rows, [{ id: 7 }]);

    // rowMode array, and a named prepared statement run twice with different values.
    q = await c.query({ text: 'SELECT kind, amount FROM conformance.events WHERE id = $1', values: [3], rowMode: 'array' });
    assert.deepEqual(q.rows, [['return', '-19.99']]);
    for (const [id, name] of [[4, 'drill'], [9, 'inkpad']]) {
      q = await c.query({ name: 'item_by_id', text: 'SELECT name FROM conformance.items WHERE id = $1', values: [id] });
      assert.deepEqual(q.rows, [{ name }]);
    }

    // Without parameters node-pg sends a simple Query; two statements give two results.
    const multi = await c.query('SELECT 1 AS a; SELECT count(*) AS n FROM conformance.events');
    assert.equal(multi.length, 2);
    assert.deepEqual(multi[0].rows, [{ a: 1 }]);
    assert.deepEqual(multi[1].rows, [{ n: '4' }]);

    // Errors: the connection survives; in a transaction, 25P02 until ROLLBACK.
    await expectError(c, 'SELECT nope FROM conformance.items WHERE id = $1', [1], '42703');
    await expectError(c, 'SELECT * FROM conformance.missing', undefined, '42P01');
    assert.equal((await c.query('SELECT name FROM conformance.items WHERE id = $1', [1])).rows[0].name, 'anvil');
    await c.query('BEGIN');
    await expectError(c, 'SELECT 1 / (id - id) FROM conformance.items WHERE id = $1', [1], '22012');
    await expectError(c, 'SELECT 1', undefined, '25P02');
    await c.query('ROLLBACK');
    q = await c.query('SELECT sum(amount) AS total FROM conformance.events WHERE kind = $1', ['sale']);
    assert.deepEqual(q.rows, [{ total: '117.99' }]);
  } finally {
    await c.end();
  }
}

async function pool() {
  const p = new Pool({ max: 3 });
  try {
    // More concurrent queries than connections: the pool queues and reuses them.
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    const results = await Promise.all(ids.map((id) =>
      p.query('SELECT id, qty FROM conformance.items WHERE id = $1', [id])));
    assert.deepEqual(results.map((r) => r.rows[0].id), ids);
    assert.deepEqual(results.map((r) => r.rows[0].qty), ['3', '10', '0', '2', '1', '25', '4', '7']);

    // A checked-out client in a transaction, released after an error and a rollback.
    const c = await p.connect();
    try {
      await c.query('BEGIN');
      const v = await c.query('SELECT count(*) AS n FROM conformance.active_items');
      assert.equal(v.rows[0].n, '7');
      await expectError(c, 'SELECT no_such_function($1)', [1], '42883');
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
    const after = await p.query('SELECT max(updated) AS m FROM conformance.items');
    assert.equal(after.rows[0].m.toISOString(), '2024-10-31T18:30:00.000Z');
    assert.equal(p.totalCount <= 3, true);
  } finally {
    await p.end();
  }
}

(async () => {
  await client().catch((e) => fail('client', e));
  await pool().catch((e) => fail('pool', e));
  console.log('node-pg: ok');
})();
