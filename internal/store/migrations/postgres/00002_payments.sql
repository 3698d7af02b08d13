-- +goose Up
-- Payments, their PSP operations (transactions) and refunds. No card number or CVC column exists:
-- only brand, last 4 digits and expiry, as the PSP reports them.
CREATE TABLE payments (
    id                       TEXT COLLATE "C" PRIMARY KEY,
    merchant_id              TEXT COLLATE "C" NOT NULL REFERENCES merchants(id),
    invoice_id               TEXT COLLATE "C" NOT NULL REFERENCES invoices(id),
    link_id                  TEXT COLLATE "C" NOT NULL,
    status                   TEXT NOT NULL,
    amount                   BIGINT NOT NULL,
    currency                 TEXT NOT NULL,
    capture_mode             TEXT NOT NULL,
    amount_authorized        BIGINT NOT NULL DEFAULT 0,
    amount_captured          BIGINT NOT NULL DEFAULT 0,
    amount_refunded          BIGINT NOT NULL DEFAULT 0,
    amount_refund_pending    BIGINT NOT NULL DEFAULT 0,
    card_brand               TEXT NOT NULL DEFAULT '',
    card_last4               TEXT NOT NULL DEFAULT '',
    card_exp_month           INTEGER NOT NULL DEFAULT 0,
    card_exp_year            INTEGER NOT NULL DEFAULT 0,
    psp                      TEXT NOT NULL,
    psp_reference            TEXT NOT NULL DEFAULT '',
    psp_token                TEXT NOT NULL DEFAULT '',
    idempotency_key          TEXT NOT NULL,
    return_url               TEXT NOT NULL DEFAULT '',
    description              TEXT NOT NULL DEFAULT '',
    redirect_url             TEXT NOT NULL DEFAULT '',
    decline_code             TEXT NOT NULL DEFAULT '',
    decline_message          TEXT NOT NULL DEFAULT '',
    pending_op               TEXT NOT NULL DEFAULT '',
    terms_accepted_at        TIMESTAMPTZ NOT NULL,
    terms_ip                 TEXT NOT NULL DEFAULT '',
    client_ip                TEXT NOT NULL DEFAULT '',
    created_at               TIMESTAMPTZ NOT NULL,
    updated_at               TIMESTAMPTZ NOT NULL,
    authorized_at            TIMESTAMPTZ,
    authorization_expires_at TIMESTAMPTZ,
    captured_at              TIMESTAMPTZ,
    voided_at                TIMESTAMPTZ,
    CHECK (amount_captured <= amount_authorized),
    CHECK (amount_refund_pending >= 0),
    CHECK (amount_refunded + amount_refund_pending <= amount_captured)
);
CREATE INDEX payments_merchant ON payments (merchant_id, id DESC);
CREATE INDEX payments_invoice ON payments (invoice_id, id DESC);
CREATE INDEX payments_link_status ON payments (link_id, status);
-- Only failures count towards the per-address limit, so only they are indexed.
CREATE INDEX payments_client_ip_failed ON payments (client_ip, created_at) WHERE status = 'failed';
CREATE INDEX payments_authorization_expiry ON payments (status, authorization_expires_at);
CREATE INDEX payments_psp_reference ON payments (psp_reference);
-- At most one payment per invoice holds or took money, and at most one is in flight.
CREATE UNIQUE INDEX payments_one_success ON payments (invoice_id)
    WHERE status IN ('authorized', 'captured', 'partially_refunded', 'refunded', 'voided');
CREATE UNIQUE INDEX payments_one_in_flight ON payments (invoice_id)
    WHERE status IN ('processing', 'requires_action');

CREATE TABLE refunds (
    id              TEXT COLLATE "C" PRIMARY KEY,
    merchant_id     TEXT COLLATE "C" NOT NULL REFERENCES merchants(id),
    payment_id      TEXT COLLATE "C" NOT NULL REFERENCES payments(id),
    invoice_id      TEXT COLLATE "C" NOT NULL,
    amount          BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    failure_code    TEXT NOT NULL DEFAULT '',
    failure_message TEXT NOT NULL DEFAULT '',
    psp_reference   TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX refunds_payment ON refunds (payment_id, id);
CREATE INDEX refunds_merchant ON refunds (merchant_id, id DESC);

CREATE TABLE transactions (
    id              TEXT COLLATE "C" PRIMARY KEY,
    merchant_id     TEXT COLLATE "C" NOT NULL REFERENCES merchants(id),
    payment_id      TEXT COLLATE "C" NOT NULL REFERENCES payments(id),
    refund_id       TEXT COLLATE "C" NOT NULL DEFAULT '',
    type            TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    result          TEXT NOT NULL,
    psp_reference   TEXT NOT NULL DEFAULT '',
    error_code      TEXT NOT NULL DEFAULT '',
    error_message   TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    -- When reconciliation may next look at a pending operation; claimed by moving it forward.
    next_attempt_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX transactions_payment ON transactions (payment_id, id);
CREATE INDEX transactions_pending ON transactions (result, next_attempt_at);

-- +goose Down
DROP TABLE transactions;
DROP TABLE refunds;
DROP TABLE payments;
