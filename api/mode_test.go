package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"securelink"
	"securelink/api"
	"securelink/api/apitest"
	"securelink/internal/psp/testgateway"
)

// Test and live data side by side: a key sees only its mode's objects, the portal's Test mode
// switch does the same for a session, live invoices are numbered on their own, webhook endpoints
// get only their mode's events and test e-mails say so.

// asMode is the merchant as its key of one mode sees it: the id sources of the BOLA matrix then
// create objects of that mode.
// newLiveMerchant is a merchant with a live provider account, so it can create live invoices.
func newLiveMerchant(t *testing.T, e *apitest.Env, name string) apitest.Merchant {
	m := e.NewMerchant(t, name)
	e.ConnectLive(t, m)
	return m
}

func asMode(m apitest.Merchant, live bool) apitest.Merchant {
	if live {
		m.APIKey, m.KeyID = m.LiveKey, m.LiveID
	}
	return m
}

// accountRoutes take the id of something that belongs to the whole account, both modes.
var accountRoutes = map[string]string{
	"DELETE /api/v1/users/:id": "a team member works in both modes",
}

// modeSources replace a BOLA id source whose object does not belong to the merchant it is given.
var modeSources = map[string]idSource{
	"GET /api/v1/refunds/:id": func(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
		_, token := newInvoice(t, e, a, 1000, "automatic")
		p := pay(t, e, token, visaCard, http.StatusOK)
		r := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/refunds", map[string]any{"amount": 100}, a.Auth())
		if r.Status != http.StatusCreated {
			t.Fatalf("refund: %d %s", r.Status, r.Body)
		}
		return r.Map(t)["id"].(string)
	},
}

