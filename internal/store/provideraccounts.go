package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"securelink/internal/provideraccounts"
)

// ProviderAccounts stores merchants' provider accounts.
type ProviderAccounts struct{ DB *DB }

var _ provideraccounts.Store = (*ProviderAccounts)(nil)

type providerAccountRow struct {
	ID              string `gorm:"primaryKey"`
	MerchantID      string
	Livemode        bool
	Provider        string
	Settings        string
	Secrets         string
	KeyID           string
	SecretLast4     string `gorm:"column:secret_last4"`
	Status          string
	LastTestAt      *time.Time
	LastTestOK      bool `gorm:"column:last_test_ok"`
	LastTestCode    string
	LastTestMessage string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	EndedAt         *time.Time
}

func (providerAccountRow) TableName() string { return "provider_accounts" }

func toDBProviderAccount(a provideraccounts.Account) (providerAccountRow, error) {
	settings, err := json.Marshal(orEmpty(a.Settings))
	if err != nil {
		return providerAccountRow{}, err
	}
	last4, err := json.Marshal(orEmpty(a.SecretLast4))
	if err != nil {
		return providerAccountRow{}, err
	}
	return providerAccountRow{ID: a.ID, MerchantID: a.MerchantID, Livemode: a.Livemode, Provider: a.Provider, Settings: string(settings),
		Secrets: a.Secrets, KeyID: a.KeyID, SecretLast4: string(last4), Status: string(a.Status), LastTestAt: a.LastTestAt,
		LastTestOK: a.LastTestOK, LastTestCode: a.LastTestCode, LastTestMessage: a.LastTestMessage, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, EndedAt: a.EndedAt}, nil
}

func toBusProviderAccount(r providerAccountRow) (provideraccounts.Account, error) {
	a := provideraccounts.Account{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, Provider: r.Provider, Secrets: r.Secrets,
		KeyID: r.KeyID, Status: provideraccounts.Status(r.Status), LastTestAt: utcPtr(r.LastTestAt), LastTestOK: r.LastTestOK,
		LastTestCode: r.LastTestCode, LastTestMessage: r.LastTestMessage, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), EndedAt: utcPtr(r.EndedAt)}
	if err := json.Unmarshal([]byte(r.Settings), &a.Settings); err != nil {
		return a, fmt.Errorf("store: provider account %s settings: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.SecretLast4), &a.SecretLast4); err != nil {
		return a, fmt.Errorf("store: provider account %s: %w", r.ID, err)
	}
	return a, nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// Active implements provideraccounts.Store.
func (s *ProviderAccounts) Active(ctx context.Context, merchantID string, livemode bool) (provideraccounts.Account, error) {
	// A read inside a transaction the caller opened (InTx) is the transaction's own; a payment's
	// (pipeFrom) may use the cache, and otherwise reads on its transaction's connection.
	_, inTx := ctx.Value(txKey{}).(*gorm.DB)
	key := accountKey{merchantID: merchantID, livemode: livemode}
	if e, ok := s.DB.accounts.get(key); ok && !inTx {
		if !e.found {
			return provideraccounts.Account{}, notFound(gorm.ErrRecordNotFound, "active provider account")
		}
		return toBusProviderAccount(e.row)
	}
	readAt := s.DB.accounts.now()
	var rows []providerAccountRow
	var err error
	if p := pipeFrom(ctx); p != nil {
		err = p.QuerySQL(activeAccountSQL, []any{merchantID, livemode}, &rows)
	} else {
		err = s.DB.conn(ctx).Raw(activeAccountSQL.q, merchantID, livemode).Scan(&rows).Error
	}
	if err != nil {
		return provideraccounts.Account{}, fmt.Errorf("store: active provider account: %w", err)
	}
	e := accountEntry{at: readAt, found: len(rows) > 0}
	if e.found {
		e.row = rows[0]
	}
	if !inTx {
		s.DB.accounts.put(key, e)
	}
	if !e.found {
		return provideraccounts.Account{}, notFound(gorm.ErrRecordNotFound, "active provider account")
	}
	return toBusProviderAccount(e.row)
}

// activeAccountSQL finds a merchant's active account in a mode. The status is spelled out, not
// bound: a bound value that decides whether the partial index provider_accounts_active applies
// makes SQLite plan the statement again on every execution.
var activeAccountSQL = sqlOf(`SELECT * FROM provider_accounts WHERE merchant_id = ? AND livemode = ? AND status = '` +
	string(provideraccounts.StatusActive) + `' LIMIT 1`)

// Get implements provideraccounts.Store.
func (s *ProviderAccounts) Get(ctx context.Context, id string) (provideraccounts.Account, error) {
	var r providerAccountRow
	if err := s.DB.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return provideraccounts.Account{}, notFound(err, "provider account")
	}
	return toBusProviderAccount(r)
}

