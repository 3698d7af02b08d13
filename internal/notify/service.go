package notify

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/notify/webhook"
)

// URLChecker validates a webhook endpoint URL (webhook.Guard in production).
type URLChecker interface {
	CheckURL(ctx context.Context, raw string) error
}

// Auditor records who did what.
type Auditor interface {
	Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) error
}

// Service is what merchants do with their e-mails, events and webhook endpoints.
type Service struct {
	Store Store
	Guard URLChecker
	Audit Auditor
	// Tx runs a write and its audit row in one transaction.
	Tx  audit.Tx
	Now func() time.Time
	// CanSend is true when an SMTP server is configured, so e-mails can leave the mailbox.
	CanSend bool
}

// Limits on endpoints.
const (
	MaxEndpointURL         = 2048
	MaxEndpointDescription = 500
	// SecretOverlap is how long a rotated-out secret keeps signing deliveries.
	SecretOverlap = 24 * time.Hour
)

// NewEndpoint is the input of CreateEndpoint.
type NewEndpoint struct {
	URL         string
	Events      []string
	Description string
}

// CreateEndpoint validates and registers a webhook endpoint; the returned endpoint carries its secret.
func (s *Service) CreateEndpoint(ctx context.Context, actor domain.Actor, in NewEndpoint) (Endpoint, error) {
	in.URL = strings.TrimSpace(in.URL)
	if len(in.Description) > MaxEndpointDescription {
		return Endpoint{}, apperr.Invalid("description", "too_long", "description must be at most %d characters.", MaxEndpointDescription)
	}
	events, err := validEvents(in.Events)
	if err != nil {
		return Endpoint{}, err
	}
	// Last: the guard may resolve the host.
	if err := s.checkURL(ctx, in.URL); err != nil {
		return Endpoint{}, err
	}
	now := clock(s.Now)
	ep := Endpoint{ID: domain.NewID(domain.PrefixEndpoint), MerchantID: actor.MerchantID, Livemode: actor.Livemode, URL: in.URL,
		Description: in.Description, Events: events, Secret: webhook.NewSecret(), Status: EndpointEnabled,
		CreatedAt: now, UpdatedAt: now}
	err = s.act(ctx, actor, "webhook_endpoint.created", ep.ID, map[string]any{"url": ep.URL, "events": ep.Events},
		func(ctx context.Context) error { return s.Store.CreateEndpoint(ctx, ep) })
	if err != nil {
		return Endpoint{}, err
	}
	return ep, nil
}

// validEvents checks event types against domain.WebhookEventTypes and removes duplicates.
func validEvents(in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, apperr.Invalid("events", "missing_events", "events must list at least one event type.")
	}
	var out []string
	for _, t := range in {
		if !slices.Contains(domain.WebhookEventTypes, t) {
			return nil, apperr.Invalid("events", "invalid_event_type", "%q is not an event type; use one of %s.", t, strings.Join(domain.WebhookEventTypes, ", "))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// act runs a store write and its audit row in one transaction; an empty action writes no row.
func (s *Service) act(ctx context.Context, actor domain.Actor, action, target string, details map[string]any, write func(ctx context.Context) error) error {
	return s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := write(ctx); err != nil {
			return err
		}
		if s.Audit == nil || action == "" {
			return nil
		}
		return s.Audit.Record(ctx, actor, action, target, details)
	})
}

// ListEndpoints returns a page of the merchant's endpoints, newest first.
func (s *Service) ListEndpoints(ctx context.Context, merchantID string, p domain.Page) ([]Endpoint, bool, error) {
	return s.Store.ListEndpoints(ctx, merchantID, p)
}

// GetEndpoint returns one of the merchant's endpoints.
func (s *Service) GetEndpoint(ctx context.Context, merchantID, id string) (Endpoint, error) {
	return s.Store.GetEndpoint(ctx, merchantID, id)
}

// DeleteEndpoint removes an endpoint; its pending deliveries stop.
func (s *Service) DeleteEndpoint(ctx context.Context, actor domain.Actor, id string) error {
	return s.act(ctx, actor, "webhook_endpoint.deleted", id, nil,
		func(ctx context.Context) error {
			return s.Store.DeleteEndpoint(ctx, actor.MerchantID, id, clock(s.Now))
		})
}

// SendEmail puts a held e-mail (kept while no SMTP server was configured) or a failed one back in
// the queue; the mailer sends it with its original Message-ID. Queued or sent e-mails are refused.
func (s *Service) SendEmail(ctx context.Context, actor domain.Actor, id string) (Email, error) {
	e, err := s.Store.GetEmail(ctx, actor.MerchantID, id)
	if err != nil {
		return Email{}, err
	}
	if !s.CanSend {
		return Email{}, apperr.Conflict("smtp_not_configured",
			"No SMTP server is configured (SMTP_URL), so e-mails stay in the mailbox. Configure one and try again.")
	}
	switch e.Status {
	case EmailHeld, EmailFailed:
	case EmailQueued:
		return Email{}, apperr.Conflict("email_queued", "This e-mail is already waiting to be sent.")
	case EmailSent:
		return Email{}, apperr.Conflict("email_sent", "This e-mail was already sent. To send a payment link again, use the invoice's send action.")
	default:
		return Email{}, apperr.InvalidState("This e-mail cannot be sent in status %s.", e.Status)
	}
	now := clock(s.Now)
	err = s.act(ctx, actor, "email.requeued", id, map[string]any{"to": e.To, "kind": string(e.Kind)},
		func(ctx context.Context) error { return s.Store.RequeueEmail(ctx, actor.MerchantID, id, now) })
	if errors.Is(err, apperr.ErrConflict) {
		return Email{}, apperr.Conflict("email_queued", "This e-mail is already waiting to be sent.")
	}
	if err != nil {
		return Email{}, err
	}
	e.Status, e.Attempts, e.LastError, e.NextAttemptAt = EmailQueued, 0, "", &now
	return e.Rendered()
}

