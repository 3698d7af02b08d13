package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/paymentlinks"
	"securelink/internal/qr"
)

// OrdersPerMinute is how many orders one client address may make through reusable links per minute
// (per replica): each order is an invoice with a number of its own, so a script may not make them
// by the thousand.
const OrdersPerMinute = 60

// paymentLinkRoutes adds the reusable links: the merchant's routes to m, the payer's to public.
func (s *Server) paymentLinkRoutes(public, m *echo.Group) {
	if s.d.PaymentLinks == nil {
		return
	}
	m.POST("/payment-links", s.createReusableLink)
	m.GET("/payment-links", s.listReusableLinks)
	m.GET("/payment-links/:id", s.getReusableLink)
	m.PATCH("/payment-links/:id", s.updateReusableLink)
	m.GET("/payment-links/:id/qr.svg", s.getReusableLinkQr)
	public.GET("/checkout-links/:token", s.getLinkCheckout)
	public.POST("/checkout-links/:token/orders", s.createLinkOrder)
}

// AdjustableQuantityBody lets the payer multiply a fixed price's lines by a quantity from min to max.
type AdjustableQuantityBody struct {
	Enabled bool  `json:"enabled" example:"true"`
	Min     int64 `json:"min" minimum:"1" maximum:"1000" example:"1"`
	Max     int64 `json:"max" minimum:"1" maximum:"1000" example:"10"`
} // @name AdjustableQuantity

// CollectBody says which of the payer's details the link asks for. The e-mail is always asked
// (the receipt goes there): email false is refused.
type CollectBody struct {
	Name    bool  `json:"name,omitempty" example:"true"`
	Email   *bool `json:"email,omitempty" example:"true"`
	Phone   bool  `json:"phone,omitempty" example:"false"`
	Address bool  `json:"address,omitempty" example:"false"`
} // @name PaymentLinkCollectInput

// CollectResponse says which of the payer's details the link asks for; email is always true.
type CollectResponse struct {
	Name    bool `json:"name" example:"true"`
	Email   bool `json:"email" example:"true"`
	Phone   bool `json:"phone" example:"false"`
	Address bool `json:"address" example:"false"`
} // @name PaymentLinkCollect

// CustomFieldBody is a text the payer is asked for.
type CustomFieldBody struct {
	// Key names the answer on the order: 1 to 40 of a-z, 0-9 and _.
	Key      string `json:"key" pattern:"^[a-z0-9_]{1,40}$" example:"size"`
	Label    string `json:"label" maxLength:"100" example:"T-shirt size"`
	Required bool   `json:"required,omitempty" example:"true"`
} // @name PaymentLinkCustomField

// CreatePaymentLinkRequest is the body of POST /payment-links.
type CreatePaymentLinkRequest struct {
	Title       string `json:"title" maxLength:"200" example:"Yoga class"`
	Description string `json:"description,omitempty" maxLength:"1000" example:"One class of 90 minutes"`
	Currency    string `json:"currency,omitempty" example:"RSD"`
	// Pricing fixed (default) orders the lines; custom lets the payer choose the amount within amount_min..amount_max.
	Pricing string     `json:"pricing,omitempty" enums:"fixed,custom" example:"fixed"`
	Lines   []LineBody `json:"lines,omitempty" maxItems:"20"`
	// AdjustableQuantity lets the payer multiply the lines by a quantity (pricing fixed only).
	AdjustableQuantity *AdjustableQuantityBody `json:"adjustable_quantity,omitempty"`
	// AmountMin, AmountMax and AmountSuggested (0: none) bound a custom price, in minor units.
	AmountMin       int64 `json:"amount_min,omitempty" minimum:"1" example:"100000"`
	AmountMax       int64 `json:"amount_max,omitempty" minimum:"1" example:"5000000"`
	AmountSuggested int64 `json:"amount_suggested,omitempty" minimum:"0" example:"0"`
	// MaxPayments bounds the paid orders; leave it out (or 0) for no limit.
	MaxPayments *int64 `json:"max_payments,omitempty" minimum:"0" maximum:"1000000" example:"50"`
	// ExpiresAt ends the link; leave it out for a link without an end date.
	ExpiresAt    string            `json:"expires_at,omitempty" format:"date-time"`
	Collect      *CollectBody      `json:"collect,omitempty"`
	CustomFields []CustomFieldBody `json:"custom_fields,omitempty" maxItems:"3"`
	Locale       string            `json:"locale,omitempty" enums:"sr-Latn,sr-Cyrl,en"`
	CaptureMode  string            `json:"capture_mode,omitempty" enums:"automatic,manual"`
	// SuccessURL and CancelURL are given to every order (the same rules as an invoice's).
	SuccessURL string `json:"success_url,omitempty" format:"uri" maxLength:"1500" example:"https://shop.example/thanks"`
	CancelURL  string `json:"cancel_url,omitempty" format:"uri" maxLength:"1500" example:"https://shop.example/"`
} // @name CreatePaymentLinkRequest

