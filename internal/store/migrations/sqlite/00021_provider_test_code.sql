-- +goose Up
-- Why an account's last connection test failed, as a stable code the portal words in the
-- merchant's language (credentials_refused, provider_unreachable, provider_error); '' when it passed.
ALTER TABLE provider_accounts ADD COLUMN last_test_code TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE provider_accounts DROP COLUMN last_test_code;
