package notify_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/notify"
	notifymail "securelink/internal/notify/mail"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// parsed is a received e-mail taken apart.
type parsed struct {
	To        []string
	Subject   string
	MessageID string
	Text      string
	HTML      string
}

func parseMessage(t *testing.T, r received) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	out := parsed{To: r.To, Subject: subject, MessageID: m.Header.Get("Message-ID")}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		// multipart.Reader decodes quoted-printable parts itself.
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			out.Text = string(b)
		case "text/html":
			out.HTML = string(b)
		}
	}
	return out
}

func TestEmailsArriveOverSMTPInTheInvoiceLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "prodaja@kruh.example")
		sink := startSMTP(t, "", "mailer", "s3cret")
		sender, err := notifymail.NewSMTP("smtp://mailer:s3cret@"+sink.Addr, "SecureLink <no-reply@securelink.test>")
		if err != nil {
			t.Fatal(err)
		}
		emailID := domain.NewID(domain.PrefixEmail)
		inv := f.invoice(t, domain.LocaleSrCyrl, domain.CaptureAutomatic, func(inv domain.Invoice) []domain.Event {
			data := inv.EventData("http://localhost:8080/pay/tok123")
			data.EmailID = emailID
			return []domain.Event{domain.NewEvent(inv.MerchantID, false, domain.EventInvoiceLinkRequested, inv.ID, data, false)}
		})
		paid := inv
		paid.Status, paid.AmountPaid = domain.InvoicePaid, inv.AmountTotal
		f.events(t, f.paymentEvent(t, inv, domain.EventPaymentCaptured, "captured", inv.AmountTotal),
			domain.NewEvent(inv.MerchantID, false, domain.EventInvoicePaid, inv.ID, paid.EventData(""), true),
			refundEvent(inv, 12000))

		d := &notify.Dispatcher{Store: f.st}
		if n := drain(t, 5, d.RunOnce); n != 4 {
			t.Fatalf("dispatched %d events, want 4", n)
		}
		m := &notify.Mailer{Store: f.st, Sender: sender}
		if n := drain(t, 5, m.RunOnce); n != 4 {
			t.Fatalf("sent %d e-mails, want 4 (link, receipt, merchant copy, refund)", n)
		}
		msgs := sink.Messages()
		if len(msgs) != 4 {
			t.Fatalf("SMTP server received %d messages, want 4", len(msgs))
		}
		emails, _, err := f.mailbox()
		if err != nil {
			t.Fatal(err)
		}
		byMsgID := map[string]notify.Email{}
		for _, e := range emails {
			if e.Status != notify.EmailSent || e.SentAt == nil || e.Attempts != 1 {
				t.Errorf("e-mail %s: status %s, sent_at %v, attempts %d; want sent once", e.ID, e.Status, e.SentAt, e.Attempts)
			}
			byMsgID["<"+e.ID+"@securelink.test>"] = e
		}
		kinds := map[notify.EmailKind]parsed{}
		for _, r := range msgs {
			p := parseMessage(t, r)
			e, ok := byMsgID[p.MessageID]
			if !ok {
				t.Fatalf("Message-ID %q matches no outbox e-mail", p.MessageID)
			}
			if len(p.To) != 1 || p.To[0] != e.To {
				t.Errorf("%s went to %v, want %s", e.Kind, p.To, e.To)
			}
			if p.Subject != e.Subject || p.Text == "" || p.HTML == "" {
				t.Errorf("%s: subject %q (want %q), text %d bytes, html %d bytes", e.Kind, p.Subject, e.Subject, len(p.Text), len(p.HTML))
			}
			if strings.Contains(p.Text+p.HTML, "4242424242424242") {
				t.Errorf("%s contains a card number", e.Kind)
			}
			kinds[e.Kind] = p
		}
		link := kinds[notifymail.KindPaymentLink]
		if link.MessageID != "<"+emailID+"@securelink.test>" {
			t.Errorf("link e-mail Message-ID %q, want the pre-assigned id %s", link.MessageID, emailID)
		}
		for _, c := range []struct {
			kind notify.EmailKind
			to   string
			want []string
		}{
			{notifymail.KindPaymentLink, "ana@example.com", []string{"Захтев за плаћање " + inv.Number, "http://localhost:8080/pay/tok123", "1.239,50 RSD", "Torta", "ORD-77"}},
			{notifymail.KindReceipt, "ana@example.com", []string{"Потврда о плаћању", "Visa •••• 4242", "1.239,50 RSD", "Hleb"}},
			{notifymail.KindReceiptCopy, "prodaja@kruh.example", []string{"Primljena uplata", "Ana Anić", "Visa •••• 4242"}},
			{notifymail.KindRefund, "ana@example.com", []string{"Повраћај новца", "120,00 RSD"}},
		} {
			p, ok := kinds[c.kind]
			if !ok {
				t.Errorf("no %s e-mail received", c.kind)
				continue
			}
			if p.To[0] != c.to {
				t.Errorf("%s to %s, want %s", c.kind, p.To[0], c.to)
			}
			for _, w := range c.want {
				if !strings.Contains(p.Subject+"\n"+p.Text, w) || !strings.Contains(p.Subject+"\n"+p.HTML, w) {
					t.Errorf("%s: %q missing from subject/text or subject/html\ntext: %s", c.kind, w, p.Text)
				}
			}
		}
	})
}

