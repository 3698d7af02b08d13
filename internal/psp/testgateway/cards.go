package testgateway

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"securelink/internal/psp"
	"securelink/internal/validate"
)

// Card brands as the gateway reports them (the same words as psp.Card.Brand).
const (
	BrandVisa       = "visa"
	BrandMastercard = "mastercard"
	BrandAmex       = "amex"
	BrandMaestro    = "maestro"
	BrandDinaCard   = "dinacard"
	BrandUnknown    = "unknown"
)

// behaviourKind is what a test card does when it is charged.
type behaviourKind int

const (
	behaveSucceed          behaviourKind = iota // authorised at once
	behaveDecline                               // declined at once with code
	behaveChallenge                             // 3-D Secure challenge, then authorised
	behaveChallengeDecline                      // 3-D Secure challenge, then declined even when completed
	behaveRefundFail                            // authorised; every refund fails
)

// behaviour is a test card's scripted outcome.
type behaviour struct {
	kind    behaviourKind
	code    psp.DeclineCode
	message string
}

// Decline messages the payer may be shown.
var declineMessages = map[psp.DeclineCode]string{
	psp.DeclineCardDeclined:         "The card was declined.",
	psp.DeclineInsufficientFunds:    "The card has insufficient funds.",
	psp.DeclineExpiredCard:          "The card has expired.",
	psp.DeclineIncorrectCVC:         "The card's security code is incorrect.",
	psp.DeclineProcessingError:      "An error occurred while processing the card. Try again in a little while.",
	psp.DeclineAuthenticationFailed: "The cardholder did not complete 3-D Secure authentication.",
	psp.DeclineRefundFailed:         "The refund could not be sent to the card.",
}

func decline(code psp.DeclineCode) behaviour {
	return behaviour{kind: behaveDecline, code: code, message: declineMessages[code]}
}

// TestCards are the documented test cards, in the order a test checkout lists them (the README
// lists them too). Any other valid number succeeds like the first four.
var TestCards = []psp.TestCard{
	{Number: "4242424242424242", Brand: BrandVisa, Outcome: psp.TestCardSucceeds},
	{Number: "5555555555554444", Brand: BrandMastercard, Outcome: psp.TestCardSucceeds},
	{Number: "378282246310005", Brand: BrandAmex, Outcome: psp.TestCardSucceeds},
	{Number: "9891000000000003", Brand: BrandDinaCard, Outcome: psp.TestCardSucceeds},
	{Number: "4000000000000002", Brand: BrandVisa, Outcome: psp.TestCardDeclined, DeclineCode: psp.DeclineCardDeclined},
	{Number: "4000000000009995", Brand: BrandVisa, Outcome: psp.TestCardDeclined, DeclineCode: psp.DeclineInsufficientFunds},
	{Number: "4000000000000069", Brand: BrandVisa, Outcome: psp.TestCardDeclined, DeclineCode: psp.DeclineExpiredCard},
	{Number: "4000000000000127", Brand: BrandVisa, Outcome: psp.TestCardDeclined, DeclineCode: psp.DeclineIncorrectCVC},
	{Number: "4000000000000119", Brand: BrandVisa, Outcome: psp.TestCardDeclined, DeclineCode: psp.DeclineProcessingError},
	{Number: "4000000000003220", Brand: BrandVisa, Outcome: psp.TestCardChallenge},
	{Number: "4000002500003155", Brand: BrandVisa, Outcome: psp.TestCardChallenge},
	{Number: "4000008400001629", Brand: BrandVisa, Outcome: psp.TestCardChallengeFails, DeclineCode: psp.DeclineAuthenticationFailed},
	{Number: "4000000000005126", Brand: BrandVisa, Outcome: psp.TestCardRefundFails},
}

// testCards maps the test card numbers to what they do.
var testCards = func() map[string]behaviour {
	m := make(map[string]behaviour, len(TestCards))
	for _, c := range TestCards {
		m[c.Number] = behaviourFor(c)
	}
	return m
}()

// behaviourFor is what the gateway does with a documented test card.
func behaviourFor(c psp.TestCard) behaviour {
	switch c.Outcome {
	case psp.TestCardSucceeds:
		return behaviour{kind: behaveSucceed}
	case psp.TestCardDeclined:
		return decline(c.DeclineCode)
	case psp.TestCardChallenge:
		return behaviour{kind: behaveChallenge}
	case psp.TestCardChallengeFails:
		return behaviour{kind: behaveChallengeDecline, code: c.DeclineCode, message: declineMessages[c.DeclineCode]}
	case psp.TestCardRefundFails:
		return behaviour{kind: behaveRefundFail}
	}
	panic("testgateway: test card " + c.Number + " has no outcome")
}

