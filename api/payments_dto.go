package api

import (
	"strings"
	"time"
	"unicode/utf8"

	"securelink/internal/domain"
	"securelink/internal/payments"
)

// CardResponse is what may be shown of a card: never its number or CVC.
type CardResponse struct {
	Brand    string `json:"brand" example:"visa"`
	Last4    string `json:"last4" example:"4242"`
	ExpMonth int    `json:"exp_month" example:"12"`
	ExpYear  int    `json:"exp_year" example:"2030"`
} // @name Card

// NextActionResponse tells the payer's browser where to go (3-D Secure).
type NextActionResponse struct {
	Type        string `json:"type" example:"redirect"`
	RedirectURL string `json:"redirect_url" format:"uri" example:"http://localhost:8080/gateway/v1/3ds/pay_01jd4w3k5m6n7p8q9r0s1t2v3w"`
} // @name NextAction

// PaymentResponse is one attempt to pay an invoice.
type PaymentResponse struct {
	ID     string `json:"id" example:"pay_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"payment"`
	// Livemode is false for test data, true for live data.
	Livemode         bool          `json:"livemode"`
	InvoiceID        string        `json:"invoice_id"`
	Status           string        `json:"status" enums:"processing,requires_action,authorized,captured,partially_refunded,refunded,voided,failed"`
	Amount           int64         `json:"amount" example:"240000"`
	Currency         string        `json:"currency" example:"RSD"`
	AmountAuthorized int64         `json:"amount_authorized"`
	AmountCaptured   int64         `json:"amount_captured"`
	AmountRefunded   int64         `json:"amount_refunded"`
	CaptureMode      string        `json:"capture_mode" enums:"automatic,manual"`
	Card             *CardResponse `json:"card" extensions:"x-nullable"`
	DeclineCode      string        `json:"decline_code,omitempty"`
	DeclineMessage   string        `json:"decline_message,omitempty"`
	PSP              string        `json:"psp" example:"testgateway"`
	// ProviderAccountID is the merchant's provider account that took the payment; empty for the
	// deployment's default account. Capture, void and refunds go to the same account.
	ProviderAccountID string `json:"provider_account_id" example:"pa_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	PSPReference      string `json:"psp_reference,omitempty"`
	// Method is card, or bank_transfer for a transfer the merchant recorded.
	Method string `json:"method" enums:"card,bank_transfer"`
	// BankReference, PayerName and ReceivedAt describe a recorded bank transfer.
	BankReference string              `json:"bank_reference,omitempty"`
	PayerName     string              `json:"payer_name,omitempty"`
	ReceivedAt    *time.Time          `json:"received_at,omitempty" format:"date-time"`
	NextAction    *NextActionResponse `json:"next_action" extensions:"x-nullable"`
	// AuthorizationExpiresAt is when an uncaptured authorisation is voided automatically.
	AuthorizationExpiresAt *time.Time `json:"authorization_expires_at" extensions:"x-nullable" format:"date-time"`
	// AuthorizationExpiring is true once an uncaptured authorisation is older than 7 days: capture
	// or void it before authorization_expires_at.
	AuthorizationExpiring bool                  `json:"authorization_expiring"`
	CreatedAt             time.Time             `json:"created_at" format:"date-time"`
	Transactions          []TransactionResponse `json:"transactions,omitempty"`
	Refunds               []RefundResponse      `json:"refunds,omitempty"`
	// Invoice is the payment's invoice, only with expand[]=invoice.
	Invoice *InvoiceResponse `json:"invoice,omitempty"`
} // @name Payment

// TransactionResponse is one PSP operation on a payment.
type TransactionResponse struct {
	ID     string `json:"id" example:"txn_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"transaction"`
	// Livemode is false for test data, true for live data.
	Livemode     bool      `json:"livemode"`
	PaymentID    string    `json:"payment_id"`
	Type         string    `json:"type" enums:"authorize,sale,capture,void,refund"`
	Amount       int64     `json:"amount"`
	Currency     string    `json:"currency"`
	Result       string    `json:"result" enums:"pending,succeeded,failed"`
	PSPReference string    `json:"psp_reference,omitempty"`
	ErrorCode    string    `json:"error_code,omitempty"`
	ErrorMessage string    `json:"error_message,omitempty"`
	Actor        string    `json:"actor" example:"usr_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	CreatedAt    time.Time `json:"created_at" format:"date-time"`
} // @name Transaction

// RefundResponse is money returned to the payer.
type RefundResponse struct {
	ID     string `json:"id" example:"re_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"refund"`
	// Livemode is false for test data, true for live data.
	Livemode    bool      `json:"livemode"`
	PaymentID   string    `json:"payment_id"`
	Amount      int64     `json:"amount"`
	Currency    string    `json:"currency"`
	Reason      string    `json:"reason,omitempty"`
	Status      string    `json:"status" enums:"pending,succeeded,failed"`
	FailureCode string    `json:"failure_code,omitempty"`
	CreatedAt   time.Time `json:"created_at" format:"date-time"`
	// Payment is the refunded payment, only with expand[]=payment.
	Payment *PaymentResponse `json:"payment,omitempty"`
} // @name Refund

