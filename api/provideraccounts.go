package api

import (
	"errors"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/provideraccounts"
	"securelink/internal/psp"
)

// ProviderFieldResponse is one value a provider account takes.
type ProviderFieldResponse struct {
	// Key names the value in an account's values, settings and secrets; with the provider's name it
	// is stable, so a client words the field in its own language (the portal's provider_field.stripe.secret_key).
	Key string `json:"key" example:"secret_key"`
	// Secret values are write-only: stored encrypted, shown as their last four characters.
	Secret   bool `json:"secret"`
	Required bool `json:"required"`
	// Label is the field's name in English.
	Label string `json:"label" example:"Secret key (sk_live_… or sk_test_…)"`
} // @name ProviderField

// PaymentProviderResponse is a provider a merchant can connect.
type PaymentProviderResponse struct {
	Object string `json:"object" example:"payment_provider"`
	Name   string `json:"name" example:"stripe"`
	Title  string `json:"title" example:"Stripe"`
	// TestOnly providers move no real money: they can only be a test account.
	TestOnly bool                    `json:"test_only"`
	Fields   []ProviderFieldResponse `json:"fields"`
} // @name PaymentProvider

// PaymentProviderList lists the providers.
type PaymentProviderList struct {
	Object string                    `json:"object" example:"list"`
	Data   []PaymentProviderResponse `json:"data"`
} // @name PaymentProviderList

// ProviderAccountTestResponse is the last answer of "Test connection".
type ProviderAccountTestResponse struct {
	OK bool `json:"ok"`
	// Code says why the test failed, for a client to word in its own language (absent when it passed):
	// the provider refused the credentials, could not be reached, or answered with another error.
	Code string `json:"code,omitempty" enums:"credentials_refused,provider_unreachable,provider_error"`
	// Message is the provider's own words (English): what failed, or that the credentials work.
	Message  string    `json:"message" example:"The credentials work: Stripe accepted them."`
	TestedAt time.Time `json:"tested_at" format:"date-time"`
} // @name ProviderAccountTest

