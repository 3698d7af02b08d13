package provideraccounts_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/provideraccounts"
	"securelink/internal/psp"
	"securelink/internal/psp/stripe"
	"securelink/internal/secretbox"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

type anyone struct{}

func (anyone) RequireOwner(context.Context, domain.Actor) error { return nil }

type noAudit struct{}

func (noAudit) Record(context.Context, domain.Actor, string, string, map[string]any) error {
	return nil
}

var registerOnce sync.Once

func service(t *testing.T, db *store.DB, current []byte, previous ...[]byte) *provideraccounts.Service {
	t.Helper()
	registerOnce.Do(func() {
		if _, ok := psp.Lookup(stripe.Name); !ok {
			psp.Register(stripe.Definition)
		}
	})
	keys, err := secretbox.New(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return &provideraccounts.Service{Store: &store.ProviderAccounts{DB: db}, Audit: noAudit{}, Owners: anyone{}, Keys: keys, Explicit: true,
		BaseURL: "https://pay.example.com"}
}

// TestRotateTheEncryptionKey: accounts sealed with the old key open with the new keyring while
// the old key is still listed, ResealAll moves them to the new key, and then the new key alone opens
// them; a keyring without the sealing key cannot build the provider.
func TestRotateTheEncryptionKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		oldKey, newKey := bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{9}, 32)
		before := service(t, db, oldKey)
		ids := map[string]bool{}
		for i, merchant := range []string{"mer_a", "mer_b"} {
			actor := domain.Actor{Type: domain.ActorSystem, MerchantID: merchant}
			a, err := before.Put(ctx, actor, true, provideraccounts.PutInput{Provider: stripe.Name, Values: map[string]string{
				stripe.FieldSecretKey: "sk_live_rotate" + string(rune('a'+i)), stripe.FieldPublishableKey: "pk_live_x"}})
			if err != nil {
				t.Fatal(err)
			}
			ids[a.ID] = true
		}
		if _, err := service(t, db, newKey).ForAccount(ctx, firstKey(ids)); err == nil {
			t.Fatal("a keyring without the sealing key built the provider")
		}
		during := service(t, db, newKey, oldKey)
		r, err := during.ResealAll(ctx)
		if err != nil || r.Resealed != 2 || r.Current != 0 {
			t.Fatalf("ResealAll = %+v, %v", r, err)
		}
		if r, err := during.ResealAll(ctx); err != nil || r.Resealed != 0 || r.Current != 2 {
			t.Fatalf("ResealAll again = %+v, %v", r, err)
		}
		after := service(t, db, newKey)
		for id := range ids {
			if _, err := after.ForAccount(ctx, id); err != nil {
				t.Errorf("account %s with the new key only: %v", id, err)
			}
		}
	})
}

func firstKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}

// TestReplacingKeepsTheOldAccount: connecting again ends the active account (replaced), keeps it
// for its payments, and a merchant has one active account per mode.
func TestReplacingKeepsTheOldAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := service(t, db, bytes.Repeat([]byte{3}, 32))
		actor := domain.Actor{Type: domain.ActorSystem, MerchantID: "mer_r"}
		put := func(key string) provideraccounts.Account {
			a, err := s.Put(ctx, actor, false, provideraccounts.PutInput{Provider: stripe.Name,
				Values: map[string]string{stripe.FieldSecretKey: key, stripe.FieldPublishableKey: "pk_test_x"}})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		first, second := put("sk_test_first1234"), put("sk_test_second5678")
		st := &store.ProviderAccounts{DB: db}
		old, err := st.Get(ctx, first.ID)
		if err != nil || old.Status != provideraccounts.StatusReplaced || old.EndedAt == nil {
			t.Fatalf("first account after the second: %+v, %v", old, err)
		}
		active, err := st.Active(ctx, "mer_r", false)
		if err != nil || active.ID != second.ID || active.SecretLast4["secret_key"] != "5678" {
			t.Fatalf("active = %+v, %v", active, err)
		}
		if _, err := s.ForAccount(ctx, first.ID); err != nil {
			t.Fatalf("the replaced account no longer builds: %v", err)
		}
		if _, id, err := s.ForNewPayment(ctx, "mer_r", false); err != nil || id != second.ID {
			t.Fatalf("new payments go to %s (%v), want %s", id, err, second.ID)
		}
		if _, _, err := s.ForNewPayment(ctx, "mer_r", true); !errors.As(err, new(*apperr.Error)) {
			t.Fatalf("live without a live account: %v", err)
		}
	})
}
