package exec

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// joinKeys are the encoded join keys of a batch of rows. Keys of up to 64 bits in all
// (one or more integer-like columns) are packed into a uint64 (the fixed path); anything
// else is encoded into bytes, as exec/hashkey.go does for grouping, except that a row
// with a NULL in any key is marked invalid instead: NULL never equals anything in a join.
type joinKeys struct {
	fixed   bool
	u       []uint64 // fixed path: the packed key of each row
	b       []byte   // bytes path: all keys back to back
	off     []int32  // bytes path: row i's key is b[off[i]:off[i+1]]
	valid   []bool   // false when a key column is NULL
	anyNull bool
	rows    [][]byte // bytes path: per-row scratch, reused from batch to batch
}

// keyLayout decides how a join's keys are encoded from their SQL types; both sides of a
// join have the same key types, so they agree.
type keyLayout struct {
	fixed  bool
	widths []uint // bits per key column on the fixed path
}

func newKeyLayout(keys []planner.Expr) keyLayout {
	l := keyLayout{fixed: len(keys) > 0}
	total := uint(0)
	for _, k := range keys {
		w := uint(0)
		switch k.Type().Kind {
		case types.Bool:
			w = 8
		case types.Int16:
			w = 16
		case types.Int32, types.Date:
			w = 32
		case types.Int64, types.Timestamp, types.TimestampTZ, types.Time:
			w = 64
		}
		if w == 0 {
			l.fixed = false
		}
		total += w
		l.widths = append(l.widths, w)
	}
	if total > 64 {
		l.fixed = false
	}
	return l
}

// encode fills k with the keys of n rows from the key columns cols.
func (l keyLayout) encode(k *joinKeys, cols []arrow.Array, n int) error {
	k.fixed = l.fixed
	k.anyNull = false
	if cap(k.valid) < n {
		k.valid = make([]bool, n)
	}
	k.valid = k.valid[:n]
	for i := range k.valid {
		k.valid[i] = true
	}
	for _, c := range cols {
		if c.NullN() == 0 {
			continue
		}
		k.anyNull = true
		for i := 0; i < n; i++ {
			if c.IsNull(i) {
				k.valid[i] = false
			}
		}
	}
	if l.fixed {
		if cap(k.u) < n {
			k.u = make([]uint64, n)
		}
		k.u = k.u[:n]
		for i := range k.u {
			k.u[i] = 0
		}
		for c, col := range cols {
			if err := packFixed(k.u, col, l.widths[c]); err != nil {
				return err
			}
		}
		return nil
	}
	k.b = k.b[:0]
	if cap(k.off) < n+1 {
		k.off = make([]int32, n+1)
	}
	k.off = k.off[:n+1]
	// Encode column by column into per-row scratch, then lay rows out back to back.
	if cap(k.rows) < n {
		k.rows = make([][]byte, n)
	}
	rows := k.rows[:n]
	for i := range rows {
		rows[i] = rows[i][:0]
	}
	for _, col := range cols {
		if err := appendJoinKeys(rows, col); err != nil {
			return err
		}
	}
	for i, r := range rows {
		k.off[i] = int32(len(k.b))
		k.b = append(k.b, r...)
	}
	k.off[n] = int32(len(k.b))
	return nil
}

// key returns row i's bytes-path key.
func (k *joinKeys) key(i int) []byte { return k.b[k.off[i]:k.off[i+1]] }

// packFixed shifts the values of col into u (w bits each).
func packFixed(u []uint64, col arrow.Array, w uint) error {
	shiftIn := func(i int, v uint64) {
		if w < 64 {
			u[i] = u[i]<<w | v&(1<<w-1)
		} else {
			u[i] = v
		}
	}
	switch a := col.(type) {
	case *array.Boolean:
		for i := 0; i < a.Len(); i++ {
			v := uint64(0)
			if a.Value(i) {
				v = 1
			}
			shiftIn(i, v)
		}
	case *array.Int16:
		for i, v := range a.Int16Values() {
			shiftIn(i, uint64(uint16(v)))
		}
	case *array.Int32:
		for i, v := range a.Int32Values() {
			shiftIn(i, uint64(uint32(v)))
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			shiftIn(i, uint64(uint32(v)))
		}
	case *array.Int64:
		for i, v := range a.Int64Values() {
			shiftIn(i, uint64(v))
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			shiftIn(i, uint64(v))
		}
	case *array.Time64:
		for i, v := range a.Time64Values() {
			shiftIn(i, uint64(v))
		}
	default:
		return fmt.Errorf("exec: join key of type %s on the fixed path", col.DataType())
	}
	return nil
}