func behaviourOf(digits string) behaviour {
	if b, ok := testCards[digits]; ok {
		return b
	}
	return behaviour{kind: behaveSucceed}
}

// DetectBrand names the card brand of a digits-only number from its leading digits.
// DinaCard (9891) is checked before the Maestro ranges; no range overlaps another.
func DetectBrand(digits string) string {
	prefix := func(n int) int {
		if len(digits) < n {
			return -1
		}
		v := 0
		for _, c := range digits[:n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	p1, p2, p4 := prefix(1), prefix(2), prefix(4)
	switch {
	case p4 == 9891:
		return BrandDinaCard
	case p1 == 4:
		return BrandVisa
	case p2 == 34 || p2 == 37:
		return BrandAmex
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return BrandMastercard
	case p2 == 50, p2 >= 56 && p2 <= 69:
		return BrandMaestro
	default:
		return BrandUnknown
	}
}

// brandName is the brand as a payer reads it in an error message.
var brandName = map[string]string{
	BrandVisa: "Visa", BrandMastercard: "Mastercard", BrandAmex: "American Express",
	BrandMaestro: "Maestro", BrandDinaCard: "DinaCard", BrandUnknown: "card",
}

// validLength reports whether a number of n digits is possible for brand.
func validLength(brand string, n int) bool {
	switch brand {
	case BrandVisa:
		return n == 13 || n == 16 || n == 19
	case BrandMastercard, BrandDinaCard:
		return n == 16
	case BrandAmex:
		return n == 15
	default: // Maestro and unknown brands: the ISO/IEC 7812 range
		return n >= 12 && n <= 19
	}
}

// LuhnValid reports whether a digits-only number passes the Luhn check.
func LuhnValid(digits string) bool { return validate.Luhn(digits) }

// normaliseNumber strips spaces and checks the number's digits, length and Luhn sum.
func normaliseNumber(raw string) (digits, brand string, err *apiError) {
	digits = strings.ReplaceAll(raw, " ", "")
	if digits == "" {
		return "", "", invalidRequest("invalid_number", "number", "Enter the card number.")
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return "", "", invalidRequest("invalid_number", "number", "The card number may contain only digits and spaces.")
		}
	}
	brand = DetectBrand(digits)
	if !validLength(brand, len(digits)) {
		return "", "", invalidRequest("invalid_number", "number",
			"The card number has the wrong number of digits for a "+brandName[brand]+".")
	}
	if !LuhnValid(digits) {
		return "", "", invalidRequest("incorrect_number", "number", "The card number is incorrect: check it for a typing mistake.")
	}
	return digits, brand, nil
}

// normaliseExpiry turns a 2- or 4-digit year into a full year and refuses past or absurd expiry dates.
// A card is valid through the last day of its expiry month.
func normaliseExpiry(month, year int, now time.Time) (int, int, *apiError) {
	if month < 1 || month > 12 {
		return 0, 0, invalidRequest("invalid_expiry", "exp_month", "The expiry month must be between 1 and 12.")
	}
	switch {
	case year >= 0 && year <= 99:
		year += 2000
	case year >= 1000 && year <= 9999:
	default:
		return 0, 0, invalidRequest("invalid_expiry", "exp_year", "The expiry year must have 2 or 4 digits.")
	}
	now = now.UTC()
	if year*12+month < now.Year()*12+int(now.Month()) {
		param := "exp_year"
		if year == now.Year() {
			param = "exp_month"
		}
		return 0, 0, invalidRequest("invalid_expiry", param, "The card's expiry date is in the past.")
	}
	if year > now.Year()+50 {
		return 0, 0, invalidRequest("invalid_expiry", "exp_year", "The expiry year is too far in the future.")
	}
	return month, year, nil
}

// validateCVC checks the security code's length for the brand: 4 digits for American Express, 3 for others.
func validateCVC(brand, cvc string) *apiError {
	want := 3
	if brand == BrandAmex {
		want = 4
	}
	if cvc == "" {
		return invalidRequest("invalid_cvc", "cvc", "Enter the card's security code.")
	}
	for _, c := range cvc {
		if c < '0' || c > '9' {
			return invalidRequest("invalid_cvc", "cvc", "The security code may contain only digits.")
		}
	}
	if len(cvc) != want {
		return invalidRequest("invalid_cvc", "cvc",
			"The security code of a "+brandName[brand]+" has "+strconv.Itoa(want)+" digits.")
	}
	return nil
}

// validateName checks the optional cardholder name.
func validateName(name string) *apiError {
	if utf8.RuneCountInString(name) > 100 {
		return invalidRequest("invalid_name", "name", "The cardholder name may have at most 100 characters.")
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return invalidRequest("invalid_name", "name", "The cardholder name contains a control character.")
		}
	}
	return nil
}
