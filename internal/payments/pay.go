package payments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/psp"
)

// PayInput is what the payer sends to pay through a link.
type PayInput struct {
	TermsAccepted bool
	PaymentToken  string
	ClientIP      string
	// IdempotencyKey is the payer's key for this attempt: a retry with it gets the attempt's payment
	// as it is now instead of a second attempt. It is kept on the payment, unique per link.
	IdempotencyKey string
	// Amount is the part the payer chose to pay of an invoice that allows paying in parts; 0 pays
	// everything due.
	Amount int64
}

// requestHash is what a pay call asked for, so that a retry with its key can be told apart from
// another request that reuses the key.
func (in PayInput) requestHash(paymentToken string) string {
	sum := sha256.Sum256([]byte(strconv.FormatBool(in.TermsAccepted) + "\x00" + paymentToken + "\x00" + strconv.FormatInt(in.Amount, 10)))
	return hex.EncodeToString(sum[:])
}

// maxPaymentTokenLen caps the PSP token a payer may send.
const maxPaymentTokenLen = 255

// Pay starts a payment through a link: the attempt is stored (and the invoice moved to processing)
// before the PSP is called, so a concurrent attempt is refused without a second charge.
func (s *Service) Pay(ctx context.Context, token string, in PayInput) (Payment, error) {
	p, _, err := s.PayOnce(ctx, token, in)
	return p, err
}

// PayOnce is Pay that also tells whether the answer is the payment an earlier call with the same
// Idempotency-Key started (replayed); that call's request must have been the same.
func (s *Service) PayOnce(ctx context.Context, token string, in PayInput) (p Payment, replayed bool, err error) {
	tok := strings.TrimSpace(in.PaymentToken)
	hash := in.requestHash(tok)
	now := s.now()
	limits := FailureLimits{PerLink: orDefault(s.MaxFailuresPerLink, DefaultMaxFailuresPerLink),
		PerIP: orDefault(s.MaxFailuresPerIP, DefaultMaxFailuresPerIP), Since: now.Add(-orDefault(s.FailureWindow, DefaultFailureWindow))}
	if !in.TermsAccepted || tok == "" || len(tok) > maxPaymentTokenLen {
		// refusal() reads the link and judges the input in the order every refusal follows.
		return s.refusal(ctx, token, in, hash, limits)
	}

	// The attempt is saved before the PSP hears of it. One conditional update claims the invoice
	// behind the link, failure limits included, so paying reads nothing before it; when it refuses,
	// refusal() reads why: unknown link, a bad token, too many failures, the link or invoice
	// changed, or another attempt won. The claimed invoice's merchant and mode pick the provider
	// account, whose token shape the payer's token must have.
	claim := Claim{Token: token, ClientIP: in.ClientIP, At: now, Limits: limits,
		InvoiceFrom: domain.InvoiceStatusesWhere(domain.InvoiceStatus.Payable)}
	if claim.InvoiceTo, err = domain.InvoiceOpen.To(attemptHolds); err != nil {
		return Payment{}, false, apperr.Internal(err)
	}
	var provider psp.Provider
	a, err := s.Store.BeginPayment(ctx, claim, func(txCtx context.Context, inv domain.Invoice, linkID string) (Payment, Transaction, error) {
		var accountID string
		var err error
		if provider, accountID, err = s.providers().ForNewPayment(txCtx, inv.MerchantID, inv.Livemode); err != nil {
			return Payment{}, Transaction{}, err
		}
		if err := checkPayInput(provider, in.TermsAccepted, tok); err != nil {
			return Payment{}, Transaction{}, err
		}
		amount, ok := inv.PaymentAmount(in.Amount)
		if !ok {
			return Payment{}, Transaction{}, amountRefused(inv)
		}
		p, t := s.newAttempt(inv, linkID, token, tok, in.ClientIP, now, amount)
		p.PSP, p.ProviderAccountID = provider.Name(), accountID
		p.RequestKey, p.RequestHash = in.IdempotencyKey, hash
		return p, t, nil
	})
	if errors.Is(err, apperr.ErrConflict) {
		return s.refusal(ctx, token, in, hash, limits)
	}
	if err != nil {
		return Payment{}, false, err
	}

	// The PSP call runs to its end even if the payer goes away: its answer must be recorded.
	pctx := context.WithoutCancel(ctx)
	res, perr := provider.Authorize(pctx, s.authorizeRequest(a.Payment))
	p, err = s.recordAuthorization(pctx, a.Payment, a.Txn, a.Invoice, res, perr)
	return p, false, err
}

