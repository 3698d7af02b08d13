package api

import (
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// spa serves one built single-page app: hashed assets cached for a year, index.html never cached
// and answered for every client-side route, each with the app's Content-Security-Policy.
type spa struct {
	fsys  fs.FS
	index []byte
	csp   string
	name  string
}

func newSPA(name string, fsys fs.FS, csp string) *spa {
	s := &spa{fsys: fsys, csp: csp, name: name}
	if fsys != nil {
		s.index, _ = fs.ReadFile(fsys, "index.html")
	}
	return s
}

func (s *spa) serve(prefix string) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", s.csp)
		h.Set("Referrer-Policy", "no-referrer")
		rel := strings.TrimPrefix(c.Request().URL.Path, prefix)
		if strings.HasPrefix(rel, "assets/") && s.fsys != nil {
			clean := path.Clean(rel)
			if b, err := fs.ReadFile(s.fsys, clean); err == nil {
				h.Set("Cache-Control", "public, max-age=31536000, immutable")
				return c.Blob(http.StatusOK, contentType(clean), b)
			}
			return echo.ErrNotFound
		}
		if rel != "" && !strings.Contains(rel, "/") && strings.Contains(rel, ".") && s.fsys != nil {
			// Top-level static files (favicon.svg, robots.txt) are served as they are.
			if b, err := fs.ReadFile(s.fsys, rel); err == nil {
				h.Set("Cache-Control", "public, max-age=3600")
				return c.Blob(http.StatusOK, contentType(rel), b)
			}
		}
		h.Set("Cache-Control", "no-cache")
		if len(s.index) == 0 {
			return c.HTML(http.StatusServiceUnavailable, "<!doctype html><title>SecureLink</title><p>The "+s.name+
				" was not built into this binary. Run <code>make build</code>.</p>")
		}
		return c.HTMLBlob(http.StatusOK, s.index)
	}
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".json", ".map":
		return "application/json"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// originOf returns scheme://host of a URL, or "" when it has none.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func (s *Server) spaRoutes() {
	const common = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
	portal := newSPA("portal", s.d.PortalFS, common+"; script-src 'self'; connect-src 'self'; form-action 'self'")
	connect, script, frame, form := "'self'", "'self'", "'none'", "'self'"
	if o := originOf(s.d.Provider.TokenizeURL); o != "" && o != originOf(s.d.BaseURL) {
		connect += " " + o
		form += " " + o
	}
	if s.d.Provider.Name == "stripe" {
		script += " https://js.stripe.com"
		connect += " https://api.stripe.com"
		frame = "https://js.stripe.com https://hooks.stripe.com"
	}
	pay := newSPA("checkout", s.d.PayFS, common+"; script-src "+script+"; connect-src "+connect+"; frame-src "+frame+"; form-action "+form)
	s.e.GET("/portal", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/portal/") })
	s.e.GET("/portal/*", portal.serve("/portal/"))
	s.e.GET("/pay/*", pay.serve("/pay/"))
	s.e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/portal/") })
}