// UpdatePaymentLinkRequest is the body of PATCH /payment-links/{id}; fields left out stay as they are.
type UpdatePaymentLinkRequest struct {
	Title       *string `json:"title,omitempty" maxLength:"200" example:"Yoga class"`
	Description *string `json:"description,omitempty" maxLength:"1000"`
	// MaxPayments 0 removes the limit.
	MaxPayments *int64 `json:"max_payments,omitempty" minimum:"0" maximum:"1000000" example:"60"`
	// ExpiresAt "" removes the end date.
	ExpiresAt *string `json:"expires_at,omitempty" example:"2027-01-31T23:00:00Z"`
	// Status pauses (paused), resumes (active) or ends (ended, final) the link.
	Status *string `json:"status,omitempty" enums:"active,paused,ended" example:"paused"`
} // @name UpdatePaymentLinkRequest

// PaymentLinkResponse is a reusable payment link.
type PaymentLinkResponse struct {
	ID     string `json:"id" example:"plink_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"payment_link"`
	// Livemode is false for test data, true for live data.
	Livemode           bool                    `json:"livemode"`
	Title              string                  `json:"title" example:"Yoga class"`
	Description        string                  `json:"description"`
	Currency           string                  `json:"currency" example:"RSD"`
	Pricing            string                  `json:"pricing" enums:"fixed,custom"`
	Lines              []LineResponse          `json:"lines"`
	AdjustableQuantity *AdjustableQuantityBody `json:"adjustable_quantity" extensions:"x-nullable"`
	AmountMin          int64                   `json:"amount_min" example:"0"`
	AmountMax          int64                   `json:"amount_max" example:"0"`
	AmountSuggested    int64                   `json:"amount_suggested" example:"0"`
	MaxPayments        *int64                  `json:"max_payments" extensions:"x-nullable" example:"50"`
	ExpiresAt          *time.Time              `json:"expires_at" extensions:"x-nullable" format:"date-time"`
	Collect            CollectResponse         `json:"collect"`
	CustomFields       []CustomFieldBody       `json:"custom_fields"`
	Locale             string                  `json:"locale" enums:"sr-Latn,sr-Cyrl,en"`
	CaptureMode        string                  `json:"capture_mode" enums:"automatic,manual"`
	SuccessURL         string                  `json:"success_url"`
	CancelURL          string                  `json:"cancel_url"`
	// Status is what the merchant set; Availability what a payer finds now.
	Status       string `json:"status" enums:"active,paused,ended"`
	Availability string `json:"availability" enums:"open,paused,ended,expired,sold_out"`
	Token        string `json:"token"`
	URL          string `json:"url" format:"uri" example:"http://localhost:8080/pay/l/3q27wXk9PzL0m4nBvC8sT1uY6eR2iO5a"`
	// PaymentsCount is the orders paid; AmountCollected what they brought (refunds show on the orders).
	PaymentsCount   int64      `json:"payments_count" example:"3"`
	AmountCollected int64      `json:"amount_collected" example:"450000"`
	CreatedAt       time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt       time.Time  `json:"updated_at" format:"date-time"`
	EndedAt         *time.Time `json:"ended_at" extensions:"x-nullable" format:"date-time"`
} // @name PaymentLink

