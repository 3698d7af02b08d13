package provideraccounts

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"securelink/internal/apperr"
	"securelink/internal/psp"
)

// BuiltinGatewayID is the account id recorded on test payments taken by the built-in test gateway
// when the deployment's default account is a live one.
const BuiltinGatewayID = "builtin_testgateway"

// providerCache keeps the providers built for accounts. An account's values never change after it
// is connected (another account replaces it), so a built provider stays right for its id.
type providerCache struct {
	mu sync.Mutex
	m  map[string]psp.Provider
}

func (c *providerCache) get(id string) (psp.Provider, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[id]
	return p, ok
}

func (c *providerCache) put(id string, p psp.Provider) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]psp.Provider{}
	}
	c.m[id] = p
}

// ForNewPayment implements payments.Providers: the merchant's active account in the mode, else
// the deployment's default account when it is of that mode. Live mode never falls back to a test
// provider: without a live account the answer is live_provider_missing.
func (s *Service) ForNewPayment(ctx context.Context, merchantID string, livemode bool) (psp.Provider, string, error) {
	a, err := s.Store.Active(ctx, merchantID, livemode)
	switch {
	case err == nil:
		p, err := s.providerOf(a)
		return p, a.ID, err
	case !errors.Is(err, apperr.ErrNotFound):
		return nil, "", err
	case s.Default.Livemode == livemode:
		return s.DefaultProvider, "", nil
	case livemode:
		return nil, "", ErrLiveProviderMissing()
	default:
		return s.BuiltinTestProvider, BuiltinGatewayID, nil
	}
}

// ForAccount implements payments.Providers: the provider of the account that took a payment, whatever
// its status now.
func (s *Service) ForAccount(ctx context.Context, id string) (psp.Provider, error) {
	switch id {
	case "":
		return s.DefaultProvider, nil
	case BuiltinGatewayID:
		return s.BuiltinTestProvider, nil
	}
	if p, ok := s.cache.get(id); ok {
		return p, nil
	}
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.providerOf(a)
}

// LiveReady answers live_provider_missing unless the merchant's live payments have an account to
// go to: its own live account or a live default account.
func (s *Service) LiveReady(ctx context.Context, merchantID string) error {
	if s.Default.Livemode {
		return nil
	}
	_, err := s.Store.Active(ctx, merchantID, true)
	if errors.Is(err, apperr.ErrNotFound) {
		return ErrLiveProviderMissing()
	}
	return err
}

// providerOf builds (once) the provider of a stored account.
func (s *Service) providerOf(a Account) (psp.Provider, error) {
	if p, ok := s.cache.get(a.ID); ok {
		return p, nil
	}
	d, ok := psp.Lookup(a.Provider)
	if !ok {
		return nil, apperr.Internal(fmt.Errorf("provider account %s: provider %q is not registered", a.ID, a.Provider))
	}
	secrets, err := s.open(a)
	if err != nil {
		return nil, err
	}
	pa := s.withBuiltin(psp.Account{ID: a.ID, Livemode: a.Livemode, Provider: a.Provider, Settings: a.Settings, Secrets: secrets,
		WebhookURL: s.WebhookURL(a.ID)})
	p, err := d.New(pa, s.Env)
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("provider account %s: %w", a.ID, err))
	}
	s.cache.put(a.ID, p)
	return p, nil
}

// ForStoredAccount is the provider of a merchant's stored account (the webhook route's); not found
// for anything else, the default account included.
func (s *Service) ForStoredAccount(ctx context.Context, id string) (psp.Provider, error) {
	if id == "" || id == BuiltinGatewayID {
		return nil, apperr.NotFound("provider account")
	}
	p, err := s.ForAccount(ctx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, apperr.NotFound("provider account")
	}
	return p, err
}
