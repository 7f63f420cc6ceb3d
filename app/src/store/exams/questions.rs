//! Questions: one immutable version per edit, tags, search and import.

use super::*;

impl Store {
    /// Adds questions in one transaction: all or none. With `quota`, the
    /// author's questions in the bank may not exceed it (checked inside the
    /// transaction, so two tabs cannot both slip past it): `Conflict::Quota`.
    pub async fn insert_questions(
        &self,
        bank: BankId,
        questions: &[(Question, Vec<String>)],
        author: UserId,
        quota: Option<i64>,
        now: i64,
    ) -> DbResult<Vec<QuestionId>> {
        let mut tx = self.begin_write().await?;
        if let Some(quota) = quota {
            let have: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM questions WHERE bank_id = $1 AND author_id = $2",
            )
            .bind(bank.0)
            .bind(author.0)
            .fetch_one(&mut *tx)
            .await?;
            if have + i64::try_from(questions.len()).unwrap_or(i64::MAX) > quota {
                return Err(DbError::Conflict(Conflict::Quota));
            }
        }
        let mut ids = Vec::with_capacity(questions.len());
        for (body, tags) in questions {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO questions (bank_id, kind, stem_text, topic, lecturer, difficulty, \
                 option_count, author_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(bank.0)
            .bind(body.kind.code())
            .bind(plain_text(&body.stem))
            .bind(&body.topic)
            .bind(&body.lecturer)
            .bind(i64::from(body.difficulty))
            .bind(i64::try_from(body.options.len()).unwrap_or(0))
            .bind(author.0)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO question_versions (question_id, version, body, edited_by, edited_at) \
                 VALUES ($1, 1, $2, $3, $4) RETURNING id",
            )
            .bind(id)
            .bind(to_json(body)?)
            .bind(author.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE questions SET current_version_id = $1 WHERE id = $2")
                .bind(version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            record_images(&mut tx, version, body).await?;
            for tag in clean_tags(tags) {
                sqlx::query("INSERT INTO question_tags (question_id, tag) VALUES ($1, $2)")
                    .bind(id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
            }
            ids.push(QuestionId(id));
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Saves an edit as a new version. `expected_version` is the version the
    /// editor started from: another edit in between is a `Conflict`, never a
    /// silent overwrite.
    pub async fn update_question(
        &self,
        question: QuestionId,
        body: &Question,
        tags: &[String],
        expected_version: i64,
        by: UserId,
        now: i64,
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        let current: Option<i64> = sqlx::query_scalar(
            "SELECT v.version FROM questions q JOIN question_versions v \
             ON v.id = q.current_version_id WHERE q.id = $1",
        )
        .bind(question.0)
        .fetch_optional(&mut *tx)
        .await?;
        let current = current.ok_or(DbError::NotFound)?;
        if current != expected_version {
            return Err(DbError::Conflict(Conflict::Version));
        }
        let next = current + 1;
        let version: i64 = sqlx::query_scalar(
            "INSERT INTO question_versions (question_id, version, body, edited_by, edited_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(question.0)
        .bind(next)
        .bind(to_json(body)?)
        .bind(by.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        record_images(&mut tx, version, body).await?;
        sqlx::query(
            "UPDATE questions SET current_version_id = $1, kind = $2, stem_text = $3, topic = $4, \
             lecturer = $5, difficulty = $6, option_count = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(version)
        .bind(body.kind.code())
        .bind(plain_text(&body.stem))
        .bind(&body.topic)
        .bind(&body.lecturer)
        .bind(i64::from(body.difficulty))
        .bind(i64::try_from(body.options.len()).unwrap_or(0))
        .bind(now)
        .bind(question.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM question_tags WHERE question_id = $1")
            .bind(question.0)
            .execute(&mut *tx)
            .await?;
        for tag in clean_tags(tags) {
            sqlx::query("INSERT INTO question_tags (question_id, tag) VALUES ($1, $2)")
                .bind(question.0)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(next)
    }

    async fn tags_of(&self, ids: &[i64]) -> DbResult<HashMap<i64, Vec<String>>> {
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(tags);
        }
        let sql = format!(
            "SELECT question_id, tag FROM question_tags WHERE question_id IN ({}) \
             ORDER BY question_id, tag",
            placeholders(1, ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        for row in query.fetch_all(self.pool()).await? {
            tags.entry(row.try_get("question_id")?)
                .or_default()
                .push(row.try_get("tag")?);
        }
        Ok(tags)
    }

    pub async fn question(&self, question: QuestionId) -> DbResult<StoredQuestion> {
        let row = sqlx::query(
            "SELECT q.id, q.bank_id, q.author_id, q.archived_at, q.updated_at, v.id AS version_id, \
             v.version, v.body FROM questions q JOIN question_versions v \
             ON v.id = q.current_version_id WHERE q.id = $1",
        )
        .bind(question.0)
        .fetch_one(self.pool())
        .await?;
        let tags = self
            .tags_of(&[question.0])
            .await?
            .remove(&question.0)
            .unwrap_or_default();
        Ok(StoredQuestion {
            id: QuestionId(row.try_get("id")?),
            bank: BankId(row.try_get("bank_id")?),
            version_id: QuestionVersionId(row.try_get("version_id")?),
            version: row.try_get("version")?,
            body: from_json(&row.try_get::<String, _>("body")?)?,
            tags,
            author_id: row.try_get::<Option<i64>, _>("author_id")?.map(UserId),
            archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// A page of a bank's questions and how many match in all.
    pub async fn questions(
        &self,
        bank: BankId,
        filter: &QuestionFilter,
        limit: i64,
        offset: i64,
    ) -> DbResult<(Vec<QuestionRow>, i64)> {
        let mut conditions = vec![format!("q.bank_id = {}", bank.0)];
        let mut binds: Vec<String> = Vec::new();
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!("%{}%", text.to_lowercase());
            let n = binds.len();
            conditions.push(format!(
                "(LOWER(q.stem_text) LIKE ${} OR LOWER(q.topic) LIKE ${} OR LOWER(q.lecturer) LIKE ${})",
                n + 1,
                n + 2,
                n + 3
            ));
            binds.extend([pattern.clone(), pattern.clone(), pattern]);
        }
        if let Some(kind) = filter.kind {
            conditions.push(format!("q.kind = ${}", binds.len() + 1));
            binds.push(kind.code().to_owned());
        }
        if let Some(topic) = filter.topic.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!("q.topic = ${}", binds.len() + 1));
            binds.push(topic.to_owned());
        }
        if let Some(lecturer) = filter.lecturer.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!("q.lecturer = ${}", binds.len() + 1));
            binds.push(lecturer.to_owned());
        }
        if let Some(tag) = filter.tag.as_deref().filter(|t| !t.is_empty()) {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = q.id AND t.tag = ${})",
                binds.len() + 1
            ));
            binds.push(tag.to_owned());
        }
        // Numbers and ids below are ours, never text from the request.
        if let Some(difficulty) = filter.difficulty {
            conditions.push(format!("q.difficulty = {difficulty}"));
        }
        if let Some(author) = filter.author {
            conditions.push(format!("q.author_id = {}", author.0));
        }
        conditions.push(if filter.archived {
            "q.archived_at IS NOT NULL".to_owned()
        } else {
            "q.archived_at IS NULL".to_owned()
        });
        let where_clause = conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM questions q WHERE {where_clause}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for bind in &binds {
            count = count.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let list_sql = format!(
            "SELECT q.id, q.kind, q.stem_text, q.topic, q.lecturer, q.difficulty, q.archived_at, \
             q.updated_at FROM questions q WHERE {where_clause} ORDER BY q.id DESC \
             LIMIT {limit} OFFSET {offset}"
        );
        let mut list = sqlx::query(&list_sql);
        for bind in &binds {
            list = list.bind(bind);
        }
        let rows = list.fetch_all(self.pool()).await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut tags = self.tags_of(&ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let kind: String = row.try_get("kind")?;
            out.push(QuestionRow {
                id: QuestionId(id),
                kind: QuestionKind::from_code(&kind).unwrap_or(QuestionKind::Single),
                stem_text: row.try_get("stem_text")?,
                topic: row.try_get("topic")?,
                lecturer: row.try_get("lecturer")?,
                difficulty: row.try_get("difficulty")?,
                archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
                updated_at: row.try_get("updated_at")?,
                tags: tags.remove(&id).unwrap_or_default(),
            });
        }
        Ok((out, total))
    }

    /// The distinct topics, lecturers and tags of a bank's questions, for filters.
    pub async fn question_facets(
        &self,
        bank: BankId,
    ) -> DbResult<(Vec<String>, Vec<String>, Vec<String>)> {
        let topics = sqlx::query_scalar(
            "SELECT DISTINCT topic FROM questions WHERE bank_id = $1 AND topic <> '' ORDER BY topic",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        let lecturers = sqlx::query_scalar(
            "SELECT DISTINCT lecturer FROM questions WHERE bank_id = $1 AND lecturer <> '' \
             ORDER BY lecturer",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        let tags = sqlx::query_scalar(
            "SELECT DISTINCT t.tag FROM question_tags t JOIN questions q ON q.id = t.question_id \
             WHERE q.bank_id = $1 ORDER BY t.tag",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        Ok((topics, lecturers, tags))
    }

    /// Archives or restores questions of one bank; returns how many changed.
    pub async fn set_questions_archived(
        &self,
        bank: BankId,
        ids: &[QuestionId],
        archived: bool,
        now: i64,
    ) -> DbResult<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "UPDATE questions SET archived_at = {}, updated_at = $1 \
             WHERE bank_id = $2 AND id IN ({})",
            if archived { "$1" } else { "NULL" },
            placeholders(3, ids.len())
        );
        let mut query = sqlx::query(&sql).bind(now).bind(bank.0);
        for id in ids {
            query = query.bind(id.0);
        }
        Ok(query.execute(self.pool()).await?.rows_affected())
    }

    /// Adds or removes a tag on questions of one bank; returns how many changed.
    pub async fn tag_questions(
        &self,
        bank: BankId,
        ids: &[QuestionId],
        tag: &str,
        add: bool,
    ) -> DbResult<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT id FROM questions WHERE bank_id = $1 AND id IN ({})",
            placeholders(2, ids.len())
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(bank.0);
        for id in ids {
            query = query.bind(id.0);
        }
        let own = query.fetch_all(&mut *tx).await?;
        let mut changed = 0;
        for id in own {
            changed += if add {
                sqlx::query(
                    "INSERT INTO question_tags (question_id, tag) VALUES ($1, $2) \
                     ON CONFLICT (question_id, tag) DO NOTHING",
                )
                .bind(id)
                .bind(tag)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query("DELETE FROM question_tags WHERE question_id = $1 AND tag = $2")
                    .bind(id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            };
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Every version of a question, newest first.
    pub async fn question_history(
        &self,
        question: QuestionId,
    ) -> DbResult<Vec<QuestionVersionRow>> {
        let rows = sqlx::query(
            "SELECT v.id, v.version, v.body, v.edited_at, COALESCE(u.real_name, '') AS editor \
             FROM question_versions v LEFT JOIN users u ON u.id = v.edited_by \
             WHERE v.question_id = $1 ORDER BY v.version DESC",
        )
        .bind(question.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(QuestionVersionRow {
                    version_id: QuestionVersionId(row.try_get("id")?),
                    version: row.try_get("version")?,
                    body: from_json(&row.try_get::<String, _>("body")?)?,
                    edited_by: row.try_get("editor")?,
                    edited_at: row.try_get("edited_at")?,
                })
            })
            .collect()
    }

    /// The current, non-archived questions of a bank with their tags, oldest
    /// first (for export).
    pub async fn bank_questions(&self, bank: BankId) -> DbResult<Vec<(Question, Vec<String>)>> {
        let rows = sqlx::query(
            "SELECT q.id, v.body FROM questions q JOIN question_versions v \
             ON v.id = q.current_version_id WHERE q.bank_id = $1 AND q.archived_at IS NULL \
             ORDER BY q.id",
        )
        .bind(bank.0)
        .fetch_all(self.pool())
        .await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut tags = self.tags_of(&ids).await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok((
                    from_json(&row.try_get::<String, _>("body")?)?,
                    tags.remove(&id).unwrap_or_default(),
                ))
            })
            .collect()
    }

    /// What the sampler may draw from these banks: current, non-archived
    /// questions of banks that are not archived.
    pub async fn question_pool(&self, banks: &[BankId]) -> DbResult<Vec<PoolEntry>> {
        if banks.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT q.id, q.bank_id, q.kind, q.topic, q.lecturer, q.difficulty, q.option_count, \
             q.current_version_id FROM questions q JOIN question_banks b ON b.id = q.bank_id \
             WHERE q.archived_at IS NULL AND b.archived_at IS NULL \
             AND q.current_version_id IS NOT NULL AND q.bank_id IN ({}) ORDER BY q.id",
            placeholders(1, banks.len())
        );
        let mut query = sqlx::query(&sql);
        for bank in banks {
            query = query.bind(bank.0);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(PoolEntry {
                    candidate: Candidate {
                        id: QuestionId(row.try_get("id")?),
                        bank: BankId(row.try_get("bank_id")?),
                        kind: QuestionKind::from_code(&kind).unwrap_or(QuestionKind::Single),
                        topic: row.try_get("topic")?,
                        lecturer: row.try_get("lecturer")?,
                        difficulty: u8::try_from(row.try_get::<i64, _>("difficulty")?).unwrap_or(3),
                        options: u8::try_from(row.try_get::<i64, _>("option_count")?).unwrap_or(0),
                    },
                    version: QuestionVersionId(row.try_get("current_version_id")?),
                })
            })
            .collect()
    }

    /// The current versions of questions, by question id.
    pub async fn current_questions(
        &self,
        ids: &[QuestionId],
    ) -> DbResult<HashMap<QuestionId, Question>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT q.id, v.body FROM questions q JOIN question_versions v \
                 ON v.id = q.current_version_id WHERE q.id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id.0);
            }
            for row in query.fetch_all(self.pool()).await? {
                out.insert(
                    QuestionId(row.try_get("id")?),
                    from_json(&row.try_get::<String, _>("body")?)?,
                );
            }
        }
        Ok(out)
    }

    /// Question bodies by version id.
    pub async fn versions(
        &self,
        ids: &[QuestionVersionId],
    ) -> DbResult<HashMap<QuestionVersionId, Question>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT id, body FROM question_versions WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id.0);
            }
            for row in query.fetch_all(self.pool()).await? {
                out.insert(
                    QuestionVersionId(row.try_get("id")?),
                    from_json(&row.try_get::<String, _>("body")?)?,
                );
            }
        }
        Ok(out)
    }
}
