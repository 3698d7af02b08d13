package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/merchants"
)

// APIVersionHeader asks for a dated API version; every authenticated answer names the version
// that produced it.
const APIVersionHeader = "API-Version"

const (
	ctxAPIKey     = "securelink.api_key"
	ctxAPIVersion = "securelink.api_version"
)

// withAPIVersion resolves the API version of a request: the API-Version header when sent (an
// unknown one is a 400 naming the header), else the version the API key was pinned to when it was
// created; portal sessions always get the latest.
func withAPIVersion(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		v := strings.TrimSpace(c.Request().Header.Get(APIVersionHeader))
		switch {
		case v != "":
			if !domain.ValidAPIVersion(v) {
				return apperr.Invalid(APIVersionHeader, "invalid_api_version",
					"API-Version %q is not a version of this API; use one of %s.", truncate(v, 40), strings.Join(domain.APIVersions, ", "))
			}
		case apiKeyOf(c).APIVersion != "":
			v = apiKeyOf(c).APIVersion
		default:
			v = domain.APIVersionLatest
		}
		c.Set(ctxAPIVersion, v)
		c.Response().Header().Set(APIVersionHeader, v)
		return next(c)
	}
}

// apiKeyOf returns the API key a request authenticated with (zero for a portal session).
func apiKeyOf(c echo.Context) merchants.APIKey {
	k, _ := c.Get(ctxAPIKey).(merchants.APIKey)
	return k
}

// apiVersionOf returns the version withAPIVersion resolved ("" before it ran).
func apiVersionOf(c echo.Context) string {
	v, _ := c.Get(ctxAPIVersion).(string)
	return v
}

// requestedAPIVersion is the version a new API key is pinned to: the one the request asked for
// with the header, else the latest.
func requestedAPIVersion(c echo.Context) string {
	if c.Request().Header.Get(APIVersionHeader) != "" {
		return apiVersionOf(c)
	}
	return domain.APIVersionLatest
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
