package mail

import (
	"bytes"
	htmltemplate "html/template"
	texttemplate "text/template"
)

// accountView is what an e-mail about the portal account (not about an invoice) shows.
type accountView struct {
	Lang, Merchant, Greeting, Intro, Button, LinkURL, LinkHint, ValidUntil, Ignore, Footer string
}

// renderAccount renders the e-mails sent to a portal user about their account: the password reset.
func renderAccount(m Message, loc string, vars map[string]string) (Rendered, error) {
	t := func(key string) string { return tr(loc, key, vars) }
	greeting := t("greeting.merchant")
	if m.CustomerName != "" {
		greeting = t("greeting.user")
	}
	v := accountView{Lang: loc, Merchant: m.MerchantName, Greeting: greeting, Intro: t("intro.password_reset"),
		Button: t("button.password_reset"), LinkURL: m.LinkURL, LinkHint: t("link_hint"), ValidUntil: t("password_reset.valid"),
		Ignore: t("password_reset.ignore"), Footer: t("footer.account")}
	var text, html bytes.Buffer
	if err := accountText.Execute(&text, v); err != nil {
		return Rendered{}, err
	}
	if err := accountHTML.Execute(&html, v); err != nil {
		return Rendered{}, err
	}
	return Rendered{Subject: t("subject.password_reset"), Text: text.String(), HTML: html.String()}, nil
}

var accountText = texttemplate.Must(texttemplate.New("account").Parse(`{{.Greeting}}

{{.Intro}}

{{.Button}}: {{.LinkURL}}
{{.ValidUntil}}

{{.Ignore}}

--
{{.Footer}}
`))

var accountHTML = htmltemplate.Must(htmltemplate.New("account").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Merchant}}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<tr><td>
<h1 style="font-size:20px;margin:0 0 16px">SecureLink</h1>
<p style="margin:0 0 12px">{{.Greeting}}</p>
<p style="margin:0 0 20px">{{.Intro}}</p>
<p style="margin:0 0 8px"><a href="{{.LinkURL}}" style="display:inline-block;background:#1a56db;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:bold">{{.Button}}</a></p>
<p style="margin:0 0 4px;font-size:13px;color:#52606d">{{.LinkHint}}<br><a href="{{.LinkURL}}" style="color:#1a56db;word-break:break-all">{{.LinkURL}}</a></p>
<p style="margin:0 0 20px;font-size:13px;color:#52606d">{{.ValidUntil}}</p>
<p style="margin:0 0 12px;font-size:13px">{{.Ignore}}</p>
<p style="margin:16px 0 0;font-size:12px;color:#7b8794">{{.Footer}}</p>
</td></tr>
</table>
</body>
</html>
`))
