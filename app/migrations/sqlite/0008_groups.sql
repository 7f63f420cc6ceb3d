-- Issue 7: study groups and their daily work — groups with liaisons, a topic
-- a day, a discussion thread per group and day, the liaison's daily summary
-- (分组讨论汇总表) with its review.

CREATE TABLE study_groups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    -- The region the group was formed for (a city by default); NULL when made by hand.
    region_id  INTEGER REFERENCES regions (id),
    created_at INTEGER NOT NULL,
    UNIQUE (class_id, name)
);

-- A learner is in at most one group per class; leaving the class leaves the group.
CREATE TABLE group_members (
    class_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    group_id INTEGER NOT NULL REFERENCES study_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, user_id),
    FOREIGN KEY (class_id, user_id) REFERENCES enrolments (class_id, user_id) ON DELETE CASCADE
);
CREATE INDEX group_members_group ON group_members (group_id);

CREATE TABLE group_liaisons (
    group_id INTEGER NOT NULL REFERENCES study_groups (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_liaisons_user ON group_liaisons (user_id);

-- The organizer's topic for a day (China-time day number, see shared::checkin).
CREATE TABLE daily_topics (
    class_id      INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    day           INTEGER NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    attachment_id INTEGER REFERENCES media_files (id),
    -- The day's courses, as a JSON list of courseware ids.
    courseware    TEXT NOT NULL DEFAULT '[]',
    updated_by    INTEGER REFERENCES users (id),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (class_id, day)
);

-- Posts are hidden, never deleted: the audit log says who hid what.
CREATE TABLE group_posts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id   INTEGER NOT NULL REFERENCES study_groups (id) ON DELETE CASCADE,
    day        INTEGER NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    reply_to   INTEGER REFERENCES group_posts (id),
    body       TEXT NOT NULL,
    pinned_at  INTEGER,
    hidden_at  INTEGER,
    hidden_by  INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX group_posts_thread ON group_posts (group_id, day, id);

-- How far each reader has read a group's discussion, for "new posts" counts.
CREATE TABLE group_reads (
    group_id     INTEGER NOT NULL REFERENCES study_groups (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_post_id INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE group_summaries (
    group_id       INTEGER NOT NULL REFERENCES study_groups (id) ON DELETE CASCADE,
    day            INTEGER NOT NULL,
    state          TEXT NOT NULL,
    members        INTEGER NOT NULL,
    participants   INTEGER NOT NULL,
    topic          TEXT NOT NULL,
    views          TEXT NOT NULL,
    problems       TEXT NOT NULL,
    suggestions    TEXT NOT NULL,
    review_comment TEXT NOT NULL DEFAULT '',
    written_by     INTEGER REFERENCES users (id),
    submitted_at   INTEGER,
    reviewed_by    INTEGER REFERENCES users (id),
    reviewed_at    INTEGER,
    archived_at    INTEGER,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (group_id, day)
);
