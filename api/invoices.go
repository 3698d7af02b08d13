package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/domain"
	"securelink/internal/invoices"
)

// CustomerBody is who an invoice is addressed to.
type CustomerBody struct {
	Name    string `json:"name" maxLength:"200" example:"Ana Anić"`
	Email   string `json:"email" format:"email" maxLength:"254" example:"ana@example.com"`
	Phone   string `json:"phone,omitempty" example:"+381 64 123 4567"`
	Address string `json:"address,omitempty" maxLength:"500"`
	// PIB and MB are a company customer's Serbian tax number (9 digits) and matični broj (8 digits).
	PIB string `json:"pib,omitempty" example:"101134702"`
	MB  string `json:"mb,omitempty" example:"12345676"`
} // @name Customer

// LineBody is one line of a new invoice.
type LineBody struct {
	Description string `json:"description" maxLength:"500" example:"Consulting, November"`
	Quantity    int64  `json:"quantity" minimum:"1" example:"2"`
	// UnitAmount is the price of one unit in minor units, VAT included.
	UnitAmount int64 `json:"unit_amount" minimum:"1" example:"120000"`
	// VATRate is the VAT rate in percent, e.g. 20.
	VATRate float64 `json:"vat_rate" minimum:"0" maximum:"100" example:"20"`
} // @name InvoiceLineInput

// CreateInvoiceRequest is the body of POST /invoices.
type CreateInvoiceRequest struct {
	Customer    CustomerBody `json:"customer"`
	Currency    string       `json:"currency,omitempty" example:"RSD"`
	Lines       []LineBody   `json:"lines" minItems:"1" maxItems:"100"`
	Description string       `json:"description,omitempty" maxLength:"1000"`
	Reference   string       `json:"reference,omitempty" maxLength:"100" example:"ORD-77"`
	CaptureMode string       `json:"capture_mode,omitempty" enums:"automatic,manual"`
	ExpiresAt   string       `json:"expires_at,omitempty" format:"date-time"`
	Locale      string       `json:"locale,omitempty" enums:"sr-Latn,sr-Cyrl,en"`
	SendEmail   bool         `json:"send_email,omitempty"`
	// AllowPartial lets the payer pay in parts of their choosing (capture_mode automatic only).
	AllowPartial bool `json:"allow_partial,omitempty"`
	// MinFirstAmount is the least the first part must be, in minor units (0: any), at most the total.
	MinFirstAmount int64 `json:"min_first_amount,omitempty" minimum:"0" example:"50000"`
	// SuccessURL is where the payer goes back to after paying (https; http only for localhost), with
	// invoice, payment, status, amount, currency, ts and signature added.
	SuccessURL string `json:"success_url,omitempty" format:"uri" maxLength:"1500" example:"https://shop.example/thanks"`
	// CancelURL is where the checkout's "Back to the shop" link leads, signed the same way.
	CancelURL string `json:"cancel_url,omitempty" format:"uri" maxLength:"1500" example:"https://shop.example/cart"`
} // @name CreateInvoiceRequest

// LineResponse is one line of an invoice with its computed amounts.
type LineResponse struct {
	Description string  `json:"description"`
	Quantity    int64   `json:"quantity"`
	UnitAmount  int64   `json:"unit_amount"`
	VATRate     float64 `json:"vat_rate"`
	AmountTotal int64   `json:"amount_total"`
	AmountVAT   int64   `json:"amount_vat"`
} // @name InvoiceLine

