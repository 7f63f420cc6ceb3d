-- The learner's one credit clock: every stream of a learner (tabs, lessons,
-- devices) is paid out of wall-clock time after it, and advances it, so the
-- credit of all of them together never exceeds the time that passed.
CREATE TABLE study_clocks (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    credit_clock_ms INTEGER NOT NULL
);

-- A learner keeps only a few live streams: opening another closes the oldest,
-- and a closed stream's heartbeats are not applied.
ALTER TABLE study_streams ADD COLUMN closed_at INTEGER;
CREATE INDEX study_streams_user_opened ON study_streams (user_id, opened_at);

-- A device bound with a key pair made in its browser (WebCrypto, not
-- extractable): only the public key is kept, and the device proves itself by
-- signing a fresh challenge at every sign-in and exam start. NULL for a
-- device bound by the older bearer key (a webview without WebCrypto).
ALTER TABLE device_bindings ADD COLUMN public_key TEXT;

-- One-time challenges for device keys: issued to anyone (a few a minute per
-- address), accepted once, within ten minutes.
CREATE TABLE device_challenges (
    nonce     TEXT PRIMARY KEY,
    address   TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    used_at   INTEGER
);
CREATE INDEX device_challenges_address ON device_challenges (address, issued_at);
