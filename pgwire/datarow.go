package pgwire

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
)

// batchEncoder turns Arrow batches into DataRow messages. The text of each value is appended
// straight into pgproto3's output buffer by the column's textAppender: no per-value
// allocation, no []byte per field.
type batchEncoder struct {
	cols []engine.Column
	row  dataRow
}

func newBatchEncoder(cols []engine.Column) *batchEncoder {
	return &batchEncoder{cols: cols, row: dataRow{apps: make([]textAppender, len(cols))}}
}

// send queues one DataRow per row of rec and returns the number of rows.
func (b *batchEncoder) send(be *pgproto3.Backend, rec arrow.Record) (int64, error) {
	if int(rec.NumCols()) != len(b.cols) {
		return 0, sqlerr.New(sqlerr.InternalError, "result batch has %d columns, expected %d", rec.NumCols(), len(b.cols))
	}
	for i, col := range b.cols {
		app, err := newTextAppender(col.Type, rec.Column(i))
		if err != nil {
			return 0, sqlerr.Wrap(err, sqlerr.InternalError, "column %q: %v", col.Name, err)
		}
		b.row.apps[i] = app
	}
	n := int(rec.NumRows())
	for r := range n {
		b.row.r = r
		be.Send(&b.row)
	}
	return int64(n), nil
}

// dataRow is a DataRow message encoded from the current batch's appenders.
type dataRow struct {
	apps []textAppender
	r    int
}

func (*dataRow) Backend() {}

func (*dataRow) Decode([]byte) error { return errors.New("pgwire: dataRow is encode-only") }

func (m *dataRow) Encode(dst []byte) ([]byte, error) {
	if len(m.apps) > 0xffff {
		return nil, fmt.Errorf("pgwire: %d columns do not fit a DataRow", len(m.apps))
	}
	start := len(dst)
	dst = append(dst, 'D', 0, 0, 0, 0)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(m.apps)))
	for _, app := range m.apps {
		at := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		var ok bool
		if dst, ok = app(dst, m.r); ok {
			binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
		} else {
			binary.BigEndian.PutUint32(dst[at:], 0xffffffff) // NULL
		}
	}
	binary.BigEndian.PutUint32(dst[start+1:], uint32(len(dst)-start-1))
	return dst, nil
}
