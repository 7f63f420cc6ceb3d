-- Foundation: key/value facts about this database, the region tree, accounts.
-- Times are Unix milliseconds (UTC); flags are nullable timestamps.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE regions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id  INTEGER REFERENCES regions (id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    level      TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    created_at INTEGER NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    real_name     TEXT NOT NULL,
    phone         TEXT UNIQUE,
    region_id     INTEGER REFERENCES regions (id),
    work_unit     TEXT,
    password_hash TEXT NOT NULL,
    disabled_at   INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_region ON users (region_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
