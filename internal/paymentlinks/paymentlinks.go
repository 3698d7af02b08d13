// Package paymentlinks holds the business rules of reusable payment links: one link a merchant
// shares with many payers (a product, a service, a donation), each payer's order becoming an
// ordinary invoice that names the link and is paid through the invoice checkout.
package paymentlinks

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/validate"
)

// Store is the storage this package needs. Links are read with their order counts (Stats).
type Store interface {
	CreatePaymentLink(ctx context.Context, l domain.PaymentLink) error
	GetPaymentLink(ctx context.Context, merchantID, id string) (domain.PaymentLink, error)
	ListPaymentLinks(ctx context.Context, merchantID string, f Filter) ([]domain.PaymentLink, bool, error)
	// UpdatePaymentLink writes l's title, description, max_payments, expires_at, status, ended_at and
	// updated_at only while the stored link is still as it was read (status from, updated_at
	// readAt); apperr.ErrConflict otherwise, apperr.ErrNotFound when there is no such link.
	UpdatePaymentLink(ctx context.Context, l domain.PaymentLink, from domain.PaymentLinkStatus, readAt time.Time) error
	// GetPaymentLinkByToken finds a link of any merchant and mode by its token.
	GetPaymentLinkByToken(ctx context.Context, token string) (domain.PaymentLink, error)
	// MerchantDefaults reads the merchant's defaults.
	MerchantDefaults(ctx context.Context, merchantID string) (invoices.Defaults, error)
	// CheckoutMerchant is what a payer may see of the merchant.
	CheckoutMerchant(ctx context.Context, merchantID string) (invoices.CheckoutMerchant, error)
}

// Orders creates the invoice of an order (the invoices use case).
type Orders interface {
	Create(ctx context.Context, actor domain.Actor, in invoices.NewInvoice) (domain.Invoice, error)
}

// Auditor records who did what.
type Auditor interface {
	Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) error
}

// Filter narrows a list of links.
type Filter struct {
	Status domain.PaymentLinkStatus
	Page   domain.Page
}

// Service is the reusable payment link use cases.
type Service struct {
	Store   Store
	Orders  Orders
	Audit   Auditor
	Tx      audit.Tx
	BaseURL string
	Now     func() time.Time
	// LiveProvider refuses live links of a merchant without a live provider account; nil checks nothing.
	LiveProvider invoices.LiveProviderCheck
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// URL is the checkout address of a reusable link's token.
func (s *Service) URL(token string) string {
	return strings.TrimRight(s.BaseURL, "/") + "/pay/l/" + token
}

// Availability is what a payer finds through l now.
func (s *Service) Availability(l domain.PaymentLink) domain.PaymentLinkAvailability {
	return l.Availability(s.now())
}

// Quantity is the payer's adjustable quantity of a fixed price; nil when the quantity is fixed.
type Quantity struct {
	Enabled  bool
	Min, Max int64
}

// NewPaymentLink is the input of Create. Empty currency, locale and capture mode take the
// merchant's defaults.
type NewPaymentLink struct {
	Title, Description string
	Currency           string
	Pricing            string
	Lines              []invoices.NewLine
	AdjustableQuantity *Quantity
	AmountMin          int64
	AmountMax          int64
	AmountSuggested    int64
	MaxPayments        int64
	ExpiresAt          *time.Time
	// CollectEmail false is refused: the receipt goes to the payer's e-mail.
	CollectName, CollectPhone, CollectAddress bool
	CollectEmail                              *bool
	CustomFields                              []domain.CustomField
	Locale, CaptureMode                       string
	SuccessURL, CancelURL                     string
}

var fieldKey = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// Create validates and stores a new reusable link.
func (s *Service) Create(ctx context.Context, actor domain.Actor, in NewPaymentLink) (domain.PaymentLink, error) {
	now := s.now()
	def, err := s.Store.MerchantDefaults(ctx, actor.MerchantID)
	if err != nil {
		return domain.PaymentLink{}, err
	}
	l, err := build(in, def, now)
	if err != nil {
		return domain.PaymentLink{}, err
	}
	if actor.Livemode && s.LiveProvider != nil {
		if err := s.LiveProvider.LiveReady(ctx, actor.MerchantID); err != nil {
			return domain.PaymentLink{}, err
		}
	}
	l.ID = domain.NewID(domain.PrefixPaymentLink)
	l.MerchantID, l.Livemode, l.CreatedBy = actor.MerchantID, actor.Livemode, actor.Label()
	l.Token = domain.NewToken(domain.LinkTokenBytes)
	l.Status = domain.PaymentLinkActive
	l.CreatedAt, l.UpdatedAt = now, now
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.CreatePaymentLink(ctx, l); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "payment_link.created", l.ID, map[string]any{"title": l.Title, "pricing": string(l.Pricing)})
	})
	if err != nil {
		return domain.PaymentLink{}, err
	}
	return l, nil
}