// modeRoutes lists every path of openapi.yaml that names an object by id, as Echo spells it
// ("/invoices/{id}" → "METHOD /api/v1/invoices/:id"), without the capability-token routes.
func modeRoutes(t *testing.T) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(securelink.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	param := regexp.MustCompile(`\{(\w+)\}`)
	var out []string
	for path, item := range doc.Paths.Map() {
		if !strings.Contains(path, "{") {
			continue
		}
		for method := range item.Operations() {
			key := method + " /api/v1" + param.ReplaceAllString(path, ":$1")
			if !publicIDRoutes[key] {
				out = append(out, key)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestModeMatrixCoversEveryRoute: every route of openapi.yaml that takes an object's id is in the
// mode matrix below, or says why its object belongs to both modes.
func TestModeMatrixCoversEveryRoute(t *testing.T) {
	t.Parallel()
	all := allBOLARoutes()
	var missing []string
	for _, key := range modeRoutes(t) {
		if all[key] == nil && accountRoutes[key] == "" {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		t.Errorf("routes with ids missing from the mode matrix:\n%s", strings.Join(missing, "\n"))
	}
}

// TestModeMatrix: a test object's id used with a live key is 404 on every route of openapi.yaml that
// takes an id, and a live object's id with a test key too; the objects are unchanged afterwards.
func TestModeMatrix(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		a := newLiveMerchant(t, e, "Modes")
		sources := allBOLARoutes()
		for k, v := range modeSources {
			sources[k] = v
		}
		for _, route := range modeRoutes(t) {
			src := sources[route]
			if src == nil || accountRoutes[route] != "" {
				continue // an account route, or missing (TestModeMatrixCoversEveryRoute says so)
			}
			method, path, _ := strings.Cut(route, " ")
			for _, live := range []bool{false, true} {
				owner, other := asMode(a, live), asMode(a, !live)
				id := src(t, e, owner)
				p := strings.Replace(path, ":id", id, 1)
				r := e.Do(t, method, p, map[string]any{}, other.Auth())
				if r.Status != http.StatusNotFound {
					t.Errorf("%s %s (a %s object) with a %s key: %d %s, want 404", method, p, mode(live), mode(!live), r.Status, r.Body)
				}
			}
		}
		// Nothing the other mode's key asked for changed an invoice: every invoice is still open.
		for _, live := range []bool{false, true} {
			list := e.Do(t, "GET", "/api/v1/invoices?limit=100", nil, asMode(a, live).Auth())
			if list.Status != http.StatusOK {
				t.Fatalf("list %s invoices: %d", mode(live), list.Status)
			}
			for _, inv := range list.Map(t)["data"].([]any) {
				inv := inv.(map[string]any)
				if inv["livemode"] != live {
					t.Errorf("the %s key lists %v with livemode %v", mode(live), inv["id"], inv["livemode"])
				}
				if inv["status"] != "open" && inv["status"] != "paid" && inv["status"] != "partially_refunded" {
					t.Errorf("%s invoice %v changed by the other mode's calls: status %v", mode(live), inv["id"], inv["status"])
				}
			}
		}
	})
}

func mode(live bool) string {
	if live {
		return "live"
	}
	return "test"
}

// TestLiveInvoiceNumbersStayGapFree: test invoices count on their own, so live numbers run on
// without a gap however many test invoices come between them.
func TestLiveInvoiceNumbersStayGapFree(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := newLiveMerchant(t, e, "Numbers")
		var live, test []string
		for i, l := range []bool{false, true, false, false, true, false, true} {
			r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(int64(1000+i)), asMode(m, l).Auth())
			if r.Status != http.StatusCreated {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			inv := r.Map(t)
			if inv["livemode"] != l || inv["link"].(map[string]any)["livemode"] != l {
				t.Errorf("invoice %d: livemode %v, link %v; want %v", i, inv["livemode"], inv["link"].(map[string]any)["livemode"], l)
			}
			if l {
				live = append(live, inv["number"].(string))
			} else {
				test = append(test, inv["number"].(string))
			}
		}
		if want := []string{"INV-000001", "INV-000002", "INV-000003"}; strings.Join(live, ",") != strings.Join(want, ",") {
			t.Errorf("live numbers %v, want %v", live, want)
		}
		if want := []string{"INV-000001", "INV-000002", "INV-000003", "INV-000004"}; strings.Join(test, ",") != strings.Join(want, ",") {
			t.Errorf("test numbers %v, want %v", test, want)
		}
	})
}

// TestModeListsAndKeys: lists, the dashboard summary, API keys and the request log show one mode;
// keys carry their mode in their prefix and in livemode, and a key is created in its request's mode.
func TestModeListsAndKeys(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := newLiveMerchant(t, e, "Lists")
		for range 2 {
			e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth())
		}
		e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(5000), m.LiveAuth())
		for _, c := range []struct {
			live bool
			n    int
		}{{false, 2}, {true, 1}} {
			auth := asMode(m, c.live).Auth()
			r := e.Do(t, "GET", "/api/v1/invoices", nil, auth)
			if n := len(r.Map(t)["data"].([]any)); n != c.n {
				t.Errorf("%s key lists %d invoices, want %d", mode(c.live), n, c.n)
			}
			if h := r.Header.Get(api.ModeHeader); h != mode(c.live) {
				t.Errorf("%s key: %s header %q", mode(c.live), api.ModeHeader, h)
			}
			sum := e.Do(t, "GET", "/api/v1/invoices/summary", nil, auth).Map(t)
			if open := sum["counts"].(map[string]any)["open"]; open != float64(c.n) {
				t.Errorf("%s summary counts %v open invoices, want %d", mode(c.live), open, c.n)
			}
			keys := e.Do(t, "GET", "/api/v1/api-keys", nil, auth).Map(t)["data"].([]any)
			if len(keys) != 1 || keys[0].(map[string]any)["livemode"] != c.live {
				t.Errorf("%s key lists keys %v", mode(c.live), keys)
			}
			logs := e.Do(t, "GET", "/api/v1/request-logs", nil, auth)
			if logs.Status != http.StatusOK {
				t.Fatalf("request logs: %d %s", logs.Status, logs.Body)
			}
			for _, l := range logs.Map(t)["data"].([]any) {
				if l.(map[string]any)["livemode"] != c.live {
					t.Errorf("%s key sees request log %v", mode(c.live), l)
				}
			}
			// A key makes keys of its own mode; asking for the other one names the field.
			k := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"name": "ci"}, auth).Map(t)
			prefix := "sk_" + mode(c.live) + "_"
			if !strings.HasPrefix(k["secret"].(string), prefix) || !strings.HasPrefix(k["prefix"].(string), prefix) || k["livemode"] != c.live {
				t.Errorf("%s key created %v", mode(c.live), k)
			}
			bad := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"name": "ci", "livemode": !c.live}, auth)
			if bad.Status != http.StatusBadRequest || bad.ErrorObject(t)["param"] != "livemode" {
				t.Errorf("%s key asking for a %s key: %d %s", mode(c.live), mode(!c.live), bad.Status, bad.Body)
			}
		}
		// A live secret with its prefix changed to test is no key at all.
		forged := "sk_test_" + strings.TrimPrefix(m.LiveKey, "sk_live_")
		if r := e.Do(t, "GET", "/api/v1/invoices", nil, apitest.Header{Name: "Authorization", Value: "Bearer " + forged}); r.Status != http.StatusUnauthorized {
			t.Errorf("a live secret under a test prefix: %d", r.Status)
		}
	})
}

