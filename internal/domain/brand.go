package domain

import (
	"math"
	"strconv"
	"strings"
)

// NormalizeBrandColor reads a merchant's brand colour: "#RRGGBB" (any case, surrounding spaces
// ignored), returned lower-case; ok is false for anything else. An empty colour is allowed and means
// the product's own colours.
func NormalizeBrandColor(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", true
	}
	if len(s) != 7 || s[0] != '#' {
		return "", false
	}
	if _, err := strconv.ParseUint(s[1:], 16, 32); err != nil {
		return "", false
	}
	return s, true
}

// The text colours a brand colour is paired with.
const (
	BrandTextDark  = "#000000"
	BrandTextLight = "#ffffff"
)

// MinTextContrast is WCAG 2's AA contrast ratio for normal text.
const MinTextContrast = 4.5

// BrandTextColor is the text colour (black or white) with the higher contrast against a brand colour
// (a normalised "#rrggbb"): the pair always passes WCAG AA for normal text, since the better of black
// and white is at least about 4.58:1 against any colour. An empty colour gives white, for the
// product's own blue.
func BrandTextColor(bg string) string {
	if bg == "" {
		return BrandTextLight
	}
	if ContrastRatio(bg, BrandTextDark) >= ContrastRatio(bg, BrandTextLight) {
		return BrandTextDark
	}
	return BrandTextLight
}

// ContrastRatio is WCAG 2's contrast ratio of two "#rrggbb" colours, from 1 to 21.
func ContrastRatio(a, b string) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// relativeLuminance is WCAG 2's relative luminance of a "#rrggbb" colour.
func relativeLuminance(c string) float64 {
	v, err := strconv.ParseUint(strings.TrimPrefix(c, "#"), 16, 32)
	if err != nil {
		return 0
	}
	channel := func(shift uint) float64 {
		s := float64((v>>shift)&0xff) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(16) + 0.7152*channel(8) + 0.0722*channel(0)
}
