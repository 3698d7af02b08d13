// Package api is SecureLink's HTTP layer: routes, handlers with their request and response types,
// middleware and the one error handler. Handlers decode, call a use case and encode.
//
//	@title						SecureLink API
//	@version					1.0
//	@description				Pay-by-link: create invoices, share payment links, take card payments, capture, void and refund.
//	@description				Authenticate with a secret API key (`Authorization: Bearer sk_test_…`) or, in the portal, the session cookie plus `X-CSRF-Token`.
//	@license.name				Proprietary
//	@BasePath					/api/v1
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				A secret API key: `Authorization: Bearer sk_test_…`.
//	@securityDefinitions.apikey	SessionCookie
//	@in							header
//	@name						Cookie
//	@description				The portal's session cookie; unsafe methods also need the session's `X-CSRF-Token` header.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"securelink/internal/audit"
	"securelink/internal/auth"
	"securelink/internal/idempotency"
	"securelink/internal/invoices"
	"securelink/internal/merchants"
	"securelink/internal/notify"
	"securelink/internal/paymentlinks"
	"securelink/internal/payments"
	"securelink/internal/provideraccounts"
	"securelink/internal/requestlog"
	"securelink/internal/statements"
)

// Pinger checks a dependency for /readyz.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is everything the HTTP layer calls.
type Deps struct {
	BaseURL   string
	DB        Pinger
	Merchants *merchants.Service
	Invoices  *invoices.Service
	Payments  *payments.Service
	// PaymentLinks serves the reusable payment links.
	PaymentLinks *paymentlinks.Service
	// Statements imports bank statements.
	Statements *statements.Service
	// Providers finds the provider account of each merchant and mode: the checkout's card form and
	// CSP, and the provider webhooks.
	Providers payments.Providers
	// ProviderAccounts manages the merchants' provider accounts.
	ProviderAccounts *provideraccounts.Service
	Audit            *audit.Log
	Sessions         *auth.Sessions
	Idempotency      idempotency.Store
	// IdempotencyLease is how long an in-flight Idempotency-Key outlives a request that died
	// (zero: idempotency.DefaultLease).
	IdempotencyLease time.Duration
	// Notify serves e-mails, events and webhook endpoints.
	Notify *notify.Service
	// Registry collects the metrics /metrics serves.
	Registry *prometheus.Registry
	// MetricsElsewhere keeps /metrics off the main address: it is served on its own
	// (SECURELINK_METRICS_ADDR), so it need not be public.
	MetricsElsewhere bool
	// Gateway is the built-in test gateway, mounted at /gateway/v1 when set.
	Gateway http.Handler
	// PortalFS and PayFS are the built SPAs (their dist folders); OpenAPI is openapi.yaml.
	PortalFS fs.FS
	PayFS    fs.FS
	OpenAPI  []byte
	// RequestLog keeps the merchants' request logs (API-key requests only); nil turns them off.
	RequestLog *requestlog.Log
	// APIRateLimit is how many requests each API key may make per minute; 0 turns the limit off.
	APIRateLimit int
	// Log receives request logs and the causes of 5xx answers; nil means slog's default.
	Log *slog.Logger
	// IsUnavailable tells a database that cannot serve now (no connection to be had) from a failure:
	// such requests answer 503 with Retry-After.
	IsUnavailable func(error) bool
	// TrustProxy takes client addresses from X-Forwarded-For (behind a load balancer); otherwise
	// the header is ignored so nobody can dodge per-address limits by forging it.
	TrustProxy bool
}

// Server is the HTTP application.
type Server struct {
	docsCache
	d       Deps
	e       *echo.Echo
	metrics *metrics
	limiter *keyLimiter
	// orders limits the orders one client address makes through reusable links.
	orders *keyLimiter
}

// New builds the router with every route.
func New(d Deps) *Server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	if d.Log == nil {
		d.Log = slog.Default()
	}
	e.IPExtractor = echo.ExtractIPDirect()
	if d.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s := &Server{d: d, e: e, metrics: newMetrics(d.Registry, d.Log), orders: newKeyLimiter(OrdersPerMinute)}
	e.HTTPErrorHandler = s.handleError
	if d.APIRateLimit > 0 {
		s.limiter = newKeyLimiter(d.APIRateLimit)
	}
	e.Use(withRequestID, s.metrics.observe, recoverPanics, securityHeaders, guardInput)
	s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// Echo exposes the router (for route listings in tests).
