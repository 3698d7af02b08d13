package domain

import "time"

// PrefixPaymentLink is the id prefix of reusable payment links.
const PrefixPaymentLink = "plink"

// PaymentLinkStatus is what the merchant set a reusable link to.
type PaymentLinkStatus string

// The reusable link statuses. Ended is final.
const (
	PaymentLinkActive PaymentLinkStatus = "active"
	PaymentLinkPaused PaymentLinkStatus = "paused"
	PaymentLinkEnded  PaymentLinkStatus = "ended"
)

// PaymentLinkStatuses lists every status, for validation of filters.
var PaymentLinkStatuses = []PaymentLinkStatus{PaymentLinkActive, PaymentLinkPaused, PaymentLinkEnded}

// Valid reports whether s is a known status.
func (s PaymentLinkStatus) Valid() bool {
	switch s {
	case PaymentLinkActive, PaymentLinkPaused, PaymentLinkEnded:
		return true
	}
	return false
}

// CanTransition reports whether the merchant may move a link from s to next: an active link may be
// paused or ended, a paused one resumed or ended; an ended link stays ended. Setting the status a
// link already has is allowed (and changes nothing) except for an ended one.
func (s PaymentLinkStatus) CanTransition(next PaymentLinkStatus) bool {
	switch s {
	case PaymentLinkActive, PaymentLinkPaused:
		return next.Valid()
	case PaymentLinkEnded:
		return false
	}
	return false
}

// PaymentLinkAvailability is what a payer would find through a reusable link now.
type PaymentLinkAvailability string

// The availabilities.
const (
	AvailabilityOpen    PaymentLinkAvailability = "open"
	AvailabilityPaused  PaymentLinkAvailability = "paused"
	AvailabilityEnded   PaymentLinkAvailability = "ended"
	AvailabilityExpired PaymentLinkAvailability = "expired"
	AvailabilitySoldOut PaymentLinkAvailability = "sold_out"
)

// PaymentLinkAvailabilities lists every availability.
var PaymentLinkAvailabilities = []PaymentLinkAvailability{AvailabilityOpen, AvailabilityPaused, AvailabilityEnded, AvailabilityExpired, AvailabilitySoldOut}

// Pricing says how a reusable link prices an order.
type Pricing string

// The pricings.
const (
	// PricingFixed orders the link's lines, times a quantity when the payer may choose one.
	PricingFixed Pricing = "fixed"
	// PricingCustom orders one line of the amount the payer chooses within the link's bounds.
	PricingCustom Pricing = "custom"
)

// Valid reports whether p is a known pricing.
func (p Pricing) Valid() bool {
	switch p {
	case PricingFixed, PricingCustom:
		return true
	}
	return false
}

// Limits of reusable links.
const (
	MaxPaymentLinkLines  = 20
	MaxCustomFields      = 3
	MaxLinkQuantity      = 1000
	MaxPaymentLinkTitle  = 200
	MaxCustomFieldLabel  = 100
	MaxCustomFieldKey    = 40
	MaxCustomFieldAnswer = 500
	MaxPaymentsPerLink   = 1_000_000
	DefaultOrderTTL      = 24 * time.Hour
)

// CustomField is a text the payer is asked for on a reusable link.
type CustomField struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// CustomFieldAnswer is what a payer answered to a custom field; an order keeps it with the label.
type CustomFieldAnswer struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// Collect says which of the payer's details a reusable link asks for; the e-mail is always asked
// (the receipt goes there).
type Collect struct {
	Name    bool
	Phone   bool
	Address bool
}

// PaymentLink is a reusable link: one link many payers pay through, each with an order of their own.
type PaymentLink struct {
	ID          string
	MerchantID  string
	Livemode    bool
	Token       string
	Title       string
	Description string
	Currency    string
	Pricing     Pricing
	// Lines are the fixed price's lines (Pricing fixed).
	Lines []InvoiceLine
	// QuantityMin and QuantityMax bound the quantity the payer multiplies the lines by; both 0 when
	// the quantity is fixed at 1.
	QuantityMin, QuantityMax int64
	// AmountMin, AmountMax and AmountSuggested bound a custom price (Pricing custom).
	AmountMin, AmountMax, AmountSuggested int64
	// MaxPayments bounds the paid orders (0: no limit).
	MaxPayments  int64
	ExpiresAt    *time.Time
	Collect      Collect
	CustomFields []CustomField
	Locale       string
	CaptureMode  CaptureMode
	SuccessURL   string
	CancelURL    string
	Status       PaymentLinkStatus
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	EndedAt      *time.Time
	// Stats are the link's orders as counted when the link was read.
	Stats PaymentLinkStats
}

// PaymentLinkStats count a reusable link's orders.
type PaymentLinkStats struct {
	// Taken is the orders that hold a slot of MaxPayments: paid or being paid (HoldsLinkSlot).
	Taken int64
	// Paid is the orders that took money, Collected what they took.
	Paid      int64
	Collected int64
}

// QuantityAdjustable reports whether the payer chooses the quantity.
func (l PaymentLink) QuantityAdjustable() bool { return l.QuantityMax > 0 }

// Availability is what a payer finds through the link at now: the merchant's status first, then
// its end date, then its maximum of payments.
func (l PaymentLink) Availability(now time.Time) PaymentLinkAvailability {
	switch l.Status {
	case PaymentLinkPaused:
		return AvailabilityPaused
	case PaymentLinkEnded:
		return AvailabilityEnded
	case PaymentLinkActive:
		if l.ExpiresAt != nil && !now.Before(*l.ExpiresAt) {
			return AvailabilityExpired
		}
		if l.MaxPayments > 0 && l.Stats.Taken >= l.MaxPayments {
			return AvailabilitySoldOut
		}
		return AvailabilityOpen
	}
	return AvailabilityEnded
}

// HoldsLinkSlot reports whether an order of a reusable link in status s counts against the link's
// maximum of payments: it is being paid or took money. An open, expired or cancelled order does not.
func (s InvoiceStatus) HoldsLinkSlot() bool {
	switch s {
	case InvoiceProcessing, InvoiceAuthorized, InvoicePaid, InvoicePartiallyPaid, InvoicePartiallyRefunded, InvoiceRefunded:
		return true
	case InvoiceOpen, InvoiceCancelled, InvoiceExpired:
		return false
	}
	return false
}

// AmountAllowed reports whether a custom amount lies within the link's bounds.
func (l PaymentLink) AmountAllowed(amount int64) bool {
	return ValidAmount(amount) && amount >= l.AmountMin && amount <= l.AmountMax
}
