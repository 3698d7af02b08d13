package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/notify"
	"securelink/internal/notify/mail"
)

var _ notify.Store = (*Notify)(nil)

// Notify stores the e-mail outbox, webhook endpoints, deliveries and attempts, and dispatches events.
type Notify struct{ DB *DB }

type emailRow struct {
	ID         string
	MerchantID string
	Livemode   bool
	InvoiceID  string
	EventID    string
	Kind       string
	ToAddr     string
	Subject    string
	TextBody   string
	HTMLBody   string `gorm:"column:html_body"`
	// Message is the e-mail's mail.Message in JSON when its bodies are rendered on reading; empty
	// when they are stored.
	Message       string
	Locale        string
	Status        string
	Attempts      int
	LastError     string
	NextAttemptAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SentAt        *time.Time
	// AttachInvoicePDF asks the mailer to attach the invoice PDF.
	AttachInvoicePDF bool `gorm:"column:attach_invoice_pdf"`
}

func (emailRow) TableName() string { return "emails" }

type endpointRow struct {
	ID                      string
	MerchantID              string
	Livemode                bool
	URL                     string `gorm:"column:url"`
	Description             string
	Events                  string
	Secret                  string
	PreviousSecret          string
	PreviousSecretExpiresAt *time.Time
	Status                  string
	DisabledReason          string
	CreatedAt               time.Time
	UpdatedAt               time.Time
	DeletedAt               *time.Time
}

func (endpointRow) TableName() string { return "webhook_endpoints" }

