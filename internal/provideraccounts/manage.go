package provideraccounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/psp"
)

// The error codes of this package.
const (
	CodeLiveProviderMissing    = "live_provider_missing"
	CodeEncryptionKeyRequired  = "encryption_key_required"
	CodeUnknownProvider        = "unknown_provider"
	CodeProviderTestOnly       = "provider_test_only"
	CodeInvalidProviderSetting = "invalid_provider_settings"
)

// maxValueLen caps one value of an account.
const maxValueLen = 2000

// ErrLiveProviderMissing refuses live work for a merchant without a live provider account.
func ErrLiveProviderMissing() *apperr.Error {
	return apperr.Conflict(CodeLiveProviderMissing, "Live payments go through your own provider account, and this merchant has none in live mode. "+
		"Connect one under Settings → Payment providers (or PUT /api/v1/provider-accounts/live), test it, then try again.")
}

// ModeName is how a mode is written in routes and messages.
func ModeName(livemode bool) string {
	if livemode {
		return "live"
	}
	return "test"
}

// Provider is a provider a merchant can connect, as the portal and the API list it.
type Provider struct {
	Name     string
	Title    string
	TestOnly bool
	// Fields are those a merchant fills in (operator-only fields left out).
	Fields []psp.Field
}

// Providers lists the providers a merchant can connect.
func (s *Service) Providers() []Provider {
	var out []Provider
	for _, d := range psp.Definitions() {
		p := Provider{Name: d.Name, Title: d.Title, TestOnly: d.TestOnly, Fields: []psp.Field{}}
		for _, f := range d.Fields {
			if !f.Operator {
				p.Fields = append(p.Fields, f)
			}
		}
		out = append(out, p)
	}
	return out
}

// WebhookURL is where an account's provider sends its notifications.
func (s *Service) WebhookURL(id string) string {
	return strings.TrimRight(s.BaseURL, "/") + "/api/v1/psp/accounts/" + id + "/webhook"
}

// Get is the merchant's active account in a mode; apperr not found when it has none.
func (s *Service) Get(ctx context.Context, actor domain.Actor, livemode bool) (Account, error) {
	if err := s.Owners.RequireOwner(ctx, actor); err != nil {
		return Account{}, err
	}
	a, err := s.Store.Active(ctx, actor.MerchantID, livemode)
	if errors.Is(err, apperr.ErrNotFound) {
		return Account{}, apperr.NotFound(ModeName(livemode) + " provider account")
	}
	return a, err
}

// PutInput is an account to connect: the provider and its values. A secret left out keeps the
// active account's value when the provider stays the same.
type PutInput struct {
	Provider string
	Values   map[string]string
	// Operator allows the operator-only fields (the command line).
	Operator bool
}

// Put connects an account for the merchant in a mode, replacing the active one.
func (s *Service) Put(ctx context.Context, actor domain.Actor, livemode bool, in PutInput) (Account, error) {
	if err := s.Owners.RequireOwner(ctx, actor); err != nil {
		return Account{}, err
	}
	d, ok := psp.Lookup(strings.TrimSpace(in.Provider))
	if !ok {
		return Account{}, apperr.Unprocessable("provider", CodeUnknownProvider, "provider must be one of %s.", names())
	}
	if livemode && d.TestOnly {
		return Account{}, apperr.Unprocessable("provider", CodeProviderTestOnly,
			"%s moves no real money, so it can only be a test account: connect a real provider for live mode.", d.Title)
	}
	if livemode && !s.Explicit {
		return Account{}, apperr.Conflict(CodeEncryptionKeyRequired,
			"Live credentials are stored encrypted with the operator's key, and this server has none: set SECURELINK_ENCRYPTION_KEY (32 random bytes, base64) and restart.")
	}
	fields := map[string]psp.Field{}
	for _, f := range d.Fields {
		fields[f.Key] = f
	}
	now := s.now()
	acct := Account{ID: domain.NewID(PrefixAccount), MerchantID: actor.MerchantID, Livemode: livemode, Provider: d.Name,
		Settings: map[string]string{}, SecretLast4: map[string]string{}, Status: StatusActive, CreatedAt: now, UpdatedAt: now}
	pa := psp.Account{ID: acct.ID, Livemode: livemode, Provider: d.Name, Settings: acct.Settings, Secrets: map[string]string{},
		WebhookURL: s.WebhookURL(acct.ID)}
	for k, v := range in.Values {
		f, ok := fields[k]
		param := "values." + k
		switch {
		case !ok || (f.Operator && !in.Operator):
			return Account{}, apperr.Unprocessable(param, CodeInvalidProviderSetting, "%s takes no value %q.", d.Title, k)
		case utf8.RuneCountInString(v) > maxValueLen || strings.ContainsAny(v, "\x00\r\n"):
			return Account{}, apperr.Unprocessable(param, CodeInvalidProviderSetting, "%s must be one line of at most %d characters.", k, maxValueLen)
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if f.Secret {
			pa.Secrets[k] = v
		} else {
			pa.Settings[k] = v
		}
	}
	if err := s.keepSecrets(ctx, actor.MerchantID, livemode, d, pa.Secrets); err != nil {
		return Account{}, err
	}
	built := s.withBuiltin(pa)
	if _, err := d.New(built, s.Env); err != nil {
		var ce *psp.ConfigError
		if errors.As(err, &ce) {
			return Account{}, apperr.Unprocessable("values."+ce.Field, CodeInvalidProviderSetting, "%s.", upperFirst(ce.Message))
		}
		return Account{}, apperr.Unprocessable("provider", CodeInvalidProviderSetting, "These values do not make a working %s account.", d.Title)
	}
	for k, v := range pa.Secrets {
		acct.SecretLast4[k] = last4(v)
	}
	if err := s.seal(&acct, pa.Secrets); err != nil {
		return Account{}, err
	}
	keys := make([]string, 0, len(pa.Settings)+len(pa.Secrets))
	for k := range pa.Settings {
		keys = append(keys, k)
	}
	for k := range pa.Secrets {
		keys = append(keys, k)
	}
	err := s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.Connect(ctx, acct, now); err != nil {
			return err
		}
		// The audit entry names the fields set, never their values.
		return s.Audit.Record(ctx, actor, "provider_account.connected", acct.ID,
			map[string]any{"provider": d.Name, "livemode": livemode, "fields": keys})
	})
	if err != nil {
		return Account{}, err
	}
	return acct, nil
}

