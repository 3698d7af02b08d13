package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// A COMMIT that reaches PostgreSQL but whose answer never comes back (the connection dies on the
// way) may have been kept. Then every caller of the transaction, alone or grouped, hears an error,
// and nothing runs again: a rerun would judge a member that was kept as lost. PostgreSQL keeps what
// it committed, exactly once, and the next transaction gets a new connection. PostgreSQL only:
// SQLite's writer is in the process, with no connection to lose.
func TestCommitWhoseAnswerIsLost(t *testing.T) {
	if testing.Short() {
		t.Skip("PostgreSQL is left out with -short")
	}
	dsn := storetest.URL(t, store.DialectPostgres)
	direct := storetest.Open(t, dsn)
	cutter := newCommitCutter(t, dsn)
	viaCutter := storetest.Open(t, cutter.url)
	ctx := context.Background()

	for _, tt := range []struct {
		name    string
		members int
		// lastWords is what the client hears instead of the answer before its connection closes.
		lastWords []byte
	}{
		{"alone, the connection lost", 1, nil},
		{"a group, the connection lost", 6, nil},
		// What a restarting server says to each connection: pgx takes it for a connection that
		// died, the case where a transaction whose COMMIT had not gone out is sent again.
		{"alone, the server shutting down", 1, adminShutdown},
		{"a group, the server shutting down", 6, adminShutdown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sets := make([]payments.AuthSettlement, tt.members)
			calls := make([]func() error, tt.members)
			for i := range sets {
				set := seedClaimed(t, direct, int64(500+i))
				set.Events = []domain.Event{{ID: domain.NewID("evt"), MerchantID: set.Payment.MerchantID, Type: "payment.succeeded",
					ObjectID: set.Payment.ID, Payload: []byte(`{}`), CreatedAt: set.At}}
				sets[i] = set
				calls[i] = func() error { return (&store.Payments{DB: viaCutter}).SettleAuthorization(ctx, set) }
			}

			cutter.arm(tt.lastWords)
			errs, _ := together(t, viaCutter, calls)
			if cut := cutter.disarm(); cut != 1 {
				t.Fatalf("connections cut at their COMMIT: %d, want 1", cut)
			}
			// The members go as one group (HoldGroupLanes), whose COMMIT went unanswered: each caller
			// hears an error, and none runs again, or a settlement that was kept would meet its own
			// guard and fail as a conflict.
			for i, err := range errs {
				switch {
				case errors.Is(err, apperr.ErrConflict):
					t.Errorf("settlement %d of %d ran again after its COMMIT went unanswered: %v", i, tt.members, err)
				case err == nil:
					t.Errorf("settlement %d of %d: no error, though its COMMIT went unanswered", i, tt.members)
				}
			}

			// PostgreSQL got the COMMIT: it kept every settlement, once.
			for _, set := range sets {
				waitForStatus(t, direct, set.Payment, domain.PaymentCaptured)
				if got := countRows(t, direct, "events", set.Events[0].ID); got != 1 {
					t.Errorf("event of settlement %s stored %d times", set.Payment.ID, got)
				}
			}

			// The dead connection is gone: the next settlement through the same pool is kept.
			next := seedClaimed(t, direct, 900)
			if err := (&store.Payments{DB: viaCutter}).SettleAuthorization(ctx, next); err != nil {
				t.Fatalf("a settlement after the lost answer: %v", err)
			}
			waitForStatus(t, direct, next.Payment, domain.PaymentCaptured)
		})
	}
}

// waitForStatus waits until PostgreSQL has finished what it received, and p has status want.
func waitForStatus(t *testing.T, db *store.DB, p payments.Payment, want domain.PaymentStatus) {
	t.Helper()
	st := &store.Payments{DB: db}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := st.GetPayment(context.Background(), p.MerchantID, p.ID)
		if err == nil && got.Status == want && got.AmountCaptured == p.AmountCaptured {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("payment %s: %+v, %v; want %s", p.ID, got, err, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// commitCutter is a TCP proxy in front of PostgreSQL. Armed, it passes on the next round trip that
// executes a COMMIT and then closes that client's connection before any answer reaches it;
// the server's side stays open and is read to the end, so PostgreSQL carries the COMMIT out.
type commitCutter struct {
	url       string
	armed     atomic.Bool  // cut the next COMMIT's connection
	cut       atomic.Int64 // connections cut since arm
	mu        sync.Mutex
	lastWords []byte // told to the client whose connection is cut
	closed    bool
	conns     []net.Conn
}

func newCommitCutter(t *testing.T, dsn string) *commitCutter {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u.Host = ln.Addr().String()
	c := &commitCutter{url: u.String()}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			go c.open(client, target)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		c.mu.Lock()
		c.closed = true
		for _, conn := range c.conns {
			conn.Close()
		}
		c.mu.Unlock()
	})
	return c
}

// open connects client to the server at target and relays between them, except for a cancel
// request: pgx sends one when its connection dies, and the network that lost the COMMIT's answer
// loses it too. Had it arrived while the transaction was still running, PostgreSQL would have
// rolled it back instead, the other outcome the callers cannot tell apart.
func (c *commitCutter) open(client net.Conn, target string) {
	first := make([]byte, 8) // a startup message's length and protocol code
	if _, err := io.ReadFull(client, first); err != nil || binary.BigEndian.Uint32(first[4:]) == cancelRequestCode {
		client.Close()
		return
	}
	server, err := net.Dial("tcp", target)
	if err != nil {
		client.Close()
		return
	}
	if !c.track(client, server) {
		return
	}
	if _, err := server.Write(first); err != nil {
		client.Close()
		server.Close()
		return
	}
	c.relay(client, server)
}

// cancelRequestCode opens a cancel request in PostgreSQL's protocol.
const cancelRequestCode = 80877102

// track remembers conns for the clean-up; false (and both closed) once it has run.
func (c *commitCutter) track(conns ...net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		for _, conn := range conns {
			conn.Close()
		}
		return false
	}
	c.conns = append(c.conns, conns...)
	return true
}