type deliveryRow struct {
	ID             string
	MerchantID     string
	Livemode       bool
	EventID        string
	EndpointID     string
	Status         string
	Attempts       int
	NextAttemptAt  *time.Time
	LastStatusCode int
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	DeliveredAt    *time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

type attemptRow struct {
	ID              string
	DeliveryID      string
	MerchantID      string
	Livemode        bool
	EventID         string
	EndpointID      string
	Attempt         int
	URL             string `gorm:"column:url"`
	StatusCode      int
	LatencyMS       int64 `gorm:"column:latency_ms"`
	ResponseExcerpt string
	Error           string
	CreatedAt       time.Time
}

func (attemptRow) TableName() string { return "webhook_attempts" }

func toDBEmail(e notify.Email) (emailRow, error) {
	var msg []byte
	if e.Message != nil {
		var err error
		if msg, err = json.Marshal(e.Message); err != nil {
			return emailRow{}, fmt.Errorf("store: e-mail %s: %w", e.ID, err)
		}
	}
	return emailRow{ID: e.ID, MerchantID: e.MerchantID, Livemode: e.Livemode, InvoiceID: e.InvoiceID, EventID: e.EventID, Kind: string(e.Kind),
		ToAddr: e.To, Subject: e.Subject, TextBody: e.Text, HTMLBody: e.HTML, Message: string(msg), Locale: e.Locale, Status: string(e.Status),
		Attempts: e.Attempts, LastError: e.LastError, NextAttemptAt: e.NextAttemptAt, CreatedAt: e.CreatedAt,
		UpdatedAt: e.CreatedAt, SentAt: e.SentAt, AttachInvoicePDF: e.AttachInvoicePDF}, nil
}

func toBusEmail(r emailRow) (notify.Email, error) {
	e := notify.Email{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, InvoiceID: r.InvoiceID, EventID: r.EventID,
		Kind: notify.EmailKind(r.Kind), To: r.ToAddr, Subject: r.Subject, Text: r.TextBody, HTML: r.HTMLBody,
		Locale: r.Locale, Status: notify.EmailStatus(r.Status), Attempts: r.Attempts, LastError: r.LastError,
		NextAttemptAt: utcPtr(r.NextAttemptAt), CreatedAt: r.CreatedAt.UTC(), SentAt: utcPtr(r.SentAt),
		AttachInvoicePDF: r.AttachInvoicePDF}
	if r.Message != "" {
		e.Message = new(mail.Message)
		if err := json.Unmarshal([]byte(r.Message), e.Message); err != nil {
			return notify.Email{}, fmt.Errorf("store: e-mail %s: %w", r.ID, err)
		}
	}
	return e, nil
}

// toBusEmails converts rows read together.
func toBusEmails(rows []emailRow) ([]notify.Email, error) {
	out := make([]notify.Email, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = toBusEmail(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func toDBEndpoint(e notify.Endpoint) endpointRow {
	events, _ := json.Marshal(e.Events)
	return endpointRow{ID: e.ID, MerchantID: e.MerchantID, Livemode: e.Livemode, URL: e.URL, Description: e.Description, Events: string(events),
		Secret: e.Secret, PreviousSecret: e.PreviousSecret, PreviousSecretExpiresAt: e.PreviousSecretExpiresAt,
		Status: string(e.Status), DisabledReason: e.DisabledReason, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

func toBusEndpoint(r endpointRow) notify.Endpoint {
	var events []string
	_ = json.Unmarshal([]byte(r.Events), &events)
	return notify.Endpoint{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, URL: r.URL, Description: r.Description, Events: events,
		Secret: r.Secret, PreviousSecret: r.PreviousSecret, PreviousSecretExpiresAt: utcPtr(r.PreviousSecretExpiresAt),
		Status: notify.EndpointStatus(r.Status), DisabledReason: r.DisabledReason, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC()}
}

func toBusDelivery(r deliveryRow) notify.Delivery {
	return notify.Delivery{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, EventID: r.EventID, EndpointID: r.EndpointID,
		Status: notify.DeliveryStatus(r.Status), Attempts: r.Attempts, NextAttemptAt: utcPtr(r.NextAttemptAt),
		LastStatusCode: r.LastStatusCode, LastError: r.LastError, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		DeliveredAt: utcPtr(r.DeliveredAt)}
}

func toBusAttempt(r attemptRow) notify.Attempt {
	return notify.Attempt{ID: r.ID, DeliveryID: r.DeliveryID, MerchantID: r.MerchantID, Livemode: r.Livemode, EventID: r.EventID,
		EndpointID: r.EndpointID, Number: r.Attempt, URL: r.URL, StatusCode: r.StatusCode, LatencyMS: r.LatencyMS,
		ResponseExcerpt: r.ResponseExcerpt, Error: r.Error, CreatedAt: r.CreatedAt.UTC()}
}

func toBusEvent(r eventRow) domain.Event {
	return domain.Event{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, Type: r.Type, ObjectID: r.ObjectID,
		Payload: json.RawMessage(r.Payload), Webhook: r.Webhook, CreatedAt: r.CreatedAt.UTC()}
}

// claimIDs selects up to limit ids of table matching where, ordered by order, locking them on
// PostgreSQL with SKIP LOCKED so concurrent workers take disjoint rows; on SQLite the immediate
// transaction already serialises claimers.
func (s *Notify) claimIDs(tx *gorm.DB, table, where, order string, limit int, args ...any) ([]string, error) {
	q := "SELECT id FROM " + table + " WHERE " + where + " ORDER BY " + order + " LIMIT ?"
	if s.DB.Dialect == DialectPostgres {
		q += " FOR UPDATE SKIP LOCKED"
	}
	var ids []string
	if err := tx.Raw(q, append(args, limit)...).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("store: claim %s: %w", table, err)
	}
	return ids, nil
}

// insertRowsPerStatement bounds the rows of one multi-row INSERT.
const insertRowsPerStatement = 500

// PendingEvents returns up to limit undispatched events, oldest first, without claiming them.
// The queue's ids are read first and their events by id after, so neither read depends on how the
// planner would join a queue it has no statistics for with the whole events table.
func (s *Notify) PendingEvents(ctx context.Context, limit int) ([]domain.Event, error) {
	var ids []string
	if err := s.DB.conn(ctx).Raw("SELECT event_id FROM event_queue ORDER BY event_id LIMIT ?", limit).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("store: pending events: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []eventRow
	if err := s.DB.conn(ctx).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: pending events: %w", err)
	}
	events := make([]domain.Event, len(rows))
	for i, row := range rows {
		events[i] = toBusEvent(row)
	}
	return events, nil
}

// SaveDispatch takes the events that are still queued out of the dispatcher's queue and inserts
// what those became, in short transactions. The delete claims them: of two replicas that planned
// the same events, the second finds them gone (on PostgreSQL it waits for the first's commit) and
// saves nothing for them. On PostgreSQL the whole batch is one transaction. On SQLite every payer
// waits for the one writer while a transaction holds it: a batch of 600 events held it 12-24 ms,
// several times a second, and every payer in flight was that much slower. There each transaction
// takes at most sqliteDispatchEventsPerWrite events; the first waits as background work, the rest
// with the requests in arrival order, so that the batch keeps up with the events payments make.
// An error leaves the events of its transaction and those after queued for the next run.
func (s *Notify) SaveDispatch(ctx context.Context, eventIDs []string, out []notify.Outbox, at time.Time) (int, error) {
	step := len(eventIDs)
	if s.DB.sqlite != nil {
		step = sqliteDispatchEventsPerWrite
	}
	claimed := 0
	writeCtx, later := ctx, inArrivalOrder(ctx)
	for start := 0; start < len(eventIDs); start += step {
		end := min(start+step, len(eventIDs))
		n, err := s.saveDispatch(writeCtx, eventIDs[start:end], out[start:end], at)
		claimed += n
		if err != nil {
			return claimed, err
		}
		writeCtx = later
	}
	return claimed, nil
}

// sqliteDispatchEventsPerWrite bounds the events one of SaveDispatch's transactions takes on
// SQLite: 32 hold the writer under a millisecond.
const sqliteDispatchEventsPerWrite = 32

// saveDispatch is one transaction of SaveDispatch.
func (s *Notify) saveDispatch(ctx context.Context, eventIDs []string, out []notify.Outbox, at time.Time) (int, error) {
	claimed := 0
	err := s.DB.pipelined(ctx, func(tx *pipeTx) error {
		var ids []string
		if err := tx.QuerySQL(markDispatchedSQL, []any{eventIDs}, &ids); err != nil {
			return fmt.Errorf("store: claim queued events: %w", err)
		}
		mine := make(map[string]bool, len(ids))
		for _, id := range ids {
			mine[id] = true
		}
		var emails []emailRow
		var deliveries []deliveryRow
		for i, o := range out {
			if !mine[eventIDs[i]] {
				continue
			}
			for _, e := range o.Emails {
				r, err := toDBEmail(e)
				if err != nil {
					return err
				}
				emails = append(emails, r)
			}
			for _, d := range o.Deliveries {
				deliveries = append(deliveries, deliveryRow{ID: d.ID, MerchantID: d.MerchantID, Livemode: d.Livemode, EventID: d.EventID,
					EndpointID: d.EndpointID, Status: string(d.Status), NextAttemptAt: d.NextAttemptAt,
					CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt})
			}
		}
		if err := insertRows(tx, emailInsert, emails, at); err != nil {
			return fmt.Errorf("store: insert e-mails: %w", err)
		}
		if err := insertRows(tx, deliveryInsert, deliveries, at); err != nil {
			return fmt.Errorf("store: insert deliveries: %w", err)
		}
		claimed = len(ids)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return claimed, nil
}

// markDispatchedSQL claims events for SaveDispatch. On PostgreSQL the ids are one array parameter:
// one statement text, planned once per connection, whatever the batch's size.
var markDispatchedSQL = sqlText{
	q:  "DELETE FROM event_queue WHERE event_id IN ? RETURNING event_id",
	pg: "DELETE FROM event_queue WHERE event_id = ANY($1) RETURNING event_id",
}

// The dispatcher's inserts (rawsql.go): GORM's CreateInBatches spent more of the server's CPU
// reflecting over a batch's rows than PostgreSQL spent inserting them.
var (
	emailInsert    = insertOf(emailRow{})
	deliveryInsert = insertOf(deliveryRow{})
)

// InvoicesWithLines returns the invoices with the given ids (of any merchant: the caller compares)
// with their lines, in two queries; ids it does not find are left out.
func (s *Notify) InvoicesWithLines(ctx context.Context, ids []string) ([]domain.Invoice, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	db := s.DB.conn(ctx)
	var rows []invoiceRow
	if err := db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: notify invoices: %w", err)
	}
	var lines []invoiceLineRow
	if err := db.Where("invoice_id IN ?", ids).Order("invoice_id, position").Find(&lines).Error; err != nil {
		return nil, fmt.Errorf("store: notify invoice lines: %w", err)
	}
	byInvoice := map[string][]domain.InvoiceLine{}
	for _, l := range lines {
		byInvoice[l.InvoiceID] = append(byInvoice[l.InvoiceID], domain.InvoiceLine{Description: l.Description,
			Quantity: l.Quantity, UnitAmount: l.UnitAmount, VATRateBP: l.VATRateBP})
	}
	out := make([]domain.Invoice, len(rows))
	for i, row := range rows {
		out[i] = toBusInvoice(row)
		out[i].Lines = byInvoice[row.ID]
	}
	return out, nil
}

// PaymentCards returns the card of the payment that took money (or holds it) for each of the
// invoices that has one, in one query.
func (s *Notify) PaymentCards(ctx context.Context, invoiceIDs []string) ([]notify.PaidCard, error) {
	if len(invoiceIDs) == 0 {
		return nil, nil
	}
	// Failed payments have no authorized_at. An invoice paid in parts has several; they come oldest
	// first, so the caller's map keeps the newest card. The merchant is compared by the caller, not
	// in SQL: with it in the WHERE clause PostgreSQL's generic plan also read the merchant's whole
	// payments index (a bitmap AND), a cost that grew with every payment the merchant took.
	var cards []paymentRow
	if err := s.DB.conn(ctx).Select("invoice_id", "merchant_id", "card_brand", "card_last4").
		Where("invoice_id IN ? AND authorized_at IS NOT NULL", invoiceIDs).Order("authorized_at, id").Find(&cards).Error; err != nil {
		return nil, fmt.Errorf("store: notify payment cards: %w", err)
	}
	out := make([]notify.PaidCard, len(cards))
	for i, c := range cards {
		out[i] = notify.PaidCard{InvoiceID: c.InvoiceID, MerchantID: c.MerchantID, Brand: c.CardBrand, Last4: c.CardLast4}
	}
	return out, nil
}

// NotifyMerchant returns what e-mails show of a merchant.
func (s *Notify) NotifyMerchant(ctx context.Context, id string) (notify.Merchant, error) {
	var m merchantRow
	if err := s.DB.conn(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		return notify.Merchant{}, notFound(err, "notify merchant")
	}
	return notify.Merchant{ID: m.ID, Name: m.Name, LegalName: m.LegalName, Address: m.Address, TaxID: m.TaxID,
		SupportEmail: m.SupportEmail, NotificationEmail: m.NotificationEmail, DefaultLocale: m.DefaultLocale,
		EmailAttachPDF: m.EmailAttachPDF, LogoFile: m.LogoFile, BrandColor: m.BrandColor}, nil
}

// LinkTokens returns the payment links of these invoices, oldest first, in one query. The merchant
// is compared by the caller, as for PaymentCards.
func (s *Notify) LinkTokens(ctx context.Context, invoiceIDs []string) ([]notify.InvoiceLink, error) {
	if len(invoiceIDs) == 0 {
		return nil, nil
	}
	var rows []linkRow
	if err := s.DB.conn(ctx).Select("invoice_id", "merchant_id", "token").Where("invoice_id IN ?", invoiceIDs).
		Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: notify link tokens: %w", err)
	}
	out := make([]notify.InvoiceLink, len(rows))
	for i, r := range rows {
		out[i] = notify.InvoiceLink{InvoiceID: r.InvoiceID, MerchantID: r.MerchantID, Token: r.Token}
	}
	return out, nil
}

// EnabledEndpoints returns the merchant's enabled, undeleted webhook endpoints of one mode.
func (s *Notify) EnabledEndpoints(ctx context.Context, merchantID string, livemode bool) ([]notify.Endpoint, error) {
	var rows []endpointRow
	if err := s.DB.conn(ctx).Where("merchant_id = ? AND livemode = ? AND status = ? AND deleted_at IS NULL", merchantID, livemode, string(notify.EndpointEnabled)).
		Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: notify endpoints: %w", err)
	}
	out := make([]notify.Endpoint, len(rows))
	for i, row := range rows {
		out[i] = toBusEndpoint(row)
	}
	return out, nil
}

// ClaimEmails leases due queued e-mails to the caller.
func (s *Notify) ClaimEmails(ctx context.Context, now, leaseUntil time.Time, limit int) ([]notify.Email, error) {
	var rows []emailRow
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		ids, err := s.claimIDs(tx, "emails", "status = "+queuedEmailSQL+" AND next_attempt_at <= ?", "next_attempt_at, id", limit, now)
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := tx.Model(&emailRow{}).Where("id IN ?", ids).Updates(map[string]any{
			"attempts": gorm.Expr("attempts + 1"), "next_attempt_at": leaseUntil, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("store: lease e-mails: %w", err)
		}
		if err := tx.Where("id IN ?", ids).Order("next_attempt_at, id").Find(&rows).Error; err != nil {
			return fmt.Errorf("store: load e-mails: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return toBusEmails(rows)
}

// FinishEmail records the outcome of an attempt.
func (s *Notify) FinishEmail(ctx context.Context, id string, status notify.EmailStatus, lastError string, next *time.Time, at time.Time) error {
	upd := map[string]any{"status": string(status), "last_error": lastError, "next_attempt_at": next, "updated_at": at}
	if status == notify.EmailSent {
		upd["sent_at"] = at
	}
	if err := s.DB.conn(ctx).Model(&emailRow{}).Where("id = ?", id).Updates(upd).Error; err != nil {
		return fmt.Errorf("store: finish e-mail: %w", err)
	}
	return nil
}

// ListEmails returns a page of a merchant's e-mails, newest first.
func (s *Notify) ListEmails(ctx context.Context, merchantID string, p domain.Page) ([]notify.Email, bool, error) {
	var rows []emailRow
	if err := keysetPage(s.DB.conn(ctx).Where("merchant_id = ?", merchantID), p).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("store: list e-mails: %w", err)
	}
	rows, more := trimPage(rows, p)
	out, err := toBusEmails(rows)
	return out, more, err
}

// GetEmail returns one of a merchant's e-mails.
func (s *Notify) GetEmail(ctx context.Context, merchantID, id string) (notify.Email, error) {
	var r emailRow
	if err := s.DB.conn(ctx).Where("merchant_id = ? AND id = ?", merchantID, id).Take(&r).Error; err != nil {
		return notify.Email{}, notFound(err, "get e-mail")
	}
	return toBusEmail(r)
}

// RequeueEmail moves a held or failed e-mail back to queued, due now, with its attempts reset.
func (s *Notify) RequeueEmail(ctx context.Context, merchantID, id string, at time.Time) error {
	res := s.DB.conn(ctx).Model(&emailRow{}).
		Where("merchant_id = ? AND id = ? AND status IN ?", merchantID, id, []string{string(notify.EmailHeld), string(notify.EmailFailed)}).
		Updates(map[string]any{"status": string(notify.EmailQueued), "attempts": 0, "last_error": "", "next_attempt_at": at, "updated_at": at})
	if res.Error != nil {
		return fmt.Errorf("store: requeue e-mail: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: requeue e-mail %s: %w", id, apperr.ErrConflict)
	}
	return nil
}

// CreateEndpoint inserts an endpoint.
func (s *Notify) CreateEndpoint(ctx context.Context, e notify.Endpoint) error {
	r := toDBEndpoint(e)
	if err := s.DB.conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("store: create endpoint: %w", err)
	}
	return nil
}

// ListEndpoints returns a page of a merchant's endpoints, newest first.
func (s *Notify) ListEndpoints(ctx context.Context, merchantID string, p domain.Page) ([]notify.Endpoint, bool, error) {
	var rows []endpointRow
	q := s.DB.conn(ctx).Where("merchant_id = ? AND deleted_at IS NULL", merchantID)
	if err := keysetPage(q, p).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("store: list endpoints: %w", err)
	}
	rows, more := trimPage(rows, p)
	out := make([]notify.Endpoint, len(rows))
	for i, r := range rows {
		out[i] = toBusEndpoint(r)
	}
	return out, more, nil
}

// GetEndpoint returns one of a merchant's endpoints.
func (s *Notify) GetEndpoint(ctx context.Context, merchantID, id string) (notify.Endpoint, error) {
	var r endpointRow
	if err := s.DB.conn(ctx).Where("merchant_id = ? AND id = ? AND deleted_at IS NULL", merchantID, id).Take(&r).Error; err != nil {
		return notify.Endpoint{}, notFound(err, "get endpoint")
	}
	return toBusEndpoint(r), nil
}

// DeleteEndpoint hides the endpoint (its delivery log stays) and fails its pending deliveries.
func (s *Notify) DeleteEndpoint(ctx context.Context, merchantID, id string, at time.Time) error {
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&endpointRow{}).Where("merchant_id = ? AND id = ? AND deleted_at IS NULL", merchantID, id).
			Updates(map[string]any{"deleted_at": at, "status": string(notify.EndpointDisabled), "disabled_reason": "Deleted.", "updated_at": at})
		if res.Error != nil {
			return fmt.Errorf("store: delete endpoint: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: delete endpoint: %w", apperr.ErrNotFound)
		}
		return stopDeliveriesTx(tx, id, "endpoint deleted", at)
	})
}

// stopDeliveriesTx fails an endpoint's pending deliveries, saying why.
func stopDeliveriesTx(tx *gorm.DB, endpointID, why string, at time.Time) error {
	if err := tx.Model(&deliveryRow{}).Where("endpoint_id = ? AND status = "+pendingDeliverySQL, endpointID).
		Updates(map[string]any{"status": string(notify.DeliveryFailed), "last_error": why, "next_attempt_at": nil, "updated_at": at}).Error; err != nil {
		return fmt.Errorf("store: stop deliveries: %w", err)
	}
	return nil
}

// RotateSecret replaces the endpoint's secret, keeping the old one until previousUntil.
func (s *Notify) RotateSecret(ctx context.Context, merchantID, id, secret string, previousUntil, at time.Time) (notify.Endpoint, error) {
	var out notify.Endpoint
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var r endpointRow
		if err := tx.Where("merchant_id = ? AND id = ? AND deleted_at IS NULL", merchantID, id).Take(&r).Error; err != nil {
			return notFound(err, "rotate secret")
		}
		r.PreviousSecret, r.PreviousSecretExpiresAt, r.Secret, r.UpdatedAt = r.Secret, &previousUntil, secret, at
		if err := tx.Model(&endpointRow{}).Where("id = ?", id).Updates(map[string]any{"secret": r.Secret,
			"previous_secret": r.PreviousSecret, "previous_secret_expires_at": previousUntil, "updated_at": at}).Error; err != nil {
			return fmt.Errorf("store: rotate secret: %w", err)
		}
		out = toBusEndpoint(r)
		return nil
	})
	return out, err
}

