-- Identity: trainee fields and one-time activation on accounts, role scopes,
-- bound devices and approvals of other devices, rebinding requests, SMS codes,
-- and the audit log.

ALTER TABLE users ADD COLUMN gender TEXT;
ALTER TABLE users ADD COLUMN birth_year BIGINT;
ALTER TABLE users ADD COLUMN education TEXT;
ALTER TABLE users ADD COLUMN employment TEXT;
-- Set while the account waits for its owner to choose a password (created by
-- an administrator, or reset by one); only the SHA-256 of the code is kept.
ALTER TABLE users ADD COLUMN activation_hash TEXT;
ALTER TABLE users ADD COLUMN activation_expires_at BIGINT;
ALTER TABLE users ADD COLUMN updated_at BIGINT;
CREATE INDEX users_phone ON users (phone);

-- Where a scoped role (liaison, supervisor) applies: a region and its subtree.
CREATE TABLE role_scopes (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    PRIMARY KEY (user_id, role, region_id)
);

-- The one device a learner studies on. Revoked rows stay for the record.
CREATE TABLE device_bindings (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_hash    TEXT NOT NULL,
    label       TEXT NOT NULL,
    bound_at    BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    revoked_at  BIGINT,
    revoked_by  BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX device_bindings_one_live ON device_bindings (user_id) WHERE revoked_at IS NULL;

-- Another device asking to be let in by the bound phone.
CREATE TABLE device_approvals (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    binding_id   BIGINT NOT NULL REFERENCES device_bindings (id),
    short_code   TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL,
    address      TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    approved_at  BIGINT,
    refused_at   BIGINT,
    claimed_at   BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX device_approvals_code ON device_approvals (short_code);
CREATE INDEX device_approvals_user ON device_approvals (user_id);

-- Sessions opened on the bound device or by an approval end with them.
ALTER TABLE sessions ADD COLUMN binding_id BIGINT REFERENCES device_bindings (id);
ALTER TABLE sessions ADD COLUMN approval_id BIGINT REFERENCES device_approvals (id);

CREATE TABLE rebind_requests (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    label        TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_at   BIGINT,
    decided_by   BIGINT REFERENCES users (id),
    approved     BIGINT
);
CREATE INDEX rebind_requests_open ON rebind_requests (decided_at);

CREATE TABLE sms_codes (
    id         BIGSERIAL PRIMARY KEY,
    phone      TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    address    TEXT NOT NULL,
    sent_at    BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    used_at    BIGINT
);
CREATE INDEX sms_codes_phone ON sms_codes (phone, sent_at);
CREATE INDEX sms_codes_address ON sms_codes (address, sent_at);

-- Append-only: the application never updates or deletes these rows.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT REFERENCES users (id),
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    address     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
