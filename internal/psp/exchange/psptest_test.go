package exchange_test

import (
	"testing"

	"securelink/internal/psp/psptest"
)

// TestSharedSuiteOnSandbox runs SecureLink's provider suite against the sandbox over loopback HTTP:
// signed requests, payment.js tokens, 3-D Secure through the sandbox's page, the ledger for charges.
func TestSharedSuiteOnSandbox(t *testing.T) {
	e := newEnv(t, "")
	psptest.Run(t, psptest.Harness{
		Provider:    e.provider,
		Token:       e.token,
		Complete3DS: e.complete3DS,
		Charges: func(t *testing.T, reference string) int {
			return e.sandbox.Charges(reference + ":authorize")
		},
	})
}
