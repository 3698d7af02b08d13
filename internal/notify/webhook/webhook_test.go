package webhook

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSignatureKnownAnswer checks the signature against a vector computed independently with
// openssl: printf 'msg_1.1700000000.{"a":1}' | openssl dgst -sha256 -hmac "secret-key-bytes" -binary | base64
func TestSignatureKnownAnswer(t *testing.T) {
	secret := "whsec_c2VjcmV0LWtleS1ieXRlcw==" // base64("secret-key-bytes")
	got, err := Signature("msg_1", 1700000000, []byte(`{"a":1}`), secret)
	if err != nil {
		t.Fatal(err)
	}
	if got != "v1,"+knownSignature {
		t.Errorf("Signature = %q, want v1,%s", got, knownSignature)
	}
	two, _ := Signature("msg_1", 1700000000, []byte(`{"a":1}`), secret, NewSecret())
	if parts := strings.Fields(two); len(parts) != 2 || parts[0] != got {
		t.Errorf("two secrets give %q", two)
	}
	if _, err := Signature("m", 1, nil, "whsec_!!!"); err == nil {
		t.Errorf("a malformed secret signed")
	}
}

func TestNewSecretIsWhsecAnd32Bytes(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	key, err := secretKey(a)
	if !strings.HasPrefix(a, SecretPrefix) || err != nil || len(key) != 32 || a == b {
		t.Errorf("NewSecret = %q (%d bytes, %v)", a, len(key), err)
	}
}

func TestExcerptIsBoundedValidText(t *testing.T) {
	long := strings.Repeat("ž", 2000)
	for _, in := range [][]byte{[]byte(long), {0xff, 0xfe, 'o', 'k', 0}, []byte("fine")} {
		out := Excerpt(in)
		if len(out) > MaxExcerpt || !utf8.ValidString(out) || strings.ContainsRune(out, 0) {
			t.Errorf("Excerpt(%.20q) = %.20q (%d bytes)", in, out, len(out))
		}
	}
}

const knownSignature = "95beCSmK5ZaKn5vbdpwGeYdFGunffVu+THGvS8LgDos="