func (s *Server) toPaymentLink(l domain.PaymentLink) PaymentLinkResponse {
	out := PaymentLinkResponse{ID: l.ID, Object: "payment_link", Livemode: l.Livemode, Title: l.Title, Description: l.Description,
		Currency: l.Currency, Pricing: string(l.Pricing), Lines: toLines(l.Lines), AmountMin: l.AmountMin, AmountMax: l.AmountMax,
		AmountSuggested: l.AmountSuggested, ExpiresAt: timePtr(l.ExpiresAt),
		Collect:      CollectResponse{Name: l.Collect.Name, Email: true, Phone: l.Collect.Phone, Address: l.Collect.Address},
		CustomFields: toCustomFields(l.CustomFields), Locale: l.Locale, CaptureMode: string(l.CaptureMode),
		SuccessURL: l.SuccessURL, CancelURL: l.CancelURL, Status: string(l.Status),
		Availability: string(s.d.PaymentLinks.Availability(l)), Token: l.Token, URL: s.d.PaymentLinks.URL(l.Token),
		PaymentsCount: l.Stats.Paid, AmountCollected: l.Stats.Collected, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt,
		EndedAt: timePtr(l.EndedAt)}
	if l.QuantityAdjustable() {
		out.AdjustableQuantity = &AdjustableQuantityBody{Enabled: true, Min: l.QuantityMin, Max: l.QuantityMax}
	}
	if l.MaxPayments > 0 {
		m := l.MaxPayments
		out.MaxPayments = &m
	}
	return out
}

func toCustomFields(fs []domain.CustomField) []CustomFieldBody {
	out := make([]CustomFieldBody, len(fs))
	for i, f := range fs {
		out[i] = CustomFieldBody{Key: f.Key, Label: f.Label, Required: f.Required}
	}
	return out
}

// createReusableLink godoc
//
//	@Summary		Create a reusable payment link
//	@ID				createReusablePaymentLink
//	@Description	A link for a product, a service or a donation, not for one customer: every payer who opens `url` orders and pays on their own (each order is an invoice with `payment_link_id`). Fixed lines, optionally times a quantity the payer chooses, or an amount the payer chooses within `amount_min`..`amount_max`. Empty currency, locale and capture_mode take the merchant's defaults. A live link needs a live provider account (`409 live_provider_missing`).
//	@Tags			Reusable payment links
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string						false	"idempotency key"
//	@Param			body			body		CreatePaymentLinkRequest	true	"the link"
//	@Success		201				{object}	PaymentLinkResponse
//	@Failure		400				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Router			/payment-links [post]
func (s *Server) createReusableLink(c echo.Context) error {
	var req CreatePaymentLinkRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	exp, err := parseTime("expires_at", req.ExpiresAt)
	if err != nil {
		return err
	}
	in := paymentlinks.NewPaymentLink{Title: req.Title, Description: req.Description, Currency: req.Currency, Pricing: req.Pricing,
		AmountMin: req.AmountMin, AmountMax: req.AmountMax, AmountSuggested: req.AmountSuggested, ExpiresAt: exp,
		Locale: req.Locale, CaptureMode: req.CaptureMode, SuccessURL: req.SuccessURL, CancelURL: req.CancelURL}
	for _, l := range req.Lines {
		in.Lines = append(in.Lines, invoices.NewLine{Description: l.Description, Quantity: l.Quantity, UnitAmount: l.UnitAmount, VATRate: l.VATRate})
	}
	if q := req.AdjustableQuantity; q != nil {
		in.AdjustableQuantity = &paymentlinks.Quantity{Enabled: q.Enabled, Min: q.Min, Max: q.Max}
	}
	if req.MaxPayments != nil {
		in.MaxPayments = *req.MaxPayments
	}
	if c := req.Collect; c != nil {
		in.CollectName, in.CollectEmail, in.CollectPhone, in.CollectAddress = c.Name, c.Email, c.Phone, c.Address
	}
	for _, f := range req.CustomFields {
		in.CustomFields = append(in.CustomFields, domain.CustomField{Key: f.Key, Label: f.Label, Required: f.Required})
	}
	l, err := s.d.PaymentLinks.Create(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.toPaymentLink(l))
}