// UpdateEndpoint changes an endpoint's fields set in u. Disabling it fails its pending deliveries,
// as the 410 Gone rule does; enabling it clears the reason.
func (s *Notify) UpdateEndpoint(ctx context.Context, merchantID, id string, u notify.EndpointUpdate, at time.Time) (notify.Endpoint, error) {
	var out notify.Endpoint
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var r endpointRow
		if err := tx.Where("merchant_id = ? AND id = ? AND deleted_at IS NULL", merchantID, id).Take(&r).Error; err != nil {
			return notFound(err, "update endpoint")
		}
		wasEnabled := r.Status == string(notify.EndpointEnabled)
		if u.URL != nil {
			r.URL = *u.URL
		}
		if u.Events != nil {
			events, _ := json.Marshal(u.Events)
			r.Events = string(events)
		}
		if u.Description != nil {
			r.Description = *u.Description
		}
		if u.Status != nil {
			switch *u.Status {
			case notify.EndpointEnabled:
				r.Status, r.DisabledReason = string(notify.EndpointEnabled), ""
			case notify.EndpointDisabled:
				if wasEnabled {
					r.Status, r.DisabledReason = string(notify.EndpointDisabled), u.DisabledReason
				}
			}
		}
		r.UpdatedAt = at
		if err := tx.Model(&endpointRow{}).Where("id = ?", id).Updates(map[string]any{"url": r.URL, "events": r.Events,
			"description": r.Description, "status": r.Status, "disabled_reason": r.DisabledReason, "updated_at": at}).Error; err != nil {
			return fmt.Errorf("store: update endpoint: %w", err)
		}
		if wasEnabled && r.Status == string(notify.EndpointDisabled) {
			if err := stopDeliveriesTx(tx, id, "endpoint disabled", at); err != nil {
				return err
			}
		}
		out = toBusEndpoint(r)
		return nil
	})
	return out, err
}

