package exchange

import (
	"net/url"
	"slices"
	"strings"

	"securelink/internal/psp"
)

// SandboxBehaviour is what one of the sandbox's test cards does when it is charged.
type SandboxBehaviour int

// The behaviours of the sandbox's test cards.
const (
	SandboxSucceeds          SandboxBehaviour = iota // finished at once
	SandboxDeclines                                  // declined at once with the card's error code
	SandboxChallenge                                 // 3-D Secure, then finished
	SandboxChallengeDeclines                         // 3-D Secure, then declined even when completed
	SandboxRefundFails                               // finished; every refund fails
	SandboxPending                                   // PENDING; settles as a success later (callback, status API)
	SandboxTimeout                                   // charged, but the answer never comes
)

// SandboxCard is one of the test card numbers of SecureLink's Exchange sandbox
// (`securelink exchange-sandbox`) and what it does.
type SandboxCard struct {
	Number string
	Brand  string
	// Does says what happens, as the README lists it.
	Does      string
	Behaviour SandboxBehaviour
	// ErrorCode is the gateway's code of a declining card.
	ErrorCode int
}

// SandboxCards are the sandbox's test cards: the sandbox behaves by them, and a test checkout whose
// account talks to the sandbox lists them. Any other valid number (Luhn, length, future expiry)
// succeeds. The README lists them.
var SandboxCards = []SandboxCard{
	{Number: "4242424242424242", Brand: "visa", Does: "succeeds (Visa)"},
	{Number: "5555555555554444", Brand: "mastercard", Does: "succeeds (Mastercard)"},
	{Number: "378282246310005", Brand: "amex", Does: "succeeds (American Express)"},
	{Number: "9891000000000003", Brand: "dinacard", Does: "succeeds (DinaCard)"},
	{Number: "4000000000000002", Brand: "visa", Does: "declined: 2003 transaction declined", Behaviour: SandboxDeclines, ErrorCode: CodeDeclined},
	{Number: "4000000000009995", Brand: "visa", Does: "declined: 2006 insufficient funds", Behaviour: SandboxDeclines, ErrorCode: CodeInsufficientFunds},
	{Number: "4000000000000069", Brand: "visa", Does: "declined: 2009 expired card", Behaviour: SandboxDeclines, ErrorCode: CodeExpiredCard},
	{Number: "4000000000000127", Brand: "visa", Does: "declined: 2007 incorrect payment information (security code)", Behaviour: SandboxDeclines, ErrorCode: CodeIncorrectPayment},
	{Number: "4000000000000119", Brand: "visa", Does: "declined: 3005 the acquirer could not be reached", Behaviour: SandboxDeclines, ErrorCode: CodeCommunication},
	{Number: "4000000000003220", Brand: "visa", Does: "3-D Secure, then succeeds when the challenge is completed", Behaviour: SandboxChallenge},
	{Number: "4000002500003155", Brand: "visa", Does: "3-D Secure, then succeeds when the challenge is completed", Behaviour: SandboxChallenge},
	{Number: "4000008400001629", Brand: "visa", Does: "3-D Secure, then declined: 2021 verification failed", Behaviour: SandboxChallengeDeclines, ErrorCode: Code3DSFailed},
	{Number: "4000000000005126", Brand: "visa", Does: "succeeds; every refund fails (2003)", Behaviour: SandboxRefundFails},
	{Number: "4000000000000259", Brand: "visa", Does: "PENDING; succeeds a few seconds later (callback, status API)", Behaviour: SandboxPending},
	{Number: "4000000000000770", Brand: "visa", Does: "charged, but the answer never comes (the connection is closed): reconciliation finds the payment", Behaviour: SandboxTimeout},
}

// checkoutCards are the sandbox's cards a test checkout lists: those whose outcome a payer can see
// there (a PENDING card and one whose answer never comes are for server-side tests).
func checkoutCards() []psp.TestCard {
	var out []psp.TestCard
	for _, c := range SandboxCards {
		t := psp.TestCard{Number: c.Number, Brand: c.Brand}
		switch c.Behaviour {
		case SandboxSucceeds:
			t.Outcome = psp.TestCardSucceeds
		case SandboxDeclines:
			t.Outcome, t.DeclineCode = psp.TestCardDeclined, DeclineCodeOf(c.ErrorCode)
		case SandboxChallenge:
			t.Outcome = psp.TestCardChallenge
		case SandboxChallengeDeclines:
			t.Outcome = psp.TestCardChallengeFails
		case SandboxRefundFails:
			t.Outcome = psp.TestCardRefundFails
		case SandboxPending, SandboxTimeout:
			continue
		}
		out = append(out, t)
	}
	return out
}

// TestCards implements psp.TestCardLister for an account that talks to SecureLink's sandbox: its test
// checkout lists the sandbox's cards. AllSecure's own gateways (live, and its sandbox, which has test
// cards of its own) get no list: the checkout names no card it cannot vouch for.
func (p *Provider) TestCards() []psp.TestCard {
	if isAllSecureHost(p.base) {
		return nil
	}
	return slices.Clone(checkoutCardList)
}

var checkoutCardList = checkoutCards()

// isAllSecureHost reports whether u is one of AllSecure's gateways.
func isAllSecureHost(u *url.URL) bool {
	for _, known := range []string{LiveAPIURL, SandboxAPIURL} {
		if k, err := url.Parse(known); err == nil && strings.EqualFold(u.Hostname(), k.Hostname()) {
			return true
		}
	}
	return false
}

var _ psp.TestCardLister = (*Provider)(nil)