// listReusableLinks godoc
//
//	@Summary		List reusable payment links, newest first
//	@ID				listReusablePaymentLinks
//	@Description	Filter by `status`. Page with `starting_after` (older) or `ending_before` (newer). The orders of one link: `GET /invoices?payment_link={id}`.
//	@Tags			Reusable payment links
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status			query		string	false	"filter by status"	Enums(active,paused,ended)
//	@Param			limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param			starting_after	query		string	false	"id of the last link of the previous page"	maxLength(64)
//	@Param			ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success		200				{object}	ListResponse[PaymentLinkResponse]
//	@Failure		400				{object}	ErrorBody
//	@Router			/payment-links [get]
func (s *Server) listReusableLinks(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	f := paymentlinks.Filter{Status: domain.PaymentLinkStatus(c.QueryParam("status")), Page: p}
	ls, more, err := s.d.PaymentLinks.List(c.Request().Context(), actorOf(c).MerchantID, f)
	if err != nil {
		return err
	}
	out := make([]PaymentLinkResponse, len(ls))
	for i, l := range ls {
		out[i] = s.toPaymentLink(l)
	}
	return c.JSON(http.StatusOK, list(out, more))
}

// getReusableLink godoc
//
//	@Summary		A reusable payment link with its order counts
//	@ID				getReusablePaymentLink
//	@Description	`payments_count` and `amount_collected` count the paid orders; `availability` is what a payer finds now.
//	@Tags			Reusable payment links
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"payment link id"
//	@Success		200	{object}	PaymentLinkResponse
//	@Failure		404	{object}	ErrorBody
//	@Router			/payment-links/{id} [get]
func (s *Server) getReusableLink(c echo.Context) error {
	l, err := s.d.PaymentLinks.Get(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toPaymentLink(l))
}

// updateReusableLink godoc
//
//	@Summary		Change, pause, resume or end a reusable payment link
//	@ID				updateReusablePaymentLink
//	@Description	Fields left out stay as they are. `max_payments: 0` removes the limit, `expires_at: ""` the end date. `status`: `paused` stops new orders until `active` again; `ended` is final (`409 invalid_state` for any later change).
//	@Tags			Reusable payment links
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string						true	"payment link id"
//	@Param			body	body		UpdatePaymentLinkRequest	true	"the changes"
//	@Success		200		{object}	PaymentLinkResponse
//	@Failure		400		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Router			/payment-links/{id} [patch]
func (s *Server) updateReusableLink(c echo.Context) error {
	var req UpdatePaymentLinkRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	u := paymentlinks.Update{Title: req.Title, Description: req.Description, MaxPayments: req.MaxPayments, Status: req.Status}
	if req.ExpiresAt != nil {
		if *req.ExpiresAt == "" {
			u.ClearExpiry = true
		} else {
			exp, err := parseTime("expires_at", *req.ExpiresAt)
			if err != nil {
				return err
			}
			u.ExpiresAt = exp
		}
	}
	l, err := s.d.PaymentLinks.Update(c.Request().Context(), actorOf(c), c.Param("id"), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toPaymentLink(l))
}

