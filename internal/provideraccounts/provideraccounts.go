// Package provideraccounts holds each merchant's accounts with payment providers: at most one test
// and one live account, with the provider's settings and credentials (sealed at rest, write-only,
// shown masked), a connection test, and the routing of every payment to the account that takes it.
//
// Connecting another account ends the active one without deleting it: captures, voids, refunds,
// reconciliation and webhooks of the payments it took still go to it.
package provideraccounts

import (
	"context"
	"time"

	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/psp"
	"securelink/internal/secretbox"
)

// Status is where an account is in its life.
type Status string

// The statuses of an account.
const (
	// StatusActive takes the merchant's new payments in its mode.
	StatusActive Status = "active"
	// StatusReplaced was followed by another account; StatusDisconnected was removed by the owner.
	// Both still serve the payments they took.
	StatusReplaced     Status = "replaced"
	StatusDisconnected Status = "disconnected"
)

// PrefixAccount starts every provider account id.
const PrefixAccount = "pa"

// Account is a stored provider account; its secrets stay sealed.
type Account struct {
	ID         string
	MerchantID string
	Livemode   bool
	Provider   string
	Settings   map[string]string
	// Secrets is the JSON of the secret values, sealed with the key KeyID names.
	Secrets string
	KeyID   string
	// SecretLast4 keeps the last four characters of each secret, for the masked view.
	SecretLast4 map[string]string
	Status      Status
	LastTestAt  *time.Time
	LastTestOK  bool
	// LastTestCode is why the last test failed (a psp.ConnectionFailure), empty when it passed.
	LastTestCode    string
	LastTestMessage string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	EndedAt         *time.Time
}

// Store is the storage this package needs.
type Store interface {
	// Active is the merchant's active account in a mode; apperr.ErrNotFound when it has none.
	Active(ctx context.Context, merchantID string, livemode bool) (Account, error)
	// Get finds an account by id, whatever its status.
	Get(ctx context.Context, id string) (Account, error)
	// Connect ends the merchant's active account in a's mode (replaced) and inserts a, in one
	// transaction.
	Connect(ctx context.Context, a Account, at time.Time) error
	// Disconnect ends the merchant's active account in a mode; apperr.ErrNotFound when none.
	Disconnect(ctx context.Context, merchantID string, livemode bool, at time.Time) (Account, error)
	// RecordTest keeps the result of an account's connection test.
	RecordTest(ctx context.Context, id string, r TestResult) error
	// Sealed lists every account (ids, secrets and key ids), for re-sealing with a new key.
	Sealed(ctx context.Context) ([]Account, error)
	// Reseal replaces an account's sealed secrets, only while they are still sealed with fromKeyID.
	Reseal(ctx context.Context, id, fromKeyID, secrets, keyID string) (bool, error)
}

// Auditor records who did what.
type Auditor interface {
	Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) error
}

// Owners tells whether an actor may manage the merchant's provider accounts (owners and API keys).
type Owners interface {
	RequireOwner(ctx context.Context, actor domain.Actor) error
}

// Service is the provider account use cases and the payment routing.
type Service struct {
	Store  Store
	Audit  Auditor
	Owners Owners
	Tx     audit.Tx
	// Keys seals and opens credentials. Explicit says its current key came from the operator
	// (SECURELINK_ENCRYPTION_KEY): live credentials are sealed only with such a key.
	Keys     *secretbox.Keyring
	Explicit bool
	Env      psp.Env
	// BaseURL is SecureLink's public URL (webhook URLs).
	BaseURL string
	// Default is the deployment's default account and DefaultProvider its provider: merchants
	// without an account of their own in its mode use it.
	Default         psp.Account
	DefaultProvider psp.Provider
	// Builtin holds values the deployment supplies for a provider's fields (the built-in test
	// gateway's URL and key); an account's own values come first.
	Builtin map[string]psp.Account
	// TestValues are operator values for every test account of a provider, by provider and field
	// (a local sandbox's API URL): below the account's own values, never for a live account.
	TestValues map[string]map[string]string
	// BuiltinTestProvider takes test payments when the default account is a live one.
	BuiltinTestProvider psp.Provider
	Now                 func() time.Time

	cache providerCache
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}