// build validates the input of Create.
func build(in NewPaymentLink, def invoices.Defaults, now time.Time) (domain.PaymentLink, error) {
	var l domain.PaymentLink
	l.Title = strings.TrimSpace(in.Title)
	if err := validate.Text("title", l.Title, 1, domain.MaxPaymentLinkTitle); err != nil {
		return l, err
	}
	l.Description = strings.TrimSpace(in.Description)
	if err := validate.Text("description", l.Description, 0, 1000); err != nil {
		return l, err
	}
	l.Currency = def.Currency
	if in.Currency != "" {
		cur, ok := domain.NormalizeCurrency(in.Currency)
		if !ok {
			return l, apperr.Invalid("currency", "invalid_currency", "currency must be a supported ISO 4217 code such as RSD, EUR or USD.")
		}
		l.Currency = cur
	}
	l.Pricing = domain.PricingFixed
	if in.Pricing != "" {
		l.Pricing = domain.Pricing(in.Pricing)
	}
	if err := checkPricing(&l, in); err != nil {
		return l, err
	}
	if in.MaxPayments < 0 || in.MaxPayments > domain.MaxPaymentsPerLink {
		return l, apperr.Invalid("max_payments", "invalid_max_payments", "max_payments must be from 1 to %d, or null for no limit.", domain.MaxPaymentsPerLink)
	}
	l.MaxPayments = in.MaxPayments
	if in.ExpiresAt != nil {
		e := in.ExpiresAt.UTC().Truncate(time.Microsecond)
		if err := invoices.CheckExpiry(e, now); err != nil {
			return l, err
		}
		l.ExpiresAt = &e
	}
	if in.CollectEmail != nil && !*in.CollectEmail {
		return l, apperr.Invalid("collect.email", "email_required", "The payer's e-mail is always collected: the receipt goes there.")
	}
	l.Collect = domain.Collect{Name: in.CollectName, Phone: in.CollectPhone, Address: in.CollectAddress}
	if len(in.CustomFields) > domain.MaxCustomFields {
		return l, apperr.Invalid("custom_fields", "too_many", "A payment link may ask for at most %d custom fields.", domain.MaxCustomFields)
	}
	seen := map[string]bool{}
	for i, f := range in.CustomFields {
		p := "custom_fields[" + strconv.Itoa(i) + "]."
		if !fieldKey.MatchString(f.Key) {
			return l, apperr.Invalid(p+"key", "invalid_key", "A custom field's key is 1 to 40 of a-z, 0-9 and _.")
		}
		if seen[f.Key] {
			return l, apperr.Invalid(p+"key", "duplicate_key", "Two custom fields have the key %s.", f.Key)
		}
		seen[f.Key] = true
		f.Label = strings.TrimSpace(f.Label)
		if err := validate.Text(p+"label", f.Label, 1, domain.MaxCustomFieldLabel); err != nil {
			return l, err
		}
		l.CustomFields = append(l.CustomFields, f)
	}
	l.Locale = def.Locale
	if in.Locale != "" {
		if !domain.ValidLocale(in.Locale) {
			return l, apperr.Invalid("locale", "invalid_locale", "locale must be sr-Latn, sr-Cyrl or en.")
		}
		l.Locale = in.Locale
	}
	l.CaptureMode = def.CaptureMode
	if in.CaptureMode != "" {
		l.CaptureMode = domain.CaptureMode(in.CaptureMode)
		if !l.CaptureMode.Valid() {
			return l, apperr.Invalid("capture_mode", "invalid_capture_mode", "capture_mode must be automatic or manual.")
		}
	}
	var err error
	if l.SuccessURL, err = validate.ReturnURL("success_url", in.SuccessURL); err != nil {
		return l, err
	}
	if l.CancelURL, err = validate.ReturnURL("cancel_url", in.CancelURL); err != nil {
		return l, err
	}
	return l, nil
}

