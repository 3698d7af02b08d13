package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/notify"
)

// EmailResponse is one e-mail of the outbox (the mailbox when no SMTP server is configured).
type EmailResponse struct {
	ID     string `json:"id" example:"em_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"email"`
	// Livemode is false for test data, true for live data.
	Livemode bool   `json:"livemode"`
	To       string `json:"to" example:"ana@example.com"`
	// Subject is in the invoice's language.
	Subject   string     `json:"subject" example:"Zahtev za plaćanje INV-000001 – Radnja"`
	Kind      string     `json:"kind" enums:"payment_link,receipt,receipt_copy,refund,capture_notice,void_notice,authorization,password_reset,reminder"`
	Status    string     `json:"status" enums:"queued,sent,failed,held"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error"`
	InvoiceID string     `json:"invoice_id" example:"inv_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Locale    string     `json:"locale" enums:"sr-Latn,sr-Cyrl,en"`
	CreatedAt time.Time  `json:"created_at" format:"date-time"`
	SentAt    *time.Time `json:"sent_at" extensions:"x-nullable" format:"date-time"`
	// NextAttemptAt is when a queued e-mail is tried again.
	NextAttemptAt *time.Time `json:"next_attempt_at" extensions:"x-nullable" format:"date-time"`
	// Text and HTML are the e-mail's two parts; both are empty when Redacted.
	Text string `json:"text"`
	HTML string `json:"html"`
	// Redacted is true for an e-mail only its addressee may read (a password-reset link): the
	// mailbox shows that it exists and how its delivery went, never its text.
	Redacted bool `json:"redacted"`
} // @name Email

func toEmail(e notify.Email) EmailResponse {
	out := EmailResponse{ID: e.ID, Object: "email", Livemode: e.Livemode, To: e.To, Subject: e.Subject, Kind: string(e.Kind), Status: string(e.Status),
		Attempts: e.Attempts, LastError: e.LastError, InvoiceID: e.InvoiceID, Locale: e.Locale, CreatedAt: e.CreatedAt,
		SentAt: timePtr(e.SentAt), Text: e.Text, HTML: e.HTML, Redacted: e.Redacted()}
	if out.Redacted {
		out.Text, out.HTML = "", ""
	}
	if e.Status == notify.EmailQueued {
		out.NextAttemptAt = timePtr(e.NextAttemptAt)
	}
	return out
}

// listEmails godoc
//
//	@Summary	List e-mails, newest first
//	@ID		listEmails
//	@Description	The outbox of every e-mail SecureLink wrote for the merchant, with delivery status. Without SMTP configured, e-mails stay here with status held.
//	@Tags		E-mails
//	@Produce	json
//	@Security	BearerAuth
//	@Param		limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param		starting_after	query		string	false	"id of the last e-mail of the previous page"	maxLength(64)
//	@Param		ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success	200				{object}	ListResponse[EmailResponse]
//	@Failure	400				{object}	ErrorBody
//	@Failure	401				{object}	ErrorBody
//	@Router		/emails [get]
func (s *Server) listEmails(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	es, more, err := s.d.Notify.ListEmails(c.Request().Context(), actorOf(c).MerchantID, p)
	if err != nil {
		return err
	}
	out := make([]EmailResponse, len(es))
	for i, e := range es {
		out[i] = toEmail(e)
	}
	return c.JSON(http.StatusOK, list(out, more))
}

// getEmail godoc
//
//	@Summary	An e-mail with its text and HTML
//	@ID		getEmail
//	@Description	The full e-mail as it was (or will be) sent, with its text and HTML bodies.
//	@Tags		E-mails
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"e-mail id"
//	@Success	200	{object}	EmailResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/emails/{id} [get]
func (s *Server) getEmail(c echo.Context) error {
	e, err := s.d.Notify.GetEmail(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEmail(e))
}

// sendEmail godoc
//
//	@Summary		Send a held or failed e-mail
//	@ID		sendEmail
//	@Description	A held e-mail (kept in the mailbox while no SMTP server was configured) or a failed one goes back to the queue and is sent shortly, with its original Message-ID. Answers 409 when no SMTP server is configured, or when the e-mail is already queued or sent.
//	@Tags			E-mails
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string	true	"e-mail id"
//	@Param			Idempotency-Key	header		string	false	"idempotency key"
//	@Success		202				{object}	EmailResponse
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Router			/emails/{id}/send [post]
func (s *Server) sendEmail(c echo.Context) error {
	e, err := s.d.Notify.SendEmail(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, toEmail(e))
}

// AttemptResponse is one HTTP request of a webhook delivery.
type AttemptResponse struct {
	ID     string `json:"id" example:"wha_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"webhook_attempt"`
	// Livemode is false for test data, true for live data.
	Livemode   bool   `json:"livemode"`
	Attempt    int    `json:"attempt" example:"1"`
	URL        string `json:"url" format:"uri" example:"https://example.com/hooks/securelink"`
	StatusCode int    `json:"status_code" example:"200"`
	LatencyMS  int64  `json:"latency_ms" example:"84"`
	// ResponseExcerpt is the first KiB of the receiver's answer.
	ResponseExcerpt string    `json:"response_excerpt"`
	Error           string    `json:"error"`
	CreatedAt       time.Time `json:"created_at" format:"date-time"`
} // @name WebhookAttempt