// checkPayInput judges the payer's body.
// A token must have the provider's token shape and never look like a card number, so a card number
// sent in its place is refused before it is stored (the message never repeats it).
func checkPayInput(provider psp.Provider, termsAccepted bool, paymentToken string) error {
	if !termsAccepted {
		return apperr.Invalid("terms_accepted", "terms_not_accepted", "The payer must accept the terms: send terms_accepted: true.")
	}
	if paymentToken == "" || len(paymentToken) > maxPaymentTokenLen || !psp.IsPaymentToken(provider, paymentToken) {
		return apperr.Invalid("payment_token", "invalid_payment_token", "payment_token must be the card token from the payment provider (at most %d characters).", maxPaymentTokenLen)
	}
	return nil
}

// newAttempt is the payment and pending authorize or sale of an attempt on a claimed invoice.
func (s *Service) newAttempt(inv domain.Invoice, linkID, linkToken, pspToken, clientIP string, now time.Time, amount int64) (Payment, Transaction) {
	p := Payment{ID: domain.NewID(domain.PrefixPayment), MerchantID: inv.MerchantID, Livemode: inv.Livemode, InvoiceID: inv.ID, LinkID: linkID,
		Status: domain.PaymentProcessing, Amount: amount, Method: domain.MethodCard, Currency: inv.Currency, CaptureMode: inv.CaptureMode,
		PSPToken: pspToken, Description: paymentDescription(inv),
		TermsAcceptedAt: now, TermsIP: clientIP, ClientIP: clientIP, CreatedAt: now, UpdatedAt: now}
	p.IdempotencyKey = p.ID + ":authorize"
	p.ReturnURL = strings.TrimRight(s.BaseURL, "/") + "/pay/" + url.PathEscape(linkToken) + "?payment=" + p.ID
	typ := domain.TxnAuthorize
	if inv.CaptureMode == domain.CaptureAutomatic {
		typ = domain.TxnSale
	}
	txn := Transaction{ID: domain.NewID(domain.PrefixTransaction), MerchantID: p.MerchantID, Livemode: p.Livemode, PaymentID: p.ID, Type: typ,
		Amount: p.Amount, Currency: p.Currency, Result: domain.TxnPending, Actor: string(domain.ActorPayer),
		IdempotencyKey: p.IdempotencyKey, CreatedAt: now, UpdatedAt: now, NextAttemptAt: now.Add(s.staleAfter())}
	return p, txn
}