// checkPricing validates the price: fixed lines with an optional quantity range, or a custom
// amount range; the fields of the other pricing must be left out.
func checkPricing(l *domain.PaymentLink, in NewPaymentLink) error {
	switch l.Pricing {
	case domain.PricingFixed:
		if in.AmountMin != 0 || in.AmountMax != 0 || in.AmountSuggested != 0 {
			param := "amount_min"
			if in.AmountMin == 0 {
				param = "amount_max"
				if in.AmountMax == 0 {
					param = "amount_suggested"
				}
			}
			return apperr.Invalid(param, "not_allowed", "%s applies only to pricing custom.", param)
		}
		if len(in.Lines) == 0 {
			return apperr.Invalid("lines", "missing", "A fixed price needs at least one line.")
		}
		if len(in.Lines) > domain.MaxPaymentLinkLines {
			return apperr.Invalid("lines", "too_many", "A payment link may have at most %d lines.", domain.MaxPaymentLinkLines)
		}
		for i, nl := range in.Lines {
			line, err := invoices.BuildLine(i, nl)
			if err != nil {
				return err
			}
			l.Lines = append(l.Lines, line)
		}
		total, _, ok := domain.InvoiceTotals(l.Lines)
		if !ok {
			return apperr.Invalid("lines", "amount_out_of_range", "The total must be between %d and %d minor units.", domain.MinAmount, domain.MaxAmount)
		}
		if q := in.AdjustableQuantity; q != nil && q.Enabled {
			if q.Min < 1 || q.Min > domain.MaxLinkQuantity {
				return apperr.Invalid("adjustable_quantity.min", "invalid_quantity", "adjustable_quantity.min must be from 1 to %d.", domain.MaxLinkQuantity)
			}
			if q.Max < q.Min || q.Max > domain.MaxLinkQuantity {
				return apperr.Invalid("adjustable_quantity.max", "invalid_quantity", "adjustable_quantity.max must be from min to %d.", domain.MaxLinkQuantity)
			}
			if total > domain.MaxAmount/q.Max {
				return apperr.Invalid("adjustable_quantity.max", "amount_out_of_range", "The total times adjustable_quantity.max must stay within %d minor units.", domain.MaxAmount)
			}
			for _, line := range l.Lines {
				if line.Quantity*q.Max > domain.MaxQuantity {
					return apperr.Invalid("adjustable_quantity.max", "invalid_quantity", "A line's quantity times adjustable_quantity.max must stay within %d.", domain.MaxQuantity)
				}
			}
			l.QuantityMin, l.QuantityMax = q.Min, q.Max
		}
		return nil
	case domain.PricingCustom:
		if len(in.Lines) > 0 {
			return apperr.Invalid("lines", "not_allowed", "lines apply only to pricing fixed; a custom price is one amount the payer chooses.")
		}
		if in.AdjustableQuantity != nil && in.AdjustableQuantity.Enabled {
			return apperr.Invalid("adjustable_quantity", "not_allowed", "adjustable_quantity applies only to pricing fixed.")
		}
		if !domain.ValidAmount(in.AmountMin) {
			return apperr.Invalid("amount_min", "amount_out_of_range", "amount_min must be between %d and %d minor units.", domain.MinAmount, domain.MaxAmount)
		}
		if !domain.ValidAmount(in.AmountMax) || in.AmountMax < in.AmountMin {
			return apperr.Invalid("amount_max", "amount_out_of_range", "amount_max must be at least amount_min and at most %d minor units.", domain.MaxAmount)
		}
		if in.AmountSuggested != 0 && (in.AmountSuggested < in.AmountMin || in.AmountSuggested > in.AmountMax) {
			return apperr.Invalid("amount_suggested", "amount_out_of_range", "amount_suggested must be 0 (none) or between amount_min and amount_max.")
		}
		l.AmountMin, l.AmountMax, l.AmountSuggested = in.AmountMin, in.AmountMax, in.AmountSuggested
		return nil
	}
	return apperr.Invalid("pricing", "invalid_pricing", "pricing must be fixed or custom.")
}