// DeliveryResponse is one event's delivery to one endpoint.
type DeliveryResponse struct {
	ID     string `json:"id" example:"whd_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"webhook_delivery"`
	// Livemode is false for test data, true for live data.
	Livemode       bool              `json:"livemode"`
	EndpointID     string            `json:"endpoint_id" example:"we_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	URL            string            `json:"url" format:"uri" example:"https://example.com/hooks/securelink"`
	Status         string            `json:"status" enums:"pending,succeeded,failed"`
	Attempts       int               `json:"attempts"`
	NextAttemptAt  *time.Time        `json:"next_attempt_at" extensions:"x-nullable" format:"date-time"`
	LastStatusCode int               `json:"last_status_code"`
	LastError      string            `json:"last_error"`
	CreatedAt      time.Time         `json:"created_at" format:"date-time"`
	DeliveredAt    *time.Time        `json:"delivered_at" extensions:"x-nullable" format:"date-time"`
	AttemptLog     []AttemptResponse `json:"attempt_log"`
} // @name WebhookDelivery

// EventResponse is a webhook event with its deliveries.
type EventResponse struct {
	ID     string `json:"id" example:"evt_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"event"`
	// Livemode is false for test data, true for live data.
	Livemode  bool      `json:"livemode"`
	Type      string    `json:"type" example:"invoice.paid" enums:"invoice.created,invoice.paid,invoice.partially_paid,invoice.cancelled,invoice.expired,payment.authorized,payment.captured,payment.voided,payment.failed,refund.succeeded,refund.failed"`
	ObjectID  string    `json:"object_id" example:"inv_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
	// Data is the object as it was when the event happened: what the webhook's data field carries.
	Data       json.RawMessage    `json:"data" swaggertype:"object"`
	Deliveries []DeliveryResponse `json:"deliveries"`
} // @name Event

func toEvent(e notify.EventLog) EventResponse {
	out := EventResponse{ID: e.ID, Object: "event", Livemode: e.Livemode, Type: e.Type, ObjectID: e.ObjectID, CreatedAt: e.CreatedAt, Data: e.Payload,
		Deliveries: make([]DeliveryResponse, len(e.Deliveries))}
	for i, d := range e.Deliveries {
		dr := DeliveryResponse{ID: d.ID, Object: "webhook_delivery", Livemode: d.Livemode, EndpointID: d.EndpointID, URL: d.EndpointURL,
			Status: string(d.Status), Attempts: d.Attempts, LastStatusCode: d.LastStatusCode, LastError: d.LastError,
			CreatedAt: d.CreatedAt, DeliveredAt: timePtr(d.DeliveredAt), AttemptLog: make([]AttemptResponse, len(d.Log))}
		if d.Status == notify.DeliveryPending {
			dr.NextAttemptAt = timePtr(d.NextAttemptAt)
		}
		for j, a := range d.Log {
			dr.AttemptLog[j] = AttemptResponse{ID: a.ID, Object: "webhook_attempt", Livemode: a.Livemode, Attempt: a.Number, URL: a.URL,
				StatusCode: a.StatusCode, LatencyMS: a.LatencyMS, ResponseExcerpt: a.ResponseExcerpt, Error: a.Error, CreatedAt: a.CreatedAt}
		}
		out.Deliveries[i] = dr
	}
	return out
}

// listEvents godoc
//
//	@Summary	List webhook events, newest first, with their deliveries and attempts
//	@ID		listEvents
//	@Description	Every event SecureLink emitted for the merchant's webhooks, with its deliveries to each endpoint and their attempts. The payload of each event type is documented under **Webhook events**.
//	@Tags		Events
//	@Produce	json
//	@Security	BearerAuth
//	@Param		limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param		starting_after	query		string	false	"id of the last event of the previous page"	maxLength(64)
//	@Param		ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success	200				{object}	ListResponse[EventResponse]
//	@Failure	400				{object}	ErrorBody
//	@Failure	401				{object}	ErrorBody
//	@Router		/events [get]
func (s *Server) listEvents(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	evs, more, err := s.d.Notify.ListEvents(c.Request().Context(), actorOf(c).MerchantID, p)
	if err != nil {
		return err
	}
	out := make([]EventResponse, len(evs))
	for i, e := range evs {
		out[i] = toEvent(e)
	}
	return c.JSON(http.StatusOK, list(out, more))
}

// getEvent godoc
//
//	@Summary	A webhook event with its deliveries and attempts
//	@ID		getEvent
//	@Description	One event with its `data` (the payload sent to endpoints), its deliveries and their attempts.
//	@Tags		Events
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"event id"
//	@Success	200	{object}	EventResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/events/{id} [get]
func (s *Server) getEvent(c echo.Context) error {
	e, err := s.d.Notify.GetEvent(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEvent(e))
}

// RedeliverRequest optionally narrows a re-delivery to one endpoint.
type RedeliverRequest struct {
	EndpointID string `json:"endpoint_id,omitempty" example:"we_01jd4w3k5m6n7p8q9r0s1t2v3w"`
} // @name RedeliverRequest

// redeliverEvent godoc
//
//	@Summary	Send a webhook event again
//	@ID		redeliverEvent
//	@Description	Queues the event for every enabled endpoint subscribed to it (or only endpoint_id) with a fresh retry schedule. The webhook-id header stays the event id, so receivers can recognise a repeat.
//	@Tags		Events
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string				false	"idempotency key"
//	@Param		id				path		string				true	"event id"
//	@Param		body			body		RedeliverRequest	false	"which endpoint"
//	@Success	202				{object}	EventResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Router		/events/{id}/redeliver [post]
func (s *Server) redeliverEvent(c echo.Context) error {
	var req RedeliverRequest
	if err := decode(c, &req, true); err != nil {
		return err
	}
	e, err := s.d.Notify.Redeliver(c.Request().Context(), actorOf(c), c.Param("id"), req.EndpointID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, toEvent(e))
}

// CreateEndpointRequest is the body of POST /webhook-endpoints.
type CreateEndpointRequest struct {
	// URL receives the events; it must be http(s) and reach a public address.
	URL         string   `json:"url" format:"uri" maxLength:"2048" example:"https://example.com/hooks/securelink"`
	Events      []string `json:"events" minItems:"1" example:"invoice.paid,refund.succeeded"`
	Description string   `json:"description,omitempty" maxLength:"500" example:"Order system"`
} // @name CreateWebhookEndpointRequest

// EndpointResponse is a webhook endpoint; secret is present only when it is created or rotated.
type EndpointResponse struct {
	ID     string `json:"id" example:"we_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"webhook_endpoint"`
	// Livemode is false for test data, true for live data.
	Livemode    bool     `json:"livemode"`
	URL         string   `json:"url" format:"uri" example:"https://example.com/hooks/securelink"`
	Description string   `json:"description"`
	Events      []string `json:"events" example:"invoice.paid,refund.succeeded" enums:"invoice.created,invoice.paid,invoice.partially_paid,invoice.cancelled,invoice.expired,payment.authorized,payment.captured,payment.voided,payment.failed,refund.succeeded,refund.failed"`
	Status      string   `json:"status" enums:"enabled,disabled"`
	// DisabledReason says why a disabled endpoint gets no more deliveries (e.g. it answered 410 Gone).
	DisabledReason string `json:"disabled_reason"`
	// Secret signs deliveries (Standard Webhooks); shown only once, when created or rotated.
	Secret    string    `json:"secret,omitempty" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" format:"date-time"`
} // @name WebhookEndpoint

