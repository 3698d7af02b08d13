package domain

import (
	"fmt"
	"time"
)

// InvoiceStatus is where an invoice is in its life.
type InvoiceStatus string

// The invoice statuses.
const (
	InvoiceOpen       InvoiceStatus = "open"
	InvoiceProcessing InvoiceStatus = "processing"
	InvoiceAuthorized InvoiceStatus = "authorized"
	InvoicePaid       InvoiceStatus = "paid"
	// InvoicePartiallyPaid is an invoice of which some, not all, has been paid: in parts the
	// invoice allows, or by a bank transfer smaller than the total. The rest stays payable.
	InvoicePartiallyPaid     InvoiceStatus = "partially_paid"
	InvoicePartiallyRefunded InvoiceStatus = "partially_refunded"
	InvoiceRefunded          InvoiceStatus = "refunded"
	InvoiceCancelled         InvoiceStatus = "cancelled"
	InvoiceExpired           InvoiceStatus = "expired"
)

// InvoiceStatuses lists every status, for validation of filters.
var InvoiceStatuses = []InvoiceStatus{InvoiceOpen, InvoiceProcessing, InvoiceAuthorized, InvoicePaid,
	InvoicePartiallyPaid, InvoicePartiallyRefunded, InvoiceRefunded, InvoiceCancelled, InvoiceExpired}

// Valid reports whether s is a known invoice status.
func (s InvoiceStatus) Valid() bool {
	switch s {
	case InvoiceOpen, InvoiceProcessing, InvoiceAuthorized, InvoicePaid, InvoicePartiallyPaid, InvoicePartiallyRefunded,
		InvoiceRefunded, InvoiceCancelled, InvoiceExpired:
		return true
	}
	return false
}

// CanTransition reports whether an invoice may move from s to next.
func (s InvoiceStatus) CanTransition(next InvoiceStatus) bool {
	switch s {
	case InvoiceOpen:
		return next == InvoiceProcessing || next == InvoiceAuthorized || next == InvoicePaid ||
			next == InvoicePartiallyPaid || next == InvoiceCancelled || next == InvoiceExpired
	case InvoiceProcessing:
		// Back to open or partially paid when the attempt fails; partially paid when it paid a part.
		return next == InvoiceOpen || next == InvoicePartiallyPaid || next == InvoiceAuthorized || next == InvoicePaid
	case InvoicePartiallyPaid:
		// Another part is attempted, recorded or completes the total; a refund ends the collection.
		return next == InvoiceProcessing || next == InvoicePartiallyPaid || next == InvoicePaid ||
			next == InvoicePartiallyRefunded || next == InvoiceRefunded
	case InvoiceAuthorized:
		return next == InvoicePaid || next == InvoiceCancelled
	case InvoicePaid:
		return next == InvoicePartiallyRefunded || next == InvoiceRefunded
	case InvoicePartiallyRefunded:
		return next == InvoicePartiallyRefunded || next == InvoiceRefunded
	case InvoiceExpired:
		// A fresh link reopens an invoice that expired unpaid; a bank transfer may still arrive.
		return next == InvoiceOpen || next == InvoicePaid || next == InvoicePartiallyPaid
	case InvoiceRefunded, InvoiceCancelled:
		return false
	}
	return false
}

// Payable reports whether a payer may start a payment on an invoice in status s.
func (s InvoiceStatus) Payable() bool {
	switch s {
	case InvoiceOpen, InvoicePartiallyPaid:
		return true
	case InvoiceProcessing, InvoiceAuthorized, InvoicePaid, InvoicePartiallyRefunded, InvoiceRefunded,
		InvoiceCancelled, InvoiceExpired:
		return false
	}
	return false
}

// TakesTransfer reports whether a bank transfer can be recorded on an invoice in status s: one
// with something left to pay, an expired one included (the payer may pay after the link lapsed).
func (s InvoiceStatus) TakesTransfer() bool {
	switch s {
	case InvoiceOpen, InvoiceExpired, InvoicePartiallyPaid:
		return true
	case InvoiceProcessing, InvoiceAuthorized, InvoicePaid, InvoicePartiallyRefunded, InvoiceRefunded,
		InvoiceCancelled:
		return false
	}
	return false
}

// Cancellable reports whether the merchant may cancel an invoice in status s.
func (s InvoiceStatus) Cancellable() bool { return s == InvoiceOpen }

// CaptureMode says whether a payment is captured at once (a sale) or only authorised.
type CaptureMode string

// The capture modes.
const (
	CaptureAutomatic CaptureMode = "automatic"
	CaptureManual    CaptureMode = "manual"
)