// arm makes the cutter cut the next COMMIT's connection, once, after telling the client lastWords.
func (c *commitCutter) arm(lastWords []byte) {
	c.mu.Lock()
	c.lastWords = lastWords
	c.mu.Unlock()
	c.cut.Store(0)
	c.armed.Store(true)
}

// adminShutdown is PostgreSQL's FATAL error 57P01, as it ends every connection when it shuts down.
var adminShutdown = func() []byte {
	var fields []byte
	for _, f := range []string{"SFATAL", "VFATAL", "C57P01", "Mterminating connection due to administrator command"} {
		fields = append(append(fields, f...), 0)
	}
	fields = append(fields, 0)
	msg := append([]byte{'E'}, binary.BigEndian.AppendUint32(nil, uint32(4+len(fields)))...)
	return append(msg, fields...)
}()

// disarm stops cutting and returns how many connections were cut since arm.
func (c *commitCutter) disarm() int64 {
	c.armed.Store(false)
	return c.cut.Load()
}

// commitStatement is the name pgx gives the COMMIT in its cache of prepared statements ("stmtcache_"
// and the first 24 bytes of the text's SHA-256, in hex), NUL-terminated as in a message.
var commitStatement = func() []byte {
	d := sha256.Sum256([]byte("COMMIT"))
	return []byte("stmtcache_" + hex.EncodeToString(d[:24]) + "\x00")
}()

// executesCommit says whether b carries a Bind of the COMMIT's statement, which is how a transaction's
// COMMIT travels: 'B', the message's length, the unnamed portal (a NUL), then the statement's name.
// The statement's Parse and Describe, the first time on a connection, go in a round trip of their own.
func executesCommit(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], commitStatement)
		if j < 0 {
			return false
		}
		at := i + j
		if at >= 6 && b[at-1] == 0 && b[at-6] == 'B' {
			return true
		}
		i = at + len(commitStatement)
	}
}

// commitComplete is PostgreSQL's answer to a COMMIT that was carried out (CommandComplete), and
// readyForQuery starts the answer that ends every round trip.
var (
	commitComplete = []byte("C\x00\x00\x00\x0bCOMMIT\x00")
	readyForQuery  = []byte("Z\x00\x00\x00\x05")
)

// relay copies client to server and back. Once a round trip that executes a COMMIT has gone to the
// server, the client hears the answers that come before the COMMIT's, then lastWords instead of it,
// and its connection closes; the server's answers are then read and dropped.
func (c *commitCutter) relay(client, server net.Conn) {
	var cut atomic.Bool
	go func() {
		buf := make([]byte, 32<<10)
		var held []byte   // the answers to the cut round trip, until the COMMIT's
		dropping := false // the client has had its answers and is closed
		for {
			n, err := server.Read(buf)
			switch {
			case n == 0 || dropping:
			case !cut.Load():
				if _, werr := client.Write(buf[:n]); werr != nil {
					server.Close()
					return
				}
			default:
				held = append(held, buf[:n]...)
				end := bytes.Index(held, commitComplete)
				if end < 0 && !bytes.Contains(held, readyForQuery) {
					break // the COMMIT's answer is still to come
				}
				if end < 0 { // no COMMIT was carried out: the whole answer goes on
					end = len(held)
				}
				c.mu.Lock()
				lastWords := c.lastWords
				c.mu.Unlock()
				_, _ = client.Write(append(held[:end:end], lastWords...))
				client.Close()
				dropping = true
			}
			if err != nil {
				client.Close()
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			if c.armed.Load() && executesCommit(buf[:n]) && c.armed.CompareAndSwap(true, false) {
				c.cut.Add(1)
				cut.Store(true) // before the server can answer the round trip
			}
			if _, werr := server.Write(buf[:n]); werr != nil {
				client.Close()
				return
			}
		}
		if err != nil {
			return // the server's side stays open until the test ends, so that it finishes
		}
	}
}
