package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
)

// remindersOf lists the rules of an invoice's reminders, oldest first.
func remindersOf(t *testing.T, e *apitest.Env, m apitest.Merchant, id string) []string {
	t.Helper()
	var out []string
	rs, _ := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t)["reminders"].([]any)
	for _, r := range rs {
		out = append(out, r.(map[string]any)["rule"].(string))
	}
	return out
}

// reminderEmails lists the subjects of the reminder e-mails about an invoice.
func reminderEmails(t *testing.T, e *apitest.Env, m apitest.Merchant, id string) []string {
	t.Helper()
	if _, err := e.App.Dispatcher.RunUntilIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, em := range e.Do(t, "GET", "/api/v1/emails?limit=100", nil, m.Auth()).Map(t)["data"].([]any) {
		em := em.(map[string]any)
		if em["kind"] == "reminder" && em["invoice_id"] == id {
			out = append(out, em["subject"].(string))
		}
	}
	return out
}

// TestReminders: with a controllable clock, the job reminds an unpaid invoice once per rule (days
// after it was sent, days before it expires), never a paid, cancelled, unsent or expired one; a
// reminder queued before the invoice was paid sends nothing; "Remind now" works on open invoices only.
func TestReminders(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Podsetnik")
		ctx := context.Background()
		start := time.Now().UTC()
		create := func(send bool, locale string) (string, string) {
			b := apitest.Invoice(5000)
			b["send_email"], b["locale"] = send, locale
			b["expires_at"] = start.Add(10 * 24 * time.Hour).Format(time.RFC3339)
			inv := e.Do(t, "POST", "/api/v1/invoices", b, m.Auth()).Map(t)
			return inv["id"].(string), inv["link"].(map[string]any)["token"].(string)
		}
		remindAt := func(at time.Time) int {
			t.Helper()
			e.App.Invoices.Now = func() time.Time { return at }
			defer func() { e.App.Invoices.Now = nil }()
			n, err := e.App.Invoices.RemindDue(ctx)
			if err != nil {
				t.Fatalf("remind at %s: %v", at, err)
			}
			return n
		}

		// Off by default: nothing is reminded of.
		sent, _ := create(true, "sr-Cyrl")
		if n := remindAt(start.Add(9 * 24 * time.Hour)); n != 0 {
			t.Fatalf("reminders while off: %d", n)
		}
		for _, tc := range []struct {
			body  map[string]any
			param string
		}{{map[string]any{"remind_after_days": -1}, "remind_after_days"}, {map[string]any{"remind_before_expiry_days": 366}, "remind_before_expiry_days"}} {
			r := e.Do(t, "PATCH", "/api/v1/merchant", tc.body, m.Auth())
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != tc.param {
				t.Errorf("PATCH %v: %d %s", tc.body, r.Status, r.Body)
			}
		}
		r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"remind_after_days": 3, "remind_before_expiry_days": 2}, m.Auth())
		if r.Status != http.StatusOK || r.Map(t)["remind_after_days"] != float64(3) {
			t.Fatalf("turn reminders on: %d %s", r.Status, r.Body)
		}

		unsent, _ := create(false, "en")
		paid, paidToken := create(true, "en")
		pay(t, e, paidToken, visaCard, http.StatusOK)
		cancelled, _ := create(true, "en")
		if r := e.Do(t, "POST", "/api/v1/invoices/"+cancelled+"/cancel", nil, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}

		// Three days after sending: only the sent, unpaid invoice; a second run finds nothing new.
		if n := remindAt(start.Add(3*24*time.Hour + time.Hour)); n != 1 {
			t.Fatalf("after-sent reminders: %d, want 1", n)
		}
		if n := remindAt(start.Add(3*24*time.Hour + 2*time.Hour)); n != 0 {
			t.Fatalf("after-sent reminders again: %d, want 0", n)
		}
		// Two days before expiry: both open invoices, sent or not.
		if n := remindAt(start.Add(8*24*time.Hour + time.Hour)); n != 2 {
			t.Fatalf("before-expiry reminders: %d, want 2", n)
		}
		if n := remindAt(start.Add(9 * 24 * time.Hour)); n != 0 {
			t.Fatalf("before-expiry reminders again: %d, want 0", n)
		}
		// Expired: nothing more.
		if n := remindAt(start.Add(11 * 24 * time.Hour)); n != 0 {
			t.Fatalf("reminders after expiry: %d", n)
		}
		for id, want := range map[string]string{sent: "after_sent,before_expiry", unsent: "before_expiry", paid: "", cancelled: ""} {
			if got := strings.Join(remindersOf(t, e, m, id), ","); got != want {
				t.Errorf("reminders of %s: %q, want %q", id, got, want)
			}
		}
		// The reminders are e-mailed in the invoice's language.
		subjects := reminderEmails(t, e, m, sent)
		if len(subjects) != 2 || !strings.Contains(subjects[0], "Подсетник") {
			t.Errorf("reminder e-mails of the Cyrillic invoice: %q", subjects)
		}

		// Remind now: any number of times while open; 409 once paid.
		for range 2 {
			r := e.Do(t, "POST", "/api/v1/invoices/"+unsent+"/remind", nil, m.Auth())
			if r.Status != http.StatusCreated || r.Map(t)["rule"] != "manual" {
				t.Fatalf("remind now: %d %s", r.Status, r.Body)
			}
		}
		if r := e.Do(t, "POST", "/api/v1/invoices/"+paid+"/remind", nil, m.Auth()); r.Status != http.StatusConflict {
			t.Errorf("remind a paid invoice: %d %s", r.Status, r.Body)
		}
		// A reminder queued just before the payer paid is not e-mailed.
		late, lateToken := create(false, "en")
		if r := e.Do(t, "POST", "/api/v1/invoices/"+late+"/remind", nil, m.Auth()); r.Status != http.StatusCreated {
			t.Fatalf("remind: %d %s", r.Status, r.Body)
		}
		pay(t, e, lateToken, visaCard, http.StatusOK)
		if got := reminderEmails(t, e, m, late); len(got) != 0 {
			t.Errorf("a reminder was e-mailed after the invoice was paid: %q", got)
		}
	})
}