func toEndpoint(e notify.Endpoint, withSecret bool) EndpointResponse {
	out := EndpointResponse{ID: e.ID, Object: "webhook_endpoint", Livemode: e.Livemode, URL: e.URL, Description: e.Description, Events: e.Events,
		Status: string(e.Status), DisabledReason: e.DisabledReason, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if out.Events == nil {
		out.Events = []string{}
	}
	if withSecret {
		out.Secret = e.Secret
	}
	return out
}

// createEndpoint godoc
//
//	@Summary	Register a webhook endpoint
//	@ID		createWebhookEndpoint
//	@Description	Deliveries follow the Standard Webhooks spec: headers webhook-id, webhook-timestamp and webhook-signature (v1, base64 HMAC-SHA256 of id.timestamp.body keyed with the base64-decoded secret after whsec_). The secret is returned only here and by rotate-secret.
//	@Tags		Webhooks
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string					false	"idempotency key"
//	@Param		body			body		CreateEndpointRequest	true	"the endpoint"
//	@Success	201				{object}	EndpointResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	401				{object}	ErrorBody
//	@Router		/webhook-endpoints [post]
func (s *Server) createEndpoint(c echo.Context) error {
	var req CreateEndpointRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	ep, err := s.d.Notify.CreateEndpoint(c.Request().Context(), actorOf(c), notify.NewEndpoint{URL: req.URL, Events: req.Events, Description: req.Description})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toEndpoint(ep, true))
}