// Valid reports whether m is a known capture mode.
func (m CaptureMode) Valid() bool { return m == CaptureAutomatic || m == CaptureManual }

// Locales the payer can see.
const (
	LocaleSrLatn = "sr-Latn"
	LocaleSrCyrl = "sr-Cyrl"
	LocaleEn     = "en"
)

// ValidLocale reports whether l is a supported payer locale.
func ValidLocale(l string) bool { return l == LocaleSrLatn || l == LocaleSrCyrl || l == LocaleEn }

// Customer is who an invoice is addressed to.
type Customer struct {
	Name    string
	Email   string
	Phone   string
	Address string
	// PIB and MB are a company customer's Serbian tax number and matični broj; empty for a person.
	PIB string
	MB  string
}

// InvoiceLine is one line of an invoice. UnitAmount includes VAT; VATRateBP is the VAT rate in
// basis points (20% = 2000).
type InvoiceLine struct {
	Description string
	Quantity    int64
	UnitAmount  int64
	VATRateBP   int64
}

// Total is the line's amount including VAT.
func (l InvoiceLine) Total() int64 { return l.Quantity * l.UnitAmount }

// VAT is the VAT contained in the line's total, rounded half up to a minor unit.
func (l InvoiceLine) VAT() int64 {
	if l.VATRateBP == 0 {
		return 0
	}
	// total * rate / (10000 + rate), rounded half up.
	num := l.Total() * l.VATRateBP
	den := 10000 + l.VATRateBP
	return (2*num + den) / (2 * den)
}

// Limits on invoice content.
const (
	MaxInvoiceLines = 100
	MaxQuantity     = 1_000_000
	MaxVATRateBP    = 10000
	// DefaultLinkTTL is how long a payment link stays valid when the invoice sets no expiry.
	DefaultLinkTTL = 30 * 24 * time.Hour
	// MaxLinkTTL bounds an invoice's expiry.
	MaxLinkTTL = 366 * 24 * time.Hour
)

// InvoiceTotals sums the lines; ok is false when a line is out of its bounds (quantity 1…MaxQuantity,
// unit amount MinAmount…MaxAmount, VAT 0…MaxVATRateBP) or the total leaves MinAmount…MaxAmount. A
// negative line could otherwise hide inside a valid total with a negative VAT.
func InvoiceTotals(lines []InvoiceLine) (total, vat int64, ok bool) {
	for _, l := range lines {
		if l.Quantity < 1 || l.Quantity > MaxQuantity || !ValidAmount(l.UnitAmount) || l.VATRateBP < 0 || l.VATRateBP > MaxVATRateBP {
			return 0, 0, false
		}
		// Checked before VAT() multiplies it by the rate, which could overflow for a huge line.
		if total += l.Total(); total > MaxAmount {
			return 0, 0, false
		}
		vat += l.VAT()
	}
	return total, vat, ValidAmount(total)
}

// AmountDue is what is left to pay: the total less what earlier parts and bank transfers brought.
func (inv Invoice) AmountDue() int64 { return max(inv.AmountTotal-inv.AmountPaid, 0) }

// MinPayment is the least a payer may pay now: what is due, unless the invoice allows paying in
// parts; then the minimum first amount for the first part (never more than is due) and any amount
// for a later one.
func (inv Invoice) MinPayment() int64 {
	due := inv.AmountDue()
	if !inv.AllowPartial {
		return due
	}
	if inv.AmountPaid == 0 && inv.MinFirstAmount > MinAmount {
		return min(inv.MinFirstAmount, due)
	}
	return min(MinAmount, due)
}

// PaymentAmount is what a payer who asked for requested (0: everything due) pays now; ok is false
// when the invoice does not allow that amount (see MinPayment; never more than is due).
func (inv Invoice) PaymentAmount(requested int64) (amount int64, ok bool) {
	due := inv.AmountDue()
	if requested == 0 {
		return due, due > 0
	}
	return requested, requested >= inv.MinPayment() && requested <= due && requested > 0
}

// LinkStatus is the state of a payment link.
type LinkStatus string

// The link statuses.
const (
	LinkActive      LinkStatus = "active"
	LinkDeactivated LinkStatus = "deactivated"
	LinkExpired     LinkStatus = "expired"
	LinkCompleted   LinkStatus = "completed"
)

// LinkStatuses lists every link status.
var LinkStatuses = []LinkStatus{LinkActive, LinkDeactivated, LinkExpired, LinkCompleted}

