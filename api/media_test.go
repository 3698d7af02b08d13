package api_test

import (
	"net/http"
	"testing"

	"securelink/api/apitest"
	"securelink/api/wiring"
)

// TestJSONEndpointsRefuseOtherMediaTypes: a body labelled as anything but JSON (curl's -d sends a
// form label) answers 415 naming Content-Type, and is not acted on.
func TestJSONEndpointsRefuseOtherMediaTypes(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Media")
		for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "", "multipart/form-data; boundary=x"} {
			for _, c := range []struct {
				method, path string
				body         any
				auth         []apitest.Header
			}{
				{"POST", "/api/v1/invoices", apitest.Invoice(1000), []apitest.Header{m.Auth()}},
				{"PATCH", "/api/v1/merchant", map[string]any{"name": "X"}, []apitest.Header{m.Auth()}},
				{"POST", "/api/v1/auth/login", map[string]any{"email": m.Email, "password": m.Password}, nil},
			} {
				r := e.Do(t, c.method, c.path, c.body, append(c.auth, apitest.Header{Name: "Content-Type", Value: ct})...)
				if r.Status != http.StatusUnsupportedMediaType || r.ErrorObject(t)["param"] != "Content-Type" {
					t.Errorf("%s %s as %q: %d %s", c.method, c.path, ct, r.Status, r.Body)
				}
			}
		}
		if n := len(e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()).Map(t)["data"].([]any)); n != 0 {
			t.Errorf("%d invoices created from non-JSON bodies", n)
		}
		for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/merge-patch+json"} {
			r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"name": "Y"}, m.Auth(), apitest.Header{Name: "Content-Type", Value: ct})
			if r.Status != http.StatusOK {
				t.Errorf("PATCH as %q: %d %s", ct, r.Status, r.Body)
			}
		}
	})
}

// TestNoBenchmarkRouteAndPrivateMetrics: the production router has no benchmark route, and with
// SECURELINK_METRICS_ADDR set /metrics is not on the main address.
func TestNoBenchmarkRouteAndPrivateMetrics(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	if r := e.Do(t, "GET", "/bench/constant", nil); r.Status != http.StatusNotFound && r.Status != http.StatusOK {
		t.Errorf("/bench/constant: %d", r.Status)
	}
	metricsOnMain := false
	for _, r := range e.App.Server.Echo().Routes() {
		if r.Path == "/bench/constant" {
			t.Error("/bench/constant is a route of the production router")
		}
		metricsOnMain = metricsOnMain || r.Path == "/metrics"
	}
	if !metricsOnMain {
		t.Error("without SECURELINK_METRICS_ADDR /metrics must be on the main address")
	}
	private := apitest.New(t, "sqlite", func(c *wiring.Config) { c.MetricsAddr = "127.0.0.1:0" })
	if r := private.Do(t, "GET", "/metrics", nil); r.Status == http.StatusOK {
		t.Errorf("/metrics answered %d on the main address although SECURELINK_METRICS_ADDR is set", r.Status)
	}
}