// UpdateEndpointRequest changes a webhook endpoint; omitted fields stay as they are.
type UpdateEndpointRequest struct {
	URL         *string   `json:"url,omitempty" maxLength:"2048" example:"https://example.com/hooks/securelink"`
	Events      *[]string `json:"events,omitempty" minItems:"1" example:"invoice.paid,refund.succeeded" enums:"invoice.created,invoice.paid,invoice.partially_paid,invoice.cancelled,invoice.expired,payment.authorized,payment.captured,payment.voided,payment.failed,refund.succeeded,refund.failed"`
	Description *string   `json:"description,omitempty" maxLength:"500"`
	// Status enabled turns deliveries back on (also after a 410 Gone); disabled stops them.
	Status *string `json:"status,omitempty" enums:"enabled,disabled"`
} // @name UpdateWebhookEndpointRequest

// updateEndpoint godoc
//
//	@Summary		Change a webhook endpoint's URL, events, description or status
//	@ID		updateWebhookEndpoint
//	@Description	The secret stays the same. Enabling a disabled endpoint (including one disabled because it answered 410 Gone) sends it the events from then on; redeliver earlier ones from the event log. Disabling stops its pending deliveries.
//	@Tags			Webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"endpoint id"
//	@Param			body	body		UpdateEndpointRequest	true	"fields to change"
//	@Success		200		{object}	EndpointResponse
//	@Failure		400		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Router			/webhook-endpoints/{id} [patch]
func (s *Server) updateEndpoint(c echo.Context) error {
	var req UpdateEndpointRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	ep, err := s.d.Notify.UpdateEndpoint(c.Request().Context(), actorOf(c), c.Param("id"),
		notify.EndpointPatch{URL: req.URL, Events: req.Events, Description: req.Description, Status: req.Status})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEndpoint(ep, false))
}

// listEndpoints godoc
//
//	@Summary	List webhook endpoints, newest first
//	@ID		listWebhookEndpoints
//	@Description	Every endpoint with the event types it receives and its status; secrets are never listed.
//	@Tags		Webhooks
//	@Produce	json
//	@Security	BearerAuth
//	@Param		limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param		starting_after	query		string	false	"id of the last endpoint of the previous page"	maxLength(64)
//	@Param		ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success	200				{object}	ListResponse[EndpointResponse]
//	@Failure	400				{object}	ErrorBody
//	@Failure	401				{object}	ErrorBody
//	@Router		/webhook-endpoints [get]
func (s *Server) listEndpoints(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	eps, more, err := s.d.Notify.ListEndpoints(c.Request().Context(), actorOf(c).MerchantID, p)
	if err != nil {
		return err
	}
	out := make([]EndpointResponse, len(eps))
	for i, e := range eps {
		out[i] = toEndpoint(e, false)
	}
	return c.JSON(http.StatusOK, list(out, more))
}

