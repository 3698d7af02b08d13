package exchange

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Transaction types as the gateway names them in paths (lower case) and bodies (upper case).
const (
	TypeDebit        = "debit"
	TypePreauthorize = "preauthorize"
	TypeCapture      = "capture"
	TypeVoid         = "void"
	TypeRefund       = "refund"
)

// Return types of a transaction answer.
const (
	ReturnFinished = "FINISHED"
	ReturnRedirect = "REDIRECT" // 3-D Secure: send the payer to redirectUrl
	ReturnHTML     = "HTML"
	ReturnPending  = "PENDING"
	ReturnError    = "ERROR"
)

// Statuses of a transaction in the status API.
const (
	StatusSuccess = "SUCCESS"
	StatusPending = "PENDING"
	StatusError   = "ERROR"
)

// Results of a callback.
const (
	ResultOK      = "OK"
	ResultPending = "PENDING"
	ResultError   = "ERROR"
)

// TransactionRequest is the body of debit, preauthorize, capture, void and refund.
type TransactionRequest struct {
	MerchantTransactionID string    `json:"merchantTransactionId"`
	ReferenceUUID         string    `json:"referenceUuid,omitempty"`
	Amount                string    `json:"amount,omitempty"`
	Currency              string    `json:"currency,omitempty"`
	TransactionToken      string    `json:"transactionToken,omitempty"`
	SuccessURL            string    `json:"successUrl,omitempty"`
	CancelURL             string    `json:"cancelUrl,omitempty"`
	ErrorURL              string    `json:"errorUrl,omitempty"`
	CallbackURL           string    `json:"callbackUrl,omitempty"`
	Description           string    `json:"description,omitempty"`
	Customer              *Customer `json:"customer,omitempty"`
	Language              string    `json:"language,omitempty"`
}

// Customer is the payer as the gateway records them.
type Customer struct {
	Identification string `json:"identification,omitempty"`
	FirstName      string `json:"firstName,omitempty"`
	LastName       string `json:"lastName,omitempty"`
	Email          string `json:"email,omitempty"`
}

// TransactionResponse is the gateway's answer to a transaction request.
type TransactionResponse struct {
	Success       bool        `json:"success"`
	UUID          string      `json:"uuid,omitempty"`
	PurchaseID    string      `json:"purchaseId,omitempty"`
	ReturnType    string      `json:"returnType,omitempty"`
	RedirectURL   string      `json:"redirectUrl,omitempty"`
	HTMLContent   string      `json:"htmlContent,omitempty"`
	PaymentMethod string      `json:"paymentMethod,omitempty"`
	ReturnData    *ReturnData `json:"returnData,omitempty"`
	Errors        []Error     `json:"errors,omitempty"`
}

// ReturnData describes the card a transaction used; never its number.
type ReturnData struct {
	Kind           string `json:"_TYPE,omitempty"` // "cardData"
	Brand          string `json:"type,omitempty"`  // visa, mastercard, amex, maestro, dinacard…
	CardHolder     string `json:"cardHolder,omitempty"`
	ExpiryMonth    string `json:"expiryMonth,omitempty"`
	ExpiryYear     string `json:"expiryYear,omitempty"`
	FirstSixDigits string `json:"firstSixDigits,omitempty"`
	LastFourDigits string `json:"lastFourDigits,omitempty"`
}

// Error is one error of an answer or callback.
type Error struct {
	ErrorMessage   string `json:"errorMessage"`
	ErrorCode      int    `json:"errorCode"`
	AdapterMessage string `json:"adapterMessage,omitempty"`
	AdapterCode    string `json:"adapterCode,omitempty"`
}

// StatusResponse is the status API's answer about one transaction. For a debit or preauthorisation,
// RelatedTransactions lists the captures, voids and refunds that reference it, oldest first.
type StatusResponse struct {
	Success               bool                 `json:"success"`
	TransactionStatus     string               `json:"transactionStatus,omitempty"`
	UUID                  string               `json:"uuid,omitempty"`
	MerchantTransactionID string               `json:"merchantTransactionId,omitempty"`
	PurchaseID            string               `json:"purchaseId,omitempty"`
	TransactionType       string               `json:"transactionType,omitempty"` // DEBIT, PREAUTHORIZE, CAPTURE, VOID, REFUND
	ReferenceUUID         string               `json:"referenceUuid,omitempty"`
	Amount                string               `json:"amount,omitempty"`
	Currency              string               `json:"currency,omitempty"`
	RedirectURL           string               `json:"redirectUrl,omitempty"` // while the payer's 3-D Secure is open
	ReturnData            *ReturnData          `json:"returnData,omitempty"`
	Errors                []Error              `json:"errors,omitempty"`
	RelatedTransactions   []RelatedTransaction `json:"relatedTransactions,omitempty"`
}

// RelatedTransaction is a follow-up transaction of a payment in the status API.
type RelatedTransaction struct {
	UUID                  string `json:"uuid"`
	MerchantTransactionID string `json:"merchantTransactionId"`
	TransactionType       string `json:"transactionType"`
	TransactionStatus     string `json:"transactionStatus"`
	Amount                string `json:"amount,omitempty"`
}

// Callback is the body of the gateway's notification to callbackUrl.
type Callback struct {
	Result                string      `json:"result"`
	UUID                  string      `json:"uuid"`
	MerchantTransactionID string      `json:"merchantTransactionId"`
	PurchaseID            string      `json:"purchaseId,omitempty"`
	TransactionType       string      `json:"transactionType"`
	ReferenceUUID         string      `json:"referenceUuid,omitempty"`
	PaymentMethod         string      `json:"paymentMethod,omitempty"`
	Amount                string      `json:"amount,omitempty"`
	Currency              string      `json:"currency,omitempty"`
	Code                  string      `json:"code,omitempty"`
	Message               string      `json:"message,omitempty"`
	ReturnData            *ReturnData `json:"returnData,omitempty"`
}

// maxMerchantTransactionID is the longest merchantTransactionId the gateway stores.
const maxMerchantTransactionID = 50

// MerchantTransactionID derives the gateway's merchantTransactionId from SecureLink's idempotency
// key ("pay_…:authorize", a refund id): the key itself when it fits, else its readable start and a
// hash of the whole, so every key still maps to one id and a retry finds the first transaction.
func MerchantTransactionID(idempotencyKey string) string {
	if len(idempotencyKey) <= maxMerchantTransactionID && plainID(idempotencyKey) {
		return idempotencyKey
	}
	var head strings.Builder
	for _, c := range idempotencyKey {
		if head.Len() == 29 {
			break
		}
		if plainID(string(c)) {
			head.WriteRune(c)
		}
	}
	sum := sha256.Sum256([]byte(idempotencyKey))
	return head.String() + "-" + hex.EncodeToString(sum[:])[:20]
}

// plainID reports whether s has only the characters the gateway accepts in ids.
func plainID(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '_' && c != '-' && c != ':' && c != '.' {
			return false
		}
	}
	return true
}
