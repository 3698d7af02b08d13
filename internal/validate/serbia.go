package validate

import (
	"strings"

	"securelink/internal/apperr"
	"securelink/internal/domain/serbia"
)

// PIB trims a Serbian tax number and checks its 9 digits and MOD 11,10 check digit; empty is allowed.
func PIB(param, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !serbia.ValidPIB(v) {
		return "", apperr.Invalid(param, "invalid_pib", "%s must be a PIB: 9 digits whose last is the check digit (ISO 7064 MOD 11,10).", param)
	}
	return v, nil
}

// MB trims a matični broj and checks its 8 digits and check digit; empty is allowed.
func MB(param, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !serbia.ValidMB(v) {
		return "", apperr.Invalid(param, "invalid_mb", "%s must be a matični broj: 8 digits whose last is the check digit.", param)
	}
	return v, nil
}

// Account normalises a Serbian account number to its 18 digits and checks its control digits;
// empty is allowed.
func Account(param, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	acc, err := serbia.NormalizeAccount(v)
	if err != nil {
		return "", apperr.Invalid(param, "invalid_account", "%s must be a Serbian account such as 160-0000000123456-54 or its 18 digits, with valid control digits.", param)
	}
	return acc, nil
}
