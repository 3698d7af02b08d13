package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/domain/serbia"
	"securelink/internal/invoicepdf"
	"securelink/internal/invoices"
	"securelink/internal/payments"
	"securelink/internal/qr"
	"securelink/internal/statements"
)

// serbiaRoutes adds IPS QR codes, PDF invoices, recorded bank transfers and statement import.
func (s *Server) serbiaRoutes(public, m *echo.Group) {
	public.GET("/checkout/:token/ips-qr.svg", s.getCheckoutIpsQr)
	public.GET("/checkout/:token/pdf", s.getCheckoutPdf)
	public.GET("/checkout/:token/receipt.pdf", s.getCheckoutReceiptPdf)
	m.GET("/invoices/:id/pdf", s.getInvoicePdf)
	m.GET("/invoices/:id/receipt.pdf", s.getInvoiceReceiptPdf)
	m.POST("/invoices/:id/bank-transfers", s.recordBankTransfer)
	m.POST("/bank-statements/import", s.importBankStatement)
}

// IPSQRResponse is an invoice's NBS IPS QR payment: the payload the code carries and the same data
// for a payer who types it into a payment slip.
type IPSQRResponse struct {
	// Payload is the QR code's text: K:PR|V:01|C:1|R:…|N:…|I:RSD…|SF:…|S:…|RO:…
	Payload string `json:"payload" example:"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika, Beograd|I:RSD4800,00|SF:221|S:Plaćanje računa INV-000123|RO:9720000123"`
	// Account is the payee's account, 18 digits; AccountFormatted shows it as 160-0000000123456-54.
	Account          string `json:"account" example:"160000000012345654"`
	AccountFormatted string `json:"account_formatted" example:"160-0000000123456-54"`
	Payee            string `json:"payee" example:"Pekara Mika, Beograd"`
	// Amount is what is left to pay, in para.
	Amount      int64  `json:"amount" example:"480000"`
	Currency    string `json:"currency" example:"RSD"`
	PaymentCode string `json:"payment_code" example:"221"`
	Purpose     string `json:"purpose" example:"Plaćanje računa INV-000123"`
	// Model and ReferenceNumber are the payment slip's "model" and "poziv na broj"; Reference is both
	// together as the QR code carries them.
	Model           string `json:"model" example:"97"`
	ReferenceNumber string `json:"reference_number" example:"20000123"`
	Reference       string `json:"reference" example:"9720000123"`
	// ImageURL is an SVG of the code (on the checkout only).
	ImageURL string `json:"image_url,omitempty"`
} // @name IpsQr

func toIPSQR(q invoices.IPSQR, imageURL string) *IPSQRResponse {
	out := &IPSQRResponse{Payload: q.Payload, Account: q.Account, AccountFormatted: serbia.FormatAccount(q.Account),
		Payee: q.Payee, Amount: q.Amount, Currency: "RSD", PaymentCode: q.PaymentCode, Purpose: q.Purpose,
		Reference: q.Reference, ImageURL: imageURL}
	if len(q.Reference) > 2 {
		out.Model, out.ReferenceNumber = q.Reference[:2], q.Reference[2:]
	}
	return out
}

// StatementColumnsBody names the statement's columns (by their header text).
type StatementColumnsBody struct {
	Date      string `json:"date" example:"Datum"`
	Amount    string `json:"amount" example:"Iznos"`
	Reference string `json:"reference" example:"Poziv na broj"`
	Payer     string `json:"payer" example:"Nalogodavac"`
} // @name StatementColumns

func toStatementColumns(raw string) *StatementColumnsBody {
	var c StatementColumnsBody
	if raw == "" || json.Unmarshal([]byte(raw), &c) != nil {
		return nil
	}
	return &c
}

// ipsPaymentCode is the payment code shown for a merchant; rows that never set one use the default.
func ipsPaymentCode(c string) string {
	if c == "" {
		return serbia.DefaultPaymentCode
	}
	return c
}

