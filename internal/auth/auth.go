// Package auth holds the credentials SecureLink issues: password hashes, JWT session tokens with
// their CSRF tokens, API key secrets and one-time invitation tokens.
package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"securelink/internal/domain"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// MaxPasswordLength keeps bcrypt's 72-byte limit from silently truncating passwords.
const MaxPasswordLength = 72

// passwordCost is bcrypt's work factor for new password hashes.
var passwordCost atomic.Int32

// dummyHash is compared against when no user matches, so a miss costs as long as a wrong password.
var dummyHash atomic.Pointer[[]byte]

func init() { setPasswordCost(bcrypt.DefaultCost) }

func setPasswordCost(cost int) {
	h, err := bcrypt.GenerateFromPassword([]byte("securelink-dummy-password"), cost)
	if err != nil {
		panic("auth: dummy password hash: " + err.Error())
	}
	passwordCost.Store(int32(cost))
	dummyHash.Store(&h)
}

var fastHashes sync.Once

// UseFastHashesInTests makes new password hashes (and the dummy one) use bcrypt's minimum work
// factor. Hashing dominated the API tests' CPU time; a hash carries its own cost, so checking a
// password works the same. It panics outside a test binary: the product always hashes at bcrypt's
// default cost.
func UseFastHashesInTests() {
	if !testing.Testing() {
		panic("auth: fast password hashes outside a test binary")
	}
	fastHashes.Do(func() { setPasswordCost(bcrypt.MinCost) })
}

// HashPassword hashes a password with bcrypt.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), int(passwordCost.Load()))
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword reports whether pw matches hash; an empty hash is compared with a dummy.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(*dummyHash.Load(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// HashToken is the SHA-256 of a high-entropy secret (API key, invitation token), as stored.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// The prefixes of secret keys: a key's mode is written on it.
const (
	APIKeyPrefixTest = "sk_test_"
	APIKeyPrefixLive = "sk_live_"
)

// APIKeyPrefix is the prefix of a secret key of the mode.
func APIKeyPrefix(livemode bool) string {
	if livemode {
		return APIKeyPrefixLive
	}
	return APIKeyPrefixTest
}

// APIKeyMode tells a secret key's mode from its prefix; ok is false when it has neither.
func APIKeyMode(secret string) (livemode, ok bool) {
	switch {
	case strings.HasPrefix(secret, APIKeyPrefixLive):
		return true, true
	case strings.HasPrefix(secret, APIKeyPrefixTest):
		return false, true
	}
	return false, false
}

// NewAPIKeySecret returns a new secret key of the mode and the prefix shown to identify it later.
func NewAPIKeySecret(livemode bool) (secret, shownPrefix string) {
	p := APIKeyPrefix(livemode)
	secret = p + domain.NewToken(24)
	return secret, secret[:len(p)+4]
}

// Sessions issues and checks portal session tokens (JWT, HS256).
type Sessions struct {
	Secret []byte
	TTL    time.Duration
	Now    func() time.Time
}

// SessionClaims are what a session token says.
type SessionClaims struct {
	UserID     string
	MerchantID string
	SessionID  string
	ExpiresAt  time.Time
}

// ErrInvalidSession is returned for a token that is malformed, forged or expired.
var ErrInvalidSession = errors.New("auth: invalid session")

const issuer = "securelink"

// Issue returns a signed session token for the user.
func (s *Sessions) Issue(userID, merchantID string) (string, SessionClaims, error) {
	now := s.now()
	c := SessionClaims{UserID: userID, MerchantID: merchantID, SessionID: domain.NewToken(16), ExpiresAt: now.Add(s.TTL)}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": issuer, "sub": userID, "mer": merchantID, "sid": c.SessionID,
		"iat": now.Unix(), "exp": c.ExpiresAt.Unix(),
	})
	signed, err := tok.SignedString(s.Secret)
	if err != nil {
		return "", SessionClaims{}, fmt.Errorf("auth: sign session: %w", err)
	}
	return signed, c, nil
}

// Parse checks a session token; the algorithm is pinned to HS256.
func (s *Sessions) Parse(token string) (SessionClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return s.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now))
	if err != nil {
		return SessionClaims{}, fmt.Errorf("%w: %v", ErrInvalidSession, err)
	}
	sub, _ := claims["sub"].(string)
	mer, _ := claims["mer"].(string)
	sid, _ := claims["sid"].(string)
	exp, _ := claims.GetExpirationTime()
	if sub == "" || mer == "" || sid == "" || exp == nil {
		return SessionClaims{}, ErrInvalidSession
	}
	return SessionClaims{UserID: sub, MerchantID: mer, SessionID: sid, ExpiresAt: exp.Time}, nil
}

// CSRFToken is bound to one session: an HMAC of its id, so it needs no storage.
func (s *Sessions) CSRFToken(sessionID string) string {
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte("csrf:" + sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether token is the CSRF token of the session, in constant time.
func (s *Sessions) CheckCSRF(sessionID, token string) bool {
	token = strings.TrimSpace(token)
	return token != "" && hmac.Equal([]byte(token), []byte(s.CSRFToken(sessionID)))
}

func (s *Sessions) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
