package merchants

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG for image.DecodeConfig
	_ "image/png"  // registers PNG for image.DecodeConfig
	"io"
	"regexp"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

// MaxLogoBytes bounds an uploaded logo: it is sent with every checkout, receipt and e-mail.
const MaxLogoBytes = 256 << 10

// MaxLogoSide bounds a raster logo's width and height in pixels.
const MaxLogoSide = 4096

// Logo is a merchant's logo as stored. File is "<sha-256 of Data>.<ext>": the name it is served
// under, so that a new logo has a new address and the old one may be cached for a year.
type Logo struct {
	MerchantID  string
	File        string
	ContentType string
	Data        []byte
	CreatedAt   time.Time
}

// LogoStore is the storage of logos.
type LogoStore interface {
	// SetLogo replaces the merchant's logo and its merchants.logo_file in one transaction.
	SetLogo(ctx context.Context, l Logo) error
	// DeleteLogo removes the merchant's logo; no logo is not an error.
	DeleteLogo(ctx context.Context, merchantID string) error
	// LogoByFile returns a logo by its file name; apperr.ErrNotFound when no merchant has it.
	LogoByFile(ctx context.Context, file string) (Logo, error)
}

// LogoErrorCodes are the codes a refused logo gets; the portal's logo settings explain each in
// words of their own (a test checks they agree).
var LogoErrorCodes = []string{"logo_missing", "logo_too_large", "logo_type", "logo_unreadable", "logo_dimensions", "logo_svg_refused"}

// logoFile is the shape of a logo's file name.
var logoFile = regexp.MustCompile(`^[0-9a-f]{64}\.(png|jpg|svg)$`)

// CheckLogo says what an uploaded image is: PNG, JPEG or a plain SVG drawing. Anything else, an
// image over MaxLogoBytes or larger than MaxLogoSide, and an SVG that could run script or load
// anything (script, foreignObject, event handlers, external references, entities) is refused.
func CheckLogo(data []byte) (contentType, ext string, err error) {
	if len(data) == 0 {
		return "", "", apperr.Invalid("logo", "logo_missing", "Send the image as the request body.")
	}
	if len(data) > MaxLogoBytes {
		return "", "", apperr.Invalid("logo", "logo_too_large", "The logo is %d KB; at most %d KB is accepted.",
			(len(data)+1023)/1024, MaxLogoBytes/1024)
	}
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		contentType, ext = "image/png", "png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		contentType, ext = "image/jpeg", "jpg"
	default:
		if err := checkSVG(data); err != nil {
			return "", "", err
		}
		return "image/svg+xml", "svg", nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", "", apperr.Invalid("logo", "logo_unreadable", "The %s image could not be read.", strings.ToUpper(ext))
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide {
		return "", "", apperr.Invalid("logo", "logo_dimensions", "The logo is %d×%d pixels; each side must be 1 to %d.",
			cfg.Width, cfg.Height, MaxLogoSide)
	}
	return contentType, ext, nil
}

// svgElements are the elements a logo may use: shapes, text, gradients, clipping and reuse of
// its own parts. No script, foreignObject, image, animation, style sheet, link or iframe.
var svgElements = map[string]bool{
	"svg": true, "g": true, "defs": true, "title": true, "desc": true, "symbol": true, "use": true,
	"path": true, "rect": true, "circle": true, "ellipse": true, "line": true, "polyline": true, "polygon": true,
	"text": true, "tspan": true, "textPath": true, "linearGradient": true, "radialGradient": true, "stop": true,
	"clipPath": true, "mask": true, "pattern": true, "metadata": true,
}

