package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"securelink/internal/domain"
	"securelink/internal/store"
)

// benchDatabase is the throw-away database of one run.
type benchDatabase struct {
	adminURL string // the server's maintenance database, where CREATE/DROP DATABASE run
	Name     string
	URL      string
}

// databaseURL returns adminURL pointing at database name instead.
func databaseURL(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", fmt.Errorf("parse the PostgreSQL URL: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("the PostgreSQL URL must start with postgres://, not %q", u.Scheme+"://")
	}
	u.Path = "/" + name
	return u.String(), nil
}

// createDatabase makes securelink_bench_<random> on the server behind adminURL.
func createDatabase(ctx context.Context, adminURL string) (*benchDatabase, error) {
	name := "securelink_bench_" + strings.ToLower(strings.ReplaceAll(domain.NewToken(6), "-", "_"))
	dbURL, err := databaseURL(adminURL, name)
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w", redact(adminURL), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	return &benchDatabase{adminURL: adminURL, Name: name, URL: dbURL}, nil
}

// drop removes the database even while connections remain.
func (d *benchDatabase) drop(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, d.adminURL)
	if err != nil {
		return fmt.Errorf("connect to drop %s: %w", d.Name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.Name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", d.Name, err)
	}
	return nil
}

// redact hides a password in a database URL before it is printed.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// openPool connects the bench's own pool to the bench database, sized for the workers.
func openPool(ctx context.Context, dbURL string, conns int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("parse the bench database URL: %w", err)
	}
	cfg.MaxConns = int32(conns)
	cfg.MinConns = int32(conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to the bench database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping the bench database: %w", err)
	}
	return pool, nil
}

// postgresVersion is the server's version string, for the report.
func postgresVersion(ctx context.Context, pool *pgxpool.Pool) string {
	var v string
	if err := pool.QueryRow(ctx, "SHOW server_version").Scan(&v); err != nil {
		return "unknown"
	}
	return v
}

// seedKind chooses what the bulk-loaded invoices look like.
type seedKind int

const (
	// seedHistory is a merchant's past: mostly open and paid invoices, some cancelled.
	seedHistory seedKind = iota
	// seedPayable is a pool of open, automatically captured invoices for the pay scenario.
	seedPayable
)

// seedResult is what a bulk load made.
type seedResult struct {
	Tokens     []string // link tokens of the invoices, in creation order
	RareEmail  string   // one customer's e-mail that matches exactly one invoice
	CommonName string   // a surname many customers share
	Took       time.Duration
	Phases     []string // how long each step took, for the log
}

var (
	firstNames = []string{"Ana", "Marko", "Jelena", "Nikola", "Milica", "Stefan", "Jovana", "Luka", "Ivana", "Petar",
		"Marija", "Nemanja", "Teodora", "Aleksandar", "Sara", "Miloš", "Katarina", "Dušan", "Tamara", "Vuk"}
	surnames = []string{"Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić", "Stanković",
		"Pavlović", "Milošević", "Popović", "Živković", "Todorović", "Kostić", "Ristić", "Savić", "Lukić", "Mitrović",
		"Simić", "Obradović"}
	lineDescriptions = []string{"Konsultacije", "Izrada sajta", "Mesečno održavanje", "Dizajn logotipa", "Prevod dokumenta",
		"Servis klima uređaja", "Dostava", "Časovi engleskog", "Fotografisanje", "Zakup sale"}
	asciiFold = strings.NewReplacer("š", "s", "đ", "dj", "č", "c", "ć", "c", "ž", "z", "Š", "s", "Đ", "dj", "Č", "c", "Ć", "c", "Ž", "z")
)

// bulkLoadChunk is how many invoices one bulk-load transaction writes: a million in one would hold
// the generated rows' memory for too long, and on SQLite the bench's transaction holds the file's
// write lock, which the product's background jobs wait for (up to its 10 s busy timeout) meanwhile.
func bulkLoadChunk(kind string) int {
	if kind == dbSQLite {
		return 4_000
	}
	return 25_000
}

// sqliteLoadPause is how long the bulk load leaves SQLite's write lock free after each chunk. A
// product's write that finds the lock taken waits in SQLite's busy handler, which tries again at
// most every 100 ms (later than that on a busy machine): the few milliseconds of generating the
// next chunk were a gap it could miss every time, until its busy timeout ran out. On a slow
// machine, loading a million invoices in chunks of 2,000 (0.7 s each, then 30 ms to generate the
// next) left two of the product's webhook jobs with SQLITE_BUSY.
const sqliteLoadPause = 150 * time.Millisecond

