package domain

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"sync"
	"time"
)

// crockford is the alphabet of ids: sortable as strings, free of look-alike letters.
const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

// NewID returns prefix + "_" + 26 characters: 48 bits of milliseconds then 80 random bits, so ids
// sort by creation time (keyset pagination orders by id) and cannot be guessed.
//
// Within one process ids are strictly increasing: an id made in the same millisecond as the one
// before it (or while the clock steps back) adds a random 32-bit step to that one's random part, so
// "newest first" holds for objects made in quick succession too.
func NewID(prefix string) string {
	var step [4]byte
	if _, err := rand.Read(step[:]); err != nil {
		panic("domain: crypto/rand failed: " + err.Error())
	}
	ms := uint64(time.Now().UnixMilli())
	idClock.mu.Lock()
	if ms > idClock.ms {
		idClock.ms = ms
		if _, err := rand.Read(idClock.random[:]); err != nil {
			idClock.mu.Unlock()
			panic("domain: crypto/rand failed: " + err.Error())
		}
	} else if addStep(&idClock.random, uint64(binary.BigEndian.Uint32(step[:]))+1) {
		idClock.ms++ // the 80 random bits overflowed: borrow the next millisecond
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], idClock.ms<<16)
	copy(b[6:], idClock.random[:])
	idClock.mu.Unlock()

	// 128 bits → 26 base32 characters, most significant first.
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	var out [26]byte
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return prefix + "_" + string(out[:])
}

// idClock is the last id's millisecond and random part.
var idClock struct {
	mu     sync.Mutex
	ms     uint64
	random [10]byte
}

// addStep adds step to the 80-bit big-endian number r and reports whether it overflowed.
func addStep(r *[10]byte, step uint64) bool {
	carry := step
	for i := len(r) - 1; i >= 0 && carry > 0; i-- {
		sum := uint64(r[i]) + carry&0xff
		r[i] = byte(sum)
		carry = carry>>8 + sum>>8
	}
	return carry > 0
}

// NewToken returns n random bytes from crypto/rand, base64url-encoded without padding.
func NewToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("domain: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ID prefixes.
const (
	PrefixMerchant    = "mer"
	PrefixUser        = "usr"
	PrefixInvitation  = "inv8"
	PrefixAPIKey      = "key"
	PrefixInvoice     = "inv"
	PrefixLink        = "lnk"
	PrefixPayment     = "pay"
	PrefixTransaction = "txn"
	PrefixRefund      = "re"
	PrefixEvent       = "evt"
	PrefixEndpoint    = "we"
	PrefixEmail       = "em"
	PrefixAudit       = "aud"
	PrefixReminder    = "rem"
)

// ActorType says who asked for something.
type ActorType string

// The actor types.
const (
	ActorUser   ActorType = "user"
	ActorAPIKey ActorType = "api_key"
	ActorPayer  ActorType = "payer"
	ActorSystem ActorType = "system"
)

// Actor is the caller behind an action, recorded in the audit log and on transactions.
type Actor struct {
	Type       ActorType
	ID         string // usr_…, key_…, or empty for payer and system
	MerchantID string
	IP         string
	// Livemode is the mode the actor works in (an API key's, or the portal session's switch).
	Livemode bool
}

// Label is how the actor is shown on a transaction: the user or key id, or "payer" / "system".
func (a Actor) Label() string {
	if a.ID != "" {
		return a.ID
	}
	return string(a.Type)
}