// ReceiptResponse is what the payer sees after paying.
type ReceiptResponse struct {
	PaymentID string        `json:"payment_id"`
	Status    string        `json:"status"`
	Amount    int64         `json:"amount"`
	Currency  string        `json:"currency"`
	Card      *CardResponse `json:"card" extensions:"x-nullable"`
	Method    string        `json:"method" enums:"card,bank_transfer"`
	PaidAt    time.Time     `json:"paid_at" format:"date-time"`
	Reference string        `json:"reference"`
	// AmountAuthorized is what was reserved on the card; AmountCaptured what was taken of it (less
	// when the merchant captured part); AmountRefunded what came back.
	AmountAuthorized int64 `json:"amount_authorized"`
	AmountCaptured   int64 `json:"amount_captured"`
	AmountRefunded   int64 `json:"amount_refunded"`
	// Refunds are the refunds made or on their way, oldest first.
	Refunds []ReceiptRefundResponse `json:"refunds"`
	// VoidedAt is when a reservation was released without being charged (status voided).
	VoidedAt *time.Time `json:"voided_at" format:"date-time" extensions:"x-nullable"`
	// EmailedTo is the payer's e-mail address, partly hidden, to which the receipt is e-mailed; empty
	// when the invoice has none or when this SecureLink sends no e-mail (no SMTP server), since the
	// receipt then stays in the merchant's mailbox.
	EmailedTo string `json:"emailed_to" example:"a•••@example.com"`
	// PDFURL is this receipt as a PDF.
	PDFURL string `json:"pdf_url" example:"/api/v1/checkout/3q2-7wX…/receipt.pdf"`
	// Livemode is false for a test payment: no real money moved.
	Livemode bool `json:"livemode"`
} // @name Receipt

