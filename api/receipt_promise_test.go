package api_test

import (
	"net/http"
	"testing"

	"securelink/api/apitest"
	"securelink/api/wiring"
)

// TestReceiptPromisesACopyOnlyWhenEmailsLeave: the checkout's receipt names the address a copy goes
// to, and a reusable link's page promises the receipt by e-mail, only while an SMTP server is
// configured; without one the e-mails are only held, so neither says anything about a copy.
func TestReceiptPromisesACopyOnlyWhenEmailsLeave(t *testing.T) {
	t.Parallel()
	_, addr := startRefusingSMTP(t)
	withSMTP := func(c *wiring.Config) {
		c.SMTPURL, c.SMTPFrom = "smtp://"+addr+"?starttls=never", "SecureLink <no-reply@securelink.test>"
	}
	cases := []struct {
		name string
		smtp bool
		link bool // paid through a reusable link's order rather than an invoice's own link
	}{
		{name: "invoice checkout with SMTP", smtp: true},
		{name: "invoice checkout without SMTP"},
		{name: "link checkout with SMTP", smtp: true, link: true},
		{name: "link checkout without SMTP", link: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []apitest.Option
			if tc.smtp {
				opts = append(opts, withSMTP)
			}
			apitest.Each(t, func(t *testing.T, e *apitest.Env) {
				m := e.NewMerchant(t, "Zora")
				token, want := "", ""
				if tc.link {
					l := createLink(t, e, m, fixedLink(nil))
					co := e.Do(t, "GET", "/api/v1/checkout-links/"+l["token"].(string), nil)
					if co.Status != http.StatusOK {
						t.Fatalf("link checkout: %d %s", co.Status, co.Body)
					}
					if got := co.Map(t)["receipt_emailed"]; got != tc.smtp {
						t.Errorf("link checkout receipt_emailed = %v, want %v", got, tc.smtp)
					}
					r := order(t, e, l["token"].(string), map[string]any{"customer": map[string]any{"email": "petar@example.com"}})
					if r.Status != http.StatusCreated {
						t.Fatalf("order: %d %s", r.Status, r.Body)
					}
					token = r.Map(t)["checkout_token"].(string)
					if tc.smtp {
						want = "p•••@example.com"
					}
				} else {
					_, token = newInvoice(t, e, m, 120000, "automatic")
					if tc.smtp {
						want = "a•••@example.com"
					}
				}
				pay(t, e, token, visaCard, http.StatusOK)
				co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
				rc, ok := co["receipt"].(map[string]any)
				if !ok {
					t.Fatalf("a paid checkout has no receipt: %v", co)
				}
				if rc["emailed_to"] != want {
					t.Errorf("receipt emailed_to = %q, want %q", rc["emailed_to"], want)
				}
			}, opts...)
		})
	}
}