// pause leaves SQLite's lock to the product for sqliteLoadPause, or gives up with ctx.
func pause(ctx context.Context) error {
	select {
	case <-time.After(sqliteLoadPause):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// analyzeSQLite leaves what the server's hourly refresh leaves: statistics per index, no
// sqlite_stat4 samples (those would make it compile its statements again on every run). It
// analyses one index (or index-less table) at a time, and pauses for sqliteLoadPause once they have
// kept the write lock busy for a second: a whole ANALYZE is one write transaction, and at a million
// invoices it held the lock for 16 s on a slow machine, longer than the product's background jobs
// wait for it.
func analyzeSQLite(ctx context.Context, st *sqliteStore) error {
	var names []string
	rows := st.QueryRow(ctx, `SELECT coalesce(json_group_array(name), '[]') FROM (
		SELECT name FROM sqlite_schema WHERE type = 'index'
		UNION ALL
		SELECT t.name FROM sqlite_schema t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'
			AND NOT EXISTS (SELECT 1 FROM sqlite_schema i WHERE i.type = 'index' AND i.tbl_name = t.name))`)
	var list string
	if err := rows.Scan(&list); err != nil {
		return fmt.Errorf("list the indexes: %w", err)
	}
	if err := json.Unmarshal([]byte(list), &names); err != nil {
		return fmt.Errorf("list the indexes: %w", err)
	}
	since := time.Now() // the last pause
	for _, name := range names {
		if err := st.Exec(ctx, `ANALYZE "`+name+`"`); err != nil {
			return fmt.Errorf("analyze %s: %w", name, err)
		}
		if time.Since(since) < time.Second {
			continue // most indexes take milliseconds: pause once the lock was busy for a second
		}
		if err := pause(ctx); err != nil {
			return err
		}
		since = time.Now()
	}
	if err := st.Exec(ctx, "DELETE FROM sqlite_stat4; ANALYZE sqlite_schema"); err != nil {
		return err
	}
	// The product's connections read the statistics when they load the schema: without this, they
	// would plan at a million invoices with the statistics of whenever they opened.
	return store.ReloadPlannerStatistics(ctx, st.db)
}

// bulkLoadInvoices inserts n invoices with their lines and links for the merchant, as the product's
// store would have written them, in transactions of bulkLoadChunk invoices (COPY on PostgreSQL,
// multi-row INSERTs on SQLite). The merchant's invoice_seq is advanced with each so numbers stay
// unique and the product keeps numbering after them; nothing else creates invoices meanwhile.
func bulkLoadInvoices(ctx context.Context, st benchStore, merchantID string, n int, kind seedKind) (seedResult, error) {
	started := time.Now()
	var seq int64
	var currency, locale, createdBy string
	if err := st.QueryRow(ctx, "SELECT invoice_seq, default_currency, default_locale FROM merchants WHERE id = $1",
		merchantID).Scan(&seq, &currency, &locale); err != nil {
		return seedResult{}, fmt.Errorf("bulk load: read merchant %s: %w", merchantID, err)
	}
	if err := st.QueryRow(ctx, "SELECT id FROM api_keys WHERE merchant_id = $1 ORDER BY id LIMIT 1", merchantID).Scan(&createdBy); err != nil {
		return seedResult{}, fmt.Errorf("bulk load: find the merchant's API key: %w", err)
	}
	rng := rand.New(rand.NewPCG(uint64(started.UnixNano()), uint64(n)))
	res := seedResult{CommonName: surnames[1]}
	if kind == seedPayable {
		res.Tokens = make([]string, 0, n)
	}
	var generate, write, pauses time.Duration
	for done := 0; done < n; {
		size := min(bulkLoadChunk(st.Kind()), n-done)
		phase := time.Now()
		invoiceRows := make([][]any, 0, size)
		lineRows := make([][]any, 0, 2*size)
		linkRows := make([][]any, 0, size)
		searchRows := make([][]any, 0, size)
		var paymentRows, txnRows, eventRows [][]any
		for i := done; i < done+size; i++ {
			now := time.Now().UTC().Truncate(time.Microsecond)
			id := domain.NewID(domain.PrefixInvoice)
			number := fmt.Sprintf("INV-%06d", seq+int64(i)+1)
			first, last := firstNames[rng.IntN(len(firstNames))], surnames[rng.IntN(len(surnames))]
			name := first + " " + last
			email := fmt.Sprintf("%s.%s.%d@example.com", asciiFold.Replace(strings.ToLower(first)), asciiFold.Replace(strings.ToLower(last)), seq+int64(i)+1)
			if i == n/2 {
				res.RareEmail = email
			}
			reference := ""
			if rng.IntN(2) == 0 {
				reference = fmt.Sprintf("ORD-%d", 10000+rng.IntN(900000))
			}

			var total, vat int64
			for pos := range 1 + rng.IntN(3) {
				line := domain.InvoiceLine{Description: lineDescriptions[rng.IntN(len(lineDescriptions))],
					Quantity: int64(1 + rng.IntN(3)), UnitAmount: int64(1000 + rng.IntN(5_000_000)), VATRateBP: []int64{2000, 1000}[rng.IntN(2)]}
				total += line.Total()
				vat += line.VAT()
				lineRows = append(lineRows, []any{id, pos, line.Description, line.Quantity, line.UnitAmount, line.VATRateBP, line.Total(), line.VAT()})
			}

			status, linkStatus, captureMode := domain.InvoiceOpen, domain.LinkActive, domain.CaptureAutomatic
			var paidAt, cancelledAt, deactivatedAt *time.Time
			var amountPaid int64
			if kind == seedHistory {
				switch r := rng.IntN(100); {
				case r < 30:
					status, linkStatus, paidAt, amountPaid = domain.InvoicePaid, domain.LinkCompleted, &now, total
				case r < 37:
					status, linkStatus, cancelledAt, deactivatedAt = domain.InvoiceCancelled, domain.LinkDeactivated, &now, &now
				}
				if rng.IntN(10) == 0 {
					captureMode = domain.CaptureManual
				}
			}
			expiresAt := now.Add(domain.DefaultLinkTTL)
			search := strings.ToLower(strings.Join([]string{name, email, number, reference}, " | "))
			invoiceRows = append(invoiceRows, []any{id, merchantID, number, reference, string(status), name, email, "", "",
				currency, total, vat, amountPaid, int64(0), "", string(captureMode), locale, expiresAt, now, now,
				paidAt, cancelledAt, createdBy})
			searchRows = append(searchRows, []any{id, merchantID, search, strings.ToLower(email)})

			token := domain.NewToken(domain.LinkTokenBytes)
			linkID := domain.NewID(domain.PrefixLink)
			linkRows = append(linkRows, []any{linkID, id, merchantID, token, string(linkStatus), expiresAt, now, deactivatedAt})
			if status == domain.InvoicePaid {
				// A paid invoice has the card payment that paid it, its transaction and its two
				// dispatched events, so the planner knows those tables as it would after months.
				paymentID, ref := domain.NewID(domain.PrefixPayment), "tg_"+domain.NewToken(8)
				paymentRows = append(paymentRows, []any{paymentID, merchantID, id, linkID, string(domain.PaymentCaptured), total, currency,
					string(captureMode), total, total, "visa", "4242", 12, 2030, "testgateway", ref, "hist_" + paymentID, now, now, now, now, now})
				txnRows = append(txnRows, []any{domain.NewID(domain.PrefixTransaction), merchantID, paymentID, string(domain.TxnSale), total,
					currency, string(domain.TxnSucceeded), ref, "payer", "hist_" + paymentID + "_sale", now, now, now})
				for _, ev := range []struct{ typ, object string }{{domain.EventPaymentCaptured, paymentID}, {domain.EventInvoicePaid, id}} {
					eventRows = append(eventRows, []any{domain.NewID(domain.PrefixEvent), merchantID, ev.typ, ev.object,
						`{"id":"` + ev.object + `"}`, true, now})
				}
			}
			if kind == seedPayable {
				res.Tokens = append(res.Tokens, token)
			}
		}
		tables := []tableRows{
			{"invoices", []string{"id", "merchant_id", "number", "reference", "status", "customer_name", "customer_email",
				"customer_phone", "customer_address", "currency", "amount_total", "amount_vat", "amount_paid", "amount_refunded",
				"description", "capture_mode", "locale", "expires_at", "created_at", "updated_at", "paid_at",
				"cancelled_at", "created_by"}, invoiceRows},
			{"invoice_search", []string{"invoice_id", "merchant_id", "search_text", "email"}, searchRows},
			{"invoice_lines", []string{"invoice_id", "position", "description", "quantity", "unit_amount", "vat_rate_bp",
				"amount_total", "amount_vat"}, lineRows},
			{"links", []string{"id", "invoice_id", "merchant_id", "token", "status", "expires_at", "created_at", "deactivated_at"}, linkRows},
			{"payments", []string{"id", "merchant_id", "invoice_id", "link_id", "status", "amount", "currency", "capture_mode",
				"amount_authorized", "amount_captured", "card_brand", "card_last4", "card_exp_month", "card_exp_year", "psp",
				"psp_reference", "idempotency_key", "terms_accepted_at", "created_at", "updated_at", "authorized_at", "captured_at"}, paymentRows},
			{"transactions", []string{"id", "merchant_id", "payment_id", "type", "amount", "currency", "result", "psp_reference",
				"actor", "idempotency_key", "created_at", "updated_at", "next_attempt_at"}, txnRows},
			{"events", []string{"id", "merchant_id", "type", "object_id", "payload", "webhook", "created_at"}, eventRows},
		}
		generate += time.Since(phase)
		phase = time.Now()
		next := done + size
		if err := st.Load(ctx, tables, func(tx txExec) error {
			return tx.Exec(ctx, "UPDATE merchants SET invoice_seq = $2 WHERE id = $1", merchantID, seq+int64(next))
		}); err != nil {
			return seedResult{}, fmt.Errorf("bulk load: %w", err)
		}
		write += time.Since(phase)
		done = next
		if st.Kind() == dbSQLite && done < n {
			if err := pause(ctx); err != nil {
				return seedResult{}, err
			}
			pauses += sqliteLoadPause
		}
	}
	res.Phases = append(res.Phases, "generate "+generate.Round(time.Millisecond).String(), "write "+write.Round(time.Millisecond).String())
	if pauses > 0 {
		res.Phases = append(res.Phases, "pauses for the product's writes "+pauses.Round(time.Millisecond).String())
	}
	// A database that grew to this size over months has fresh planner statistics and has been
	// vacuumed; give these tables that now instead of letting autovacuum do it (on PostgreSQL, a
	// bulk insert's vacuum) inside the next scenario's window, on its CPUs and in its figures.
	phase := time.Now()
	analyze := "VACUUM (ANALYZE) invoices, invoice_search, invoice_lines, links"
	if kind == seedHistory {
		// Only a history has payments. Statistics of an empty payments table would tell the
		// planner it stays empty: each connection's plans of the foreign-key checks and of the
		// claim's failure counts would then scan it whole for the rest of the run, as it grows.
		// Never analysed, PostgreSQL assumes a table of some pages and plans index scans.
		analyze += ", payments, transactions, events"
	}
	if lite, ok := st.(*sqliteStore); ok {
		if err := analyzeSQLite(ctx, lite); err != nil {
			return seedResult{}, fmt.Errorf("bulk load: analyze: %w", err)
		}
	} else if err := st.Exec(ctx, analyze); err != nil {
		return seedResult{}, fmt.Errorf("bulk load: vacuum and analyze: %w", err)
	}
	res.Phases = append(res.Phases, "vacuum+analyze "+time.Since(phase).Round(time.Millisecond).String())
	// Such a database has also long since written those pages to its files. Without this the
	// load's checkpoint (PostgreSQL's, triggered by the WAL it wrote, or the server's copying on
	// SQLite) ran through the next scenario's turns, on its CPUs and its disk.
	phase = time.Now()
	checkpoint := "CHECKPOINT"
	if st.Kind() == dbSQLite {
		checkpoint = "PRAGMA wal_checkpoint(PASSIVE)"
	}
	if err := st.Exec(ctx, checkpoint); err != nil {
		// A role without the right to CHECKPOINT still gets its figures, with this caveat.
		logf("bulk load: no checkpoint after it (%v): the database writes the load's pages inside the next turns", err)
	} else {
		res.Phases = append(res.Phases, "checkpoint "+time.Since(phase).Round(time.Millisecond).String())
	}
	res.Took = time.Since(started)
	return res, nil
}

// commitCeiling measures single-row INSERT+COMMIT transactions on a scratch table: the rate no
// write path that commits once can beat on this database.
func commitCeiling(ctx context.Context, st benchStore, cfg loadConfig) (loadResult, error) {
	st, err := st.Scratch()
	if err != nil {
		return loadResult{}, err
	}
	if err := st.Exec(ctx, `CREATE TABLE bench_commit (
		id         `+st.Serial()+`,
		worker     INTEGER NOT NULL,
		payload    TEXT NOT NULL)`); err != nil {
		return loadResult{}, fmt.Errorf("create the scratch table: %w", err)
	}
	payload := strings.Repeat("x", 100)
	res := runLoad(ctx, cfg, func(ctx context.Context, worker int) (time.Duration, error) {
		return 0, st.ExecTx(ctx, "INSERT INTO bench_commit (worker, payload) VALUES ($1, $2)", worker, payload)
	})
	if err := st.Exec(ctx, "DROP TABLE bench_commit"); err != nil {
		return res, fmt.Errorf("drop the scratch table: %w", err)
	}
	return res, nil
}
