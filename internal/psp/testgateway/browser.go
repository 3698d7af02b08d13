package testgateway

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Complete3DS drives a 3-D Secure challenge like the payer's browser, for tests: it loads the page at
// redirectURL, checks that it offers both buttons, and submits "Complete" (succeed) or "Fail".
// It returns the Location the gateway redirects the browser to (return_url with payment_id added),
// or "" when the payment has no return_url. hc may be nil.
func Complete3DS(ctx context.Context, hc *http.Client, redirectURL string, succeed bool) (string, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	browser := *hc
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, redirectURL, nil)
	if err != nil {
		return "", fmt.Errorf("3ds: build page request: %w", err)
	}
	resp, err := browser.Do(req)
	if err != nil {
		return "", fmt.Errorf("3ds: load page: %w", err)
	}
	page, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return "", fmt.Errorf("3ds: read page: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("3ds: page answered %d", resp.StatusCode)
	}
	for _, want := range []string{`value="complete"`, `value="fail"`} {
		if !strings.Contains(string(page), want) {
			return "", fmt.Errorf("3ds: page has no %s: the challenge is not pending", want)
		}
	}

	answer := challengeFail
	if succeed {
		answer = challengeComplete
	}
	form := url.Values{"result": {answer}}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, redirectURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("3ds: build answer: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = browser.Do(req)
	if err != nil {
		return "", fmt.Errorf("3ds: submit answer: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusSeeOther:
		return resp.Header.Get("Location"), nil
	case http.StatusOK:
		return "", nil
	default:
		return "", fmt.Errorf("3ds: answer got %d", resp.StatusCode)
	}
}
