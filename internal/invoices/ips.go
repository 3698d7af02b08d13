package invoices

import (
	"context"
	"strings"

	"securelink/internal/domain"
	"securelink/internal/domain/serbia"
)

// IPSQR is the NBS IPS QR payment of an invoice: the fields a payer may also type by hand, and
// the payload the QR code carries.
type IPSQR struct {
	serbia.IPS
	Payload string
}

// ReferenceDigits are the digits of an invoice number ("INV-000123" → "000123"): the number that
// the invoice's model 97 reference protects, so each invoice's transfer can be told apart.
func ReferenceDigits(number string) string {
	var b strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NumberForReference is the invoice number whose ReferenceDigits are digits, as the store numbers
// invoices ("INV-" and at least six digits); a bank may have dropped the leading zeros.
func NumberForReference(digits string) string {
	d := strings.TrimLeft(digits, "0")
	if len(d) < 6 {
		d = strings.Repeat("0", 6-len(d)) + d
	}
	return "INV-" + d
}

// PaymentReference is the model 97 reference of an invoice, e.g. "9720000123" for INV-000123.
func PaymentReference(number string) (string, bool) {
	ref, err := serbia.Model97(ReferenceDigits(number))
	return ref, err == nil
}

// PaymentQR is the IPS QR payment of an invoice, when the merchant enabled IPS, the invoice is in
// dinars and something is left to pay on it while it is payable (open or partially paid).
func PaymentQR(inv domain.Invoice, m CheckoutMerchant) (IPSQR, bool) {
	if !m.IPS.Enabled || inv.Currency != "RSD" || !inv.Status.Payable() || inv.AmountDue() <= 0 {
		return IPSQR{}, false
	}
	ref, ok := PaymentReference(inv.Number)
	if !ok {
		return IPSQR{}, false
	}
	code := m.IPS.PaymentCode
	if code == "" {
		code = serbia.DefaultPaymentCode
	}
	q := IPSQR{IPS: serbia.IPS{Account: m.IPS.Account, Payee: m.IPS.Payee, Amount: inv.AmountDue(), PaymentCode: code,
		Purpose: purpose(inv.Number), Reference: ref}}
	payload, err := q.IPS.Payload()
	if err != nil {
		// Settings are checked when saved; a payload that still fails is left out, not shown broken.
		return IPSQR{}, false
	}
	q.Payload = payload
	return q, true
}

// purpose is the S tag: "Plaćanje računa INV-000123", cut to the 35 characters allowed.
func purpose(number string) string {
	p := []rune("Plaćanje računa " + number)
	if len(p) > serbia.MaxPurposeLen {
		p = p[:serbia.MaxPurposeLen]
	}
	return strings.TrimSpace(string(p))
}

// InvoiceQR is PaymentQR for one of the merchant's invoices.
func (s *Service) InvoiceQR(ctx context.Context, inv domain.Invoice) (IPSQR, bool, error) {
	m, err := s.Store.CheckoutMerchant(ctx, inv.MerchantID)
	if err != nil {
		return IPSQR{}, false, err
	}
	q, ok := PaymentQR(inv, m)
	return q, ok, nil
}

// MerchantOf is what an invoice shows of its merchant (for IPS QR codes and PDFs).
func (s *Service) MerchantOf(ctx context.Context, merchantID string) (CheckoutMerchant, error) {
	return s.Store.CheckoutMerchant(ctx, merchantID)
}
