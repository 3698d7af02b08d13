package stripe

import (
	"bytes"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

var paymentMethodShape = regexp.MustCompile(`^pm_[A-Za-z0-9_]+$`)

// FuzzIsPaymentMethodID: Stripe's token shape check agrees with its definition for any string.
func FuzzIsPaymentMethodID(f *testing.F) {
	for _, s := range []string{"pm_card_visa", "pm_1SLdeclined", "pm_", "tok_visa", "4242424242424242", "pm_ab-c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := paymentMethodShape.MatchString(s) && len(s) <= 255
		if IsPaymentMethodID(s) != want {
			t.Fatalf("IsPaymentMethodID(%q) = %v", s, !want)
		}
	})
}

// FuzzParseWebhook: the webhook verifier never panics on any body and signature; a body signed with
// the endpoint secret verifies, and the same signature over a changed body never does.
func FuzzParseWebhook(f *testing.F) {
	const secret = "whsec_fuzz"
	for _, body := range []string{
		`{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","object":"payment_intent","metadata":{"securelink_payment":"pay_1"}}}}`,
		`{"id":"evt_2","object":"event","type":"charge.refunded","data":{"object":{}}}`,
		`{}`, `not json`, ``,
	} {
		f.Add([]byte(body), "t=1,v1=00", byte(1))
	}
	p := &Provider{webhookSecret: secret}
	f.Fuzz(func(t *testing.T, body []byte, header string, flip byte) {
		_, _ = p.ParseEvent(body, header)
		now := time.Now()
		sig := webhook.ComputeSignature(now, body, secret)
		signed := "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + hexString(sig)
		_, errSigned := p.ParseEvent(body, signed)
		if errSigned != nil && bytes.HasPrefix(bytes.TrimSpace(body), []byte(`{"id":"evt_`)) && isBadSignature(errSigned) {
			t.Fatalf("a correctly signed body was refused as unsigned: %v", errSigned)
		}
		if len(body) == 0 {
			return
		}
		changed := bytes.Clone(body)
		changed[int(flip)%len(changed)] ^= 0x01
		if _, err := p.ParseEvent(changed, signed); err == nil || !isBadSignature(err) {
			t.Fatalf("a changed body passed with the old signature: %v", err)
		}
	})
}

func hexString(b []byte) string { return hex.EncodeToString(b) }

func isBadSignature(err error) bool { return errors.Is(err, ErrBadSignature) }
