package store

import (
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUnavailable reports whether err means the database could not serve the statement now — no
// connection could be had (PostgreSQL refused it: too many clients, starting up or shutting down; the
// server is unreachable) or SQLite stayed busy — so the request may succeed if retried later (503).
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53300", // too_many_connections
			pe.Code == "53400",                // configuration_limit_exceeded
			strings.HasPrefix(pe.Code, "57P"), // admin_shutdown, crash_shutdown, cannot_connect_now
			strings.HasPrefix(pe.Code, "08"):  // connection_exception
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_BUSY") ||
		strings.Contains(s, "failed to connect to") || strings.Contains(s, "conn closed")
}

// deadConnection reports whether a statement failed because its connection had already died (the
// server ended the session: a restart, a failover, pg_terminate_backend, a pooler dropping it). The
// server answered with a fatal error instead of running the statement, so nothing was written and
// running it again on another connection is safe.
func deadConnection(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	// pgx's own verdict: the statement never left this process.
	return pgconn.SafeToRetry(err)
}
