package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"securelink/internal/apperr"
	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/invoices"
)

var _ invoices.Store = (*Invoices)(nil)

// Invoices stores invoices, their lines and links.
type Invoices struct{ DB *DB }

type invoiceRow struct {
	ID              string
	MerchantID      string
	Livemode        bool
	Number          string
	Reference       string
	Status          string
	CustomerName    string
	CustomerEmail   string
	CustomerPhone   string
	CustomerAddress string
	CustomerPIB     string `gorm:"column:customer_pib"`
	CustomerMB      string `gorm:"column:customer_mb"`
	Currency        string
	AmountTotal     int64
	AmountVAT       int64 `gorm:"column:amount_vat"`
	AmountPaid      int64
	AmountRefunded  int64
	Description     string
	CaptureMode     string
	AllowPartial    bool
	MinFirstAmount  int64
	Locale          string
	ExpiresAt       time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	PaidAt          *time.Time
	CancelledAt     *time.Time
	CreatedBy       string
	SuccessURL      string `gorm:"column:success_url"`
	CancelURL       string `gorm:"column:cancel_url"`
	SentAt          *time.Time
	// PaymentLinkID is NULL for an invoice that is no order of a reusable link.
	PaymentLinkID *string
	// CustomFields are the payer's answers to the link's custom fields, JSON ("" for none).
	CustomFields string
}

func (invoiceRow) TableName() string { return "invoices" }

type invoiceLineRow struct {
	InvoiceID   string
	Position    int
	Description string
	Quantity    int64
	UnitAmount  int64
	VATRateBP   int64 `gorm:"column:vat_rate_bp"`
	AmountTotal int64
	AmountVAT   int64 `gorm:"column:amount_vat"`
}

func (invoiceLineRow) TableName() string { return "invoice_lines" }

type linkRow struct {
	ID            string
	InvoiceID     string
	MerchantID    string
	Livemode      bool
	Token         string
	Status        string
	ExpiresAt     time.Time
	CreatedAt     time.Time
	DeactivatedAt *time.Time
}

func (linkRow) TableName() string { return "links" }

type eventRow struct {
	ID         string
	MerchantID string
	Livemode   bool
	Type       string
	ObjectID   string
	Payload    string
	Webhook    bool
	CreatedAt  time.Time
}

func (eventRow) TableName() string { return "events" }

// searchWindow is how many of the newest invoices (within the list's filters) SQLite's term search
// checks before it reads the whole search table. SQLite has no trigram index: for a term that many
// customers share, matching every search row of a merchant took 45–70 ms at 100,000 invoices,
// while a page's matches are among the newest few hundred invoices. A term in fewer than about 2 %
// of the invoices pays for the window and then for the whole search.
var searchWindow = 1000

// searchNewest is SQLite's term search over the newest searchWindow invoices of the filtered list,
// in the page's order; paged is false when those held fewer matches than a full page (and one
// more), and then the caller must search them all. The first matches in id order within the
// newest invoices are the first matches of all of them, so a full page found here is the page.
func searchNewest(db, filtered *gorm.DB, p domain.Page, pattern string) (rows []invoiceRow, paged bool, err error) {
	order := "id DESC"
	if p.EndingBefore != "" {
		order = "id ASC"
	}
	window := keysetPage(filtered.Model(&invoiceRow{}).Select("id"), p).Limit(searchWindow)
	matches := db.Session(&gorm.Session{NewDB: true}).Table("(?) AS w", window).Select("w.id").
		Where("EXISTS (SELECT 1 FROM invoice_search s WHERE s.invoice_id = w.id AND s.search_text LIKE ? ESCAPE '\\')", pattern).
		Order("w." + order).Limit(p.Limit + 1)
	if err := filtered.Where("id IN (?)", matches).Order(order).Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	return rows, len(rows) > p.Limit, nil
}

// invoiceSearchRow is what invoice search reads, written once with the invoice (customer, number
// and reference never change), so status changes do not touch the search indexes.
type invoiceSearchRow struct {
	InvoiceID  string
	MerchantID string
	SearchText string
	Email      string // lower-cased
}

func (invoiceSearchRow) TableName() string { return "invoice_search" }

func toDBInvoiceSearch(inv domain.Invoice) invoiceSearchRow {
	return invoiceSearchRow{InvoiceID: inv.ID, MerchantID: inv.MerchantID,
		SearchText: strings.ToLower(strings.Join([]string{inv.Customer.Name, inv.Customer.Email, inv.Number, inv.Reference}, " | ")),
		Email:      strings.ToLower(inv.Customer.Email)}
}

