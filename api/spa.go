package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"securelink/internal/psp"
)

// spa serves one built single-page app: hashed assets cached for a year, index.html never cached
// and answered for every client-side route, each with the app's Content-Security-Policy. Assets the
// build precompressed (name.br, name.gz) are sent to clients that accept them; others get the file.
type spa struct {
	fsys  fs.FS
	index []byte
	csp   string
	name  string
	// page renders index.html for a client-side route (the checkout fills in its link's data);
	// nil, or a nil answer, sends index.html as built.
	page func(c echo.Context, rel string) []byte
	// cspFor, when set, gives a client-side route a policy of its own (the checkout of a link: only
	// its provider's origins); "" keeps csp.
	cspFor func(c echo.Context, rel string) string
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
		if s.cspFor != nil && !strings.HasPrefix(rel, "assets/") {
			if p := s.cspFor(c, rel); p != "" {
				h.Set("Content-Security-Policy", p)
			}
		}
		if strings.HasPrefix(rel, "assets/") && s.fsys != nil {
			clean := path.Clean(rel)
			if s.sendFile(c, clean, "public, max-age=31536000, immutable") {
				return nil
			}
			return echo.ErrNotFound
		}
		if rel != "" && !strings.Contains(rel, "/") && strings.Contains(rel, ".") && s.fsys != nil {
			// Top-level static files (favicon.svg, robots.txt) are served as they are.
			if s.sendFile(c, rel, "public, max-age=3600") {
				return nil
			}
		}
		h.Set("Cache-Control", "no-cache")
		if len(s.index) == 0 {
			return c.HTML(http.StatusServiceUnavailable, "<!doctype html><title>SecureLink</title><p>The "+s.name+
				" was not built into this binary. Run <code>make build</code>.</p>")
		}
		page := s.index
		if s.page != nil {
			if p := s.page(c, rel); p != nil {
				page = p
				// The page carries the link's data: no shared cache may keep it.
				h.Set("Cache-Control", "private, no-cache")
			}
		}
		return sendHTML(c, page)
	}
}

// sendFile sends a file of the app, precompressed when the client accepts it; false when missing.
func (s *spa) sendFile(c echo.Context, name, cacheControl string) bool {
	if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
		return false
	}
	b, err := fs.ReadFile(s.fsys, name)
	if err != nil {
		return false
	}
	h := c.Response().Header()
	h.Set("Cache-Control", cacheControl)
	accept := c.Request().Header.Get(echo.HeaderAcceptEncoding)
	varies := false
	for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		z, err := fs.ReadFile(s.fsys, name+enc.ext)
		if err != nil {
			continue
		}
		if !varies {
			// The file has compressed forms: caches must tell clients apart by what they accept.
			h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
			varies = true
		}
		if acceptsEncoding(accept, enc.name) {
			h.Set(echo.HeaderContentEncoding, enc.name)
			_ = c.Blob(http.StatusOK, contentType(name), z)
			return true
		}
	}
	_ = c.Blob(http.StatusOK, contentType(name), b)
	return true
}

// sendHTML sends a page, gzipped for a client that accepts it (pages are rendered per request, so
// they are compressed on the fly; they are a few kilobytes).
func sendHTML(c echo.Context, page []byte) error {
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if !acceptsEncoding(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip") {
		return c.HTMLBlob(http.StatusOK, page)
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	_, _ = w.Write(page)
	_ = w.Close()
	h.Set(echo.HeaderContentEncoding, "gzip")
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, z.Bytes())
}

// acceptsEncoding reports whether an Accept-Encoding header accepts enc (by name or *, q > 0).
func acceptsEncoding(header, enc string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch name {
		case enc:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
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

// viteManifest is the build's .vite/manifest.json: each source file's output and the chunks it imports.
type viteManifest map[string]struct {
	File    string   `json:"file"`
	Imports []string `json:"imports"`
}

// chunkFiles lists a source's output file and those of every chunk it imports, depth first.
func (m viteManifest) chunkFiles(src string) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(string)
	walk = func(k string) {
		e, ok := m[k]
		if !ok || seen[k] {
			return
		}
		seen[k] = true
		for _, i := range e.Imports {
			walk(i)
		}
		out = append(out, e.File)
	}
	walk(src)
	return out
}

func readManifest(fsys fs.FS) viteManifest {
	m := viteManifest{}
	if fsys == nil {
		return m
	}
	if b, err := fs.ReadFile(fsys, ".vite/manifest.json"); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

// spaCSP is what both apps' Content-Security-Policy starts with.
const spaCSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// checkoutCSP is the checkout's Content-Security-Policy for a provider: its own origin plus exactly
// the origins the provider's card form needs (none for a provider that declares none).
func (s *Server) checkoutCSP(provider psp.Provider) string {
	var o psp.CSPOrigins
	if cs, ok := provider.(psp.CheckoutSecurity); ok {
		o = cs.CSP()
	}
	self := originOf(s.d.BaseURL)
	list := func(first string, origins []string) string {
		out := first
		for _, v := range origins {
			if v != self && !strings.Contains(out, v) {
				out += " " + v
			}
		}
		return out
	}
	frame := list("", o.Frame)
	if frame == "" {
		frame = "'none'"
	}
	return spaCSP + "; script-src " + list("'self'", o.Script) + "; connect-src " + list("'self'", o.Connect) +
		"; frame-src " + strings.TrimSpace(frame) + "; form-action " + list("'self'", o.Form)
}

// checkoutPageCSP is the policy of the checkout page of a link: the origins of the provider that
// takes its invoice's payment. Anything else keeps the default account's.
func (s *Server) checkoutPageCSP(c echo.Context, rel string) string {
	if rel == "" || strings.ContainsAny(rel, "/.") || len(rel) > 100 {
		return ""
	}
	co, err := s.d.Invoices.ResolveLink(c.Request().Context(), rel)
	if err != nil {
		return ""
	}
	p, err := s.checkoutProvider(c, co)
	if err != nil {
		return ""
	}
	return s.checkoutCSP(p)
}

func (s *Server) spaRoutes() {
	portal := newSPA("portal", s.d.PortalFS, spaCSP+"; script-src 'self'; connect-src 'self'; form-action 'self'")
	def, _ := s.d.Providers.ForAccount(context.Background(), "")
	pay := newSPA("checkout", s.d.PayFS, s.checkoutCSP(def))
	pay.page = s.checkoutPage(pay.index, readManifest(s.d.PayFS))
	pay.cspFor = s.checkoutPageCSP
	s.e.GET("/portal", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/portal/") })
	s.e.GET("/portal/*", portal.serve("/portal/"))
	s.e.GET("/pay/*", pay.serve("/pay/"))
	s.e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/portal/") })
}
