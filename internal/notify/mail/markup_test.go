package mail

import (
	htmltemplate "html/template"
	"strings"
	"testing"
)

// escapedByTemplate is how html/template writes s as an element's text and as a link's address.
var escapedByTemplate = htmltemplate.Must(htmltemplate.New("").Parse(`<p>{{.}}</p><a href="{{.}}">`))

// FuzzMarkupEscapesLikeHTMLTemplate: the e-mails' hand-written HTML escapes text and checks links
// exactly as html/template would, for any value a merchant or payer can type.
func FuzzMarkupEscapesLikeHTMLTemplate(f *testing.F) {
	for _, seed := range []string{"", "Ana & \"Sinovi\" <b>'+'</b>", "Đorđe Ćirić", "\x00\xff\xfe bad UTF-8",
		"https://pay.example/pay/t?x=1&y=\"a b\"+č<'>", "javascript:alert(1)", "JavaScript:alert(1)", "mailto:a@b.example",
		"/relative/path?q=%20", "data:text/html,<b>", "ftp://x", "a/b:c", "%zz#frag@[::1]"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want strings.Builder
		if err := escapedByTemplate.Execute(&want, s); err != nil {
			t.Skip(err)
		}
		var got markup
		got.tag("<p>")
		got.text(s)
		got.tag(`</p><a href="`)
		got.url(s)
		got.tag(`">`)
		if got.String() != want.String() {
			t.Errorf("value %q:\n got %q\nwant %q", s, got.String(), want.String())
		}
	})
}