func toDBInvoice(inv domain.Invoice) invoiceRow {
	r := invoiceRow{ID: inv.ID, MerchantID: inv.MerchantID, Livemode: inv.Livemode, Number: inv.Number, Reference: inv.Reference,
		Status: string(inv.Status), CustomerName: inv.Customer.Name, CustomerEmail: inv.Customer.Email,
		CustomerPhone: inv.Customer.Phone, CustomerAddress: inv.Customer.Address, CustomerPIB: inv.Customer.PIB,
		CustomerMB: inv.Customer.MB, Currency: inv.Currency,
		AmountTotal: inv.AmountTotal, AmountVAT: inv.AmountVAT, AmountPaid: inv.AmountPaid, AmountRefunded: inv.AmountRefunded,
		Description: inv.Description, CaptureMode: string(inv.CaptureMode), AllowPartial: inv.AllowPartial,
		MinFirstAmount: inv.MinFirstAmount, Locale: inv.Locale,
		ExpiresAt: inv.ExpiresAt, CreatedAt: inv.CreatedAt, UpdatedAt: inv.UpdatedAt, PaidAt: inv.PaidAt,
		CancelledAt: inv.CancelledAt, CreatedBy: inv.CreatedBy, SuccessURL: inv.SuccessURL, CancelURL: inv.CancelURL, SentAt: inv.SentAt,
		CustomFields: customFieldsJSON(inv.CustomFields)}
	if inv.PaymentLinkID != "" {
		id := inv.PaymentLinkID
		r.PaymentLinkID = &id
	}
	return r
}

// customFieldsJSON is an order's answers as invoices.custom_fields keeps them ("" for none).
func customFieldsJSON(a []domain.CustomFieldAnswer) string {
	if len(a) == 0 {
		return ""
	}
	b, err := json.Marshal(a)
	if err != nil {
		return ""
	}
	return string(b)
}

func toBusInvoice(r invoiceRow) domain.Invoice {
	inv := domain.Invoice{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, Number: r.Number, Reference: r.Reference,
		Status: domain.InvoiceStatus(r.Status),
		Customer: domain.Customer{Name: r.CustomerName, Email: r.CustomerEmail, Phone: r.CustomerPhone, Address: r.CustomerAddress,
			PIB: r.CustomerPIB, MB: r.CustomerMB},
		Currency: r.Currency, AmountTotal: r.AmountTotal, AmountVAT: r.AmountVAT, AmountPaid: r.AmountPaid,
		AmountRefunded: r.AmountRefunded, Description: r.Description, CaptureMode: domain.CaptureMode(r.CaptureMode),
		AllowPartial: r.AllowPartial, MinFirstAmount: r.MinFirstAmount,
		Locale: r.Locale, ExpiresAt: r.ExpiresAt.UTC(), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		PaidAt: utcPtr(r.PaidAt), CancelledAt: utcPtr(r.CancelledAt), CreatedBy: r.CreatedBy,
		SuccessURL: r.SuccessURL, CancelURL: r.CancelURL, SentAt: utcPtr(r.SentAt)}
	if r.PaymentLinkID != nil {
		inv.PaymentLinkID = *r.PaymentLinkID
	}
	if r.CustomFields != "" {
		// Written by toDBInvoice; an unreadable value shows no answers rather than failing the read.
		_ = json.Unmarshal([]byte(r.CustomFields), &inv.CustomFields)
	}
	return inv
}

func toDBLink(l domain.Link) linkRow {
	return linkRow{ID: l.ID, InvoiceID: l.InvoiceID, MerchantID: l.MerchantID, Livemode: l.Livemode, Token: l.Token, Status: string(l.Status),
		ExpiresAt: l.ExpiresAt, CreatedAt: l.CreatedAt, DeactivatedAt: l.DeactivatedAt}
}

func toBusLink(r linkRow) domain.Link {
	return domain.Link{ID: r.ID, InvoiceID: r.InvoiceID, MerchantID: r.MerchantID, Livemode: r.Livemode, Token: r.Token,
		Status: domain.LinkStatus(r.Status), ExpiresAt: r.ExpiresAt.UTC(), CreatedAt: r.CreatedAt.UTC(),
		DeactivatedAt: utcPtr(r.DeactivatedAt)}
}

// InsertEventsTx writes events inside the caller's transaction; every store that changes state
// uses it so an event exists if and only if its change committed.
func InsertEventsTx(tx *gorm.DB, events []domain.Event) error {
	if len(events) == 0 {
		return nil
	}
	for _, w := range eventWrites(events) {
		if err := wrapErr(w.what)(0, tx.Exec(w.t.q, w.args...).Error); err != nil {
			return err
		}
	}
	return nil
}

// queueEvents queues the statements that store events (eventWrites) in a pipelined transaction;
// none for no events.
func (p *pipeTx) queueEvents(events []domain.Event) {
	if len(events) == 0 {
		return
	}
	for _, w := range eventWrites(events) {
		p.ExecSQL(w.t, w.args, wrapErr(w.what), false)
	}
}

