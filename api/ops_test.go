package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"securelink/api"
	"securelink/api/apitest"
)

func TestOperationsEndpoints(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Ops")
		for _, p := range []string{"/healthz", "/readyz"} {
			if r := e.Do(t, "GET", p, nil); r.Status != 200 || !strings.Contains(string(r.Body), `"ok"`) {
				t.Errorf("%s: %d %s", p, r.Status, r.Body)
			}
		}
		e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(100), m.Auth())
		metrics := string(e.Do(t, "GET", "/metrics", nil).Body)
		for _, want := range []string{
			`securelink_http_requests_total{method="POST",route="/api/v1/invoices",status="201"} 1`,
			`securelink_http_request_duration_seconds_bucket{method="POST",route="/api/v1/invoices"`,
			`securelink_invoices_created_total 1`,
			`go_goroutines`,
		} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		// Each database publishes its own figures, and only those: the invoice's transaction on
		// SQLite's writer counts as a write and a commit.
		ownMetrics, otherMetrics := []string{"securelink_postgres_group_commits_total ", "securelink_postgres_grouped_transactions_total ",
			"securelink_postgres_invoice_creation_commits_total 1", "securelink_postgres_grouped_invoice_creations_total 1"}, "securelink_sqlite_"
		if e.Dialect == "sqlite" {
			ownMetrics, otherMetrics = []string{"securelink_sqlite_writes_total ", "securelink_sqlite_commits_total ", "securelink_sqlite_committed_writes_total ",
				"securelink_sqlite_write_queue ", "securelink_sqlite_checkpoints_total ", "securelink_sqlite_token_index_mapped_pages ", "securelink_sqlite_wal_mapped_pages "}, "securelink_postgres_"
		}
		for _, name := range ownMetrics {
			if !strings.Contains(metrics, "\n"+name) {
				t.Errorf("/metrics on %s lacks %s", e.Dialect, name)
			}
		}
		if strings.Contains(metrics, otherMetrics) {
			t.Errorf("/metrics on %s shows the other database's %s… figures", e.Dialect, otherMetrics)
		}
		if e.Dialect == "sqlite" && (strings.Contains(metrics, "\nsecurelink_sqlite_commits_total 0\n") || strings.Contains(metrics, "\nsecurelink_sqlite_writes_total 0\n")) {
			t.Errorf("SQLite's writes and commits count nothing after an invoice was created")
		}
		if r := e.Do(t, "GET", "/openapi.yaml", nil); r.Status != 200 || !strings.Contains(string(r.Body), "openapi: 3") {
			t.Errorf("/openapi.yaml: %d", r.Status)
		}
		if r := e.Do(t, "GET", "/api/docs", nil); r.Status != 200 || !strings.Contains(string(r.Body), "SecureLink API") {
			t.Errorf("/api/docs: %d", r.Status)
		}
		if r := e.Do(t, "GET", "/api/docs/openapi.json", nil); r.Status != 200 || r.Map(t)["paths"].(map[string]any)["/invoices"] == nil {
			t.Errorf("/api/docs/openapi.json: %d", r.Status)
		}
		if r := e.Do(t, "GET", "/api/docs/docs.js", nil); r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "javascript") {
			t.Errorf("/api/docs/docs.js: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		// Unknown routes answer the error object; every error carries the request id of the header.
		r := e.Do(t, "GET", "/api/v1/nothing-here", nil, m.Auth())
		if r.Status != 404 || r.ErrorObject(t)["request_id"] != r.Header.Get("X-Request-Id") || r.Header.Get("X-Request-Id") == "" {
			t.Errorf("unknown route: %d %s %v", r.Status, r.Body, r.Header)
		}
		// Security headers on API answers.
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "X-Frame-Options": "DENY"} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
	})
}

