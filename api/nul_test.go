package api_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"securelink/api/apitest"
	"securelink/internal/store/storetest"
)

// nul is the byte PostgreSQL cannot store in a text column.
const nul = "a\x00b"

// loadOpenAPI reads openapi.yaml as it is on disk now, so a route added tomorrow is walked too.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi.yaml")
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return doc
}

// bodyField is one string field of a request body: the JSON it is sent in and the param an error
// must name.
type bodyField struct {
	param string
	body  any
}

// stringFields lists every string field a request schema has, nested objects and arrays included,
// each with a minimal body that holds only that field set to value.
func stringFields(s *openapi3.SchemaRef, param string, value any, depth int) []bodyField {
	if s == nil || s.Value == nil || depth > 6 {
		return nil
	}
	v := s.Value
	var out []bodyField
	switch {
	case v.Type.Is("string"):
		out = append(out, bodyField{param: param, body: value})
	case v.Type.Is("array"):
		for _, f := range stringFields(v.Items, param+"[0]", value, depth+1) {
			out = append(out, bodyField{param: f.param, body: []any{f.body}})
		}
	case v.Type.Is("object") || len(v.Properties) > 0:
		names := make([]string, 0, len(v.Properties))
		for n := range v.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p := n
			if param != "" {
				p = param + "." + n
			}
			for _, f := range stringFields(v.Properties[n], p, value, depth+1) {
				out = append(out, bodyField{param: f.param, body: map[string]any{n: f.body}})
			}
		}
		if ap := v.AdditionalProperties.Schema; ap != nil {
			for _, f := range stringFields(ap, param+"[k]", value, depth+1) {
				out = append(out, bodyField{param: f.param, body: map[string]any{"k": f.body}})
			}
		}
	}
	for _, sub := range append(append(v.AllOf, v.OneOf...), v.AnyOf...) {
		out = append(out, stringFields(sub, param, value, depth+1)...)
	}
	return out
}

// nulFixtures are real ids and tokens of one merchant, found by the path they appear in, so that a
// NUL in a body or query reaches the handler rather than stopping at a 404.
type nulFixtures struct {
	byPath map[string]string
}

func newNULFixtures(t *testing.T, e *apitest.Env, m apitest.Merchant) nulFixtures {
	t.Helper()
	invID, token := newInvoice(t, e, m, 120000, "manual")
	r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard)})
	if r.Status != http.StatusOK && r.Status != http.StatusCreated {
		t.Fatalf("pay: %d %s", r.Status, r.Body)
	}
	payID := r.Map(t)["id"].(string)
	inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t)
	inviteURL := e.Do(t, "POST", "/api/v1/users/invitations", map[string]any{"email": "staff-nul@example.com"}, m.Auth()).Map(t)["invitation_url"].(string)
	wh := e.Do(t, "POST", "/api/v1/webhook-endpoints", map[string]any{"url": e.URL + "/hooks", "events": []string{"invoice.paid"}}, m.Auth()).Map(t)
	f := nulFixtures{byPath: map[string]string{
		"/invoices/{id}":            invID,
		"/payments/{id}":            payID,
		"/links/{id}":               inv["link"].(map[string]any)["id"].(string),
		"/checkout/{token}":         token,
		"/auth/invitations/{token}": inviteURL[strings.LastIndex(inviteURL, "/")+1:],
		"/webhook-endpoints/{id}":   wh["id"].(string),
		"/api-keys/{id}":            m.KeyID,
	}}
	// Any other collection: its newest object, when it has one.
	for _, col := range []string{"emails", "events", "refunds", "users"} {
		if l := e.Do(t, "GET", "/api/v1/"+col, nil, m.Auth()); l.Status == http.StatusOK {
			if data, _ := l.Map(t)["data"].([]any); len(data) > 0 {
				f.byPath["/"+col+"/{id}"] = data[0].(map[string]any)["id"].(string)
			}
		}
	}
	return f
}

// fill puts real values into a path template; nulParam, when set, gets the NUL instead.
func (f nulFixtures) fill(path, nulParam string) (string, bool) {
	real := true
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		name := strings.Trim(s, "{}")
		if name == nulParam {
			segs[i] = url.PathEscape(nul)
			continue
		}
		v, ok := f.byPath[strings.Join(segs[:i], "/")+"/"+s]
		if !ok {
			v, real = "x", false
		}
		segs[i] = url.PathEscape(v)
	}
	return "/api/v1" + strings.Join(segs, "/"), real
}

// TestNULNeverReachesTheDatabase walks every operation of openapi.yaml and puts a NUL into each path
// parameter (404 naming it), query parameter and string body field (400 naming it). No answer is a
// 5xx, and afterwards no table holds a NUL.
func TestNULNeverReachesTheDatabase(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Nul")
		fx := newNULFixtures(t, e, m)
		portalUser := logIn(t, e, m.Email, m.Password)
		checked := 0
		expect := func(method, path string, body any, status int, param string, real bool) {
			t.Helper()
			r := e.Do(t, method, path, body, m.Auth())
			if r.Status == http.StatusForbidden && r.ErrorObject(t)["code"] == "user_required" {
				r = e.Do(t, method, path, body, portalUser.headers()...) // a route for portal users only
			}
			if r.Status >= 500 {
				t.Errorf("%s %s %v: %d %s", method, path, body, r.Status, r.Body)
				return
			}
			if !real && r.Status == http.StatusNotFound {
				return // no object of this kind to aim at: the 404 came first
			}
			if r.Status != status || r.ErrorObject(t)["param"] != param {
				t.Errorf("%s %s %v: %d %s, want %d naming %s", method, path, body, r.Status, r.Body, status, param)
			}
			checked++
		}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				params := append(openapi3.Parameters{}, item.Parameters...)
				params = append(params, op.Parameters...)
				for _, p := range params {
					switch p.Value.In {
					case "path":
						u, _ := fx.fill(path, p.Value.Name)
						expect(method, u, nil, http.StatusNotFound, p.Value.Name, true)
					case "query":
						u, real := fx.fill(path, "")
						expect(method, u+"?"+url.Values{p.Value.Name: {nul}}.Encode(), nil, http.StatusBadRequest, p.Value.Name, real)
					}
				}
				if op.RequestBody == nil || op.RequestBody.Value == nil {
					continue
				}
				mt := op.RequestBody.Value.Content.Get("application/json")
				if mt == nil {
					continue
				}
				u, real := fx.fill(path, "")
				for _, f := range stringFields(mt.Schema, "", nul, 0) {
					expect(method, u, f.body, http.StatusBadRequest, f.param, real)
				}
			}
		}
		t.Logf("%d NUL cases checked", checked)
		if checked < 40 {
			t.Errorf("only %d NUL cases reached a check: the walk is not covering the API", checked)
		}
		for _, v := range storetest.TextValues(t, e.App.DB) {
			if strings.ContainsRune(v.Value, 0) {
				t.Errorf("a NUL was stored in %s", v.Where)
			}
		}
	})
}
