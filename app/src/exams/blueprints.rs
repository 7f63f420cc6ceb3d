//! Server functions of paper plans (组卷方案) and the trainer's preview: a
//! sampled paper with answers and explanations, re-sampled with a new seed,
//! the coverage table and the A/B overlap.

use crate::error::AppError;
use academy_shared::exam::FieldProblem;
use academy_shared::exam::blueprint::Blueprint;
use academy_shared::exam::sampling::{CoverageRow, Shortfall};
use academy_shared::ids::{BankId, BlueprintId};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ShownQuestion;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlueprintRow {
    pub id: BlueprintId,
    pub title: String,
    pub question_count: u32,
    pub total_points: u32,
    pub time_limit_minutes: u32,
    pub updated_at: i64,
}

/// A bank a plan may draw from, with what it holds per kind and topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankChoice {
    pub id: BankId,
    pub title: String,
    pub topics: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlueprintEdit {
    pub id: Option<BlueprintId>,
    pub title: String,
    pub body: Blueprint,
    pub banks: Vec<BankChoice>,
    pub may_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlueprintSaved {
    Saved(BlueprintId),
    /// Nothing was written.
    Problems {
        settings: Vec<FieldProblem>,
        shortfalls: Vec<Shortfall>,
    },
}

/// A previewed question: what the learner will see plus what only staff see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewQuestion {
    pub shown: ShownQuestion,
    pub question_id: i64,
    pub answer_zh: String,
    pub answer_en: String,
    pub explanation: String,
    pub topic: String,
    pub lecturer: String,
    pub difficulty: u8,
    /// Display letters of the correct options (after shuffling).
    pub correct_letters: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Hex, so it survives JavaScript numbers and can be typed back.
    pub seed: String,
    pub title: String,
    pub total_points: u32,
    pub time_limit_minutes: u32,
    pub form_a: Vec<PreviewQuestion>,
    pub form_b: Vec<PreviewQuestion>,
    pub coverage: Vec<CoverageRow>,
    pub overlap: usize,
    /// Why the plan cannot be drawn now (the banks changed since it was saved).
    pub shortfalls: Vec<Shortfall>,
}

#[server(endpoint = "blueprints/list")]
pub async fn list_blueprints() -> Result<Vec<BlueprintRow>, AppError> {
    crate::error::respond(ssr::list().await)
}

/// A plan to edit; `None` gives a new plan (the seed's 10 + 10 paper) with
/// the banks to choose from.
#[server(endpoint = "blueprints/get")]
pub async fn blueprint_for_edit(id: Option<BlueprintId>) -> Result<BlueprintEdit, AppError> {
    crate::error::respond(ssr::for_edit(id).await)
}

/// Saves a plan only if its settings are sound and the banks can satisfy it.
#[server(endpoint = "blueprints/save", input = Json)]
pub async fn save_blueprint(
    id: Option<BlueprintId>,
    title: String,
    body: Blueprint,
) -> Result<BlueprintSaved, AppError> {
    crate::error::respond(ssr::save(id, title, body).await)
}