// refusal answers a payment that cannot be claimed: its input is wrong (400), or BeginPayment
// refused the claim. A retry of an earlier call with the same
// Idempotency-Key gets that call's attempt as it is now (replayed), 409 while that call may still
// be running, or 422 if it asks for something else. Otherwise the refusal is explained: 404 for an
// unknown link, 409 for a link or invoice that cannot be paid, 429 past the failure limits, else
// 409 for another attempt in progress.
func (s *Service) refusal(ctx context.Context, token string, in PayInput, hash string, limits FailureLimits) (Payment, bool, error) {
	// BeginPayment dropped this process's cached view of the link, so this reads the database.
	co, err := s.Links.ResolveLink(ctx, token)
	if err != nil {
		return Payment{}, false, err
	}
	// The link's merchant and mode pick the provider account; the input is judged first, as if
	// nothing had been claimed.
	provider, _, err := s.providers().ForNewPayment(ctx, co.Invoice.MerchantID, co.Invoice.Livemode)
	if err != nil {
		return Payment{}, false, err
	}
	if err := checkPayInput(provider, in.TermsAccepted, strings.TrimSpace(in.PaymentToken)); err != nil {
		return Payment{}, false, err
	}
	if in.IdempotencyKey != "" {
		earlier, err := s.Store.PaymentByRequestKey(ctx, co.Link.ID, in.IdempotencyKey)
		switch {
		case err == nil && earlier.RequestHash != hash:
			return Payment{}, false, apperr.IdempotencyKeyReused()
		case err == nil && earlier.Status == domain.PaymentProcessing && s.now().Sub(earlier.CreatedAt) < s.staleAfter():
			// The call that started it may still be waiting for the PSP, whose answer it records.
			return Payment{}, false, apperr.IdempotencyKeyInUse()
		case err == nil:
			return earlier, true, nil
		case !errors.Is(err, apperr.ErrNotFound):
			return Payment{}, false, err
		}
	}
	if err := payable(co); err != nil {
		return Payment{}, false, err
	}
	if err := s.checkFailures(ctx, co.Link.ID, in.ClientIP, limits); err != nil {
		return Payment{}, false, err
	}
	return Payment{}, false, errInProgress()
}

// authorizeRequest is the PSP request of a payment, rebuilt identically by reconciliation.
func (s *Service) authorizeRequest(p Payment) psp.AuthorizeRequest {
	return psp.AuthorizeRequest{IdempotencyKey: p.IdempotencyKey, Reference: p.ID, Amount: p.Amount, Currency: p.Currency,
		PaymentToken: p.PSPToken, Capture: p.CaptureMode == domain.CaptureAutomatic, ReturnURL: p.ReturnURL,
		Description: p.Description}
}

// amountRefused explains, as a 422 naming amount, why the invoice does not take the amount asked.
func amountRefused(inv domain.Invoice) error {
	if !inv.AllowPartial {
		return apperr.Unprocessable("amount", "partial_payment_not_allowed", "This invoice is paid in full: leave amount out or send %d, what is due.", inv.AmountDue())
	}
	return apperr.Unprocessable("amount", "amount_out_of_range", "amount must be between %d and %d, what is left to pay.", inv.MinPayment(), inv.AmountDue())
}

// invoiceWord is "invoice" in each language an invoice may be written in.
var invoiceWord = map[string]string{
	domain.LocaleEn:     "Invoice",
	domain.LocaleSrLatn: "Račun",
	domain.LocaleSrCyrl: "Рачун",
}

// paymentDescription is what the provider shows and keeps as the payment's purpose; a 3-D Secure
// page shows it to the payer. It is the merchant's own description of the invoice, else the
// invoice's number in the invoice's language, never a text in a language the payer did not choose.
func paymentDescription(inv domain.Invoice) string {
	if inv.Description != "" {
		return inv.Description
	}
	word, ok := invoiceWord[inv.Locale]
	if !ok {
		word = invoiceWord[domain.LocaleSrLatn]
	}
	return word + " " + inv.Number
}

func errInProgress() error {
	return apperr.Conflict("payment_in_progress", "A payment for this invoice is already in progress. Wait for its outcome before trying again.")
}

