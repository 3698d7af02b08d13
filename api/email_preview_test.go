package api_test

import (
	"net/http"
	"strings"
	"testing"

	"securelink/api"
	"securelink/api/apitest"
)

// TestEmailPreviewIsASandboxedPage: an e-mail's HTML part is served as a page of its own under a
// policy that lets its inline styles work and nothing else (no scripts, sandboxed), framed only by
// the portal; a password-reset e-mail has no preview.
func TestEmailPreviewIsASandboxedPage(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Preview shop")
		id := emailOf(t, e, m)
		r := e.Do(t, "GET", "/api/v1/emails/"+id+"/preview", nil, m.Auth())
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("preview: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		csp := r.Header.Get("Content-Security-Policy")
		if csp != api.EmailPreviewCSP || strings.Contains(csp, "script-src") || !strings.Contains(csp, "sandbox") {
			t.Errorf("preview CSP %q", csp)
		}
		if r.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("X-Frame-Options %q", r.Header.Get("X-Frame-Options"))
		}
		if !strings.Contains(string(r.Body), "Preview shop") || !strings.Contains(string(r.Body), `style="`) {
			t.Errorf("preview body: %.300s", r.Body)
		}
		e.Do(t, "POST", "/api/v1/auth/password-reset", map[string]any{"email": m.Email})
		for _, em := range e.Do(t, "GET", "/api/v1/emails", nil, m.Auth()).Map(t)["data"].([]any) {
			if em := em.(map[string]any); em["kind"] == "password_reset" {
				if r := e.Do(t, "GET", "/api/v1/emails/"+em["id"].(string)+"/preview", nil, m.Auth()); r.Status != http.StatusNotFound {
					t.Errorf("a reset e-mail's preview: %d", r.Status)
				}
			}
		}
	})
}