func (s *Server) Echo() *echo.Echo { return s.e }

func (s *Server) routes() {
	e := s.e
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if !s.d.MetricsElsewhere {
		e.GET("/metrics", echo.WrapHandler(s.MetricsHandler()))
	}
	e.GET("/openapi.yaml", s.openapi)
	e.GET("/api/docs", s.apiDocs)
	e.GET("/api/docs/*", s.apiDocs)

	v1 := e.Group("/api/v1")

	// Public: login, invitations, the checkout (the link token is the capability).
	v1.POST("/auth/login", s.login)
	v1.POST("/auth/logout", s.logout)
	v1.GET("/auth/invitations/:token", s.getInvitation)
	v1.GET("/currencies", s.listCurrencies)
	v1.POST("/auth/invitations/accept", s.acceptInvitation)
	v1.POST("/auth/password-reset", s.requestPasswordReset)
	v1.POST("/auth/password-reset/confirm", s.confirmPasswordReset)
	pub := v1.Group("", s.idempotent)
	pub.GET("/checkout/:token", s.getCheckout)
	v1.GET("/logos/:file", s.getLogo)
	s.checkoutPayRoutes(v1, pub)

	// Merchant resources: API key or session (+ CSRF), idempotent POSTs.
	m := v1.Group("", s.authenticate, s.logRequests, s.rateLimit, withAPIVersion, s.idempotent)
	m.GET("/me", s.me, requireUser)
	m.POST("/auth/logout-everywhere", s.logoutEverywhere, requireUser)
	m.POST("/auth/password", s.changePassword, requireUser)
	m.POST("/auth/mode", s.setMode, requireUser)
	m.GET("/merchant", s.getMerchant)
	m.PATCH("/merchant", s.patchMerchant)
	m.PUT("/merchant/logo", s.putMerchantLogo)
	m.DELETE("/merchant/logo", s.deleteMerchantLogo)
	m.POST("/merchant/return-secret", s.rotateReturnSecret)
	m.GET("/users", s.listUsers)
	m.POST("/users/invitations", s.inviteUser)
	m.DELETE("/users/:id", s.removeUser)
	m.GET("/api-keys", s.listAPIKeys)
	m.POST("/api-keys", s.createAPIKey)
	m.DELETE("/api-keys/:id", s.revokeAPIKey)
	m.GET("/audit-log", s.listAudit)
	m.POST("/invoices", s.createInvoice)
	m.GET("/invoices", s.listInvoices)
	m.GET("/invoices/summary", s.summariseInvoices)
	m.GET("/invoices/:id", s.getInvoice)
	m.POST("/invoices/:id/cancel", s.cancelInvoice)
	m.POST("/invoices/:id/send", s.sendInvoice)
	m.POST("/invoices/:id/remind", s.remindInvoice)
	m.POST("/invoices/:id/links", s.newLink)
	m.POST("/links/:id/deactivate", s.deactivateLink)
	s.paymentRoutes(m)
	s.paymentLinkRoutes(pub, m)
	s.notifyRoutes(m)
	s.requestLogRoutes(m)
	s.serbiaRoutes(pub, m)
	s.providerAccountRoutes(m)

	if s.d.Gateway != nil {
		e.Any("/gateway/v1/*", echo.WrapHandler(s.d.Gateway))
	}
	s.spaRoutes()
	e.RouteNotFound("/api/*", func(echo.Context) error { return echo.ErrNotFound })
}

// Health answers liveness and readiness probes.
type Health struct {
	Status string `json:"status" example:"ok"`
} // @name Health

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.d.DB.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, Health{Status: "database unavailable"})
	}
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// MetricsHandler serves the Prometheus metrics, on the main address or on SECURELINK_METRICS_ADDR.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.d.Registry, promhttp.HandlerOpts{})
}
