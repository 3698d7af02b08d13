package psp

// TestCardOutcome is what paying with one of a provider's test cards does.
type TestCardOutcome string

// The test card outcomes.
const (
	TestCardSucceeds       TestCardOutcome = "succeeds"
	TestCardDeclined       TestCardOutcome = "declined"        // with the card's DeclineCode
	TestCardChallenge      TestCardOutcome = "challenge"       // asks for 3-D Secure, then succeeds
	TestCardChallengeFails TestCardOutcome = "challenge_fails" // asks for 3-D Secure, which fails
	TestCardRefundFails    TestCardOutcome = "refund_fails"    // charges, but every refund fails
)

// TestCardOutcomes lists every outcome, in the order a checkout groups them.
var TestCardOutcomes = []TestCardOutcome{TestCardSucceeds, TestCardDeclined, TestCardChallenge, TestCardChallengeFails,
	TestCardRefundFails}

// TestCard is a card number a provider's test mode answers in a known way: a test checkout lists
// them, so a payer trying it out knows what to type and what will happen.
type TestCard struct {
	Number      string          `json:"number"`
	Brand       string          `json:"brand"`
	Outcome     TestCardOutcome `json:"outcome"`
	DeclineCode DeclineCode     `json:"decline_code,omitempty"`
}

// TestCardLister is implemented by a provider whose test mode has documented test cards.
type TestCardLister interface {
	TestCards() []TestCard
}
