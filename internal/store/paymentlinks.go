package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/paymentlinks"
)

var _ paymentlinks.Store = (*PaymentLinks)(nil)

// PaymentLinks stores reusable payment links; their orders are invoices (Invoices).
type PaymentLinks struct {
	DB *DB
	// Invoices answers the merchant reads the use case shares with invoices.
	invoices Invoices
}

// NewPaymentLinks is the store of reusable links on db.
func NewPaymentLinks(db *DB) *PaymentLinks { return &PaymentLinks{DB: db, invoices: Invoices{DB: db}} }

type paymentLinkRow struct {
	ID              string
	MerchantID      string
	Livemode        bool
	Token           string
	Title           string
	Description     string
	Currency        string
	Pricing         string
	Lines           string
	QuantityMin     int64
	QuantityMax     int64
	AmountMin       int64
	AmountMax       int64
	AmountSuggested int64
	MaxPayments     int64
	ExpiresAt       *time.Time
	CollectName     bool
	CollectPhone    bool
	CollectAddress  bool
	CustomFields    string
	Locale          string
	CaptureMode     string
	SuccessURL      string `gorm:"column:success_url"`
	CancelURL       string `gorm:"column:cancel_url"`
	Status          string
	CreatedBy       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	EndedAt         *time.Time
}

func (paymentLinkRow) TableName() string { return "payment_links" }

// linkLine is one fixed-price line as payment_links.lines keeps it.
type linkLine struct {
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	UnitAmount  int64  `json:"unit_amount"`
	VATRateBP   int64  `json:"vat_rate_bp"`
}

func toDBPaymentLink(l domain.PaymentLink) (paymentLinkRow, error) {
	lines := make([]linkLine, len(l.Lines))
	for i, x := range l.Lines {
		lines[i] = linkLine{Description: x.Description, Quantity: x.Quantity, UnitAmount: x.UnitAmount, VATRateBP: x.VATRateBP}
	}
	lj, err := json.Marshal(lines)
	if err != nil {
		return paymentLinkRow{}, fmt.Errorf("store: payment link lines: %w", err)
	}
	fields := l.CustomFields
	if fields == nil {
		fields = []domain.CustomField{}
	}
	fj, err := json.Marshal(fields)
	if err != nil {
		return paymentLinkRow{}, fmt.Errorf("store: payment link fields: %w", err)
	}
	return paymentLinkRow{ID: l.ID, MerchantID: l.MerchantID, Livemode: l.Livemode, Token: l.Token, Title: l.Title,
		Description: l.Description, Currency: l.Currency, Pricing: string(l.Pricing), Lines: string(lj),
		QuantityMin: l.QuantityMin, QuantityMax: l.QuantityMax, AmountMin: l.AmountMin, AmountMax: l.AmountMax,
		AmountSuggested: l.AmountSuggested, MaxPayments: l.MaxPayments, ExpiresAt: l.ExpiresAt,
		CollectName: l.Collect.Name, CollectPhone: l.Collect.Phone, CollectAddress: l.Collect.Address,
		CustomFields: string(fj), Locale: l.Locale, CaptureMode: string(l.CaptureMode), SuccessURL: l.SuccessURL,
		CancelURL: l.CancelURL, Status: string(l.Status), CreatedBy: l.CreatedBy, CreatedAt: l.CreatedAt,
		UpdatedAt: l.UpdatedAt, EndedAt: l.EndedAt}, nil
}

