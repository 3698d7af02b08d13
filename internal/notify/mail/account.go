package mail

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
	text := v.Greeting + "\n\n" + v.Intro + "\n\n" + v.Button + ": " + v.LinkURL + "\n" + v.ValidUntil + "\n\n" + v.Ignore + "\n\n--\n" + v.Footer + "\n"
	return Rendered{Subject: subject(m, loc, vars), Text: text, HTML: v.html()}, nil
}

// html is the HTML part: the product's name and colours, not the merchant's.
func (v accountView) html() string {
	var m markup
	m.open(v.Lang, v.Merchant, "")
	m.tag(`<h1 style="font-size:20px;margin:0 0 16px">SecureLink</h1>` + "\n")
	m.paragraph("margin:0 0 12px", v.Greeting)
	m.paragraph("margin:0 0 20px", v.Intro)
	m.button(v.LinkURL, productAccent, "#ffffff", v.Button)
	m.linkHint(v.LinkHint, v.LinkURL)
	m.paragraph("margin:0 0 20px;font-size:13px;color:#52606d", v.ValidUntil)
	m.paragraph("margin:0 0 12px;font-size:13px", v.Ignore)
	m.paragraph("margin:16px 0 0;font-size:12px;color:#7b8794", v.Footer)
	m.close()
	return m.String()
}
