-- +goose Up
-- A settlement's writes and its COMMIT travel to PostgreSQL in one round trip. A write that guards
-- the settlement (only the first recorder finds its row pending) must then fail inside PostgreSQL
-- when it matched no row, so that the COMMIT behind it is skipped: the store wraps it as
-- WITH guarded AS (… RETURNING 1) SELECT expect_rows(count(*)) FROM guarded.
-- +goose StatementBegin
CREATE FUNCTION expect_rows(n bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    IF n = 0 THEN
        RAISE EXCEPTION 'a guarded write matched no row' USING ERRCODE = 'no_data_found';
    END IF;
    RETURN n;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION expect_rows(bigint);
