package exchange_test

import (
	"slices"
	"testing"

	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
)

// TestCheckoutListsTheSandboxCards: an account on SecureLink's sandbox gives its test checkout the
// sandbox's own cards, each doing what the sandbox does with it; an account on one of AllSecure's
// gateways gives none, since the checkout cannot vouch for their cards.
func TestCheckoutListsTheSandboxCards(t *testing.T) {
	e := newEnv(t, "")
	cards := e.provider.TestCards()
	outcomes := map[psp.TestCardOutcome]bool{}
	for _, c := range cards {
		outcomes[c.Outcome] = true
		if c.Outcome == psp.TestCardDeclined && !slices.Contains(psp.PayerDeclineCodes, c.DeclineCode) {
			t.Errorf("%s declines with %q, which the checkout has no words for", c.Number, c.DeclineCode)
		}
		// The card does at the sandbox what the list says.
		p := authorizeRequest("pay_card_"+c.Number, e.token(t, c.Number), true)
		res, err := e.provider.Authorize(ctx(t), p)
		if err != nil {
			t.Fatalf("%s: %v", c.Number, err)
		}
		switch c.Outcome {
		case psp.TestCardSucceeds, psp.TestCardRefundFails:
			if res.Outcome != psp.OutcomeSucceeded {
				t.Errorf("%s: %+v, want succeeded", c.Number, res)
			}
		case psp.TestCardDeclined:
			if res.Outcome != psp.OutcomeDeclined || res.DeclineCode != c.DeclineCode {
				t.Errorf("%s: %+v, want declined with %s", c.Number, res, c.DeclineCode)
			}
		case psp.TestCardChallenge, psp.TestCardChallengeFails:
			if res.Outcome != psp.OutcomeRequiresAction {
				t.Errorf("%s: %+v, want 3-D Secure", c.Number, res)
			}
		}
	}
	for _, o := range psp.TestCardOutcomes {
		if !outcomes[o] {
			t.Errorf("no listed card %s", o)
		}
	}
	if len(cards) == 0 || len(cards) >= len(exchange.SandboxCards) {
		t.Errorf("%d cards listed of the sandbox's %d (pending and timeout ones are not for the checkout)", len(cards), len(exchange.SandboxCards))
	}
	for _, host := range []string{exchange.LiveAPIURL, exchange.SandboxAPIURL} {
		p, err := exchange.New(exchange.Config{APIURL: host, APIKey: testAPIKey, Username: testUser, Password: testPassword,
			SharedSecret: testSecret, PublicIntegrationKey: testPublicKey})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.TestCards(); len(got) != 0 {
			t.Errorf("an account on %s lists %d cards, want none", host, len(got))
		}
	}
}
