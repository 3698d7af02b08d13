package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
)

func TestSessions(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	s := &Sessions{Secret: []byte("0123456789abcdef0123456789abcdef"), TTL: time.Hour, Now: func() time.Time { return now }}
	tok, claims, err := s.Issue("usr_1", "mer_1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Parse(tok)
	if err != nil || got.UserID != "usr_1" || got.MerchantID != "mer_1" || got.SessionID != claims.SessionID {
		t.Fatalf("parse: %+v %v", got, err)
	}
	// Expired, forged with another key, or with another algorithm: all refused.
	late := &Sessions{Secret: s.Secret, TTL: time.Hour, Now: func() time.Time { return now.Add(2 * time.Hour) }}
	if _, err := late.Parse(tok); err == nil {
		t.Error("expired session accepted")
	}
	other := &Sessions{Secret: []byte("another-secret-another-secret-xx"), TTL: time.Hour, Now: s.Now}
	if _, err := other.Parse(tok); err == nil {
		t.Error("session signed with another key accepted")
	}
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"iss": "securelink", "sub": "u", "mer": "m", "sid": "s", "exp": now.Add(time.Hour).Unix()}).SignedString(s.Secret)
	if _, err := s.Parse(hs512); err == nil {
		t.Error("HS512 token accepted: the algorithm must be pinned")
	}
	if _, err := s.Parse(strings.Replace(tok, ".", "x.", 1)); err == nil {
		t.Error("mangled token accepted")
	}
	// CSRF tokens belong to one session.
	csrf := s.CSRFToken(claims.SessionID)
	if !s.CheckCSRF(claims.SessionID, csrf) || s.CheckCSRF("other-session", csrf) || s.CheckCSRF(claims.SessionID, "") {
		t.Error("CSRF token check")
	}
}

func TestPasswordsAndSecrets(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil || !strings.HasPrefix(h, "$2") {
		t.Fatalf("hash %q %v", h, err)
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "wrong") || CheckPassword("", "anything") {
		t.Error("password check")
	}
	for _, tc := range []struct {
		live   bool
		prefix string
	}{{false, "sk_test_"}, {true, "sk_live_"}} {
		secret, prefix := NewAPIKeySecret(tc.live)
		if !strings.HasPrefix(secret, tc.prefix) || !strings.HasPrefix(secret, prefix) || len(secret) < 40 {
			t.Errorf("live %v: secret %q prefix %q", tc.live, secret, prefix)
		}
		if live, ok := APIKeyMode(secret); !ok || live != tc.live {
			t.Errorf("APIKeyMode(%q) = %v, %v; want %v", secret, live, ok, tc.live)
		}
	}
	if _, ok := APIKeyMode("pk_test_abc"); ok {
		t.Error("a publishable-looking key has no secret key mode")
	}
	secret, _ := NewAPIKeySecret(false)
	if HashToken(secret) == HashToken(secret+"x") || len(HashToken(secret)) != 64 {
		t.Error("token hash")
	}
}

// TestPasswordsHashAtTheDefaultCost: unless a test binary asked for fast hashes, new hashes and the
// dummy a miss is compared with carry bcrypt's default cost.
func TestPasswordsHashAtTheDefaultCost(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for name, hash := range map[string][]byte{"new hash": []byte(h), "dummy": *dummyHash.Load()} {
		if c, err := bcrypt.Cost(hash); err != nil || c != bcrypt.DefaultCost {
			t.Errorf("%s: cost %d (%v), want %d", name, c, err, bcrypt.DefaultCost)
		}
	}
}
