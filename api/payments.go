package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/psp"
)

// payCheckout godoc
//
//	@Summary	Pay an invoice through its link
//	@ID		payCheckout
//	@Description	No authentication: the link token is the capability. Requires terms_accepted: true and a card token from the provider. The answer is the payment: captured (automatic capture), authorized (manual capture), failed with decline_code and decline_message (another card may be tried), requires_action with next_action.redirect_url (3-D Secure), or processing when the provider's answer is not known yet (it is settled automatically). An invoice that allows paying in parts takes an amount between the checkout's min_amount and amount_due (else 422 naming amount); each part is its own payment, and the invoice is partially_paid until the parts reach the total. A second attempt while one runs gets 409 payment_in_progress; too many failed attempts get 429. A retry with the same Idempotency-Key gets the payment that key started, as it is now (a later capture or refund shows), with the header Idempotent-Replayed: true; 409 idempotency_key_in_use while the first call may still be waiting for the provider; 422 idempotency_key_reused when the body differs. The key is kept with the payment.
//	@Tags		Checkout
//	@Accept		json
//	@Produce	json
//	@Param		Idempotency-Key	header		string		false	"idempotency key"
//	@Param		token			path		string		true	"link token"
//	@Param		body			body		PayRequest	true	"terms and card token"
//	@Success	200				{object}	PaymentResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Failure	422				{object}	ErrorBody
//	@Failure	429				{object}	ErrorBody
//	@Router		/checkout/{token}/pay [post]
func (s *Server) payCheckout(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	var req PayRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	p, replayed, err := s.d.Payments.PayOnce(c.Request().Context(), c.Param("token"), payments.PayInput{TermsAccepted: req.TermsAccepted,
		PaymentToken: req.PaymentToken, ClientIP: clientIP(c), IdempotencyKey: key, Amount: req.Amount})
	if err != nil {
		return err
	}
	if replayed {
		c.Response().Header().Set(replayedHeader, "true")
	}
	return c.JSON(http.StatusOK, toPayment(p))
}

// completeCheckout godoc
//
//	@Summary	Settle a payment after the payer's 3-D Secure challenge
//	@ID		completeCheckout
//	@Description	The checkout calls this when the payer comes back with ?payment=pay_…; the outcome is fetched from the provider.
//	@Tags		Checkout
//	@Accept		json
//	@Produce	json
//	@Param		Idempotency-Key	header		string			false	"idempotency key"
//	@Param		token			path		string			true	"link token"
//	@Param		body			body		CompleteRequest	true	"the payment"
//	@Success	200				{object}	PaymentResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	404				{object}	ErrorBody
//	@Router		/checkout/{token}/complete [post]
func (s *Server) completeCheckout(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	var req CompleteRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	if req.PaymentID == "" || len(req.PaymentID) > 64 {
		return apperr.Invalid("payment_id", "invalid_payment_id", "payment_id must be the id of the payment (pay_…).")
	}
	p, err := s.d.Payments.Complete(c.Request().Context(), c.Param("token"), req.PaymentID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toPayment(p))
}

// listPayments godoc
//
//	@Summary	List payments, newest first
//	@ID		listPayments
//	@Description	Filter by `status` or `invoice_id`. Page with `starting_after` (older) or `ending_before` (newer). Pass `expand[]=invoice` to get each payment's invoice inline.
//	@Tags		Payments
//	@Produce	json
//	@Security	BearerAuth
//	@Param		status			query		string	false	"filter by status"	Enums(processing,requires_action,authorized,captured,partially_refunded,refunded,voided,failed)
//	@Param		invoice_id		query		string	false	"only the payments of this invoice"
//	@Param		expand[]		query		[]string	false	"objects to include inline: invoice"	Enums(invoice)	collectionFormat(multi)
//	@Param		limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param		starting_after	query		string	false	"id of the last payment of the previous page"	maxLength(64)
//	@Param		ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success	200				{object}	ListResponse[PaymentResponse]
//	@Failure	400				{object}	ErrorBody
//	@Failure	401				{object}	ErrorBody
//	@Router		/payments [get]
func (s *Server) listPayments(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	ex, err := expansions(c, expandInvoice)
	if err != nil {
		return err
	}
	invoiceID := c.QueryParam("invoice_id")
	if len(invoiceID) > 64 {
		return apperr.Invalid("invoice_id", "invalid_invoice_id", "invoice_id must be an invoice id (inv_…).")
	}
	f := payments.Filter{Status: domain.PaymentStatus(c.QueryParam("status")), InvoiceID: invoiceID, Page: p}
	ps, more, err := s.d.Payments.List(c.Request().Context(), actorOf(c).MerchantID, f)
	if err != nil {
		return err
	}
	out := make([]PaymentResponse, len(ps))
	for i, pay := range ps {
		out[i] = toPayment(pay)
	}
	if ex[expandInvoice] {
		if err := s.expandPaymentInvoices(c, out); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, list(out, more))
}