// keepSecrets fills in the secrets the owner left out from the active account of the same provider.
func (s *Service) keepSecrets(ctx context.Context, merchantID string, livemode bool, d psp.Definition, secrets map[string]string) error {
	missing := false
	for _, f := range d.Fields {
		if f.Secret && secrets[f.Key] == "" {
			missing = true
		}
	}
	if !missing {
		return nil
	}
	old, err := s.Store.Active(ctx, merchantID, livemode)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if old.Provider != d.Name {
		return nil
	}
	prev, err := s.open(old)
	if err != nil {
		return err
	}
	for k, v := range prev {
		if secrets[k] == "" {
			secrets[k] = v
		}
	}
	return nil
}

// Delete disconnects the merchant's active account in a mode. Its payments still go through it.
func (s *Service) Delete(ctx context.Context, actor domain.Actor, livemode bool) error {
	if err := s.Owners.RequireOwner(ctx, actor); err != nil {
		return err
	}
	return s.Tx.Run(ctx, func(ctx context.Context) error {
		a, err := s.Store.Disconnect(ctx, actor.MerchantID, livemode, s.now())
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.NotFound(ModeName(livemode) + " provider account")
		}
		if err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "provider_account.disconnected", a.ID, map[string]any{"provider": a.Provider, "livemode": livemode})
	})
}

// TestResult says plainly whether an account's credentials work.
type TestResult struct {
	OK bool
	// Code is why the test failed (a psp.ConnectionFailure), empty when it passed.
	Code string
	// Message is the provider's own words: what failed, or that the credentials work.
	Message  string
	TestedAt time.Time
}

// testTimeout bounds a connection test.
const testTimeout = 20 * time.Second

// Test calls the provider with the active account's credentials and keeps the answer.
func (s *Service) Test(ctx context.Context, actor domain.Actor, livemode bool) (TestResult, error) {
	a, err := s.Get(ctx, actor, livemode)
	if err != nil {
		return TestResult{}, err
	}
	p, err := s.providerOf(a)
	if err != nil {
		return TestResult{}, err
	}
	res := TestResult{OK: true, TestedAt: s.now()}
	d, _ := psp.Lookup(a.Provider)
	if t, ok := p.(psp.ConnectionTester); ok {
		tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), testTimeout)
		defer cancel()
		if err := t.TestConnection(tctx); err != nil {
			res.OK, res.Code, res.Message = false, string(psp.ConnectionFailureOf(err)), upperFirst(err.Error())+"."
		}
	}
	if res.OK {
		res.Message = fmt.Sprintf("The credentials work: %s accepted them.", d.Title)
	}
	if err := s.Store.RecordTest(ctx, a.ID, res); err != nil {
		return TestResult{}, err
	}
	return res, nil
}

// seal seals secrets into the account, bound to its id.
func (s *Service) seal(a *Account, secrets map[string]string) error {
	plain, err := json.Marshal(secrets)
	if err != nil {
		return apperr.Internal(err)
	}
	if a.Secrets, a.KeyID, err = s.Keys.Seal(plain, []byte(a.ID)); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// open opens an account's secrets.
func (s *Service) open(a Account) (map[string]string, error) {
	plain, err := s.Keys.Open(a.Secrets, a.KeyID, []byte(a.ID))
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("provider account %s: %w", a.ID, err))
	}
	out := map[string]string{}
	if err := json.Unmarshal(plain, &out); err != nil {
		return nil, apperr.Internal(fmt.Errorf("provider account %s: secrets: %w", a.ID, err))
	}
	return out, nil
}

// withBuiltin fills in the values the deployment supplies for the account's provider (and, for a
// test account, the operator's test values).
func (s *Service) withBuiltin(a psp.Account) psp.Account {
	b, ok := s.Builtin[a.Provider]
	tv := s.TestValues[a.Provider]
	if a.Livemode {
		tv = nil
	}
	if !ok && len(tv) == 0 {
		return a
	}
	out := a
	out.Settings, out.Secrets = map[string]string{}, map[string]string{}
	for k, v := range b.Settings {
		out.Settings[k] = v
	}
	for k, v := range b.Secrets {
		out.Secrets[k] = v
	}
	for k, v := range tv {
		out.Settings[k] = v
	}
	for k, v := range a.Settings {
		out.Settings[k] = v
	}
	for k, v := range a.Secrets {
		out.Secrets[k] = v
	}
	return out
}

// last4 is what the masked view shows of a secret: its last four characters.
func last4(v string) string {
	r := []rune(v)
	if len(r) <= 8 {
		return ""
	}
	return string(r[len(r)-4:])
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func names() string {
	var n []string
	for _, d := range psp.Definitions() {
		n = append(n, d.Name)
	}
	return strings.Join(n, ", ")
}
