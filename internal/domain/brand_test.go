package domain_test

import (
	"fmt"
	"math"
	"testing"

	"securelink/internal/domain"
)

func TestNormalizeBrandColor(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", " #1F4FD1 ": "#1f4fd1", "#ffffff": "#ffffff"} {
		if got, ok := domain.NormalizeBrandColor(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"#fff", "1f4fd1", "#1f4fd1ff", "#gggggg", "red", "#-1f4fd", "#+1f4fd", "rgb(1,2,3)"} {
		if got, ok := domain.NormalizeBrandColor(in); ok {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}

func TestContrastRatio(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#777777", "#ffffff", 4.48}, // the classic grey that just fails AA
		{"#1f4fd1", "#ffffff", 6.78},
	} {
		if got := domain.ContrastRatio(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("%s on %s: %.3f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestBrandTextColorPassesAA: over a sweep of colours the chosen text colour always reaches WCAG
// AA's 4.5:1, and it is the better of black and white.
func TestBrandTextColorPassesAA(t *testing.T) {
	t.Parallel()
	if got := domain.BrandTextColor("#ffd400"); got != domain.BrandTextDark {
		t.Errorf("yellow: %s, want black text", got)
	}
	if got := domain.BrandTextColor("#1f4fd1"); got != domain.BrandTextLight {
		t.Errorf("blue: %s, want white text", got)
	}
	for r := 0; r < 256; r += 15 {
		for g := 0; g < 256; g += 15 {
			for b := 0; b < 256; b += 15 {
				bg := fmt.Sprintf("#%02x%02x%02x", r, g, b)
				text := domain.BrandTextColor(bg)
				c := domain.ContrastRatio(bg, text)
				other := domain.ContrastRatio(bg, map[string]string{domain.BrandTextDark: domain.BrandTextLight, domain.BrandTextLight: domain.BrandTextDark}[text])
				if c < domain.MinTextContrast || c < other {
					t.Fatalf("%s with %s text: %.2f:1 (the other %.2f:1)", bg, text, c, other)
				}
			}
		}
	}
}
