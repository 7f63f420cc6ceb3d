-- Issue 7: support questions (解疑答惑) and the FAQ (常见问题).
--
-- A learner asks from any page: the page's path (checked, from the browser)
-- and the device (described by the server from the User-Agent header) are
-- kept with the question. Staff answer it: open → answered → closed (and
-- closed → open again). `version` grows with every change, so that two staff
-- members answering the same question cannot overwrite each other silently.

CREATE TABLE support_questions (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    -- The path of the page asked from ('' when unknown).
    page        TEXT NOT NULL DEFAULT '',
    -- "微信 · Android 手机" and the like (shared::device::describe_user_agent).
    device      TEXT NOT NULL DEFAULT '',
    -- The User-Agent header itself, cut to 300 characters.
    user_agent  TEXT NOT NULL DEFAULT '',
    class_id    BIGINT REFERENCES classes (id) ON DELETE SET NULL,
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'closed')),
    answer      TEXT NOT NULL DEFAULT '',
    answered_by BIGINT REFERENCES users (id),
    answered_at BIGINT,
    closed_at   BIGINT,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX support_questions_user ON support_questions (user_id, created_at);
CREATE INDEX support_questions_state ON support_questions (state, created_at);

-- Curated by staff, often from an answered question; hidden entries stay for
-- staff to show again.
CREATE TABLE faqs (
    id                 BIGSERIAL PRIMARY KEY,
    question           TEXT NOT NULL,
    answer             TEXT NOT NULL,
    source_question_id BIGINT REFERENCES support_questions (id) ON DELETE SET NULL,
    position           BIGINT NOT NULL,
    created_by         BIGINT REFERENCES users (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    hidden_at          BIGINT
);
-- A question becomes at most one FAQ entry.
CREATE UNIQUE INDEX faqs_source ON faqs (source_question_id) WHERE source_question_id IS NOT NULL;
CREATE INDEX faqs_position ON faqs (position, id);
