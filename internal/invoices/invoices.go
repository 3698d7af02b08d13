// Package invoices holds the business rules of invoices and their payment links: creating, listing,
// cancelling, e-mailing, re-issuing links, expiry, and what a payer may see through a link.
package invoices

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/validate"
)

// Store is the storage this package needs.
type Store interface {
	// CreateInvoice gives the invoice the merchant's next number, then inserts it with its lines,
	// link, the events built for that number and record (the audit entry of its creation; nil for
	// none), in one transaction; it returns the number given. events may be called more than once.
	CreateInvoice(ctx context.Context, inv domain.Invoice, link domain.Link, events func(number string) []domain.Event,
		record *audit.Entry) (string, error)
	GetInvoice(ctx context.Context, merchantID, id string) (domain.Invoice, error)
	ListInvoices(ctx context.Context, merchantID string, f Filter) ([]domain.Invoice, bool, error)
	// Summarise counts the merchant's invoices by status as of now (an open invoice past its expiry
	// counts as expired) and totals what was paid since paidSince, net of refunds, per currency.
	Summarise(ctx context.Context, merchantID string, paidSince, now time.Time) (Summary, error)
	// SetInvoiceStatus moves an invoice from one of the from statuses to to, moving its active link
	// to linkTo when linkTo is not empty, and writes the events, in one transaction. It answers
	// apperr.ErrConflict when the invoice is no longer in any of the from statuses.
	SetInvoiceStatus(ctx context.Context, merchantID, id string, from []domain.InvoiceStatus, to domain.InvoiceStatus, linkTo domain.LinkStatus, at time.Time, events []domain.Event) error
	// ReplaceLink moves the invoice from one of r.From to r.To and its active links to r.OldLinksTo,
	// and inserts r.Link; apperr.ErrConflict when the invoice is in none of r.From.
	ReplaceLink(ctx context.Context, merchantID, invoiceID string, r Relink) error
	// DeactivateLink moves one active link of the merchant to status to (deactivated).
	DeactivateLink(ctx context.Context, merchantID, linkID string, to domain.LinkStatus, at time.Time) (domain.Link, error)
	GetLinkByToken(ctx context.Context, token string) (domain.Link, error)
	// GetCheckout loads a link with its invoice (and lines) and the merchant's public details.
	// It may answer from a cache that lags another replica's writes by up to a second.
	GetCheckout(ctx context.Context, token string) (Checkout, error)
	InsertEvents(ctx context.Context, events []domain.Event) error
	// DueInvoices returns up to limit invoices (without lines or link) whose status lapses
	// (domain.InvoiceStatus.Lapses) and whose expiry is at or before now, the oldest expiry first.
	DueInvoices(ctx context.Context, now time.Time, limit int) ([]domain.Invoice, error)
	// ExpireLinks moves every link in one of the from statuses whose expiry is at or before now to
	// status to, and returns how many it moved.
	ExpireLinks(ctx context.Context, now time.Time, from []domain.LinkStatus, to domain.LinkStatus) (int64, error)
	CheckoutMerchant(ctx context.Context, merchantID string) (CheckoutMerchant, error)
	// MerchantDefaults reads the merchant's defaults; HasReturnSecret is of ctx's mode.
	MerchantDefaults(ctx context.Context, merchantID string) (Defaults, error)
	// EnsureReturnSecret gives the merchant the secret for the mode unless it already has one.
	EnsureReturnSecret(ctx context.Context, merchantID string, livemode bool, secret string) error
}

// Relink is a fresh link for an invoice, with the statuses the use case decided.
type Relink struct {
	From       []domain.InvoiceStatus // the guard: the invoice must still be in one of these
	To         domain.InvoiceStatus
	OldLinksTo domain.LinkStatus // what its active links become
	Link       domain.Link
	At         time.Time
}

// Auditor records who did what.
type Auditor interface {
	Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) error
}

// Filter narrows a list of invoices.
type Filter struct {
	Status     domain.InvoiceStatus
	Query      string // lower-cased; matches customer name, e-mail, number or reference (see IsEmailQuery)
	CreatedGTE *time.Time
	CreatedLTE *time.Time
	// PaymentLinkID lists only the orders of one reusable payment link.
	PaymentLinkID string
	Page          domain.Page
}

