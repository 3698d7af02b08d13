package store

import (
	"slices"
	"sync"
	"time"

	"securelink/internal/invoices"
)

// CheckoutCacheTTL bounds how long a checkout view read by this process is reused. Every write this
// process makes to an invoice, its links or its merchant drops the affected views at once, so the
// TTL only matters when several processes share one PostgreSQL database: another process's change
// shows on this one's checkout within a second. Paying never trusts a cached status: the attempt is
// claimed by a conditional update on the invoice row.
const CheckoutCacheTTL = time.Second

// checkoutCacheSize caps the views kept (an invoice of 100 long lines is tens of KB); a payment link
// is opened by a handful of payers, so the cache is for bursts (a link shared in a group chat, a payer
// reloading), not for a working set, and views older than the TTL are dropped before any is evicted.
const checkoutCacheSize = 4096

// checkoutCache keeps recently read checkout views by link token.
//
// A view read from the database is only kept if no write was made since the read began (the epoch is
// unchanged), so a read that raced a write cannot put the old state back after the write dropped it.
type checkoutCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu        sync.RWMutex
	epoch     uint64
	byToken   map[string]cachedCheckout
	byInvoice map[string][]string // invoice id → tokens cached for it
}

type cachedCheckout struct {
	view  invoices.Checkout
	until time.Time
}

func newCheckoutCache(ttl time.Duration, max int, now func() time.Time) *checkoutCache {
	return &checkoutCache{ttl: ttl, max: max, now: now,
		byToken: map[string]cachedCheckout{}, byInvoice: map[string][]string{}}
}

// get returns the cached view of a token, or the epoch a database read must present to put().
func (c *checkoutCache) get(token string) (invoices.Checkout, uint64, bool) {
	c.mu.RLock()
	e, ok := c.byToken[token]
	epoch := c.epoch
	c.mu.RUnlock()
	if !ok || !c.now().Before(e.until) {
		return invoices.Checkout{}, epoch, false
	}
	return copyCheckout(e.view), epoch, true
}

// put keeps a view read from the database when nothing was written since epoch.
func (c *checkoutCache) put(token string, view invoices.Checkout, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != epoch {
		return
	}
	if len(c.byToken) >= c.max {
		c.dropExpiredLocked()
	}
	if len(c.byToken) >= c.max {
		c.clearLocked()
	}
	id := view.Invoice.ID
	if _, had := c.byToken[token]; !had {
		c.byInvoice[id] = append(c.byInvoice[id], token)
	}
	c.byToken[token] = cachedCheckout{view: copyCheckout(view), until: c.now().Add(c.ttl)}
}

// forget drops the views of invoices that were just written.
func (c *checkoutCache) forget(invoiceIDs ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, id := range invoiceIDs {
		c.dropInvoiceLocked(id)
	}
}

func (c *checkoutCache) dropInvoiceLocked(id string) {
	for _, t := range c.byInvoice[id] {
		delete(c.byToken, t)
	}
	delete(c.byInvoice, id)
}

// forgetToken drops the view cached under a link token, with every view of its invoice.
func (c *checkoutCache) forgetToken(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if e, ok := c.byToken[token]; ok {
		c.dropInvoiceLocked(e.view.Invoice.ID)
	}
}

// forgetAll drops every view (a merchant's public details or many links changed).
func (c *checkoutCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	c.clearLocked()
}

func (c *checkoutCache) clearLocked() {
	clear(c.byToken)
	clear(c.byInvoice)
}

func (c *checkoutCache) dropExpiredLocked() {
	now := c.now()
	for id, tokens := range c.byInvoice {
		kept := tokens[:0]
		for _, t := range tokens {
			if now.Before(c.byToken[t].until) {
				kept = append(kept, t)
			} else {
				delete(c.byToken, t)
			}
		}
		if len(kept) == 0 {
			delete(c.byInvoice, id)
		} else {
			c.byInvoice[id] = kept
		}
	}
}

// copyCheckout copies the parts a caller could change through a shared view.
func copyCheckout(v invoices.Checkout) invoices.Checkout {
	v.Invoice.Lines = slices.Clone(v.Invoice.Lines)
	if v.Invoice.Link != nil {
		l := *v.Invoice.Link
		v.Invoice.Link = &l
	}
	return v
}
