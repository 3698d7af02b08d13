package store_test

import (
	"testing"

	"securelink/internal/store"
)

func TestEmbedded(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"", true},
		{"sqlite:data/securelink.db", true},
		{"sqlite:", true},
		{"postgres://postgres@127.0.0.1:5432/test", false},
		{"postgresql://postgres@127.0.0.1/test", false},
		{"mysql://root@127.0.0.1/test", false},
	}
	for _, tt := range tests {
		if got := store.Embedded(tt.url); got != tt.want {
			t.Errorf("Embedded(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