// checkSVG accepts an SVG drawing that cannot do anything but draw: every element is on the list
// above, no attribute is an event handler, references point inside the document only, and no style
// loads anything. A document type (and so any entity) is refused.
func checkSVG(data []byte) error {
	refuse := func(why string) error {
		return apperr.Invalid("logo", "logo_svg_refused", "The SVG logo was refused: %s. Upload a PNG or a plain SVG drawing.", why)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = map[string]string{}
	root := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root {
				return apperr.Invalid("logo", "logo_type", "The logo must be a PNG, a JPEG or an SVG image.")
			}
			return refuse("it is not well-formed XML")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root && (t.Name.Local != "svg" || t.Name.Space != "http://www.w3.org/2000/svg") {
				return apperr.Invalid("logo", "logo_type", "The logo must be a PNG, a JPEG or an SVG image.")
			}
			root = false
			if t.Name.Space != "http://www.w3.org/2000/svg" || !svgElements[t.Name.Local] {
				return refuse(fmt.Sprintf("it contains a <%s> element", t.Name.Local))
			}
			for _, a := range t.Attr {
				if err := checkSVGAttr(a); err != "" {
					return refuse(err)
				}
			}
		case xml.Directive:
			return refuse("it declares a document type or entities")
		case xml.ProcInst:
			if t.Target != "xml" {
				return refuse("it contains a processing instruction")
			}
		case xml.CharData:
			if root && len(bytes.TrimSpace(t)) > 0 {
				return apperr.Invalid("logo", "logo_type", "The logo must be a PNG, a JPEG or an SVG image.")
			}
		case xml.EndElement, xml.Comment:
		}
	}
	if root {
		return apperr.Invalid("logo", "logo_type", "The logo must be a PNG, a JPEG or an SVG image.")
	}
	return nil
}

// checkSVGAttr returns why an attribute is refused, or "".
func checkSVGAttr(a xml.Attr) string {
	name := strings.ToLower(a.Name.Local)
	value := strings.ToLower(strings.Join(strings.Fields(a.Value), ""))
	switch {
	case strings.HasPrefix(name, "on"):
		return "it has an event handler (" + a.Name.Local + ")"
	case name == "href" || name == "src":
		if !strings.HasPrefix(value, "#") {
			return "it refers to something outside itself"
		}
	case name == "style":
		if badCSS(value) {
			return "its style loads something or runs script"
		}
	}
	if strings.Contains(value, "javascript:") || strings.Contains(value, "data:") {
		return "an attribute holds a script or data address"
	}
	if strings.Contains(value, "url(") && badCSS(value) {
		return "it refers to something outside itself"
	}
	return ""
}

// badCSS reports a style that imports, loads a URL other than a fragment, or runs an expression.
func badCSS(v string) bool {
	if strings.Contains(v, "@import") || strings.Contains(v, "expression(") || strings.Contains(v, "behavior") {
		return true
	}
	for _, part := range strings.Split(v, "url(")[1:] {
		p := strings.TrimLeft(part, `'"`)
		if !strings.HasPrefix(p, "#") {
			return true
		}
	}
	return false
}

// LogoFileName is the file name a logo is served under.
func LogoFileName(data []byte, ext string) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) + "." + ext
}

// SetLogo checks and stores the actor's merchant's logo, replacing any earlier one.
func (s *Service) SetLogo(ctx context.Context, actor domain.Actor, data []byte) (Logo, error) {
	ct, ext, err := CheckLogo(data)
	if err != nil {
		return Logo{}, err
	}
	l := Logo{MerchantID: actor.MerchantID, File: LogoFileName(data, ext), ContentType: ct, Data: data, CreatedAt: s.now()}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Logos.SetLogo(ctx, l); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "merchant.logo_updated", actor.MerchantID, map[string]any{"file": l.File})
	})
	if err != nil {
		return Logo{}, err
	}
	return l, nil
}

// RemoveLogo removes the actor's merchant's logo.
func (s *Service) RemoveLogo(ctx context.Context, actor domain.Actor) error {
	return s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Logos.DeleteLogo(ctx, actor.MerchantID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "merchant.logo_removed", actor.MerchantID, nil)
	})
}

// LogoByFile returns a logo by the file name it is served under.
func (s *Service) LogoByFile(ctx context.Context, file string) (Logo, error) {
	if !logoFile.MatchString(file) {
		return Logo{}, apperr.NotFound("logo")
	}
	l, err := s.Logos.LogoByFile(ctx, file)
	if errors.Is(err, apperr.ErrNotFound) {
		return Logo{}, apperr.NotFound("logo")
	}
	return l, err
}