// IsEmailQuery tells whether a search term is an e-mail address or the beginning of one
// ("ana@", "ana@example.com"): such a term finds the invoices whose customer e-mail starts with it.
// Any other term, "@example.com" included, is found anywhere in the customer's name or e-mail, the
// number or the reference.
func IsEmailQuery(q string) bool {
	at := strings.IndexByte(q, '@')
	return at > 0 && !strings.ContainsAny(q, " \t")
}

// Summary is a merchant's invoices at a glance: every status with its count, and the money paid
// since a moment.
type Summary struct {
	Counts    map[domain.InvoiceStatus]int64
	PaidSince time.Time
	PaidCount int64
	// PaidTotals are net of refunds, one per currency, ordered by currency.
	PaidTotals []domain.Money
	// AuthorizationsExpiring counts uncaptured authorisations older than domain.AuthorizationExpiringAfter.
	AuthorizationsExpiring int64
}

// Summarise is the merchant's summary with money paid since paidSince (default: the start of the
// current month in UTC).
func (s *Service) Summarise(ctx context.Context, merchantID string, paidSince *time.Time) (Summary, error) {
	now := s.now()
	since := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if paidSince != nil {
		since = paidSince.UTC()
	}
	sum, err := s.Store.Summarise(ctx, merchantID, since, now)
	if err != nil {
		return Summary{}, err
	}
	for _, st := range domain.InvoiceStatuses {
		if _, ok := sum.Counts[st]; !ok {
			sum.Counts[st] = 0
		}
	}
	return sum, nil
}

// Defaults are the merchant settings a new invoice starts from.
type Defaults struct {
	Currency    string
	Locale      string
	CaptureMode domain.CaptureMode
	// HasReturnSecret says whether the merchant has a return secret in the caller's mode.
	HasReturnSecret bool
}

// CheckoutMerchant is what a payer may see of the merchant.
type CheckoutMerchant struct {
	Name         string
	SupportEmail string
	Terms        string
	// The legal identity printed on the invoice PDF.
	LegalName, Address, PIB, MB string
	IPS                         IPSSettings
	// LogoFile names the merchant's logo ("<sha-256>.<ext>"); empty when it has none.
	LogoFile string
	// AutoReturn sends the payer back to the success URL a few seconds after paying.
	AutoReturn bool
	// ReturnSecret signs the return URLs of the invoice's mode (filled for a checkout only).
	ReturnSecret string
	// BrandColor is "#RRGGBB"; empty: the product's own colour.
	BrandColor string
}

// IPSSettings are the merchant's IPS QR settings as an invoice's QR code needs them.
type IPSSettings struct {
	Enabled     bool
	Account     string
	Payee       string
	PaymentCode string
}

// Service is the invoice use cases.
type Service struct {
	Store Store
	// Reminders stores reminders and finds the invoices due for one.
	Reminders ReminderStore
	Audit     Auditor
	// Tx runs an action and its audit row in one transaction.
	Tx      audit.Tx
	BaseURL string
	Now     func() time.Time
	// OnCreated is told of every created invoice (metrics).
	OnCreated func()
	// LiveProvider refuses live invoices of a merchant whose live payments have no provider account
	// to go to (live_provider_missing); nil checks nothing.
	LiveProvider LiveProviderCheck
}

