package api_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"strings"
	"testing"

	"securelink/api/apitest"
	"securelink/api/wiring"
)

// pdfParts returns the PDF attachments of a MIME message: file name → content.
func pdfParts(t *testing.T, raw []byte) map[string][]byte {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	out := map[string][]byte{}
	var walk func(ct string, body io.Reader, disp, enc string)
	walk = func(ct string, body io.Reader, disp, enc string) {
		mt, params, _ := mime.ParseMediaType(ct)
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err != nil {
					return
				}
				walk(p.Header.Get("Content-Type"), p, p.Header.Get("Content-Disposition"), p.Header.Get("Content-Transfer-Encoding"))
			}
		}
		if mt == "application/pdf" {
			_, dp, _ := mime.ParseMediaType(disp)
			if strings.EqualFold(enc, "base64") {
				body = base64.NewDecoder(base64.StdEncoding, body)
			}
			b, _ := io.ReadAll(body)
			out[dp["filename"]] = b
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body, "", "")
	return out
}

func TestLinkEmailCarriesThePDFWhenTheMerchantChoseIt(t *testing.T) {
	t.Parallel()
	sink, addr := startRefusingSMTP(t)
	sink.setAccept(true)

	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		ctx := context.Background()
		send := func() []byte {
			t.Helper()
			before := len(sink.messages())
			body := apitest.Invoice(480000)
			body["send_email"] = true
			if r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth()); r.Status != http.StatusCreated {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			runWorkers(t, e.App)
			if _, err := e.App.Mailer.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			got := sink.messages()
			if len(got) != before+1 {
				t.Fatalf("the SMTP server has %d messages, want %d", len(got), before+1)
			}
			return got[len(got)-1]
		}
		if parts := pdfParts(t, send()); len(parts) != 0 {
			t.Errorf("a PDF went out without the setting: %v", len(parts))
		}
		enableIPS(t, e, m)
		if r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"email_attach_pdf": true}, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("setting: %d", r.Status)
		}
		parts := pdfParts(t, send())
		if len(parts) != 1 {
			t.Fatalf("PDF attachments: %d, want 1", len(parts))
		}
		for name, b := range parts {
			if !strings.HasPrefix(name, "INV-") || !strings.HasSuffix(name, ".pdf") {
				t.Errorf("attachment name %q", name)
			}
			text := pdfText(t, b)
			if !strings.Contains(text, strings.TrimSuffix(name, ".pdf")) || !strings.Contains(text, "Ђорђе Ђурић") || !strings.Contains(text, "4.800,00 RSD") {
				t.Errorf("attached PDF reads:\n%s", text)
			}
		}
	}, func(c *wiring.Config) {
		c.SMTPURL, c.SMTPFrom = "smtp://"+addr+"?starttls=never", "SecureLink <no-reply@securelink.test>"
	})
}