// checkoutURL is an address under the checkout API of a link token.
func (s *Server) checkoutURL(token, rest string) string {
	return "/api/v1/checkout/" + url.PathEscape(token) + rest
}

// addInvoiceQR fills ips_qr of an invoice the merchant reads.
func (s *Server) addInvoiceQR(c echo.Context, inv domain.Invoice, out *InvoiceResponse) error {
	q, ok, err := s.d.Invoices.InvoiceQR(c.Request().Context(), inv)
	if err != nil || !ok {
		return err
	}
	out.IPSQR = toIPSQR(q, "")
	return nil
}

// addListQRs fills ips_qr of a page of invoices, reading the merchant's settings once.
func (s *Server) addListQRs(c echo.Context, invs []domain.Invoice, out []InvoiceResponse) error {
	if len(invs) == 0 {
		return nil
	}
	m, err := s.d.Invoices.MerchantOf(c.Request().Context(), actorOf(c).MerchantID)
	if err != nil || !m.IPS.Enabled {
		return err
	}
	for i, inv := range invs {
		if q, ok := invoices.PaymentQR(inv, m); ok {
			out[i].IPSQR = toIPSQR(q, "")
		}
	}
	return nil
}

// getCheckoutIpsQr godoc
//
//	@ID				getCheckoutIpsQr
//	@Summary		The IPS QR code of a payment link, as an SVG image
//	@Description	No authentication: the link token is the capability. Present while the invoice is open, in dinars, and the merchant enabled IPS.
//	@Tags			Checkout
//	@Produce		image/svg+xml,json
//	@Param			token	path		string	true	"link token"
//	@Success		200		{file}		binary
//	@Failure		404		{object}	ErrorBody
//	@Router			/checkout/{token}/ips-qr.svg [get]
func (s *Server) getCheckoutIpsQr(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	co, err := s.d.Invoices.ResolveLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	q, ok := invoices.PaymentQR(co.Invoice, co.Merchant)
	if !ok {
		return apperr.NotFound("IPS QR code")
	}
	svg, err := qr.SVG(q.Payload)
	if err != nil {
		return apperr.Internal(err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// getCheckoutPdf godoc
//
//	@ID				getCheckoutPdf
//	@Summary		The invoice of a payment link as a PDF
//	@Description	No authentication: the link token is the capability. The same A4 invoice as GET /invoices/{id}/pdf.
//	@Tags			Checkout
//	@Produce		application/pdf,json
//	@Param			token	path		string	true	"link token"
//	@Success		200		{file}		binary
//	@Failure		404		{object}	ErrorBody
//	@Router			/checkout/{token}/pdf [get]
func (s *Server) getCheckoutPdf(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	co, err := s.d.Invoices.ResolveLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	linkURL := ""
	if co.Link.Status == domain.LinkActive {
		linkURL = s.d.Invoices.LinkURL(co.Link.Token)
	}
	return s.sendPDF(c, co.Invoice, co.Merchant, linkURL)
}

// getInvoicePdf godoc
//
//	@ID				getInvoicePdf
//	@Summary		An invoice as an A4 PDF
//	@Description	The merchant with PIB and matični broj, the customer (with PIB for a company), lines, VAT per rate, total, due date, the payment link with its QR code and, while it is open and the merchant enabled IPS, the IPS QR code with the payment-slip data. The text is in the invoice's locale; fonts that carry Serbian Latin and Cyrillic are embedded.
//	@Tags			Invoices
//	@Produce		application/pdf,json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"invoice id"
//	@Success		200	{file}		binary
//	@Failure		401	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/invoices/{id}/pdf [get]
func (s *Server) getInvoicePdf(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := s.d.Invoices.Get(ctx, actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	m, err := s.d.Invoices.MerchantOf(ctx, inv.MerchantID)
	if err != nil {
		return err
	}
	linkURL := ""
	if inv.Link != nil && inv.Link.Status == domain.LinkActive {
		linkURL = s.d.Invoices.LinkURL(inv.Link.Token)
	}
	return s.sendPDF(c, inv, m, linkURL)
}

// sendPDF renders and sends an invoice's PDF, named after its number.
func (s *Server) sendPDF(c echo.Context, inv domain.Invoice, m invoices.CheckoutMerchant, linkURL string) error {
	doc := invoicepdf.Document{Invoice: inv, Merchant: m, LinkURL: linkURL, Logo: s.pdfLogo(c.Request().Context(), m.LogoFile)}
	if q, ok := invoices.PaymentQR(inv, m); ok {
		doc.IPS = &q
	}
	b, err := invoicepdf.Render(doc)
	if err != nil {
		return apperr.Internal(err)
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `inline; filename="`+inv.Number+`.pdf"`)
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, "application/pdf", b)
}

// RecordBankTransferRequest is money that arrived at the merchant's bank for an invoice.
type RecordBankTransferRequest struct {
	// Amount arrived, in minor units; at most what is left to pay.
	Amount int64 `json:"amount" minimum:"1" example:"480000"`
	// ReceivedAt is when it arrived (RFC 3339 or YYYY-MM-DD); default now.
	ReceivedAt string `json:"received_at,omitempty" example:"2026-12-02"`
	// Reference is the transfer's reference as the bank shows it.
	Reference string `json:"reference,omitempty" maxLength:"35" example:"97 20 000123"`
	PayerName string `json:"payer_name,omitempty" maxLength:"200" example:"Ana Anić"`
} // @name RecordBankTransferRequest

// recordBankTransfer godoc
//
//	@ID				recordBankTransfer
//	@Summary		Record a bank transfer that paid an invoice
//	@Description	Money paid by IPS QR or a payment slip arrives at the merchant's bank, not at SecureLink: the merchant records it. It becomes a captured payment with method bank_transfer. When the transfers cover the total, the invoice is paid, its link completes, invoice.paid says method bank_transfer and the receipt and the merchant's copy are e-mailed; a smaller amount leaves the rest due and the invoice partially_paid (invoice.partially_paid, with a receipt for that part). A refund of such a payment is recorded, not executed.
//	@Tags			Invoices
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string						false	"idempotency key"
//	@Param			id				path		string						true	"invoice id"
//	@Param			body			body		RecordBankTransferRequest	true	"the transfer"
//	@Success		201				{object}	PaymentResponse
//	@Failure		400				{object}	ErrorBody
//	@Failure		401				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/invoices/{id}/bank-transfers [post]
func (s *Server) recordBankTransfer(c echo.Context) error {
	var req RecordBankTransferRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	at, err := parseTime("received_at", req.ReceivedAt)
	if err != nil {
		return err
	}
	in := payments.BankTransfer{Amount: req.Amount, Reference: req.Reference, PayerName: req.PayerName}
	if at != nil {
		in.ReceivedAt = *at
	}
	p, err := s.d.Payments.RecordBankTransfer(c.Request().Context(), actorOf(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toPayment(p))
}

// ImportBankStatementRequest is a bank statement to match against open invoices.
type ImportBankStatementRequest struct {
	// CSV is the statement's text: a header line, then one line per movement; fields separated by
	// commas, semicolons or tabs. At most 64 KiB per request.
	CSV string `json:"csv" example:"Datum;Iznos;Poziv na broj;Nalogodavac\n02.12.2026;4.800,00;97 20 000123;Ana Anić"`
	// Columns maps the values to the statement's header names; omitted, the mapping of the last
	// import is used, then common names (Datum, Iznos, Poziv na broj, Nalogodavac…).
	Columns *StatementColumnsBody `json:"columns,omitempty"`
	// Confirm records every matched line as a bank transfer; without it nothing is recorded.
	Confirm bool `json:"confirm,omitempty"`
} // @name ImportBankStatementRequest

// StatementLineResponse is one statement line and what became of it.
type StatementLineResponse struct {
	Row       int    `json:"row" example:"1"`
	Date      string `json:"date" example:"2026-12-02"`
	Amount    int64  `json:"amount" example:"480000"`
	Reference string `json:"reference" example:"97 20 000123"`
	Payer     string `json:"payer" example:"Ana Anić"`
	// Status: matched (recorded on confirmation), recorded, already_recorded (an earlier import),
	// amount_mismatch, unknown_reference, not_payable (the invoice is paid or cancelled), duplicate
	// (a second line for an invoice matched above), outgoing (money going out), invalid, failed.
	Status        string `json:"status" enums:"matched,recorded,already_recorded,amount_mismatch,unknown_reference,not_payable,duplicate,outgoing,invalid,failed"`
	InvoiceID     string `json:"invoice_id,omitempty"`
	InvoiceNumber string `json:"invoice_number,omitempty"`
	AmountDue     int64  `json:"amount_due,omitempty"`
	PaymentID     string `json:"payment_id,omitempty"`
	Message       string `json:"message,omitempty"`
} // @name StatementLine

// BankStatementImportResponse is the outcome of an import or its preview.
type BankStatementImportResponse struct {
	Object    string                  `json:"object" example:"bank_statement_import"`
	Confirmed bool                    `json:"confirmed"`
	Columns   StatementColumnsBody    `json:"columns"`
	Header    []string                `json:"header"`
	Lines     []StatementLineResponse `json:"lines"`
	Matched   int                     `json:"matched"`
	Recorded  int                     `json:"recorded"`
} // @name BankStatementImport

// importBankStatement godoc
//
//	@ID				importBankStatement
//	@Summary		Import a bank statement: match its lines to open invoices, then record them
//	@Description	Each incoming line is matched to an open invoice by its model 97 reference (poziv na broj, as the invoice's IPS QR code gives it) and the exact amount left to pay. Without confirm the answer is a preview; with confirm every matched line is recorded as a bank transfer (see recordBankTransfer). Lines that do not match are listed with the reason. Every line's fingerprint is kept with its transfer, so importing the same statement twice records nothing twice. The column mapping is remembered for the next import.
//	@Tags			Invoices
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string						false	"idempotency key"
//	@Param			body			body		ImportBankStatementRequest	true	"the statement"
//	@Success		200				{object}	BankStatementImportResponse
//	@Failure		400				{object}	ErrorBody
//	@Failure		401				{object}	ErrorBody
//	@Failure		413				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/bank-statements/import [post]
func (s *Server) importBankStatement(c echo.Context) error {
	var req ImportBankStatementRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	var cols statements.Columns
	if req.Columns != nil {
		cols = statements.Columns{Date: req.Columns.Date, Amount: req.Columns.Amount, Reference: req.Columns.Reference, Payer: req.Columns.Payer}
	}
	res, err := s.d.Statements.Import(c.Request().Context(), actorOf(c), req.CSV, cols, req.Confirm)
	if err != nil {
		return err
	}
	out := BankStatementImportResponse{Object: "bank_statement_import", Confirmed: req.Confirm, Header: res.Header,
		Columns: StatementColumnsBody{Date: res.Columns.Date, Amount: res.Columns.Amount, Reference: res.Columns.Reference, Payer: res.Columns.Payer},
		Lines:   make([]StatementLineResponse, len(res.Lines)), Matched: res.Matched, Recorded: res.Recorded}
	for i, l := range res.Lines {
		out.Lines[i] = StatementLineResponse{Row: l.Row, Amount: l.Amount, Reference: l.Reference, Payer: l.Payer,
			Status: string(l.Status), InvoiceID: l.InvoiceID, InvoiceNumber: l.InvoiceNumber, AmountDue: l.AmountDue,
			PaymentID: l.PaymentID, Message: l.Err}
		if !l.Date.IsZero() {
			out.Lines[i].Date = l.Date.Format(time.DateOnly)
		}
	}
	return c.JSON(http.StatusOK, out)
}