// LiveProviderCheck tells whether a merchant can take live payments.
type LiveProviderCheck interface {
	LiveReady(ctx context.Context, merchantID string) error
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// LinkURL is the checkout address of a link token.
func (s *Service) LinkURL(token string) string {
	return strings.TrimRight(s.BaseURL, "/") + "/pay/" + token
}

// NewLine is one line of NewInvoice; VATRate is in percent.
type NewLine struct {
	Description string
	Quantity    int64
	UnitAmount  int64
	VATRate     float64
}

// NewInvoice is the input of Create. Empty fields take the merchant's defaults.
type NewInvoice struct {
	Customer    domain.Customer
	Currency    string
	Lines       []NewLine
	Description string
	Reference   string
	CaptureMode string
	ExpiresAt   *time.Time
	Locale      string
	SendEmail   bool
	// AllowPartial lets the payer pay in parts, the first at least MinFirstAmount (0: any).
	AllowPartial   bool
	MinFirstAmount int64
	// SuccessURL and CancelURL are where the payer goes back to (see validate.ReturnURL).
	SuccessURL, CancelURL string
	// PaymentLinkID names the reusable payment link an order comes from, with the payer's answers
	// to its custom fields (set by the paymentlinks use case, never by a merchant's request).
	PaymentLinkID string
	CustomFields  []domain.CustomFieldAnswer
}

// Create validates and stores a new invoice with its first link.
func (s *Service) Create(ctx context.Context, actor domain.Actor, in NewInvoice) (domain.Invoice, error) {
	now := s.now()
	def, err := s.Store.MerchantDefaults(ctx, actor.MerchantID)
	if err != nil {
		return domain.Invoice{}, err
	}
	inv, err := buildInvoice(in, def, now)
	if err != nil {
		return domain.Invoice{}, err
	}
	if actor.Livemode && s.LiveProvider != nil {
		if err := s.LiveProvider.LiveReady(ctx, actor.MerchantID); err != nil {
			return domain.Invoice{}, err
		}
	}
	inv.ID = domain.NewID(domain.PrefixInvoice)
	inv.PaymentLinkID, inv.CustomFields = in.PaymentLinkID, in.CustomFields
	inv.MerchantID = actor.MerchantID
	inv.Livemode = actor.Livemode
	inv.CreatedBy = actor.Label()
	link := s.newLink(inv, now)
	// The number is given by the store inside the transaction; events carry it, so they are built after.
	events := func(number string) []domain.Event {
		inv.Number = number
		data := inv.EventData(s.LinkURL(link.Token))
		evs := []domain.Event{domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoiceCreated, inv.ID, data, true)}
		if in.SendEmail {
			data.EmailID = domain.NewID(domain.PrefixEmail)
			evs = append(evs, domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoiceLinkRequested, inv.ID, data, false))
		}
		return evs
	}
	if in.SendEmail {
		inv.SentAt = &now
	}
	// The audit entry goes in the store's transaction with the invoice, so that a merchant's
	// creations can share one (see the store).
	record := audit.NewEntry(actor, "invoice.created", inv.ID, map[string]any{"amount_total": inv.AmountTotal, "currency": inv.Currency})
	create := func(ctx context.Context) error {
		number, err := s.Store.CreateInvoice(ctx, inv, link, events, &record)
		inv.Number = number
		return err
	}
	// A return URL is signed: the merchant gets a secret with its first one (shown when rotated).
	if (inv.SuccessURL != "" || inv.CancelURL != "") && !def.HasReturnSecret {
		err = s.Tx.Run(ctx, func(ctx context.Context) error {
			if err := s.Store.EnsureReturnSecret(ctx, inv.MerchantID, inv.Livemode, domain.NewReturnSecret()); err != nil {
				return err
			}
			return create(ctx)
		})
	} else {
		err = create(ctx)
	}
	if err != nil {
		return domain.Invoice{}, err
	}
	inv.Link = &link
	if s.OnCreated != nil {
		s.OnCreated()
	}
	return inv, nil
}

func (s *Service) newLink(inv domain.Invoice, now time.Time) domain.Link {
	return domain.Link{ID: domain.NewID(domain.PrefixLink), InvoiceID: inv.ID, MerchantID: inv.MerchantID, Livemode: inv.Livemode,
		Token: domain.NewToken(domain.LinkTokenBytes), Status: domain.LinkActive, ExpiresAt: inv.ExpiresAt, CreatedAt: now}
}