// Get returns one of the merchant's links with its order counts.
func (s *Service) Get(ctx context.Context, merchantID, id string) (domain.PaymentLink, error) {
	l, err := s.Store.GetPaymentLink(ctx, merchantID, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return domain.PaymentLink{}, apperr.NotFound("payment link")
	}
	return l, err
}

// List returns a page of the merchant's links, newest first.
func (s *Service) List(ctx context.Context, merchantID string, f Filter) ([]domain.PaymentLink, bool, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, false, apperr.Invalid("status", "invalid_status", "status must be one of active, paused, ended.")
	}
	return s.Store.ListPaymentLinks(ctx, merchantID, f)
}

// Update is a merchant's change to a link; nil fields stay as they are.
type Update struct {
	Title, Description *string
	// MaxPayments 0 removes the limit.
	MaxPayments *int64
	// ExpiresAt: a time sets the end date; ClearExpiry removes it.
	ExpiresAt   *time.Time
	ClearExpiry bool
	Status      *string
}

// Update changes a link: its texts, limits, or status (pause, resume, end). An ended link is final.
func (s *Service) Update(ctx context.Context, actor domain.Actor, id string, u Update) (domain.PaymentLink, error) {
	l, err := s.Get(ctx, actor.MerchantID, id)
	if err != nil {
		return domain.PaymentLink{}, err
	}
	from, readAt := l.Status, l.UpdatedAt
	now := s.now()
	changed := map[string]any{}
	if u.Status != nil {
		next := domain.PaymentLinkStatus(*u.Status)
		if !next.Valid() {
			return domain.PaymentLink{}, apperr.Invalid("status", "invalid_status", "status must be active, paused or ended.")
		}
		if !l.Status.CanTransition(next) {
			return domain.PaymentLink{}, apperr.InvalidState("This payment link has ended; it cannot be changed.")
		}
		if next != l.Status {
			changed["status"] = string(next)
		}
		l.Status = next
		if next == domain.PaymentLinkEnded {
			l.EndedAt = &now
		}
	} else if l.Status == domain.PaymentLinkEnded {
		return domain.PaymentLink{}, apperr.InvalidState("This payment link has ended; it cannot be changed.")
	}
	if u.Title != nil {
		t := strings.TrimSpace(*u.Title)
		if err := validate.Text("title", t, 1, domain.MaxPaymentLinkTitle); err != nil {
			return domain.PaymentLink{}, err
		}
		l.Title, changed["title"] = t, t
	}
	if u.Description != nil {
		d := strings.TrimSpace(*u.Description)
		if err := validate.Text("description", d, 0, 1000); err != nil {
			return domain.PaymentLink{}, err
		}
		l.Description, changed["description"] = d, true
	}
	if u.MaxPayments != nil {
		if *u.MaxPayments < 0 || *u.MaxPayments > domain.MaxPaymentsPerLink {
			return domain.PaymentLink{}, apperr.Invalid("max_payments", "invalid_max_payments", "max_payments must be from 1 to %d, or 0 for no limit.", domain.MaxPaymentsPerLink)
		}
		l.MaxPayments, changed["max_payments"] = *u.MaxPayments, *u.MaxPayments
	}
	if u.ClearExpiry {
		l.ExpiresAt, changed["expires_at"] = nil, nil
	} else if u.ExpiresAt != nil {
		e := u.ExpiresAt.UTC().Truncate(time.Microsecond)
		if err := invoices.CheckExpiry(e, now); err != nil {
			return domain.PaymentLink{}, err
		}
		l.ExpiresAt, changed["expires_at"] = &e, e
	}
	l.UpdatedAt = now
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.UpdatePaymentLink(ctx, l, from, readAt); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "payment_link.updated", l.ID, changed)
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return domain.PaymentLink{}, apperr.NotFound("payment link")
	}
	if errors.Is(err, apperr.ErrConflict) {
		return domain.PaymentLink{}, apperr.InvalidState("The payment link changed meanwhile; read it again and retry.")
	}
	if err != nil {
		return domain.PaymentLink{}, err
	}
	return l, nil
}