// getPayment godoc
//
//	@Summary	A payment with its transactions and refunds
//	@ID		getPayment
//	@Description	The payment with its provider transactions and refunds. Pass `expand[]=invoice` to get its invoice inline instead of a second call.
//	@Tags		Payments
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"payment id"
//	@Param		expand[]	query	[]string	false	"objects to include inline: invoice"	Enums(invoice)	collectionFormat(multi)
//	@Success	200	{object}	PaymentResponse
//	@Failure	400	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/payments/{id} [get]
func (s *Server) getPayment(c echo.Context) error {
	ex, err := expansions(c, expandInvoice)
	if err != nil {
		return err
	}
	d, err := s.d.Payments.GetDetail(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	return s.paymentOut(c, toPaymentDetail(d), ex)
}

// paymentDetail answers with the payment as it stands, with its transactions and refunds.
func (s *Server) paymentDetail(c echo.Context, id string) error {
	d, err := s.d.Payments.GetDetail(c.Request().Context(), actorOf(c).MerchantID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toPaymentDetail(d))
}

// capturePayment godoc
//
//	@Summary	Capture a pre-authorisation, fully or in part
//	@ID		capturePayment
//	@Description	Without amount the whole authorised amount is captured; a smaller amount captures that much and releases the rest. The invoice becomes paid. A concurrent capture or void of the same payment gets 409.
//	@Tags		Payments
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string			false	"idempotency key"
//	@Param		id				path		string			true	"payment id"
//	@Param		body			body		CaptureRequest	false	"amount to capture"
//	@Success	200				{object}	PaymentResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	402				{object}	ErrorBody
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Failure	503				{object}	ErrorBody
//	@Router		/payments/{id}/capture [post]
func (s *Server) capturePayment(c echo.Context) error {
	var req CaptureRequest
	if err := decode(c, &req, true); err != nil {
		return err
	}
	p, err := s.d.Payments.Capture(c.Request().Context(), actorOf(c), c.Param("id"), req.Amount)
	if err != nil {
		return err
	}
	return s.paymentDetail(c, p.ID)
}

// voidPayment godoc
//
//	@Summary	Release a pre-authorisation
//	@ID		voidPayment
//	@Description	The authorised money is released to the payer; the invoice is cancelled.
//	@Tags		Payments
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string	false	"idempotency key"
//	@Param		id				path		string	true	"payment id"
//	@Success	200				{object}	PaymentResponse
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Failure	503				{object}	ErrorBody
//	@Router		/payments/{id}/void [post]
func (s *Server) voidPayment(c echo.Context) error {
	if err := decode(c, &struct{}{}, true); err != nil {
		return err
	}
	p, err := s.d.Payments.Void(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return s.paymentDetail(c, p.ID)
}

// refundPayment godoc
//
//	@Summary	Refund a captured payment, fully or in part
//	@ID		refundPayment
//	@Description	Without amount all that is left is refunded; several partial refunds may follow one another. The amount is reserved before the provider is called, so refunds never exceed the captured amount. A refund the provider refuses is answered with status failed and failure_code; one whose outcome is not known yet stays pending and is settled automatically.
//	@Tags		Refunds
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string			false	"idempotency key"
//	@Param		id				path		string			true	"payment id"
//	@Param		body			body		RefundRequest	false	"amount and reason"
//	@Success	201				{object}	RefundResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Router		/payments/{id}/refunds [post]
func (s *Server) refundPayment(c echo.Context) error {
	var req RefundRequest
	if err := decode(c, &req, true); err != nil {
		return err
	}
	r, err := s.d.Payments.Refund(c.Request().Context(), actorOf(c), c.Param("id"), req.Amount, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toRefund(r))
}

// getRefund godoc
//
//	@Summary	A refund
//	@ID		getRefund
//	@Description	One refund. Pass `expand[]=payment` to get the refunded payment inline.
//	@Tags		Refunds
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"refund id"
//	@Param		expand[]	query	[]string	false	"objects to include inline: payment"	Enums(payment)	collectionFormat(multi)
//	@Success	200	{object}	RefundResponse
//	@Failure	400	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/refunds/{id} [get]
func (s *Server) getRefund(c echo.Context) error {
	ex, err := expansions(c, expandPayment)
	if err != nil {
		return err
	}
	r, err := s.d.Payments.GetRefund(c.Request().Context(), actorOf(c).MerchantID, c.Param("id"))
	if err != nil {
		return err
	}
	return s.refundOut(c, toRefund(r), ex)
}

// WebhookAck answers a PSP webhook.
type WebhookAck struct {
	Received bool `json:"received" example:"true"`
} // @name WebhookAck

// defaultAccountWebhook godoc
//
//	@Summary	AllSecure Exchange's callbacks about payments of the deployment's default account (only when PSP=exchange)
//	@ID		receiveExchangeCallback
//	@Description	Verified with the account's shared secret (X-Signature over the body, this URL and the Date, which must be within five minutes): 401 and nothing changes when it does not verify. The payment named is settled by asking the gateway's status API, so a repeated callback changes nothing twice. Merchants' own provider accounts have a route each: /psp/accounts/{id}/webhook.
//	@Tags		Provider webhooks
//	@Accept		json
//	@Produce	json
//	@Param		X-Signature	header		string	true	"the gateway's signature"
//	@Success	200			{object}	WebhookAck
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Router		/psp/exchange/webhook [post]
func (s *Server) defaultAccountWebhook(receiver psp.WebhookReceiver) echo.HandlerFunc {
	return func(c echo.Context) error {
		body, err := readBody(c)
		if err != nil {
			return err
		}
		n, err := receiver.ParseWebhook(c.Request().Header, body)
		if errors.Is(err, psp.ErrBadSignature) {
			return apperr.Unauthenticated("invalid_signature", "The notification is not signed with this account's secret.")
		}
		if err != nil {
			return apperr.Invalid("", "invalid_webhook", "The webhook could not be read.")
		}
		if n.Handled {
			if err := s.d.Payments.SettleFromPSP(c.Request().Context(), "", n.PaymentRef, n.Reference); err != nil {
				return err
			}
		}
		return c.JSON(http.StatusOK, WebhookAck{Received: true})
	}
}

// stripeWebhook godoc
//
//	@Summary	Stripe's notifications about payments of the deployment's default account (only when PSP=stripe)
//	@ID		receiveStripeWebhook
//	@Description	Verified with the Stripe-Signature header; the payment named by the event is settled by asking Stripe. Events of other types are acknowledged and ignored. Merchants' own provider accounts have a route each: /psp/accounts/{id}/webhook.
//	@Tags		Provider webhooks
//	@Accept		json
//	@Produce	json
//	@Param		Stripe-Signature	header		string	true	"Stripe's signature"
//	@Success	200					{object}	WebhookAck
//	@Failure	400					{object}	ErrorBody
//	@Router		/psp/stripe/webhook [post]
func (s *Server) stripeWebhook(receiver psp.WebhookReceiver) echo.HandlerFunc {
	return func(c echo.Context) error {
		body, err := readBody(c)
		if err != nil {
			return err
		}
		n, err := receiver.ParseWebhook(c.Request().Header, body)
		if errors.Is(err, psp.ErrBadSignature) {
			return apperr.Invalid("Stripe-Signature", "invalid_signature", "The webhook signature is not valid.")
		}
		if err != nil {
			return apperr.Invalid("", "invalid_webhook", "The webhook could not be read.")
		}
		if n.Handled {
			if err := s.d.Payments.SettleFromPSP(c.Request().Context(), "", n.PaymentRef, n.Reference); err != nil {
				return err
			}
		}
		return c.JSON(http.StatusOK, WebhookAck{Received: true})
	}
}
