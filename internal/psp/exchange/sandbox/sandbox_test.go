package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"securelink/internal/psp/exchange"
	"securelink/internal/psp/exchange/sandbox"
)

func newSandbox(t *testing.T) *httptest.Server {
	t.Helper()
	sb := sandbox.New(sandbox.Config{APIKey: "key", Username: "user", Password: "pass", SharedSecret: "secret", PublicIntegrationKey: "pub"})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func TestPaymentJSHasTheGatewaysAPIAndLoadsFramesFromTheSandbox(t *testing.T) {
	srv := newSandbox(t)
	resp, js := get(t, srv.URL+exchange.ScriptPath)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("payment.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`var ORIGIN = "` + srv.URL + `"`, "PaymentJs.prototype.init", "PaymentJs.prototype.tokenize",
		"PaymentJs.prototype.setNumberStyle", "PaymentJs.prototype.numberOn", "window.PaymentJs = PaymentJs"} {
		if !strings.Contains(js, want) {
			t.Errorf("payment.js lacks %q", want)
		}
	}
	for _, field := range []string{"number", "cvv"} {
		resp, page := get(t, srv.URL+"/sandbox/frames/"+field+"?id=pjs1abc&key=pub")
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != http.StatusOK || !strings.Contains(csp, "frame-ancestors *") || !strings.Contains(csp, "script-src 'nonce-") {
			t.Errorf("%s frame: %d, CSP %q", field, resp.StatusCode, csp)
		}
		if !strings.Contains(page, `var field = "`+field+`", id = "pjs1abc", key = "pub"`) {
			t.Errorf("%s frame does not carry its id and key", field)
		}
	}
	// Ids that are not plain never reach the frame's script.
	_, page := get(t, srv.URL+`/sandbox/frames/number?id=%22%3Balert(1)%2F%2F&key=pub`)
	if strings.Contains(page, "alert(1)") {
		t.Error("the frame echoes a script-breaking id")
	}
}

func TestFramesTokenizeOnlyWithThePublicIntegrationKey(t *testing.T) {
	srv := newSandbox(t)
	for _, tc := range []struct {
		name, body string
		status     int
		field      string
	}{
		{"good", `{"key":"pub","number":"4242 4242 4242 4242","cvv":"123","card_holder":"Ana Anić","month":"12","year":"2040"}`, 200, ""},
		{"wrong key", `{"key":"other","number":"4242424242424242","cvv":"123","card_holder":"A","month":"12","year":"2040"}`, 401, ""},
		{"bad number", `{"key":"pub","number":"4242424242424241","cvv":"123","card_holder":"A","month":"12","year":"2040"}`, 422, "number"},
		{"short cvv", `{"key":"pub","number":"4242424242424242","cvv":"12","card_holder":"A","month":"12","year":"2040"}`, 422, "cvv"},
		{"expired", `{"key":"pub","number":"4242424242424242","cvv":"123","card_holder":"A","month":"1","year":"2020"}`, 422, "year"},
		{"no holder", `{"key":"pub","number":"4242424242424242","cvv":"123","card_holder":" ","month":"12","year":"2040"}`, 422, "card_holder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+"/sandbox/frames/tokenize", "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out struct {
				Token    string `json:"token"`
				CardData struct {
					CardType       string `json:"card_type"`
					LastFourDigits string `json:"last_four_digits"`
				} `json:"cardData"`
				Errors []struct{ Attribute string } `json:"errors"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (%+v)", resp.StatusCode, tc.status, out)
			}
			if tc.status == 200 && (out.Token == "" || out.CardData.CardType != "visa" || out.CardData.LastFourDigits != "4242") {
				t.Errorf("answer %+v, want a token for a visa ending 4242", out)
			}
			if tc.field != "" && (len(out.Errors) == 0 || out.Errors[0].Attribute != tc.field) {
				t.Errorf("errors %+v, want one for %s", out.Errors, tc.field)
			}
		})
	}
}

func TestTransactionAPIRefusesUnsignedRequests(t *testing.T) {
	srv := newSandbox(t)
	body := `{"merchantTransactionId":"m1","amount":"9.99","currency":"EUR","transactionToken":"x"}`
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v3/transaction/key/debit", strings.NewReader(body))
	req.SetBasicAuth("user", "pass")
	req.Header.Set("Content-Type", exchange.ContentTypeJSON)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out exchange.TransactionResponse
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusUnauthorized || out.Success || len(out.Errors) != 1 || out.Errors[0].ErrorCode != exchange.CodeInvalidSignature {
		t.Fatalf("unsigned debit: %d %+v, want 401 with error %d", resp.StatusCode, out, exchange.CodeInvalidSignature)
	}
}
