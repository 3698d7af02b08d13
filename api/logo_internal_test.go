package api

import (
	"testing"

	"securelink/internal/merchants"
)

// TestPortalExplainsEveryLogoRefusal: the logo settings have words for exactly the codes a refused
// logo gets.
func TestPortalExplainsEveryLogoRefusal(t *testing.T) {
	t.Parallel()
	src := readFile(t, "../frontend-portal/src/pages/settings/LogoSettings.svelte")
	sameSet(t, "logo refusal codes", merchants.LogoErrorCodes, matches(`'(logo_\w+)':`, src))
}