// Checkout is what a payer sees of a reusable link.
type Checkout struct {
	Link     domain.PaymentLink
	Merchant invoices.CheckoutMerchant
	// Availability is the link's as of the read.
	Availability domain.PaymentLinkAvailability
}

// Resolve finds the link behind a token, for a payer.
func (s *Service) Resolve(ctx context.Context, token string) (Checkout, error) {
	if token == "" || len(token) > 100 {
		return Checkout{}, apperr.NotFound("payment link")
	}
	l, err := s.Store.GetPaymentLinkByToken(ctx, token)
	if errors.Is(err, apperr.ErrNotFound) {
		return Checkout{}, apperr.NotFound("payment link")
	}
	if err != nil {
		return Checkout{}, err
	}
	m, err := s.Store.CheckoutMerchant(ctx, l.MerchantID)
	if err != nil {
		return Checkout{}, err
	}
	return Checkout{Link: l, Merchant: m, Availability: l.Availability(s.now())}, nil
}

// Refusal is the 409 a payer gets through a link that does not take orders now; nil when it does.
func Refusal(a domain.PaymentLinkAvailability) error {
	switch a {
	case domain.AvailabilityOpen:
		return nil
	case domain.AvailabilityPaused:
		return apperr.Conflict(CodePaused, "The merchant has paused this payment link. Try again later.")
	case domain.AvailabilityEnded:
		return apperr.Conflict(CodeEnded, "This payment link has ended and takes no more payments.")
	case domain.AvailabilityExpired:
		return apperr.Conflict(CodeExpired, "This payment link has expired and takes no more payments.")
	case domain.AvailabilitySoldOut:
		return SoldOut()
	}
	return apperr.Conflict(CodeEnded, "This payment link takes no more payments.")
}

// The codes of a link that refuses a payer; the checkout explains each in its own words.
const (
	CodePaused  = "link_paused"
	CodeEnded   = "link_ended"
	CodeExpired = "link_expired"
	CodeSoldOut = "link_sold_out"
)

// Codes lists the refusal codes.
var Codes = []string{CodePaused, CodeEnded, CodeExpired, CodeSoldOut}

// SoldOut is the refusal of a link whose maximum of payments is taken.
func SoldOut() error {
	return apperr.Conflict(CodeSoldOut, "This payment link has reached its maximum number of payments.")
}

// OrderInput is what a payer sends to order through a link.
type OrderInput struct {
	// Amount is the payer's amount of a custom price; Quantity the payer's quantity of a fixed one
	// (0: the least allowed).
	Amount   int64
	Quantity int64
	Customer domain.Customer
	// CustomFields are the answers by key.
	CustomFields map[string]string
	Locale       string
	ClientIP     string
}

// CreateOrder creates the payer's order through a link: an ordinary invoice, numbered as usual,
// that names the link and is then paid through the invoice checkout.
func (s *Service) CreateOrder(ctx context.Context, token string, in OrderInput) (domain.Invoice, error) {
	co, err := s.Resolve(ctx, token)
	if err != nil {
		return domain.Invoice{}, err
	}
	if err := Refusal(co.Availability); err != nil {
		return domain.Invoice{}, err
	}
	l := co.Link
	ni, err := s.order(l, in)
	if err != nil {
		return domain.Invoice{}, err
	}
	actor := domain.Actor{Type: domain.ActorPayer, MerchantID: l.MerchantID, IP: in.ClientIP, Livemode: l.Livemode}
	return s.Orders.Create(domain.WithMode(ctx, l.Livemode), actor, ni)
}

