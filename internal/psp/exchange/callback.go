package exchange

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"securelink/internal/domain"
	"securelink/internal/psp"
)

// ParseWebhook implements psp.WebhookReceiver for the gateway's callbacks: it checks the signature
// over the account's callback URL and the date window, then says which payment changed. SecureLink
// reads the payment from the status API (Sync) rather than trusting the callback, so a callback
// delivered twice, late or out of order changes nothing twice.
func (p *Provider) ParseWebhook(header http.Header, body []byte) (psp.WebhookNotice, error) {
	uri := "/"
	if u, err := url.Parse(p.cfg.CallbackURL); err == nil && p.cfg.CallbackURL != "" {
		uri = u.RequestURI()
	}
	if err := VerifySignature(header, p.cfg.SharedSecret, http.MethodPost, body, uri, p.cfg.Now()); err != nil {
		return psp.WebhookNotice{}, fmt.Errorf("%w: %w", psp.ErrBadSignature, err)
	}
	var cb Callback
	if err := json.Unmarshal(body, &cb); err != nil {
		return psp.WebhookNotice{}, fmt.Errorf("exchange callback: %w", err)
	}
	notice := psp.WebhookNotice{PaymentRef: cb.UUID}
	switch strings.ToLower(cb.TransactionType) {
	case TypeDebit, TypePreauthorize:
	case TypeCapture, TypeVoid, TypeRefund:
		notice.PaymentRef = cb.ReferenceUUID
	default:
		return psp.WebhookNotice{}, nil
	}
	// SecureLink's payment id starts the authorisation's merchantTransactionId ("pay_…:authorize").
	if ref, _, ok := strings.Cut(cb.MerchantTransactionID, ":"); ok && strings.HasPrefix(ref, domain.PrefixPayment+"_") {
		notice.Reference = ref
	}
	notice.Handled = notice.PaymentRef != ""
	return notice, nil
}