// getReusableLinkQr godoc
//
//	@Summary		The QR code of a reusable payment link's url, as an SVG image
//	@ID				getReusablePaymentLinkQr
//	@Description	For printing or showing at a till: scanning it opens the link's checkout.
//	@Tags			Reusable payment links
//	@Produce		image/svg+xml,json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"payment link id"
//	@Success		200	{file}		binary
//	@Failure		404	{object}	ErrorBody
//	@Router			/payment-links/{id}/qr.svg [get]
func (s *Server) getReusableLinkQr(c echo.Context) error {
	l, err := s.d.PaymentLinks.Get(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	svg, err := qr.SVG(s.d.PaymentLinks.URL(l.Token))
	if err != nil {
		return apperr.Internal(err)
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=3600")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// PaymentLinkCheckoutResponse is what a payer sees through a reusable link: the offer, not its
// counts or orders.
type PaymentLinkCheckoutResponse struct {
	Object string `json:"object" example:"payment_link_checkout"`
	// Livemode is false for a test link: the checkout says no real money moves.
	Livemode           bool                     `json:"livemode"`
	Title              string                   `json:"title" example:"Yoga class"`
	Description        string                   `json:"description"`
	Currency           string                   `json:"currency" example:"RSD"`
	Pricing            string                   `json:"pricing" enums:"fixed,custom"`
	Lines              []LineResponse           `json:"lines"`
	AdjustableQuantity *AdjustableQuantityBody  `json:"adjustable_quantity" extensions:"x-nullable"`
	AmountMin          int64                    `json:"amount_min" example:"0"`
	AmountMax          int64                    `json:"amount_max" example:"0"`
	AmountSuggested    int64                    `json:"amount_suggested" example:"0"`
	Collect            CollectResponse          `json:"collect"`
	CustomFields       []CustomFieldBody        `json:"custom_fields"`
	Availability       string                   `json:"availability" enums:"open,paused,ended,expired,sold_out"`
	Locale             string                   `json:"locale" enums:"sr-Latn,sr-Cyrl,en"`
	ExpiresAt          *time.Time               `json:"expires_at" extensions:"x-nullable" format:"date-time"`
	Merchant           CheckoutMerchantResponse `json:"merchant"`
	// ReceiptEmailed is true when the payer's receipt will be e-mailed to the address they give; false
	// while this SecureLink sends no e-mail (no SMTP server), so the page promises none.
	ReceiptEmailed bool `json:"receipt_emailed"`
} // @name PaymentLinkCheckout

// getLinkCheckout godoc
//
//	@Summary		What the payer sees through a reusable payment link
//	@ID				getPaymentLinkCheckout
//	@Description	No authentication: the link token is the capability. `availability` other than `open` means no order can be made now.
//	@Tags			Checkout
//	@Produce		json
//	@Param			token	path		string	true	"reusable link token"
//	@Success		200		{object}	PaymentLinkCheckoutResponse
//	@Failure		404		{object}	ErrorBody
//	@Router			/checkout-links/{token} [get]
func (s *Server) getLinkCheckout(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	co, err := s.d.PaymentLinks.Resolve(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toLinkCheckout(co, s.emailDelivery()))
}

// toLinkCheckout is what GET /checkout-links/{token} answers (the link's page embeds the same);
// emailed says whether e-mails leave this SecureLink.
func toLinkCheckout(co paymentlinks.Checkout, emailed bool) PaymentLinkCheckoutResponse {
	l, m := co.Link, co.Merchant
	out := PaymentLinkCheckoutResponse{Object: "payment_link_checkout", Livemode: l.Livemode, Title: l.Title, Description: l.Description,
		Currency: l.Currency, Pricing: string(l.Pricing), Lines: toLines(l.Lines), AmountMin: l.AmountMin, AmountMax: l.AmountMax,
		AmountSuggested: l.AmountSuggested,
		Collect:         CollectResponse{Name: l.Collect.Name, Email: true, Phone: l.Collect.Phone, Address: l.Collect.Address},
		CustomFields:    toCustomFields(l.CustomFields), Availability: string(co.Availability), Locale: l.Locale,
		ExpiresAt: timePtr(l.ExpiresAt),
		Merchant: CheckoutMerchantResponse{Name: m.Name, SupportEmail: m.SupportEmail, Terms: m.Terms, LegalName: m.LegalName,
			Address: m.Address, PIB: m.PIB, MB: m.MB, LogoURL: logoPath(m.LogoFile), BrandColor: m.BrandColor,
			BrandTextColor: domain.BrandTextColor(m.BrandColor)},
		ReceiptEmailed: emailed}
	if l.QuantityAdjustable() {
		out.AdjustableQuantity = &AdjustableQuantityBody{Enabled: true, Min: l.QuantityMin, Max: l.QuantityMax}
	}
	return out
}

// OrderCustomerBody is the payer of an order; which fields are required is the link's collect.
type OrderCustomerBody struct {
	Name    string `json:"name,omitempty" maxLength:"200" example:"Ana Anić"`
	Email   string `json:"email" format:"email" maxLength:"254" example:"ana@example.com"`
	Phone   string `json:"phone,omitempty" example:"+381 64 123 4567"`
	Address string `json:"address,omitempty" maxLength:"500"`
} // @name PaymentLinkOrderCustomer

// CreateOrderRequest is the body of POST /checkout-links/{token}/orders.
type CreateOrderRequest struct {
	// Amount is the payer's amount of a custom price (minor units; default amount_suggested).
	Amount int64 `json:"amount,omitempty" minimum:"1" example:"250000"`
	// Quantity multiplies a fixed price's lines when the link lets the payer choose it (default its min).
	Quantity int64             `json:"quantity,omitempty" minimum:"1" example:"2"`
	Customer OrderCustomerBody `json:"customer"`
	// CustomFields are the answers to the link's custom fields, by key.
	CustomFields map[string]string `json:"custom_fields,omitempty"`
	// Locale is the payer's language for the order's pages and e-mails (default the link's).
	Locale string `json:"locale,omitempty" enums:"sr-Latn,sr-Cyrl,en"`
} // @name CreatePaymentLinkOrderRequest

// OrderResponse is the payer's order: an invoice paid through the invoice checkout at url.
type OrderResponse struct {
	Object        string `json:"object" example:"payment_link_order"`
	InvoiceID     string `json:"invoice_id" example:"inv_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	CheckoutToken string `json:"checkout_token" example:"3q27wXk9PzL0m4nBvC8sT1uY6eR2iO5a"`
	URL           string `json:"url" format:"uri" example:"http://localhost:8080/pay/3q27wXk9PzL0m4nBvC8sT1uY6eR2iO5a"`
} // @name PaymentLinkOrder

// createLinkOrder godoc
//
//	@Summary		Order through a reusable payment link
//	@ID				createPaymentLinkOrder
//	@Description	No authentication: the link token is the capability. Creates the payer's order (an invoice with `payment_link_id`) and answers the checkout url to pay it at. `409` with `link_paused`, `link_ended`, `link_expired` or `link_sold_out` when the link takes no orders now; `429` past 60 orders a minute from one address.
//	@Tags			Checkout
//	@Accept			json
//	@Produce		json
//	@Param			Idempotency-Key	header		string				false	"idempotency key"
//	@Param			token			path		string				true	"reusable link token"
//	@Param			body			body		CreateOrderRequest	true	"the order"
//	@Success		201				{object}	OrderResponse
//	@Failure		400				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		429				{object}	ErrorBody
//	@Router			/checkout-links/{token}/orders [post]
func (s *Server) createLinkOrder(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	if ok, _, reset := s.orders.take(clientIP(c)); !ok {
		return apperr.RateLimited("Too many orders from your address. Try again in a minute.", time.Until(reset))
	}
	var req CreateOrderRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	in := paymentlinks.OrderInput{Amount: req.Amount, Quantity: req.Quantity, CustomFields: req.CustomFields, Locale: req.Locale,
		ClientIP: clientIP(c), Customer: domain.Customer{Name: req.Customer.Name, Email: req.Customer.Email,
			Phone: req.Customer.Phone, Address: req.Customer.Address}}
	inv, err := s.d.PaymentLinks.CreateOrder(c.Request().Context(), c.Param("token"), in)
	if err != nil {
		return err
	}
	out := OrderResponse{Object: "payment_link_order", InvoiceID: inv.ID}
	if inv.Link != nil {
		out.CheckoutToken, out.URL = inv.Link.Token, s.d.Invoices.LinkURL(inv.Link.Token)
	}
	return c.JSON(http.StatusCreated, out)
}
