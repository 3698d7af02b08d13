package api_test

import (
	"testing"

	"securelink/api/apitest"
	"securelink/internal/domain"
)

func TestCurrenciesArePublishedFromTheDomainTable(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	r := e.Do(t, "GET", "/api/v1/currencies", nil)
	if r.Status != 200 {
		t.Fatalf("GET /currencies: %d %s", r.Status, r.Body)
	}
	if got := r.Header.Get("Cache-Control"); got != "public, max-age=86400" {
		t.Errorf("Cache-Control %q, want a public, cacheable answer", got)
	}
	var list []struct {
		Code     string `json:"code"`
		Exponent int    `json:"exponent"`
		Name     string `json:"name"`
	}
	r.JSON(t, &list)
	if len(list) != len(domain.Currencies) {
		t.Fatalf("%d currencies published, the domain has %d", len(list), len(domain.Currencies))
	}
	for i, c := range domain.Currencies {
		if list[i].Code != c.Code || list[i].Exponent != c.Exponent || list[i].Name != c.Name {
			t.Errorf("currency %d: %+v, want %+v", i, list[i], c)
		}
	}
}