// eventInsert inserts events with every column of eventRow (rawsql.go).
var eventInsert = insertOf(eventRow{})

// What CreateInvoice writes: a mode's next invoice number, then the invoice's rows.
var (
	numberTestInvoice   = sqlOf("UPDATE merchants SET invoice_seq = invoice_seq + 1 WHERE id = ? RETURNING invoice_seq")
	numberLiveInvoice   = sqlOf("UPDATE merchants SET live_invoice_seq = live_invoice_seq + 1 WHERE id = ? RETURNING live_invoice_seq")
	invoiceInsert       = insertOf(invoiceRow{})
	invoiceSearchInsert = insertOf(invoiceSearchRow{})
	invoiceLineInsert   = insertOf(invoiceLineRow{})
	linkInsert          = insertOf(linkRow{})
	auditInsert         = insertOf(auditRow{})
)

// eventWrite is one statement of eventWrites.
type eventWrite struct {
	what string
	t    sqlText
	args []any
}

// eventWrites are the statements that store events (at least one): the events, and their rows in
// the dispatcher's queue, which are never written one without the other.
func eventWrites(events []domain.Event) [2]eventWrite {
	ids := make([]any, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	insert, args := statementOf(eventInsert, toEventRows(events), events[0].CreatedAt)
	return [2]eventWrite{
		{"insert events", insert, args},
		{"queue events", cachedSQL("INSERT INTO event_queue (event_id) VALUES (?)" + strings.Repeat(", (?)", len(events)-1)), ids},
	}
}

func toEventRows(events []domain.Event) []eventRow {
	rows := make([]eventRow, len(events))
	for i, e := range events {
		rows[i] = eventRow{ID: e.ID, MerchantID: e.MerchantID, Livemode: e.Livemode, Type: e.Type, ObjectID: e.ObjectID,
			Payload: string(e.Payload), Webhook: e.Webhook, CreatedAt: e.CreatedAt}
	}
	return rows
}

// CreateInvoice numbers and inserts an invoice with its lines, link and events, and record (the
// audit entry of its creation) when not nil, in one transaction.
//
// On PostgreSQL a merchant's creations queue for their number in arrival order and those that
// waited share a transaction (groupedByKey): their numberings go in its first round trip, each
// taking the next number, and their inserts with its COMMIT. One that fails fails the group, which
// is rolled back, numbers and all, and every member runs again alone, so numbers stay gap-free.
// On SQLite the one writer already serialises the numbering.
func (s *Invoices) CreateInvoice(ctx context.Context, inv domain.Invoice, link domain.Link, events func(number string) []domain.Event,
	record *audit.Entry) (string, error) {
	// The counter row is locked by this UPDATE until commit, so numbers are unique and gap-free;
	// each mode counts on its own, so test invoices never take a live number.
	numbering := numberTestInvoice
	if inv.Livemode {
		numbering = numberLiveInvoice
	}
	var seq int64
	first := &firstQuery{what: "number invoice", t: numbering, args: []any{inv.MerchantID}, dest: &seq}
	var number string
	err := s.DB.groupedByKey(ctx, s.DB.creationGroups, inv.MerchantID, first, func(tx *pipeTx) error {
		if seq == 0 {
			return fmt.Errorf("store: number invoice: merchant %s: %w", inv.MerchantID, apperr.ErrNotFound)
		}
		number = fmt.Sprintf("INV-%06d", seq)
		inv.Number = number
		row, search, lr := toDBInvoice(inv), toDBInvoiceSearch(inv), toDBLink(link)
		q, args := invoiceInsert.insertOne(&row, inv.CreatedAt)
		tx.ExecSQL(q, args, wrapErr("insert invoice"), false)
		q, args = invoiceSearchInsert.insertOne(&search, inv.CreatedAt)
		tx.ExecSQL(q, args, wrapErr("insert invoice search terms"), false)
		if len(inv.Lines) > 0 {
			lines := make([]invoiceLineRow, len(inv.Lines))
			for i, l := range inv.Lines {
				lines[i] = invoiceLineRow{InvoiceID: inv.ID, Position: i, Description: l.Description, Quantity: l.Quantity,
					UnitAmount: l.UnitAmount, VATRateBP: l.VATRateBP, AmountTotal: l.Total(), AmountVAT: l.VAT()}
			}
			q, args = statementOf(invoiceLineInsert, lines, inv.CreatedAt)
			tx.ExecSQL(q, args, wrapErr("insert invoice lines"), false)
		}
		q, args = linkInsert.insertOne(&lr, inv.CreatedAt)
		tx.ExecSQL(q, args, wrapErr("insert link"), false)
		tx.queueEvents(events(number))
		if record != nil {
			r := toAuditRow(*record)
			q, args = auditInsert.insertOne(&r, record.CreatedAt)
			tx.ExecSQL(q, args, wrapErr("insert audit"), false)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return number, nil
}

// GetInvoice returns a merchant's invoice with its lines and newest link.
func (s *Invoices) GetInvoice(ctx context.Context, merchantID, id string) (domain.Invoice, error) {
	db := s.DB.conn(ctx)
	var r invoiceRow
	if err := db.Where("merchant_id = ? AND id = ?", merchantID, id).Take(&r).Error; err != nil {
		return domain.Invoice{}, notFound(err, "get invoice")
	}
	inv := toBusInvoice(r)
	var lines []invoiceLineRow
	if err := db.Where("invoice_id = ?", id).Order("position").Find(&lines).Error; err != nil {
		return domain.Invoice{}, fmt.Errorf("store: get invoice lines: %w", err)
	}
	for _, l := range lines {
		inv.Lines = append(inv.Lines, domain.InvoiceLine{Description: l.Description, Quantity: l.Quantity, UnitAmount: l.UnitAmount, VATRateBP: l.VATRateBP})
	}
	var lr linkRow
	err := db.Where("invoice_id = ?", id).Order("id DESC").Take(&lr).Error
	switch {
	case err == nil:
		l := toBusLink(lr)
		inv.Link = &l
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return domain.Invoice{}, fmt.Errorf("store: get invoice link: %w", err)
	}
	return inv, nil
}

// ListInvoices returns a page of a merchant's invoices with their newest links.
func (s *Invoices) ListInvoices(ctx context.Context, merchantID string, f invoices.Filter) ([]domain.Invoice, bool, error) {
	db := s.DB.conn(ctx)
	q := db.Where("merchant_id = ?", merchantID)
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.PaymentLinkID != "" {
		q = q.Where("payment_link_id = ?", f.PaymentLinkID)
	}
	if f.CreatedGTE != nil {
		q = q.Where("created_at >= ?", f.CreatedGTE.UTC())
	}
	if f.CreatedLTE != nil {
		q = q.Where("created_at <= ?", f.CreatedLTE.UTC())
	}
	// The filters are read once more below when SQLite's windowed search falls short.
	q = q.Session(&gorm.Session{})
	var rows []invoiceRow
	paged := false
	switch {
	case invoices.IsEmailQuery(f.Query) && s.DB.Dialect == DialectSQLite:
		// SQLite does not turn a LIKE with ESCAPE into a range of its (binary) index: the same
		// prefix as a range of bytes (e-mails are stored, and the query comes, in lower case).
		q = q.Where("id IN (SELECT invoice_id FROM invoice_search WHERE merchant_id = ? AND email >= ? AND email < ?)",
			merchantID, f.Query, f.Query+"\xff")
	case invoices.IsEmailQuery(f.Query):
		// One customer's e-mail (or its beginning): a btree range, not the trigrams its domain shares
		// with every other customer's.
		q = q.Where("id IN (SELECT invoice_id FROM invoice_search WHERE merchant_id = ? AND email LIKE ? ESCAPE '\\')",
			merchantID, escapeLike(f.Query)+"%")
	case f.Query != "" && s.DB.Dialect == DialectSQLite:
		var err error
		if rows, paged, err = searchNewest(db, q, f.Page, "%"+escapeLike(f.Query)+"%"); err != nil {
			return nil, false, fmt.Errorf("store: list invoices: %w", err)
		}
		fallthrough // to search every invoice when the newest held less than a page
	case f.Query != "":
		// On PostgreSQL a trigram index serves this when the term is rare; for a common term the
		// planner walks the id index instead and stops at the page's end.
		q = q.Where("id IN (SELECT invoice_id FROM invoice_search WHERE merchant_id = ? AND search_text LIKE ? ESCAPE '\\')",
			merchantID, "%"+escapeLike(f.Query)+"%")
	}
	if !paged {
		if err := keysetPage(q, f.Page).Find(&rows).Error; err != nil {
			return nil, false, fmt.Errorf("store: list invoices: %w", err)
		}
	}
	rows, more := trimPage(rows, f.Page)
	out := make([]domain.Invoice, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = toBusInvoice(r)
		ids[i] = r.ID
	}
	if len(ids) > 0 {
		var links []linkRow
		if err := db.Where("invoice_id IN ?", ids).Order("id").Find(&links).Error; err != nil {
			return nil, false, fmt.Errorf("store: list invoice links: %w", err)
		}
		newest := make(map[string]domain.Link, len(links))
		for _, l := range links {
			newest[l.InvoiceID] = toBusLink(l) // ordered by id: the last one wins
		}
		for i := range out {
			if l, ok := newest[out[i].ID]; ok {
				out[i].Link = &l
			}
		}
	}
	return out, more, nil
}

// Summarise implements invoices.Store: two aggregate queries over the merchant's invoices, the
// counts through the (merchant_id, status) index, and the count of its expiring authorisations.
func (s *Invoices) Summarise(ctx context.Context, merchantID string, paidSince, now time.Time) (invoices.Summary, error) {
	db := s.DB.conn(ctx)
	mode, modeArgs := modeSQL(ctx, "livemode")
	var counts []struct {
		Status string
		Count  int64
	}
	// domain.Invoice.EffectiveStatus in SQL: an invoice that lapses is expired as soon as its expiry
	// has passed, before the sweep writes it (a test checks both agree for every status).
	if err := db.Raw(`SELECT `+effectiveStatusSQL+` AS status, count(*) AS count
		FROM invoices WHERE merchant_id = ?`+mode+` GROUP BY 1`, append([]any{now, merchantID}, modeArgs...)...).Scan(&counts).Error; err != nil {
		return invoices.Summary{}, fmt.Errorf("store: count invoices by status: %w", err)
	}
	sum := invoices.Summary{Counts: make(map[domain.InvoiceStatus]int64, len(counts)), PaidSince: paidSince}
	for _, c := range counts {
		sum.Counts[domain.InvoiceStatus(c.Status)] += c.Count
	}
	var paid []struct {
		Currency string
		Amount   int64
		Count    int64
	}
	if err := db.Raw(`SELECT currency, sum(amount_paid - amount_refunded) AS amount, count(*) AS count
		FROM invoices WHERE merchant_id = ? AND paid_at >= ?`+mode+` GROUP BY currency ORDER BY currency`,
		append([]any{merchantID, paidSince}, modeArgs...)...).
		Scan(&paid).Error; err != nil {
		return invoices.Summary{}, fmt.Errorf("store: total paid invoices: %w", err)
	}
	for _, p := range paid {
		sum.PaidCount += p.Count
		sum.PaidTotals = append(sum.PaidTotals, domain.Money{Currency: p.Currency, Amount: p.Amount})
	}
	// Through the partial index on authorised payments (the status spelled out, see CountFailedPayments).
	if err := db.Raw(`SELECT count(*) FROM payments WHERE `+capturablePaymentSQL+` AND merchant_id = ? AND authorized_at <= ?`+mode,
		append([]any{merchantID, now.Add(-domain.AuthorizationExpiringAfter)}, modeArgs...)...).Scan(&sum.AuthorizationsExpiring).Error; err != nil {
		return invoices.Summary{}, fmt.Errorf("store: count expiring authorisations: %w", err)
	}
	return sum, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// existsOr tells a conditional update that matched nothing apart: a missing row is ErrNotFound,
// a row in another state ErrConflict.
func existsOr(tx *gorm.DB, table, merchantID, id, what string) error {
	var n int64
	mode, modeArgs := modeSQL(tx.Statement.Context, "livemode")
	if err := tx.Table(table).Where("merchant_id = ? AND id = ?"+mode, append([]any{merchantID, id}, modeArgs...)...).Count(&n).Error; err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s: %w", what, apperr.ErrNotFound)
	}
	return fmt.Errorf("store: %s: %w", what, apperr.ErrConflict)
}

func statusStrings[T ~string](ss []T) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// SetInvoiceStatus moves an invoice between statuses, optionally closing its active link.
func (s *Invoices) SetInvoiceStatus(ctx context.Context, merchantID, id string, from []domain.InvoiceStatus, to domain.InvoiceStatus, linkTo domain.LinkStatus, at time.Time, events []domain.Event) error {
	defer s.DB.checkouts.forget(id)
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		upd := map[string]any{"status": string(to), "updated_at": at}
		if to == domain.InvoiceCancelled {
			upd["cancelled_at"] = at
		}
		res := tx.Model(&invoiceRow{}).Where("merchant_id = ? AND id = ? AND status IN ?", merchantID, id, statusStrings(from)).Updates(upd)
		if res.Error != nil {
			return fmt.Errorf("store: set invoice status: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return existsOr(tx, "invoices", merchantID, id, "set invoice status")
		}
		if linkTo != "" {
			if err := closeActiveLinks(tx, id, linkTo, at); err != nil {
				return err
			}
		}
		return InsertEventsTx(tx, events)
	})
}

// linkStatusesTo is the guard of a move of links to status to: the statuses the state machine lets
// move there (active, for every closing status).
func linkStatusesTo(to domain.LinkStatus) []string {
	return statusStrings(domain.StatusesTo(domain.LinkStatuses, domain.LinkStatus.CanTransition, to))
}

// closeActiveLinks moves the invoice's links that may move to status to (its active ones) there.
func closeActiveLinks(tx *gorm.DB, invoiceID string, to domain.LinkStatus, at time.Time) error {
	q, args := updateActiveLinksSQL(invoiceID, to, at)
	if err := tx.Exec(q.q, args...).Error; err != nil {
		return fmt.Errorf("store: close links: %w", err)
	}
	return nil
}

// updateActiveLinksSQL is closeActiveLinks' statement.
func updateActiveLinksSQL(invoiceID string, to domain.LinkStatus, at time.Time) (sqlText, []any) {
	if to == domain.LinkDeactivated {
		return cachedSQL(`UPDATE links SET status = ?, deactivated_at = ? WHERE invoice_id = ? AND status IN (` + sqlList(linkStatusesTo(to)) + `)`),
			[]any{string(to), at, invoiceID}
	}
	return cachedSQL(`UPDATE links SET status = ? WHERE invoice_id = ? AND status IN (` + sqlList(linkStatusesTo(to)) + `)`),
		[]any{string(to), invoiceID}
}

// ReplaceLink moves the invoice to r.To (an expired invoice reopens) and its active links to
// r.OldLinksTo, and adds r.Link.
func (s *Invoices) ReplaceLink(ctx context.Context, merchantID, invoiceID string, rl invoices.Relink) error {
	defer s.DB.checkouts.forget(invoiceID)
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&invoiceRow{}).
			Where("merchant_id = ? AND id = ? AND status IN ?", merchantID, invoiceID, statusStrings(rl.From)).
			Updates(map[string]any{"status": string(rl.To), "expires_at": rl.Link.ExpiresAt, "updated_at": rl.At})
		if res.Error != nil {
			return fmt.Errorf("store: replace link: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return existsOr(tx, "invoices", merchantID, invoiceID, "replace link")
		}
		if err := closeActiveLinks(tx, invoiceID, rl.OldLinksTo, rl.At); err != nil {
			return err
		}
		r := toDBLink(rl.Link)
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("store: insert link: %w", err)
		}
		return nil
	})
}

