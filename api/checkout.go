package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/psp"
)

// checkoutView is what the checkout handlers work from.
type checkoutView = invoices.Checkout

// CheckoutMerchantResponse is what a payer sees of the merchant.
type CheckoutMerchantResponse struct {
	Name         string `json:"name"`
	SupportEmail string `json:"support_email"`
	Terms        string `json:"terms"`
	// LegalName, Address, PIB and MB are the merchant's legal identity, as card schemes and consumer
	// rules ask a payment page to show; empty when the merchant has not filled them in.
	LegalName string `json:"legal_name" example:"Pekara Mika doo"`
	Address   string `json:"address" example:"Knez Mihailova 1, 11000 Beograd"`
	PIB       string `json:"pib" example:"100002887"`
	MB        string `json:"mb" example:"12345676"`
	// BrandColor colours the checkout's buttons and header ("#rrggbb"); empty: the product's own.
	// BrandTextColor is the text colour to use on it, chosen for WCAG AA contrast.
	BrandColor     string `json:"brand_color" example:"#1f4fd1"`
	BrandTextColor string `json:"brand_text_color" example:"#ffffff"`
	// LogoURL is the merchant's logo; empty when it has none.
	LogoURL string `json:"logo_url" example:"/api/v1/logos/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png"`
} // @name CheckoutMerchant

// CheckoutInvoiceResponse is what a payer sees of the invoice.
type CheckoutInvoiceResponse struct {
	Number       string `json:"number"`
	Description  string `json:"description"`
	CustomerName string `json:"customer_name"`
	Currency     string `json:"currency"`
	AmountTotal  int64  `json:"amount_total"`
	AmountVAT    int64  `json:"amount_vat"`
	// AmountDue is what is left to pay: the total less the parts and bank transfers paid.
	AmountDue int64 `json:"amount_due"`
	// AmountPaid is what earlier parts and bank transfers paid.
	AmountPaid int64 `json:"amount_paid"`
	// AllowPartial says the payer may choose the amount, from MinAmount to AmountDue; otherwise
	// MinAmount is AmountDue.
	AllowPartial bool           `json:"allow_partial"`
	MinAmount    int64          `json:"min_amount"`
	Lines        []LineResponse `json:"lines"`
} // @name CheckoutInvoice

// ProviderResponse tells the checkout how to tokenise a card.
type ProviderResponse struct {
	Name           string `json:"name" enums:"testgateway,stripe,exchange"`
	TokenizeURL    string `json:"tokenize_url,omitempty"`
	PublishableKey string `json:"publishable_key,omitempty"`
	// ScriptURL is the provider's browser SDK (AllSecure Exchange's payment.js), loaded only with the card form.
	ScriptURL string `json:"script_url,omitempty"`
	// NameRequired says the provider needs the name on the card: only then does the checkout ask it.
	NameRequired bool `json:"name_required"`
} // @name Provider

// TestCardResponse is a card number the test checkout accepts, with what paying with it does.
type TestCardResponse struct {
	Number  string `json:"number" example:"4242424242424242"`
	Brand   string `json:"brand" example:"visa"`
	Outcome string `json:"outcome" enums:"succeeds,declined,challenge,challenge_fails,refund_fails"`
	// DeclineCode is the decline a declined card (or a failed 3-D Secure) gives.
	DeclineCode string `json:"decline_code,omitempty" example:"card_declined"`
} // @name TestCard

// CheckoutResponse is what a payment link shows. Nothing internal: no ids but the link's own.
type CheckoutResponse struct {
	Object string `json:"object" example:"checkout"`
	// Livemode is false for a test invoice: the checkout says that no real money moves and lists
	// the test cards.
	Livemode    bool                     `json:"livemode"`
	Status      string                   `json:"status" enums:"open,processing,authorized,paid,partially_paid,partially_refunded,refunded,cancelled,expired"`
	LinkStatus  string                   `json:"link_status" enums:"active,deactivated,expired,completed"`
	Merchant    CheckoutMerchantResponse `json:"merchant"`
	Invoice     CheckoutInvoiceResponse  `json:"invoice"`
	Locale      string                   `json:"locale" enums:"sr-Latn,sr-Cyrl,en"`
	CaptureMode string                   `json:"capture_mode" enums:"automatic,manual"`
	Provider    ProviderResponse         `json:"provider"`
	Receipt     *ReceiptResponse         `json:"receipt" extensions:"x-nullable"`
	ExpiresAt   time.Time                `json:"expires_at" format:"date-time"`
	// IPSQR offers paying by NBS IPS QR (instant transfer) beside the card: open RSD invoices of
	// merchants that enabled it.
	IPSQR *IPSQRResponse `json:"ips_qr" extensions:"x-nullable"`
	// PDFURL is the invoice as a PDF.
	PDFURL string `json:"pdf_url" example:"/api/v1/checkout/3q2-7wX…/pdf"`
	// CardBrands are the card brands the provider accepts, shown before the card form.
	CardBrands []string `json:"card_brands" enums:"visa,mastercard,maestro,amex,dinacard"`
	// TestCards are the cards that work on a test invoice, with what each does; empty when live.
	TestCards []TestCardResponse `json:"test_cards"`
	// ReturnURL takes the payer back to the merchant's site after paying: the invoice's success_url
	// with invoice, payment, status, amount, currency, ts and signature added; empty when the
	// invoice has none or is not paid.
	ReturnURL string `json:"return_url,omitempty" format:"uri" example:"https://shop.example/thanks?amount=240000&currency=RSD&invoice=inv_01jd4w3k5m6n7p8q9r0s1t2v3w&payment=pay_01jd4w3k5m6n7p8q9r0s1t2v3w&signature=5d41402abc4b2a76b9719d911017c592ae8d3f1c2d0e7a9b3c4d5e6f70819203&status=captured&ts=1767225600"`
	// CancelURL is the invoice's cancel_url, signed the same way (payment empty), while it can be paid.
	CancelURL string `json:"cancel_url,omitempty" format:"uri"`
	// AutoReturn asks the checkout to follow ReturnURL by itself a few seconds after paying.
	AutoReturn bool `json:"auto_return"`
} // @name Checkout

