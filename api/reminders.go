package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/domain"
)

// ReminderResponse is a reminder e-mailed to the customer about an unpaid invoice.
type ReminderResponse struct {
	ID     string `json:"id" example:"rem_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	Object string `json:"object" example:"reminder"`
	// Livemode is false for test data, true for live data.
	Livemode  bool   `json:"livemode"`
	InvoiceID string `json:"invoice_id" example:"inv_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	// Rule is why it was sent: after_sent and before_expiry are the merchant's automatic rules (each
	// at most once per invoice), manual the portal's "Remind now" (POST /invoices/{id}/remind).
	Rule string `json:"rule" enums:"after_sent,before_expiry,manual"`
	// EmailID is the e-mail in the mailbox (GET /emails); a reminder queued just before the invoice
	// was paid, cancelled or expired sends none.
	EmailID   string    `json:"email_id" example:"em_01jd4w3k5m6n7p8q9r0s1t2v3w"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
} // @name Reminder

func toReminder(r domain.Reminder) ReminderResponse {
	return ReminderResponse{ID: r.ID, Object: "reminder", Livemode: r.Livemode, InvoiceID: r.InvoiceID, Rule: string(r.Rule),
		EmailID: r.EmailID, CreatedAt: r.CreatedAt.UTC()}
}

// remindInvoice godoc
//
//	@Summary	E-mail the customer a reminder now
//	@ID		remindInvoice
//	@Description	Reminds the customer of an open invoice with its payment link, in the invoice's language, whatever the automatic rules (remind_after_days, remind_before_expiry_days in PATCH /merchant). `409` when the invoice is no longer open or its link is not active.
//	@Tags		Invoices
//	@Produce	json
//	@Security	BearerAuth
//	@Param		Idempotency-Key	header		string	false	"idempotency key"
//	@Param		id				path		string	true	"invoice id"
//	@Success	201				{object}	ReminderResponse
//	@Failure	404				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody
//	@Router		/invoices/{id}/remind [post]
func (s *Server) remindInvoice(c echo.Context) error {
	if err := decode(c, &struct{}{}, true); err != nil {
		return err
	}
	r, err := s.d.Invoices.Remind(c.Request().Context(), actorOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toReminder(r))
}

// addInvoiceReminders fills the reminders of an invoice's detail view, oldest first.
func (s *Server) addInvoiceReminders(c echo.Context, out *InvoiceResponse) error {
	rs, err := s.d.Invoices.ListReminders(c.Request().Context(), actorOf(c).MerchantID, out.ID)
	if err != nil {
		return err
	}
	out.Reminders = make([]ReminderResponse, len(rs))
	for i, r := range rs {
		out.Reminders[i] = toReminder(r)
	}
	return nil
}
