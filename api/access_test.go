package api_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
)

// merchantIDRoutes lists every merchant route that takes another object's id, with how to get an id
// of merchant A for it. A route missing from here fails TestBOLAMatrixCoversEveryRoute.
type idSource func(t *testing.T, e *apitest.Env, a apitest.Merchant) string

func invoiceOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	return e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), a.Auth()).Map(t)["id"].(string)
}

func linkOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	inv := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), a.Auth()).Map(t)
	return inv["link"].(map[string]any)["id"].(string)
}

func keyOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string { return a.KeyID }

// bolaRoutes maps "METHOD /path/:id…" to where A's id comes from. Routes of other resources add
// themselves in their own test files through extraBOLARoutes.
var bolaRoutes = map[string]idSource{
	"GET /api/v1/invoices/:id":          invoiceOf,
	"POST /api/v1/invoices/:id/cancel":  invoiceOf,
	"POST /api/v1/invoices/:id/send":    invoiceOf,
	"POST /api/v1/invoices/:id/remind":  invoiceOf,
	"POST /api/v1/invoices/:id/links":   invoiceOf,
	"POST /api/v1/links/:id/deactivate": linkOf,
	"DELETE /api/v1/api-keys/:id":       keyOf,
	// The receipt of another merchant's invoice is as unknown as the invoice.
	"GET /api/v1/invoices/:id/receipt.pdf": invoiceOf,
}

// extraBOLARoutes is filled by other resources' test files (payments, webhooks, e-mails).
var extraBOLARoutes = map[string]idSource{}

func allBOLARoutes() map[string]idSource {
	all := map[string]idSource{}
	for k, v := range bolaRoutes {
		all[k] = v
	}
	for k, v := range extraBOLARoutes {
		all[k] = v
	}
	return all
}

// publicIDRoutes take a capability token rather than an object id.
var publicIDRoutes = map[string]bool{
	"GET /api/v1/auth/invitations/:token":     true,
	"GET /api/v1/checkout/:token":             true,
	"POST /api/v1/checkout/:token/pay":        true,
	"POST /api/v1/checkout/:token/complete":   true,
	"GET /api/v1/checkout/:token/receipt.pdf": true,
	// A logo's address is the SHA-256 of its bytes: public, like the pages that show it.
	"GET /api/v1/logos/:file": true,
	// The caller's own provider account, named by mode: there is no other merchant's id to try.
	"GET /api/v1/provider-accounts/:mode":       true,
	"PUT /api/v1/provider-accounts/:mode":       true,
	"DELETE /api/v1/provider-accounts/:mode":    true,
	"POST /api/v1/provider-accounts/:mode/test": true,
	// A provider's notifications, verified with the account's own secret; they settle only that
	// account's payments (TestProviderAccountWebhooks).
	"POST /api/v1/psp/accounts/:id/webhook": true,
}

func TestBOLAMatrixCoversEveryRoute(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	all := allBOLARoutes()
	var missing []string
	for _, r := range e.App.Server.Echo().Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || !strings.Contains(r.Path, "/:") {
			continue
		}
		key := r.Method + " " + r.Path
		if !publicIDRoutes[key] && all[key] == nil {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("merchant routes with ids missing from the BOLA matrix:\n%s", strings.Join(missing, "\n"))
	}
}

// TestBOLA: merchant B calls every merchant endpoint with merchant A's ids and gets 404 every time,
// and A's objects are unchanged afterwards.
func TestBOLA(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		a, b := e.NewMerchant(t, "A"), e.NewMerchant(t, "B")
		for route, src := range allBOLARoutes() {
			method, path, _ := strings.Cut(route, " ")
			id := src(t, e, a)
			p := strings.Replace(strings.TrimPrefix(path, ""), ":id", id, 1)
			r := e.Do(t, method, p, map[string]any{}, b.Auth())
			if r.Status != http.StatusNotFound {
				t.Errorf("B %s %s: %d %s, want 404", method, p, r.Status, r.Body)
			}
		}
		// A's key still works and A's invoices are all still open.
		list := e.Do(t, "GET", "/api/v1/invoices?limit=100", nil, a.Auth())
		if list.Status != http.StatusOK {
			t.Fatalf("A can no longer list: %d", list.Status)
		}
		for _, inv := range list.Map(t)["data"].([]any) {
			if s := inv.(map[string]any)["status"]; s != "open" {
				t.Errorf("A's invoice changed by B's calls: status %v", s)
			}
		}
		// B sees none of A's invoices in lists either.
		if n := len(e.Do(t, "GET", "/api/v1/invoices", nil, b.Auth()).Map(t)["data"].([]any)); n != 0 {
			t.Errorf("B lists %d invoices of A", n)
		}
	})
}

