-- +goose Up
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE merchants (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    legal_name           TEXT NOT NULL DEFAULT '',
    address              TEXT NOT NULL DEFAULT '',
    tax_id               TEXT NOT NULL DEFAULT '',
    support_email        TEXT NOT NULL DEFAULT '',
    notification_email   TEXT NOT NULL DEFAULT '',
    default_currency     TEXT NOT NULL DEFAULT 'RSD',
    default_locale       TEXT NOT NULL DEFAULT 'sr-Latn',
    default_capture_mode TEXT NOT NULL DEFAULT 'automatic',
    terms                TEXT NOT NULL DEFAULT '',
    invoice_seq          BIGINT NOT NULL DEFAULT 0,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    merchant_id   TEXT NOT NULL REFERENCES merchants(id),
    email         TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_merchant ON users (merchant_id, id);

CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  DATETIME NOT NULL,
    accepted_at DATETIME,
    created_at  DATETIME NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME,
    expires_at   DATETIME,
    revoked_at   DATETIME
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id, id);

CREATE TABLE auth_failures (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX auth_failures_key ON auth_failures (key, created_at);

CREATE TABLE invoices (
    id               TEXT PRIMARY KEY,
    merchant_id      TEXT NOT NULL REFERENCES merchants(id),
    number           TEXT NOT NULL,
    reference        TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    customer_name    TEXT NOT NULL,
    customer_email   TEXT NOT NULL,
    customer_phone   TEXT NOT NULL DEFAULT '',
    customer_address TEXT NOT NULL DEFAULT '',
    currency         TEXT NOT NULL,
    amount_total     BIGINT NOT NULL,
    amount_vat       BIGINT NOT NULL,
    amount_paid      BIGINT NOT NULL DEFAULT 0,
    amount_refunded  BIGINT NOT NULL DEFAULT 0,
    description      TEXT NOT NULL DEFAULT '',
    capture_mode     TEXT NOT NULL,
    locale           TEXT NOT NULL,
    search_text      TEXT NOT NULL DEFAULT '',
    expires_at       DATETIME NOT NULL,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    paid_at          DATETIME,
    cancelled_at     DATETIME,
    created_by       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX invoices_number ON invoices (merchant_id, number);
CREATE INDEX invoices_merchant_id ON invoices (merchant_id, id DESC);
CREATE INDEX invoices_merchant_status ON invoices (merchant_id, status, id DESC);
CREATE INDEX invoices_expiry ON invoices (status, expires_at);

CREATE TABLE invoice_lines (
    invoice_id   TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    description  TEXT NOT NULL,
    quantity     BIGINT NOT NULL,
    unit_amount  BIGINT NOT NULL,
    vat_rate_bp  BIGINT NOT NULL,
    amount_total BIGINT NOT NULL,
    amount_vat   BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE links (
    id             TEXT PRIMARY KEY,
    invoice_id     TEXT NOT NULL REFERENCES invoices(id),
    merchant_id    TEXT NOT NULL REFERENCES merchants(id),
    token          TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL,
    expires_at     DATETIME NOT NULL,
    created_at     DATETIME NOT NULL,
    deactivated_at DATETIME
);
CREATE INDEX links_invoice ON links (invoice_id, id DESC);
CREATE INDEX links_expiry ON links (status, expires_at);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_type  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX audit_log_merchant ON audit_log (merchant_id, id DESC);

CREATE TABLE idempotency_keys (
    scope           TEXT NOT NULL,
    key             TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status          TEXT NOT NULL,
    response_status INTEGER NOT NULL DEFAULT 0,
    response_body   TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    merchant_id   TEXT NOT NULL,
    type          TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    payload       TEXT NOT NULL,
    webhook       BOOLEAN NOT NULL,
    created_at    DATETIME NOT NULL,
    dispatched_at DATETIME
);
CREATE INDEX events_merchant ON events (merchant_id, id DESC);
CREATE INDEX events_undispatched ON events (dispatched_at, id);

-- +goose Down
DROP TABLE events;
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE links;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE auth_failures;
DROP TABLE api_keys;
DROP TABLE invitations;
DROP TABLE users;
DROP TABLE merchants;
DROP TABLE settings;