// buildInvoice validates the input and computes the totals.
func buildInvoice(in NewInvoice, def Defaults, now time.Time) (domain.Invoice, error) {
	inv := domain.Invoice{Status: domain.InvoiceOpen, CreatedAt: now, UpdatedAt: now}
	c := in.Customer
	c.Name = strings.TrimSpace(c.Name)
	c.Phone = strings.TrimSpace(c.Phone)
	c.Address = strings.TrimSpace(c.Address)
	if err := validate.Text("customer.name", c.Name, 1, 200); err != nil {
		return inv, err
	}
	email, err := validate.Email("customer.email", c.Email)
	if err != nil {
		return inv, err
	}
	c.Email = email
	if err := validate.Phone("customer.phone", c.Phone); err != nil {
		return inv, err
	}
	if err := validate.Text("customer.address", c.Address, 0, 500); err != nil {
		return inv, err
	}
	if c.PIB, err = validate.PIB("customer.pib", c.PIB); err != nil {
		return inv, err
	}
	if c.MB, err = validate.MB("customer.mb", c.MB); err != nil {
		return inv, err
	}
	inv.Customer = c

	inv.Currency = def.Currency
	if in.Currency != "" {
		cur, ok := domain.NormalizeCurrency(in.Currency)
		if !ok {
			return inv, apperr.Invalid("currency", "invalid_currency", "currency must be a supported ISO 4217 code such as RSD, EUR or USD.")
		}
		inv.Currency = cur
	}

	if len(in.Lines) == 0 {
		return inv, apperr.Invalid("lines", "missing", "An invoice needs at least one line.")
	}
	if len(in.Lines) > domain.MaxInvoiceLines {
		return inv, apperr.Invalid("lines", "too_many", "An invoice may have at most %d lines.", domain.MaxInvoiceLines)
	}
	for i, l := range in.Lines {
		line, err := buildLine(i, l)
		if err != nil {
			return inv, err
		}
		inv.Lines = append(inv.Lines, line)
	}
	total, vat, ok := domain.InvoiceTotals(inv.Lines)
	if !ok {
		return inv, apperr.Invalid("lines", "amount_out_of_range", "The invoice total must be between %d and %d minor units.", domain.MinAmount, domain.MaxAmount)
	}
	inv.AmountTotal, inv.AmountVAT = total, vat

	inv.Description = strings.TrimSpace(in.Description)
	if err := validate.Text("description", inv.Description, 0, 1000); err != nil {
		return inv, err
	}
	inv.Reference = strings.TrimSpace(in.Reference)
	if err := validate.Text("reference", inv.Reference, 0, 100); err != nil {
		return inv, err
	}

	inv.CaptureMode = def.CaptureMode
	if in.CaptureMode != "" {
		inv.CaptureMode = domain.CaptureMode(in.CaptureMode)
		if !inv.CaptureMode.Valid() {
			return inv, apperr.Invalid("capture_mode", "invalid_capture_mode", "capture_mode must be automatic or manual.")
		}
	}
	if err := checkParts(&inv, in); err != nil {
		return inv, err
	}
	inv.Locale = def.Locale
	if in.Locale != "" {
		if !domain.ValidLocale(in.Locale) {
			return inv, apperr.Invalid("locale", "invalid_locale", "locale must be sr-Latn, sr-Cyrl or en.")
		}
		inv.Locale = in.Locale
	}
	inv.ExpiresAt = now.Add(domain.DefaultLinkTTL)
	if in.ExpiresAt != nil {
		e := in.ExpiresAt.UTC().Truncate(time.Microsecond)
		if err := checkExpiry(e, now); err != nil {
			return inv, err
		}
		inv.ExpiresAt = e
	}
	if inv.SuccessURL, err = validate.ReturnURL("success_url", in.SuccessURL); err != nil {
		return inv, err
	}
	if inv.CancelURL, err = validate.ReturnURL("cancel_url", in.CancelURL); err != nil {
		return inv, err
	}
	return inv, nil
}

// checkParts sets whether the invoice may be paid in parts. Parts are sales: an authorisation held
// for a part would keep the invoice from taking the next one.
func checkParts(inv *domain.Invoice, in NewInvoice) error {
	if !in.AllowPartial {
		if in.MinFirstAmount != 0 {
			return apperr.Unprocessable("min_first_amount", "partial_payment_not_allowed", "min_first_amount applies only with allow_partial: true.")
		}
		return nil
	}
	if inv.CaptureMode != domain.CaptureAutomatic {
		return apperr.Unprocessable("allow_partial", "partial_payment_not_allowed", "An invoice paid in parts captures each part at once: use capture_mode automatic.")
	}
	if in.MinFirstAmount < 0 || in.MinFirstAmount > inv.AmountTotal {
		return apperr.Unprocessable("min_first_amount", "amount_out_of_range", "min_first_amount must be between 0 (any amount) and %d, the invoice total.", inv.AmountTotal)
	}
	inv.AllowPartial, inv.MinFirstAmount = true, in.MinFirstAmount
	return nil
}

