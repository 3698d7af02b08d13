package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/merchants"
)

// LoginRequest is the body of a portal login.
type LoginRequest struct {
	Email    string `json:"email" format:"email" example:"owner@example.com"`
	Password string `json:"password" example:"correct horse battery"`
} // @name LoginRequest

// UserResponse is a portal user.
type UserResponse struct {
	ID     string `json:"id" example:"usr_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"user"`
	Email  string `json:"email" format:"email" example:"mika@pekara.rs"`
	Name   string `json:"name"`
	Role   string `json:"role" enums:"owner,staff"`
	// Status is invited until the user accepts the invitation and sets a password, then active.
	Status    string    `json:"status" enums:"invited,active"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
} // @name User

// MerchantResponse is a merchant with its settings.
type MerchantResponse struct {
	ID                 string `json:"id" example:"mer_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object             string `json:"object" example:"merchant"`
	Name               string `json:"name"`
	LegalName          string `json:"legal_name"`
	Address            string `json:"address"`
	TaxID              string `json:"tax_id"`
	SupportEmail       string `json:"support_email"`
	NotificationEmail  string `json:"notification_email"`
	DefaultCurrency    string `json:"default_currency" example:"RSD"`
	DefaultLocale      string `json:"default_locale" enums:"sr-Latn,sr-Cyrl,en"`
	DefaultCaptureMode string `json:"default_capture_mode" enums:"automatic,manual"`
	Terms              string `json:"terms"`
	// PIB is the merchant's Serbian tax number (9 digits), MB its matični broj (8 digits).
	PIB string `json:"pib" example:"100002887"`
	MB  string `json:"mb" example:"12345676"`
	// IPSEnabled offers "Pay by IPS QR" on the checkout of RSD invoices.
	IPSEnabled bool `json:"ips_enabled"`
	// IPSAccount is the account that receives IPS transfers, 18 digits.
	IPSAccount string `json:"ips_account" example:"160000000012345654"`
	// IPSPayee is the payee's name and place as the QR code carries it (N tag, at most 70 characters).
	IPSPayee string `json:"ips_payee" example:"Pekara Mika, Beograd"`
	// IPSPaymentCode is the NBS payment code (SF tag); 221 unless changed.
	IPSPaymentCode string `json:"ips_payment_code" example:"221"`
	// EmailAttachPDF attaches the invoice PDF to the e-mail with the payment link.
	EmailAttachPDF bool `json:"email_attach_pdf"`
	// StatementColumns is the bank-statement column mapping last used by an import.
	StatementColumns *StatementColumnsBody `json:"statement_columns" extensions:"x-nullable"`
	// LogoURL is where the merchant's logo is served (PUT /merchant/logo sets it); empty when it has none.
	LogoURL string `json:"logo_url" example:"/api/v1/logos/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png"`
	// EmailDeliveryEnabled is false while this SecureLink has no SMTP server (SMTP_URL): e-mails are then
	// only kept in the mailbox with status held and reach nobody. Read-only; set by the operator.
	EmailDeliveryEnabled bool `json:"email_delivery_enabled"`
	// AutoReturn sends the payer back to the invoice's success_url a few seconds after paying.
	AutoReturn bool `json:"auto_return"`
	// RemindAfterDays reminds the customer of an unpaid invoice that many days after its link was
	// first e-mailed; RemindBeforeExpiryDays that many days before the link expires. 0: off (the default).
	RemindAfterDays        int `json:"remind_after_days" minimum:"0" maximum:"365" example:"3"`
	RemindBeforeExpiryDays int `json:"remind_before_expiry_days" minimum:"0" maximum:"365" example:"2"`
	// BrandColor colours the checkout's buttons and header and the e-mails' accents; empty: the
	// product's own. BrandTextColor is the text colour chosen for it (black or white, WCAG AA).
	BrandColor     string    `json:"brand_color" example:"#1f4fd1"`
	BrandTextColor string    `json:"brand_text_color" example:"#ffffff"`
	CreatedAt      time.Time `json:"created_at" format:"date-time"`
	UpdatedAt      time.Time `json:"updated_at" format:"date-time"`
} // @name Merchant

