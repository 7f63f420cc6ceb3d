-- Foundation: key/value facts about this database, the region tree, accounts.
-- Times are Unix milliseconds (UTC); flags are nullable timestamps.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE regions (
    id         BIGSERIAL PRIMARY KEY,
    parent_id  BIGINT REFERENCES regions (id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    level      TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    created_at BIGINT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_id);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    real_name     TEXT NOT NULL,
    phone         TEXT UNIQUE,
    region_id     BIGINT REFERENCES regions (id),
    work_unit     TEXT,
    password_hash TEXT NOT NULL,
    disabled_at   BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX users_region ON users (region_id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