func TestPaginationOverMoreThanAHundredInvoices(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pages")
		const n = 130
		created := map[string]bool{}
		for i := range n {
			body := apitest.Invoice(int64(100 + i))
			body["reference"] = fmt.Sprintf("R-%03d", i)
			r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth())
			if r.Status != http.StatusCreated {
				t.Fatalf("create %d: %d %s", i, r.Status, r.Body)
			}
			created[r.Map(t)["id"].(string)] = true
		}
		for _, limit := range []int{7, 100} {
			seen := map[string]bool{}
			var order []string
			after := ""
			for pages := 0; ; pages++ {
				if pages > n {
					t.Fatal("pagination does not end")
				}
				r := e.Do(t, "GET", fmt.Sprintf("/api/v1/invoices?limit=%d&starting_after=%s", limit, after), nil, m.Auth())
				page := r.Map(t)
				data := page["data"].([]any)
				if len(data) > limit {
					t.Fatalf("page of %d with limit %d", len(data), limit)
				}
				for _, d := range data {
					id := d.(map[string]any)["id"].(string)
					if seen[id] {
						t.Fatalf("limit %d: %s repeated", limit, id)
					}
					seen[id] = true
					order = append(order, id)
				}
				if !page["has_more"].(bool) {
					break
				}
				after = order[len(order)-1]
			}
			if len(seen) != n {
				t.Errorf("limit %d: saw %d invoices, want %d", limit, len(seen), n)
			}
			for id := range created {
				if !seen[id] {
					t.Errorf("limit %d: %s missing", limit, id)
				}
			}
			if !sort.SliceIsSorted(order, func(i, j int) bool { return order[i] > order[j] }) {
				t.Errorf("limit %d: not newest first", limit)
			}
		}
	})
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Filters")
		mk := func(name, email, ref string) string {
			b := apitest.Invoice(1000)
			b["customer"] = map[string]any{"name": name, "email": email}
			b["reference"] = ref
			return e.Do(t, "POST", "/api/v1/invoices", b, m.Auth()).Map(t)["id"].(string)
		}
		ana := mk("Ана Анић", "ana@example.com", "ORD-1")
		marko := mk("Marko Marković", "marko@example.com", "ORD-2")
		pera := mk("Pera 100%_done", "pera@example.com", "SPECIAL")
		xana := mk("Ivana", "Xana@Example.com", "X-9")
		if r := e.Do(t, "POST", "/api/v1/invoices/"+marko+"/cancel", nil, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}
		ids := func(q string) []string {
			r := e.Do(t, "GET", "/api/v1/invoices?"+q, nil, m.Auth())
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", q, r.Status, r.Body)
			}
			var out []string
			for _, d := range r.Map(t)["data"].([]any) {
				out = append(out, d.(map[string]any)["id"].(string))
			}
			return out
		}
		today := time.Now().UTC().Format("2006-01-02")
		cases := []struct {
			q    string
			want []string
		}{
			{"status=cancelled", []string{marko}},
			{"status=open", []string{xana, pera, ana}},
			{"q=%D0%B0%D0%BD%D0%B0", []string{ana}}, // "ана", lower-case Cyrillic matches "Ана"
			{"q=MARKO%40EXAMPLE", []string{marko}},
			{"q=ord-", []string{marko, ana}},
			{"q=INV-000003", []string{pera}},
			{"q=100%25_", []string{pera}}, // % and _ are literal, not wildcards
			{"q=5%25", nil},
			{"created_gte=" + today + "&created_lte=" + today, []string{xana, pera, marko, ana}},
			{"created_lte=2020-01-01", nil},
			{"status=open&q=pera", []string{pera}},
			// A term with @ after its first character is the beginning of a customer's e-mail.
			{"q=ana%40", []string{ana}},
			{"q=ANA%40EXAMPLE.COM", []string{ana}},
			{"q=xana%40example.com", []string{xana}},
			{"q=ana%40example.co", []string{ana}},
			{"q=ana%40example.comx", nil},
			{"q=an_%40", nil}, // _ is literal here too
			// Any other term is found anywhere: a domain, part of an address.
			{"q=%40example.com", []string{xana, pera, marko, ana}},
			{"q=ana", []string{xana, ana}},
		}
		for _, tc := range cases {
			if got := ids(tc.q); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s → %v, want %v", tc.q, got, tc.want)
			}
		}
	})
}

