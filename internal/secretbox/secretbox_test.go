package secretbox_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"securelink/internal/secretbox"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, secretbox.KeySize) }

func TestSealOpenRotate(t *testing.T) {
	oldKey, newKey := key(1), key(2)
	old, err := secretbox.New(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	sealed, id, err := old.Seal([]byte("sk_live_secret"), []byte("pa_1"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "sk_live") || id != secretbox.KeyID(oldKey) {
		t.Fatalf("sealed %q with key %q", sealed, id)
	}
	rotated, err := secretbox.New(newKey, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		ring    *secretbox.Keyring
		id      string
		context string
		want    string
		wantErr error
	}{
		{"the sealing key opens it", old, id, "pa_1", "sk_live_secret", nil},
		{"a previous key still opens it after rotation", rotated, id, "pa_1", "sk_live_secret", nil},
		{"another row's context does not open it", old, id, "pa_2", "", errors.New("any")},
		{"a keyring without the key says so", mustNew(t, newKey), id, "pa_1", "", secretbox.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ring.Open(sealed, tt.id, []byte(tt.context))
			if tt.wantErr != nil {
				if err == nil || (errors.Is(tt.wantErr, secretbox.ErrUnknownKey) && !errors.Is(err, secretbox.ErrUnknownKey)) {
					t.Fatalf("Open = %q, %v; want error %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("Open = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	again, newID, err := rotated.Seal([]byte("x"), nil)
	if err != nil || newID != secretbox.KeyID(newKey) || again == "" {
		t.Fatalf("rotated keyring seals with %q (%v), want the new key", newID, err)
	}
}

func mustNew(t *testing.T, k []byte) *secretbox.Keyring {
	r, err := secretbox.New(k)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseKey(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", true},
		{strings.Repeat("ab", 32), true},
		{"short", false},
		{strings.Repeat("ab", 16), false},
	}
	for _, tt := range tests {
		_, err := secretbox.ParseKey(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseKey(%q) err = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestNoKeyCannotSeal(t *testing.T) {
	empty, err := secretbox.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := empty.Seal([]byte("x"), nil); !errors.Is(err, secretbox.ErrNoKey) {
		t.Fatalf("Seal without a key: %v", err)
	}
}