// Connect implements provideraccounts.Store.
func (s *ProviderAccounts) Connect(ctx context.Context, a provideraccounts.Account, at time.Time) error {
	r, err := toDBProviderAccount(a)
	if err != nil {
		return fmt.Errorf("store: connect provider account: %w", err)
	}
	defer s.DB.accounts.forgetAll()
	return s.DB.InTx(ctx, func(ctx context.Context) error {
		db := s.DB.conn(ctx)
		if err := db.Model(&providerAccountRow{}).Where("merchant_id = ? AND livemode = ? AND status = ?", a.MerchantID, a.Livemode, provideraccounts.StatusActive).
			Updates(map[string]any{"status": string(provideraccounts.StatusReplaced), "ended_at": at, "updated_at": at}).Error; err != nil {
			return fmt.Errorf("store: end provider account: %w", err)
		}
		if err := db.Create(&r).Error; err != nil {
			return fmt.Errorf("store: connect provider account: %w", err)
		}
		return nil
	})
}

// Disconnect implements provideraccounts.Store.
func (s *ProviderAccounts) Disconnect(ctx context.Context, merchantID string, livemode bool, at time.Time) (provideraccounts.Account, error) {
	defer s.DB.accounts.forgetAll()
	var out provideraccounts.Account
	err := s.DB.InTx(ctx, func(ctx context.Context) error {
		a, err := s.Active(ctx, merchantID, livemode)
		if err != nil {
			return err
		}
		res := s.DB.conn(ctx).Model(&providerAccountRow{}).Where("id = ? AND status = ?", a.ID, provideraccounts.StatusActive).
			Updates(map[string]any{"status": string(provideraccounts.StatusDisconnected), "ended_at": at, "updated_at": at})
		if res.Error != nil {
			return fmt.Errorf("store: disconnect provider account: %w", res.Error)
		}
		out = a
		return nil
	})
	return out, err
}

// RecordTest implements provideraccounts.Store.
func (s *ProviderAccounts) RecordTest(ctx context.Context, id string, r provideraccounts.TestResult) error {
	defer s.DB.accounts.forgetAll()
	err := s.DB.conn(ctx).Model(&providerAccountRow{}).Where("id = ?", id).
		Updates(map[string]any{"last_test_at": r.TestedAt, "last_test_ok": r.OK, "last_test_code": r.Code, "last_test_message": r.Message,
			"updated_at": r.TestedAt}).Error
	if err != nil {
		return fmt.Errorf("store: record provider account test: %w", err)
	}
	return nil
}

// Sealed implements provideraccounts.Store.
func (s *ProviderAccounts) Sealed(ctx context.Context) ([]provideraccounts.Account, error) {
	var rows []providerAccountRow
	if err := s.DB.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list provider accounts: %w", err)
	}
	out := make([]provideraccounts.Account, 0, len(rows))
	for _, r := range rows {
		a, err := toBusProviderAccount(r)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Reseal implements provideraccounts.Store.
func (s *ProviderAccounts) Reseal(ctx context.Context, id, fromKeyID, secrets, keyID string) (bool, error) {
	defer s.DB.accounts.forgetAll()
	res := s.DB.conn(ctx).Model(&providerAccountRow{}).Where("id = ? AND key_id = ?", id, fromKeyID).
		Updates(map[string]any{"secrets": secrets, "key_id": keyID})
	if res.Error != nil {
		return false, fmt.Errorf("store: reseal provider account: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}
