package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/notify"
	"securelink/internal/notify/webhook"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

func createdEvent(inv domain.Invoice) []domain.Event {
	return []domain.Event{domain.NewEvent(inv.MerchantID, false, domain.EventInvoiceCreated, inv.ID, inv.EventData(""), true)}
}

// worker is a webhook worker on clk; receivers that check timestamps must share clk.
func worker(f *fixture, clk *fakeClock, allowPrivate bool) *notify.WebhookWorker {
	return &notify.WebhookWorker{Store: f.st, Client: webhook.NewClient(webhook.Guard{AllowPrivate: allowPrivate}), Now: clk.Now,
		Jitter: func(d time.Duration) time.Duration { return d }}
}

func TestWebhooksAreSignedAndRetriedWithTheSameID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		// The receiver fails twice (500, then 503) and then recovers.
		rcv := startReceiver(t, func(n int) int {
			if n <= 2 {
				return http.StatusInternalServerError + n - 1
			}
			return http.StatusNoContent
		})
		ep := f.endpoint(t, rcv.URL(), domain.EventInvoiceCreated, domain.EventInvoicePaid)
		rcv.setSecrets(ep.Secret)
		other := f.endpoint(t, rcv.URL(), domain.EventRefundFailed) // not subscribed: gets nothing
		inv := f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, createdEvent)
		clk := newClock()
		rcv.now = clk.Now
		if _, err := (&notify.Dispatcher{Store: f.st, Now: clk.Now}).RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		w := worker(f, clk, true)
		for i, step := range []time.Duration{0, notify.WebhookSchedule[0], notify.WebhookSchedule[1]} {
			clk.Advance(step)
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		if n, _ := w.RunOnce(context.Background()); n != 0 {
			t.Errorf("a succeeded delivery was sent again")
		}
		requests, rejected := rcv.Counts()
		hooks := rcv.Hooks()
		if requests != 3 || rejected != 0 || len(hooks) != 1 {
			t.Fatalf("receiver saw %d requests (%d with bad signatures), accepted %d; want 3, 0, 1", requests, rejected, len(hooks))
		}
		logs, _, err := f.st.ListEvents(context.Background(), f.merchant.ID, domain.Page{Limit: 10})
		if err != nil || len(logs) != 1 {
			t.Fatalf("events: %v %v", logs, err)
		}
		ev := logs[0]
		if hooks[0].ID != ev.ID {
			t.Errorf("webhook-id %s, want the event id %s", hooks[0].ID, ev.ID)
		}
		var body struct {
			Type      string          `json:"type"`
			Timestamp time.Time       `json:"timestamp"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(hooks[0].Body, &body); err != nil || body.Type != domain.EventInvoiceCreated || !body.Timestamp.Equal(ev.CreatedAt) {
			t.Errorf("body = %s (%v)", hooks[0].Body, err)
		}
		var data domain.InvoiceEventData
		if err := json.Unmarshal(body.Data, &data); err != nil || data.ID != inv.ID || data.Number != inv.Number {
			t.Errorf("data = %s", body.Data)
		}
		if len(ev.Deliveries) != 1 || ev.Deliveries[0].EndpointID != ep.ID || ev.Deliveries[0].EndpointID == other.ID {
			t.Fatalf("deliveries = %+v, want one to the subscribed endpoint", ev.Deliveries)
		}
		d := ev.Deliveries[0]
		if d.Status != notify.DeliverySucceeded || d.Attempts != 3 || d.DeliveredAt == nil || d.LastStatusCode != 204 {
			t.Errorf("delivery = %+v", d)
		}
		wantCodes := []int{500, 501, 204}
		if len(d.Log) != 3 {
			t.Fatalf("attempt log has %d entries, want 3", len(d.Log))
		}
		for i, a := range d.Log {
			if a.Number != i+1 || a.StatusCode != wantCodes[i] || a.URL != rcv.URL() || a.LatencyMS < 0 {
				t.Errorf("attempt %d = %+v", i+1, a)
			}
		}
		if d.Log[0].ResponseExcerpt != `{"received":1}` {
			t.Errorf("excerpt = %q", d.Log[0].ResponseExcerpt)
		}

		// A manual re-delivery arrives again with the same webhook-id.
		svc := &notify.Service{Store: f.st, Guard: webhook.Guard{AllowPrivate: true}, Now: clk.Now}
		actor := domain.Actor{Type: domain.ActorUser, MerchantID: f.merchant.ID}
		if _, err := svc.Redeliver(context.Background(), actor, ev.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n, err := w.RunOnce(context.Background()); err != nil || n != 1 {
			t.Fatalf("re-delivery: %d %v", n, err)
		}
		hooks = rcv.Hooks()
		if len(hooks) != 2 || hooks[1].ID != ev.ID || string(hooks[1].Body) != string(hooks[0].Body) {
			t.Errorf("re-delivery = %+v", hooks)
		}
		// Another merchant cannot see or re-deliver the event.
		stranger := domain.Actor{Type: domain.ActorUser, MerchantID: newFixture(t, db, "").merchant.ID}
		if _, err := svc.Redeliver(context.Background(), stranger, ev.ID, ""); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another merchant's re-delivery: %v, want not found", err)
		}
	})
}

func TestWebhookSecretRotationSignsWithBoth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		rcv := startReceiver(t, nil)
		ep := f.endpoint(t, rcv.URL(), domain.EventInvoiceCreated)
		svc := &notify.Service{Store: f.st, Guard: webhook.Guard{AllowPrivate: true}}
		rotated, err := svc.RotateSecret(context.Background(), domain.Actor{MerchantID: f.merchant.ID}, ep.ID)
		if err != nil || rotated.Secret == ep.Secret || len(rotated.Secret) < len("whsec_")+32 {
			t.Fatalf("rotate: %v %v", rotated.Secret, err)
		}
		clk := newClock()
		rcv.now = clk.Now
		w := worker(f, clk, true)
		for i, secrets := range [][]string{{ep.Secret}, {rotated.Secret}} {
			rcv.setSecrets(secrets...)
			f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, createdEvent)
			if _, err := (&notify.Dispatcher{Store: f.st, Now: clk.Now}).RunUntilIdle(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n, err := w.RunOnce(context.Background()); err != nil || n != 1 {
				t.Errorf("receiver knowing secret %d only: delivered %d (%v), want 1", i, n, err)
			}
		}
		// After 24 hours only the new secret signs.
		clk.Advance(25 * time.Hour)
		rcv.setSecrets(ep.Secret)
		f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, createdEvent)
		if _, err := (&notify.Dispatcher{Store: f.st, Now: clk.Now}).RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.RunOnce(context.Background()); n != 0 {
			t.Errorf("the old secret still signs after the overlap")
		}
	})
}

func TestWebhook410DisablesTheEndpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		rcv := startReceiver(t, func(int) int { return http.StatusGone })
		ep := f.endpoint(t, rcv.URL(), domain.EventInvoiceCreated)
		rcv.setSecrets(ep.Secret)
		clk := newClock()
		d := &notify.Dispatcher{Store: f.st, Now: clk.Now}
		f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, createdEvent)
		if _, err := d.RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		w := worker(f, clk, true)
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		got, err := f.st.GetEndpoint(context.Background(), f.merchant.ID, ep.ID)
		if err != nil || got.Status != notify.EndpointDisabled || got.DisabledReason == "" {
			t.Fatalf("endpoint after 410 = %+v (%v), want disabled", got, err)
		}
		logs, _, _ := f.st.ListEvents(context.Background(), f.merchant.ID, domain.Page{Limit: 10})
		if s := logs[0].Deliveries[0].Status; s != notify.DeliveryFailed {
			t.Errorf("delivery after 410 is %s, want failed (no retries)", s)
		}
		// Later events are not delivered to a disabled endpoint.
		f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, createdEvent)
		if _, err := d.RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.Advance(48 * time.Hour)
		drain(t, 3, w.RunOnce)
		if req, _ := rcv.Counts(); req != 1 {
			t.Errorf("disabled endpoint received %d requests, want 1", req)
		}
	})
}

func TestWebhookSSRFIsRefusedAtCreationAndAtDialTime(t *testing.T) {
	guard := webhook.Guard{}
	for _, c := range []struct {
		url, code string
	}{
		{"ftp://example.com/x", "invalid_url"},
		{"/relative", "invalid_url"},
		{"https://user:pw@example.com/", "invalid_url"},
		{"http://127.0.0.1:8080/hook", "url_not_allowed"},
		{"http://localhost/hook", "url_not_allowed"},
		{"http://[::1]/hook", "url_not_allowed"},
		{"http://10.1.2.3/hook", "url_not_allowed"},
		{"http://172.16.0.1/hook", "url_not_allowed"},
		{"http://192.168.1.1/hook", "url_not_allowed"},
		{"http://169.254.169.254/latest/meta-data", "url_not_allowed"},
		{"http://100.64.0.1/hook", "url_not_allowed"},
		{"http://0.0.0.0/hook", "url_not_allowed"},
		{"http://224.0.0.1/hook", "url_not_allowed"},
		{"http://[fe80::1]/hook", "url_not_allowed"},
		{"http://[fd00::1]/hook", "url_not_allowed"},
		{"http://[::ffff:127.0.0.1]/hook", "url_not_allowed"},
		{"https://93.184.215.14/hook", ""},
		{"https://[2606:4700::1111]/hook", ""},
	} {
		err := guard.CheckURL(context.Background(), c.url)
		var ue *webhook.URLError
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s refused: %v", c.url, err)
		case c.code != "" && (!errors.As(err, &ue) || ue.Code != c.code):
			t.Errorf("%s: %v, want %s", c.url, err, c.code)
		}
	}
	if err := (webhook.Guard{AllowPrivate: true}).CheckURL(context.Background(), "http://127.0.0.1:9/x"); err != nil {
		t.Errorf("loopback refused although allowed: %v", err)
	}

	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		rcv := startReceiver(t, nil)
		svc := &notify.Service{Store: f.st, Guard: webhook.Guard{}}
		_, err := svc.CreateEndpoint(context.Background(), domain.Actor{MerchantID: f.merchant.ID}, notify.NewEndpoint{URL: rcv.URL(), Events: []string{domain.EventInvoiceCreated}})
		if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindInvalid || ae.Param != "url" {
			t.Fatalf("loopback endpoint: %v, want 400 on url", err)
		}
		_, err = svc.CreateEndpoint(context.Background(), domain.Actor{MerchantID: f.merchant.ID}, notify.NewEndpoint{URL: "https://93.184.215.14/", Events: []string{"invoice.bogus"}})
		if ae, ok := apperr.As(err); !ok || ae.Param != "events" {
			t.Fatalf("unknown event type: %v, want 400 on events", err)
		}
		// Registered while private targets were allowed; delivered by a worker that refuses them.
		ep := f.endpoint(t, rcv.URL(), domain.EventInvoiceCreated)
		rcv.setSecrets(ep.Secret)
		f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, createdEvent)
		clk := newClock()
		if _, err := (&notify.Dispatcher{Store: f.st, Now: clk.Now}).RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := worker(f, clk, false).RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if req, _ := rcv.Counts(); req != 0 {
			t.Fatalf("the guarded worker reached a loopback receiver")
		}
		logs, _, _ := f.st.ListEvents(context.Background(), f.merchant.ID, domain.Page{Limit: 1})
		a := logs[0].Deliveries[0].Log
		if len(a) != 1 || a[0].StatusCode != 0 || a[0].Error == "" {
			t.Errorf("attempt = %+v, want a recorded refusal", a)
		}
	})
}

func TestTwoWorkersOnPostgresDeliverEachMessageOnce(t *testing.T) {
	db := storetest.New(t, store.DialectPostgres)
	f := newFixture(t, db, "")
	rcv := startReceiver(t, nil)
	ep := f.endpoint(t, rcv.URL(), domain.EventInvoiceCreated)
	rcv.setSecrets(ep.Secret)
	sink := startSMTP(t, "", "", "")
	const n = 40
	for range n {
		f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, func(inv domain.Invoice) []domain.Event {
			data := inv.EventData("http://localhost:8080/pay/x")
			data.EmailID = domain.NewID(domain.PrefixEmail)
			return append(createdEvent(inv), domain.NewEvent(inv.MerchantID, false, domain.EventInvoiceLinkRequested, inv.ID, data, false))
		})
	}
	// Two dispatchers, two webhook workers and two mailers, each pair sharing the database only.
	var wg sync.WaitGroup
	run := func(fn func(context.Context) (int, error)) {
		defer wg.Done()
		idle := 0
		for idle < 3 {
			k, err := fn(context.Background())
			if err != nil {
				t.Errorf("worker: %v", err)
				return
			}
			if k == 0 {
				idle++
				time.Sleep(20 * time.Millisecond)
			} else {
				idle = 0
			}
		}
	}
	for range 2 {
		wg.Add(1)
		go run((&notify.Dispatcher{Store: &store.Notify{DB: db}, Batch: 7}).RunOnce)
	}
	wg.Wait()
	for range 2 {
		sender, err := newSender(sink.Addr)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(2)
		go run((&notify.WebhookWorker{Store: &store.Notify{DB: db}, Client: webhook.NewClient(webhook.Guard{AllowPrivate: true}), Batch: 3}).RunOnce)
		go run((&notify.Mailer{Store: &store.Notify{DB: db}, Sender: sender, Batch: 3}).RunOnce)
	}
	wg.Wait()
	hooks := map[string]int{}
	for _, h := range rcv.Hooks() {
		hooks[h.ID]++
	}
	mails := map[string]int{}
	for _, m := range sink.Messages() {
		mails[parseMessage(t, m).MessageID]++
	}
	if len(hooks) != n || len(mails) != n {
		t.Fatalf("received %d distinct webhooks and %d distinct e-mails, want %d each", len(hooks), len(mails), n)
	}
	for id, c := range hooks {
		if c != 1 {
			t.Errorf("webhook %s delivered %d times", id, c)
		}
	}
	for id, c := range mails {
		if c != 1 {
			t.Errorf("e-mail %s delivered %d times", id, c)
		}
	}
}
