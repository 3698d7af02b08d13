// Package secretbox seals small secrets (provider credentials) for storage with AES-256-GCM. Each
// sealed value is stored with the id of the key that sealed it, so the key can be rotated: a new
// current key seals from then on, previous keys still open what they sealed until it is re-sealed.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of an AES-256 key.
const KeySize = 32

// ErrUnknownKey means a value was sealed with a key this keyring does not hold.
var ErrUnknownKey = errors.New("secretbox: the key that sealed this value is not configured")

// ErrNoKey means the keyring has no key to seal with.
var ErrNoKey = errors.New("secretbox: no encryption key")

// Keyring seals with its current key and opens with any of its keys.
type Keyring struct {
	current string
	keys    map[string]cipher.AEAD
}

// ParseKey reads a key written as 64 hex digits or as base64 of 32 bytes (openssl rand -base64 32).
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, errors.New("an encryption key is 32 random bytes, written as base64 (openssl rand -base64 32) or as 64 hex digits")
}

// KeyID names a key without revealing it: the first 16 hex digits of the SHA-256 of the key with a
// label, so the id of one key is the same everywhere.
func KeyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("securelink secretbox key id\x00"), key...))
	return hex.EncodeToString(sum[:8])
}

// New returns a keyring sealing with current and opening with current and the previous keys.
func New(current []byte, previous ...[]byte) (*Keyring, error) {
	k := &Keyring{keys: map[string]cipher.AEAD{}}
	for i, key := range append([][]byte{current}, previous...) {
		if key == nil && i == 0 {
			continue
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("secretbox: a key must be %d bytes", KeySize)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		id := KeyID(key)
		if i == 0 {
			k.current = id
		}
		k.keys[id] = aead
	}
	return k, nil
}

// CurrentID is the id of the key that seals; "" when the keyring has none.
func (k *Keyring) CurrentID() string { return k.current }

// Has reports whether the keyring holds the key with this id.
func (k *Keyring) Has(id string) bool { _, ok := k.keys[id]; return ok }

// Seal encrypts plaintext with the current key, bound to context (a row's id: a sealed value copied
// to another row does not open), and returns it as base64 with the key's id.
func (k *Keyring) Seal(plaintext, context []byte) (sealed, keyID string, err error) {
	aead, ok := k.keys[k.current]
	if !ok {
		return "", "", ErrNoKey
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", "", fmt.Errorf("secretbox: %w", err)
	}
	out := aead.Seal(nonce, nonce, plaintext, context)
	return base64.StdEncoding.EncodeToString(out), k.current, nil
}

// Open decrypts a value Seal returned.
func (k *Keyring) Open(sealed, keyID string, context []byte) ([]byte, error) {
	aead, ok := k.keys[keyID]
	if !ok {
		return nil, fmt.Errorf("%w (key id %s)", ErrUnknownKey, keyID)
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize() {
		return nil, errors.New("secretbox: sealed value is damaged")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], context)
	if err != nil {
		return nil, errors.New("secretbox: sealed value does not open with its key (damaged, or moved from another row)")
	}
	return plain, nil
}