// DeactivateLink moves one active link of the merchant to status to (deactivated).
func (s *Invoices) DeactivateLink(ctx context.Context, merchantID, linkID string, to domain.LinkStatus, at time.Time) (domain.Link, error) {
	var out domain.Link
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&linkRow{}).Where("merchant_id = ? AND id = ? AND status IN ?", merchantID, linkID, linkStatusesTo(to)).
			Updates(map[string]any{"status": string(to), "deactivated_at": at})
		if res.Error != nil {
			return fmt.Errorf("store: deactivate link: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return existsOr(tx, "links", merchantID, linkID, "deactivate link")
		}
		var r linkRow
		if err := tx.Where("id = ?", linkID).Take(&r).Error; err != nil {
			return notFound(err, "deactivate link")
		}
		out = toBusLink(r)
		return nil
	})
	if err == nil {
		s.DB.checkouts.forget(out.InvoiceID)
	}
	return out, err
}

// GetLinkByToken finds a link by its token.
func (s *Invoices) GetLinkByToken(ctx context.Context, token string) (domain.Link, error) {
	var r linkRow
	if err := s.DB.conn(ctx).Where("token = ?", token).Take(&r).Error; err != nil {
		return domain.Link{}, notFound(err, "get link")
	}
	return toBusLink(r), nil
}