func TestSMTPDownThenUpDeliversEachEmailOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		// A port with nobody listening: the server is down.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		sender, err := notifymail.NewSMTP("smtp://"+addr, "no-reply@securelink.test")
		if err != nil {
			t.Fatal(err)
		}
		const n = 3
		for range n {
			f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, func(inv domain.Invoice) []domain.Event {
				data := inv.EventData("http://localhost:8080/pay/x")
				data.EmailID = domain.NewID(domain.PrefixEmail)
				return []domain.Event{domain.NewEvent(inv.MerchantID, false, domain.EventInvoiceLinkRequested, inv.ID, data, false)}
			})
		}
		clk := newClock()
		if _, err := (&notify.Dispatcher{Store: f.st, Now: clk.Now}).RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		m := &notify.Mailer{Store: f.st, Sender: sender, Now: clk.Now}
		if sent := drain(t, 3, m.RunOnce); sent != 0 {
			t.Fatalf("sent %d with the server down", sent)
		}
		emails, _, _ := f.mailbox()
		for _, e := range emails {
			if e.Status != notify.EmailQueued || e.Attempts != 1 || e.LastError == "" || e.NextAttemptAt == nil {
				t.Errorf("after a failed attempt: status %s attempts %d error %q next %v", e.Status, e.Attempts, e.LastError, e.NextAttemptAt)
			}
		}
		// Not due yet: nothing is tried before the backoff ends.
		if sent := drain(t, 1, m.RunOnce); sent != 0 {
			t.Fatalf("retried before the backoff ended")
		}
		sink := startSMTP(t, addr, "", "")
		clk.Advance(notify.EmailBackoff[0] + time.Second)
		if sent := drain(t, 5, m.RunOnce); sent != n {
			t.Fatalf("sent %d after the server came back, want %d", sent, n)
		}
		clk.Advance(24 * time.Hour)
		drain(t, 3, m.RunOnce)
		seen := map[string]int{}
		for _, r := range sink.Messages() {
			seen[parseMessage(t, r).MessageID]++
		}
		if len(seen) != n {
			t.Errorf("received %d distinct messages, want %d", len(seen), n)
		}
		for id, c := range seen {
			if c != 1 {
				t.Errorf("message %s received %d times", id, c)
			}
		}
		emails, _, _ = f.mailbox()
		for _, e := range emails {
			if e.Status != notify.EmailSent || e.Attempts != 2 {
				t.Errorf("e-mail %s: status %s attempts %d, want sent after 2", e.ID, e.Status, e.Attempts)
			}
		}
	})
}

