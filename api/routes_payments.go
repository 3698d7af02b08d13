package api

import (
	"context"

	"github.com/labstack/echo/v4"

	"securelink/internal/domain"
	"securelink/internal/psp"
)

// checkoutPayRoutes adds the payer's payment routes: pay to public, complete (and the default
// account's provider webhook) to g, the public group with idempotency records.
func (s *Server) checkoutPayRoutes(public, g *echo.Group) {
	// Paying keeps the payer's Idempotency-Key on the attempt itself (payments.PayInput), so it
	// bypasses the separate idempotency records of the other POSTs.
	public.POST("/checkout/:token/pay", s.payCheckout)
	g.POST("/checkout/:token/complete", s.completeCheckout)
	g.POST("/psp/accounts/:id/webhook", s.accountWebhook)
	// The deployment's default account keeps the route its Stripe webhooks were set up with; another
	// provider's notifications for it arrive at /psp/{provider}/webhook.
	def, err := s.d.Providers.ForAccount(context.Background(), "")
	const stripeRoute = "/psp/stripe/webhook"
	route := ""
	r, ok := def.(psp.WebhookReceiver)
	if ok && err == nil {
		route = "/psp/" + def.Name() + "/webhook"
	}
	switch route {
	case "":
	case stripeRoute:
		g.POST(route, s.stripeWebhook(r))
	default:
		g.POST(route, s.defaultAccountWebhook(r))
	}
	if route != stripeRoute {
		// Without Stripe the route is absent; answered here, it is a 404 rather than the 401 that
		// unknown routes get from the authenticated group, which would tell Stripe to fix its credentials.
		g.POST(stripeRoute, func(echo.Context) error { return echo.ErrNotFound })
	}
}

// paymentRoutes adds the merchant's payment routes (payments, capture, void, refunds).
func (s *Server) paymentRoutes(g *echo.Group) {
	g.GET("/payments", s.listPayments)
	g.GET("/payments/:id", s.getPayment)
	g.POST("/payments/:id/capture", s.capturePayment)
	g.POST("/payments/:id/void", s.voidPayment)
	g.POST("/payments/:id/refunds", s.refundPayment)
	g.GET("/refunds/:id", s.getRefund)
}

// addInvoicePayments fills the payments, transactions and refunds of an invoice's detail view.
func (s *Server) addInvoicePayments(c echo.Context, out *InvoiceResponse) error {
	out.Payments, out.Transactions, out.Refunds = []PaymentResponse{}, []TransactionResponse{}, []RefundResponse{}
	if s.d.Payments == nil {
		return nil
	}
	ps, txns, refunds, err := s.d.Payments.InvoicePayments(c.Request().Context(), actorOf(c).MerchantID, out.ID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		out.Payments = append(out.Payments, toPayment(p))
	}
	for _, t := range txns {
		out.Transactions = append(out.Transactions, toTransaction(t))
	}
	for _, r := range refunds {
		out.Refunds = append(out.Refunds, toRefund(r))
	}
	return nil
}

// addCheckoutReceipt fills the receipt of a paid invoice's checkout view.
func (s *Server) addCheckoutReceipt(c echo.Context, co checkoutView, out *CheckoutResponse) error {
	if s.d.Payments == nil {
		return nil
	}
	// A cancelled invoice has a receipt when its reservation was released (a voided payment).
	switch co.Invoice.Status {
	// A partly paid one shows the receipt of its latest part.
	case domain.InvoiceAuthorized, domain.InvoicePaid, domain.InvoicePartiallyPaid, domain.InvoicePartiallyRefunded, domain.InvoiceRefunded,
		domain.InvoiceCancelled:
	case domain.InvoiceOpen, domain.InvoiceProcessing, domain.InvoiceExpired:
		return nil
	default:
		return nil
	}
	ctx := c.Request().Context()
	p, ok, err := s.d.Payments.Receipt(ctx, co.Invoice.ID)
	if err != nil || !ok {
		return err
	}
	refunds, err := s.d.Payments.ReceiptRefunds(ctx, p.ID)
	if err != nil {
		return err
	}
	out.Receipt = toReceipt(p, refunds, co.Invoice.Number)
	// Only an e-mail that can leave is promised: without an SMTP server the receipt is held in the
	// merchant's mailbox, so the payer is told nothing about a copy.
	if s.emailDelivery() {
		out.Receipt.EmailedTo = maskEmail(co.Invoice.Customer.Email)
	}
	out.Receipt.PDFURL = s.checkoutURL(co.Link.Token, "/receipt.pdf")
	return nil
}
