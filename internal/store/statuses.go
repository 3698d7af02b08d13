package store

import (
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"securelink/internal/domain"
	"securelink/internal/notify"
)

// Statuses some queries spell out as SQL literals, rendered from the domain's rules: a bound
// parameter would not prove a partial index's predicate (status = 'failed' and the like) to
// PostgreSQL's generic plans. The guards of other updates are bound lists from the same rules.
var (
	// lapsingStatusesSQL are the invoice statuses that become expired when the expiry passes.
	lapsingStatusesSQL = sqlList(domain.InvoiceStatusesWhere(domain.InvoiceStatus.Lapses))
	// failedPaymentSQL is a failed payment attempt's status.
	failedPaymentSQL = sqlList([]domain.PaymentStatus{domain.PaymentFailed})
	// linkUsableSQL is the status of a link a payer can pay through.
	linkUsableSQL = sqlList(domain.LinkStatusesWhere(domain.LinkStatus.Usable))
	// slotHoldingSQL are the statuses of a reusable link's orders that count against its maximum
	// of payments.
	slotHoldingSQL = sqlList(domain.InvoiceStatusesWhere(domain.InvoiceStatus.HoldsLinkSlot))
	// queuedEmailSQL is the status of an e-mail waiting for an SMTP attempt (the emails_due index).
	queuedEmailSQL = sqlList([]notify.EmailStatus{notify.EmailQueued})
	// pendingDeliverySQL is the status of a webhook delivery waiting for an attempt (the
	// webhook_deliveries_due index).
	pendingDeliverySQL = sqlList([]notify.DeliveryStatus{notify.DeliveryPending})
	// The predicates of the queries of the partial indexes invoices_open_expiry (statuses that lapse
	// when the expiry passes), payments_authorized_expiry (authorisations not yet captured or
	// released) and transactions_pending (outcome not yet recorded); see sqlIsOneOf.
	lapsingInvoiceSQL    = sqlIsOneOf("status", domain.InvoiceStatusesWhere(domain.InvoiceStatus.Lapses))
	capturablePaymentSQL = sqlIsOneOf("status", domain.PaymentStatusesWhere(domain.PaymentStatus.Capturable))
	pendingResultSQL     = sqlIsOneOf("result", domain.StatusesWhere(domain.TransactionResults, domain.TransactionResult.Pending))
	// effectiveStatusSQL is domain.Invoice.EffectiveStatus of an invoices row; its one parameter is now.
	effectiveStatusSQL = "CASE WHEN status IN (" + lapsingStatusesSQL + ") AND expires_at <= ? THEN " +
		sqlList([]domain.InvoiceStatus{domain.InvoiceExpired}) + " ELSE status END"
)

// sqlList renders statuses as a comma-separated list of SQL string literals. Statuses are the
// domain's own constants (lower-case words); anything else is a programming error.
func sqlList[T ~string](ss []T) string {
	if len(ss) == 0 {
		panic("store: an empty status list in SQL")
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		if strings.Trim(string(s), "abcdefghijklmnopqrstuvwxyz_") != "" || s == "" {
			panic("store: status " + string(s) + " is not a plain word")
		}
		parts[i] = "'" + string(s) + "'"
	}
	return strings.Join(parts, ", ")
}

// sqlIsOneOf renders "column = 'status'" for one status and "column IN (…)" for more. SQLite
// uses a partial index only when the query's WHERE repeats the index's terms: an IN list of one
// does not prove the index's status = 'open', so those queries read the whole table (a million
// invoices on every run of the expiry job).
func sqlIsOneOf[T ~string](column string, ss []T) string {
	if len(ss) == 1 {
		return column + " = " + sqlList(ss)
	}
	return column + " IN (" + sqlList(ss) + ")"
}

// refundRuleSQL renders rule.After(refunded+amount, total) over a row's columns as SQL: the status
// a refund of amount leaves, decided on the row as it is when the refund is added (concurrent
// refunds of one payment add up atomically). Its parameters are amount, rule.Full, rule.Partial.
// The store's tests evaluate it against RefundRule.After for every case on both databases.
func refundRuleSQL(refundedCol, totalCol string) string {
	return "CASE WHEN " + refundedCol + " + ? >= " + totalCol + " THEN ? ELSE ? END"
}

// refundRuleExpr is refundRuleSQL bound to a rule and an amount, for an UPDATE's SET.
func refundRuleExpr[S ~string](rule domain.RefundRule[S], refundedCol, totalCol string, amount int64) clause.Expr {
	return gorm.Expr(refundRuleSQL(refundedCol, totalCol), amount, string(rule.Full), string(rule.Partial))
}
