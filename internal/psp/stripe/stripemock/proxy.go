package stripemock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

var (
	capturePath = regexp.MustCompile(`^/v1/payment_intents/[^/]+/capture$`)
	cancelPath  = regexp.MustCompile(`^/v1/payment_intents/[^/]+/cancel$`)
	intentPath  = regexp.MustCompile(`^/v1/payment_intents(/[^/]+)?$`)
)

// SucceedingProxy starts a loopback reverse proxy to stripe-mock that sets each PaymentIntent's
// status to what Stripe answers for a succeeding card: stripe-mock answers every PaymentIntent with
// status requires_payment_method and a stray last_payment_error, whatever was asked.
func SucceedingProxy(t *testing.T, mockURL string) *httptest.Server {
	t.Helper()
	target, err := url.Parse(mockURL)
	if err != nil {
		t.Fatalf("parse stripe-mock URL: %v", err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
		body, err = withSuccessStatus(resp.Request.Method, resp.Request.URL.Path, body)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	server := httptest.NewServer(proxy)
	t.Cleanup(server.Close)
	return server
}

// withSuccessStatus rewrites a PaymentIntent answer; other answers pass unchanged.
func withSuccessStatus(method, path string, body []byte) ([]byte, error) {
	if !intentPath.MatchString(path) && !capturePath.MatchString(path) && !cancelPath.MatchString(path) {
		return body, nil
	}
	var pi map[string]any
	if err := json.Unmarshal(body, &pi); err != nil {
		return nil, err
	}
	amount := pi["amount"]
	pi["last_payment_error"] = nil
	pi["next_action"] = nil
	pi["amount_capturable"], pi["amount_received"] = 0, 0
	switch {
	case cancelPath.MatchString(path):
		pi["status"] = "canceled"
	case capturePath.MatchString(path):
		pi["status"] = "succeeded"
		pi["amount_received"] = amount
	case method == http.MethodPost && pi["capture_method"] == "automatic":
		pi["status"] = "succeeded"
		pi["amount_received"] = amount
	default:
		// A new manual-capture PaymentIntent, or one read back: stateless, so call it authorised.
		pi["status"] = "requires_capture"
		pi["amount_capturable"] = amount
	}
	return json.Marshal(pi)
}