// SessionResponse answers a login, an accepted invitation and /me.
type SessionResponse struct {
	User     UserResponse     `json:"user"`
	Merchant MerchantResponse `json:"merchant"`
	// CSRFToken must be sent as X-CSRF-Token with every unsafe request made with the session cookie.
	CSRFToken string `json:"csrf_token"`
	// Livemode is the portal's Test mode switch: false (a new session) shows and changes test data
	// only, true live data only. Change it with POST /auth/mode.
	Livemode bool `json:"livemode"`
} // @name Session

// SetModeRequest sets the portal's Test mode switch.
type SetModeRequest struct {
	// Livemode true works with live data, false with test data.
	Livemode *bool `json:"livemode" example:"false"`
} // @name SetModeRequest

func toUser(u merchants.User) UserResponse {
	status := "active"
	if u.PasswordHash == "" {
		status = "invited"
	}
	return UserResponse{ID: u.ID, Object: "user", Email: u.Email, Name: u.Name, Role: u.Role, Status: status, CreatedAt: u.CreatedAt}
}

func (s *Server) toMerchant(m merchants.Merchant) MerchantResponse {
	return MerchantResponse{EmailDeliveryEnabled: s.emailDelivery(), ID: m.ID, Object: "merchant", Name: m.Name, LegalName: m.LegalName, Address: m.Address,
		TaxID: m.TaxID, SupportEmail: m.SupportEmail, NotificationEmail: m.NotificationEmail,
		DefaultCurrency: m.DefaultCurrency, DefaultLocale: m.DefaultLocale, DefaultCaptureMode: string(m.DefaultCaptureMode),
		Terms: m.Terms, PIB: m.PIB, MB: m.MB, IPSEnabled: m.IPS.Enabled, IPSAccount: m.IPS.Account, IPSPayee: m.IPS.Payee,
		IPSPaymentCode: ipsPaymentCode(m.IPS.PaymentCode), EmailAttachPDF: m.EmailAttachPDF,
		StatementColumns: toStatementColumns(m.StatementColumns), LogoURL: logoPath(m.LogoFile), AutoReturn: m.AutoReturn,
		RemindAfterDays: m.Reminders.AfterSentDays, RemindBeforeExpiryDays: m.Reminders.BeforeExpiryDays,
		BrandColor: m.BrandColor, BrandTextColor: domain.BrandTextColor(m.BrandColor), CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func (s *Server) session(c echo.Context, status int, u merchants.User, livemode bool) error {
	ctx := c.Request().Context()
	m, err := s.d.Merchants.GetMerchant(ctx, u.MerchantID)
	if err != nil {
		return err
	}
	csrf, err := s.setSessionCookie(c, u, livemode)
	if err != nil {
		return err
	}
	return c.JSON(status, SessionResponse{User: toUser(u), Merchant: s.toMerchant(m), CSRFToken: csrf})
}

// login godoc
//
//	@Summary	Log in to the portal
//	@ID		login
//	@Description	Sets an HttpOnly session cookie and returns the CSRF token to send as X-CSRF-Token. Failed logins are rate-limited per address and account.
//	@Tags		Portal session
//	@Accept		json
//	@Produce	json
//	@Param		body	body		LoginRequest	true	"credentials"
//	@Success	200		{object}	SessionResponse
//	@Failure	400		{object}	ErrorBody
//	@Failure	401		{object}	ErrorBody
//	@Failure	429		{object}	ErrorBody
//	@Router		/auth/login [post]
func (s *Server) login(c echo.Context) error {
	var req LoginRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	u, err := s.d.Merchants.Login(c.Request().Context(), req.Email, req.Password, clientIP(c))
	if err != nil {
		return err
	}
	return s.session(c, http.StatusOK, u, false)
}

// logout godoc
//
//	@Summary	Log out of the portal
//	@ID		logout
//	@Description	Ends the session on the server (the cookie no longer works anywhere) and clears the cookie. With a live session, send its `X-CSRF-Token` like every other unsafe request.
//	@Tags		Portal session
//	@Success	204
//	@Failure	403	{object}	ErrorBody
//	@Router		/auth/logout [post]
func (s *Server) logout(c echo.Context) error {
	// A live session must show its CSRF token, so another site cannot log the user out.
	r := c.Request()
	if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
		if cl, err := s.d.Sessions.Parse(ck.Value); err == nil {
			if !s.d.Sessions.CheckCSRF(cl.SessionID, r.Header.Get("X-CSRF-Token")) {
				return apperr.Forbidden("csrf_token_invalid", "The X-CSRF-Token header is missing or wrong.")
			}
			actor := domain.Actor{Type: domain.ActorUser, ID: cl.UserID, MerchantID: cl.MerchantID, IP: clientIP(c)}
			if err := s.d.Merchants.Logout(r.Context(), actor, cl.SessionID); err != nil {
				return err
			}
		}
	}
	s.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

// logoutEverywhere godoc
//
//	@Summary	Log out of every browser
//	@ID		logoutEverywhere
//	@Description	Ends every session of the logged-in user, this one included, and clears the cookie.
//	@Tags		Portal session
//	@Security	BearerAuth
//	@Success	204
//	@Failure	401	{object}	ErrorBody
//	@Failure	403	{object}	ErrorBody
//	@Router		/auth/logout-everywhere [post]
func (s *Server) logoutEverywhere(c echo.Context) error {
	if err := s.d.Merchants.LogoutEverywhere(c.Request().Context(), actorOf(c)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

// ChangePasswordRequest changes the logged-in user's password.
type ChangePasswordRequest struct {
	CurrentPassword string `json:"current_password" example:"correct horse battery"`
	NewPassword     string `json:"new_password" minLength:"10" maxLength:"72" example:"staple battery horse correct"`
} // @name ChangePasswordRequest

// changePassword godoc
//
//	@Summary	Change your password
//	@ID		changePassword
//	@Description	Ends every session of the user, in every browser, and starts a new one for this browser.
//	@Tags		Portal session
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		body	body		ChangePasswordRequest	true	"current and new password"
//	@Success	200		{object}	SessionResponse
//	@Failure	400		{object}	ErrorBody
//	@Failure	401		{object}	ErrorBody
//	@Failure	403		{object}	ErrorBody
//	@Router		/auth/password [post]
func (s *Server) changePassword(c echo.Context) error {
	var req ChangePasswordRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	u, err := s.d.Merchants.ChangePassword(c.Request().Context(), actorOf(c), req.CurrentPassword, req.NewPassword)
	if err != nil {
		return err
	}
	// The new session keeps the mode the portal was in.
	return s.session(c, http.StatusOK, u, actorOf(c).Livemode)
}

// me godoc
//
//	@Summary	The logged-in user, their merchant and a CSRF token
//	@ID		getSession
//	@Description	For the portal only (session cookie): who is logged in, their merchant, and the CSRF token to send as `X-CSRF-Token` with every unsafe request. API keys get `403 user_required`.
//	@Tags		Portal session
//	@Produce	json
//	@Security	SessionCookie
//	@Success	200	{object}	SessionResponse
//	@Failure	401	{object}	ErrorBody
//	@Failure	403	{object}	ErrorBody
//	@Router		/me [get]
func (s *Server) me(c echo.Context) error {
	cl, err := sessionOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.d.Merchants.GetUser(ctx, cl.UserID)
	if err != nil {
		return err
	}
	m, err := s.d.Merchants.GetMerchant(ctx, u.MerchantID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SessionResponse{User: toUser(u), Merchant: s.toMerchant(m), CSRFToken: s.d.Sessions.CSRFToken(cl.SessionID),
		Livemode: actorOf(c).Livemode})
}

// setMode godoc
//
//	@Summary	Switch the portal between test and live data
//	@ID		setMode
//	@Description	For the portal only (session cookie, with its `X-CSRF-Token`): sets the session's Test mode switch. Every later request made with the session sees and changes only that mode's invoices, payments, refunds, events, e-mails, webhook endpoints, API keys and request logs; every answer names the mode in its `SecureLink-Mode` header. A new session starts in test mode. API keys get `403 user_required`: a key's mode is written on it (`sk_test_…`, `sk_live_…`).
//	@Tags		Portal session
//	@Accept		json
//	@Produce	json
//	@Security	SessionCookie
//	@Param		body	body		SetModeRequest	true	"the mode"
//	@Success	200		{object}	SessionResponse
//	@Failure	400		{object}	ErrorBody
//	@Failure	401		{object}	ErrorBody
//	@Failure	403		{object}	ErrorBody
//	@Router		/auth/mode [post]
func (s *Server) setMode(c echo.Context) error {
	var req SetModeRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	if req.Livemode == nil {
		return apperr.Invalid("livemode", "missing", "livemode must be true (live data) or false (test data).")
	}
	cl, err := sessionOf(c)
	if err != nil {
		return err
	}
	if err := s.d.Merchants.SetMode(c.Request().Context(), actorOf(c), cl.SessionID, *req.Livemode); err != nil {
		return err
	}
	withMode(c, actorOf(c), *req.Livemode)
	return s.me(c)
}

// InvitationResponse describes an invitation before it is accepted.
type InvitationResponse struct {
	Email        string    `json:"email" format:"email" example:"mika@pekara.rs"`
	MerchantName string    `json:"merchant_name"`
	ExpiresAt    time.Time `json:"expires_at" format:"date-time"`
} // @name Invitation

// getInvitation godoc
//
//	@Summary	Describe an invitation
//	@ID		getInvitation
//	@Description	No authentication: the invitation token is the capability. Shows the invited e-mail and the merchant before the invitation is accepted; `409` when it was already used or has expired.
//	@Tags		Portal session
//	@Produce	json
//	@Param		token	path		string	true	"invitation token"
//	@Success	200		{object}	InvitationResponse
//	@Failure	404		{object}	ErrorBody
//	@Failure	409		{object}	ErrorBody
//	@Router		/auth/invitations/{token} [get]
func (s *Server) getInvitation(c echo.Context) error {
	info, err := s.d.Merchants.GetInvitation(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, InvitationResponse{Email: info.Email, MerchantName: info.MerchantName, ExpiresAt: info.ExpiresAt})
}

// AcceptInvitationRequest sets the password of an invited user.
type AcceptInvitationRequest struct {
	Token    string `json:"token" example:"inv_tok_3q27wXk9PzL0m4nB"`
	Password string `json:"password" minLength:"10" example:"correct horse battery"`
	Name     string `json:"name,omitempty" example:"Mika Mikić"`
} // @name AcceptInvitationRequest

// acceptInvitation godoc
//
//	@Summary	Accept an invitation: set a password and log in
//	@ID		acceptInvitation
//	@Description	No authentication: the invitation token is the capability. Sets the password (at least 10 characters) and starts a portal session, like a login.
//	@Tags		Portal session
//	@Accept		json
//	@Produce	json
//	@Param		body	body		AcceptInvitationRequest	true	"token and password"
//	@Success	200		{object}	SessionResponse
//	@Failure	400		{object}	ErrorBody
//	@Failure	404		{object}	ErrorBody
//	@Failure	409		{object}	ErrorBody
//	@Router		/auth/invitations/accept [post]
func (s *Server) acceptInvitation(c echo.Context) error {
	var req AcceptInvitationRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	if req.Token == "" {
		return apperr.Invalid("token", "missing", "token is required.")
	}
	u, err := s.d.Merchants.AcceptInvitation(c.Request().Context(), req.Token, req.Password, req.Name, clientIP(c))
	if err != nil {
		return err
	}
	return s.session(c, http.StatusOK, u, false)
}

// getMerchant godoc
//
//	@Summary	The caller's merchant and its settings
//	@ID		getMerchant
//	@Description	The merchant the API key or session belongs to, with its defaults for new invoices (`default_currency`, `default_locale`, `default_capture_mode`).
//	@Tags		Merchant
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	MerchantResponse
//	@Failure	401	{object}	ErrorBody
//	@Router		/merchant [get]
func (s *Server) getMerchant(c echo.Context) error {
	m, err := s.d.Merchants.GetMerchant(c.Request().Context(), actorOf(c).MerchantID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toMerchant(m))
}

// MerchantPatchRequest changes merchant settings; omitted fields stay as they are.
type MerchantPatchRequest struct {
	Name               *string `json:"name,omitempty" maxLength:"200"`
	LegalName          *string `json:"legal_name,omitempty" maxLength:"200"`
	Address            *string `json:"address,omitempty" maxLength:"500"`
	TaxID              *string `json:"tax_id,omitempty" maxLength:"50"`
	SupportEmail       *string `json:"support_email,omitempty"`
	NotificationEmail  *string `json:"notification_email,omitempty"`
	DefaultCurrency    *string `json:"default_currency,omitempty" example:"RSD"`
	DefaultLocale      *string `json:"default_locale,omitempty" enums:"sr-Latn,sr-Cyrl,en"`
	DefaultCaptureMode *string `json:"default_capture_mode,omitempty" enums:"automatic,manual"`
	Terms              *string `json:"terms,omitempty" maxLength:"10000"`
	PIB                *string `json:"pib,omitempty" example:"100002887"`
	MB                 *string `json:"mb,omitempty" example:"12345676"`
	IPSEnabled         *bool   `json:"ips_enabled,omitempty"`
	// IPSAccount may be typed as 160-0000000123456-54 or as 18 digits; it is stored as 18 digits.
	IPSAccount     *string `json:"ips_account,omitempty" example:"160-0000000123456-54"`
	IPSPayee       *string `json:"ips_payee,omitempty" maxLength:"70"`
	IPSPaymentCode *string `json:"ips_payment_code,omitempty" example:"221"`
	EmailAttachPDF *bool   `json:"email_attach_pdf,omitempty"`
	// AutoReturn sends the payer back to the invoice's success_url a few seconds after paying.
	AutoReturn *bool `json:"auto_return,omitempty"`
	// RemindAfterDays and RemindBeforeExpiryDays turn the automatic reminders on (days) or off (0).
	RemindAfterDays        *int `json:"remind_after_days,omitempty" minimum:"0" maximum:"365"`
	RemindBeforeExpiryDays *int `json:"remind_before_expiry_days,omitempty" minimum:"0" maximum:"365"`
	// BrandColor is "#RRGGBB"; an empty string goes back to the product's own colours.
	BrandColor *string `json:"brand_color,omitempty" example:"#1F4FD1"`
} // @name MerchantPatch

// patchMerchant godoc
//
//	@Summary	Change merchant settings
//	@ID		updateMerchant
//	@Description	Changes only the fields sent; the others keep their values.
//	@Tags		Merchant
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		body	body		MerchantPatchRequest	true	"fields to change"
//	@Success	200		{object}	MerchantResponse
//	@Failure	400		{object}	ErrorBody
//	@Router		/merchant [patch]
func (s *Server) patchMerchant(c echo.Context) error {
	var req MerchantPatchRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	m, err := s.d.Merchants.UpdateMerchant(c.Request().Context(), actorOf(c), merchants.MerchantPatch{
		Name: req.Name, LegalName: req.LegalName, Address: req.Address, TaxID: req.TaxID, SupportEmail: req.SupportEmail,
		NotificationEmail: req.NotificationEmail, DefaultCurrency: req.DefaultCurrency, DefaultLocale: req.DefaultLocale,
		DefaultCaptureMode: req.DefaultCaptureMode, Terms: req.Terms, PIB: req.PIB, MB: req.MB, IPSAccount: req.IPSAccount,
		IPSPayee: req.IPSPayee, IPSPaymentCode: req.IPSPaymentCode, IPSEnabled: req.IPSEnabled, EmailAttachPDF: req.EmailAttachPDF,
		AutoReturn: req.AutoReturn, RemindAfterDays: req.RemindAfterDays, RemindBeforeExpiryDays: req.RemindBeforeExpiryDays,
		BrandColor: req.BrandColor})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toMerchant(m))
}

// listUsers godoc
//
//	@Summary	The merchant's team
//	@ID		listUsers
//	@Description	Everyone who can log in to the merchant's portal.
//	@Tags		Merchant
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	ListResponse[UserResponse]
//	@Router		/users [get]
func (s *Server) listUsers(c echo.Context) error {
	us, err := s.d.Merchants.ListUsers(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	out := make([]UserResponse, len(us))
	for i, u := range us {
		out[i] = toUser(u)
	}
	return c.JSON(http.StatusOK, list(out, false))
}

// removeUser godoc
//
//	@Summary	Remove a team member
//	@ID		removeUser
//	@Description	Takes the user off the merchant and ends their sessions at once. Only owners may remove users; the last owner stays.
//	@Tags		Merchant
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"user id"
//	@Success	200	{object}	UserResponse
//	@Failure	400	{object}	ErrorBody
//	@Failure	403	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Failure	409	{object}	ErrorBody
//	@Router		/users/{id} [delete]
func (s *Server) removeUser(c echo.Context) error {
	u, err := s.d.Merchants.RemoveUser(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toUser(u))
}

// InviteUserRequest invites a team member.
type InviteUserRequest struct {
	Email string `json:"email" format:"email" example:"mika@pekara.rs"`
	Name  string `json:"name,omitempty"`
	Role  string `json:"role,omitempty" enums:"staff,owner"`
} // @name InviteUserRequest

// InviteUserResponse is the new user with the invitation link to hand them.
type InviteUserResponse struct {
	User          UserResponse `json:"user"`
	InvitationURL string       `json:"invitation_url" format:"uri" example:"http://localhost:8080/portal/invitations/3q27wXk9PzL0m4nB"`
	ExpiresAt     time.Time    `json:"expires_at" format:"date-time"`
} // @name InviteUserResponse

// inviteUser godoc
//
//	@Summary	Invite a team member
//	@ID		inviteUser
//	@Description	Creates a one-time invitation link (valid 7 days) for a new team member with the role given (`staff` unless `owner` is asked for). Until the invitation is accepted the user's `status` is `invited`.
//	@Tags		Merchant
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string				false	"idempotency key"
//	@Param		body			body		InviteUserRequest	true	"who to invite"
//	@Success	201				{object}	InviteUserResponse
//	@Failure	400				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Router		/users/invitations [post]
func (s *Server) inviteUser(c echo.Context) error {
	var req InviteUserRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	cr, err := s.d.Merchants.InviteUser(c.Request().Context(), actorOf(c), req.Email, req.Name, req.Role)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, InviteUserResponse{User: toUser(cr.Owner), InvitationURL: cr.InvitationURL, ExpiresAt: cr.ExpiresAt})
}

// APIKeyResponse is an API key; Secret is present only in the answer that created it.
type APIKeyResponse struct {
	ID     string `json:"id" example:"key_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"api_key"`
	// Livemode is false for test data, true for live data.
	Livemode   bool       `json:"livemode"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" example:"sk_test_AbCd"`
	Secret     string     `json:"secret,omitempty"`
	CreatedAt  time.Time  `json:"created_at" format:"date-time"`
	LastUsedAt *time.Time `json:"last_used_at" extensions:"x-nullable" format:"date-time"`
	ExpiresAt  *time.Time `json:"expires_at" extensions:"x-nullable" format:"date-time"`
	RevokedAt  *time.Time `json:"revoked_at" extensions:"x-nullable" format:"date-time"`
	// APIVersion is the version requests made with the key get without an API-Version header.
	APIVersion string `json:"api_version" example:"2026-12-02"`
} // @name APIKey

func toAPIKey(k merchants.APIKey, secret string) APIKeyResponse {
	return APIKeyResponse{ID: k.ID, Object: "api_key", Livemode: k.Livemode, Name: k.Name, Prefix: k.Prefix, Secret: secret, CreatedAt: k.CreatedAt,
		LastUsedAt: timePtr(k.LastUsedAt), ExpiresAt: timePtr(k.ExpiresAt), RevokedAt: timePtr(k.RevokedAt),
		APIVersion: k.APIVersion}
}

// CreateAPIKeyRequest names a new key.
type CreateAPIKeyRequest struct {
	Name      string `json:"name" maxLength:"100"`
	ExpiresAt string `json:"expires_at,omitempty" format:"date-time"`
	// Livemode is the new key's mode, which is always the mode of the request that creates it: a
	// test key (or the portal in test mode) creates sk_test_… keys, a live one sk_live_… keys. It
	// may be left out; given, it must match.
	Livemode *bool `json:"livemode,omitempty"`
} // @name CreateAPIKeyRequest

// createAPIKey godoc
//
//	@Summary	Create an API key (the secret is shown once)
//	@ID		createApiKey
//	@Description	The `secret` (`sk_test_…` or `sk_live_…`) is returned only in this answer; store it safely. The key works in the mode of the request that creates it: a test key, or the portal in test mode, creates test keys; a live key, or the portal switched to live, live keys. The key is pinned to the current `API-Version` (or to the `API-Version` header of this request) and every request made with it defaults to that version.
//	@Tags		API keys
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string				false	"idempotency key"
//	@Param		body			body		CreateAPIKeyRequest	true	"key name"
//	@Success	201				{object}	APIKeyResponse
//	@Failure	400				{object}	ErrorBody
//	@Router		/api-keys [post]
func (s *Server) createAPIKey(c echo.Context) error {
	var req CreateAPIKeyRequest
	if err := decode(c, &req, true); err != nil {
		return err
	}
	exp, err := parseTime("expires_at", req.ExpiresAt)
	if err != nil {
		return err
	}
	if live := actorOf(c).Livemode; req.Livemode != nil && *req.Livemode != live {
		return apperr.Invalid("livemode", "livemode_mismatch",
			"A key is created in the mode of the request: this request works in %s mode. Use a key of the other mode, or switch the portal's Test mode.",
			domain.ModeName(live))
	}
	k, err := s.d.Merchants.CreateAPIKeyPinned(c.Request().Context(), actorOf(c), req.Name, exp, requestedAPIVersion(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAPIKey(k.Key, k.Secret))
}

// listAPIKeys godoc
//
//	@Summary	The merchant's API keys (without secrets)
//	@ID		listApiKeys
//	@Description	Every key with its name, its pinned `api_version`, a masked hint of its secret, and when it was last used and revoked.
//	@Tags		API keys
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	ListResponse[APIKeyResponse]
//	@Router		/api-keys [get]
func (s *Server) listAPIKeys(c echo.Context) error {
	ks, err := s.d.Merchants.ListAPIKeys(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	out := make([]APIKeyResponse, len(ks))
	for i, k := range ks {
		out[i] = toAPIKey(k, "")
	}
	return c.JSON(http.StatusOK, list(out, false))
}

// revokeAPIKey godoc
//
//	@Summary	Revoke an API key
//	@ID		revokeApiKey
//	@Description	The key stops working at once; revoking is final.
//	@Tags		API keys
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"key id"
//	@Success	200	{object}	APIKeyResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/api-keys/{id} [delete]
func (s *Server) revokeAPIKey(c echo.Context) error {
	k, err := s.d.Merchants.RevokeAPIKey(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIKey(k, ""))
}

// AuditEntryResponse is one line of the audit log.
type AuditEntryResponse struct {
	ID     string `json:"id"`
	Object string `json:"object" example:"audit_entry"`
	// Livemode is false for test data, true for live data.
	Livemode  bool      `json:"livemode"`
	Actor     string    `json:"actor" example:"usr_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	ActorType string    `json:"actor_type" enums:"user,api_key,payer,system"`
	Action    string    `json:"action" example:"invoice.created"`
	Target    string    `json:"target"`
	IP        string    `json:"ip"`
	Details   string    `json:"details"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
} // @name AuditEntry

// listAudit godoc
//
//	@Summary	The merchant's audit log, newest first
//	@ID		listAuditLog
//	@Description	Who did what, from where: every change made through the portal or the API, newest first.
//	@Tags		Merchant
//	@Produce	json
//	@Security	BearerAuth
//	@Param		limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param		starting_after	query		string	false	"id of the last item of the previous page"	maxLength(64)
//	@Param		ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success	200				{object}	ListResponse[AuditEntryResponse]
//	@Failure	400	{object}	ErrorBody
//	@Router		/audit-log [get]
func (s *Server) listAudit(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	es, more, err := s.d.Audit.List(c.Request().Context(), actorOf(c).MerchantID, p)
	if err != nil {
		return err
	}
	out := make([]AuditEntryResponse, len(es))
	for i, e := range es {
		out[i] = AuditEntryResponse{ID: e.ID, Object: "audit_entry", Livemode: e.Livemode, Actor: e.ActorID, ActorType: string(e.ActorType), Action: e.Action,
			Target: e.Target, IP: e.IP, Details: e.Details, CreatedAt: e.CreatedAt}
	}
	return c.JSON(http.StatusOK, list(out, more))
}
