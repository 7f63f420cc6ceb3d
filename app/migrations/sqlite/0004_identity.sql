-- Identity: trainee fields and one-time activation on accounts, role scopes,
-- bound devices and approvals of other devices, rebinding requests, SMS codes,
-- and the audit log.

ALTER TABLE users ADD COLUMN gender TEXT;
ALTER TABLE users ADD COLUMN birth_year INTEGER;
ALTER TABLE users ADD COLUMN education TEXT;
ALTER TABLE users ADD COLUMN employment TEXT;
-- Set while the account waits for its owner to choose a password (created by
-- an administrator, or reset by one); only the SHA-256 of the code is kept.
ALTER TABLE users ADD COLUMN activation_hash TEXT;
ALTER TABLE users ADD COLUMN activation_expires_at INTEGER;
ALTER TABLE users ADD COLUMN updated_at INTEGER;
CREATE INDEX users_phone ON users (phone);

-- Where a scoped role (liaison, supervisor) applies: a region and its subtree.
CREATE TABLE role_scopes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    PRIMARY KEY (user_id, role, region_id)
);

-- The one device a learner studies on. Revoked rows stay for the record.
CREATE TABLE device_bindings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_hash    TEXT NOT NULL,
    label       TEXT NOT NULL,
    bound_at    INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    revoked_at  INTEGER,
    revoked_by  INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX device_bindings_one_live ON device_bindings (user_id) WHERE revoked_at IS NULL;

-- Another device asking to be let in by the bound phone.
CREATE TABLE device_approvals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    binding_id   INTEGER NOT NULL REFERENCES device_bindings (id),
    short_code   TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL,
    address      TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    approved_at  INTEGER,
    refused_at   INTEGER,
    claimed_at   INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX device_approvals_code ON device_approvals (short_code);
CREATE INDEX device_approvals_user ON device_approvals (user_id);

-- Sessions opened on the bound device or by an approval end with them.
ALTER TABLE sessions ADD COLUMN binding_id INTEGER REFERENCES device_bindings (id);
ALTER TABLE sessions ADD COLUMN approval_id INTEGER REFERENCES device_approvals (id);

CREATE TABLE rebind_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    label        TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   INTEGER REFERENCES users (id),
    approved     INTEGER
);
CREATE INDEX rebind_requests_open ON rebind_requests (decided_at);

CREATE TABLE sms_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    phone      TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    address    TEXT NOT NULL,
    sent_at    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    used_at    INTEGER
);
CREATE INDEX sms_codes_phone ON sms_codes (phone, sent_at);
CREATE INDEX sms_codes_address ON sms_codes (address, sent_at);

-- Append-only: the application never updates or deletes these rows.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    address     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