// payable explains, as a 409, why a link cannot be paid now.
func payable(co invoices.Checkout) error {
	switch co.Invoice.Status {
	case domain.InvoiceOpen, domain.InvoicePartiallyPaid:
	case domain.InvoiceProcessing:
		return errInProgress()
	case domain.InvoiceAuthorized, domain.InvoicePaid, domain.InvoicePartiallyRefunded, domain.InvoiceRefunded:
		return apperr.InvalidState("This invoice has already been paid.")
	case domain.InvoiceCancelled:
		return apperr.InvalidState("This invoice was cancelled by the merchant and can no longer be paid.")
	case domain.InvoiceExpired:
		return apperr.InvalidState("This invoice has expired and can no longer be paid. Ask the merchant for a new link.")
	default:
		return apperr.InvalidState("This invoice cannot be paid in status %s.", co.Invoice.Status)
	}
	switch co.Link.Status {
	case domain.LinkActive:
		return nil
	case domain.LinkExpired:
		return apperr.InvalidState("This payment link has expired. Ask the merchant for a new link.")
	case domain.LinkDeactivated:
		return apperr.InvalidState("This payment link was deactivated by the merchant. Ask the merchant for a new link.")
	case domain.LinkCompleted:
		return apperr.InvalidState("This invoice has already been paid.")
	}
	return apperr.InvalidState("This payment link cannot be used in status %s.", co.Link.Status)
}

// checkFailures explains a refused claim as a 429 when the failed attempts through the link or from
// the address reached their limits.
func (s *Service) checkFailures(ctx context.Context, linkID, clientIP string, limits FailureLimits) error {
	perLink, perIP, err := s.Store.CountFailedPayments(ctx, linkID, clientIP, limits.Since)
	if err != nil {
		return err
	}
	// A failure counts until it is older than the window: no later than that, the client may retry.
	window := orDefault(s.FailureWindow, DefaultFailureWindow)
	if perLink >= limits.PerLink {
		return &apperr.Error{Kind: apperr.KindRateLimited, Code: "too_many_failed_attempts", RetryAfter: window,
			Message: "Too many failed payment attempts through this link. Ask the merchant for a new link."}
	}
	if clientIP != "" && perIP >= limits.PerIP {
		return &apperr.Error{Kind: apperr.KindRateLimited, Code: "too_many_failed_attempts", RetryAfter: window,
			Message: "Too many failed payment attempts from your address. Try again in an hour."}
	}
	return nil
}

// attemptHolds is the status a payment attempt's claim keeps its invoice in until the attempt
// settles: the store's guard when the outcome is recorded.
const attemptHolds = domain.InvoiceProcessing

// recordAuthorization records the PSP's answer to an authorize or sale (or a later Sync of it).
// An unknown outcome leaves the payment as it is for reconciliation; a refusal or decline fails it.
func (s *Service) recordAuthorization(ctx context.Context, p Payment, txn Transaction, inv domain.Invoice, res psp.Result, perr error) (Payment, error) {
	now := s.now()
	if perr != nil {
		if !psp.IsRequestError(perr) {
			slog.WarnContext(ctx, "payment outcome unknown; reconciliation will settle it", "payment", p.ID, "err", perr)
			return p, nil
		}
		var re *psp.RequestError
		errors.As(perr, &re)
		res = psp.Result{Outcome: psp.OutcomeDeclined, DeclineCode: psp.DeclineProcessingError,
			DeclineMessage: "The payment provider refused the payment: " + re.Message}
		txn.ErrorCode = re.Code
	}
	if res.Card != nil {
		c := *res.Card
		p.Card = &c
	}
	prevRef := p.PSPReference
	if res.PaymentRef != "" {
		p.PSPReference = res.PaymentRef
	}
	switch res.Outcome {
	case psp.OutcomeRequiresAction, psp.OutcomePending:
		status := domain.PaymentProcessing
		if res.Outcome == psp.OutcomeRequiresAction {
			status = domain.PaymentRequiresAction
		}
		if p.Status == status && p.RedirectURL == res.RedirectURL && p.PSPReference == prevRef {
			return p, nil
		}
		if status != p.Status {
			var err error
			if status, err = p.Status.To(status); err != nil {
				return s.settledMeanwhile(ctx, p, fmt.Errorf("%w: %w", apperr.ErrConflict, err))
			}
		}
		if err := s.Store.MarkInFlight(ctx, p.ID, status, p.PSPReference, res.RedirectURL, p.Card, now); err != nil {
			return s.settledMeanwhile(ctx, p, err)
		}
		p.Status, p.RedirectURL, p.UpdatedAt = status, res.RedirectURL, now
		return p, nil
	case psp.OutcomeSucceeded:
		return s.settleAuthorized(ctx, p, txn, inv, res, now)
	case psp.OutcomeDeclined:
		return s.settleDeclined(ctx, p, txn, inv, res, now)
	}
	slog.WarnContext(ctx, "payment: unexpected PSP outcome; left for reconciliation", "payment", p.ID, "outcome", res.Outcome)
	return p, nil
}