// TestPortalModeSwitch: a portal session starts in test mode, POST /auth/mode (with the CSRF token)
// switches it, and every list then shows the other mode's data; a new key is of the session's mode.
func TestPortalModeSwitch(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := newLiveMerchant(t, e, "Portal")
		e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth())
		liveInv := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(2000), m.LiveAuth()).Map(t)
		b := logIn(t, e, m.Email, m.Password)

		me := b.do(t, e, "GET", "/api/v1/me", nil)
		if me.Map(t)["livemode"] != false || me.Header.Get(api.ModeHeader) != "test" {
			t.Fatalf("a new session: livemode %v, header %q", me.Map(t)["livemode"], me.Header.Get(api.ModeHeader))
		}
		if r := b.do(t, e, "GET", "/api/v1/invoices/"+liveInv["id"].(string), nil); r.Status != http.StatusNotFound {
			t.Errorf("test session reads a live invoice: %d", r.Status)
		}
		// The switch is an unsafe request: without the CSRF token it is refused.
		noCSRF := e.Do(t, "POST", "/api/v1/auth/mode", map[string]any{"livemode": true},
			apitest.Header{Name: "Cookie", Value: api.SessionCookie + "=" + b.cookie})
		if noCSRF.Status != http.StatusForbidden {
			t.Errorf("switch without CSRF token: %d", noCSRF.Status)
		}
		if r := b.do(t, e, "POST", "/api/v1/auth/mode", map[string]any{}); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "livemode" {
			t.Errorf("switch without livemode: %d %s", r.Status, r.Body)
		}
		// API keys cannot switch: their mode is written on them.
		if r := e.Do(t, "POST", "/api/v1/auth/mode", map[string]any{"livemode": true}, m.Auth()); r.Status != http.StatusForbidden {
			t.Errorf("a key switching modes: %d", r.Status)
		}
		sw := b.do(t, e, "POST", "/api/v1/auth/mode", map[string]any{"livemode": true})
		if sw.Status != http.StatusOK || sw.Map(t)["livemode"] != true || sw.Header.Get(api.ModeHeader) != "live" {
			t.Fatalf("switch to live: %d %s", sw.Status, sw.Body)
		}
		list := b.do(t, e, "GET", "/api/v1/invoices", nil).Map(t)["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != liveInv["id"] {
			t.Errorf("live session lists %v", list)
		}
		if me := b.do(t, e, "GET", "/api/v1/me", nil).Map(t); me["livemode"] != true {
			t.Errorf("the switch did not stay with the session: %v", me["livemode"])
		}
		k := b.do(t, e, "POST", "/api/v1/api-keys", map[string]any{"name": "from the portal"}).Map(t)
		if !strings.HasPrefix(k["secret"].(string), "sk_live_") {
			t.Errorf("a key made in live mode: %v", k["prefix"])
		}
		// The same Idempotency-Key in the other mode is another request, not a replay.
		key := apitest.Header{Name: "Idempotency-Key", Value: "mode-" + strings.ToLower(m.ID[len(m.ID)-8:])}
		first := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(3000), append(b.headers(), key)...)
		b.do(t, e, "POST", "/api/v1/auth/mode", map[string]any{"livemode": false})
		second := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(3000), append(b.headers(), key)...)
		if first.Status != http.StatusCreated || second.Status != http.StatusCreated || second.Header.Get("Idempotent-Replayed") != "" ||
			first.Map(t)["livemode"] != true || second.Map(t)["livemode"] != false {
			t.Errorf("one Idempotency-Key in both modes: %d %s / %d %s", first.Status, first.Body, second.Status, second.Body)
		}
	})
}

