package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Envelope is one e-mail to send.
type Envelope struct {
	// ID is the outbox id; the Message-ID is derived from it so a retry is the same e-mail.
	ID      string
	To      string
	Subject string
	Text    string
	HTML    string
	Date    time.Time
	// Attachments go after the text and HTML bodies.
	Attachments []Attachment
}

// Attachment is a file sent with an e-mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// SMTP sends e-mails to the server SMTP_URL names.
type SMTP struct {
	host     string
	port     int
	user     string
	pass     string
	implicit bool // smtps://: TLS from the first byte
	policy   gomail.TLSPolicy
	from     string
	domain   string // of the From address: the right side of every Message-ID
	timeout  time.Duration
}

// NewSMTP reads rawURL and from:
//
//	smtp://user:pass@host:587                    STARTTLS when the server offers it (opportunistic)
//	smtp://user:pass@host:587?starttls=required  STARTTLS or no delivery
//	smtp://host:25?starttls=never                plain text (a relay on a trusted network)
//	smtps://user:pass@host:465                   implicit TLS
//
// Credentials are sent only over TLS or to localhost, unless starttls=never says the operator
// knowingly runs without TLS.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP_URL: %w", err)
	}
	s := &SMTP{host: u.Hostname(), from: from, timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		s.port, s.policy = 587, gomail.TLSOpportunistic
	case "smtps":
		s.port, s.implicit, s.policy = 465, true, gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("mail: SMTP_URL must start with smtp:// or smtps://")
	}
	if s.host == "" {
		return nil, fmt.Errorf("mail: SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 1 || s.port > 65535 {
			return nil, fmt.Errorf("mail: SMTP_URL port %q is not a port number", p)
		}
	}
	switch v := u.Query().Get("starttls"); v {
	case "", "opportunistic":
	case "required", "mandatory":
		s.policy = gomail.TLSMandatory
	case "never", "none":
		if s.implicit {
			return nil, fmt.Errorf("mail: smtps:// always uses TLS; starttls=never contradicts it")
		}
		s.policy = gomail.NoTLS
	default:
		return nil, fmt.Errorf("mail: SMTP_URL starttls must be opportunistic, required or never, not %q", v)
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP_FROM %q is not an e-mail address: %w", from, err)
	}
	if at := strings.LastIndexByte(addr.Address, '@'); at >= 0 {
		s.domain = addr.Address[at+1:]
	}
	return s, nil
}

// Describe names the server for logs, without credentials.
func (s *SMTP) Describe() string {
	scheme := "smtp"
	if s.implicit {
		scheme = "smtps"
	}
	return scheme + "://" + net.JoinHostPort(s.host, strconv.Itoa(s.port))
}

// MessageID is the stable Message-ID (without angle brackets) of the outbox e-mail id.
func (s *SMTP) MessageID(id string) string { return id + "@" + s.domain }

// client builds a go-mail client for one connection.
func (s *SMTP) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout), gomail.WithTLSPolicy(s.policy)}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	}
	if s.user != "" {
		// PLAIN refuses to send credentials in clear text except to localhost; starttls=never is the
		// operator's explicit choice of a trusted plain-text relay.
		auth := gomail.SMTPAuthPlain
		if s.policy == gomail.NoTLS {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	return gomail.NewClient(s.host, opts...)
}

// Send delivers e over one SMTP connection.
func (s *SMTP) Send(ctx context.Context, e Envelope) error {
	m := gomail.NewMsg()
	if err := m.From(s.from); err != nil {
		return &PermanentError{Err: fmt.Errorf("from %q: %w", s.from, err)}
	}
	if err := m.To(e.To); err != nil {
		return &PermanentError{Err: fmt.Errorf("recipient %q: %w", e.To, err)}
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(s.MessageID(e.ID))
	m.SetDateWithValue(e.Date)
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	for _, a := range e.Attachments {
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return &PermanentError{Err: fmt.Errorf("attach %s: %w", a.Name, err)}
		}
	}
	c, err := s.client()
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return &PermanentError{Err: err}
		}
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}

// PermanentError is a refusal that retrying will not change (an SMTP 5xx, a malformed address).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "mail: permanent failure: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks the error as not worth retrying.
func (e *PermanentError) Permanent() bool { return true }