func (s *Service) settleAuthorized(ctx context.Context, p Payment, txn Transaction, inv domain.Invoice, res psp.Result, now time.Time) (Payment, error) {
	p.AmountAuthorized = res.AmountAuthorized
	if p.AmountAuthorized <= 0 || p.AmountAuthorized > p.Amount {
		p.AmountAuthorized = p.Amount
	}
	p.AuthorizedAt = &now
	p.RedirectURL, p.DeclineCode, p.DeclineMessage = "", "", ""
	set := AuthSettlement{Txn: txn, InvoiceFrom: attemptHolds, At: now}
	var evType string
	next := domain.PaymentAuthorized
	if res.State == psp.StateCaptured {
		next = domain.PaymentCaptured
	}
	var err error
	if p.Status, err = p.Status.To(next); err != nil {
		// No longer in flight: another call settled it, as the store's guard would find.
		return s.settledMeanwhile(ctx, p, fmt.Errorf("%w: %w", apperr.ErrConflict, err))
	}
	if set.InvoiceTo, err = attemptHolds.To(domain.InvoiceAuthorized); err != nil {
		return p, apperr.Internal(err)
	}
	if set.Txn.Result, err = set.Txn.Result.To(domain.TxnSucceeded); err != nil {
		return s.settledMeanwhile(ctx, p, fmt.Errorf("%w: %w", apperr.ErrConflict, err))
	}
	if res.State == psp.StateCaptured {
		p.AmountCaptured = res.AmountCaptured
		if p.AmountCaptured <= 0 || p.AmountCaptured > p.AmountAuthorized {
			p.AmountCaptured = p.AmountAuthorized
		}
		p.CapturedAt = &now
		// Earlier parts or bank transfers may have paid some of the invoice before this payment.
		inv.AmountPaid, inv.PaidAt = inv.AmountPaid+p.AmountCaptured, &now
		set.AmountPaid, set.PaidAt = inv.AmountPaid, &now
		if set.InvoiceTo, err = attemptHolds.AfterPayment(inv.AmountPaid, inv.AmountTotal); err != nil {
			return p, apperr.Internal(err)
		}
		evType = domain.EventPaymentCaptured
	} else {
		exp := now.Add(s.authorizationWindow())
		p.AuthorizationExpiresAt = &exp
		evType = domain.EventPaymentAuthorized
	}
	// The link is done once nothing is left to pay through it; a part leaves it open for the next.
	if set.InvoiceTo != domain.InvoicePartiallyPaid {
		if set.LinkTo, err = domain.LinkActive.To(domain.LinkCompleted); err != nil {
			return p, apperr.Internal(err)
		}
	}
	inv.Status = set.InvoiceTo
	p.UpdatedAt = now
	set.Payment = p
	set.Txn.PSPReference = p.PSPReference
	set.Events = []domain.Event{paymentEvent(evType, p, inv)}
	// Paid in full, or a part of it: every other status announces nothing more.
	if inv.Status == domain.InvoicePaid {
		set.Events = append(set.Events, paidEvent(inv, domain.MethodCard))
	} else if inv.Status == domain.InvoicePartiallyPaid {
		set.Events = append(set.Events, partiallyPaidEvent(inv, p))
	}
	if err = s.Store.SettleAuthorization(ctx, set); err != nil {
		return s.settledMeanwhile(ctx, p, err)
	}
	return p, nil
}