// LinkStatusesWhere lists the link statuses for which rule holds; stores build their guards from it.
func LinkStatusesWhere(rule func(LinkStatus) bool) []LinkStatus {
	return StatusesWhere(LinkStatuses, rule)
}

// Usable reports whether a payer may pay through a link in status s.
func (s LinkStatus) Usable() bool {
	switch s {
	case LinkActive:
		return true
	case LinkDeactivated, LinkExpired, LinkCompleted:
		return false
	}
	return false
}

// Closable reports whether a link in status s may still be closed (deactivated, expired or
// completed): only an active one.
func (s LinkStatus) Closable() bool { return s.CanTransition(LinkDeactivated) }

// To moves a link from s to next, or fails with ErrTransition.
func (s LinkStatus) To(next LinkStatus) (LinkStatus, error) {
	if !s.CanTransition(next) {
		return s, fmt.Errorf("link %s → %s: %w", s, next, ErrTransition)
	}
	return next, nil
}

// CanTransition reports whether a link may move from s to next.
func (s LinkStatus) CanTransition(next LinkStatus) bool {
	switch s {
	case LinkActive:
		return next == LinkDeactivated || next == LinkExpired || next == LinkCompleted
	case LinkDeactivated, LinkExpired, LinkCompleted:
		return false
	}
	return false
}

// LinkTokenBytes is the size of a link token: 192 random bits.
const LinkTokenBytes = 24

// Invoice is what a customer is asked to pay.
type Invoice struct {
	ID         string
	MerchantID string
	// Livemode is true for live data, false for test data; an invoice's links, payments, refunds,
	// transactions, events and e-mails share its mode.
	Livemode       bool
	Number         string
	Reference      string
	Status         InvoiceStatus
	Customer       Customer
	Currency       string
	AmountTotal    int64
	AmountVAT      int64
	AmountPaid     int64
	AmountRefunded int64
	Description    string
	CaptureMode    CaptureMode
	// AllowPartial lets the payer pay in parts of their choosing; MinFirstAmount (0: any) is the
	// least the first part must be.
	AllowPartial   bool
	MinFirstAmount int64
	Locale         string
	ExpiresAt      time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	PaidAt         *time.Time
	CancelledAt    *time.Time
	CreatedBy      string
	Lines          []InvoiceLine
	Link           *Link // the current link: the newest one
	// SuccessURL and CancelURL are where the checkout sends the payer back to the merchant's site
	// after paying or when leaving; empty when the merchant named none.
	SuccessURL, CancelURL string
	// SentAt is when the link was first e-mailed to the customer; nil until then.
	SentAt *time.Time
	// PaymentLinkID is the reusable payment link the invoice is an order of; empty for others.
	// CustomFields are the payer's answers to that link's custom fields.
	PaymentLinkID string
	CustomFields  []CustomFieldAnswer
}

// Link is the shareable capability to pay one invoice.
type Link struct {
	ID            string
	InvoiceID     string
	MerchantID    string
	Livemode      bool
	Token         string
	Status        LinkStatus
	ExpiresAt     time.Time
	CreatedAt     time.Time
	DeactivatedAt *time.Time
}

// EffectiveStatus is the link's status as of now: an active link past its expiry reads as expired
// even before the sweep has written it.
func (l Link) EffectiveStatus(now time.Time) LinkStatus {
	if l.Status == LinkActive && !now.Before(l.ExpiresAt) {
		return LinkExpired
	}
	return l.Status
}

// EffectiveStatus is the invoice's status as of now: an invoice that lapses (an open one) reads as
// expired once past its expiry, even before the sweep has written it.
func (inv Invoice) EffectiveStatus(now time.Time) InvoiceStatus {
	if inv.Status.Lapses() && !now.Before(inv.ExpiresAt) {
		return InvoiceExpired
	}
	return inv.Status
}

// Lapses reports whether an invoice in status s becomes expired when its expiry passes: only an
// open one. Stores render the same list into their expiry SQL (see InvoiceStatusesWhere).
func (s InvoiceStatus) Lapses() bool {
	switch s {
	case InvoiceOpen:
		return s.CanTransition(InvoiceExpired)
	case InvoiceProcessing, InvoiceAuthorized, InvoicePaid, InvoicePartiallyPaid, InvoicePartiallyRefunded, InvoiceRefunded,
		InvoiceCancelled, InvoiceExpired:
		return false
	}
	return false
}

