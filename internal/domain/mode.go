package domain

import "context"

// Modes. Every object a merchant owns is test or live data (its Livemode); a request works in one
// mode and sees only that mode's objects: an API key's mode (sk_test_… or sk_live_…), or for the
// portal the session's Test mode switch.
const (
	ModeTest = "test"
	ModeLive = "live"
)

// Modes lists the modes, test first.
var Modes = []string{ModeTest, ModeLive}

// ModeName is "live" or "test".
func ModeName(livemode bool) string {
	if livemode {
		return ModeLive
	}
	return ModeTest
}

// ParseMode reads "test" or "live"; ok is false for anything else.
func ParseMode(s string) (livemode, ok bool) {
	switch s {
	case ModeTest:
		return false, true
	case ModeLive:
		return true, true
	}
	return false, false
}

type modeKey struct{}

// WithMode marks ctx as working in one mode: every store read and change of merchant-owned data
// made with it is limited to that mode's objects.
func WithMode(ctx context.Context, livemode bool) context.Context {
	return context.WithValue(ctx, modeKey{}, livemode)
}

// ModeOf returns the mode ctx works in; ok is false for work that is not a merchant's request (the
// checkout, whose link names its invoice, and background jobs), which sees objects of both modes.
func ModeOf(ctx context.Context) (livemode, ok bool) {
	livemode, ok = ctx.Value(modeKey{}).(bool)
	return livemode, ok
}
