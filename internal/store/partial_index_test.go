package store_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"securelink/internal/domain"
	"securelink/internal/notify"
	"securelink/internal/provideraccounts"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// TestPartialIndexesFollowTheDomain: every partial index the migrations leave on either database
// holds the rows the domain's rules name: the statuses in its WHERE are the domain's list for what
// the index serves (the store's queries build the same lists from the same rules). A migration that
// changes an index's list, or a rule that changes without its index, fails here; so does a new
// partial index that is not listed below.
func TestPartialIndexesFollowTheDomain(t *testing.T) {
	type predicate struct {
		column string
		values []string // the literals of the WHERE, in any order
	}
	want := map[string]predicate{
		"payments_one_in_flight":     {"status", strs(domain.PaymentStatusesWhere(domain.PaymentStatus.InFlight))},
		"payments_client_ip_failed":  {"status", strs([]domain.PaymentStatus{domain.PaymentFailed})},
		"payments_link_failed":       {"status", strs([]domain.PaymentStatus{domain.PaymentFailed})},
		"payments_authorized_expiry": {"status", strs(domain.PaymentStatusesWhere(domain.PaymentStatus.Capturable))},
		"invoices_open_expiry":       {"status", strs(domain.InvoiceStatusesWhere(domain.InvoiceStatus.Lapses))},
		"links_active_expiry":        {"status", strs(domain.LinkStatusesWhere(domain.LinkStatus.Closable))},
		"transactions_pending": {"result",
			strs(domain.StatusesWhere(domain.TransactionResults, domain.TransactionResult.Pending))},
		"emails_due":               {"status", strs([]notify.EmailStatus{notify.EmailQueued})},
		"webhook_deliveries_due":   {"status", strs([]notify.DeliveryStatus{notify.DeliveryPending})},
		"provider_accounts_active": {"status", strs([]provideraccounts.Status{provideraccounts.StatusActive})},
		"reminders_rule_once":      {"rule", strs([]domain.ReminderRule{domain.ReminderManual})},
		// Not statuses: rows with a value (an empty string is none).
		"payments_request_key":    {"request_key", []string{""}},
		"payments_statement_line": {"statement_line", []string{""}},
		"payments_psp_reference":  {"psp_reference", []string{""}},
		"invoices_payment_link":   {"payment_link_id", nil},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`
		if db.Dialect == store.DialectPostgres {
			q = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`
		}
		rows, err := db.SQL.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		seen := map[string]bool{}
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				t.Fatal(err)
			}
			where, ok := whereOf(def)
			if !ok {
				continue
			}
			seen[name] = true
			w, listed := want[name]
			if !listed {
				t.Errorf("partial index %s (WHERE %s) is not checked against the domain here", name, where)
				continue
			}
			if col := leadingColumn.FindStringSubmatch(where); col == nil || col[1] != w.column {
				t.Errorf("%s: WHERE %s does not test %s", name, where, w.column)
			}
			var got []string
			for _, m := range sqlLiteral.FindAllStringSubmatch(where, -1) {
				got = append(got, m[1])
			}
			slices.Sort(got)
			exp := slices.Sorted(slices.Values(w.values))
			if !slices.Equal(got, exp) {
				t.Errorf("%s: WHERE %s holds %q, the domain's list is %q", name, where, got, exp)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		for name := range want {
			if !seen[name] {
				t.Errorf("partial index %s is gone from the schema; drop it here too", name)
			}
		}
	})
}

var (
	// sqlLiteral is a string literal in SQL, as written in SQLite's schema or PostgreSQL's
	// indexdef ('failed'::text).
	sqlLiteral = regexp.MustCompile(`'([^']*)'`)
	// leadingColumn is the column a predicate starts with, after PostgreSQL's parentheses.
	leadingColumn = regexp.MustCompile(`^\(*\s*([a-z_]+)`)
	whereKeyword  = regexp.MustCompile(`(?i)\sWHERE\s`)
)

// whereOf returns the predicate of a partial index's definition.
func whereOf(def string) (string, bool) {
	loc := whereKeyword.FindStringIndex(def)
	if loc == nil {
		return "", false
	}
	return strings.TrimSpace(def[loc[1]:]), true
}

func strs[T ~string](ss []T) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
