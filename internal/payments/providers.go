package payments

import (
	"context"

	"securelink/internal/psp"
)

// Providers finds the provider account that takes a payment and, later, the one that took it:
// captures, voids, refunds, reconciliation and webhooks go to the account that took the payment,
// even after the merchant connected another.
type Providers interface {
	// ForNewPayment is the provider that takes a new payment of the merchant in a mode, with the id
	// of its account ("" for the deployment's default account).
	ForNewPayment(ctx context.Context, merchantID string, livemode bool) (psp.Provider, string, error)
	// ForAccount is the provider of the account that took a payment ("" for the default account).
	ForAccount(ctx context.Context, accountID string) (psp.Provider, error)
}

// OneProvider is Providers with one provider for every merchant and mode (a single-merchant
// deployment, and tests).
type OneProvider struct{ Provider psp.Provider }

// ForNewPayment implements Providers.
func (o OneProvider) ForNewPayment(context.Context, string, bool) (psp.Provider, string, error) {
	return o.Provider, "", nil
}

// ForAccount implements Providers.
func (o OneProvider) ForAccount(context.Context, string) (psp.Provider, error) {
	return o.Provider, nil
}

// providers is the Service's Providers: OneProvider of Provider when none is set.
func (s *Service) providers() Providers {
	if s.Providers != nil {
		return s.Providers
	}
	return OneProvider{Provider: s.Provider}
}

// providerOf is the provider of the account that took p.
func (s *Service) providerOf(ctx context.Context, p Payment) (psp.Provider, error) {
	return s.providers().ForAccount(ctx, p.ProviderAccountID)
}