// checkoutRow is one row of the checkout query: the link, its invoice, the merchant's public
// details and the invoice's lines as a JSON array.
type checkoutRow struct {
	Link                 linkRow    `gorm:"embedded;embeddedPrefix:link_"`
	Inv                  invoiceRow `gorm:"embedded;embeddedPrefix:inv_"`
	MerchantName         string
	MerchantSupportEmail string
	MerchantTerms        string
	Merchant             merchantRow `gorm:"embedded;embeddedPrefix:m_"`
	LinesJSON            string
}

// checkoutLine is one element of checkoutRow.LinesJSON.
type checkoutLine struct {
	Description string `json:"d"`
	Quantity    int64  `json:"q"`
	UnitAmount  int64  `json:"u"`
	VATRateBP   int64  `json:"v"`
}

// checkoutLinesSQL aggregates an invoice's lines, in order, into one JSON text per dialect. It joins
// on links.invoice_id, not invoices.id: the latter has the "C" collation on PostgreSQL, and comparing
// with it would keep the planner off invoice_lines' primary key.
var checkoutLinesSQL = map[string]string{
	DialectPostgres: `(SELECT coalesce(json_agg(json_build_object('d', description, 'q', quantity, 'u', unit_amount, 'v', vat_rate_bp)
		ORDER BY position), '[]')::text FROM invoice_lines WHERE invoice_id = l.invoice_id)`,
	DialectSQLite: `(SELECT coalesce(json_group_array(json_object('d', description, 'q', quantity, 'u', unit_amount, 'v', vat_rate_bp)), '[]')
		FROM (SELECT * FROM invoice_lines WHERE invoice_id = l.invoice_id ORDER BY position))`,
}

