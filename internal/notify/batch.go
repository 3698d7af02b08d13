package notify

import (
	"context"
	"fmt"
	"slices"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

// batch is what planning one batch of events reads, read once: a batch holds several events of the
// same merchant and invoice (a payment writes payment.captured and invoice.paid together). What is
// read is the state after the events, as the e-mails describe it.
type batch struct {
	store     Store
	merchants map[string]Merchant
	invoices  map[string]domain.Invoice // by merchant id / invoice id
	endpoints map[string][]Endpoint
	// cards holds the card that paid each invoice read, a zero card when none did.
	cards map[string]PaidCard
	// links holds each read invoice's newest payment link, a zero link when it has none.
	links map[string]InvoiceLink
}

func newBatch(st Store) *batch {
	return &batch{store: st, merchants: map[string]Merchant{}, invoices: map[string]domain.Invoice{},
		endpoints: map[string][]Endpoint{}, cards: map[string]PaidCard{}, links: map[string]InvoiceLink{}}
}

// preload reads these invoices, their lines, cards and links in a few queries.
func (b *batch) preload(ctx context.Context, invoiceIDs []string) error {
	var ids []string
	for _, id := range invoiceIDs {
		if _, read := b.cards[id]; !read && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	invs, err := b.store.InvoicesWithLines(ctx, ids)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		b.invoices[inv.MerchantID+"/"+inv.ID] = inv
	}
	cards, err := b.store.PaymentCards(ctx, ids)
	if err != nil {
		return err
	}
	// Every id read gets an entry, a zero card when no payment took money: it marks the id as read.
	for _, id := range ids {
		b.cards[id] = PaidCard{}
	}
	for _, c := range cards {
		b.cards[c.InvoiceID] = c
	}
	links, err := b.store.LinkTokens(ctx, ids)
	if err != nil {
		return err
	}
	// Oldest first, so the newest link of each invoice is the one kept.
	for _, l := range links {
		b.links[l.InvoiceID] = l
	}
	return nil
}

// invoice returns the merchant's invoice with its lines; apperr.ErrNotFound when missing. Keyed by
// merchant too, so one merchant's event can never read another's invoice.
func (b *batch) invoice(ctx context.Context, merchantID, id string) (domain.Invoice, error) {
	if err := b.preload(ctx, []string{id}); err != nil {
		return domain.Invoice{}, err
	}
	inv, ok := b.invoices[merchantID+"/"+id]
	if !ok {
		return domain.Invoice{}, fmt.Errorf("notify: invoice %s: %w", id, apperr.ErrNotFound)
	}
	inv.Lines = slices.Clone(inv.Lines)
	return inv, nil
}

// paymentCard returns the brand and last four digits of the card that paid (or pre-authorised) the
// merchant's invoice; empty strings when no payment succeeded.
func (b *batch) paymentCard(ctx context.Context, merchantID, invoiceID string) (brand, last4 string, err error) {
	if err := b.preload(ctx, []string{invoiceID}); err != nil {
		return "", "", err
	}
	c := b.cards[invoiceID]
	if c.MerchantID != merchantID {
		return "", "", nil
	}
	return c.Brand, c.Last4, nil
}

func (b *batch) merchant(ctx context.Context, id string) (Merchant, error) {
	return readOnce(b.merchants, id, func() (Merchant, error) { return b.store.NotifyMerchant(ctx, id) })
}

// linkToken returns the token of the invoice's newest payment link; "" when it has none.
func (b *batch) linkToken(ctx context.Context, merchantID, invoiceID string) (string, error) {
	if err := b.preload(ctx, []string{invoiceID}); err != nil {
		return "", err
	}
	l := b.links[invoiceID]
	if l.MerchantID != merchantID {
		return "", nil
	}
	return l.Token, nil
}

func (b *batch) enabledEndpoints(ctx context.Context, merchantID string, livemode bool) ([]Endpoint, error) {
	eps, err := readOnce(b.endpoints, merchantID+"/"+domain.ModeName(livemode), func() ([]Endpoint, error) {
		return b.store.EnabledEndpoints(ctx, merchantID, livemode)
	})
	return slices.Clone(eps), err
}

// readOnce returns memo[key], loading and keeping it on the first call.
func readOnce[V any](memo map[string]V, key string, load func() (V, error)) (V, error) {
	if v, ok := memo[key]; ok {
		return v, nil
	}
	v, err := load()
	if err == nil {
		memo[key] = v
	}
	return v, err
}
