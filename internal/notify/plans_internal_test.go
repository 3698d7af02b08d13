package notify

import (
	"testing"

	"securelink/internal/domain"
)

// TestEveryEventTypeHasAPlan: a new event type must say what it sends (nothing is an answer too).
func TestEveryEventTypeHasAPlan(t *testing.T) {
	for _, typ := range domain.EventTypes {
		p, ok := emailPlans[typ]
		if !ok {
			t.Errorf("%s has no entry in emailPlans", typ)
		}
		if (p.read == nil) != (p.build == nil) {
			t.Errorf("%s: read and build come together", typ)
		}
	}
	if len(emailPlans) != len(domain.EventTypes) {
		t.Errorf("emailPlans has %d entries for %d event types", len(emailPlans), len(domain.EventTypes))
	}
}
