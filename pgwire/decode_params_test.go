package pgwire

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

var paramOIDs = []uint32{
	types.OidBool, types.OidBytea, 18, types.OidName, types.OidInt8, types.OidInt2, types.OidInt4,
	types.OidText, types.OidOid, types.OidJSON, types.OidFloat4, types.OidFloat8, types.OidUnknown,
	types.OidBPChar, types.OidVarchar, types.OidDate, types.OidTime, types.OidTimestamp,
	types.OidTimestampTZ, types.OidInterval, types.OidNumeric, types.OidUUID, types.OidJSONB, 1007, 869,
}

// TestDecodeParamErrors: malformed values get PostgreSQL's codes.
func TestDecodeParamErrors(t *testing.T) {
	cases := []struct {
		oid  uint32
		v    []byte
		code string
	}{
		{types.OidInt4, []byte{0, 1}, sqlerr.ProtocolViolation},
		{types.OidInt4, []byte{0, 0, 0, 0, 1}, codeInvalidBinary},
		{types.OidNumeric, []byte{0, 1, 0, 0, 0, 0, 0, 0}, sqlerr.ProtocolViolation},
		{types.OidNumeric, []byte{0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}, codeInvalidBinary}, // digit 10000
		{types.OidNumeric, []byte{0, 0, 0, 0, 0x12, 0x34, 0, 0}, codeInvalidBinary},       // bad sign
		{types.OidTime, []byte{0xff, 0, 0, 0, 0, 0, 0, 0}, codeDatetimeBounds},
		{types.OidTimestamp, []byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, codeDatetimeBounds},
		{types.OidDate, []byte{0x7f, 0xff, 0xff, 0xfe}, codeDatetimeBounds},
		{types.OidText, []byte{0xff}, codeBadEncoding},
		{types.OidJSONB, []byte{2, '1'}, codeInvalidBinary},
		{1007, []byte{0, 0, 0, 0}, sqlerr.FeatureNotSupported},
		{869, []byte{2, 32, 0, 4, 1, 2, 3, 4}, sqlerr.UndefinedFunction},
	}
	for _, tc := range cases {
		_, err := decodeBinary(tc.v, tc.oid)
		if got := sqlerr.From(err).Code; err == nil || got != tc.code {
			t.Errorf("OID %d %x: got %v, want %s", tc.oid, tc.v, err, tc.code)
		}
	}
	// Through decodeParams, a wrong length names the parameter, as PostgreSQL does.
	_, err := decodeParams([]int16{1}, [][]byte{{0, 0, 0, 0, 0}}, []uint32{types.OidInt4})
	if e := sqlerr.From(err); e.Message != "incorrect binary data format in bind parameter 1" {
		t.Errorf("got %q", e.Message)
	}
	if _, err := decodeParams([]int16{0, 1}, [][]byte{{'1'}}, []uint32{types.OidInt4}); sqlerr.From(err).Code != sqlerr.ProtocolViolation {
		t.Errorf("format count: %v", err)
	}
}

// TestNumericText reads numeric_recv's format into text, truncating to dscale.
func TestNumericText(t *testing.T) {
	num := func(ndigits, weight int, sign uint16, dscale int, digits ...uint16) []byte {
		b := appendNumericHeader(nil, ndigits, weight, sign, dscale)
		for _, d := range digits {
			b = append(b, byte(d>>8), byte(d))
		}
		return b
	}
	cases := []struct {
		v    []byte
		want string
	}{
		{num(0, 0, numericPos, 0), "0"},
		{num(0, 0, numericPos, 2), "0.00"},
		{num(2, 0, numericPos, 2, 1, 5000), "1.50"},
		{num(3, 1, numericNeg, 3, 1, 2345, 6780), "-12345.678"},
		{num(1, -2, numericPos, 5, 1000), "0.00001"},
		{num(1, 1, numericPos, 0, 1), "10000"},
		{num(2, 0, numericPos, 1, 1, 5678), "1.5"},      // digits beyond dscale dropped
		{num(1, -1, numericNeg, 2, 1), "0.00"},          // and no negative zero left
		{num(1, 0, numericPos, 0, 7), "7"},              // a plain integer
		{num(0, 0, numericNaN, 0), "NaN"},               // special values
		{num(0, 0, numericNInf, 0), "-Infinity"},        //
		{num(1, 2, numericPos, 0, 12), "1200000000"},    // weight beyond the digits
		{num(2, -1, numericPos, 8, 1, 2), "0.00010002"}, // fractional groups
	}
	for _, tc := range cases {
		got, err := numericText(tc.v)
		if err != nil || got != tc.want {
			t.Errorf("%x: got %q %v, want %q", tc.v, got, err, tc.want)
		}
	}
}

