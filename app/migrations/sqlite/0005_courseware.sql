-- Courseware and study: stored media, courseware with slides, outline and
-- attachments, the review history, the minimal class a lesson is studied in
-- (issue 6 completes classes), enrolments, and what the study-time rules keep.

-- A stored file. The bytes live in the media store (the local disk by default)
-- under `storage_key`; a row exists only once its bytes are complete and checked.
CREATE TABLE media_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    storage_key  TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    duration_ms  INTEGER,
    uploaded_by  INTEGER REFERENCES users (id),
    uploaded_at  INTEGER NOT NULL
);

CREATE TABLE courseware (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    title         TEXT NOT NULL,
    lecturer_name TEXT NOT NULL,
    lecturer_id   INTEGER REFERENCES users (id),
    topic         TEXT NOT NULL DEFAULT '',
    duration_ms   INTEGER NOT NULL DEFAULT 0,
    video_id      INTEGER REFERENCES media_files (id),
    state         TEXT NOT NULL DEFAULT 'draft',
    created_by    INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX courseware_state ON courseware (state);
CREATE INDEX courseware_lecturer ON courseware (lecturer_id);

CREATE TABLE courseware_slides (
    courseware_id INTEGER NOT NULL REFERENCES courseware (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    start_ms      INTEGER NOT NULL,
    media_id      INTEGER NOT NULL REFERENCES media_files (id),
    PRIMARY KEY (courseware_id, position)
);

-- level 1 is a heading, 2 a paragraph under it.
CREATE TABLE courseware_outline (
    courseware_id INTEGER NOT NULL REFERENCES courseware (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    start_ms      INTEGER NOT NULL,
    level         INTEGER NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (courseware_id, position)
);

CREATE TABLE courseware_attachments (
    courseware_id INTEGER NOT NULL REFERENCES courseware (id) ON DELETE CASCADE,
    media_id      INTEGER NOT NULL REFERENCES media_files (id),
    PRIMARY KEY (courseware_id, media_id)
);

-- Every step through the review gates, kept for the record.
CREATE TABLE courseware_reviews (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    courseware_id INTEGER NOT NULL REFERENCES courseware (id) ON DELETE CASCADE,
    action        TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    actor_id      INTEGER REFERENCES users (id),
    acted_at      INTEGER NOT NULL
);
CREATE INDEX courseware_reviews_of ON courseware_reviews (courseware_id);

-- A training class, as far as studying needs it: its lessons and the rules the
-- player follows. Issue 6 adds dates, tests, the survey and the journey.
CREATE TABLE classes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'draft',
    idle_prompt_ms INTEGER NOT NULL DEFAULT 1200000,
    max_rate_milli INTEGER NOT NULL DEFAULT 2000,
    intro_media_id INTEGER REFERENCES media_files (id),
    outro_media_id INTEGER REFERENCES media_files (id),
    created_by     INTEGER REFERENCES users (id),
    created_at     INTEGER NOT NULL
);

CREATE TABLE class_courseware (
    class_id      INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    courseware_id INTEGER NOT NULL REFERENCES courseware (id),
    position      INTEGER NOT NULL,
    PRIMARY KEY (class_id, courseware_id)
);
CREATE INDEX class_courseware_of ON class_courseware (courseware_id);

CREATE TABLE enrolments (
    class_id    INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enrolled_at INTEGER NOT NULL,
    PRIMARY KEY (class_id, user_id)
);
CREATE INDEX enrolments_user ON enrolments (user_id);

-- Per learner, class and lesson: where to resume, which media intervals were
-- really watched ("0-15000,30000-45000"), and the credited study time.
CREATE TABLE lesson_progress (
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    class_id      INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    courseware_id INTEGER NOT NULL REFERENCES courseware (id),
    position_ms   INTEGER NOT NULL DEFAULT 0,
    watched       TEXT NOT NULL DEFAULT '',
    credited_ms   INTEGER NOT NULL DEFAULT 0,
    completed_at  INTEGER,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, class_id, courseware_id)
);

-- One opened lesson page. Heartbeats carry its id and a sequence number; the
-- stream keeps what exactly-once application and the wall-clock bound need.
CREATE TABLE study_streams (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    class_id         INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    courseware_id    INTEGER NOT NULL REFERENCES courseware (id),
    opened_at        INTEGER NOT NULL,
    last_seq         INTEGER NOT NULL DEFAULT 0,
    last_position_ms INTEGER NOT NULL,
    credit_clock_ms  INTEGER NOT NULL,
    last_seen_at     INTEGER NOT NULL,
    credited_ms      INTEGER NOT NULL DEFAULT 0,
    device           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX study_streams_user ON study_streams (user_id);

-- The one stream per learner that may earn credit right now.
CREATE TABLE study_leases (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    stream_id    INTEGER NOT NULL REFERENCES study_streams (id) ON DELETE CASCADE,
    last_seen_at INTEGER NOT NULL
);

-- What the player reports beside heartbeats: the idle prompt shown and
-- confirmed, a second stream refused credit.
CREATE TABLE study_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id   INTEGER NOT NULL REFERENCES study_streams (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    position_ms INTEGER NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX study_events_stream ON study_events (stream_id);