func TestWithoutSMTPEmailsAreHeldInTheMailbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		f.invoice(t, domain.LocaleSrLatn, domain.CaptureAutomatic, func(inv domain.Invoice) []domain.Event {
			data := inv.EventData("http://localhost:8080/pay/x")
			data.EmailID = domain.NewID(domain.PrefixEmail)
			return []domain.Event{domain.NewEvent(inv.MerchantID, false, domain.EventInvoiceLinkRequested, inv.ID, data, false)}
		})
		if _, err := (&notify.Dispatcher{Store: f.st, HoldEmails: true}).RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		emails, _, _ := f.mailbox()
		if len(emails) != 1 || emails[0].Status != notify.EmailHeld || !strings.Contains(emails[0].Subject, "Zahtev za plaćanje") {
			t.Fatalf("mailbox = %+v, want one held Serbian link e-mail", emails)
		}
		claimed, err := f.st.ClaimEmails(context.Background(), time.Now().Add(time.Hour), time.Now().Add(2*time.Hour), 10)
		if err != nil || len(claimed) != 0 {
			t.Fatalf("a held e-mail was claimed for sending: %v %v", claimed, err)
		}
	})
}

func TestManualCaptureAndVoidNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		manual := f.invoice(t, domain.LocaleEn, domain.CaptureManual, func(domain.Invoice) []domain.Event { return nil })
		sale := f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, func(domain.Invoice) []domain.Event { return nil })
		voided := f.invoice(t, domain.LocaleEn, domain.CaptureManual, func(domain.Invoice) []domain.Event { return nil })
		f.events(t, f.paymentEvent(t, manual, domain.EventPaymentAuthorized, "authorized", 0),
			f.paymentEvent(t, manual, domain.EventPaymentCaptured, "captured", 50000),
			f.paymentEvent(t, sale, domain.EventPaymentCaptured, "captured", sale.AmountTotal),
			f.paymentEvent(t, voided, domain.EventPaymentVoided, "voided", 0))
		if _, err := (&notify.Dispatcher{Store: f.st, HoldEmails: true}).RunUntilIdle(context.Background()); err != nil {
			t.Fatal(err)
		}
		emails, _, _ := f.mailbox()
		got := map[notify.EmailKind]notify.Email{}
		for _, e := range emails {
			got[e.Kind] = e
		}
		if len(emails) != 3 {
			t.Fatalf("got %d e-mails, want an authorisation, a capture and a void notice only (a sale's capture gives none)", len(emails))
		}
		if e := got[notifymail.KindAuthorization]; e.InvoiceID != manual.ID || !strings.Contains(e.Subject, "Card authorised") || !strings.Contains(e.Text, "Reserved") || !strings.Contains(e.Text, "not yet charged") {
			t.Errorf("authorisation notice = %+v", e)
		}
		if e := got[notifymail.KindCaptureNotice]; e.InvoiceID != manual.ID || !strings.Contains(e.Text, "RSD 500.00") || !strings.Contains(e.Text, "Visa •••• 4242") {
			t.Errorf("capture notice = %+v", e)
		}
		if e := got[notifymail.KindVoidNotice]; e.InvoiceID != voided.ID || !strings.Contains(e.Subject, "Authorisation released") {
			t.Errorf("void notice = %+v", e)
		}
	})
}

// An event whose payload does not decode into what its type carries gives no e-mail, is still
// dispatched, and does not keep the events of the same batch from theirs.
func TestAnUnusablePayloadGivesNoEmailAndBlocksNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		inv := f.invoice(t, domain.LocaleEn, domain.CaptureManual, func(domain.Invoice) []domain.Event { return nil })
		good := f.paymentEvent(t, inv, domain.EventPaymentAuthorized, "authorized", 0)
		for _, raw := range []string{`not json`, `{"invoice_id": 7}`} {
			bad := good
			bad.ID, bad.Payload = domain.NewID(domain.PrefixEvent), []byte(raw)
			f.events(t, bad)
		}
		f.events(t, good)
		n, err := (&notify.Dispatcher{Store: f.st, HoldEmails: true}).RunUntilIdle(context.Background())
		if err != nil || n != 3 {
			t.Fatalf("dispatched %d events (%v), want all 3", n, err)
		}
		emails, _, _ := f.mailbox()
		if len(emails) != 1 || emails[0].Kind != notifymail.KindAuthorization || emails[0].InvoiceID != inv.ID {
			t.Fatalf("mailbox = %+v, want only the good event's authorisation notice", emails)
		}
		if left, err := f.st.PendingEvents(context.Background(), 10); err != nil || len(left) != 0 {
			t.Fatalf("undispatched events left: %d (%v)", len(left), err)
		}
	})
}