func checkExpiry(e, now time.Time) error {
	if !e.After(now.Add(time.Minute)) {
		return apperr.Invalid("expires_at", "invalid_expiry", "expires_at must be at least a minute in the future.")
	}
	if e.After(now.Add(domain.MaxLinkTTL)) {
		return apperr.Invalid("expires_at", "invalid_expiry", "expires_at may be at most 366 days ahead.")
	}
	return nil
}

// BuildLine validates line i of a new invoice (or reusable link), naming its fields lines[i].….
func BuildLine(i int, l NewLine) (domain.InvoiceLine, error) { return buildLine(i, l) }

// CheckExpiry validates an expiry chosen by the merchant: at least a minute ahead, at most 366 days.
func CheckExpiry(e, now time.Time) error { return checkExpiry(e, now) }

func buildLine(i int, l NewLine) (domain.InvoiceLine, error) {
	p := func(f string) string { return "lines[" + strconv.Itoa(i) + "]." + f }
	d := strings.TrimSpace(l.Description)
	if err := validate.Text(p("description"), d, 1, 500); err != nil {
		return domain.InvoiceLine{}, err
	}
	if l.Quantity < 1 || l.Quantity > domain.MaxQuantity {
		return domain.InvoiceLine{}, apperr.Invalid(p("quantity"), "invalid_quantity", "quantity must be a whole number from 1 to %d.", domain.MaxQuantity)
	}
	if !domain.ValidAmount(l.UnitAmount) {
		return domain.InvoiceLine{}, apperr.Invalid(p("unit_amount"), "amount_out_of_range", "unit_amount must be between %d and %d minor units.", domain.MinAmount, domain.MaxAmount)
	}
	bp := math.Round(l.VATRate * 100)
	if math.IsNaN(l.VATRate) || l.VATRate < 0 || l.VATRate > 100 || math.Abs(bp-l.VATRate*100) > 1e-6 {
		return domain.InvoiceLine{}, apperr.Invalid(p("vat_rate"), "invalid_vat_rate", "vat_rate must be a percentage from 0 to 100 with at most two decimals.")
	}
	return domain.InvoiceLine{Description: d, Quantity: l.Quantity, UnitAmount: l.UnitAmount, VATRateBP: int64(bp)}, nil
}

// Get returns one of the merchant's invoices with its current link.
func (s *Service) Get(ctx context.Context, merchantID, id string) (domain.Invoice, error) {
	inv, err := s.Store.GetInvoice(ctx, merchantID, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return domain.Invoice{}, apperr.NotFound("invoice")
	}
	if err != nil {
		return domain.Invoice{}, err
	}
	return s.withEffectiveStatus(inv), nil
}

func (s *Service) withEffectiveStatus(inv domain.Invoice) domain.Invoice {
	now := s.now()
	inv.Status = inv.EffectiveStatus(now)
	if inv.Link != nil {
		inv.Link.Status = inv.Link.EffectiveStatus(now)
	}
	return inv
}

// List returns a page of the merchant's invoices, newest first.
func (s *Service) List(ctx context.Context, merchantID string, f Filter) ([]domain.Invoice, bool, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, false, apperr.Invalid("status", "invalid_status", "status must be one of open, processing, authorized, paid, partially_paid, partially_refunded, refunded, cancelled, expired.")
	}
	if len(f.PaymentLinkID) > 64 {
		return nil, false, apperr.Invalid("payment_link", "invalid_id", "payment_link must be the id of a payment link.")
	}
	f.Query = strings.ToLower(strings.TrimSpace(f.Query))
	if err := validate.Text("q", f.Query, 0, 200); err != nil {
		return nil, false, err
	}
	list, more, err := s.Store.ListInvoices(ctx, merchantID, f)
	if err != nil {
		return nil, false, err
	}
	for i := range list {
		list[i] = s.withEffectiveStatus(list[i])
	}
	return list, more, nil
}