// LinkResponse is a payment link.
type LinkResponse struct {
	ID     string `json:"id" example:"lnk_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"link"`
	// Livemode is false for test data, true for live data.
	Livemode  bool      `json:"livemode"`
	Token     string    `json:"token"`
	URL       string    `json:"url" format:"uri" example:"http://localhost:8080/pay/3q27wXk9PzL0m4nBvC8sT1uY6eR2iO5a"`
	Status    string    `json:"status" enums:"active,deactivated,expired,completed"`
	ExpiresAt time.Time `json:"expires_at" format:"date-time"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
} // @name Link

// InvoiceResponse is an invoice; payments, transactions and refunds come with GET /invoices/{id}.
type InvoiceResponse struct {
	ID     string `json:"id" example:"inv_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"invoice"`
	// Livemode is false for test data, true for live data.
	Livemode    bool         `json:"livemode"`
	Number      string       `json:"number" example:"INV-000001"`
	Reference   string       `json:"reference"`
	Status      string       `json:"status" enums:"open,processing,authorized,paid,partially_paid,partially_refunded,refunded,cancelled,expired"`
	Customer    CustomerBody `json:"customer"`
	Currency    string       `json:"currency" example:"RSD"`
	AmountTotal int64        `json:"amount_total" example:"240000"`
	AmountVAT   int64        `json:"amount_vat" example:"40000"`
	// AmountPaid is what was really collected: the captured card amount (part of the total when a
	// pre-authorisation was captured in part) plus recorded bank transfers.
	AmountPaid int64 `json:"amount_paid" example:"750000"`
	// AmountRefunded is what went back to the payer, of AmountPaid.
	AmountRefunded int64          `json:"amount_refunded" example:"0"`
	Lines          []LineResponse `json:"lines"`
	Description    string         `json:"description"`
	CaptureMode    string         `json:"capture_mode" enums:"automatic,manual"`
	// AllowPartial says the payer may pay in parts; the invoice is partially_paid until they reach
	// the total. MinFirstAmount is the least the first part must be (0: any).
	AllowPartial   bool          `json:"allow_partial"`
	MinFirstAmount int64         `json:"min_first_amount" example:"0"`
	Locale         string        `json:"locale" enums:"sr-Latn,sr-Cyrl,en"`
	ExpiresAt      time.Time     `json:"expires_at" format:"date-time"`
	CreatedAt      time.Time     `json:"created_at" format:"date-time"`
	PaidAt         *time.Time    `json:"paid_at" extensions:"x-nullable" format:"date-time"`
	CancelledAt    *time.Time    `json:"cancelled_at" extensions:"x-nullable" format:"date-time"`
	Link           *LinkResponse `json:"link" extensions:"x-nullable"`
	// SuccessURL and CancelURL are where the checkout sends the payer back to; empty when none.
	SuccessURL string `json:"success_url"`
	CancelURL  string `json:"cancel_url"`
	// AmountDue is what is left to pay: the total less the parts and bank transfers paid.
	AmountDue int64 `json:"amount_due" example:"240000"`
	// IPSQR is the NBS IPS QR payment of an open RSD invoice when the merchant enabled IPS.
	IPSQR        *IPSQRResponse        `json:"ips_qr" extensions:"x-nullable"`
	Payments     []PaymentResponse     `json:"payments,omitempty"`
	Transactions []TransactionResponse `json:"transactions,omitempty"`
	Refunds      []RefundResponse      `json:"refunds,omitempty"`
	// Reminders are the reminders e-mailed about the invoice, oldest first (GET /invoices/{id} only).
	Reminders []ReminderResponse `json:"reminders,omitempty"`
	// PaymentLinkID is the reusable payment link the invoice is an order of; null for other invoices.
	PaymentLinkID *string `json:"payment_link_id" extensions:"x-nullable" example:"plink_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	// CustomFields are the payer's answers to the link's custom fields (empty for other invoices).
	CustomFields []CustomFieldAnswerResponse `json:"custom_fields"`
} // @name Invoice

// CustomFieldAnswerResponse is a payer's answer to a reusable link's custom field, with its label.
type CustomFieldAnswerResponse struct {
	Key   string `json:"key" example:"size"`
	Label string `json:"label" example:"T-shirt size"`
	Value string `json:"value" example:"M"`
} // @name CustomFieldAnswer

func (s *Server) toLink(l domain.Link) LinkResponse {
	return LinkResponse{ID: l.ID, Object: "link", Livemode: l.Livemode, Token: l.Token, URL: s.d.Invoices.LinkURL(l.Token), Status: string(l.Status),
		ExpiresAt: l.ExpiresAt, CreatedAt: l.CreatedAt}
}

func toLines(ls []domain.InvoiceLine) []LineResponse {
	out := make([]LineResponse, len(ls))
	for i, l := range ls {
		out[i] = LineResponse{Description: l.Description, Quantity: l.Quantity, UnitAmount: l.UnitAmount,
			VATRate: float64(l.VATRateBP) / 100, AmountTotal: l.Total(), AmountVAT: l.VAT()}
	}
	return out
}

func (s *Server) toInvoice(inv domain.Invoice) InvoiceResponse {
	out := InvoiceResponse{ID: inv.ID, Object: "invoice", Livemode: inv.Livemode, Number: inv.Number, Reference: inv.Reference, Status: string(inv.Status),
		Customer: CustomerBody{Name: inv.Customer.Name, Email: inv.Customer.Email, Phone: inv.Customer.Phone, Address: inv.Customer.Address,
			PIB: inv.Customer.PIB, MB: inv.Customer.MB},
		Currency: inv.Currency, AmountTotal: inv.AmountTotal, AmountVAT: inv.AmountVAT, AmountPaid: inv.AmountPaid,
		AmountRefunded: inv.AmountRefunded, Lines: toLines(inv.Lines), Description: inv.Description,
		CaptureMode: string(inv.CaptureMode), AllowPartial: inv.AllowPartial, MinFirstAmount: inv.MinFirstAmount, Locale: inv.Locale, ExpiresAt: inv.ExpiresAt, CreatedAt: inv.CreatedAt,
		PaidAt: timePtr(inv.PaidAt), CancelledAt: timePtr(inv.CancelledAt), AmountDue: inv.AmountDue(),
		SuccessURL: inv.SuccessURL, CancelURL: inv.CancelURL}
	if inv.Link != nil {
		l := s.toLink(*inv.Link)
		out.Link = &l
	}
	if inv.PaymentLinkID != "" {
		id := inv.PaymentLinkID
		out.PaymentLinkID = &id
	}
	out.CustomFields = make([]CustomFieldAnswerResponse, len(inv.CustomFields))
	for i, a := range inv.CustomFields {
		out.CustomFields[i] = CustomFieldAnswerResponse{Key: a.Key, Label: a.Label, Value: a.Value}
	}
	return out
}

// createInvoice godoc
//
//	@Summary	Create an invoice with its payment link
//	@ID		createInvoice
//	@Description	The total is computed on the server from the lines (unit amounts include VAT). Empty currency, capture_mode and locale take the merchant's defaults; the link expires after 30 days unless expires_at says otherwise.
//	@Tags		Invoices
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string					false	"idempotency key"
//	@Param		body			body		CreateInvoiceRequest	true	"the invoice"
//	@Success	201				{object}	InvoiceResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	401				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Failure	422				{object}	ErrorBody
//	@Router		/invoices [post]
func (s *Server) createInvoice(c echo.Context) error {
	var req CreateInvoiceRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	exp, err := parseTime("expires_at", req.ExpiresAt)
	if err != nil {
		return err
	}
	in := invoices.NewInvoice{
		Customer: domain.Customer{Name: req.Customer.Name, Email: req.Customer.Email, Phone: req.Customer.Phone, Address: req.Customer.Address,
			PIB: req.Customer.PIB, MB: req.Customer.MB},
		Currency: req.Currency, Description: req.Description, Reference: req.Reference, CaptureMode: req.CaptureMode,
		ExpiresAt: exp, Locale: req.Locale, SendEmail: req.SendEmail, AllowPartial: req.AllowPartial, MinFirstAmount: req.MinFirstAmount,
		SuccessURL: req.SuccessURL, CancelURL: req.CancelURL}
	for _, l := range req.Lines {
		in.Lines = append(in.Lines, invoices.NewLine{Description: l.Description, Quantity: l.Quantity, UnitAmount: l.UnitAmount, VATRate: l.VATRate})
	}
	inv, err := s.d.Invoices.Create(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	out := s.toInvoice(inv)
	if err := s.addInvoiceQR(c, inv, &out); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// listInvoices godoc
//
//	@Summary	List invoices, newest first
//	@ID		listInvoices
//	@Description	Filter by `status`, creation time (`created_gte`, `created_lte`), reusable link (`payment_link`: its orders) or a search term `q` (customer name or e-mail, number, reference). Page with `starting_after` (older) or `ending_before` (newer).
//	@Tags		Invoices
//	@Produce	json
//	@Security	BearerAuth
//	@Param		status			query		string	false	"filter by status"	Enums(open,processing,authorized,paid,partially_paid,partially_refunded,refunded,cancelled,expired)
//	@Param		q				query		string	false	"search: a term is found in the customer name or e-mail, the number or the reference; a term with @ after its first character (ana@, ana@example.com) matches customer e-mails that begin with it"
//	@Param		created_gte		query		string	false	"created at or after (RFC 3339 or YYYY-MM-DD)"
//	@Param		created_lte		query		string	false	"created at or before (RFC 3339 or YYYY-MM-DD)"
//	@Param		payment_link	query		string	false	"only the orders of this reusable payment link (its id)"	maxLength(64)
//	@Param		limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param		starting_after	query		string	false	"id of the last invoice of the previous page"	maxLength(64)
//	@Param		ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success	200				{object}	ListResponse[InvoiceResponse]
//	@Failure	400				{object}	ErrorBody
//	@Router		/invoices [get]
func (s *Server) listInvoices(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	gte, err := parseTime("created_gte", c.QueryParam("created_gte"))
	if err != nil {
		return err
	}
	lte, err := parseTime("created_lte", c.QueryParam("created_lte"))
	if err != nil {
		return err
	}
	if lte != nil && len(c.QueryParam("created_lte")) == len("2006-01-02") {
		end := lte.Add(24*time.Hour - time.Microsecond) // a date means the whole day
		lte = &end
	}
	f := invoices.Filter{Status: domain.InvoiceStatus(c.QueryParam("status")), Query: c.QueryParam("q"), CreatedGTE: gte, CreatedLTE: lte,
		PaymentLinkID: c.QueryParam("payment_link"), Page: p}
	invs, more, err := s.d.Invoices.List(c.Request().Context(), actorOf(c).MerchantID, f)
	if err != nil {
		return err
	}
	out := make([]InvoiceResponse, len(invs))
	for i, inv := range invs {
		out[i] = s.toInvoice(inv)
	}
	if err := s.addListQRs(c, invs, out); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(out, more))
}

// AmountResponse is an amount of money in minor units.
type AmountResponse struct {
	Currency string `json:"currency" example:"RSD"`
	Amount   int64  `json:"amount" example:"123456"`
} // @name Amount

// InvoiceSummaryResponse is a merchant's invoices at a glance.
type InvoiceSummaryResponse struct {
	Object string `json:"object" example:"invoice_summary"`
	// Counts has every invoice status, with 0 for those no invoice is in.
	Counts    map[string]int64 `json:"counts"`
	PaidSince time.Time        `json:"paid_since" format:"date-time"`
	// PaidCount is how many invoices were paid since paid_since (refunded ones included).
	PaidCount int64 `json:"paid_count"`
	// PaidTotals is what those invoices brought, net of refunds, per currency.
	PaidTotals []AmountResponse `json:"paid_totals"`
	// AuthorizationsExpiring is how many uncaptured authorisations are older than 7 days: capture
	// or void them before they are voided automatically.
	AuthorizationsExpiring int64 `json:"authorizations_expiring"`
} // @name InvoiceSummary

// summariseInvoices godoc
//
//	@Summary		Invoices at a glance: how many are in each status, and what was paid since a moment
//	@ID		getInvoiceSummary
//	@Description	Counts cover every invoice of the merchant; an open invoice past its expiry counts as expired. paid_totals are net of refunds. authorizations_expiring counts uncaptured authorisations older than 7 days.
//	@Tags			Invoices
//	@Produce		json
//	@Security		BearerAuth
//	@Param			paid_since	query		string	false	"start of the paid totals (RFC 3339 or YYYY-MM-DD); default: the first day of this month, UTC"
//	@Success		200			{object}	InvoiceSummaryResponse
//	@Failure		400			{object}	ErrorBody
//	@Router			/invoices/summary [get]
func (s *Server) summariseInvoices(c echo.Context) error {
	since, err := parseTime("paid_since", c.QueryParam("paid_since"))
	if err != nil {
		return err
	}
	sum, err := s.d.Invoices.Summarise(c.Request().Context(), actorOf(c).MerchantID, since)
	if err != nil {
		return err
	}
	out := InvoiceSummaryResponse{Object: "invoice_summary", Counts: make(map[string]int64, len(sum.Counts)),
		PaidSince: sum.PaidSince, PaidCount: sum.PaidCount, PaidTotals: make([]AmountResponse, len(sum.PaidTotals)),
		AuthorizationsExpiring: sum.AuthorizationsExpiring}
	for st, n := range sum.Counts {
		out.Counts[string(st)] = n
	}
	for i, m := range sum.PaidTotals {
		out.PaidTotals[i] = AmountResponse{Currency: m.Currency, Amount: m.Amount}
	}
	return c.JSON(http.StatusOK, out)
}

// getInvoice godoc
//
//	@Summary	An invoice with its link, payments, transactions and refunds
//	@ID		getInvoice
//	@Description	The invoice with its current link and everything that happened to it: payments, provider transactions and refunds.
//	@Tags		Invoices
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"invoice id"
//	@Success	200	{object}	InvoiceResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/invoices/{id} [get]
func (s *Server) getInvoice(c echo.Context) error {
	inv, err := s.d.Invoices.Get(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	out := s.toInvoice(inv)
	if err := s.addInvoicePayments(c, &out); err != nil {
		return err
	}
	if err := s.addInvoiceQR(c, inv, &out); err != nil {
		return err
	}
	if err := s.addInvoiceReminders(c, &out); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// cancelInvoice godoc
//
//	@Summary	Cancel an unpaid invoice (its link is deactivated)
//	@ID		cancelInvoice
//	@Description	Only an invoice nobody has paid can be cancelled; its link stops working. `409` when it is paid, processing or already cancelled.
//	@Tags		Invoices
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string	false	"idempotency key"
//	@Param		id				path		string	true	"invoice id"
//	@Success	200				{object}	InvoiceResponse
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Router		/invoices/{id}/cancel [post]
func (s *Server) cancelInvoice(c echo.Context) error {
	if err := decode(c, &struct{}{}, true); err != nil {
		return err
	}
	inv, err := s.d.Invoices.Cancel(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toInvoice(inv))
}

// SendInvoiceResponse says what became of the e-mail with the link: queued for SMTP, or held in
// the mailbox because no SMTP server is configured (see the merchant's email_delivery_enabled).
type SendInvoiceResponse struct {
	EmailID string `json:"email_id" example:"em_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Status  string `json:"status" enums:"queued,held" example:"queued"`
} // @name SendInvoiceResponse