// ClaimDeliveries leases due pending deliveries with their endpoints and events.
func (s *Notify) ClaimDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]notify.DeliveryJob, error) {
	var out []notify.DeliveryJob
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		ids, err := s.claimIDs(tx, "webhook_deliveries", "status = "+pendingDeliverySQL+" AND next_attempt_at <= ?", "next_attempt_at, id", limit, now)
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := tx.Model(&deliveryRow{}).Where("id IN ?", ids).Updates(map[string]any{
			"attempts": gorm.Expr("attempts + 1"), "next_attempt_at": leaseUntil, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("store: lease deliveries: %w", err)
		}
		var rows []deliveryRow
		if err := tx.Where("id IN ?", ids).Order("next_attempt_at, id").Find(&rows).Error; err != nil {
			return fmt.Errorf("store: load deliveries: %w", err)
		}
		epIDs, evIDs := make([]string, 0, len(rows)), make([]string, 0, len(rows))
		for _, r := range rows {
			epIDs, evIDs = append(epIDs, r.EndpointID), append(evIDs, r.EventID)
		}
		var eps []endpointRow
		if err := tx.Where("id IN ?", epIDs).Find(&eps).Error; err != nil {
			return fmt.Errorf("store: load endpoints: %w", err)
		}
		var evs []eventRow
		if err := tx.Where("id IN ?", evIDs).Find(&evs).Error; err != nil {
			return fmt.Errorf("store: load events: %w", err)
		}
		epByID := make(map[string]endpointRow, len(eps))
		for _, e := range eps {
			epByID[e.ID] = e
		}
		evByID := make(map[string]eventRow, len(evs))
		for _, e := range evs {
			evByID[e.ID] = e
		}
		for _, r := range rows {
			ep := epByID[r.EndpointID]
			d := toBusDelivery(r)
			d.EndpointURL = ep.URL
			out = append(out, notify.DeliveryJob{Delivery: d, Endpoint: toBusEndpoint(ep),
				EndpointActive: ep.Status == string(notify.EndpointEnabled) && ep.DeletedAt == nil,
				Event:          toBusEvent(evByID[r.EventID])})
		}
		return nil
	})
	return out, err
}

