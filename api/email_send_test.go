package api_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"securelink/api/apitest"
	"securelink/api/wiring"
)

// refusingSMTP is an SMTP server that refuses every recipient for good (550) until accept is set,
// then takes the messages and keeps their recipients and raw text.
type refusingSMTP struct {
	mu     sync.Mutex
	accept bool
	got    []string
	raw    [][]byte
}

func (s *refusingSMTP) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &refusingSession{s: s}, nil
}

func (s *refusingSMTP) setAccept(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accept = v
}

func (s *refusingSMTP) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

type refusingSession struct {
	s  *refusingSMTP
	to string
}

func (ss *refusingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *refusingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if !ss.s.accept {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	ss.to = to
	return nil
}
func (ss *refusingSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.got = append(ss.s.got, ss.to)
	ss.s.raw = append(ss.s.raw, b)
	return err
}

// messages returns the raw text of every message taken.
func (s *refusingSMTP) messages() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.raw...)
}
func (ss *refusingSession) Reset()        {}
func (ss *refusingSession) Logout() error { return nil }

func startRefusingSMTP(t *testing.T) (*refusingSMTP, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink := &refusingSMTP{}
	srv := smtp.NewServer(sink)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return sink, ln.Addr().String()
}

// TestSendHeldOrFailedEmail: an e-mail the SMTP server refused, or one held while no server was
// configured, is sent again on request; queued and sent ones are refused, and without SMTP the
// request says so.
func TestSendHeldOrFailedEmail(t *testing.T) {
	t.Parallel()
	t.Run("without SMTP", func(t *testing.T) {
		apitest.Each(t, func(t *testing.T, e *apitest.Env) {
			m := e.NewMerchant(t, "Held")
			id := emailOf(t, e, m)
			r := e.Do(t, "POST", "/api/v1/emails/"+id+"/send", nil, m.Auth())
			if r.Status != http.StatusConflict || r.ErrorObject(t)["code"] != "smtp_not_configured" {
				t.Errorf("send without SMTP: %d %s", r.Status, r.Body)
			}
			if got := e.Do(t, "GET", "/api/v1/emails/"+id, nil, m.Auth()).Map(t); got["status"] != "held" {
				t.Errorf("the e-mail is %v after a refused send", got["status"])
			}
		})
	})

	sink, addr := startRefusingSMTP(t)
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		sink.setAccept(false)
		m := e.NewMerchant(t, "Mailer")
		ctx := context.Background()
		id := emailOf(t, e, m) // dispatched into the queue
		if _, err := e.App.Mailer.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		failed := e.Do(t, "GET", "/api/v1/emails/"+id, nil, m.Auth()).Map(t)
		if failed["status"] != "failed" {
			t.Fatalf("after a 550 the e-mail is %v", failed)
		}

		sink.setAccept(true)
		r := e.Do(t, "POST", "/api/v1/emails/"+id+"/send", nil, m.Auth())
		if r.Status != http.StatusAccepted || r.Map(t)["status"] != "queued" {
			t.Fatalf("send the failed e-mail: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/emails/"+id+"/send", nil, m.Auth()); r.Status != http.StatusConflict || r.ErrorObject(t)["code"] != "email_queued" {
			t.Errorf("send while queued: %d %s", r.Status, r.Body)
		}
		if n, err := e.App.Mailer.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("mailer sent %d: %v", n, err)
		}
		if got := e.Do(t, "GET", "/api/v1/emails/"+id, nil, m.Auth()).Map(t); got["status"] != "sent" {
			t.Errorf("after sending: %v", got["status"])
		}
		if r := e.Do(t, "POST", "/api/v1/emails/"+id+"/send", nil, m.Auth()); r.Status != http.StatusConflict || r.ErrorObject(t)["code"] != "email_sent" {
			t.Errorf("send a sent e-mail: %d %s", r.Status, r.Body)
		}

		// An e-mail held before SMTP was configured (a database carried over) goes out too.
		held := emailOf(t, e, m)
		if err := e.App.DB.Gorm.Exec("UPDATE emails SET status = 'held', next_attempt_at = NULL WHERE id = ?", held).Error; err != nil {
			t.Fatal(err)
		}
		if r := e.Do(t, "POST", "/api/v1/emails/"+held+"/send", nil, m.Auth()); r.Status != http.StatusAccepted {
			t.Fatalf("send a held e-mail: %d %s", r.Status, r.Body)
		}
		if n, err := e.App.Mailer.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("mailer sent %d held e-mails: %v", n, err)
		}
		if got := sink.received(); len(got) < 2 {
			t.Errorf("the SMTP server received %v", got)
		}
	}, func(c *wiring.Config) {
		c.SMTPURL, c.SMTPFrom = "smtp://"+addr+"?starttls=never", "SecureLink <no-reply@securelink.test>"
	})
}
