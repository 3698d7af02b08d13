package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/domain"
)

// ReturnSecretResponse is a merchant's new secret for verifying return URLs, shown only here.
type ReturnSecretResponse struct {
	Object string `json:"object" example:"return_secret"`
	// Secret keys the HMAC-SHA256 signature of every success and cancel URL of the caller's mode.
	Secret    string    `json:"secret" example:"rsec_3q27wXk9PzL0m4nBvC8sT1uY6eR2iO5aQx7Lk1Jm0Hg"`
	Livemode  bool      `json:"livemode"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
} // @name ReturnSecret

// rotateReturnSecret godoc
//
//	@Summary	Make a new return secret and show it once
//	@ID		rotateReturnSecret
//	@Description	The secret the checkout signs success and cancel URLs with (the signature parameter), for the caller's mode. The previous secret stops working at once; this answer is the only time the secret is shown. See the README for the exact string signed.
//	@Tags		Merchant
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string	false	"idempotency key"
//	@Success	200				{object}	ReturnSecretResponse
//	@Failure	401				{object}	ErrorBody
//	@Router		/merchant/return-secret [post]
func (s *Server) rotateReturnSecret(c echo.Context) error {
	rs, err := s.d.Merchants.RotateReturnSecret(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, ReturnSecretResponse{Object: "return_secret", Secret: rs.Secret, Livemode: rs.Livemode, CreatedAt: rs.CreatedAt})
}

// addReturnURLs gives the checkout its ways back to the merchant, built here from the addresses
// stored with the invoice and signed with the merchant's secret: the success URL once there is a
// receipt, the cancel URL while the invoice can still be paid. Nothing the payer sends goes into them.
func (s *Server) addReturnURLs(co checkoutView, out *CheckoutResponse) {
	inv, secret := co.Invoice, co.Merchant.ReturnSecret
	out.AutoReturn = co.Merchant.AutoReturn && inv.SuccessURL != ""
	if secret == "" {
		return
	}
	now := time.Now().UTC()
	if r := out.Receipt; r != nil && inv.SuccessURL != "" && r.Status != string(domain.PaymentVoided) {
		ret := domain.Return{Invoice: inv.ID, Payment: r.PaymentID, Status: r.Status, Amount: r.Amount, Currency: r.Currency, At: now}
		if u, err := ret.URL(inv.SuccessURL, secret); err == nil {
			out.ReturnURL = u
		}
	}
	if inv.CancelURL != "" && inv.Status.Payable() && co.Link.Status.Usable() {
		ret := domain.Return{Invoice: inv.ID, Status: string(inv.Status), Amount: inv.AmountDue(), Currency: inv.Currency, At: now}
		if u, err := ret.URL(inv.CancelURL, secret); err == nil {
			out.CancelURL = u
		}
	}
}
