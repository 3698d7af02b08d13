package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/psp"
)

// reconcileBatch is how many pending operations one Reconcile round looks at.
const reconcileBatch = 100

// Reconcile settles operations whose outcome was not recorded (PSP time-out, process killed): a
// pending transaction older than StaleAfter is claimed (so one replica handles it) and the same
// request is repeated with the same idempotency key, or the payment is fetched with Sync when the
// PSP's reference is known. It returns how many operations it settled.
func (s *Service) Reconcile(ctx context.Context) (int, error) {
	now := s.now()
	due, err := s.Store.DuePending(ctx, now, reconcileBatch)
	if err != nil {
		return 0, err
	}
	settled := 0
	for _, t := range due {
		ok, err := s.Store.ClaimTransaction(ctx, t.ID, now, now.Add(claimLease))
		if err != nil {
			return settled, err
		}
		if !ok {
			continue // another replica has it
		}
		done, err := s.reconcileOne(ctx, t, now)
		if err != nil {
			slog.WarnContext(ctx, "reconciliation: operation still unsettled", "transaction", t.ID, "payment", t.PaymentID, "type", t.Type, "err", err)
			continue
		}
		if done {
			settled++
		}
	}
	return settled, nil
}

// reconcileOne repeats or syncs one pending operation; done reports whether it is settled now.
func (s *Service) reconcileOne(ctx context.Context, t Transaction, now time.Time) (bool, error) {
	p, err := s.Store.GetPayment(ctx, t.MerchantID, t.PaymentID)
	if err != nil {
		return false, err
	}
	switch t.Type {
	case domain.TxnAuthorize, domain.TxnSale:
		return s.reconcileAuthorization(ctx, p, t, now)
	case domain.TxnCapture, domain.TxnVoid:
		res, perr := s.callOperation(ctx, p, t)
		if perr != nil && !psp.IsRequestError(perr) {
			return false, perr
		}
		_, err := s.recordOperation(ctx, p, t, res, perr)
		var ae *apperr.Error
		if errors.As(err, &ae) && (ae.Kind == apperr.KindConflict || ae.Kind == apperr.KindCard) {
			return true, nil // recorded as failed
		}
		return err == nil, err
	case domain.TxnRefund:
		r, err := s.Store.GetRefund(ctx, t.MerchantID, t.RefundID)
		if err != nil {
			return false, err
		}
		res, perr := s.callRefund(ctx, p, r)
		if perr != nil && !psp.IsRequestError(perr) {
			return false, perr
		}
		out, err := s.recordRefund(ctx, r, t, res, perr)
		return err == nil && out.Status != domain.RefundPending, err
	}
	return false, fmt.Errorf("payments: reconcile: unknown transaction type %q", t.Type)
}

func (s *Service) reconcileAuthorization(ctx context.Context, p Payment, t Transaction, now time.Time) (bool, error) {
	if !p.Status.InFlight() {
		return false, fmt.Errorf("payments: reconcile: payment %s is %s but its %s is pending", p.ID, p.Status, t.Type)
	}
	inv, err := s.Store.GetInvoice(ctx, p.MerchantID, p.InvoiceID)
	if err != nil {
		return false, err
	}
	provider, err := s.providerOf(ctx, p)
	if err != nil {
		return false, err
	}
	var (
		res  psp.Result
		perr error
	)
	if p.PSPReference != "" {
		res, perr = provider.Sync(ctx, p.PSPReference)
	} else {
		// The PSP answers a repeated request from its store: no second charge.
		res, perr = provider.Authorize(ctx, s.authorizeRequest(p))
	}
	if perr != nil && !psp.IsRequestError(perr) {
		return false, perr
	}
	if perr == nil && res.Outcome == psp.OutcomeRequiresAction && now.Sub(p.CreatedAt) > orDefault(s.AbandonAfter, DefaultAbandonAfter) {
		if res, perr = s.abandon(ctx, p, res); perr != nil && !psp.IsRequestError(perr) {
			return false, perr
		}
	}
	out, err := s.recordAuthorization(ctx, p, t, inv, res, perr)
	if err != nil {
		return false, err
	}
	return !out.Status.InFlight(), nil
}

// abandon ends an attempt whose payer left 3-D Secure unfinished, so the invoice can be paid again.
// The PSP's payment is cancelled first: a challenge finished later must not take money behind an
// attempt we record as failed. If the payer finished just now, the PSP refuses and its answer wins.
func (s *Service) abandon(ctx context.Context, p Payment, res psp.Result) (psp.Result, error) {
	ref := res.PaymentRef
	if ref == "" {
		ref = p.PSPReference
	}
	provider, err := s.providerOf(ctx, p)
	if err != nil {
		return res, err
	}
	_, err = provider.Void(ctx, psp.VoidRequest{IdempotencyKey: p.ID + ":abandon", PaymentRef: ref})
	if psp.IsRequestError(err) {
		return provider.Sync(ctx, ref)
	}
	if err != nil {
		return res, err
	}
	res.Outcome, res.State, res.DeclineCode = psp.OutcomeDeclined, psp.StateFailed, psp.DeclineAuthenticationFailed
	res.DeclineMessage = "3-D Secure authentication was not completed in time."
	return res, nil
}

// ExpireAuthorizations voids authorisations held longer than AuthorizationWindow (actor system).
func (s *Service) ExpireAuthorizations(ctx context.Context) (int, error) {
	due, err := s.Store.ExpiredAuthorizations(ctx, s.now(), reconcileBatch)
	if err != nil {
		return 0, err
	}
	voided := 0
	for _, p := range due {
		_, err := s.Void(ctx, SystemActor(p.MerchantID), p.ID)
		var ae *apperr.Error
		switch {
		case err == nil:
			voided++
		case errors.As(err, &ae) && ae.Kind == apperr.KindConflict:
			// Captured or voided meanwhile, or another replica is voiding it.
		default:
			slog.WarnContext(ctx, "authorisation expiry: void failed", "payment", p.ID, "err", err)
		}
	}
	return voided, nil
}

// SettleFromPSP reacts to a PSP's notification about a payment (a webhook): an in-flight payment is
// settled at once by asking the PSP; anything else is left to the operations and reconciliation.
// Unknown payments are ignored, since a PSP account may serve other systems too.
func (s *Service) SettleFromPSP(ctx context.Context, accountID, pspRef, reference string) error {
	var (
		p   Payment
		err error
	)
	if reference != "" {
		p, err = s.Store.GetPayment(ctx, "", reference)
	} else {
		p, err = s.Store.GetPaymentByPSPReference(ctx, accountID, pspRef)
	}
	if errors.Is(err, apperr.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	// An account's notification is about its own payments only: another account's are not its to
	// settle, whatever the body names.
	if p.ProviderAccountID != accountID {
		return nil
	}
	if !p.Status.InFlight() {
		return nil
	}
	if p.PSPReference == "" {
		p.PSPReference = pspRef
	}
	if p.PSPReference == "" {
		return nil
	}
	inv, err := s.Store.GetInvoice(ctx, p.MerchantID, p.InvoiceID)
	if err != nil {
		return err
	}
	_, err = s.syncAuthorization(context.WithoutCancel(ctx), p, inv)
	return err
}
