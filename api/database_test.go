package api_test

import (
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/domain"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// adminDB is a connection to the test PostgreSQL server as its superuser.
func adminDB(t *testing.T) *sql.DB {
	t.Helper()
	admin, err := sql.Open("pgx", storetest.PostgresURL())
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		t.Skipf("PostgreSQL not reachable: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	return admin
}

// TestDatabaseRefusingConnectionsAnswers503: when PostgreSQL refuses new connections (53300, too many
// clients: here the role's connection limit) and the pooled ones are gone, API requests answer 503
// with Retry-After instead of 500, /readyz says so, and service resumes once connections are allowed.
func TestDatabaseRefusingConnectionsAnswers503(t *testing.T) {
	admin := adminDB(t)
	role := "securelink_limited_" + strings.ToLower(strings.ReplaceAll(domain.NewToken(6), "_", "x"))
	role = strings.ReplaceAll(role, "-", "x")
	if _, err := admin.Exec("CREATE ROLE " + role + " LOGIN"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP ROLE IF EXISTS " + role) })
	dbURL := storetest.URL(t, store.DialectPostgres)
	u, _ := url.Parse(dbURL)
	if _, err := admin.Exec("ALTER DATABASE " + strings.TrimPrefix(u.Path, "/") + " OWNER TO " + role); err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	e := apitest.New(t, store.DialectPostgres, func(c *wiring.Config) { c.DatabaseURL = u.String() })
	m := e.NewMerchant(t, "Pun")
	if r := e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()); r.Status != http.StatusOK {
		t.Fatalf("before: %d %s", r.Status, r.Body)
	}
	if _, err := admin.Exec("ALTER ROLE " + role + " CONNECTION LIMIT 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path string }{{"GET", "/api/v1/invoices"}, {"POST", "/api/v1/invoices"}, {"GET", "/api/v1/merchant"}} {
		var body any
		if c.method == "POST" {
			body = apitest.Invoice(1000)
		}
		r := e.Do(t, c.method, c.path, body, m.Auth())
		ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if r.Status != http.StatusServiceUnavailable || err != nil || ra < 1 || r.ErrorObject(t)["code"] != "service_unavailable" {
			t.Errorf("%s %s with no connection to be had: %d %s Retry-After=%q", c.method, c.path, r.Status, r.Body, r.Header.Get("Retry-After"))
		}
	}
	if r := e.Do(t, "GET", "/readyz", nil); r.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz: %d", r.Status)
	}
	if _, err := admin.Exec("ALTER ROLE " + role + " CONNECTION LIMIT -1"); err != nil {
		t.Fatal(err)
	}
	if r := e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()); r.Status != http.StatusOK {
		t.Errorf("after connections are allowed again: %d %s", r.Status, r.Body)
	}
}

// TestThroughPgBouncerInTransactionMode runs the product through PgBouncer in transaction pooling
// mode (Debian's pgbouncer): migrations, a payment, lists. pgx must not keep prepared statements
// across transactions there: the README's DATABASE_URL adds default_query_exec_mode=exec.
func TestThroughPgBouncerInTransactionMode(t *testing.T) {
	bouncer, err := exec.LookPath("pgbouncer")
	if err != nil {
		if _, err = os.Stat("/usr/sbin/pgbouncer"); err != nil {
			t.Skip("pgbouncer is not installed (apt-get install pgbouncer)")
		}
		bouncer = "/usr/sbin/pgbouncer"
	}
	adminDB(t)
	dbURL := storetest.URL(t, store.DialectPostgres)
	pg, _ := url.Parse(dbURL)
	// PgBouncer runs as nobody when the test runs as root: its files live in a folder it can read.
	dir, err := os.MkdirTemp("", "pgbouncer")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	_ = os.Chmod(dir, 0o755)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ini := fmt.Sprintf(`[databases]
* = host=%s port=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = transaction
default_pool_size = 4
ignore_startup_parameters = extra_float_digits
`, pg.Hostname(), pg.Port(), port, filepath.Join(dir, "users.txt"))
	_ = os.WriteFile(filepath.Join(dir, "users.txt"), []byte(`"postgres" ""`+"\n"), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "pgbouncer.ini"), []byte(ini), 0o644)
	args := []string{filepath.Join(dir, "pgbouncer.ini")}
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "nobody"}, args...) // PgBouncer refuses to run as root
	}
	cmd := exec.Command(bouncer, args...)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatalf("pgbouncer did not start: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	viaBouncer := *pg
	viaBouncer.Host = ln.Addr().String()
	q := viaBouncer.Query()
	q.Set("default_query_exec_mode", "exec")
	viaBouncer.RawQuery = q.Encode()

	e := apitest.New(t, store.DialectPostgres, func(c *wiring.Config) { c.DatabaseURL = viaBouncer.String(); c.DatabaseMaxConns = 8 })
	m := e.NewMerchant(t, "Bouncer")
	_, token := newInvoice(t, e, m, 2500, "automatic")
	paid := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard)})
	if paid.Status != http.StatusOK || paid.Map(t)["status"] != "captured" {
		t.Fatalf("pay through PgBouncer: %d %s", paid.Status, paid.Body)
	}
	for _, p := range []string{"/api/v1/invoices", "/api/v1/payments", "/api/v1/audit-log"} {
		if r := e.Do(t, "GET", p, nil, m.Auth()); r.Status != http.StatusOK {
			t.Errorf("GET %s through PgBouncer: %d %s", p, r.Status, r.Body)
		}
	}
}

// TestActionAndAuditRowCommitTogether: when the audit row cannot be written, the action it records is
// not done either (one transaction), so no action is ever left without its audit row.
func TestActionAndAuditRowCommitTogether(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Revizija")
		if _, err := e.App.DB.SQL.Exec("ALTER TABLE audit_log RENAME TO audit_log_away"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/v1/invoices", apitest.Invoice(1000)},
			{"POST", "/api/v1/api-keys", map[string]any{"name": "second"}},
			{"PATCH", "/api/v1/merchant", map[string]any{"name": "Changed"}},
		} {
			if r := e.Do(t, c.method, c.path, c.body, m.Auth()); r.Status < 500 {
				t.Errorf("%s %s without an audit log: %d %s", c.method, c.path, r.Status, r.Body)
			}
		}
		if _, err := e.App.DB.SQL.Exec("ALTER TABLE audit_log_away RENAME TO audit_log"); err != nil {
			t.Fatal(err)
		}
		e.App.DB.ForgetCachedCheckouts()
		if n := len(e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()).Map(t)["data"].([]any)); n != 0 {
			t.Errorf("%d invoices created without their audit rows", n)
		}
		if n := len(e.Do(t, "GET", "/api/v1/api-keys", nil, m.Auth()).Map(t)["data"].([]any)); n != 1 {
			t.Errorf("%d API keys, want only the first", n)
		}
		if name := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t)["name"]; name != "Revizija" {
			t.Errorf("merchant renamed without an audit row: %v", name)
		}
	})
}
