package payments

import "securelink/internal/domain"

// CardEventData is the card as events carry it.
type CardEventData struct {
	Brand string `json:"brand"`
	Last4 string `json:"last4"`
}

// PaymentEventData is the payload of payment events.
type PaymentEventData struct {
	ID             string               `json:"id"`
	Object         string               `json:"object"`
	InvoiceID      string               `json:"invoice_id"`
	InvoiceNumber  string               `json:"invoice_number"`
	Status         domain.PaymentStatus `json:"status"`
	Method         domain.PaymentMethod `json:"method"`
	Amount         int64                `json:"amount"`
	Currency       string               `json:"currency"`
	AmountCaptured int64                `json:"amount_captured"`
	AmountRefunded int64                `json:"amount_refunded"`
	Card           *CardEventData       `json:"card"`
	DeclineCode    string               `json:"decline_code"`
	DeclineMessage string               `json:"decline_message"`
	CustomerEmail  string               `json:"customer_email"`
	CustomerName   string               `json:"customer_name"`
	Locale         string               `json:"locale"`
	// Livemode is false for a payment of a test invoice.
	Livemode bool `json:"livemode"`
}

// RefundEventData is the payload of refund events.
type RefundEventData struct {
	ID            string              `json:"id"`
	Object        string              `json:"object"`
	PaymentID     string              `json:"payment_id"`
	InvoiceID     string              `json:"invoice_id"`
	InvoiceNumber string              `json:"invoice_number"`
	Amount        int64               `json:"amount"`
	Currency      string              `json:"currency"`
	Status        domain.RefundStatus `json:"status"`
	Reason        string              `json:"reason"`
	CustomerEmail string              `json:"customer_email"`
	Locale        string              `json:"locale"`
	// Livemode is false for a refund of a test payment.
	Livemode bool `json:"livemode"`
}

func paymentEvent(typ string, p Payment, inv domain.Invoice) domain.Event {
	d := PaymentEventData{ID: p.ID, Object: "payment", InvoiceID: p.InvoiceID, InvoiceNumber: inv.Number, Status: p.Status, Method: p.method(),
		Amount: p.Amount, Currency: p.Currency, AmountCaptured: p.AmountCaptured, AmountRefunded: p.AmountRefunded,
		DeclineCode: p.DeclineCode, DeclineMessage: p.DeclineMessage, CustomerEmail: inv.Customer.Email,
		CustomerName: inv.Customer.Name, Locale: inv.Locale, Livemode: p.Livemode}
	if p.Card != nil {
		d.Card = &CardEventData{Brand: p.Card.Brand, Last4: p.Card.Last4}
	}
	return domain.NewEvent(p.MerchantID, p.Livemode, typ, p.ID, d, true)
}

func refundEvent(typ string, r Refund, inv domain.Invoice) domain.Event {
	d := RefundEventData{ID: r.ID, Object: "refund", PaymentID: r.PaymentID, InvoiceID: r.InvoiceID, InvoiceNumber: inv.Number,
		Amount: r.Amount, Currency: r.Currency, Status: r.Status, Reason: r.Reason, CustomerEmail: inv.Customer.Email,
		Locale: inv.Locale, Livemode: r.Livemode}
	return domain.NewEvent(r.MerchantID, r.Livemode, typ, r.ID, d, true)
}

func invoiceEvent(typ string, inv domain.Invoice) domain.Event {
	return domain.NewEvent(inv.MerchantID, inv.Livemode, typ, inv.ID, inv.EventData(""), true)
}

// paidEvent is invoice.paid, which says how the invoice was paid.
func paidEvent(inv domain.Invoice, method domain.PaymentMethod) domain.Event {
	d := inv.EventData("")
	d.Method = method
	return domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoicePaid, inv.ID, d, true)
}

// partiallyPaidEvent is invoice.partially_paid: part of the invoice was paid by p, the rest is due.
func partiallyPaidEvent(inv domain.Invoice, p Payment) domain.Event {
	d := inv.EventData("")
	d.Method, d.PaymentAmount = p.method(), p.AmountCaptured
	return domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoicePartiallyPaid, inv.ID, d, true)
}
