package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Timeout bounds one delivery attempt, from dialling to the end of the response.
const Timeout = 10 * time.Second

// MaxExcerpt is how much of a receiver's response body an attempt keeps.
const MaxExcerpt = 1024

// Client posts deliveries through a guarded dialer, without proxies or redirects.
type Client struct {
	http *http.Client
	// UserAgent identifies SecureLink to receivers.
	UserAgent string
}

// NewClient returns a client whose every connection passes g.
func NewClient(g Guard) *Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: g.control, Resolver: g.Resolver}
	tr := &http.Transport{
		// No proxy: a proxy would make the connection on our behalf and escape the guard.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    5 * time.Second,
		ResponseHeaderTimeout:  Timeout,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &Client{UserAgent: "SecureLink-Webhooks/1.0", http: &http.Client{
		Transport: tr,
		Timeout:   Timeout,
		// A redirect is an answer, not an invitation: following it could lead anywhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Result is what one POST produced.
type Result struct {
	StatusCode int
	Latency    time.Duration
	Excerpt    string
	Err        error
}

// Forbidden reports whether the attempt was stopped by the guard.
func (r Result) Forbidden() bool { return errors.Is(r.Err, ErrForbiddenAddress) }

// Post sends body to url with the headers.
func (c *Client) Post(ctx context.Context, url string, headers map[string]string, body []byte) Result {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Result{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return Result{Latency: time.Since(start), Err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, MaxExcerpt))
	// Drain a little more so the connection can be reused, but never wait on a huge body.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	return Result{StatusCode: resp.StatusCode, Latency: time.Since(start), Excerpt: Excerpt(b)}
}

// Excerpt makes a response body safe to store as text: valid UTF-8, no NUL bytes, at most MaxExcerpt bytes.
func Excerpt(b []byte) string {
	if len(b) > MaxExcerpt {
		b = b[:MaxExcerpt]
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	for len(s) > MaxExcerpt {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