// order validates the payer's input against the link and builds the order's invoice.
func (s *Service) order(l domain.PaymentLink, in OrderInput) (invoices.NewInvoice, error) {
	c := in.Customer
	c.Name, c.Phone, c.Address = strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Address)
	required := []struct {
		on          bool
		param, v, w string
	}{{l.Collect.Name, "customer.name", c.Name, "name"}, {l.Collect.Phone, "customer.phone", c.Phone, "phone number"},
		{l.Collect.Address, "customer.address", c.Address, "address"}}
	for _, r := range required {
		if r.on && r.v == "" {
			return invoices.NewInvoice{}, apperr.Invalid(r.param, "missing", "Enter your %s.", r.w)
		}
	}
	if strings.TrimSpace(c.Email) == "" {
		return invoices.NewInvoice{}, apperr.Invalid("customer.email", "missing", "Enter your e-mail address: the receipt goes there.")
	}
	if c.Name == "" {
		// The invoice is addressed to someone: without a name, to the payer's e-mail.
		c.Name = strings.TrimSpace(c.Email)
	}
	c.PIB, c.MB = "", ""
	ni := invoices.NewInvoice{Customer: c, Currency: l.Currency, Description: l.Title, CaptureMode: string(l.CaptureMode),
		Locale: l.Locale, SuccessURL: l.SuccessURL, CancelURL: l.CancelURL, PaymentLinkID: l.ID}
	if in.Locale != "" {
		if !domain.ValidLocale(in.Locale) {
			return ni, apperr.Invalid("locale", "invalid_locale", "locale must be sr-Latn, sr-Cyrl or en.")
		}
		ni.Locale = in.Locale
	}
	exp := s.now().Add(domain.DefaultOrderTTL)
	ni.ExpiresAt = &exp
	for k := range in.CustomFields {
		if !hasField(l.CustomFields, k) {
			return ni, apperr.Invalid("custom_fields."+k, "unknown_parameter", "This payment link asks for no field %q.", k)
		}
	}
	for _, f := range l.CustomFields {
		v := strings.TrimSpace(in.CustomFields[f.Key])
		if f.Required && v == "" {
			return ni, apperr.Invalid("custom_fields."+f.Key, "missing", "Fill in %s.", f.Label)
		}
		if err := validate.Text("custom_fields."+f.Key, v, 0, domain.MaxCustomFieldAnswer); err != nil {
			return ni, err
		}
		if v != "" {
			ni.CustomFields = append(ni.CustomFields, domain.CustomFieldAnswer{Key: f.Key, Label: f.Label, Value: v})
		}
	}
	switch l.Pricing {
	case domain.PricingFixed:
		if in.Amount != 0 {
			return ni, apperr.Invalid("amount", "not_allowed", "This payment link has a fixed price: leave amount out.")
		}
		q := int64(1)
		if l.QuantityAdjustable() {
			q = l.QuantityMin
			if in.Quantity != 0 {
				q = in.Quantity
			}
			if q < l.QuantityMin || q > l.QuantityMax {
				return ni, apperr.Invalid("quantity", "invalid_quantity", "quantity must be from %d to %d.", l.QuantityMin, l.QuantityMax)
			}
		} else if in.Quantity != 0 && in.Quantity != 1 {
			return ni, apperr.Invalid("quantity", "invalid_quantity", "This payment link's quantity is fixed: leave quantity out.")
		}
		for _, line := range l.Lines {
			ni.Lines = append(ni.Lines, invoices.NewLine{Description: line.Description, Quantity: line.Quantity * q,
				UnitAmount: line.UnitAmount, VATRate: float64(line.VATRateBP) / 100})
		}
	case domain.PricingCustom:
		if in.Quantity != 0 && in.Quantity != 1 {
			return ni, apperr.Invalid("quantity", "invalid_quantity", "This payment link takes an amount, not a quantity: leave quantity out.")
		}
		amount := in.Amount
		if amount == 0 {
			amount = l.AmountSuggested
		}
		if amount == 0 {
			return ni, apperr.Invalid("amount", "missing", "Enter the amount to pay.")
		}
		if !l.AmountAllowed(amount) {
			return ni, apperr.Invalid("amount", "amount_out_of_range", "amount must be between %d and %d.", l.AmountMin, l.AmountMax)
		}
		ni.Lines = []invoices.NewLine{{Description: l.Title, Quantity: 1, UnitAmount: amount}}
	}
	return ni, nil
}

func hasField(fs []domain.CustomField, key string) bool {
	for _, f := range fs {
		if f.Key == key {
			return true
		}
	}
	return false
}
