-- Failed sign-ins, for throttling. Rows older than the look-back no longer matter.
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    address  TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
