package sandbox

import (
	"strings"
	"time"

	"securelink/internal/psp/exchange"
	"securelink/internal/psp/testgateway"
	"securelink/internal/validate"
)

// behaviourKind is what a test card does when it is charged.
type behaviourKind int

const (
	behaveSucceed          behaviourKind = iota // finished at once
	behaveDecline                               // declined at once with the card's code
	behaveChallenge                             // 3-D Secure, then finished
	behaveChallengeDecline                      // 3-D Secure, then declined even when completed
	behaveRefundFail                            // finished; every refund fails
	behavePending                               // PENDING; settles as a success later (callback, status API)
	behaveTimeout                               // charged, but the answer never comes
)

// TestCard is one of the sandbox's test card numbers and what it does.
type TestCard struct {
	Number string
	// Does says what happens, as the README lists it.
	Does      string
	kind      behaviourKind
	errorCode int
}

// TestCards are the sandbox's test cards. Any other valid number (Luhn, length, future expiry)
// succeeds. The README lists them.
var TestCards = []TestCard{
	{Number: "4242424242424242", Does: "succeeds (Visa)"},
	{Number: "5555555555554444", Does: "succeeds (Mastercard)"},
	{Number: "378282246310005", Does: "succeeds (American Express)"},
	{Number: "9891000000000003", Does: "succeeds (DinaCard)"},
	{Number: "4000000000000002", Does: "declined: 2003 transaction declined", kind: behaveDecline, errorCode: exchange.CodeDeclined},
	{Number: "4000000000009995", Does: "declined: 2006 insufficient funds", kind: behaveDecline, errorCode: exchange.CodeInsufficientFunds},
	{Number: "4000000000000069", Does: "declined: 2009 expired card", kind: behaveDecline, errorCode: exchange.CodeExpiredCard},
	{Number: "4000000000000127", Does: "declined: 2007 incorrect payment information (security code)", kind: behaveDecline, errorCode: exchange.CodeIncorrectPayment},
	{Number: "4000000000000119", Does: "declined: 3005 the acquirer could not be reached", kind: behaveDecline, errorCode: exchange.CodeCommunication},
	{Number: "4000000000003220", Does: "3-D Secure, then succeeds when the challenge is completed", kind: behaveChallenge},
	{Number: "4000002500003155", Does: "3-D Secure, then succeeds when the challenge is completed", kind: behaveChallenge},
	{Number: "4000008400001629", Does: "3-D Secure, then declined: 2021 verification failed", kind: behaveChallengeDecline, errorCode: exchange.Code3DSFailed},
	{Number: "4000000000005126", Does: "succeeds; every refund fails (2003)", kind: behaveRefundFail},
	{Number: "4000000000000259", Does: "PENDING; succeeds a few seconds later (callback, status API)", kind: behavePending},
	{Number: "4000000000000770", Does: "charged, but the answer never comes (the connection is closed): reconciliation finds the payment", kind: behaveTimeout},
}

var cardByNumber = func() map[string]TestCard {
	m := make(map[string]TestCard, len(TestCards))
	for _, c := range TestCards {
		m[c.Number] = c
	}
	return m
}()

func cardBehaviour(number string) TestCard {
	if c, ok := cardByNumber[number]; ok {
		return c
	}
	return TestCard{Number: number}
}

// errorMessages are the gateway's words for its codes.
var errorMessages = map[int]string{
	exchange.CodeInvalidRequest:      "Request validation failed",
	exchange.CodeInvalidCredentials:  "Invalid API credentials",
	exchange.CodeInvalidSignature:    "Invalid signature",
	exchange.CodeTransactionNotFound: "Transaction not found",
	exchange.CodeInvalidToken:        "Invalid transaction token",
	exchange.CodeDeclined:            "Transaction declined",
	exchange.CodeInsufficientFunds:   "Insufficient funds",
	exchange.CodeIncorrectPayment:    "Incorrect payment information",
	exchange.CodeExpiredCard:         "Expired card",
	exchange.Code3DSFailed:           "3D-Secure verification failed",
	exchange.CodeNotAllowed:          "Transaction not allowed",
	exchange.CodeDuplicateID:         "Duplicate transaction ID",
	exchange.CodeCommunication:       "Communication error with the acquirer",
}

// gatewayError is one error as the gateway reports it; detail, when set, replaces the message.
func gatewayError(code int, detail string) exchange.Error {
	msg := errorMessages[code]
	if detail != "" {
		msg = detail
	}
	e := exchange.Error{ErrorCode: code, ErrorMessage: msg}
	if code >= 2000 && code < 4000 && code != exchange.CodeNotAllowed && code != exchange.CodeDuplicateID {
		e.AdapterCode, e.AdapterMessage = "SBX"+itoa(code), "sandbox acquirer: "+strings.ToLower(errorMessages[code])
	}
	return e
}

// card is a tokenised card as the sandbox keeps it: never logged or returned whole.
type card struct {
	number, brand, holder string
	month, year           int
}

func (c card) returnData() *exchange.ReturnData {
	return &exchange.ReturnData{Kind: "cardData", Brand: c.brand, CardHolder: c.holder,
		ExpiryMonth: twoDigits(c.month), ExpiryYear: itoa(c.year),
		FirstSixDigits: c.number[:6], LastFourDigits: c.number[len(c.number)-4:]}
}

// fieldError is a card field the payer must correct, as payment.js reports it.
type fieldError struct {
	Attribute string `json:"attribute"`
	Key       string `json:"key"`
	Message   string `json:"message"`
}

// checkCard validates a card as payment.js's tokenisation does.
func checkCard(number, cvv, holder string, month, year int, now time.Time) (card, []fieldError) {
	var errs []fieldError
	digits := strings.ReplaceAll(strings.ReplaceAll(number, " ", ""), "-", "")
	brand := testgateway.DetectBrand(digits)
	switch {
	case digits == "" || strings.Trim(digits, "0123456789") != "":
		errs = append(errs, fieldError{"number", "errors.invalid", "Card number is invalid"})
	case len(digits) < 12 || len(digits) > 19 || !validate.Luhn(digits):
		errs = append(errs, fieldError{"number", "errors.invalid", "Card number is invalid"})
	}
	wantCVV := 3
	if brand == testgateway.BrandAmex {
		wantCVV = 4
	}
	if len(cvv) != wantCVV || strings.Trim(cvv, "0123456789") != "" {
		errs = append(errs, fieldError{"cvv", "errors.invalid", "CVV is invalid"})
	}
	if year >= 0 && year < 100 {
		year += 2000
	}
	now = now.UTC()
	if month < 1 || month > 12 {
		errs = append(errs, fieldError{"month", "errors.invalid", "Expiration month is invalid"})
	} else if year*12+month < now.Year()*12+int(now.Month()) || year > now.Year()+50 {
		errs = append(errs, fieldError{"year", "errors.expired", "Card is expired"})
	}
	if strings.TrimSpace(holder) == "" || len(holder) > 100 {
		errs = append(errs, fieldError{"card_holder", "errors.blank", "Card holder is required"})
	}
	if len(errs) > 0 {
		return card{}, errs
	}
	return card{number: digits, brand: brand, holder: strings.TrimSpace(holder), month: month, year: year}, nil
}
