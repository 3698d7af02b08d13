package provideraccounts

import (
	"testing"

	"securelink/internal/psp"
)

// TestOperatorTestValuesNeverReachALiveAccount: the operator's test values (a sandbox's API URL) fill
// in a test account's missing values, below its own, and a live account never takes them.
func TestOperatorTestValuesNeverReachALiveAccount(t *testing.T) {
	s := &Service{TestValues: map[string]map[string]string{"exchange": {"api_url": "http://127.0.0.1:8091"}}}
	test := s.withBuiltin(psp.Account{Provider: "exchange", Settings: map[string]string{"api_key": "k"}})
	if test.Value("api_url") != "http://127.0.0.1:8091" || test.Value("api_key") != "k" {
		t.Fatalf("test account: %+v", test)
	}
	own := s.withBuiltin(psp.Account{Provider: "exchange", Settings: map[string]string{"api_url": "http://operator-set.example"}})
	if own.Value("api_url") != "http://operator-set.example" {
		t.Fatalf("an account's own value comes first: %+v", own)
	}
	live := s.withBuiltin(psp.Account{Provider: "exchange", Livemode: true, Settings: map[string]string{"api_key": "k"}})
	if live.Value("api_url") != "" {
		t.Fatalf("a live account took the operator's test value: %+v", live)
	}
	if other := s.withBuiltin(psp.Account{Provider: "stripe"}); other.Value("api_url") != "" {
		t.Fatalf("another provider took it: %+v", other)
	}
}