// GetCheckout loads what a payer sees through a link. It is the hottest read of the product, so
// recent views come from memory (see checkoutCache) and the database answers in one query.
func (s *Invoices) GetCheckout(ctx context.Context, token string) (invoices.Checkout, error) {
	view, epoch, ok := s.DB.checkouts.get(token)
	if ok {
		return view, nil
	}
	view, err := s.loadCheckout(ctx, token)
	if err == nil {
		s.DB.checkouts.put(token, view, epoch)
	}
	return view, err
}

// loadCheckout reads a checkout view from the database.
func (s *Invoices) loadCheckout(ctx context.Context, token string) (invoices.Checkout, error) {
	var r checkoutRow
	err := s.DB.conn(ctx).Raw(`SELECT l.id AS link_id, l.invoice_id AS link_invoice_id, l.merchant_id AS link_merchant_id,
		l.token AS link_token, l.status AS link_status, l.expires_at AS link_expires_at, l.created_at AS link_created_at,
		l.deactivated_at AS link_deactivated_at, l.livemode AS link_livemode, i.livemode AS inv_livemode, i.id AS inv_id, i.merchant_id AS inv_merchant_id, i.number AS inv_number, i.reference AS inv_reference,
		i.status AS inv_status, i.customer_name AS inv_customer_name, i.customer_email AS inv_customer_email,
		i.customer_phone AS inv_customer_phone, i.customer_address AS inv_customer_address, i.customer_pib AS inv_customer_pib,
		i.customer_mb AS inv_customer_mb, i.currency AS inv_currency,
		i.amount_total AS inv_amount_total, i.amount_vat AS inv_amount_vat, i.amount_paid AS inv_amount_paid,
		i.amount_refunded AS inv_amount_refunded, i.description AS inv_description, i.capture_mode AS inv_capture_mode,
		i.allow_partial AS inv_allow_partial, i.min_first_amount AS inv_min_first_amount,
		i.locale AS inv_locale, i.expires_at AS inv_expires_at, i.created_at AS inv_created_at, i.updated_at AS inv_updated_at,
		i.paid_at AS inv_paid_at, i.cancelled_at AS inv_cancelled_at, i.created_by AS inv_created_by,
		i.success_url AS inv_success_url, i.cancel_url AS inv_cancel_url, i.sent_at AS inv_sent_at,
		i.payment_link_id AS inv_payment_link_id, i.custom_fields AS inv_custom_fields,
		m.auto_return AS m_auto_return, m.return_secret_test AS m_return_secret_test, m.return_secret_live AS m_return_secret_live,
		m.brand_color AS m_brand_color,
		m.name AS merchant_name, m.support_email AS merchant_support_email, m.terms AS merchant_terms,
		m.legal_name AS m_legal_name, m.address AS m_address, m.pib AS m_pib, m.mb AS m_mb, m.ips_enabled AS m_ips_enabled,
		m.ips_account AS m_ips_account, m.ips_payee AS m_ips_payee, m.ips_payment_code AS m_ips_payment_code, m.logo_file AS m_logo_file,
		`+checkoutLinesSQL[s.DB.Dialect]+` AS lines_json
		FROM links l JOIN invoices i ON i.id = l.invoice_id JOIN merchants m ON m.id = l.merchant_id
		WHERE l.token = ?`, token).Scan(&r).Error
	if err != nil {
		return invoices.Checkout{}, fmt.Errorf("store: get checkout: %w", err)
	}
	if r.Link.ID == "" {
		return invoices.Checkout{}, fmt.Errorf("store: get checkout: %w", apperr.ErrNotFound)
	}
	inv := toBusInvoice(r.Inv)
	var lines []checkoutLine
	if err := json.Unmarshal([]byte(r.LinesJSON), &lines); err != nil {
		return invoices.Checkout{}, fmt.Errorf("store: get checkout lines: %w", err)
	}
	inv.Lines = make([]domain.InvoiceLine, len(lines))
	for i, l := range lines {
		inv.Lines[i] = domain.InvoiceLine{Description: l.Description, Quantity: l.Quantity, UnitAmount: l.UnitAmount, VATRateBP: l.VATRateBP}
	}
	link := toBusLink(r.Link)
	inv.Link = &link
	r.Merchant.Name, r.Merchant.SupportEmail, r.Merchant.Terms = r.MerchantName, r.MerchantSupportEmail, r.MerchantTerms
	cm := toCheckoutMerchant(r.Merchant)
	cm.ReturnSecret = r.Merchant.returnSecret(inv.Livemode)
	return invoices.Checkout{Link: link, Invoice: inv, Merchant: cm}, nil
}

