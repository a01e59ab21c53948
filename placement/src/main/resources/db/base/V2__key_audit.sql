-- The append-only trail of key operations: who, what, on which key, when, and how it ended.
-- Records name keys by id and version only; no key material or secret value is ever written here.
CREATE TABLE key_audit (
    seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor       text        NOT NULL,
    operation   text        NOT NULL,
    subject     text        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('SUCCEEDED', 'FAILED')),
    detail      text        NOT NULL DEFAULT ''
);

-- Append-only even for the role that owns the table (which is the one Coffer connects as): any
-- UPDATE, DELETE or TRUNCATE fails.
CREATE FUNCTION key_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'key_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER key_audit_no_update_or_delete BEFORE UPDATE OR DELETE ON key_audit
    FOR EACH ROW EXECUTE FUNCTION key_audit_is_append_only();
CREATE TRIGGER key_audit_no_truncate BEFORE TRUNCATE ON key_audit
    FOR EACH STATEMENT EXECUTE FUNCTION key_audit_is_append_only();
