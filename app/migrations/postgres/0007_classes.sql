-- Issue 6: the training class as the seed ran it — dates, its two tests, the
-- evaluation survey, the journey's gating and completion rule — with
-- reporting in (报到), daily check-ins, survey responses and certificates.

ALTER TABLE classes ADD COLUMN description TEXT NOT NULL DEFAULT '';
-- Day numbers (days since 1970-01-01, China time), see shared::checkin.
ALTER TABLE classes ADD COLUMN starts_on BIGINT;
ALTER TABLE classes ADD COLUMN ends_on BIGINT;
ALTER TABLE classes ADD COLUMN pre_exam_id BIGINT REFERENCES exams (id);
ALTER TABLE classes ADD COLUMN final_exam_id BIGINT REFERENCES exams (id);
-- shared::journey::Gating and CompletionRule as JSON; empty means the defaults.
ALTER TABLE classes ADD COLUMN gating TEXT NOT NULL DEFAULT '';
ALTER TABLE classes ADD COLUMN completion TEXT NOT NULL DEFAULT '';
-- Who issues the certificates, as printed on them.
ALTER TABLE classes ADD COLUMN issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE classes ADD COLUMN published_at BIGINT;
ALTER TABLE classes ADD COLUMN closed_at BIGINT;
ALTER TABLE classes ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

ALTER TABLE enrolments ADD COLUMN reported_at BIGINT;
ALTER TABLE enrolments ADD COLUMN enrolled_by BIGINT REFERENCES users (id);

-- The class's evaluation survey (shared::survey::Survey as JSON).
CREATE TABLE class_surveys (
    class_id   BIGINT PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One response per learner per class, editable until the class closes.
CREATE TABLE survey_responses (
    class_id     BIGINT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answers      TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (class_id, user_id)
);

CREATE TABLE checkins (
    class_id   BIGINT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        BIGINT NOT NULL,
    checked_at BIGINT NOT NULL,
    PRIMARY KEY (class_id, user_id, day)
);
CREATE INDEX checkins_day ON checkins (class_id, day);

-- The verification code is the public page's key; it shows only a masked name.
CREATE TABLE certificates (
    id             BIGSERIAL PRIMARY KEY,
    class_id       BIGINT NOT NULL REFERENCES classes (id),
    user_id        BIGINT NOT NULL REFERENCES users (id),
    serial         TEXT NOT NULL UNIQUE,
    code           TEXT NOT NULL UNIQUE,
    holder_name    TEXT NOT NULL,
    credited_ms    BIGINT NOT NULL,
    issued_at      BIGINT NOT NULL,
    issued_by      BIGINT REFERENCES users (id),
    revoked_at     BIGINT,
    revoked_by     BIGINT REFERENCES users (id),
    revoke_reason  TEXT NOT NULL DEFAULT ''
);
-- At most one valid certificate per learner and class.
CREATE UNIQUE INDEX certificates_valid ON certificates (class_id, user_id) WHERE revoked_at IS NULL;