// InvoiceEventData is the payload of invoice events.
type InvoiceEventData struct {
	ID            string        `json:"id"`
	Object        string        `json:"object"`
	Number        string        `json:"number"`
	Reference     string        `json:"reference"`
	Status        InvoiceStatus `json:"status"`
	Currency      string        `json:"currency"`
	AmountTotal   int64         `json:"amount_total"`
	AmountPaid    int64         `json:"amount_paid"`
	CustomerName  string        `json:"customer_name"`
	CustomerEmail string        `json:"customer_email"`
	LinkURL       string        `json:"link_url,omitempty"`
	// Method is how an invoice.paid invoice (or the part of invoice.partially_paid) was paid: card
	// or bank_transfer.
	Method PaymentMethod `json:"method,omitempty"`
	// PaymentAmount is, on invoice.partially_paid, the part just paid.
	PaymentAmount int64  `json:"payment_amount,omitempty"`
	EmailID       string `json:"email_id,omitempty"`
	// Livemode is false for a test invoice.
	Livemode bool `json:"livemode"`
}

// EventData is the invoice as events carry it.
func (inv Invoice) EventData(linkURL string) InvoiceEventData {
	return InvoiceEventData{ID: inv.ID, Object: "invoice", Number: inv.Number, Reference: inv.Reference, Status: inv.Status,
		Currency: inv.Currency, AmountTotal: inv.AmountTotal, AmountPaid: inv.AmountPaid,
		CustomerName: inv.Customer.Name, CustomerEmail: inv.Customer.Email, LinkURL: linkURL, Livemode: inv.Livemode}
}

// InvoiceStatusesWhere lists the invoice statuses for which rule holds; stores build their guards
// (WHERE status IN …) from it.
func InvoiceStatusesWhere(rule func(InvoiceStatus) bool) []InvoiceStatus {
	return StatusesWhere(InvoiceStatuses, rule)
}

// To moves an invoice from s to next, or fails with ErrTransition.
func (s InvoiceStatus) To(next InvoiceStatus) (InvoiceStatus, error) {
	if !s.CanTransition(next) {
		return s, fmt.Errorf("invoice %s → %s: %w", s, next, ErrTransition)
	}
	return next, nil
}

// Refundable reports whether refunds may be recorded on an invoice in status s.
func (s InvoiceStatus) Refundable() bool { return s.CanTransition(InvoiceRefunded) }

// Relinkable reports whether the merchant may issue a fresh payment link for an invoice in status
// s: one that is still unpaid, open or expired (a fresh link reopens it).
func (s InvoiceStatus) Relinkable() bool {
	switch s {
	case InvoiceOpen, InvoiceExpired, InvoicePartiallyPaid:
		return true
	case InvoiceProcessing, InvoiceAuthorized, InvoicePaid, InvoicePartiallyRefunded, InvoiceRefunded, InvoiceCancelled:
		return false
	}
	return false
}

// InvoiceRefundRule is the status a succeeded refund leaves on a paid invoice.
var InvoiceRefundRule = RefundRule[InvoiceStatus]{Partial: InvoicePartiallyRefunded, Full: InvoiceRefunded}

// InvoiceStatusAfterRefund is a paid invoice's status once refunded of paid is refunded.
func InvoiceStatusAfterRefund(refunded, paid int64) InvoiceStatus {
	return InvoiceRefundRule.After(refunded, paid)
}

// AfterPayment is the status of an invoice in status s once paid of its total has been paid:
// paid when nothing is left due, partially paid while some is, s when nothing was paid;
// ErrTransition when s cannot move there.
func (s InvoiceStatus) AfterPayment(paid, total int64) (InvoiceStatus, error) {
	switch {
	case paid >= total:
		return s.To(InvoicePaid)
	case paid > 0:
		return s.To(InvoicePartiallyPaid)
	}
	return s, nil
}

// Released is the status of an invoice in status s (held by a payment attempt) once the attempt
// failed, with paid of it paid before: open when nothing was, partially paid otherwise.
func (s InvoiceStatus) Released(paid int64) (InvoiceStatus, error) {
	if paid > 0 {
		return s.To(InvoicePartiallyPaid)
	}
	return s.To(InvoiceOpen)
}

// Reopened is the status of an invoice in status s once a fresh link is issued for it: an open
// invoice stays open, an expired one opens again; any other fails with ErrTransition.
func (s InvoiceStatus) Reopened() (InvoiceStatus, error) {
	if !s.Relinkable() {
		return s, fmt.Errorf("invoice %s: fresh link: %w", s, ErrTransition)
	}
	if s == InvoiceOpen || s == InvoicePartiallyPaid {
		return s, nil
	}
	return s.To(InvoiceOpen)
}