// ReceiptRefundResponse is a refund as the payer sees it.
type ReceiptRefundResponse struct {
	Amount    int64     `json:"amount"`
	Status    string    `json:"status" enums:"pending,succeeded"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
} // @name ReceiptRefund

// PayRequest is the body of POST /checkout/{token}/pay.
type PayRequest struct {
	// TermsAccepted must be true: the payer accepts the merchant's terms.
	TermsAccepted bool `json:"terms_accepted" example:"true"`
	// PaymentToken is the single-use card token from the provider (tok_… or pm_…).
	PaymentToken string `json:"payment_token" carddata:"token" maxLength:"255" example:"tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"`
	// Amount is the part to pay, in minor units, of an invoice that allows paying in parts (from
	// the checkout's invoice.min_amount to its amount_due); left out, everything due is paid.
	Amount int64 `json:"amount,omitempty" minimum:"1" example:"50000"`
} // @name PayRequest

// CompleteRequest is the body of POST /checkout/{token}/complete.
type CompleteRequest struct {
	PaymentID string `json:"payment_id" example:"pay_01jd4w3k5m6n7p8q9r0s1t2v3w"`
} // @name CompleteRequest

// CaptureRequest is the body of POST /payments/{id}/capture; no amount captures all that is authorised.
type CaptureRequest struct {
	Amount *int64 `json:"amount,omitempty" minimum:"1" example:"120000"`
} // @name CaptureRequest

// RefundRequest is the body of POST /payments/{id}/refunds; no amount refunds all that is left.
type RefundRequest struct {
	Amount *int64 `json:"amount,omitempty" minimum:"1" example:"50000"`
	Reason string `json:"reason,omitempty" maxLength:"500" example:"requested_by_customer"`
} // @name RefundRequest

func toCard(p payments.Payment) *CardResponse {
	if p.Card == nil {
		return nil
	}
	return &CardResponse{Brand: p.Card.Brand, Last4: p.Card.Last4, ExpMonth: p.Card.ExpMonth, ExpYear: p.Card.ExpYear}
}

func toPayment(p payments.Payment) PaymentResponse {
	out := PaymentResponse{ID: p.ID, Object: "payment", Livemode: p.Livemode, InvoiceID: p.InvoiceID, Status: string(p.Status), Amount: p.Amount,
		Currency: p.Currency, AmountAuthorized: p.AmountAuthorized, AmountCaptured: p.AmountCaptured,
		AmountRefunded: p.AmountRefunded, CaptureMode: string(p.CaptureMode), Card: toCard(p), DeclineCode: p.DeclineCode,
		DeclineMessage: p.DeclineMessage, PSP: p.PSP, ProviderAccountID: p.ProviderAccountID, PSPReference: p.PSPReference, CreatedAt: p.CreatedAt,
		Method: string(p.Method), BankReference: p.BankReference, PayerName: p.PayerName, ReceivedAt: timePtr(p.ReceivedAt)}
	if out.Method == "" {
		out.Method = string(domain.MethodCard)
	}
	if p.Status == domain.PaymentRequiresAction && p.RedirectURL != "" {
		out.NextAction = &NextActionResponse{Type: "redirect", RedirectURL: p.RedirectURL}
	}
	if p.Status == domain.PaymentAuthorized {
		out.AuthorizationExpiresAt = timePtr(p.AuthorizationExpiresAt)
		out.AuthorizationExpiring = p.AuthorizationExpiring(time.Now())
	}
	return out
}

func toTransaction(t payments.Transaction) TransactionResponse {
	return TransactionResponse{ID: t.ID, Object: "transaction", Livemode: t.Livemode, PaymentID: t.PaymentID, Type: string(t.Type), Amount: t.Amount,
		Currency: t.Currency, Result: string(t.Result), PSPReference: t.PSPReference, ErrorCode: t.ErrorCode,
		ErrorMessage: t.ErrorMessage, Actor: t.Actor, CreatedAt: t.CreatedAt}
}

func toRefund(r payments.Refund) RefundResponse {
	return RefundResponse{ID: r.ID, Object: "refund", Livemode: r.Livemode, PaymentID: r.PaymentID, Amount: r.Amount, Currency: r.Currency,
		Reason: r.Reason, Status: string(r.Status), FailureCode: r.FailureCode, CreatedAt: r.CreatedAt}
}

func toPaymentDetail(d payments.Detail) PaymentResponse {
	out := toPayment(d.Payment)
	out.Transactions = make([]TransactionResponse, len(d.Transactions))
	for i, t := range d.Transactions {
		out.Transactions[i] = toTransaction(t)
	}
	out.Refunds = make([]RefundResponse, len(d.Refunds))
	for i, r := range d.Refunds {
		out.Refunds[i] = toRefund(r)
	}
	return out
}

func toReceipt(p payments.Payment, refunds []payments.Refund, invoiceNumber string) *ReceiptResponse {
	amount := p.AmountCaptured
	if amount == 0 {
		amount = p.AmountAuthorized
	}
	r := &ReceiptResponse{Livemode: p.Livemode, PaymentID: p.ID, Status: string(p.Status), Amount: amount, Currency: p.Currency, Card: toCard(p),
		Method: toPayment(p).Method, Reference: invoiceNumber, AmountAuthorized: p.AmountAuthorized,
		AmountCaptured: p.AmountCaptured, AmountRefunded: p.AmountRefunded, Refunds: []ReceiptRefundResponse{}}
	if at := p.PaidAt(); at != nil {
		r.PaidAt = at.UTC()
	}
	if p.VoidedAt != nil {
		at := p.VoidedAt.UTC()
		r.VoidedAt = &at
	}
	for _, f := range refunds {
		r.Refunds = append(r.Refunds, ReceiptRefundResponse{Amount: f.Amount, Status: string(f.Status), CreatedAt: f.CreatedAt.UTC()})
	}
	return r
}

// maskEmail hides most of an address's local part: ana@example.com → a•••@example.com.
func maskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(local)
	return string(first) + "•••@" + domain
}