func toBusPaymentLink(r paymentLinkRow) (domain.PaymentLink, error) {
	l := domain.PaymentLink{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, Token: r.Token, Title: r.Title,
		Description: r.Description, Currency: r.Currency, Pricing: domain.Pricing(r.Pricing),
		QuantityMin: r.QuantityMin, QuantityMax: r.QuantityMax, AmountMin: r.AmountMin, AmountMax: r.AmountMax,
		AmountSuggested: r.AmountSuggested, MaxPayments: r.MaxPayments, ExpiresAt: utcPtr(r.ExpiresAt),
		Collect: domain.Collect{Name: r.CollectName, Phone: r.CollectPhone, Address: r.CollectAddress},
		Locale:  r.Locale, CaptureMode: domain.CaptureMode(r.CaptureMode), SuccessURL: r.SuccessURL, CancelURL: r.CancelURL,
		Status: domain.PaymentLinkStatus(r.Status), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), EndedAt: utcPtr(r.EndedAt)}
	var lines []linkLine
	if err := json.Unmarshal([]byte(r.Lines), &lines); err != nil {
		return l, fmt.Errorf("store: payment link %s lines: %w", r.ID, err)
	}
	for _, x := range lines {
		l.Lines = append(l.Lines, domain.InvoiceLine{Description: x.Description, Quantity: x.Quantity, UnitAmount: x.UnitAmount, VATRateBP: x.VATRateBP})
	}
	if err := json.Unmarshal([]byte(r.CustomFields), &l.CustomFields); err != nil {
		return l, fmt.Errorf("store: payment link %s fields: %w", r.ID, err)
	}
	return l, nil
}

// CreatePaymentLink inserts a link.
func (s *PaymentLinks) CreatePaymentLink(ctx context.Context, l domain.PaymentLink) error {
	r, err := toDBPaymentLink(l)
	if err != nil {
		return err
	}
	if err := s.DB.conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("store: insert payment link: %w", err)
	}
	return nil
}

// linkStats are the order counts of links, by link id.
func (s *PaymentLinks) linkStats(ctx context.Context, ids []string) (map[string]domain.PaymentLinkStats, error) {
	out := make(map[string]domain.PaymentLinkStats, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		PaymentLinkID string
		Taken         int64
		Paid          int64
		Collected     int64
	}
	// Through invoices_payment_link; the orders share their link's mode.
	err := s.DB.conn(ctx).Raw(`SELECT payment_link_id,
		coalesce(sum(CASE WHEN status IN (`+slotHoldingSQL+`) THEN 1 ELSE 0 END), 0) AS taken,
		coalesce(sum(CASE WHEN amount_paid > 0 THEN 1 ELSE 0 END), 0) AS paid,
		coalesce(sum(amount_paid), 0) AS collected
		FROM invoices WHERE payment_link_id IN ? GROUP BY payment_link_id`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: count payment link orders: %w", err)
	}
	for _, r := range rows {
		out[r.PaymentLinkID] = domain.PaymentLinkStats{Taken: r.Taken, Paid: r.Paid, Collected: r.Collected}
	}
	return out, nil
}

func (s *PaymentLinks) withStats(ctx context.Context, rows []paymentLinkRow) ([]domain.PaymentLink, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	stats, err := s.linkStats(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]domain.PaymentLink, len(rows))
	for i, r := range rows {
		if out[i], err = toBusPaymentLink(r); err != nil {
			return nil, err
		}
		out[i].Stats = stats[r.ID]
	}
	return out, nil
}

// GetPaymentLink returns one of the merchant's links with its order counts.
func (s *PaymentLinks) GetPaymentLink(ctx context.Context, merchantID, id string) (domain.PaymentLink, error) {
	var r paymentLinkRow
	if err := s.DB.conn(ctx).Where("merchant_id = ? AND id = ?", merchantID, id).Take(&r).Error; err != nil {
		return domain.PaymentLink{}, notFound(err, "get payment link")
	}
	ls, err := s.withStats(ctx, []paymentLinkRow{r})
	if err != nil {
		return domain.PaymentLink{}, err
	}
	return ls[0], nil
}

// GetPaymentLinkByToken finds a link by its token, with its order counts.
func (s *PaymentLinks) GetPaymentLinkByToken(ctx context.Context, token string) (domain.PaymentLink, error) {
	var r paymentLinkRow
	if err := s.DB.conn(ctx).Where("token = ?", token).Take(&r).Error; err != nil {
		return domain.PaymentLink{}, notFound(err, "get payment link")
	}
	ls, err := s.withStats(ctx, []paymentLinkRow{r})
	if err != nil {
		return domain.PaymentLink{}, err
	}
	return ls[0], nil
}

