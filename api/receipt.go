package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoicepdf"
	"securelink/internal/invoices"
)

// getCheckoutReceiptPdf godoc
//
//	@ID				getCheckoutReceiptPdf
//	@Summary		The payment receipt of a payment link as a PDF
//	@Description	No authentication: the link token is the capability. The receipt the checkout shows after paying: the merchant's logo and identity, the payer, lines with VAT, what was paid, charged, refunded or released. 404 until the invoice is paid or authorised.
//	@Tags			Checkout
//	@Produce		application/pdf,json
//	@Param			token	path		string	true	"link token"
//	@Success		200		{file}		binary
//	@Failure		404		{object}	ErrorBody
//	@Router			/checkout/{token}/receipt.pdf [get]
func (s *Server) getCheckoutReceiptPdf(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	co, err := s.d.Invoices.ResolveLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return s.sendReceiptPDF(c, co.Invoice, co.Merchant)
}

// getInvoiceReceiptPdf godoc
//
//	@ID				getInvoiceReceiptPdf
//	@Summary		The payment receipt of an invoice as a PDF
//	@Description	The same receipt the payer downloads from the checkout. 404 until the invoice is paid or authorised.
//	@Tags			Invoices
//	@Produce		application/pdf,json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"invoice id"
//	@Success		200	{file}		binary
//	@Failure		401	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/invoices/{id}/receipt.pdf [get]
func (s *Server) getInvoiceReceiptPdf(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := s.d.Invoices.Get(ctx, actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	m, err := s.d.Invoices.MerchantOf(ctx, inv.MerchantID)
	if err != nil {
		return err
	}
	return s.sendReceiptPDF(c, inv, m)
}

// receiptDocument gathers what an invoice's receipt shows; ok is false when it has none yet.
func (s *Server) receiptDocument(ctx context.Context, inv domain.Invoice, m invoices.CheckoutMerchant) (invoicepdf.Receipt, bool, error) {
	if s.d.Payments == nil {
		return invoicepdf.Receipt{}, false, nil
	}
	p, ok, err := s.d.Payments.Receipt(ctx, inv.ID)
	if err != nil || !ok {
		return invoicepdf.Receipt{}, false, err
	}
	refunds, err := s.d.Payments.ReceiptRefunds(ctx, p.ID)
	if err != nil {
		return invoicepdf.Receipt{}, false, err
	}
	doc := invoicepdf.Receipt{Invoice: inv, Merchant: m, Status: p.Status, Method: p.Method, Reference: p.ID,
		AmountReserved: p.AmountAuthorized, AmountCaptured: p.AmountCaptured, AmountRefunded: p.AmountRefunded, VoidedAt: p.VoidedAt}
	if p.Method == domain.MethodBankTransfer {
		doc.AmountReserved = p.AmountCaptured
		if p.BankReference != "" {
			doc.Reference = p.BankReference
		}
	}
	if p.Card != nil {
		doc.CardBrand, doc.CardLast4 = p.Card.Brand, p.Card.Last4
	}
	if at := p.PaidAt(); at != nil {
		doc.PaidAt = *at
	}
	for _, f := range refunds {
		if f.Status == domain.RefundSucceeded {
			doc.Refunds = append(doc.Refunds, invoicepdf.ReceiptRefund{Amount: f.Amount, At: f.CreatedAt})
		}
	}
	doc.Logo = s.pdfLogo(ctx, m.LogoFile)
	return doc, true, nil
}

// pdfLogo is the merchant's logo for a PDF; nil when it has none or it cannot be read (a PDF
// without the logo is better than none).
func (s *Server) pdfLogo(ctx context.Context, file string) *invoicepdf.Image {
	if file == "" {
		return nil
	}
	l, err := s.d.Merchants.LogoByFile(ctx, file)
	if err != nil {
		return nil
	}
	return &invoicepdf.Image{ContentType: l.ContentType, Data: l.Data}
}

// sendReceiptPDF renders and sends an invoice's receipt, named after its number.
func (s *Server) sendReceiptPDF(c echo.Context, inv domain.Invoice, m invoices.CheckoutMerchant) error {
	doc, ok, err := s.receiptDocument(c.Request().Context(), inv, m)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NotFound("receipt")
	}
	b, err := invoicepdf.RenderReceipt(doc)
	if err != nil {
		return apperr.Internal(err)
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `inline; filename="`+inv.Number+`-receipt.pdf"`)
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, "application/pdf", b)
}
