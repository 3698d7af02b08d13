package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// CreateToken tokenises a card through POST /sandbox/tokens, for server-side tests. hc may be nil.
func CreateToken(ctx context.Context, hc *http.Client, baseURL, number string, expMonth, expYear int, cvv, holder string) (string, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	body, _ := json.Marshal(map[string]any{"number": number, "exp_month": expMonth, "exp_year": expYear, "cvv": cvv, "holder": holder})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+"/sandbox/tokens", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("sandbox token: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Token  string       `json:"token"`
		Errors []fieldError `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", fmt.Errorf("sandbox token: HTTP %d: %w", resp.StatusCode, err)
	}
	if out.Token == "" {
		return "", fmt.Errorf("sandbox token: HTTP %d: %+v", resp.StatusCode, out.Errors)
	}
	return out.Token, nil
}

// Complete3DS drives the 3-D Secure page at redirectURL like the payer's browser: it loads it,
// checks both buttons are there and presses "Complete" (succeed) or "Fail". It returns where the
// sandbox sends the browser next (successUrl or errorUrl). hc may be nil.
func Complete3DS(ctx context.Context, hc *http.Client, redirectURL string, succeed bool) (string, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	browser := *hc
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, redirectURL, nil)
	if err != nil {
		return "", err
	}
	resp, err := browser.Do(req)
	if err != nil {
		return "", fmt.Errorf("3ds page: %w", err)
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("3ds page answered %d", resp.StatusCode)
	}
	for _, want := range []string{`value="complete"`, `value="fail"`} {
		if !bytes.Contains(page, []byte(want)) {
			return "", fmt.Errorf("3ds page lacks the button %s", want)
		}
	}
	outcome := "fail"
	if succeed {
		outcome = "complete"
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, redirectURL, strings.NewReader(url.Values{"outcome": {outcome}}.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = browser.Do(req)
	if err != nil {
		return "", fmt.Errorf("3ds answer: %w", err)
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusSeeOther:
		return resp.Header.Get("Location"), nil
	case http.StatusOK:
		return "", nil
	}
	return "", fmt.Errorf("3ds answer: HTTP %d", resp.StatusCode)
}