// appendJoinKeys appends the encoding of each row's value of col to rows[i]. NULL rows
// get nothing (they are marked invalid and never compared).
func appendJoinKeys(rows [][]byte, col arrow.Array) error {
	var buf [16]byte
	switch a := col.(type) {
	case *array.String:
		for i := range rows {
			s := a.Value(i)
			binary.LittleEndian.PutUint32(buf[:], uint32(len(s)))
			rows[i] = append(append(rows[i], buf[:4]...), s...)
		}
	case *array.Binary:
		for i := range rows {
			s := a.Value(i)
			binary.LittleEndian.PutUint32(buf[:], uint32(len(s)))
			rows[i] = append(append(rows[i], buf[:4]...), s...)
		}
	case *array.Decimal128:
		for i := range rows {
			v := a.Value(i)
			binary.LittleEndian.PutUint64(buf[:], v.LowBits())
			binary.LittleEndian.PutUint64(buf[8:], uint64(v.HighBits()))
			rows[i] = append(rows[i], buf[:16]...)
		}
	case *array.Float32:
		for i, v := range a.Float32Values() {
			binary.LittleEndian.PutUint64(buf[:], floatKey(float64(v)))
			rows[i] = append(rows[i], buf[:8]...)
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			binary.LittleEndian.PutUint64(buf[:], floatKey(v))
			rows[i] = append(rows[i], buf[:8]...)
		}
	case *array.List:
		// Array keys (a decorrelated subquery correlated on an array column, as psql's
		// `oid = ANY (pol.polroles)`): the element count, then each element's validity and
		// length-prefixed encoding.
		for i := range rows {
			start, end := a.ValueOffsets(i)
			binary.LittleEndian.PutUint32(buf[:], uint32(end-start))
			rows[i] = append(rows[i], buf[:4]...)
			if end == start {
				continue
			}
			sub := array.NewSlice(a.ListValues(), start, end)
			elems := make([][]byte, end-start)
			err := appendJoinKeys(elems, sub)
			for j, e := range elems {
				valid := byte(1)
				if sub.IsNull(j) {
					valid = 0
				}
				binary.LittleEndian.PutUint32(buf[:], uint32(len(e)))
				rows[i] = append(append(append(rows[i], valid), buf[:4]...), e...)
			}
			sub.Release()
			if err != nil {
				return err
			}
		}
	default:
		// Fixed-width kinds that did not fit the fixed path (several wide keys).
		u := make([]uint64, len(rows))
		if err := packFixed(u, col, 64); err != nil {
			return err
		}
		for i, v := range u {
			binary.LittleEndian.PutUint64(buf[:], v)
			rows[i] = append(rows[i], buf[:8]...)
		}
	}
	return nil
}

// joinTable is the hash table of a join's build side: open addressing over distinct keys,
// each slot holding the first build row with that key, and next chaining the other rows
// with the same key. It is read-only once built, so every probe worker shares it.
type joinTable struct {
	keys  joinKeys
	slots []int32 // build row + 1 of the first row of a key; 0 is empty
	next  []int32 // the next build row with the same key, or -1
	shift uint
	seed  maphash.Seed
}

func (t *joinTable) hashFixed(v uint64) uint64 {
	return (v * 0x9E3779B97F4A7C15) >> t.shift
}

func (t *joinTable) hashBytes(b []byte) uint64 {
	return maphash.Bytes(t.seed, b) >> t.shift
}

// buildJoinTable indexes n rows whose keys are k.
func buildJoinTable(k joinKeys, n int) *joinTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	t := &joinTable{keys: k, slots: make([]int32, size), next: make([]int32, n), seed: maphash.MakeSeed()}
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for r := n - 1; r >= 0; r-- {
		t.next[r] = -1
		if !k.valid[r] {
			continue
		}
		var h uint64
		if k.fixed {
			h = t.hashFixed(k.u[r])
		} else {
			h = t.hashBytes(k.key(r))
		}
		for {
			s := t.slots[h]
			if s == 0 {
				t.slots[h] = int32(r + 1)
				break
			}
			if t.equalBuild(int(s-1), r) {
				// Insert in front so that chains keep the build order.
				t.next[r] = s - 1
				t.slots[h] = int32(r + 1)
				break
			}
			h = (h + 1) & mask
		}
	}
	return t
}

func (t *joinTable) equalBuild(a, b int) bool {
	if t.keys.fixed {
		return t.keys.u[a] == t.keys.u[b]
	}
	return string(t.keys.key(a)) == string(t.keys.key(b))
}

// lookup returns the first build row whose key equals probe row i's, or -1.
func (t *joinTable) lookup(p *joinKeys, i int) int32 {
	if !p.valid[i] {
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	if p.fixed {
		v := p.u[i]
		h := t.hashFixed(v)
		for {
			s := t.slots[h]
			if s == 0 {
				return -1
			}
			if t.keys.u[s-1] == v {
				return s - 1
			}
			h = (h + 1) & mask
		}
	}
	key := p.key(i)
	h := t.hashBytes(key)
	for {
		s := t.slots[h]
		if s == 0 {
			return -1
		}
		if string(t.keys.key(int(s-1))) == string(key) {
			return s - 1
		}
		h = (h + 1) & mask
	}
}