// sendInvoice godoc
//
//	@Summary	E-mail the payment link to the customer
//	@ID		sendInvoice
//	@Description	The e-mail is queued and delivered in the background; follow it in GET /emails. Without an SMTP server the answer's `status` is `held`: the e-mail waits in the mailbox and does not reach the customer.
//	@Tags		Invoices
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string	false	"idempotency key"
//	@Param		id				path		string	true	"invoice id"
//	@Success	202				{object}	SendInvoiceResponse
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Router		/invoices/{id}/send [post]
func (s *Server) sendInvoice(c echo.Context) error {
	if err := decode(c, &struct{}{}, true); err != nil {
		return err
	}
	id, err := s.d.Invoices.Send(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	status := "queued"
	if !s.emailDelivery() {
		status = "held"
	}
	return c.JSON(http.StatusAccepted, SendInvoiceResponse{EmailID: id, Status: status})
}

// NewLinkRequest optionally sets the fresh link's expiry.
type NewLinkRequest struct {
	ExpiresAt string `json:"expires_at,omitempty" format:"date-time"`
} // @name NewLinkRequest

// newLink godoc
//
//	@Summary	Issue a fresh link for an unpaid invoice (the old one is deactivated)
//	@ID		createPaymentLink
//	@Description	The new link replaces the current one, which stops working at once. Use it when a link was shared with the wrong person or has expired.
//	@Tags		Payment links
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string			false	"idempotency key"
//	@Param		id				path		string			true	"invoice id"
//	@Param		body			body		NewLinkRequest	false	"expiry"
//	@Success	201				{object}	LinkResponse
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Failure	400	{object}	ErrorBody
//	@Router		/invoices/{id}/links [post]
func (s *Server) newLink(c echo.Context) error {
	var req NewLinkRequest
	if err := decode(c, &req, true); err != nil {
		return err
	}
	exp, err := parseTime("expires_at", req.ExpiresAt)
	if err != nil {
		return err
	}
	l, err := s.d.Invoices.NewLink(c.Request().Context(), actorOf(c), c.Param("id"), exp)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.toLink(l))
}

// deactivateLink godoc
//
//	@Summary	Deactivate a payment link
//	@ID		deactivatePaymentLink
//	@Description	The link stops working; the invoice stays open and can get a fresh link.
//	@Tags		Payment links
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string	false	"idempotency key"
//	@Param		id				path		string	true	"link id"
//	@Success	200				{object}	LinkResponse
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Router		/links/{id}/deactivate [post]
func (s *Server) deactivateLink(c echo.Context) error {
	if err := decode(c, &struct{}{}, true); err != nil {
		return err
	}
	l, err := s.d.Invoices.DeactivateLink(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toLink(l))
}