// RecordAttempt stores an attempt and moves its delivery on; a 410 also disables the endpoint.
func (s *Notify) RecordAttempt(ctx context.Context, r notify.DeliveryResult, at time.Time) error {
	a := r.Attempt
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if a.ID != "" {
			row := attemptRow{ID: a.ID, DeliveryID: a.DeliveryID, MerchantID: a.MerchantID, Livemode: a.Livemode, EventID: a.EventID,
				EndpointID: a.EndpointID, Attempt: a.Number, URL: a.URL, StatusCode: a.StatusCode, LatencyMS: a.LatencyMS,
				ResponseExcerpt: a.ResponseExcerpt, Error: a.Error, CreatedAt: a.CreatedAt}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("store: insert attempt: %w", err)
			}
		}
		upd := map[string]any{"status": string(r.Status), "last_status_code": a.StatusCode, "last_error": a.Error,
			"next_attempt_at": r.NextAttemptAt, "updated_at": at}
		if r.Status == notify.DeliverySucceeded {
			upd["delivered_at"] = at
		}
		if err := tx.Model(&deliveryRow{}).Where("id = ?", a.DeliveryID).Updates(upd).Error; err != nil {
			return fmt.Errorf("store: update delivery: %w", err)
		}
		if r.DisableEndpoint {
			if err := tx.Model(&endpointRow{}).Where("id = ? AND status = ?", a.EndpointID, string(notify.EndpointEnabled)).
				Updates(map[string]any{"status": string(notify.EndpointDisabled), "disabled_reason": r.DisabledReason, "updated_at": at}).Error; err != nil {
				return fmt.Errorf("store: disable endpoint: %w", err)
			}
		}
		return nil
	})
}

