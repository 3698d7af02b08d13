package testgateway

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestChallengePageSpeaksThePayersLanguage: ?locale= wins, then the browser's languages by the
// shared rule (plain "sr" is Cyrillic), and amounts are written as the checkout writes them.
func TestChallengePageSpeaksThePayersLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		query, acceptLanguage, want string
	}{
		{"?locale=sr-Cyrl", "en", "sr-Cyrl"},
		{"?locale=en", "sr", "en"},
		{"", "sr-RS,sr;q=0.9", "sr-Cyrl"},
		{"", "sr-Latn-RS,en;q=0.5", "sr-Latn"},
		{"", "de-DE,en;q=0.5", "en"},
		{"", "", "sr-Latn"},
		{"?locale=xx", "hr", "sr-Latn"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(http.MethodGet, "/gateway/v1/3ds/pay_1"+tc.query, nil)
		if tc.acceptLanguage != "" {
			r.Header.Set("Accept-Language", tc.acceptLanguage)
		}
		if got := challengeLang(r); got != tc.want {
			t.Errorf("%q / %q: %s, want %s", tc.query, tc.acceptLanguage, got, tc.want)
		}
	}
	amounts := []struct{ lang, want string }{
		{"sr-Latn", "28.500,50 RSD"}, {"sr-Cyrl", "28.500,50 RSD"}, {"en", "RSD 28,500.50"},
	}
	for _, a := range amounts {
		if got := formatLocalAmount(2850050, "RSD", a.lang); got != a.want {
			t.Errorf("%s: %q, want %q", a.lang, got, a.want)
		}
	}
	if got := formatLocalAmount(1500, "JPY", "en"); got != "JPY 1,500" {
		t.Errorf("JPY: %q", got)
	}
	if got := formatLocalAmount(1234567, "KWD", "sr-Latn"); got != "1.234,567 KWD" {
		t.Errorf("KWD: %q", got)
	}
	for lang, words := range challengeWords {
		for key := range challengeWords["en"] {
			if words[key] == "" {
				t.Errorf("%s lacks %s", lang, key)
			}
		}
	}
}
