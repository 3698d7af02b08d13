package api

import "time"

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
	RedirectURL string `json:"redirect_url"`
} // @name NextAction

// PaymentResponse is one attempt to pay an invoice.
type PaymentResponse struct {
	ID                     string                `json:"id" example:"pay_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object                 string                `json:"object" example:"payment"`
	InvoiceID              string                `json:"invoice_id"`
	Status                 string                `json:"status" enums:"processing,requires_action,authorized,captured,partially_refunded,refunded,voided,failed"`
	Amount                 int64                 `json:"amount" example:"240000"`
	Currency               string                `json:"currency" example:"RSD"`
	AmountAuthorized       int64                 `json:"amount_authorized"`
	AmountCaptured         int64                 `json:"amount_captured"`
	AmountRefunded         int64                 `json:"amount_refunded"`
	CaptureMode            string                `json:"capture_mode" enums:"automatic,manual"`
	Card                   *CardResponse         `json:"card" extensions:"x-nullable"`
	DeclineCode            string                `json:"decline_code,omitempty"`
	DeclineMessage         string                `json:"decline_message,omitempty"`
	PSP                    string                `json:"psp" example:"testgateway"`
	PSPReference           string                `json:"psp_reference,omitempty"`
	NextAction             *NextActionResponse   `json:"next_action" extensions:"x-nullable"`
	AuthorizationExpiresAt *time.Time            `json:"authorization_expires_at" extensions:"x-nullable"`
	CreatedAt              time.Time             `json:"created_at"`
	Transactions           []TransactionResponse `json:"transactions,omitempty"`
	Refunds                []RefundResponse      `json:"refunds,omitempty"`
} // @name Payment

// TransactionResponse is one PSP operation on a payment.
type TransactionResponse struct {
	ID           string    `json:"id" example:"txn_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object       string    `json:"object" example:"transaction"`
	PaymentID    string    `json:"payment_id"`
	Type         string    `json:"type" enums:"authorize,sale,capture,void,refund"`
	Amount       int64     `json:"amount"`
	Currency     string    `json:"currency"`
	Result       string    `json:"result" enums:"pending,succeeded,failed"`
	PSPReference string    `json:"psp_reference,omitempty"`
	ErrorCode    string    `json:"error_code,omitempty"`
	ErrorMessage string    `json:"error_message,omitempty"`
	Actor        string    `json:"actor" example:"usr_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	CreatedAt    time.Time `json:"created_at"`
} // @name Transaction

// RefundResponse is money returned to the payer.
type RefundResponse struct {
	ID          string    `json:"id" example:"re_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object      string    `json:"object" example:"refund"`
	PaymentID   string    `json:"payment_id"`
	Amount      int64     `json:"amount"`
	Currency    string    `json:"currency"`
	Reason      string    `json:"reason,omitempty"`
	Status      string    `json:"status" enums:"pending,succeeded,failed"`
	FailureCode string    `json:"failure_code,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
} // @name Refund

// ReceiptResponse is what the payer sees after paying.
type ReceiptResponse struct {
	PaymentID string        `json:"payment_id"`
	Status    string        `json:"status"`
	Amount    int64         `json:"amount"`
	Currency  string        `json:"currency"`
	Card      *CardResponse `json:"card" extensions:"x-nullable"`
	PaidAt    time.Time     `json:"paid_at"`
	Reference string        `json:"reference"`
} // @name Receipt