// TestWebhooksAndEmailsPerMode: an endpoint gets only the events of its own mode, with livemode in
// the envelope and the data; test e-mails start with [TEST] and are listed in test mode only.
func TestWebhooksAndEmailsPerMode(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := newLiveMerchant(t, e, "Hooks")
		var mu sync.Mutex
		got := map[string][]map[string]any{}
		receiver := func(name string) string {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				var body map[string]any
				_ = json.Unmarshal(b, &body)
				mu.Lock()
				got[name] = append(got[name], body)
				mu.Unlock()
			}))
			t.Cleanup(srv.Close)
			return srv.URL
		}
		for _, live := range []bool{false, true} {
			r := e.Do(t, "POST", "/api/v1/webhook-endpoints", map[string]any{"url": receiver(mode(live)), "events": []string{"invoice.created"}},
				asMode(m, live).Auth())
			if r.Status != http.StatusCreated || r.Map(t)["livemode"] != live {
				t.Fatalf("create %s endpoint: %d %s", mode(live), r.Status, r.Body)
			}
			if eps := e.Do(t, "GET", "/api/v1/webhook-endpoints", nil, asMode(m, live).Auth()).Map(t)["data"].([]any); len(eps) != 1 {
				t.Errorf("%s key lists %d endpoints", mode(live), len(eps))
			}
		}
		ids := map[bool]string{}
		for _, live := range []bool{false, true} {
			body := apitest.Invoice(1000)
			body["send_email"], body["locale"] = true, "en"
			ids[live] = e.Do(t, "POST", "/api/v1/invoices", body, asMode(m, live).Auth()).Map(t)["id"].(string)
		}
		runWorkers(t, e.App)
		mu.Lock()
		defer mu.Unlock()
		for _, live := range []bool{false, true} {
			bodies := got[mode(live)]
			if len(bodies) != 1 {
				t.Fatalf("the %s endpoint got %d deliveries, want 1 (its own mode's)", mode(live), len(bodies))
			}
			data := bodies[0]["data"].(map[string]any)
			if bodies[0]["livemode"] != live || data["livemode"] != live || data["id"] != ids[live] {
				t.Errorf("the %s endpoint got %v", mode(live), bodies[0])
			}
			events := e.Do(t, "GET", "/api/v1/events", nil, asMode(m, live).Auth()).Map(t)["data"].([]any)
			for _, ev := range events {
				if ev.(map[string]any)["livemode"] != live {
					t.Errorf("%s key lists event %v", mode(live), ev)
				}
			}
			emails := e.Do(t, "GET", "/api/v1/emails", nil, asMode(m, live).Auth()).Map(t)["data"].([]any)
			if len(emails) != 1 {
				t.Fatalf("%s key lists %d e-mails, want 1", mode(live), len(emails))
			}
			em := emails[0].(map[string]any)
			test := strings.HasPrefix(em["subject"].(string), "[TEST] ")
			if em["livemode"] != live || test == live || strings.Contains(em["text"].(string), "no real money moves") == live {
				t.Errorf("%s e-mail: livemode %v, subject %q", mode(live), em["livemode"], em["subject"])
			}
		}
	})
}

// TestCheckoutSaysTestMode: a test invoice's checkout says livemode false and lists the provider's
// test cards; its receipt says test too. A live checkout lists none.
func TestCheckoutSaysTestMode(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := newLiveMerchant(t, e, "Checkout")
		for _, live := range []bool{false, true} {
			_, token := newInvoice(t, e, asMode(m, live), 1000, "automatic")
			co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil)
			var body struct {
				Livemode  bool `json:"livemode"`
				TestCards []struct {
					Number, Brand, Outcome string
					DeclineCode            string `json:"decline_code"`
				} `json:"test_cards"`
			}
			co.JSON(t, &body)
			if body.Livemode != live {
				t.Errorf("%s checkout: livemode %v", mode(live), body.Livemode)
			}
			if live {
				if len(body.TestCards) != 0 {
					t.Errorf("a live checkout lists test cards: %v", body.TestCards)
				}
				continue
			}
			if len(body.TestCards) != len(testgateway.TestCards) {
				t.Fatalf("the test checkout lists %d cards, the gateway has %d", len(body.TestCards), len(testgateway.TestCards))
			}
			for i, c := range testgateway.TestCards {
				got := body.TestCards[i]
				if got.Number != c.Number || got.Brand != c.Brand || got.Outcome != string(c.Outcome) || got.DeclineCode != string(c.DeclineCode) {
					t.Errorf("test card %d: %+v, the gateway's %+v", i, got, c)
				}
			}
			pay(t, e, token, visaCard, http.StatusOK)
			paid := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
			if r, ok := paid["receipt"].(map[string]any); !ok || r["livemode"] != false {
				t.Errorf("the test receipt: %v", paid["receipt"])
			}
		}
	})
}

// TestPasswordChangeKeepsTheMode: changing the password replaces the session, and the new one
// stays in the mode the portal was in.
func TestPasswordChangeKeepsTheMode(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Password")
		b := logIn(t, e, m.Email, m.Password)
		if r := b.do(t, e, "POST", "/api/v1/auth/mode", map[string]any{"livemode": true}); r.Status != http.StatusOK {
			t.Fatalf("switch to live: %d %s", r.Status, r.Body)
		}
		r := b.do(t, e, "POST", "/api/v1/auth/password", map[string]any{"current_password": m.Password, "new_password": "a-new-password-123"})
		next := sessionFrom(t, r)
		if h := next.do(t, e, "GET", "/api/v1/invoices", nil).Header.Get(api.ModeHeader); h != "live" {
			t.Fatalf("after the password change the portal is in %q mode, want live", h)
		}
	})
}