// ProviderAccountResponse is a merchant's account with a provider in one mode. Secrets never come
// back: each shows only its last four characters.
type ProviderAccountResponse struct {
	ID       string `json:"id" example:"pa_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object   string `json:"object" example:"provider_account"`
	Livemode bool   `json:"livemode"`
	Provider string `json:"provider" example:"stripe"`
	Status   string `json:"status" enums:"active"`
	// Settings are the account's values that are not secret.
	Settings map[string]string `json:"settings"`
	// Secrets are the secret values, masked: "••••" and the last four characters.
	Secrets map[string]string `json:"secrets" example:"secret_key:••••4xYz"`
	// WebhookURL is where to point the provider's notifications for this account.
	WebhookURL string                       `json:"webhook_url" example:"https://pay.example.com/api/v1/psp/accounts/pa_01jd4w3k5m6n7p8q9r0s1t2v3w/webhook"`
	LastTest   *ProviderAccountTestResponse `json:"last_test" extensions:"x-nullable"`
	CreatedAt  time.Time                    `json:"created_at" format:"date-time"`
} // @name ProviderAccount

// ProviderAccountRequest connects a provider account.
type ProviderAccountRequest struct {
	Provider string `json:"provider" example:"stripe"`
	// Values are the provider's fields by key (GET /providers lists them). A secret left out keeps
	// the current account's value when the provider stays the same.
	Values map[string]string `json:"values" example:"secret_key:sk_live_…,publishable_key:pk_live_…"`
} // @name ProviderAccountRequest

func (s *Server) providerAccountRoutes(g *echo.Group) {
	g.GET("/providers", s.listProviders)
	g.GET("/provider-accounts/:mode", s.getProviderAccount)
	g.PUT("/provider-accounts/:mode", s.putProviderAccount)
	g.DELETE("/provider-accounts/:mode", s.deleteProviderAccount)
	g.POST("/provider-accounts/:mode/test", s.testProviderAccount)
	g.GET("/go-live", s.goLive)
}

// maskSecret shows a secret's last four characters.
func maskSecret(last4 string) string { return "••••" + last4 }

func toProviderAccount(s *provideraccounts.Service, a provideraccounts.Account) ProviderAccountResponse {
	out := ProviderAccountResponse{ID: a.ID, Object: "provider_account", Livemode: a.Livemode, Provider: a.Provider, Status: string(a.Status),
		Settings: map[string]string{}, Secrets: map[string]string{}, WebhookURL: s.WebhookURL(a.ID), CreatedAt: a.CreatedAt}
	for k, v := range a.Settings {
		out.Settings[k] = v
	}
	for k, v := range a.SecretLast4 {
		out.Secrets[k] = maskSecret(v)
	}
	if a.LastTestAt != nil {
		out.LastTest = &ProviderAccountTestResponse{OK: a.LastTestOK, Code: a.LastTestCode, Message: a.LastTestMessage, TestedAt: *a.LastTestAt}
	}
	return out
}

// accountMode reads the {mode} of a provider-account route. An API key manages only its own mode's
// account: a test key never touches live credentials.
func accountMode(c echo.Context) (bool, error) {
	var live bool
	switch c.Param("mode") {
	case "test":
	case "live":
		live = true
	default:
		return false, apperr.Invalid("mode", "invalid_mode", "mode must be test or live.")
	}
	if a := actorOf(c); a.Type == domain.ActorAPIKey && a.Livemode != live {
		return false, apperr.Forbidden("wrong_mode", "An API key manages only the provider account of its own mode: use a "+provideraccounts.ModeName(live)+" key.")
	}
	return live, nil
}

// listProviders godoc
//
//	@Summary	The payment providers a merchant can connect
//	@ID		listProviders
//	@Description	Each provider's name, title and the values its account takes. Test-only providers (the test gateway) cannot be a live account.
//	@Tags		Provider accounts
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	PaymentProviderList
//	@Failure	401	{object}	ErrorBody
//	@Router		/providers [get]
func (s *Server) listProviders(c echo.Context) error {
	out := PaymentProviderList{Object: "list", Data: []PaymentProviderResponse{}}
	for _, p := range s.d.ProviderAccounts.Providers() {
		r := PaymentProviderResponse{Object: "payment_provider", Name: p.Name, Title: p.Title, TestOnly: p.TestOnly, Fields: []ProviderFieldResponse{}}
		for _, f := range p.Fields {
			r.Fields = append(r.Fields, ProviderFieldResponse{Key: f.Key, Secret: f.Secret, Required: f.Required, Label: f.Label})
		}
		out.Data = append(out.Data, r)
	}
	sort.Slice(out.Data, func(i, j int) bool { return out.Data[i].Name < out.Data[j].Name })
	return c.JSON(http.StatusOK, out)
}

// getProviderAccount godoc
//
//	@Summary	The merchant's provider account in a mode
//	@ID		getProviderAccount
//	@Description	Owners only (or an API key of that mode). Secrets are shown as their last four characters. 404 when the merchant has no account of its own in the mode (the deployment's default account then takes its test payments).
//	@Tags		Provider accounts
//	@Produce	json
//	@Security	BearerAuth
//	@Param		mode	path		string	true	"test or live"	Enums(test,live)
//	@Success	200		{object}	ProviderAccountResponse
//	@Failure	400		{object}	ErrorBody
//	@Failure	403		{object}	ErrorBody
//	@Failure	404		{object}	ErrorBody
//	@Router		/provider-accounts/{mode} [get]
func (s *Server) getProviderAccount(c echo.Context) error {
	live, err := accountMode(c)
	if err != nil {
		return err
	}
	a, err := s.d.ProviderAccounts.Get(c.Request().Context(), actorOf(c), live)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toProviderAccount(s.d.ProviderAccounts, a))
}

// putProviderAccount godoc
//
//	@Summary	Connect a provider account in a mode
//	@ID		putProviderAccount
//	@Description	Owners only (or an API key of that mode). Replaces the current account of the mode; payments the old account took are still captured and refunded through it. Values are checked before they are stored; secrets are stored encrypted and never returned. A live account needs a real provider and the operator's encryption key (409 encryption_key_required without it).
//	@Tags		Provider accounts
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		mode	path		string					true	"test or live"	Enums(test,live)
//	@Param		body	body		ProviderAccountRequest	true	"provider and values"
//	@Success	200		{object}	ProviderAccountResponse
//	@Failure	400		{object}	ErrorBody
//	@Failure	403		{object}	ErrorBody
//	@Failure	409		{object}	ErrorBody
//	@Failure	422		{object}	ErrorBody
//	@Router		/provider-accounts/{mode} [put]
func (s *Server) putProviderAccount(c echo.Context) error {
	var req ProviderAccountRequest
	if err := decode(c, &req, false); err != nil {
		return err
	}
	live, err := accountMode(c)
	if err != nil {
		return err
	}
	a, err := s.d.ProviderAccounts.Put(c.Request().Context(), actorOf(c), live, provideraccounts.PutInput{Provider: req.Provider, Values: req.Values})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toProviderAccount(s.d.ProviderAccounts, a))
}

// deleteProviderAccount godoc
//
//	@Summary	Disconnect the provider account of a mode
//	@ID		deleteProviderAccount
//	@Description	Owners only (or an API key of that mode). New payments of the mode then need another account (test mode falls back to the deployment's default); payments the account took are still captured and refunded through it.
//	@Tags		Provider accounts
//	@Security	BearerAuth
//	@Param		mode	path	string	true	"test or live"	Enums(test,live)
//	@Success	204
//	@Failure	400	{object}	ErrorBody
//	@Failure	403	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/provider-accounts/{mode} [delete]
func (s *Server) deleteProviderAccount(c echo.Context) error {
	live, err := accountMode(c)
	if err != nil {
		return err
	}
	if err := s.d.ProviderAccounts.Delete(c.Request().Context(), actorOf(c), live); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// testProviderAccount godoc
//
//	@Summary	Test connection: do the account's credentials work?
//	@ID		testProviderAccount
//	@Description	Calls the provider with the account's credentials (a harmless read) and says plainly whether they work. The answer is kept as the account's last_test; a live account must pass it to go live.
//	@Tags		Provider accounts
//	@Produce	json
//	@Security	BearerAuth
//	@Param		mode	path		string	true	"test or live"	Enums(test,live)
//	@Success	200		{object}	ProviderAccountTestResponse
//	@Failure	400		{object}	ErrorBody
//	@Failure	403		{object}	ErrorBody
//	@Failure	404		{object}	ErrorBody
//	@Router		/provider-accounts/{mode}/test [post]
func (s *Server) testProviderAccount(c echo.Context) error {
	live, err := accountMode(c)
	if err != nil {
		return err
	}
	r, err := s.d.ProviderAccounts.Test(c.Request().Context(), actorOf(c), live)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ProviderAccountTestResponse{OK: r.OK, Code: r.Code, Message: r.Message, TestedAt: r.TestedAt})
}

// GoLiveStepResponse is one item of the go-live checklist.
type GoLiveStepResponse struct {
	// Key names the step: profile (legal name and address), pib (the tax number, with the Serbian
	// details), live_provider (a live account that passed its connection test), terms, notification_email.
	Key  string `json:"key" enums:"profile,pib,live_provider,terms,notification_email"`
	Done bool   `json:"done"`
} // @name GoLiveStep

// GoLiveResponse is the go-live checklist.
type GoLiveResponse struct {
	Object string `json:"object" example:"go_live"`
	// Ready is true when every step is done.
	Ready bool                 `json:"ready"`
	Steps []GoLiveStepResponse `json:"steps"`
} // @name GoLive

// goLive godoc
//
//	@Summary	What is left before the merchant can take live payments
//	@ID		getGoLive
//	@Description	The go-live checklist: profile (legal name and address), PIB, a live provider account that passed its connection test, terms of sale, a notification e-mail.
//	@Tags		Provider accounts
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	GoLiveResponse
//	@Failure	401	{object}	ErrorBody
//	@Router		/go-live [get]
func (s *Server) goLive(c echo.Context) error {
	ctx := c.Request().Context()
	a := actorOf(c)
	m, err := s.d.Merchants.GetMerchant(ctx, a.MerchantID)
	if err != nil {
		return err
	}
	steps, err := s.d.ProviderAccounts.GoLive(ctx, a.MerchantID, provideraccounts.Profile{LegalName: m.LegalName, Address: m.Address,
		PIB: m.PIB, Terms: m.Terms, NotificationEmail: m.NotificationEmail})
	if err != nil {
		return err
	}
	out := GoLiveResponse{Object: "go_live", Ready: true, Steps: []GoLiveStepResponse{}}
	for _, st := range steps {
		out.Steps = append(out.Steps, GoLiveStepResponse{Key: st.Key, Done: st.Done})
		out.Ready = out.Ready && st.Done
	}
	return c.JSON(http.StatusOK, out)
}

// accountWebhook godoc
//
//	@Summary	A provider's notifications for one provider account
//	@ID		receiveProviderAccountWebhook
//	@Description	Verified with the account's own signing secret (401 and nothing changes when it does not verify); the payment named is settled by asking the provider. Only the account's own payments are touched.
//	@Tags		Provider webhooks
//	@Accept		json
//	@Produce	json
//	@Param		id	path		string	true	"provider account id"
//	@Success	200	{object}	WebhookAck
//	@Failure	400	{object}	ErrorBody
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/psp/accounts/{id}/webhook [post]
func (s *Server) accountWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	body, err := readBody(c)
	if err != nil {
		return err
	}
	p, err := s.d.ProviderAccounts.ForStoredAccount(ctx, id)
	if err != nil {
		return err
	}
	r, ok := p.(psp.WebhookReceiver)
	if !ok {
		return apperr.NotFound("webhook route")
	}
	n, err := r.ParseWebhook(c.Request().Header, body)
	if errors.Is(err, psp.ErrBadSignature) {
		return apperr.Unauthenticated("invalid_signature", "The notification is not signed with this account's secret.")
	}
	if err != nil {
		return apperr.Invalid("", "invalid_webhook", "The webhook could not be read.")
	}
	if n.Handled {
		if err := s.d.Payments.SettleFromPSP(ctx, id, n.PaymentRef, n.Reference); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, WebhookAck{Received: true})
}