// FuzzDecodeParam: any bytes in any format for any OID decode to a value or an error,
// never a panic, and a numeric's text converts back to the same binary meaning.
func FuzzDecodeParam(f *testing.F) {
	f.Add(uint8(6), uint8(1), []byte{0, 0, 0, 42})
	f.Add(uint8(20), uint8(1), []byte{0, 2, 0, 0, 0, 0, 0, 2, 0, 1, 0x13, 0x88})
	f.Add(uint8(20), uint8(1), []byte{0, 1, 0x80, 0, 0x40, 0, 0x3f, 0xff, 0, 1})
	f.Add(uint8(19), uint8(1), []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3})
	f.Add(uint8(16), uint8(1), []byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add(uint8(7), uint8(0), []byte("héllo"))
	f.Add(uint8(22), uint8(1), []byte{1, '{', '}'})
	f.Add(uint8(0), uint8(2), []byte{1})
	f.Fuzz(func(t *testing.T, oidIdx, format uint8, v []byte) {
		oid := paramOIDs[int(oidIdx)%len(paramOIDs)]
		ps, err := decodeParams([]int16{int16(format % 3)}, [][]byte{v}, []uint32{oid})
		if err != nil {
			if sqlerr.From(err).Code == sqlerr.InternalError {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		if oid != types.OidNumeric || format%3 != 1 {
			return
		}
		// The text read from binary numeric gives back an equivalent binary numeric.
		text := ps[0].Text
		again, err := numericText(appendNumericBinary(nil, []byte(text)))
		if err != nil || again != text {
			t.Fatalf("%x: text %q, encoded and read again %q (%v)", v, text, again, err)
		}
	})
}

// FuzzExtendedMessages plays random bytes after startup on a session that implements the
// extended protocol (the preparing fake): no panic, and the server still answers.
func FuzzExtendedMessages(f *testing.F) {
	fs := &fuzzServers{}
	s := NewServer(Config{Addr: "127.0.0.1:0", AuthMethod: AuthTrust, AuthTimeout: 2 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, preparingBackend{newFakeBackendIter(f, 2)})
	s.maxMsgLen = 1 << 20
	s.panicHook = func(v any) {
		if fmt.Sprint(v) == "fake engine panic" {
			return
		}
		fs.mu.Lock()
		fs.panics = append(fs.panics, v)
		fs.mu.Unlock()
	}
	addr, err := s.Listen()
	if err != nil {
		f.Fatal(err)
	}
	go func() { _ = s.Serve(context.Background()) }()
	f.Cleanup(func() { s.Close() })
	fs.servers[0], fs.addrs[0] = s, addr.String()

	seeds := [][]pgproto3.FrontendMessage{
		{&pgproto3.Parse{Name: "s", Query: "select rows 7"}, &pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "s", ResultFormatCodes: []int16{1}},
			&pgproto3.Execute{Portal: "p", MaxRows: 2}, &pgproto3.Execute{Portal: "p", MaxRows: 2}, &pgproto3.Sync{}},
		{&pgproto3.Query{String: "begin"}, &pgproto3.Parse{Query: "select mixed"}, &pgproto3.Bind{ResultFormatCodes: []int16{1, 0, 1, 1}},
			&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{MaxRows: 1}, &pgproto3.Sync{}, &pgproto3.Query{String: "commit"}},
		{&pgproto3.Parse{Name: "a", Query: "select 1", ParameterOIDs: []uint32{23}}, &pgproto3.Bind{PreparedStatement: "a", ParameterFormatCodes: []int16{1},
			Parameters: [][]byte{{0, 0, 0, 1}}}, &pgproto3.Execute{}, &pgproto3.Close{ObjectType: 'S', Name: "a"}, &pgproto3.Sync{}},
		{&pgproto3.Parse{Query: "select 1/0"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{}, &pgproto3.Parse{Query: ""},
			&pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Flush{}},
		{&pgproto3.Parse{Query: "select sleep"}, &pgproto3.Bind{}, &pgproto3.Describe{ObjectType: 'X'}, &pgproto3.Sync{}},
	}
	start := startupBytes(aliceParams, pgproto3.ProtocolVersion30)
	for _, sd := range seeds {
		f.Add(frontendBytes(sd...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs.run(t, 0, cat(start, data))
		fs.healthy(t, 0)
	})
}