func TestLogLinesCarryTheRequestID(t *testing.T) {
	t.Parallel()
	var buf apitest.SafeBuffer
	e := apitest.New(t, "sqlite", apitest.CaptureLogs(&buf))
	r := e.Do(t, "GET", "/api/v1/invoices", nil)
	id := r.Header.Get("X-Request-Id")
	var line map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace([]byte(buf.String())), []byte("\n")) {
		if err := json.Unmarshal(l, &line); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if line["msg"] == "request" && line["request_id"] != id {
			t.Errorf("request log line %v lacks request id %s", line, id)
		}
	}
	if line == nil {
		t.Fatal("no log lines")
	}
	// Only a line logged with a request's context carries an id.
	var out bytes.Buffer
	slog.New(api.LogHandler{Handler: slog.NewJSONHandler(&out, nil)}).InfoContext(context.Background(), "no request")
	if strings.Contains(out.String(), "request_id") {
		t.Errorf("a line outside a request has a request id: %s", out.String())
	}
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Expiry")
		body := apitest.Invoice(1000)
		body["expires_at"] = time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
		inv := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth()).Map(t)
		id := inv["id"].(string)
		token := inv["link"].(map[string]any)["token"].(string)
		if exp := inv["expires_at"].(string); !strings.HasPrefix(exp, body["expires_at"].(string)[:16]) {
			t.Errorf("expires_at %s, asked %s", exp, body["expires_at"])
		}
		keep := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth()).Map(t)
		if d := time.Until(mustTime(t, keep["expires_at"].(string))); d < 29*24*time.Hour || d > 31*24*time.Hour {
			t.Errorf("default expiry in %s, want 30 days", d)
		}

		// Time passes: the link is past its expiry before the sweep runs.
		past := time.Now().Add(-time.Minute).UTC()
		e.App.DB.Gorm.Exec("UPDATE invoices SET expires_at = ? WHERE id = ?", past, id)
		e.App.DB.Gorm.Exec("UPDATE links SET expires_at = ? WHERE invoice_id = ?", past, id)
		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		if co["status"] != "expired" || co["link_status"] != "expired" {
			t.Errorf("checkout before the sweep: %v / %v", co["status"], co["link_status"])
		}
		if got := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t); got["status"] != "expired" {
			t.Errorf("invoice before the sweep: %v", got["status"])
		}
		n, err := e.App.Invoices.ExpireDue(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("sweep expired %d: %v", n, err)
		}
		var stored string
		e.App.DB.Gorm.Raw("SELECT status FROM invoices WHERE id = ?", id).Scan(&stored)
		var events int64
		e.App.DB.Gorm.Raw("SELECT COUNT(*) FROM events WHERE object_id = ? AND type = 'invoice.expired'", id).Scan(&events)
		if stored != "expired" || events != 1 {
			t.Errorf("after the sweep: status %s, %d invoice.expired events", stored, events)
		}
		if n, _ := e.App.Invoices.ExpireDue(context.Background()); n != 0 {
			t.Errorf("second sweep expired %d again", n)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices/"+id+"/cancel", nil, m.Auth()); r.Status != 409 {
			t.Errorf("cancel expired: %d", r.Status)
		}
		// A fresh link reopens it; the old link stays dead.
		fresh := e.Do(t, "POST", "/api/v1/invoices/"+id+"/links", nil, m.Auth())
		if fresh.Status != 201 {
			t.Fatalf("fresh link: %d %s", fresh.Status, fresh.Body)
		}
		newTok := fresh.Map(t)["token"].(string)
		if co := e.Do(t, "GET", "/api/v1/checkout/"+newTok, nil).Map(t); co["status"] != "open" || co["link_status"] != "active" {
			t.Errorf("fresh link checkout: %v %v", co["status"], co["link_status"])
		}
		if co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t); co["link_status"] == "active" {
			t.Errorf("old link active again")
		}
	})
}

func TestCancelSendAndLinks(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Links")
		inv := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth()).Map(t)
		id := inv["id"].(string)
		oldLink := inv["link"].(map[string]any)

		sent := e.Do(t, "POST", "/api/v1/invoices/"+id+"/send", nil, m.Auth())
		if sent.Status != http.StatusAccepted || !strings.HasPrefix(sent.Map(t)["email_id"].(string), "em_") {
			t.Errorf("send: %d %s", sent.Status, sent.Body)
		}
		fresh := e.Do(t, "POST", "/api/v1/invoices/"+id+"/links", map[string]any{"expires_at": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)}, m.Auth()).Map(t)
		if fresh["token"] == oldLink["token"] || fresh["status"] != "active" {
			t.Errorf("fresh link: %v", fresh)
		}
		if co := e.Do(t, "GET", "/api/v1/checkout/"+oldLink["token"].(string), nil).Map(t); co["link_status"] != "deactivated" {
			t.Errorf("old link: %v", co["link_status"])
		}
		got := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t)
		if got["link"].(map[string]any)["id"] != fresh["id"] {
			t.Errorf("invoice shows link %v, want the fresh one", got["link"])
		}
		deact := e.Do(t, "POST", "/api/v1/links/"+fresh["id"].(string)+"/deactivate", nil, m.Auth())
		if deact.Status != 200 || deact.Map(t)["status"] != "deactivated" {
			t.Errorf("deactivate: %d %s", deact.Status, deact.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/links/"+fresh["id"].(string)+"/deactivate", nil, m.Auth()); r.Status != 409 {
			t.Errorf("deactivate twice: %d", r.Status)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices/"+id+"/send", nil, m.Auth()); r.Status != 409 {
			t.Errorf("send without an active link: %d", r.Status)
		}
		cancel := e.Do(t, "POST", "/api/v1/invoices/"+id+"/cancel", nil, m.Auth())
		if cancel.Status != 200 || cancel.Map(t)["status"] != "cancelled" || cancel.Map(t)["cancelled_at"] == nil {
			t.Errorf("cancel: %d %s", cancel.Status, cancel.Body)
		}
		for _, p := range []string{"/cancel", "/links", "/send"} {
			if r := e.Do(t, "POST", "/api/v1/invoices/"+id+p, nil, m.Auth()); r.Status != 409 || r.ErrorObject(t)["code"] != "invalid_state" {
				t.Errorf("%s on a cancelled invoice: %d %s", p, r.Status, r.Body)
			}
		}
		var evs []string
		e.App.DB.Gorm.Raw("SELECT type FROM events WHERE object_id = ? ORDER BY id", id).Scan(&evs)
		if strings.Join(evs, ",") != "invoice.created,invoice.link_requested,invoice.cancelled" {
			t.Errorf("events = %v", evs)
		}
		if r := e.Do(t, "GET", "/api/v1/checkout/unknown-token", nil); r.Status != 404 || r.ErrorObject(t)["type"] != "not_found" {
			t.Errorf("unknown token: %d", r.Status)
		}
	})
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
