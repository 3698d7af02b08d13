package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
)

// Objects a response can carry inline instead of by id (expand[]=…), as Stripe's expand does.
const (
	expandInvoice = "invoice"
	expandPayment = "payment"
)

// expansions reads expand[]= (or expand=) and checks each value against what the route can expand.
func expansions(c echo.Context, allowed ...string) (map[string]bool, error) {
	q := c.QueryParams()
	vals := append(q["expand[]"], q["expand"]...)
	out := make(map[string]bool, len(vals))
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if !slices.Contains(allowed, v) {
			return nil, apperr.Invalid("expand[]", "invalid_expand", "expand[] cannot be %q here; it may be %s.", v, strings.Join(allowed, ", "))
		}
		out[v] = true
	}
	return out, nil
}

// expandPaymentInvoices puts each payment's invoice inline, reading each invoice once.
func (s *Server) expandPaymentInvoices(c echo.Context, ps []PaymentResponse) error {
	seen := map[string]*InvoiceResponse{}
	for i := range ps {
		id := ps[i].InvoiceID
		inv, ok := seen[id]
		if !ok {
			got, err := s.d.Invoices.Get(c.Request().Context(), actorOf(c).MerchantID, id)
			if err != nil {
				return err
			}
			out := s.toInvoice(got)
			inv = &out
			seen[id] = inv
		}
		ps[i].Invoice = inv
	}
	return nil
}

// expandRefundPayment puts a refund's payment inline.
func (s *Server) expandRefundPayment(c echo.Context, r *RefundResponse) error {
	d, err := s.d.Payments.GetDetail(c.Request().Context(), actorOf(c).MerchantID, r.PaymentID)
	if err != nil {
		return err
	}
	p := toPaymentDetail(d)
	r.Payment = &p
	return nil
}

// paymentOut encodes one payment, with its invoice when ex asks for it.
func (s *Server) paymentOut(c echo.Context, p PaymentResponse, ex map[string]bool) error {
	if ex[expandInvoice] {
		ps := []PaymentResponse{p}
		if err := s.expandPaymentInvoices(c, ps); err != nil {
			return err
		}
		p = ps[0]
	}
	return c.JSON(http.StatusOK, p)
}

// refundOut encodes one refund, with its payment when ex asks for it.
func (s *Server) refundOut(c echo.Context, r RefundResponse, ex map[string]bool) error {
	if ex[expandPayment] {
		if err := s.expandRefundPayment(c, &r); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, r)
}
