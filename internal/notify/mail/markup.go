package mail

import "strings"

// markup writes an e-mail's HTML: the markup itself as written, every value escaped for where it
// goes, with the same rules (and so the same bytes) as html/template. The e-mails are written in Go
// rather than executed from templates because rendering the receipts of a busy shop was 16–20 % of
// the server's CPU (bench, PostgreSQL), almost all of it the template engine's reflection.
type markup struct{ strings.Builder }

// tag writes literal markup.
func (m *markup) tag(s string) { m.WriteString(s) }

// text writes a value into element content or a quoted attribute. Every character it escapes is
// ASCII, so it walks bytes: no byte of a multi-byte UTF-8 character can match one.
func (m *markup) text(s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		if repl := htmlEscape(s[i]); repl != "" {
			m.WriteString(s[written:i])
			m.WriteString(repl)
			written = i + 1
		}
	}
	m.WriteString(s[written:])
}

// htmlEscape is what a character becomes in HTML text or a quoted attribute ("" for itself).
func htmlEscape(c byte) string {
	switch c {
	case 0:
		return "\uFFFD"
	case '"':
		return "&#34;"
	case '&':
		return "&amp;"
	case '\'':
		return "&#39;"
	case '+':
		return "&#43;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	}
	return ""
}

// url writes a value into an href or src attribute: a URL of any scheme but http, https and mailto
// becomes "#ZgotmplZ", bytes a URL may not hold are percent-encoded (escapes already there are kept),
// and the result is escaped as an attribute.
func (m *markup) url(s string) {
	if !safeURL(s) {
		m.WriteString("#ZgotmplZ")
		return
	}
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !urlKeeps(c) && !(c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])) {
			b.WriteString(s[written:i])
			b.WriteByte('%')
			b.WriteByte(lowerHex[c>>4])
			b.WriteByte(lowerHex[c&0xf])
			written = i + 1
		}
	}
	b.WriteString(s[written:])
	m.text(b.String())
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

const lowerHex = "0123456789abcdef"

// safeURL reports whether s is relative or of a scheme an e-mail may link to.
func safeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

// urlKeeps reports whether a URL keeps byte c as it is: letters, digits, the unreserved marks and the
// reserved delimiters. ('%' stays only as the start of an escape already there.)
func urlKeeps(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0
}

// open writes the document's head and the start of its one card; cardStyle adds to the card's style.
func (m *markup) open(lang, title, cardStyle string) {
	m.tag("<!DOCTYPE html>\n<html lang=\"")
	m.text(lang)
	m.tag(`">` + "\n" + `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>`)
	m.text(title)
	m.tag("</title></head>\n" + `<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933">` + "\n" +
		`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px`)
	m.text(cardStyle)
	m.tag(`">` + "\n<tr><td>\n")
}

// close ends the card and the document.
func (m *markup) close() { m.tag("</td></tr>\n</table>\n</body>\n</html>\n") }

// wrap writes a value, escaped, between two pieces of markup.
func (m *markup) wrap(open, value, close string) {
	m.tag(open)
	m.text(value)
	m.tag(close)
}

// paragraph writes a paragraph of text on its own line.
func (m *markup) paragraph(style, text string) { m.wrap(`<p style="`+style+`">`, text, "</p>\n") }

// button writes the e-mail's call to action: a link drawn as a button in the accent colour.
func (m *markup) button(href, accent, accentText, label string) {
	m.tag(`<p style="margin:0 0 8px"><a href="`)
	m.url(href)
	m.wrap(`" style="display:inline-block;background:`, accent, ";color:")
	m.wrap("", accentText, `;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:bold">`)
	m.wrap("", label, "</a></p>\n")
}

// linkHint writes the button's address again as a plain link, for clients that show no buttons.
func (m *markup) linkHint(hint, href string) {
	m.wrap(`<p style="margin:0 0 4px;font-size:13px;color:#52606d">`, hint, `<br><a href="`)
	m.url(href)
	m.wrap(`" style="color:#1a56db;word-break:break-all">`, href, "</a></p>\n")
}
