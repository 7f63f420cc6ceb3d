-- The learner's one credit clock: every stream of a learner (tabs, lessons,
-- devices) is paid out of wall-clock time after it, and advances it, so the
-- credit of all of them together never exceeds the time that passed.
CREATE TABLE study_clocks (
    user_id         BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    credit_clock_ms BIGINT NOT NULL
);

-- A learner keeps only a few live streams: opening another closes the oldest,
-- and a closed stream's heartbeats are not applied.
ALTER TABLE study_streams ADD COLUMN closed_at BIGINT;
CREATE INDEX study_streams_user_opened ON study_streams (user_id, opened_at);