func (s *Service) settleDeclined(ctx context.Context, p Payment, txn Transaction, inv domain.Invoice, res psp.Result, now time.Time) (Payment, error) {
	var err error
	if p.Status, err = p.Status.To(domain.PaymentFailed); err != nil {
		return s.settledMeanwhile(ctx, p, fmt.Errorf("%w: %w", apperr.ErrConflict, err))
	}
	p.DeclineCode = string(res.DeclineCode)
	if p.DeclineCode == "" {
		p.DeclineCode = string(psp.DeclineCardDeclined)
	}
	p.DeclineMessage = res.DeclineMessage
	p.RedirectURL = ""
	p.UpdatedAt = now
	if txn.Result, err = txn.Result.To(domain.TxnFailed); err != nil {
		return s.settledMeanwhile(ctx, p, fmt.Errorf("%w: %w", apperr.ErrConflict, err))
	}
	txn.PSPReference = p.PSPReference
	if txn.ErrorCode == "" {
		txn.ErrorCode = p.DeclineCode
	}
	txn.ErrorMessage = p.DeclineMessage
	// The invoice can be paid again: open, or partially paid when earlier parts were.
	invTo, err := attemptHolds.Released(inv.AmountPaid)
	if err != nil {
		return p, apperr.Internal(err)
	}
	set := AuthSettlement{Payment: p, Txn: txn, InvoiceFrom: attemptHolds, InvoiceTo: invTo, At: now,
		Events: []domain.Event{paymentEvent(domain.EventPaymentFailed, p, inv)}}
	if err := s.Store.SettleAuthorization(ctx, set); err != nil {
		return s.settledMeanwhile(ctx, p, err)
	}
	return p, nil
}

// settledMeanwhile handles a record that lost to another recorder (the payer's own request against
// reconciliation): the payment as stored is the answer.
func (s *Service) settledMeanwhile(ctx context.Context, p Payment, err error) (Payment, error) {
	if !errors.Is(err, apperr.ErrConflict) {
		return p, err
	}
	return s.Store.GetPayment(ctx, p.MerchantID, p.ID)
}

// Complete settles a payment after the payer returns from 3-D Secure, by asking the PSP.
func (s *Service) Complete(ctx context.Context, token, paymentID string) (Payment, error) {
	co, err := s.Links.ResolveLink(ctx, token)
	if err != nil {
		return Payment{}, err
	}
	p, err := s.Store.GetPayment(ctx, co.Link.MerchantID, paymentID)
	if errors.Is(err, apperr.ErrNotFound) || (err == nil && p.InvoiceID != co.Invoice.ID) {
		return Payment{}, apperr.NotFound("payment")
	}
	if err != nil {
		return Payment{}, err
	}
	if !p.Status.InFlight() || p.PSPReference == "" {
		return p, nil
	}
	pctx := context.WithoutCancel(ctx)
	return s.syncAuthorization(pctx, p, co.Invoice)
}

// syncAuthorization asks the PSP for the state of an in-flight payment and records it.
func (s *Service) syncAuthorization(ctx context.Context, p Payment, inv domain.Invoice) (Payment, error) {
	txn, err := s.authorizationTxn(ctx, p)
	if err != nil {
		return p, err
	}
	provider, err := s.providerOf(ctx, p)
	if err != nil {
		return p, err
	}
	res, perr := provider.Sync(ctx, p.PSPReference)
	return s.recordAuthorization(ctx, p, txn, inv, res, perr)
}

// authorizationTxn finds the authorize or sale transaction of a payment.
func (s *Service) authorizationTxn(ctx context.Context, p Payment) (Transaction, error) {
	txns, err := s.Store.ListTransactions(ctx, []string{p.ID})
	if err != nil {
		return Transaction{}, err
	}
	for _, t := range txns {
		if t.Type == domain.TxnAuthorize || t.Type == domain.TxnSale {
			return t, nil
		}
	}
	return Transaction{}, apperr.Internal(errors.New("payments: payment " + p.ID + " has no authorisation transaction"))
}
