package api

import (
	"embed"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"gopkg.in/yaml.v3"
)

// docsUI is the interactive API reference served at /api/docs: our own small page, no CDN.
//
//go:embed docsui
var docsUI embed.FS

func (s *Server) openapi(c echo.Context) error {
	if len(s.d.OpenAPI) == 0 {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", s.d.OpenAPI)
}

// openapiJSON converts openapi.yaml once for the reference page.
func (s *Server) openapiJSON() ([]byte, error) {
	s.docsOnce.Do(func() {
		var doc map[string]any
		if s.docsErr = yaml.Unmarshal(s.d.OpenAPI, &doc); s.docsErr == nil {
			s.docsJSON, s.docsErr = json.Marshal(publicDocument(doc))
		}
	})
	return s.docsJSON, s.docsErr
}

type docsCache struct {
	docsOnce sync.Once
	docsJSON []byte
	docsErr  error
}

func (s *Server) apiDocs(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-cache")
	name := strings.TrimPrefix(c.Request().URL.Path, "/api/docs")
	switch name {
	case "", "/", "/index.html":
		b, _ := docsUI.ReadFile("docsui/index.html")
		return c.HTMLBlob(http.StatusOK, b)
	case "/openapi.json":
		b, err := s.openapiJSON()
		if err != nil {
			return err
		}
		return c.JSONBlob(http.StatusOK, b)
	case "/docs.js", "/docs.css", "/license.txt":
		b, _ := docsUI.ReadFile("docsui" + name)
		return c.Blob(http.StatusOK, contentType(name), b)
	}
	return echo.ErrNotFound
}