// TestLogoBOLA: a merchant's upload and removal touch only its own logo.
func TestLogoBOLA(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		a, b := e.NewMerchant(t, "A"), e.NewMerchant(t, "B")
		aURL := putLogo(t, e, a, "image/png", pngImage(t, 16, 16)).Map(t)["url"].(string)
		if r := e.Do(t, "DELETE", "/api/v1/merchant/logo", nil, b.Auth()); r.Status != http.StatusNoContent {
			t.Fatalf("B delete: %d", r.Status)
		}
		bURL := putLogo(t, e, b, "image/png", pngImage(t, 20, 10)).Map(t)["url"].(string)
		if got := e.Do(t, "GET", "/api/v1/merchant", nil, a.Auth()).Map(t)["logo_url"]; got != aURL {
			t.Errorf("A's logo after B's calls: %v, want %s", got, aURL)
		}
		if r := e.Do(t, "GET", aURL, nil); r.Status != http.StatusOK {
			t.Errorf("A's logo no longer served: %d", r.Status)
		}
		if aURL == bURL {
			t.Error("different images share an address")
		}
		// Without credentials nothing changes.
		if r := e.Do(t, "DELETE", "/api/v1/merchant/logo", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous delete: %d", r.Status)
		}
		if r := e.Do(t, "PUT", "/api/v1/merchant/logo", pngImage(t, 4, 4), apitest.Header{Name: "Content-Type", Value: "image/png"}); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous upload: %d", r.Status)
		}
	})
}

// TestPasswordResetMailStaysWithItsMerchant: a password-reset e-mail is in its own merchant's mailbox
// only, and even there without the link; another merchant gets 404 for it.
func TestPasswordResetMailStaysWithItsMerchant(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		a, b := e.NewMerchant(t, "A"), e.NewMerchant(t, "B")
		if r := e.Do(t, "POST", "/api/v1/auth/password-reset", map[string]any{"email": a.Email}); r.Status != http.StatusAccepted {
			t.Fatalf("request: %d %s", r.Status, r.Body)
		}
		var id string
		for _, em := range e.Do(t, "GET", "/api/v1/emails", nil, a.Auth()).Map(t)["data"].([]any) {
			if em := em.(map[string]any); em["kind"] == "password_reset" {
				id = em["id"].(string)
				if em["redacted"] != true || em["text"] != "" {
					t.Errorf("A's mailbox shows the reset link: %v", em)
				}
			}
		}
		if id == "" {
			t.Fatal("no reset e-mail in A's mailbox")
		}
		for _, req := range [][2]string{{"GET", "/api/v1/emails/" + id}, {"POST", "/api/v1/emails/" + id + "/send"}} {
			if r := e.Do(t, req[0], req[1], map[string]any{}, b.Auth()); r.Status != http.StatusNotFound {
				t.Errorf("B %s %s: %d, want 404", req[0], req[1], r.Status)
			}
		}
		for _, em := range e.Do(t, "GET", "/api/v1/emails", nil, b.Auth()).Map(t)["data"].([]any) {
			if em.(map[string]any)["kind"] == "password_reset" {
				t.Error("B's mailbox lists A's reset e-mail")
			}
		}
	})
}