// getEndpoint godoc
//
//	@Summary	A webhook endpoint
//	@ID		getWebhookEndpoint
//	@Description	One endpoint with the event types it receives and its status; the secret is shown only when it is created or rotated.
//	@Tags		Webhooks
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"endpoint id"
//	@Success	200	{object}	EndpointResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/webhook-endpoints/{id} [get]
func (s *Server) getEndpoint(c echo.Context) error {
	ep, err := s.d.Notify.GetEndpoint(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEndpoint(ep, false))
}

// DeletedResponse confirms a deletion.
type DeletedResponse struct {
	ID      string `json:"id" example:"we_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object  string `json:"object" example:"webhook_endpoint"`
	Deleted bool   `json:"deleted" example:"true"`
	// Livemode is the mode of the deleted object.
	Livemode bool `json:"livemode"`
} // @name Deleted

// deleteEndpoint godoc
//
//	@Summary	Delete a webhook endpoint
//	@ID		deleteWebhookEndpoint
//	@Description	Pending deliveries to it stop; its delivery log stays visible in GET /events.
//	@Tags		Webhooks
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"endpoint id"
//	@Success	200	{object}	DeletedResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/webhook-endpoints/{id} [delete]
func (s *Server) deleteEndpoint(c echo.Context) error {
	id := c.Param("id")
	if err := s.d.Notify.DeleteEndpoint(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DeletedResponse{ID: id, Object: "webhook_endpoint", Deleted: true, Livemode: actorOf(c).Livemode})
}

// rotateEndpointSecret godoc
//
//	@Summary	Give a webhook endpoint a new secret
//	@ID		rotateWebhookEndpointSecret
//	@Description	The new secret is returned only here. For 24 hours deliveries carry signatures with both the new and the old secret, so a receiver can switch without losing events.
//	@Tags		Webhooks
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string	false	"idempotency key"
//	@Param		id				path		string	true	"endpoint id"
//	@Success	200				{object}	EndpointResponse
//	@Failure	404				{object}	ErrorBody
//	@Router		/webhook-endpoints/{id}/rotate-secret [post]
func (s *Server) rotateEndpointSecret(c echo.Context) error {
	if err := decode(c, &struct{}{}, true); err != nil {
		return err
	}
	ep, err := s.d.Notify.RotateSecret(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEndpoint(ep, true))
}

// emailDelivery reports whether e-mails can leave the mailbox (an SMTP server is configured).
func (s *Server) emailDelivery() bool { return s.d.Notify != nil && s.d.Notify.CanSend }

// EmailPreviewCSP is the policy of an e-mail's HTML preview: its own inline styles and embedded
// pictures only, no scripts, forms or requests anywhere, sandboxed, framed only by the portal.
const EmailPreviewCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// previewEmail godoc
//
//	@Summary	An e-mail's HTML part as a page of its own, for the portal's preview frame
//	@ID		previewEmail
//	@Description	The HTML part as `text/html` under a Content-Security-Policy of its own (the e-mail's inline styles and `data:` pictures only, no scripts, `sandbox`, framed only by the same origin), so the portal shows it in a frame without loosening the portal's own policy. `404` for an e-mail without an HTML part or one only its addressee may read (`redacted`).
//	@Tags		E-mails
//	@Produce	html,json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"e-mail id"
//	@Success	200	{file}		binary
//	@Failure	404	{object}	ErrorBody
//	@Router		/emails/{id}/preview [get]
func (s *Server) previewEmail(c echo.Context) error {
	e, err := s.d.Notify.GetEmail(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	if e.Redacted() || e.HTML == "" {
		return apperr.NotFound("e-mail preview")
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", EmailPreviewCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	return c.HTMLBlob(http.StatusOK, []byte(e.HTML))
}
