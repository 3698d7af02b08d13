package sandbox

import (
	"strings"
	"time"

	"securelink/internal/psp/exchange"
	"securelink/internal/psp/testgateway"
	"securelink/internal/validate"
)

// TestCard is one of the sandbox's test card numbers and what it does (exchange.SandboxCards: the
// same list a test checkout shows).
type TestCard = exchange.SandboxCard

// TestCards are the sandbox's test cards. Any other valid number (Luhn, length, future expiry)
// succeeds. The README lists them.
var TestCards = exchange.SandboxCards

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
