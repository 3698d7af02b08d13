package notify

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"securelink/internal/domain"
	"securelink/internal/notify/webhook"
)

// Poster sends one webhook request (webhook.Client in production).
type Poster interface {
	Post(ctx context.Context, url string, headers map[string]string, body []byte) webhook.Result
}

// WebhookSchedule is the wait after each failed attempt (the first attempt is immediate): ten
// attempts over about three days. After the last one the delivery fails.
var WebhookSchedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}

// WebhookWorker delivers pending webhook deliveries.
type WebhookWorker struct {
	Store  Store
	Client Poster
	Now    func() time.Time
	// Batch is how many deliveries one RunOnce takes; 20 when zero.
	Batch int
	// Concurrency is how many requests run at once; 8 when zero.
	Concurrency int
	// Lease keeps claimed deliveries from other workers while they are sent; 2 minutes when zero.
	Lease time.Duration
	// Schedule overrides WebhookSchedule.
	Schedule []time.Duration
	// Jitter spreads retries so a recovering receiver is not hit by every delivery at once; by
	// default ±10 %.
	Jitter func(time.Duration) time.Duration
}

// Body is what a delivery posts: the same bytes on every attempt.
func Body(ev domain.Event) []byte {
	b, err := json.Marshal(struct {
		Type      string          `json:"type"`
		Livemode  bool            `json:"livemode"`
		Timestamp string          `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}{ev.Type, ev.Livemode, ev.CreatedAt.UTC().Format(time.RFC3339Nano), ev.Payload})
	if err != nil {
		// The payload was valid JSON when it was stored; anything else is a bug.
		panic("notify: encode webhook body: " + err.Error())
	}
	return b
}

func defaultJitter(d time.Duration) time.Duration {
	spread := int64(d) / 5
	if spread <= 0 {
		return d
	}
	return d - time.Duration(spread/2) + time.Duration(rand.Int64N(spread))
}

// RunOnce makes one attempt on each of a batch of due deliveries and returns how many succeeded.
func (w *WebhookWorker) RunOnce(ctx context.Context) (int, error) {
	batch, conc, lease := w.Batch, w.Concurrency, w.Lease
	if batch <= 0 {
		batch = 20
	}
	if conc <= 0 {
		conc = 8
	}
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	now := clock(w.Now)
	jobs, err := w.Store.ClaimDeliveries(ctx, now, now.Add(lease), batch)
	if err != nil {
		return 0, err
	}
	var (
		mu        sync.Mutex
		succeeded int
		firstErr  error
		wg        sync.WaitGroup
		slots     = make(chan struct{}, conc)
	)
	for _, j := range jobs {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			res := w.attempt(ctx, j)
			err := w.Store.RecordAttempt(ctx, res, clock(w.Now))
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			if err == nil && res.Status == DeliverySucceeded {
				succeeded++
			}
		}()
	}
	wg.Wait()
	return succeeded, firstErr
}

// attempt sends one delivery and decides what happens next.
func (w *WebhookWorker) attempt(ctx context.Context, j DeliveryJob) DeliveryResult {
	d, ep := j.Delivery, j.Endpoint
	now := clock(w.Now)
	a := Attempt{ID: domain.NewID(PrefixAttempt), DeliveryID: d.ID, MerchantID: d.MerchantID, Livemode: d.Livemode, EventID: d.EventID,
		EndpointID: d.EndpointID, Number: d.Attempts, URL: ep.URL, CreatedAt: now}
	if !j.EndpointActive {
		// Nothing is sent: the endpoint was disabled or deleted after the delivery was planned.
		a.ID, a.Error = "", "endpoint disabled or deleted"
		return DeliveryResult{Attempt: a, Status: DeliveryFailed}
	}
	body := Body(j.Event)
	secrets := []string{ep.Secret}
	if ep.PreviousSecret != "" && ep.PreviousSecretExpiresAt != nil && now.Before(*ep.PreviousSecretExpiresAt) {
		secrets = append(secrets, ep.PreviousSecret)
	}
	ts := now.Unix()
	sig, err := webhook.Signature(j.Event.ID, ts, body, secrets...)
	if err != nil {
		a.Error = err.Error()
		return DeliveryResult{Attempt: a, Status: DeliveryFailed}
	}
	res := w.Client.Post(ctx, ep.URL, map[string]string{
		"webhook-id":        j.Event.ID,
		"webhook-timestamp": strconv.FormatInt(ts, 10),
		"webhook-signature": sig,
	}, body)
	a.StatusCode, a.LatencyMS, a.ResponseExcerpt = res.StatusCode, res.Latency.Milliseconds(), res.Excerpt
	if res.Err != nil {
		a.Error = errText(res.Err)
	}
	switch {
	case res.Err == nil && res.StatusCode >= 200 && res.StatusCode < 300:
		return DeliveryResult{Attempt: a, Status: DeliverySucceeded}
	case res.Err == nil && res.StatusCode == 410:
		// 410 Gone: the receiver asks us to stop for good.
		return DeliveryResult{Attempt: a, Status: DeliveryFailed, DisableEndpoint: true,
			DisabledReason: "The endpoint answered 410 Gone."}
	}
	schedule, jitter := w.Schedule, w.Jitter
	if schedule == nil {
		schedule = WebhookSchedule
	}
	if jitter == nil {
		jitter = defaultJitter
	}
	if d.Attempts > len(schedule) {
		return DeliveryResult{Attempt: a, Status: DeliveryFailed}
	}
	next := clock(w.Now).Add(jitter(schedule[max(d.Attempts, 1)-1]))
	return DeliveryResult{Attempt: a, Status: DeliveryPending, NextAttemptAt: &next}
}