// EndpointPatch is what a merchant may change on an endpoint; nil fields stay as they are.
type EndpointPatch struct {
	URL         *string
	Events      *[]string
	Description *string
	Status      *string
}

// UpdateEndpoint changes an endpoint's URL, events, description or status. Enabling an endpoint
// that was disabled (by the merchant, or because it answered 410 Gone) sends it the events that
// happen from then on; the ones in between can be redelivered from the event log. Disabling it
// stops its pending deliveries. The secret does not change.
func (s *Service) UpdateEndpoint(ctx context.Context, actor domain.Actor, id string, p EndpointPatch) (Endpoint, error) {
	var u EndpointUpdate
	changed := map[string]any{}
	if p.Events != nil {
		events, err := validEvents(*p.Events)
		if err != nil {
			return Endpoint{}, err
		}
		u.Events, changed["events"] = events, events
	}
	if p.Description != nil {
		if len(*p.Description) > MaxEndpointDescription {
			return Endpoint{}, apperr.Invalid("description", "too_long", "description must be at most %d characters.", MaxEndpointDescription)
		}
		u.Description, changed["description"] = p.Description, *p.Description
	}
	if p.Status != nil {
		st := EndpointStatus(*p.Status)
		switch st {
		case EndpointEnabled:
		case EndpointDisabled:
			u.DisabledReason = "Disabled by the merchant."
		default:
			return Endpoint{}, apperr.Invalid("status", "invalid_status", "status must be enabled or disabled.")
		}
		u.Status, changed["status"] = &st, string(st)
	}
	// Last: the guard may resolve the host.
	if p.URL != nil {
		url := strings.TrimSpace(*p.URL)
		if err := s.checkURL(ctx, url); err != nil {
			return Endpoint{}, err
		}
		u.URL, changed["url"] = &url, url
	}
	var ep Endpoint
	action := "webhook_endpoint.updated"
	if len(changed) == 0 {
		action = "" // nothing changed: nothing to audit
	}
	err := s.act(ctx, actor, action, id, changed, func(ctx context.Context) error {
		var err error
		ep, err = s.Store.UpdateEndpoint(ctx, actor.MerchantID, id, u, clock(s.Now))
		return err
	})
	if err != nil {
		return Endpoint{}, err
	}
	return ep, nil
}

// checkURL validates an endpoint URL: present, not too long, and allowed by the guard.
func (s *Service) checkURL(ctx context.Context, url string) error {
	if url == "" {
		return apperr.Invalid("url", "missing_url", "url is required.")
	}
	if len(url) > MaxEndpointURL {
		return apperr.Invalid("url", "invalid_url", "url must be at most %d characters.", MaxEndpointURL)
	}
	if err := s.Guard.CheckURL(ctx, url); err != nil {
		var ue *webhook.URLError
		if errors.As(err, &ue) {
			return apperr.Invalid("url", ue.Code, "%s", ue.Message)
		}
		return err
	}
	return nil
}

// RotateSecret gives an endpoint a new secret (returned once); the old one keeps signing for 24 hours.
func (s *Service) RotateSecret(ctx context.Context, actor domain.Actor, id string) (Endpoint, error) {
	now := clock(s.Now)
	var ep Endpoint
	err := s.act(ctx, actor, "webhook_endpoint.secret_rotated", id, nil, func(ctx context.Context) error {
		var err error
		ep, err = s.Store.RotateSecret(ctx, actor.MerchantID, id, webhook.NewSecret(), now.Add(SecretOverlap), now)
		return err
	})
	if err != nil {
		return Endpoint{}, err
	}
	return ep, nil
}

// ListEvents returns a page of the merchant's webhook events with their deliveries, newest first.
func (s *Service) ListEvents(ctx context.Context, merchantID string, p domain.Page) ([]EventLog, bool, error) {
	return s.Store.ListEvents(ctx, merchantID, p)
}

// GetEvent returns one webhook event with its deliveries and attempts.
func (s *Service) GetEvent(ctx context.Context, merchantID, id string) (EventLog, error) {
	return s.Store.GetEvent(ctx, merchantID, id)
}

// Redeliver sends a webhook event again to every enabled endpoint subscribed to it, or only to
// endpointID when given; the webhook-id stays the event id, so receivers can recognise it.
func (s *Service) Redeliver(ctx context.Context, actor domain.Actor, eventID, endpointID string) (EventLog, error) {
	details := map[string]any{}
	err := s.act(ctx, actor, "event.redelivered", eventID, details, func(ctx context.Context) error {
		n, err := s.Store.Redeliver(ctx, actor.MerchantID, eventID, endpointID, clock(s.Now))
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.Conflict(apperr.CodeNoEndpoints, "No enabled webhook endpoint is subscribed to this event.")
		}
		details["deliveries"] = n
		return nil
	})
	if err != nil {
		return EventLog{}, err
	}
	return s.Store.GetEvent(ctx, actor.MerchantID, eventID)
}

// ListEmails returns a page of the merchant's e-mails, newest first.
func (s *Service) ListEmails(ctx context.Context, merchantID string, p domain.Page) ([]Email, bool, error) {
	es, more, err := s.Store.ListEmails(ctx, merchantID, p)
	if err != nil {
		return nil, false, err
	}
	return es, more, renderAll(es)
}

// GetEmail returns one of the merchant's e-mails.
func (s *Service) GetEmail(ctx context.Context, merchantID, id string) (Email, error) {
	e, err := s.Store.GetEmail(ctx, merchantID, id)
	if err != nil {
		return Email{}, err
	}
	return e.Rendered()
}
