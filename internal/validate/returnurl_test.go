package validate_test

import (
	"errors"
	"strings"
	"testing"

	"securelink/internal/apperr"
	"securelink/internal/validate"
)

func TestReturnURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want, code string
	}{
		{"", "", ""},
		{"  https://shop.example/thanks?order=7  ", "https://shop.example/thanks?order=7", ""},
		{"https://shop.example:8443/a#top", "https://shop.example:8443/a#top", ""},
		{"http://localhost:3000/done", "http://localhost:3000/done", ""},
		{"http://127.0.0.1/done", "http://127.0.0.1/done", ""},
		{"http://[::1]:8080/done", "http://[::1]:8080/done", ""},
		{"http://shop.example/done", "", "insecure_url"},
		{"http://10.0.0.1/done", "", "insecure_url"},
		{"http://localhost.evil.example/", "", "insecure_url"},
		{"/done", "", "invalid_url"},
		{"//evil.example/", "", "invalid_url"},
		{"javascript:alert(1)", "", "invalid_url"},
		{"data:text/html,hi", "", "invalid_url"},
		{"https:shop.example", "", "invalid_url"},
		{"https://", "", "invalid_url"},
		{"https://a b.example/", "", "invalid_url"},
		{"https://shop.example\\@evil.example/", "", "invalid_url"},
		{"https://user@shop.example/", "", "invalid_url"},
		{"https://user:pw@shop.example/", "", "invalid_url"},
		{"https://shop.example/\x00", "", "invalid_string"},
		{"https://shop.example/" + strings.Repeat("a", validate.MaxReturnURLLength), "", "too_long"},
	}
	for _, tc := range cases {
		got, err := validate.ReturnURL("success_url", tc.in)
		var ae *apperr.Error
		switch {
		case tc.code == "" && (err != nil || got != tc.want):
			t.Errorf("%q: %q %v, want %q", tc.in, got, err, tc.want)
		case tc.code != "" && (!errors.As(err, &ae) || ae.Code != tc.code || ae.Param != "success_url"):
			t.Errorf("%q: %q %v, want code %s on success_url", tc.in, got, err, tc.code)
		}
	}
}