// An e-mail an event planned is stored as its message and rendered when read: the store holds no
// bodies, and what the mailbox shows is exactly what mail.Render makes of the stored message. An
// e-mail stored with its bodies (a password reset, or a row written before messages) reads as it was.
func TestEmailsAreStoredAsMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "")
		inv := f.invoice(t, domain.LocaleSrLatn, domain.CaptureAutomatic, func(domain.Invoice) []domain.Event { return nil })
		paid := inv
		paid.Status, paid.AmountPaid = domain.InvoicePaid, inv.AmountTotal
		f.events(t, f.paymentEvent(t, inv, domain.EventPaymentCaptured, "captured", inv.AmountTotal),
			domain.NewEvent(inv.MerchantID, false, domain.EventInvoicePaid, inv.ID, paid.EventData(""), true))
		if _, err := (&notify.Dispatcher{Store: f.st, HoldEmails: true}).RunUntilIdle(ctx); err != nil {
			t.Fatal(err)
		}
		stored, _, err := f.st.ListEmails(ctx, f.merchant.ID, domain.Page{Limit: 10})
		if err != nil || len(stored) != 1 {
			t.Fatalf("stored e-mails = %+v, %v; want the receipt", stored, err)
		}
		raw := stored[0]
		if raw.Message == nil || raw.Text != "" || raw.HTML != "" {
			t.Fatalf("the receipt is stored with text %d bytes, html %d bytes, message %v; want only its message", len(raw.Text), len(raw.HTML), raw.Message)
		}
		want, err := notifymail.Render(*raw.Message)
		if err != nil {
			t.Fatal(err)
		}
		shown, _, err := f.mailbox()
		if err != nil || len(shown) != 1 {
			t.Fatalf("mailbox = %+v, %v", shown, err)
		}
		got := shown[0]
		if got.Subject != want.Subject || got.Text != want.Text || got.HTML != want.HTML {
			t.Errorf("the mailbox shows subject %q and %d/%d bytes of text/html; rendering the message gives %q and %d/%d bytes",
				got.Subject, len(got.Text), len(got.HTML), want.Subject, len(want.Text), len(want.HTML))
		}
		for _, s := range []string{"Hleb", "Visa •••• 4242", inv.Number} {
			if !strings.Contains(got.Text, s) || !strings.Contains(got.HTML, s) {
				t.Errorf("the receipt does not show %q:\n%s", s, got.Text)
			}
		}
		one, err := (&notify.Service{Store: f.st}).GetEmail(ctx, f.merchant.ID, got.ID)
		if err != nil || one.Text != want.Text || one.HTML != want.HTML {
			t.Errorf("GetEmail gives %d/%d bytes of text/html (%v), want the rendered %d/%d", len(one.Text), len(one.HTML), err, len(want.Text), len(want.HTML))
		}

		old := notify.Email{ID: domain.NewID("em"), MerchantID: f.merchant.ID, Kind: notifymail.KindReceipt, To: "ana@example.com",
			Subject: "Stored subject", Text: "stored text", HTML: "<p>stored html</p>", Locale: domain.LocaleEn,
			Status: notify.EmailHeld, CreatedAt: time.Now().UTC().Add(time.Second)}
		if err := f.st.InsertEmail(ctx, old); err != nil {
			t.Fatal(err)
		}
		read, err := (&notify.Service{Store: f.st}).GetEmail(ctx, f.merchant.ID, old.ID)
		if err != nil || read.Message != nil || read.Subject != old.Subject || read.Text != old.Text || read.HTML != old.HTML {
			t.Errorf("an e-mail stored with its bodies reads as %+v (%v), want them unchanged", read, err)
		}
	})
}
