package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
)

// PasswordResetRequest asks for a link to set a new password.
type PasswordResetRequest struct {
	Email string `json:"email" format:"email" example:"owner@example.com"`
	// Locale is the language of the e-mail; the merchant's default language when left out.
	Locale string `json:"locale,omitempty" enums:"sr-Latn,sr-Cyrl,en"`
} // @name PasswordResetRequest

// PasswordResetRequested is the same answer whatever the address.
type PasswordResetRequested struct {
	Object string `json:"object" example:"password_reset_request"`
	// EmailDeliveryEnabled is false while this SecureLink has no SMTP server: no e-mail can arrive.
	EmailDeliveryEnabled bool `json:"email_delivery_enabled"`
} // @name PasswordResetRequested

// requestPasswordReset godoc
//
//	@Summary	Ask for a password-reset link by e-mail
//	@ID		requestPasswordReset
//	@Description	No authentication. When the address belongs to a portal user who has set a password, an e-mail with a single-use link to `/portal/reset-password/{token}` is sent; it works for one hour, and only the newest link works. The answer is `202` whether or not the address has an account, so it tells nobody which addresses do. Requests are limited per client address and per e-mail address (`429`).
//	@Tags		Portal session
//	@Accept		json
//	@Produce	json
//	@Param		body	body		PasswordResetRequest	true	"whose password"
//	@Success	202		{object}	PasswordResetRequested
//	@Failure	400		{object}	ErrorBody
//	@Failure	429		{object}	ErrorBody
//	@Router		/auth/password-reset [post]
func (s *Server) requestPasswordReset(c echo.Context) error {
	var req PasswordResetRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	if err := s.d.Merchants.RequestPasswordReset(c.Request().Context(), req.Email, req.Locale, clientIP(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, PasswordResetRequested{Object: "password_reset_request", EmailDeliveryEnabled: s.emailDelivery()})
}

// PasswordResetConfirm sets the new password with the token from the e-mail.
type PasswordResetConfirm struct {
	Token    string `json:"token" example:"3q27wXk9PzL0m4nB"`
	Password string `json:"password" minLength:"10" maxLength:"72" example:"staple battery horse correct"`
} // @name PasswordResetConfirm

// confirmPasswordReset godoc
//
//	@Summary	Set a new password with a reset link
//	@ID		confirmPasswordReset
//	@Description	No authentication: the token from the e-mail is the capability. Sets the password (at least 10 characters), ends every session of the user in every browser, and starts a new session here, like a login. A used, expired or unknown token answers `400 reset_token_invalid`.
//	@Tags		Portal session
//	@Accept		json
//	@Produce	json
//	@Param		body	body		PasswordResetConfirm	true	"token and new password"
//	@Success	200		{object}	SessionResponse
//	@Failure	400		{object}	ErrorBody
//	@Router		/auth/password-reset/confirm [post]
func (s *Server) confirmPasswordReset(c echo.Context) error {
	var req PasswordResetConfirm
	if err := decode(c, &req, false); err != nil {
		return err
	}
	if req.Token == "" {
		return apperr.Invalid("token", "missing", "token is required.")
	}
	u, err := s.d.Merchants.ResetPassword(c.Request().Context(), req.Token, req.Password, clientIP(c))
	if err != nil {
		return err
	}
	return s.session(c, http.StatusOK, u, false)
}
