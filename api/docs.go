package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) openapi(c echo.Context) error {
	if len(s.d.OpenAPI) == 0 {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", s.d.OpenAPI)
}

func (s *Server) apiDocs(c echo.Context) error {
	return c.HTML(http.StatusOK, `<!doctype html><title>SecureLink API</title><p><a href="/openapi.yaml">openapi.yaml</a></p>`)
}
