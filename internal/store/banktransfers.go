package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
)

// RecordTransfer stores a recorded bank transfer with the invoice's new amount paid, in one
// transaction guarded by the invoice's status and amount paid as the caller read them.
func (s *Payments) RecordTransfer(ctx context.Context, t payments.TransferSettlement) error {
	defer s.DB.checkouts.forget(t.Payment.InvoiceID)
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		upd := map[string]any{"amount_paid": t.AmountPaid, "status": string(t.InvoiceTo), "updated_at": t.At}
		if t.InvoiceTo == domain.InvoicePaid || t.InvoiceTo == domain.InvoicePartiallyPaid {
			upd["paid_at"] = t.At
		}
		res := tx.Model(&invoiceRow{}).Where("merchant_id = ? AND id = ? AND status = ? AND amount_paid = ?",
			t.Payment.MerchantID, t.Payment.InvoiceID, string(t.InvoiceFrom), t.AmountPaidBefore).Updates(upd)
		if res.Error != nil {
			return fmt.Errorf("store: record transfer invoice: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: record transfer: invoice %s changed: %w", t.Payment.InvoiceID, apperr.ErrConflict)
		}
		pr := toDBPayment(t.Payment)
		if err := tx.Create(&pr).Error; err != nil {
			if IsUniqueViolation(err) && t.Payment.StatementLine != "" {
				return fmt.Errorf("store: record transfer: %w", payments.ErrStatementLineRecorded)
			}
			return fmt.Errorf("store: insert transfer payment: %w", err)
		}
		tr := toDBTransaction(t.Txn)
		if err := tx.Create(&tr).Error; err != nil {
			return fmt.Errorf("store: insert transfer transaction: %w", err)
		}
		if t.LinkTo != "" {
			if err := closeActiveLinks(tx, t.Payment.InvoiceID, t.LinkTo, t.At); err != nil {
				return err
			}
		}
		return InsertEventsTx(tx, t.Events)
	})
}

// RecordedStatementLines returns which statement-line fingerprints the merchant recorded, with
// the payment each became.
func (s *Payments) RecordedStatementLines(ctx context.Context, merchantID string, lines []string) (map[string]string, error) {
	var rows []struct{ ID, StatementLine string }
	if err := s.DB.Gorm.WithContext(ctx).Model(&paymentRow{}).Select("id, statement_line").
		Where("merchant_id = ? AND statement_line IN ?", merchantID, lines).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: recorded statement lines: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.StatementLine] = r.ID
	}
	return out, nil
}

// InvoiceByNumber returns a merchant's invoice by its number, with lines and newest link.
func (s *Invoices) InvoiceByNumber(ctx context.Context, merchantID, number string) (domain.Invoice, error) {
	var id string
	if err := s.DB.Gorm.WithContext(ctx).Model(&invoiceRow{}).Select("id").
		Where("merchant_id = ? AND number = ?", merchantID, number).Limit(1).Scan(&id).Error; err != nil {
		return domain.Invoice{}, fmt.Errorf("store: invoice by number: %w", err)
	}
	if id == "" {
		return domain.Invoice{}, fmt.Errorf("store: invoice by number: %w", apperr.ErrNotFound)
	}
	return s.GetInvoice(ctx, merchantID, id)
}

// StatementColumns returns the merchant's remembered statement column mapping (JSON, or empty).
func (s *Merchants) StatementColumns(ctx context.Context, merchantID string) (string, error) {
	var r merchantRow
	if err := s.DB.Gorm.WithContext(ctx).Select("statement_columns").Where("id = ?", merchantID).Take(&r).Error; err != nil {
		return "", notFound(err, "statement columns")
	}
	return r.StatementColumns, nil
}

// SaveStatementColumns remembers the merchant's statement column mapping.
func (s *Merchants) SaveStatementColumns(ctx context.Context, merchantID, columns string) error {
	if err := s.DB.Gorm.WithContext(ctx).Model(&merchantRow{}).Where("id = ?", merchantID).
		Update("statement_columns", columns).Error; err != nil {
		return fmt.Errorf("store: save statement columns: %w", err)
	}
	return nil
}