// ListPaymentLinks returns a page of the merchant's links, newest first.
func (s *PaymentLinks) ListPaymentLinks(ctx context.Context, merchantID string, f paymentlinks.Filter) ([]domain.PaymentLink, bool, error) {
	q := s.DB.conn(ctx).Where("merchant_id = ?", merchantID)
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	var rows []paymentLinkRow
	if err := keysetPage(q, f.Page).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("store: list payment links: %w", err)
	}
	rows, more := trimPage(rows, f.Page)
	out, err := s.withStats(ctx, rows)
	return out, more, err
}

// UpdatePaymentLink writes a merchant's change while the link is still as it was read.
func (s *PaymentLinks) UpdatePaymentLink(ctx context.Context, l domain.PaymentLink, from domain.PaymentLinkStatus, readAt time.Time) error {
	tx := s.DB.conn(ctx)
	res := tx.Model(&paymentLinkRow{}).Where("merchant_id = ? AND id = ? AND status = ? AND updated_at = ?", l.MerchantID, l.ID, string(from), readAt).
		Updates(map[string]any{"title": l.Title, "description": l.Description, "max_payments": l.MaxPayments,
			"expires_at": l.ExpiresAt, "status": string(l.Status), "ended_at": l.EndedAt, "updated_at": l.UpdatedAt})
	if res.Error != nil {
		return fmt.Errorf("store: update payment link: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return existsOr(tx, "payment_links", l.MerchantID, l.ID, "update payment link")
	}
	return nil
}

// MerchantDefaults implements paymentlinks.Store.
func (s *PaymentLinks) MerchantDefaults(ctx context.Context, merchantID string) (invoices.Defaults, error) {
	return s.invoices.MerchantDefaults(ctx, merchantID)
}

// CheckoutMerchant implements paymentlinks.Store.
func (s *PaymentLinks) CheckoutMerchant(ctx context.Context, merchantID string) (invoices.CheckoutMerchant, error) {
	return s.invoices.CheckoutMerchant(ctx, merchantID)
}

// holdLinkSlot is the maximum-of-payments guard of a payment attempt on an order of a reusable
// link, run in the transaction that claimed the order (now processing): it locks the link's row, so
// attempts on its orders take turns here, and then counts the link's orders that hold a slot, this
// one included. When they exceed the maximum the attempt is refused (link_sold_out) and its
// transaction, claim included, rolls back: the PSP never hears of it. A link without a maximum
// takes no lock. A slot is released by the order leaving the statuses that hold one (a declined or
// failed attempt reopens it).
var (
	holdLinkSQL   = sqlOf(`UPDATE payment_links SET max_payments = max_payments WHERE id = ? AND max_payments > 0 RETURNING max_payments`)
	slotsTakenSQL = sqlOf(`SELECT count(*) FROM invoices WHERE payment_link_id = ? AND status IN (` + slotHoldingSQL + `)`)
)

func holdLinkSlot(tx *pipeTx, linkID string) error {
	var limit []int64
	// The no-op update takes the row lock on PostgreSQL (held to commit); on SQLite the write
	// transaction already excludes every other writer. Each statement after it sees every attempt
	// that committed before it got the lock.
	if err := tx.QuerySQL(holdLinkSQL, []any{linkID}, &limit); err != nil {
		return fmt.Errorf("store: lock payment link: %w", err)
	}
	if len(limit) == 0 {
		return nil
	}
	var taken int64
	if err := tx.QuerySQL(slotsTakenSQL, []any{linkID}, &taken); err != nil {
		return fmt.Errorf("store: count payment link slots: %w", err)
	}
	if taken > limit[0] {
		return paymentlinks.SoldOut()
	}
	return nil
}
