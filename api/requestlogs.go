package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/requestlog"
)

// RequestLogResponse is one API request of the merchant's request log.
type RequestLogResponse struct {
	ID     string `json:"id" example:"rl_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"request_log"`
	// Livemode is false for test data, true for live data.
	Livemode bool   `json:"livemode"`
	Method   string `json:"method" example:"POST"`
	// Path is the URL path, without the query string.
	Path       string    `json:"path" example:"/api/v1/invoices"`
	Status     int       `json:"status" example:"201"`
	RequestID  string    `json:"request_id" example:"req_8f3kq0a1b2c3d4e5"`
	APIKeyID   string    `json:"api_key_id" example:"key_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	APIVersion string    `json:"api_version" example:"2026-12-02"`
	DurationMS int64     `json:"duration_ms" example:"12"`
	CreatedAt  time.Time `json:"created_at" format:"date-time"`
} // @name RequestLog

// maxLoggedPath bounds the path kept per request.
const maxLoggedPath = 300

// logRequests records every request made with an API key in the merchant's request log, after
// its answer is written (so the status is the one the caller got). Only the method, path, status,
// request id, key and version are kept: never a body, a query string or a header.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := actorOf(c)
		if s.d.RequestLog == nil || a.Type != domain.ActorAPIKey {
			return next(c)
		}
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		r := c.Request()
		s.d.RequestLog.Record(requestlog.Entry{MerchantID: a.MerchantID, Livemode: a.Livemode, APIKeyID: a.ID, Method: r.Method,
			Path: truncate(r.URL.Path, maxLoggedPath), Status: c.Response().Status, RequestID: requestID(c),
			APIVersion: apiVersionOf(c), Duration: time.Since(start)})
		return nil
	}
}

// requestLogRoutes adds the merchant's request log.
func (s *Server) requestLogRoutes(g *echo.Group) {
	g.GET("/request-logs", s.listRequestLogs)
}

// listRequestLogs godoc
//
//	@Summary		List the API requests made with the merchant's keys, newest first
//	@ID				listRequestLogs
//	@Description	The last 30 days of requests made with the merchant's API keys: method, path, status, request id, key, API version and duration. Bodies, query strings and headers are never kept. Entries appear within a second or two of the request. Quote a `request_id` when you contact support.
//	@Tags			Request logs
//	@Produce		json
//	@Security		BearerAuth
//	@Param			failed			query		bool	false	"only answers with status 400 and above"
//	@Param			limit			query		int		false	"1–100, default 20"	minimum(1)	maximum(100)	default(20)
//	@Param			starting_after	query		string	false	"id of the last entry of the previous page"	maxLength(64)
//	@Param			ending_before	query		string	false	"id of the first item of the page you have: the newer items just before it (the previous page)"	maxLength(64)
//	@Success		200				{object}	ListResponse[RequestLogResponse]
//	@Failure		400				{object}	ErrorBody
//	@Router			/request-logs [get]
func (s *Server) listRequestLogs(c echo.Context) error {
	p, err := pageParams(c)
	if err != nil {
		return err
	}
	f := requestlog.Filter{Page: p}
	switch c.QueryParam("failed") {
	case "", "false":
	case "true":
		f.Failed = true
	default:
		return apperr.Invalid("failed", "invalid_boolean", "failed must be true or false.")
	}
	es, more, err := s.d.RequestLog.List(c.Request().Context(), actorOf(c).MerchantID, f)
	if err != nil {
		return err
	}
	out := make([]RequestLogResponse, len(es))
	for i, e := range es {
		out[i] = RequestLogResponse{ID: e.ID, Object: "request_log", Livemode: e.Livemode, Method: e.Method, Path: e.Path, Status: e.Status,
			RequestID: e.RequestID, APIKeyID: e.APIKeyID, APIVersion: e.APIVersion, DurationMS: e.Duration.Milliseconds(),
			CreatedAt: e.CreatedAt}
	}
	return c.JSON(http.StatusOK, list(out, more))
}
