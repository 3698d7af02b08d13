package domain_test

import (
	"net/url"
	"testing"
	"time"

	"securelink/internal/domain"
)

func TestReturnSignature(t *testing.T) {
	t.Parallel()
	r := domain.Return{Invoice: "inv_1", Payment: "pay_1", Status: "captured", Amount: 240000, Currency: "RSD", At: time.Unix(1767225600, 0)}
	if got, want := r.SignedString(), "1767225600.inv_1.pay_1.captured.240000.RSD"; got != want {
		t.Fatalf("signed string %q, want %q", got, want)
	}
	// The same HMAC as `printf %s "$string" | openssl dgst -sha256 -hmac rsec_test`.
	const want = "ab917106525edc75d67cafa60e799a7dd10bed27499e463ac431b964fa66f625"
	if got := r.Signature("rsec_test"); got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	u, err := r.URL("https://shop.example/thanks?order=7&status=forged#top", "rsec_test")
	if err != nil {
		t.Fatal(err)
	}
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Query()
	for k, v := range map[string]string{"order": "7", "invoice": "inv_1", "payment": "pay_1", "status": "captured",
		"amount": "240000", "currency": "RSD", "ts": "1767225600", "signature": want} {
		if q.Get(k) != v || len(q[k]) != 1 {
			t.Errorf("%s = %v, want %q", k, q[k], v)
		}
	}
	if p.Host != "shop.example" || p.Path != "/thanks" || p.Fragment != "top" {
		t.Errorf("base changed: %s", u)
	}
}