// ListEvents returns a page of a merchant's webhook events with their deliveries and attempts.
func (s *Notify) ListEvents(ctx context.Context, merchantID string, p domain.Page) ([]notify.EventLog, bool, error) {
	db := s.DB.conn(ctx)
	var rows []eventRow
	if err := keysetPage(db.Where("merchant_id = ? AND webhook = ?", merchantID, true), p).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("store: list events: %w", err)
	}
	rows, more := trimPage(rows, p)
	out, err := s.withDeliveries(db, rows)
	return out, more, err
}

// GetEvent returns one of a merchant's webhook events with its deliveries and attempts.
func (s *Notify) GetEvent(ctx context.Context, merchantID, id string) (notify.EventLog, error) {
	db := s.DB.conn(ctx)
	var r eventRow
	if err := db.Where("merchant_id = ? AND id = ? AND webhook = ?", merchantID, id, true).Take(&r).Error; err != nil {
		return notify.EventLog{}, notFound(err, "get event")
	}
	out, err := s.withDeliveries(db, []eventRow{r})
	if err != nil {
		return notify.EventLog{}, err
	}
	return out[0], nil
}

// withDeliveries attaches deliveries (oldest first) and their attempts to events.
func (s *Notify) withDeliveries(db *gorm.DB, rows []eventRow) ([]notify.EventLog, error) {
	out := make([]notify.EventLog, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = notify.EventLog{Event: toBusEvent(r), Deliveries: []notify.Delivery{}}
		ids[i] = r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var ds []deliveryRow
	if err := db.Where("event_id IN ?", ids).Order("id").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	if len(ds) == 0 {
		return out, nil
	}
	dIDs, epIDs := make([]string, len(ds)), make([]string, len(ds))
	for i, d := range ds {
		dIDs[i], epIDs[i] = d.ID, d.EndpointID
	}
	var as []attemptRow
	if err := db.Where("delivery_id IN ?", dIDs).Order("attempt, id").Find(&as).Error; err != nil {
		return nil, fmt.Errorf("store: list attempts: %w", err)
	}
	var eps []endpointRow
	if err := db.Select("id", "url").Where("id IN ?", epIDs).Find(&eps).Error; err != nil {
		return nil, fmt.Errorf("store: list endpoint urls: %w", err)
	}
	urls := make(map[string]string, len(eps))
	for _, e := range eps {
		urls[e.ID] = e.URL
	}
	attempts := make(map[string][]notify.Attempt)
	for _, a := range as {
		attempts[a.DeliveryID] = append(attempts[a.DeliveryID], toBusAttempt(a))
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	for _, d := range ds {
		bd := toBusDelivery(d)
		bd.EndpointURL = urls[d.EndpointID]
		bd.Log = attempts[d.ID]
		if bd.Log == nil {
			bd.Log = []notify.Attempt{}
		}
		i := pos[d.EventID]
		out[i].Deliveries = append(out[i].Deliveries, bd)
	}
	return out, nil
}

// Redeliver queues a webhook event again for the enabled endpoints subscribed to it.
func (s *Notify) Redeliver(ctx context.Context, merchantID, eventID, endpointID string, at time.Time) (int, error) {
	n := 0
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var ev eventRow
		if err := tx.Where("merchant_id = ? AND id = ? AND webhook = ?", merchantID, eventID, true).Take(&ev).Error; err != nil {
			return notFound(err, "redeliver event")
		}
		// Only endpoints of the event's mode receive it.
		q := tx.Where("merchant_id = ? AND livemode = ? AND status = ? AND deleted_at IS NULL", merchantID, ev.Livemode, string(notify.EndpointEnabled))
		if endpointID != "" {
			q = q.Where("id = ?", endpointID)
		}
		var eps []endpointRow
		if err := q.Find(&eps).Error; err != nil {
			return fmt.Errorf("store: redeliver endpoints: %w", err)
		}
		if endpointID != "" && len(eps) == 0 {
			return fmt.Errorf("store: redeliver: endpoint %s: %w", endpointID, apperr.ErrNotFound)
		}
		for _, ep := range eps {
			if !toBusEndpoint(ep).Subscribed(ev.Type) {
				continue
			}
			// A delivery that exists starts a fresh schedule; its earlier attempts stay in the log.
			res := tx.Model(&deliveryRow{}).Where("event_id = ? AND endpoint_id = ?", ev.ID, ep.ID).Updates(map[string]any{
				"status": string(notify.DeliveryPending), "attempts": 0, "next_attempt_at": at, "updated_at": at})
			if res.Error != nil {
				return fmt.Errorf("store: redeliver: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				d := deliveryRow{ID: domain.NewID(notify.PrefixDelivery), MerchantID: merchantID, Livemode: ev.Livemode, EventID: ev.ID, EndpointID: ep.ID,
					Status: string(notify.DeliveryPending), NextAttemptAt: &at, CreatedAt: at, UpdatedAt: at}
				if err := tx.Create(&d).Error; err != nil {
					return fmt.Errorf("store: redeliver: %w", err)
				}
			}
			n++
		}
		return nil
	})
	return n, err
}

// InsertEmail adds one e-mail to the outbox.
func (s *Notify) InsertEmail(ctx context.Context, e notify.Email) error {
	r, err := toDBEmail(e)
	if err != nil {
		return err
	}
	if err := s.DB.conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("store: insert e-mail: %w", err)
	}
	return nil
}
