package sandbox

import (
	"html/template"
	"net/http"

	"securelink/internal/psp/exchange"
)

var challengePage = template.Must(template.New("3ds").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>3-D Secure: sandbox bank</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.amount{font-size:1.5rem;font-weight:600}button{font:inherit;padding:.7rem 1rem;margin:.4rem .4rem 0 0;border-radius:.4rem;border:1px solid #555;min-width:10rem}
button[value=complete]{background:#0b5;color:#fff;border-color:#0b5}</style></head>
<body><h1>Sandbox bank: 3-D Secure</h1>
<p>This page stands in for the card issuer's authentication. Nothing here is real.</p>
<p>Card ending <strong>{{.Last4}}</strong></p><p class="amount">{{.Amount}} {{.Currency}}</p>
{{if .Open}}<form method="post"><button name="outcome" value="complete">Complete authentication</button>
<button name="outcome" value="fail">Fail authentication</button></form>
{{else}}<p>This authentication is already finished.</p>{{end}}
</body></html>`))

func (s *Server) handleChallengePage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t, ok := s.transactions[r.PathValue("uuid")]
	var data map[string]any
	if ok {
		data = map[string]any{"Last4": t.card.number[len(t.card.number)-4:], "Amount": exchange.FormatAmount(t.amount, t.currency),
			"Currency": t.currency, "Open": t.challenge}
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "No such 3-D Secure authentication.", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:")
	_ = challengePage.Execute(w, data)
}

// handleChallengeAnswer completes or fails the challenge and sends the payer back: to successUrl
// after a success, errorUrl after a failure.
func (s *Server) handleChallengeAnswer(w http.ResponseWriter, r *http.Request) {
	outcome := r.FormValue("outcome")
	s.mu.Lock()
	t, ok := s.transactions[r.PathValue("uuid")]
	if !ok || !t.challenge || (outcome != "complete" && outcome != "fail") {
		s.mu.Unlock()
		http.Error(w, "This authentication is not open.", http.StatusConflict)
		return
	}
	back := t.successURL
	if outcome == "complete" && t.behaviour.Behaviour == exchange.SandboxChallenge {
		s.succeedPaymentLocked(t)
	} else {
		t.status, t.challenge = exchange.StatusError, false
		t.errs = []exchange.Error{gatewayError(exchange.Code3DSFailed, "")}
		back = t.errorURL
	}
	s.notifyLocked(t)
	s.mu.Unlock()
	if back == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Authentication finished: " + outcome + "\n"))
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