// Cancel cancels an unpaid invoice and deactivates its link.
func (s *Service) Cancel(ctx context.Context, actor domain.Actor, id string) (domain.Invoice, error) {
	inv, err := s.Get(ctx, actor.MerchantID, id)
	if err != nil {
		return domain.Invoice{}, err
	}
	if !inv.Status.Cancellable() {
		return domain.Invoice{}, apperr.InvalidState("An invoice in status %s cannot be cancelled.", inv.Status)
	}
	now := s.now()
	from := inv.Status
	if inv.Status, err = inv.Status.To(domain.InvoiceCancelled); err != nil {
		return domain.Invoice{}, apperr.InvalidState("An invoice in status %s cannot be cancelled.", inv.Status)
	}
	linkTo, err := domain.LinkActive.To(domain.LinkDeactivated)
	if err != nil {
		return domain.Invoice{}, apperr.Internal(err)
	}
	inv.CancelledAt = &now
	ev := domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoiceCancelled, inv.ID, inv.EventData(""), true)
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		err := s.Store.SetInvoiceStatus(ctx, actor.MerchantID, id, []domain.InvoiceStatus{from}, inv.Status, linkTo, now, []domain.Event{ev})
		if err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "invoice.cancelled", id, nil)
	})
	if errors.Is(err, apperr.ErrConflict) {
		return domain.Invoice{}, apperr.InvalidState("The invoice changed meanwhile (a payment may be in progress); it was not cancelled.")
	}
	if err != nil {
		return domain.Invoice{}, err
	}
	return s.Get(ctx, actor.MerchantID, id)
}

// Send queues the e-mail with the payment link to the customer; it returns the e-mail's id.
func (s *Service) Send(ctx context.Context, actor domain.Actor, id string) (string, error) {
	inv, err := s.Get(ctx, actor.MerchantID, id)
	if err != nil {
		return "", err
	}
	if !inv.Status.Payable() || inv.Link == nil || inv.Link.Status != domain.LinkActive {
		return "", apperr.InvalidState("Only an open invoice with an active link can be sent; this one is %s.", inv.Status)
	}
	data := inv.EventData(s.LinkURL(inv.Link.Token))
	data.EmailID = domain.NewID(domain.PrefixEmail)
	ev := domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoiceLinkRequested, inv.ID, data, false)
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.InsertEvents(ctx, []domain.Event{ev}); err != nil {
			return err
		}
		// "N days after the link was sent" counts from the first sending.
		if err := s.Reminders.MarkSent(ctx, inv.MerchantID, id, s.now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "invoice.sent", id, map[string]any{"to": inv.Customer.Email})
	})
	if err != nil {
		return "", err
	}
	return data.EmailID, nil
}

// NewLink issues a fresh link for an unpaid invoice; the old one is deactivated.
func (s *Service) NewLink(ctx context.Context, actor domain.Actor, id string, expiresAt *time.Time) (domain.Link, error) {
	inv, err := s.Get(ctx, actor.MerchantID, id)
	if err != nil {
		return domain.Link{}, err
	}
	now := s.now()
	// A fresh link may also revive an invoice whose link expired: it keeps the invoice open longer.
	if !inv.Status.Relinkable() {
		return domain.Link{}, apperr.InvalidState("A fresh link can only be issued for an unpaid invoice; this one is %s.", inv.Status)
	}
	if inv.Status == domain.InvoiceExpired && inv.Link != nil && inv.Link.Status != domain.LinkExpired {
		return domain.Link{}, apperr.InvalidState("This invoice cannot be paid any more.")
	}
	inv.ExpiresAt = now.Add(domain.DefaultLinkTTL)
	if expiresAt != nil {
		e := expiresAt.UTC().Truncate(time.Microsecond)
		if err := checkExpiry(e, now); err != nil {
			return domain.Link{}, err
		}
		inv.ExpiresAt = e
	}
	to, err := inv.Status.Reopened()
	if err != nil {
		return domain.Link{}, apperr.InvalidState("A fresh link can only be issued for an unpaid invoice; this one is %s.", inv.Status)
	}
	oldLinksTo, err := domain.LinkActive.To(domain.LinkDeactivated)
	if err != nil {
		return domain.Link{}, apperr.Internal(err)
	}
	link := s.newLink(inv, now)
	// The guard is every status a fresh link reopens: the stored status of an invoice read as
	// expired may still be open.
	relink := Relink{From: domain.InvoiceStatusesWhere(domain.InvoiceStatus.Relinkable), To: to, OldLinksTo: oldLinksTo, Link: link, At: now}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.ReplaceLink(ctx, actor.MerchantID, id, relink); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "link.created", link.ID, map[string]any{"invoice": id})
	})
	if errors.Is(err, apperr.ErrConflict) {
		return domain.Link{}, apperr.InvalidState("The invoice changed meanwhile; no link was issued.")
	}
	if err != nil {
		return domain.Link{}, err
	}
	return link, nil
}

