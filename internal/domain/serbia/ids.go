// Package serbia holds the Serbian payment rules SecureLink follows: the NBS IPS QR payload
// (the "K:PR" code a payer scans in a mobile-banking app), domestic account numbers with their
// ISO 7064 MOD 97-10 control digits, model 97 payment references, and the check digits of the tax
// number (PIB) and the company registration number (matični broj). It imports only the standard
// library.
package serbia

import (
	"errors"
	"strings"
)

// ErrInvalid is wrapped by every refusal of this package, so callers can tell bad input apart.
var ErrInvalid = errors.New("serbia: invalid")

// onlyDigits reports whether s is non-empty and made of ASCII digits.
func onlyDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mod97 is the remainder of the decimal number s (digits only, any length) divided by 97.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + int(s[i]-'0')) % 97
	}
	return r
}

// ValidPIB reports whether s is a PIB (poreski identifikacioni broj): 9 digits whose last is the
// ISO 7064 MOD 11,10 check digit of the first 8.
func ValidPIB(s string) bool {
	if len(s) != 9 || !onlyDigits(s) {
		return false
	}
	p := 10
	for i := 0; i < 8; i++ {
		sum := (p + int(s[i]-'0')) % 10
		if sum == 0 {
			sum = 10
		}
		p = (2 * sum) % 11
	}
	return (11-p)%10 == int(s[8]-'0')
}

// ValidMB reports whether s is a matični broj of a legal entity: 8 digits, the last being the
// modulus 11 check digit of the first 7 with weights 7, 6, 5, 4, 3, 2, 7 (a result of 10 or 11
// gives 0).
func ValidMB(s string) bool {
	if len(s) != 8 || !onlyDigits(s) {
		return false
	}
	weights := [7]int{7, 6, 5, 4, 3, 2, 7}
	sum := 0
	for i, w := range weights {
		sum += w * int(s[i]-'0')
	}
	k := 11 - sum%11
	if k > 9 {
		k = 0
	}
	return k == int(s[7]-'0')
}

// NormalizeAccount turns a domestic account number typed as "160-0000000123456-54",
// "160-123456-54" (the middle part zero-padded to 13 digits) or 18 digits into its 18-digit form:
// bank 3 + account 13 + control 2, the whole number ≡ 1 (mod 97) as ISO 7064 MOD 97-10 requires.
func NormalizeAccount(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, " ", "")
	if strings.Contains(s, "-") {
		parts := strings.Split(s, "-")
		if len(parts) != 3 || len(parts[0]) != 3 || len(parts[2]) != 2 || len(parts[1]) == 0 || len(parts[1]) > 13 ||
			!onlyDigits(parts[0]) || !onlyDigits(parts[1]) || !onlyDigits(parts[2]) {
			return "", errors.Join(ErrInvalid, errors.New("an account is bank (3 digits), account (up to 13 digits) and control number (2 digits), such as 160-0000000123456-54"))
		}
		s = parts[0] + strings.Repeat("0", 13-len(parts[1])) + parts[1] + parts[2]
	}
	if len(s) != 18 || !onlyDigits(s) {
		return "", errors.Join(ErrInvalid, errors.New("an account has exactly 18 digits: bank 3, account 13 and control 2"))
	}
	if mod97(s) != 1 {
		return "", errors.Join(ErrInvalid, errors.New("the account's control digits do not match (MOD 97-10)"))
	}
	return s, nil
}

// FormatAccount shows an 18-digit account as bank-account-control: "160-0000000123456-54".
func FormatAccount(acc string) string {
	if len(acc) != 18 {
		return acc
	}
	return acc[:3] + "-" + acc[3:16] + "-" + acc[16:]
}

// AccountControl is the pair of control digits that completes bank (3) + account (13 digits).
func AccountControl(first16 string) string {
	c := 98 - mod97(first16+"00")
	return string([]byte{byte('0' + c/10), byte('0' + c%10)})
}

// maxReferenceDigits bounds the number that model 97 protects: the RO tag holds at most 25
// characters, of which 2 are the model and 2 the check digits.
const maxReferenceDigits = 21

// Model97 is the payment reference of model 97 over digits: "97", two check digits (98 minus the
// number times 100 modulo 97) and the digits themselves, with no spaces or dashes.
func Model97(digits string) (string, error) {
	if !onlyDigits(digits) || len(digits) > maxReferenceDigits {
		return "", errors.Join(ErrInvalid, errors.New("a model 97 reference protects 1 to 21 digits"))
	}
	return "97" + AccountControl(digits) + digits, nil
}

// ParseModel97 checks a model 97 reference as a bank statement or a payer may write it ("97 12
// 000123", "97-12-000123", "9712000123") and returns it without separators with the protected
// digits.
func ParseModel97(ref string) (normalized, digits string, ok bool) {
	r := strings.NewReplacer(" ", "", "-", "", "/", "").Replace(strings.TrimSpace(ref))
	if len(r) < 5 || !strings.HasPrefix(r, "97") || !onlyDigits(r) || len(r) > 4+maxReferenceDigits {
		return "", "", false
	}
	digits = r[4:]
	if AccountControl(digits) != r[2:4] {
		return "", "", false
	}
	return r, digits, true
}
