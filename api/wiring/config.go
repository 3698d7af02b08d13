package wiring

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"securelink/internal/psp"
)

// Config is every setting, read from the environment and then from flags.
type Config struct {
	// PayFS replaces the built checkout embedded in the binary (tests serve a page of their own).
	PayFS         fs.FS
	Addr          string
	BaseURL       string
	DatabaseURL   string
	Secret        string
	SMTPURL       string
	SMTPFrom      string
	PSP           string
	GatewayURL    string
	GatewaySecret string
	// PSPValues are the default account's values for the PSP's fields, from variables named
	// PROVIDER_FIELD (STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, …).
	PSPValues map[string]string
	// TestAccountValues are operator values for every merchant's test accounts of a provider, by
	// provider and field, from variables named PROVIDER_TEST_FIELD (EXCHANGE_TEST_API_URL points
	// merchants' test Exchange accounts at a local sandbox). Only operator-only fields are read; a
	// live account never takes them, and an account's own values come first.
	TestAccountValues map[string]map[string]string
	// EncryptionKey seals provider credentials (SECURELINK_ENCRYPTION_KEY); PreviousEncryptionKeys
	// (SECURELINK_PREVIOUS_ENCRYPTION_KEYS, comma-separated) still open what they sealed until
	// rotate-encryption-key re-seals it.
	EncryptionKey          string
	PreviousEncryptionKeys string
	WebhookAllowPrivate    bool
	SeedDemo               bool
	SessionTTL             time.Duration
	// AuthorizationWindow is how long an uncaptured authorisation is held before it is voided
	// (zero: the payments default).
	AuthorizationWindow time.Duration
	TrustProxy          bool
	LogLevel            string
	// APIRateLimit is how many requests each API key may make per minute (0: no limit).
	APIRateLimit int
	// DatabaseMaxConns sizes the PostgreSQL pool of this process (zero: store.DefaultMaxConns).
	DatabaseMaxConns int
	// IdempotencyLease is how long an in-flight Idempotency-Key outlives a request that died.
	IdempotencyLease time.Duration
	// MetricsAddr serves /metrics on its own address instead of the main one when set.
	MetricsAddr string
	// PprofAddr serves Go's profiler on a loopback address when set (for `make bench -profile`).
	PprofAddr string
	// Log receives the request and job logs; nil means slog's default. Tests give each instance
	// its own, so they can run in parallel.
	Log *slog.Logger
}

// DefaultAPIRateLimit is how many requests an API key may make per minute unless
// SECURELINK_API_RATE_LIMIT says otherwise: 100 a second on average, as Stripe allows in live mode.
const DefaultAPIRateLimit = 6000

// Env returns the variable key, or def when it is unset or empty.
func Env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func envBool(key string) bool {
	v := strings.ToLower(os.Getenv(key))
	return v == "1" || v == "true" || v == "yes"
}

// LoadConfig reads the environment, then lets flags of the sub-command override it.
func LoadConfig(fs *flag.FlagSet, args []string) (Config, error) {
	c := Config{
		Addr:                   Env("SECURELINK_ADDR", ":8080"),
		BaseURL:                Env("SECURELINK_BASE_URL", "http://localhost:8080"),
		DatabaseURL:            os.Getenv("DATABASE_URL"),
		Secret:                 os.Getenv("SECURELINK_SECRET"),
		SMTPURL:                os.Getenv("SMTP_URL"),
		SMTPFrom:               Env("SMTP_FROM", "SecureLink <no-reply@securelink.local>"),
		PSP:                    Env("PSP", "testgateway"),
		GatewayURL:             os.Getenv("SECURELINK_GATEWAY_URL"),
		GatewaySecret:          os.Getenv("SECURELINK_GATEWAY_SECRET"),
		EncryptionKey:          os.Getenv("SECURELINK_ENCRYPTION_KEY"),
		PreviousEncryptionKeys: os.Getenv("SECURELINK_PREVIOUS_ENCRYPTION_KEYS"),
		WebhookAllowPrivate:    envBool("SECURELINK_WEBHOOK_ALLOW_PRIVATE"),
		SeedDemo:               envBool("SECURELINK_SEED_DEMO"),
		TrustProxy:             envBool("SECURELINK_TRUST_PROXY"),
		LogLevel:               Env("SECURELINK_LOG_LEVEL", "info"),
		PprofAddr:              os.Getenv("SECURELINK_PPROF_ADDR"),
		MetricsAddr:            os.Getenv("SECURELINK_METRICS_ADDR"),
		SessionTTL:             12 * time.Hour,
		APIRateLimit:           DefaultAPIRateLimit,
	}
	if v := os.Getenv("SECURELINK_API_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return c, fmt.Errorf("SECURELINK_API_RATE_LIMIT must be a whole number of requests per minute per API key (0: no limit)")
		}
		c.APIRateLimit = n
	}
	if v := os.Getenv("SECURELINK_SESSION_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return c, fmt.Errorf("SECURELINK_SESSION_TTL must be a duration of at least 1m, such as 12h")
		}
		c.SessionTTL = d
	}
	if v := os.Getenv("DATABASE_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return c, fmt.Errorf("DATABASE_MAX_CONNS must be a whole number of connections, such as 20")
		}
		c.DatabaseMaxConns = n
	}
	if v := os.Getenv("SECURELINK_IDEMPOTENCY_LEASE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return c, fmt.Errorf("SECURELINK_IDEMPOTENCY_LEASE must be a duration of at least 1s, such as 60s")
		}
		c.IdempotencyLease = d
	}
	if v := os.Getenv("SECURELINK_AUTHORIZATION_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			return c, fmt.Errorf("SECURELINK_AUTHORIZATION_WINDOW must be a duration of at least 1h, such as 240h")
		}
		c.AuthorizationWindow = d
	}
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (SECURELINK_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL used in links and e-mails (SECURELINK_BASE_URL)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "empty, sqlite:PATH or postgres://… (DATABASE_URL)")
	fs.StringVar(&c.PSP, "psp", c.PSP, "payment provider of the default account: testgateway, stripe, … (PSP)")
	fs.BoolVar(&c.SeedDemo, "seed-demo", c.SeedDemo, "create a demo merchant when the database has none (SECURELINK_SEED_DEMO)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return c, fmt.Errorf("SECURELINK_PPROF_ADDR must be a loopback address such as 127.0.0.1:6060: the profiler is not for the network")
		}
	}
	RegisterProviders()
	d, ok := psp.Lookup(c.PSP)
	if !ok {
		return c, fmt.Errorf("PSP must be one of %s, not %q", providerNames(), c.PSP)
	}
	c.TestAccountValues = testAccountValues(os.Getenv)
	c.PSPValues = map[string]string{}
	for _, f := range d.Fields {
		if v := os.Getenv(EnvName(d.Name, f.Key)); v != "" {
			c.PSPValues[f.Key] = v
		}
	}
	if !d.TestOnly {
		if err := d.CheckFields(accountFromValues(d, c.PSPValues)); err != nil {
			var ce *psp.ConfigError
			errors.As(err, &ce)
			return c, fmt.Errorf("PSP=%s needs %s: %s", d.Name, EnvName(d.Name, ce.Field), ce.Message)
		}
	}
	return c, nil
}

// LoopbackURL is how this process reaches its own listener (for the built-in gateway).
func LoopbackURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://127.0.0.1:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
