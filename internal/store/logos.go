package store

import (
	"context"
	"fmt"
	"time"

	"securelink/internal/merchants"
)

var _ merchants.LogoStore = (*Merchants)(nil)

type logoRow struct {
	MerchantID  string `gorm:"primaryKey"`
	File        string
	ContentType string
	Data        []byte
	CreatedAt   time.Time
}

func (logoRow) TableName() string { return "merchant_logos" }

// SetLogo replaces the merchant's logo and names it in merchants.logo_file, in one transaction.
func (s *Merchants) SetLogo(ctx context.Context, l merchants.Logo) error {
	// The logo shows on the checkout.
	defer s.DB.checkouts.forgetAll()
	return s.DB.InTx(ctx, func(ctx context.Context) error {
		db := s.DB.conn(ctx)
		if err := db.Where("merchant_id = ?", l.MerchantID).Delete(&logoRow{}).Error; err != nil {
			return fmt.Errorf("store: replace logo: %w", err)
		}
		r := logoRow{MerchantID: l.MerchantID, File: l.File, ContentType: l.ContentType, Data: l.Data, CreatedAt: l.CreatedAt.UTC()}
		if err := db.Create(&r).Error; err != nil {
			return fmt.Errorf("store: save logo: %w", err)
		}
		if err := db.Model(&merchantRow{}).Where("id = ?", l.MerchantID).Update("logo_file", l.File).Error; err != nil {
			return fmt.Errorf("store: name logo: %w", err)
		}
		return nil
	})
}

// DeleteLogo removes the merchant's logo; a merchant without one is left as it is.
func (s *Merchants) DeleteLogo(ctx context.Context, merchantID string) error {
	defer s.DB.checkouts.forgetAll()
	return s.DB.InTx(ctx, func(ctx context.Context) error {
		db := s.DB.conn(ctx)
		if err := db.Where("merchant_id = ?", merchantID).Delete(&logoRow{}).Error; err != nil {
			return fmt.Errorf("store: delete logo: %w", err)
		}
		if err := db.Model(&merchantRow{}).Where("id = ?", merchantID).Update("logo_file", "").Error; err != nil {
			return fmt.Errorf("store: unname logo: %w", err)
		}
		return nil
	})
}

// LogoByFile returns the logo served under file.
func (s *Merchants) LogoByFile(ctx context.Context, file string) (merchants.Logo, error) {
	var r logoRow
	if err := s.DB.conn(ctx).Where("file = ?", file).Take(&r).Error; err != nil {
		return merchants.Logo{}, notFound(err, "logo")
	}
	return merchants.Logo{MerchantID: r.MerchantID, File: r.File, ContentType: r.ContentType, Data: r.Data, CreatedAt: r.CreatedAt}, nil
}
