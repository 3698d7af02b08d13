package provideraccounts

import (
	"context"
	"errors"
	"strings"

	"securelink/internal/apperr"
)

// The steps of going live, in the order the portal shows them.
const (
	StepProfile           = "profile"
	StepPIB               = "pib"
	StepLiveProvider      = "live_provider"
	StepTerms             = "terms"
	StepNotificationEmail = "notification_email"
)

// GoLiveSteps lists every step.
var GoLiveSteps = []string{StepProfile, StepPIB, StepLiveProvider, StepTerms, StepNotificationEmail}

// Profile is what the checklist reads of the merchant.
type Profile struct {
	LegalName, Address, PIB, Terms, NotificationEmail string
}

// Step is one item of the go-live checklist.
type Step struct {
	Key  string
	Done bool
}

// GoLive is the checklist a merchant completes before taking live payments: its legal profile
// (name and address), its PIB (a step of its own: it is entered with the other Serbian details), a
// live provider account that passed its connection test, terms of sale and
// a notification e-mail.
func (s *Service) GoLive(ctx context.Context, merchantID string, p Profile) ([]Step, error) {
	filled := func(v ...string) bool {
		for _, x := range v {
			if strings.TrimSpace(x) == "" {
				return false
			}
		}
		return true
	}
	live := s.Default.Livemode
	if !live {
		a, err := s.Store.Active(ctx, merchantID, true)
		switch {
		case err == nil:
			live = a.LastTestOK
		case !errors.Is(err, apperr.ErrNotFound):
			return nil, err
		}
	}
	done := map[string]bool{
		StepProfile:           filled(p.LegalName, p.Address),
		StepPIB:               filled(p.PIB),
		StepLiveProvider:      live,
		StepTerms:             filled(p.Terms),
		StepNotificationEmail: filled(p.NotificationEmail),
	}
	out := make([]Step, 0, len(GoLiveSteps))
	for _, k := range GoLiveSteps {
		out = append(out, Step{Key: k, Done: done[k]})
	}
	return out, nil
}