func (s *Server) toCheckout(co checkoutView, provider psp.Provider) CheckoutResponse {
	inv := co.Invoice
	cfg := provider.ClientConfig()
	brands := cfg.CardBrands
	if brands == nil {
		brands = []string{}
	}
	return CheckoutResponse{Object: "checkout", Status: string(inv.Status), LinkStatus: string(co.Link.Status),
		Merchant: CheckoutMerchantResponse{Name: co.Merchant.Name, SupportEmail: co.Merchant.SupportEmail, Terms: co.Merchant.Terms,
			LegalName: co.Merchant.LegalName, Address: co.Merchant.Address, PIB: co.Merchant.PIB, MB: co.Merchant.MB,
			LogoURL: logoPath(co.Merchant.LogoFile), BrandColor: co.Merchant.BrandColor, BrandTextColor: domain.BrandTextColor(co.Merchant.BrandColor)},
		Invoice: CheckoutInvoiceResponse{Number: inv.Number, Description: inv.Description, CustomerName: inv.Customer.Name,
			Currency: inv.Currency, AmountTotal: inv.AmountTotal, AmountVAT: inv.AmountVAT, AmountDue: inv.AmountDue(),
			AmountPaid: inv.AmountPaid, AllowPartial: inv.AllowPartial, MinAmount: inv.MinPayment(), Lines: toLines(inv.Lines)},
		Locale: inv.Locale, CaptureMode: string(inv.CaptureMode),
		Provider: ProviderResponse{Name: cfg.Name, TokenizeURL: cfg.TokenizeURL, PublishableKey: cfg.PublishableKey,
			ScriptURL: cfg.ScriptURL, NameRequired: cfg.NeedsHolderName},
		ExpiresAt: co.Link.ExpiresAt, PDFURL: s.checkoutURL(co.Link.Token, "/pdf"), CardBrands: brands, Livemode: inv.Livemode,
		TestCards: testCards(provider, inv.Livemode)}
}

// testCards lists the provider's test cards for a test invoice, none for a live one.
func testCards(provider psp.Provider, livemode bool) []TestCardResponse {
	out := []TestCardResponse{}
	l, ok := provider.(psp.TestCardLister)
	if livemode || !ok {
		return out
	}
	for _, c := range l.TestCards() {
		out = append(out, TestCardResponse{Number: c.Number, Brand: c.Brand, Outcome: string(c.Outcome), DeclineCode: string(c.DeclineCode)})
	}
	return out
}

// checkoutProvider is the provider that takes the payments of a checkout's invoice: its merchant's
// account in the invoice's mode.
func (s *Server) checkoutProvider(c echo.Context, co checkoutView) (psp.Provider, error) {
	p, _, err := s.d.Providers.ForNewPayment(c.Request().Context(), co.Invoice.MerchantID, co.Invoice.Livemode)
	return p, err
}

// getCheckout godoc
//
//	@Summary	What the payer sees through a payment link
//	@ID		getCheckout
//	@Description	No authentication: the link token is the capability. After payment the receipt is included.
//	@Tags		Checkout
//	@Produce	json
//	@Param		token	path		string	true	"link token"
//	@Success	200		{object}	CheckoutResponse
//	@Failure	404		{object}	ErrorBody
//	@Router		/checkout/{token} [get]
func (s *Server) getCheckout(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	co, err := s.d.Invoices.ResolveLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	out, err := s.checkoutResponse(c, co)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// checkoutResponse is what GET /checkout/{token} answers for a resolved link (the checkout page
// embeds the same).
func (s *Server) checkoutResponse(c echo.Context, co checkoutView) (CheckoutResponse, error) {
	provider, err := s.checkoutProvider(c, co)
	if err != nil {
		return CheckoutResponse{}, err
	}
	out := s.toCheckout(co, provider)
	if q, ok := invoices.PaymentQR(co.Invoice, co.Merchant); ok && co.Link.Status == domain.LinkActive {
		out.IPSQR = toIPSQR(q, s.checkoutURL(co.Link.Token, "/ips-qr.svg"))
	}
	if err := s.addCheckoutReceipt(c, co, &out); err != nil {
		return CheckoutResponse{}, err
	}
	s.addReturnURLs(co, &out)
	return out, nil
}
