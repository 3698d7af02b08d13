package api_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"securelink/api/apitest"
)

// verifyReturn checks a return URL's signature as the README tells a merchant's site to.
func verifyReturn(t *testing.T, raw, secret string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("return url %q: %v", raw, err)
	}
	q := u.Query()
	signed := strings.Join([]string{q.Get("ts"), q.Get("invoice"), q.Get("payment"), q.Get("status"), q.Get("amount"), q.Get("currency")}, ".")
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signed))
	if want := hex.EncodeToString(m.Sum(nil)); q.Get("signature") != want {
		t.Errorf("signature of %s does not verify with the secret", raw)
	}
	return q
}

// invoiceWithReturn creates an invoice with success and cancel URLs and returns its id and token.
func invoiceWithReturn(t *testing.T, e *apitest.Env, auth apitest.Header) (string, string) {
	t.Helper()
	body := apitest.Invoice(240000)
	body["success_url"] = "https://shop.example/thanks?order=77"
	body["cancel_url"] = "https://shop.example/cart"
	r := e.Do(t, "POST", "/api/v1/invoices", body, auth)
	if r.Status != http.StatusCreated {
		t.Fatalf("create invoice: %d %s", r.Status, r.Body)
	}
	inv := r.Map(t)
	if inv["success_url"] != "https://shop.example/thanks?order=77" || inv["cancel_url"] != "https://shop.example/cart" {
		t.Errorf("invoice return urls: %v %v", inv["success_url"], inv["cancel_url"])
	}
	return inv["id"].(string), inv["link"].(map[string]any)["token"].(string)
}

func rotateReturnSecret(t *testing.T, e *apitest.Env, auth apitest.Header) string {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/merchant/return-secret", nil, auth)
	if r.Status != http.StatusOK {
		t.Fatalf("return secret: %d %s", r.Status, r.Body)
	}
	s, _ := r.Map(t)["secret"].(string)
	if !strings.HasPrefix(s, "rsec_") {
		t.Fatalf("secret %q", s)
	}
	return s
}

// TestReturnToMerchant: the checkout offers the invoice's cancel URL while it can be paid and its
// success URL after paying, both signed with the merchant's secret of the invoice's mode; a new
// secret replaces the old one at once; auto_return is the merchant's setting.
func TestReturnToMerchant(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Povratak")
		invID, token := invoiceWithReturn(t, e, m.Auth())
		// The invoice gave the mode a secret; a new one replaces it before the payer comes.
		secret := rotateReturnSecret(t, e, m.Auth())
		if again := rotateReturnSecret(t, e, m.Auth()); again == secret {
			t.Fatal("rotating gave the same secret")
		} else {
			secret = again
		}
		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		if co["return_url"] != nil || co["auto_return"] != false {
			t.Errorf("open checkout: return_url %v auto_return %v", co["return_url"], co["auto_return"])
		}
		cancel, _ := co["cancel_url"].(string)
		if !strings.HasPrefix(cancel, "https://shop.example/cart?") {
			t.Fatalf("cancel_url %q", cancel)
		}
		q := verifyReturn(t, cancel, secret)
		if q.Get("invoice") != invID || q.Get("payment") != "" || q.Get("status") != "open" || q.Get("amount") != "240000" || q.Get("currency") != "RSD" {
			t.Errorf("cancel parameters: %v", q)
		}

		if r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"auto_return": true}, m.Auth()); r.Status != http.StatusOK || r.Map(t)["auto_return"] != true {
			t.Fatalf("auto_return: %d %s", r.Status, r.Body)
		}
		paid := pay(t, e, token, visaCard, http.StatusOK)
		co = e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		ret, _ := co["return_url"].(string)
		if !strings.HasPrefix(ret, "https://shop.example/thanks?") || co["cancel_url"] != nil || co["auto_return"] != true {
			t.Fatalf("paid checkout: return_url %q cancel_url %v auto_return %v", ret, co["cancel_url"], co["auto_return"])
		}
		q = verifyReturn(t, ret, secret)
		if q.Get("order") != "77" || q.Get("invoice") != invID || q.Get("payment") != paid["id"] || q.Get("status") != "captured" ||
			q.Get("amount") != "240000" || q.Get("currency") != "RSD" || q.Get("ts") == "" {
			t.Errorf("return parameters: %v", q)
		}

		// A live invoice is signed with the live secret, which the test secret does not verify.
		e.ConnectLive(t, m)
		_, liveToken := invoiceWithReturn(t, e, m.LiveAuth())
		liveSecret := rotateReturnSecret(t, e, m.LiveAuth())
		liveCancel, _ := e.Do(t, "GET", "/api/v1/checkout/"+liveToken, nil).Map(t)["cancel_url"].(string)
		verifyReturn(t, liveCancel, liveSecret)
		if liveSecret == secret {
			t.Error("test and live share a return secret")
		}
	})
}

