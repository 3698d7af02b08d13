package testgateway

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"securelink/internal/domain"
	"securelink/internal/psp"
)

// Form values of the challenge page's two buttons.
const (
	challengeComplete = "complete"
	challengeFail     = "fail"
)

// challengePage is self-contained: inline style under a nonce, no scripts, no external assets.
var challengePage = template.Must(template.New("3ds").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – SecureLink test gateway</title>
<style nonce="{{.Nonce}}">
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1a1a1a;margin:0;padding:2rem 1rem}
main{max-width:26rem;margin:0 auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.25rem;margin:0 0 .75rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;background:#fff3cd;color:#664d03;border-radius:4px;padding:.15rem .5rem;margin-bottom:1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:0 0 1.25rem}
dt{color:#555}dd{margin:0;font-weight:600}
.actions{display:flex;gap:.75rem;flex-wrap:wrap}
form{margin:0}
button{font:inherit;font-weight:600;border-radius:6px;padding:.6rem 1.2rem;cursor:pointer;border:2px solid transparent}
button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.complete{background:#166534;color:#fff}
.fail{background:#fff;color:#991b1b;border-color:#991b1b}
p{line-height:1.5}
a{color:#1d4ed8}
</style>
</head>
<body>
<main>
<span class="badge">Test mode</span>
<h1>{{.Title}}</h1>
{{if .Pending}}
<p>Your bank asks you to confirm this payment. This is a simulated 3-D Secure check: choose what the cardholder does.</p>
<dl>
<dt>Amount</dt><dd>{{.Amount}}</dd>
{{if .Card}}<dt>Card</dt><dd>{{.Card}}</dd>{{end}}
{{if .Description}}<dt>For</dt><dd>{{.Description}}</dd>{{end}}
</dl>
<div class="actions">
<form method="post"><input type="hidden" name="result" value="complete"><button type="submit" class="complete">Complete authentication</button></form>
<form method="post"><input type="hidden" name="result" value="fail"><button type="submit" class="fail">Fail authentication</button></form>
</div>
{{else}}
<p>{{.Message}}</p>
{{if .ReturnURL}}<p><a href="{{.ReturnURL}}">Return to the payment page</a></p>{{end}}
{{end}}
</main>
</body>
</html>
`))

type challengeView struct {
	Title, Nonce, Amount, Card, Description, Message, ReturnURL string
	Pending                                                     bool
}

func (s *Server) handleChallengePage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	obj, ok := s.snapshotOf(id)
	if !ok {
		s.renderChallenge(w, http.StatusNotFound, "", challengeView{Title: "Payment not found",
			Message: "There is no payment waiting for authentication at this address."})
		return
	}
	view := challengeView{Title: "Confirm your payment", ReturnURL: returnURLFor(obj)}
	if obj.Status == StatusRequiresAction {
		view.Pending = true
		view.Amount = formatAmount(obj.Amount, obj.Currency)
		view.Description = obj.Description
		if obj.Card != nil {
			view.Card = fmt.Sprintf("%s •••• %s", brandName[obj.Card.Brand], obj.Card.Last4)
		}
	} else {
		view.Title = "Authentication finished"
		view.Message = "This payment's authentication is already finished."
	}
	s.renderChallenge(w, http.StatusOK, obj.ReturnURL, view)
}

// handleChallengeAnswer completes or fails the challenge, then sends the browser back to return_url.
// Answering an already finished challenge changes nothing and redirects again.
func (s *Server) handleChallengeAnswer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	answer := r.PostForm.Get("result")
	if answer != challengeComplete && answer != challengeFail {
		http.Error(w, `The form field "result" must be "complete" or "fail".`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	p, ok := s.payments[id]
	if ok && p.obj.Status == StatusRequiresAction {
		switch {
		case answer == challengeFail:
			s.declineLocked(p, psp.DeclineAuthenticationFailed, declineMessages[psp.DeclineAuthenticationFailed])
		case p.behaviour.kind == behaveChallengeDecline:
			s.declineLocked(p, p.behaviour.code, p.behaviour.message)
		default:
			s.authoriseLocked(p)
		}
	}
	var obj paymentObject
	if ok {
		obj = p.snapshot()
	}
	s.mu.Unlock()
	if !ok {
		s.renderChallenge(w, http.StatusNotFound, "", challengeView{Title: "Payment not found",
			Message: "There is no payment waiting for authentication at this address."})
		return
	}
	if back := returnURLFor(obj); back != "" {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	s.renderChallenge(w, http.StatusOK, "", challengeView{Title: "Authentication finished",
		Message: "The authentication is finished. You may close this window."})
}

// returnURLFor is the payment's return_url with payment_id=<id> added, so the page that receives the
// payer knows which payment to look up.
func returnURLFor(obj paymentObject) string {
	if obj.ReturnURL == "" {
		return ""
	}
	u, err := url.Parse(obj.ReturnURL)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("payment_id", obj.ID)
	u.RawQuery = q.Encode()
	return u.String()
}

// renderChallenge writes the page under its own strict CSP; form-action also names the return URL's
// origin, because browsers apply form-action to the redirect that follows a form submission.
func (s *Server) renderChallenge(w http.ResponseWriter, status int, returnURL string, view challengeView) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	view.Nonce = base64.StdEncoding.EncodeToString(b[:])
	formAction := "'self'"
	if u, err := url.Parse(returnURL); err == nil && u.Scheme != "" && u.Host != "" {
		formAction += " " + u.Scheme + "://" + u.Host
	}
	h := w.Header()
	h.Set("Content-Security-Policy", strings.Join([]string{
		"default-src 'none'", "style-src 'nonce-" + view.Nonce + "'", "form-action " + formAction,
		"frame-ancestors 'none'", "base-uri 'none'",
	}, "; "))
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = challengePage.Execute(w, view)
}

// formatAmount shows minor units as a decimal amount with its currency code, e.g. "12.50 EUR",
// "1500 JPY", "12.345 KWD": the exponent comes from the one currency table.
func formatAmount(minor int64, currency string) string {
	return domain.Money{Amount: minor, Currency: currency}.String()
}