// InsertEvents writes events on their own.
func (s *Invoices) InsertEvents(ctx context.Context, events []domain.Event) error {
	return InsertEventsTx(s.DB.conn(ctx), events)
}

// DueInvoices returns up to limit invoices whose status lapses and whose expiry has come.
func (s *Invoices) DueInvoices(ctx context.Context, now time.Time, limit int) ([]domain.Invoice, error) {
	var due []invoiceRow
	// The statuses are spelled out (lapsingInvoiceSQL) so that the partial index
	// invoices_open_expiry serves every plan.
	if err := s.DB.conn(ctx).Where(lapsingInvoiceSQL+" AND expires_at <= ?", now).
		Order("expires_at").Limit(limit).Find(&due).Error; err != nil {
		return nil, fmt.Errorf("store: find due invoices: %w", err)
	}
	out := make([]domain.Invoice, len(due))
	for i, r := range due {
		out[i] = toBusInvoice(r)
	}
	return out, nil
}

// ExpireLinks moves the links in one of the from statuses whose expiry has come to status to.
func (s *Invoices) ExpireLinks(ctx context.Context, now time.Time, from []domain.LinkStatus, to domain.LinkStatus) (int64, error) {
	// The statuses are spelled out (sqlIsOneOf) so that the partial index links_active_expiry
	// serves the closable ones.
	res := s.DB.conn(ctx).Model(&linkRow{}).Where(sqlIsOneOf("status", from)+" AND expires_at <= ?", now).
		Update("status", string(to))
	if res.Error != nil {
		return 0, fmt.Errorf("store: expire links: %w", res.Error)
	}
	if res.RowsAffected > 0 {
		s.DB.checkouts.forgetAll()
	}
	return res.RowsAffected, nil
}