// DeactivateLink turns a link off; the invoice stays open for a fresh link.
func (s *Service) DeactivateLink(ctx context.Context, actor domain.Actor, linkID string) (domain.Link, error) {
	to, err := domain.LinkActive.To(domain.LinkDeactivated)
	if err != nil {
		return domain.Link{}, apperr.Internal(err)
	}
	var l domain.Link
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		var err error
		if l, err = s.Store.DeactivateLink(ctx, actor.MerchantID, linkID, to, s.now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "link.deactivated", linkID, nil)
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return domain.Link{}, apperr.NotFound("link")
	}
	if errors.Is(err, apperr.ErrConflict) {
		return domain.Link{}, apperr.InvalidState("Only an active link can be deactivated.")
	}
	if err != nil {
		return domain.Link{}, err
	}
	return l, nil
}

// expireBatch is how many due invoices one step of the sweep reads.
const expireBatch = 200

// ExpireDue is the background sweep: it writes the expiry of invoices and links past due, each
// invoice in its own transaction with its invoice.expired event; it returns how many invoices it
// expired.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.expireInvoices(ctx, s.now())
		total += n
		if err != nil {
			return total, err
		}
		if n < expireBatch {
			break
		}
	}
	linkTo, err := domain.LinkActive.To(domain.LinkExpired)
	if err != nil {
		return total, err
	}
	_, err = s.Store.ExpireLinks(ctx, s.now(), domain.LinkStatusesWhere(domain.LinkStatus.Closable), linkTo)
	return total, err
}

// expireInvoices expires one batch of due invoices and returns how many it expired.
func (s *Service) expireInvoices(ctx context.Context, now time.Time) (int, error) {
	due, err := s.Store.DueInvoices(ctx, now, expireBatch)
	if err != nil {
		return 0, err
	}
	linkTo, err := domain.LinkActive.To(domain.LinkExpired)
	if err != nil {
		return 0, err
	}
	expired := 0
	for _, inv := range due {
		from := inv.Status
		if inv.Status, err = from.To(domain.InvoiceExpired); err != nil {
			return expired, err
		}
		ev := domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoiceExpired, inv.ID, inv.EventData(""), true)
		err := s.Store.SetInvoiceStatus(ctx, inv.MerchantID, inv.ID, []domain.InvoiceStatus{from}, inv.Status, linkTo, now, []domain.Event{ev})
		switch {
		case err == nil:
			expired++
		case errors.Is(err, apperr.ErrConflict):
			// Another replica expired it, or a payer started paying just now: nothing to do.
		default:
			return expired, err
		}
	}
	return expired, nil
}

// Checkout is what a payer sees through a link.
type Checkout struct {
	Link     domain.Link
	Invoice  domain.Invoice
	Merchant CheckoutMerchant
}

// ResolveLink finds the link and invoice behind a token, with statuses as of now. A change made
// through another replica may show up to a second late (see store.CheckoutCacheTTL).
func (s *Service) ResolveLink(ctx context.Context, token string) (Checkout, error) {
	if token == "" || len(token) > 100 {
		return Checkout{}, apperr.NotFound("payment link")
	}
	co, err := s.Store.GetCheckout(ctx, token)
	if errors.Is(err, apperr.ErrNotFound) {
		return Checkout{}, apperr.NotFound("payment link")
	}
	if err != nil {
		return Checkout{}, err
	}
	now := s.now()
	co.Link.Status = co.Link.EffectiveStatus(now)
	co.Invoice.Status = co.Invoice.EffectiveStatus(now)
	return co, nil
}
