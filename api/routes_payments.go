package api

import "github.com/labstack/echo/v4"

// checkoutPayRoutes adds the payer's payment routes (pay, complete) to the public group.
func (s *Server) checkoutPayRoutes(g *echo.Group) {}

// paymentRoutes adds the merchant's payment routes (payments, capture, void, refunds).
func (s *Server) paymentRoutes(g *echo.Group) {}

// addInvoicePayments fills the payments, transactions and refunds of an invoice's detail view.
func (s *Server) addInvoicePayments(c echo.Context, out *InvoiceResponse) error {
	out.Payments, out.Transactions, out.Refunds = []PaymentResponse{}, []TransactionResponse{}, []RefundResponse{}
	return nil
}

// addCheckoutReceipt fills the receipt of a paid invoice's checkout view.
func (s *Server) addCheckoutReceipt(c echo.Context, co checkoutView, out *CheckoutResponse) error {
	return nil
}
