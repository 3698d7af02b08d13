package api_test

import (
	"net/http"
	"testing"

	"securelink/api/apitest"
)

// TestBrandColour: the merchant's colour is kept normalised, comes with the text colour chosen for
// contrast, reaches the checkout, and an empty one goes back to the product's colours.
func TestBrandColour(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Boja")
		if got := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t); got["brand_color"] != "" || got["brand_text_color"] != "#ffffff" {
			t.Errorf("default colours: %v %v", got["brand_color"], got["brand_text_color"])
		}
		_, token := newInvoice(t, e, m, 1000, "automatic")
		for _, tc := range []struct{ in, color, text string }{
			{"#FFD400", "#ffd400", "#000000"},
			{"#0b3d2e", "#0b3d2e", "#ffffff"},
			{"", "", "#ffffff"},
		} {
			r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"brand_color": tc.in}, m.Auth())
			if r.Status != http.StatusOK {
				t.Fatalf("patch %q: %d %s", tc.in, r.Status, r.Body)
			}
			if got := r.Map(t); got["brand_color"] != tc.color || got["brand_text_color"] != tc.text {
				t.Errorf("merchant with %q: %v %v", tc.in, got["brand_color"], got["brand_text_color"])
			}
			co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)["merchant"].(map[string]any)
			if co["brand_color"] != tc.color || co["brand_text_color"] != tc.text {
				t.Errorf("checkout with %q: %v %v", tc.in, co["brand_color"], co["brand_text_color"])
			}
		}
	})
}
