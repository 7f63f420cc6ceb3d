-- Question banks and exams: banks with invited lecturers, questions with an
-- immutable version per edit (papers and grades point at versions), tags,
-- paper plans (blueprints), exams, and attempts with one row per drawn question.

CREATE TABLE question_banks (
    id          BIGSERIAL PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived_at BIGINT,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- A lecturer may add questions only to the banks they are invited to, up to
-- `quota` of their own (e.g. 5 each to the final-exam bank).
CREATE TABLE bank_invites (
    bank_id     BIGINT NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
    lecturer_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    quota       BIGINT NOT NULL,
    invited_by  BIGINT REFERENCES users (id),
    invited_at  BIGINT NOT NULL,
    PRIMARY KEY (bank_id, lecturer_id)
);
CREATE INDEX bank_invites_lecturer ON bank_invites (lecturer_id);

-- The searchable columns repeat the current version's fields so lists and the
-- sampler's pool need no JSON.
CREATE TABLE questions (
    id                 BIGSERIAL PRIMARY KEY,
    bank_id            BIGINT NOT NULL REFERENCES question_banks (id),
    current_version_id BIGINT,
    kind               TEXT NOT NULL,
    stem_text          TEXT NOT NULL,
    topic              TEXT NOT NULL DEFAULT '',
    lecturer           TEXT NOT NULL DEFAULT '',
    difficulty         BIGINT NOT NULL,
    option_count       BIGINT NOT NULL DEFAULT 0,
    author_id          BIGINT REFERENCES users (id),
    archived_at        BIGINT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX questions_bank ON questions (bank_id, kind);
CREATE INDEX questions_author ON questions (author_id);

CREATE TABLE question_versions (
    id          BIGSERIAL PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    edited_by   BIGINT REFERENCES users (id),
    edited_at   BIGINT NOT NULL,
    UNIQUE (question_id, version)
);

CREATE TABLE question_tags (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (question_id, tag)
);
CREATE INDEX question_tags_tag ON question_tags (tag);

CREATE TABLE blueprints (
    id          BIGSERIAL PRIMARY KEY,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- An exam is one form (A or B) of a blueprint, optionally for a class.
-- state: draft → open → closed.
CREATE TABLE exams (
    id           BIGSERIAL PRIMARY KEY,
    title        TEXT NOT NULL,
    blueprint_id BIGINT NOT NULL REFERENCES blueprints (id),
    form         TEXT NOT NULL DEFAULT 'A',
    class_id     BIGINT REFERENCES classes (id),
    state        TEXT NOT NULL DEFAULT 'draft',
    created_by   BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    closed_at    BIGINT
);
CREATE INDEX exams_class ON exams (class_id);

-- One seed per learner and blueprint: forms A and B come from the same draw,
-- so a learner's pre- and post-test papers are disjoint where the bank allows.
CREATE TABLE blueprint_seeds (
    blueprint_id BIGINT NOT NULL REFERENCES blueprints (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seed         BIGINT NOT NULL,
    PRIMARY KEY (blueprint_id, user_id)
);

-- The deadline is the server's; closed_by is 'learner' or 'deadline'.
-- Scores are hundredths of a point.
CREATE TABLE attempts (
    id              BIGSERIAL PRIMARY KEY,
    exam_id         BIGINT NOT NULL REFERENCES exams (id),
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    number          BIGINT NOT NULL,
    seed            BIGINT NOT NULL,
    form            TEXT NOT NULL,
    multiple_policy TEXT NOT NULL,
    max_score       BIGINT NOT NULL,
    pass_mark       BIGINT NOT NULL,
    started_at      BIGINT NOT NULL,
    deadline_at     BIGINT NOT NULL,
    submitted_at    BIGINT,
    closed_by       TEXT,
    score           BIGINT,
    passed          BIGINT,
    UNIQUE (exam_id, user_id, number)
);
CREATE INDEX attempts_user ON attempts (user_id);
CREATE INDEX attempts_ungraded ON attempts (deadline_at) WHERE submitted_at IS NULL;

-- option_order: display position → author's option index ("2,0,3,1").
-- response: the learner's answer as JSON, NULL until answered.
CREATE TABLE attempt_items (
    attempt_id  BIGINT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    question_id BIGINT NOT NULL REFERENCES questions (id),
    version_id  BIGINT NOT NULL REFERENCES question_versions (id),
    section     BIGINT NOT NULL,
    points      BIGINT NOT NULL,
    option_order TEXT NOT NULL DEFAULT '',
    response    TEXT,
    saved_at    BIGINT,
    score       BIGINT,
    PRIMARY KEY (attempt_id, position)
);
CREATE INDEX attempt_items_question ON attempt_items (question_id);

-- Images a question version shows (from its stem's markup), so a learner
-- sitting a paper may fetch exactly those.
CREATE TABLE question_media (
    version_id BIGINT NOT NULL REFERENCES question_versions (id) ON DELETE CASCADE,
    media_id   BIGINT NOT NULL REFERENCES media_files (id),
    PRIMARY KEY (version_id, media_id)
);
CREATE INDEX question_media_media ON question_media (media_id);
