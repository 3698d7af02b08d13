package merchants

import (
	"strings"
	"testing"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

func ptr(s string) *string { return &s }

func TestApplyPatch(t *testing.T) {
	base := Merchant{Name: "Pekara", DefaultCurrency: "RSD", DefaultLocale: domain.LocaleSrLatn, DefaultCaptureMode: domain.CaptureAutomatic}
	cases := []struct {
		name  string
		patch MerchantPatch
		param string // the field at fault, or "" when the patch applies
		check func(Merchant) bool
	}{
		{"nothing changes", MerchantPatch{}, "", func(m Merchant) bool { return m == base }},
		{"name is trimmed", MerchantPatch{Name: ptr("  Pekara Mika ")}, "", func(m Merchant) bool { return m.Name == "Pekara Mika" }},
		{"empty name", MerchantPatch{Name: ptr("  ")}, "name", nil},
		{"long terms", MerchantPatch{Terms: ptr(strings.Repeat("x", 10001))}, "terms", nil},
		{"currency is upper-cased", MerchantPatch{DefaultCurrency: ptr("kwd")}, "", func(m Merchant) bool { return m.DefaultCurrency == "KWD" }},
		{"unknown currency", MerchantPatch{DefaultCurrency: ptr("XYZ")}, "default_currency", nil},
		{"locale", MerchantPatch{DefaultLocale: ptr(domain.LocaleSrCyrl)}, "", func(m Merchant) bool { return m.DefaultLocale == domain.LocaleSrCyrl }},
		{"unknown locale", MerchantPatch{DefaultLocale: ptr("de")}, "default_locale", nil},
		{"manual capture", MerchantPatch{DefaultCaptureMode: ptr("manual")}, "", func(m Merchant) bool { return m.DefaultCaptureMode == domain.CaptureManual }},
		{"unknown capture mode", MerchantPatch{DefaultCaptureMode: ptr("later")}, "default_capture_mode", nil},
		{"bad support e-mail", MerchantPatch{SupportEmail: ptr("not an address")}, "support_email", nil},
		{"notification e-mail", MerchantPatch{NotificationEmail: ptr("prodaja@pekara.rs")}, "", func(m Merchant) bool { return m.NotificationEmail == "prodaja@pekara.rs" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := applyPatch(base, c.patch)
			if c.param != "" {
				if ae, ok := apperr.As(err); !ok || ae.Param != c.param {
					t.Fatalf("err %v, want one naming %s", err, c.param)
				}
				return
			}
			if err != nil || !c.check(got) {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		pw   string
		code string
	}{
		{"short", "password_too_short"},
		{"correct horse", ""},
		{strings.Repeat("ž", 36), ""}, // 72 bytes: the limit counts bytes
		{strings.Repeat("ž", 37), "password_too_long"},
		{strings.Repeat("x", 1000), "password_too_long"},
	}
	for _, c := range cases {
		err := CheckPassword(c.pw)
		if ae, ok := apperr.As(err); c.code == "" && err != nil || c.code != "" && (!ok || ae.Code != c.code) {
			t.Errorf("%d characters: %v, want %q", len(c.pw), err, c.code)
		}
	}
}