// CheckoutMerchant returns what a payer may see of a merchant.
func (s *Invoices) CheckoutMerchant(ctx context.Context, merchantID string) (invoices.CheckoutMerchant, error) {
	var r merchantRow
	if err := s.DB.conn(ctx).Select("name", "support_email", "terms", "legal_name", "address", "pib", "mb",
		"ips_enabled", "ips_account", "ips_payee", "ips_payment_code", "logo_file", "auto_return", "brand_color").Where("id = ?", merchantID).Take(&r).Error; err != nil {
		return invoices.CheckoutMerchant{}, notFound(err, "checkout merchant")
	}
	return toCheckoutMerchant(r), nil
}

func toCheckoutMerchant(r merchantRow) invoices.CheckoutMerchant {
	return invoices.CheckoutMerchant{Name: r.Name, SupportEmail: r.SupportEmail, Terms: r.Terms, LegalName: r.LegalName,
		Address: r.Address, PIB: r.PIB, MB: r.MB, IPS: invoices.IPSSettings{Enabled: r.IPSEnabled, Account: r.IPSAccount,
			Payee: r.IPSPayee, PaymentCode: r.IPSPaymentCode}, LogoFile: r.LogoFile, AutoReturn: r.AutoReturn, BrandColor: r.BrandColor}
}

// MerchantDefaults returns the settings a new invoice starts from.
func (s *Invoices) MerchantDefaults(ctx context.Context, merchantID string) (invoices.Defaults, error) {
	var r merchantRow
	if err := s.DB.conn(ctx).Select("default_currency", "default_locale", "default_capture_mode", "return_secret_test", "return_secret_live").
		Where("id = ?", merchantID).Take(&r).Error; err != nil {
		return invoices.Defaults{}, notFound(err, "merchant defaults")
	}
	live, _ := domain.ModeOf(ctx)
	return invoices.Defaults{Currency: r.DefaultCurrency, Locale: r.DefaultLocale, CaptureMode: domain.CaptureMode(r.DefaultCaptureMode),
		HasReturnSecret: r.returnSecret(live) != ""}, nil
}

// EnsureReturnSecret sets the merchant's return secret of a mode when it has none.
func (s *Invoices) EnsureReturnSecret(ctx context.Context, merchantID string, livemode bool, secret string) error {
	col := "return_secret_test"
	if livemode {
		col = "return_secret_live"
	}
	err := s.DB.conn(ctx).Model(&merchantRow{}).Where("id = ? AND "+col+" = ''", merchantID).Update(col, secret).Error
	if err != nil {
		return fmt.Errorf("store: ensure return secret: %w", err)
	}
	// The checkout reads the secret with the merchant.
	s.DB.checkouts.forgetAll()
	return nil
}