func TestReturnSecretNeedsAuthentication(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	if r := e.Do(t, "POST", "/api/v1/merchant/return-secret", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("without a key: %d", r.Status)
	}
}

// readmeSnippet is the README's code block that starts with first.
func readmeSnippet(t *testing.T, first string) string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+first+"\n")
	body, _, closed := strings.Cut(rest, "\n```\n")
	if !ok || !closed {
		t.Fatalf("the README has no code block starting %q", first)
	}
	return first + "\n" + body + "\n"
}

// TestReadmeReturnVerifiers runs the README's Go and Node verification snippets on a real return
// URL from a paid checkout: the right secret says valid, a wrong one or a changed amount invalid.
func TestReadmeReturnVerifiers(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	m := e.NewMerchant(t, "Snippets")
	_, token := invoiceWithReturn(t, e, m.Auth())
	secret := rotateReturnSecret(t, e, m.Auth())
	pay(t, e, token, visaCard, http.StatusOK)
	ret, _ := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)["return_url"].(string)
	if ret == "" {
		t.Fatal("no return_url after paying")
	}
	forged := strings.Replace(ret, "amount=240000", "amount=100", 1)
	dir := t.TempDir()
	goFile, jsFile := filepath.Join(dir, "verify.go"), filepath.Join(dir, "verify.mjs")
	if err := os.WriteFile(goFile, []byte(readmeSnippet(t, `// go run verify.go "$RETURN_URL" "$RETURN_SECRET"`)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jsFile, []byte(readmeSnippet(t, `// node verify.mjs "$RETURN_URL" "$RETURN_SECRET"`)), 0o600); err != nil {
		t.Fatal(err)
	}
	// The Go snippet is built once and run three times (go run would build it on each run).
	goBin := filepath.Join(dir, "verify")
	run := map[string][]string{"go": {goBin}, "node": {"node", jsFile}}
	for lang, cmd := range run {
		tool := cmd[0]
		if lang == "go" {
			tool = "go"
		}
		if _, err := exec.LookPath(tool); err != nil {
			t.Errorf("%s is not installed: %v", tool, err)
			continue
		}
		if lang == "go" {
			build := exec.Command("go", "build", "-o", goBin, goFile)
			build.Dir = dir
			if out, err := build.CombinedOutput(); err != nil {
				t.Errorf("go build of the README's Go snippet: %v\n%s", err, out)
				continue
			}
		}
		for _, tc := range []struct {
			url, secret string
			valid       bool
		}{{ret, secret, true}, {ret, secret + "x", false}, {forged, secret, false}} {
			c := exec.Command(cmd[0], append(cmd[1:], tc.url, tc.secret)...)
			c.Dir = dir
			out, err := c.CombinedOutput()
			valid := err == nil && strings.HasPrefix(string(out), "valid ")
			if valid != tc.valid {
				t.Errorf("%s snippet on %s: %s (err %v), want valid=%v", lang, tc.url, out, err, tc.valid)
			}
		}
	}
}