/// Draws forms A and B with `seed` (hex), or a fresh seed.
#[server(endpoint = "blueprints/preview")]
pub async fn preview_blueprint(id: BlueprintId, seed: Option<String>) -> Result<Preview, AppError> {
    crate::error::respond(ssr::preview(id, seed).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::session::{self, Signed};
    use crate::store::{PoolEntry, Store, now_millis};
    use academy_shared::exam::Candidate;
    use academy_shared::exam::blueprint::check_settings;
    use academy_shared::exam::question::{answer_text_en, answer_text_zh};
    use academy_shared::exam::rng::SeededRng;
    use academy_shared::exam::sampling::Paper;
    use academy_shared::exam::sampling::{check_blueprint, coverage, draw_forms, overlap};
    use academy_shared::role::policy::EXAM_READERS;
    use std::collections::HashMap;

    fn may_edit(me: &Signed) -> bool {
        me.has_any(&academy_shared::role::policy::MANAGERS)
    }

    pub async fn list() -> Result<Vec<BlueprintRow>, AppError> {
        let (_, store) = session::with_role(&EXAM_READERS).await?;
        Ok(store
            .blueprints()
            .await?
            .into_iter()
            .map(|b| BlueprintRow {
                id: b.id,
                title: b.title,
                question_count: b.body.question_count(),
                total_points: b.body.total_points(),
                time_limit_minutes: b.body.time_limit_minutes,
                updated_at: b.updated_at,
            })
            .collect())
    }

    async fn bank_choices(store: &Store) -> Result<Vec<BankChoice>, AppError> {
        let mut out = Vec::new();
        for bank in store.banks(None).await? {
            if bank.archived {
                continue;
            }
            let (topics, _, _) = store.question_facets(bank.id).await?;
            out.push(BankChoice {
                id: bank.id,
                title: bank.title,
                topics,
            });
        }
        Ok(out)
    }

    pub async fn for_edit(id: Option<BlueprintId>) -> Result<BlueprintEdit, AppError> {
        let (me, store) = session::with_role(&EXAM_READERS).await?;
        let banks = bank_choices(&store).await?;
        let (title, body) = match id {
            Some(id) => {
                let record = store.blueprint(id).await?;
                (record.title, record.body)
            }
            None => {
                let bank = banks.first().map_or(BankId(0), |b| b.id);
                (String::new(), Blueprint::seed_paper(bank))
            }
        };
        Ok(BlueprintEdit {
            id,
            title,
            body,
            banks,
            may_edit: may_edit(&me),
        })
    }

    fn banks_of(body: &Blueprint) -> Vec<BankId> {
        let mut banks: Vec<BankId> = body.sections.iter().map(|s| s.bank).collect();
        banks.sort();
        banks.dedup();
        banks
    }

    pub(crate) async fn pool_for(
        store: &Store,
        body: &Blueprint,
    ) -> Result<Vec<PoolEntry>, AppError> {
        Ok(store.question_pool(&banks_of(body)).await?)
    }

    /// Refuses, with the reasons, a plan the banks can no longer satisfy.
    pub(crate) async fn check_satisfiable(
        store: &Store,
        blueprint: BlueprintId,
    ) -> Result<(), AppError> {
        let record = store.blueprint(blueprint).await?;
        let pool = pool_for(store, &record.body).await?;
        if let Err(shortfalls) = check_blueprint(&record.body, &candidates(&pool)) {
            let zh: Vec<String> = shortfalls.iter().map(|s| s.zh.clone()).collect();
            let en: Vec<String> = shortfalls.iter().map(|s| s.en.clone()).collect();
            return Err(AppError::invalid(zh.join("；"), en.join("; ")));
        }
        Ok(())
    }

    pub(crate) fn candidates(pool: &[PoolEntry]) -> Vec<Candidate> {
        pool.iter().map(|p| p.candidate.clone()).collect()
    }

    pub async fn save(
        id: Option<BlueprintId>,
        title: String,
        body: Blueprint,
    ) -> Result<BlueprintSaved, AppError> {
        let (me, store) = session::with_role(&academy_shared::role::policy::MANAGERS).await?;
        let title = title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 60 {
            return Err(AppError::invalid(
                "方案名称为 1–60 个字",
                "The plan's title must be 1–60 characters",
            ));
        }
        let mut body = body;
        for section in &mut body.sections {
            section.topics = section
                .topics
                .iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
        }
        let settings = check_settings(&body);
        let shortfalls = if settings.is_empty() {
            let pool = pool_for(&store, &body).await?;
            check_blueprint(&body, &candidates(&pool))
                .err()
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        if !settings.is_empty() || !shortfalls.is_empty() {
            return Ok(BlueprintSaved::Problems {
                settings,
                shortfalls,
            });
        }
        let now = now_millis();
        let id = match id {
            Some(id) => {
                store.update_blueprint(id, &title, &body, now).await?;
                id
            }
            None => {
                store
                    .create_blueprint(&title, &body, me.user.id, now)
                    .await?
            }
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::BlueprintSave,
            ("blueprint", &id.to_string()),
            title,
        )
        .await?;
        Ok(BlueprintSaved::Saved(id))
    }

    fn parse_seed(seed: Option<String>) -> Result<u64, AppError> {
        match seed.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
            None => Ok(rand::random()),
            Some(text) => u64::from_str_radix(text.trim_start_matches("0x"), 16).map_err(|_| {
                AppError::invalid(
                    "随机种子应为 16 位以内的十六进制数",
                    "The seed must be a hexadecimal number of up to 16 digits",
                )
            }),
        }
    }

    async fn preview_paper(
        store: &Store,
        paper: &Paper,
        body: &Blueprint,
        pool: &[PoolEntry],
    ) -> Result<Vec<PreviewQuestion>, AppError> {
        let versions: HashMap<_, _> = pool.iter().map(|p| (p.candidate.id, p.version)).collect();
        let wanted: Vec<_> = paper
            .questions
            .iter()
            .filter_map(|q| versions.get(&q.question).copied())
            .collect();
        let bodies = store.versions(&wanted).await?;
        let mut out = Vec::new();
        for (position, drawn) in paper.questions.iter().enumerate() {
            let Some(question) = versions.get(&drawn.question).and_then(|v| bodies.get(v)) else {
                continue;
            };
            let points = body
                .sections
                .get(usize::from(drawn.section))
                .map_or(0, |s| s.points_each);
            let shown = super::super::shown_question(
                i64::try_from(position).unwrap_or(0),
                question,
                &drawn.option_order,
                points,
            );
            let correct_letters = match &question.answer {
                academy_shared::exam::Answer::Choice(right) => shown
                    .options
                    .iter()
                    .enumerate()
                    .filter(|(display, _)| {
                        let author = drawn.option_order.get(*display).copied();
                        let author = author.or_else(|| u8::try_from(*display).ok());
                        author.is_some_and(|a| right.contains(&a))
                    })
                    .map(|(display, _)| academy_shared::exam::option_letter(display))
                    .collect(),
                _ => String::new(),
            };
            out.push(PreviewQuestion {
                shown,
                question_id: drawn.question.0,
                answer_zh: answer_text_zh(question),
                answer_en: answer_text_en(question),
                explanation: question.explanation.clone(),
                topic: question.topic.clone(),
                lecturer: question.lecturer.clone(),
                difficulty: question.difficulty,
                correct_letters,
            });
        }
        Ok(out)
    }

    pub async fn preview(id: BlueprintId, seed: Option<String>) -> Result<Preview, AppError> {
        let (me, store) = session::with_role(&EXAM_READERS).await?;
        let record = store.blueprint(id).await?;
        let seed = parse_seed(seed)?;
        let pool = pool_for(&store, &record.body).await?;
        let candidates = candidates(&pool);
        let mut rng = SeededRng::new(seed);
        let mut preview = Preview {
            seed: format!("{seed:016x}"),
            title: record.title.clone(),
            total_points: record.body.total_points(),
            time_limit_minutes: record.body.time_limit_minutes,
            form_a: Vec::new(),
            form_b: Vec::new(),
            coverage: Vec::new(),
            overlap: 0,
            shortfalls: Vec::new(),
        };
        match draw_forms(&record.body, &candidates, &mut rng) {
            Err(shortfalls) => preview.shortfalls = shortfalls,
            Ok((a, b)) => {
                preview.coverage = coverage(&record.body, &candidates, &a, &b);
                preview.overlap = overlap(&a, &b);
                preview.form_a = preview_paper(&store, &a, &record.body, &pool).await?;
                preview.form_b = preview_paper(&store, &b, &record.body, &pool).await?;
            }
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::BlueprintPreview,
            ("blueprint", &id.to_string()),
            preview.seed.clone(),
        )
        .await?;
        Ok(preview)
    }
}
