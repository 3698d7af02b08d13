package store

import (
	"sync"
	"time"
)

// accountCache keeps the answers of ProviderAccounts.Active read by this process, for as long as
// CheckoutCacheTTL: every payment asks which account takes it, and the answer rarely changes. Every
// write to provider_accounts through this DB drops them all, so only another process's change can
// show late, within that TTL, as with the checkout views. Reads inside a transaction skip it.
type accountCache struct {
	mu      sync.Mutex
	entries map[accountKey]accountEntry
	now     func() time.Time
}

type accountKey struct {
	merchantID string
	livemode   bool
}

// accountEntry is one answer: the row, or found false for "no active account".
type accountEntry struct {
	row   providerAccountRow
	found bool
	at    time.Time
}

// accountCacheSize bounds the answers kept; past it they are all dropped (one read each refills them).
const accountCacheSize = 4096

func (c *accountCache) get(k accountKey) (accountEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || c.now().Sub(e.at) >= CheckoutCacheTTL {
		return accountEntry{}, false
	}
	return e, true
}

// put keeps an answer read at the given time (taken before the read, so that a write dropping the
// cache meanwhile cannot leave an older answer behind for longer than the TTL).
func (c *accountCache) put(k accountKey, e accountEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= accountCacheSize {
		c.entries = make(map[accountKey]accountEntry)
	}
	c.entries[k] = e
}

// forgetAll drops every answer (after a write to provider_accounts).
func (c *accountCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
}
