//! Question banks (题库) for staff: `/banks` (the list, and a new bank),
//! `/banks/:id` (questions with filters and bulk actions, import and export,
//! invited lecturers), `/banks/:id/new` and `/questions/:id` (one form for
//! adding and editing a question, with the question's change history).
//!
//! A lecturer sees the banks they are invited to, only their own questions
//! there and only their own invitation; managers (organizers, administrators)
//! see and change everything; reviewers read.

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::{Tr, use_tr};
use crate::components::upload::MediaUpload;
use crate::courseware::UploadedMedia;
use crate::error::AppError;
use crate::exams::banks::{
    BankOverview, BankView, CreateBank, InviteLecturer, InviteView, MAX_IMPORT_BYTES,
    MAX_TAG_CHARS, QuestionEdit, QuestionImportReport, QuestionListRow, QuestionPage,
    QuestionSaved, RemoveInvite, SaveBank, VersionView, archive_questions, bank_detail,
    import_questions, list_banks, list_questions, question_for_edit, save_question, tag_questions,
};
use crate::pages::exam::{Stem, kind_label};
use academy_shared::exam::markup::{parse_stem, plain_text};
use academy_shared::exam::question::{
    MAX_BLANKS, MAX_OPTIONS, answer_text_en, answer_text_zh, check_question, min_options, tidy,
};
use academy_shared::exam::{Answer, FieldProblem, Question, QuestionKind, option_letter};
use academy_shared::ids::{BankId, QuestionId};
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use std::collections::BTreeSet;

/// Import formats: (Format code, label in Chinese, label in English).
const FORMATS: [(&str, &str, &str); 4] = [
    ("table", "Excel / CSV 模板", "Excel / CSV template"),
    ("gift", "GIFT", "GIFT"),
    ("aiken", "Aiken", "Aiken"),
    ("moodle-xml", "Moodle XML", "Moodle XML"),
];

/// Export formats: (`format=` value, link text).
const EXPORTS: [(&str, &str); 5] = [
    ("xlsx", "Excel"),
    ("csv", "CSV"),
    ("gift", "GIFT"),
    ("aiken", "Aiken"),
    ("moodle-xml", "Moodle XML"),
];

// ---------------------------------------------------------------------------
// Small helpers

/// One line of text, at most `max` characters (then "…").
fn truncate(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut short: String = flat.chars().take(max).collect();
        short.push('…');
        short
    }
}

fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A field of a question as people read it: the template's column names in
/// Chinese, their English names otherwise.
fn field_name(tr: Tr, field: &str) -> String {
    let field = field.trim().trim_start_matches('*');
    if !tr.is_en() {
        return field.to_owned();
    }
    if let Some(letter) = field.strip_prefix("选项").filter(|l| !l.is_empty()) {
        return format!("Option {letter}");
    }
    match field {
        "题型" => "Type",
        "题干" => "Stem",
        "选项" => "Options",
        "答案" => "Answer",
        "解析" => "Explanation",
        "分值" => "Points",
        "难度" => "Difficulty",
        "知识点" => "Topic",
        "讲师" => "Lecturer",
        "来源" => "Source",
        "标签" => "Tags",
        other => other,
    }
    .to_owned()
}

fn difficulty_label(tr: Tr, level: u8) -> String {
    match (level, tr.is_en()) {
        (1, false) => "1（最易）".to_owned(),
        (5, false) => "5（最难）".to_owned(),
        (1, true) => "1 (easiest)".to_owned(),
        (5, true) => "5 (hardest)".to_owned(),
        (other, _) => other.to_string(),
    }
}

/// The accepted answers of one blank as typed: "北京 / 北京市".
fn split_alternatives(text: &str) -> Vec<String> {
    text.split(['/', '／'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Tags as typed: separated by commas (either width), 、 or semicolons.
fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

// ---------------------------------------------------------------------------
// /banks

#[component]
pub fn BanksPage() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<CreateBank>::new();
    let banks = Resource::new(|| (), |_| list_banks());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/banks/{id}"), Default::default());
        }
    });
    view! {
        <h1>{move || tr.t("题库", "Question banks")}</h1>
        <Loaded resource=banks sign_in=true let:page>
            {if page.banks.is_empty() {
                view! {
                    <p class="card hint" data-testid="no-banks">
                        {move || if page.may_manage {
                            tr.t("还没有题库，请在下方新建。", "No banks yet; create one below.")
                        } else {
                            tr.t("暂无您可查看的题库。", "There are no banks for you yet.")
                        }}
                    </p>
                }.into_any()
            } else {
                view! {
                    <ul class="bank-list" data-testid="bank-list">
                        {page.banks.into_iter().map(|bank| view! { <BankItem bank /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {page.may_manage.then(|| view! {
                <section class="card">
                    <h2>{move || tr.t("新建题库", "New bank")}</h2>
                    <ActionForm action=create attr:class="form" attr:data-testid="bank-create">
                        <label for="bank-new-title">{move || tr.t("题库名称", "Title")}</label>
                        <input id="bank-new-title" name="title" required maxlength="60" autocomplete="off" />
                        <label for="bank-new-description">{move || tr.t("说明（可选）", "Description (optional)")}</label>
                        <textarea id="bank-new-description" name="description" maxlength="500" rows="3" autocomplete="off"></textarea>
                        <ErrorMessage error=Signal::derive(move || create.value().get().and_then(Result::err)) />
                        <button type="submit" class="primary" disabled=move || create.pending().get()>
                            {move || tr.t("创建", "Create")}
                        </button>
                    </ActionForm>
                </section>
            })}
        </Loaded>
    }
}

#[component]
fn BankItem(bank: BankView) -> impl IntoView {
    let tr = use_tr();
    let count = bank.question_count;
    view! {
        <li class="card bank-item" data-testid="bank-item">
            <h2 class="bank-title">
                <a href=format!("/banks/{}", bank.id)>{bank.title.clone()}</a>
                {bank.archived.then(|| view! {
                    <span class="tag bank-archived" data-testid="bank-archived">{move || tr.t("已归档", "Archived")}</span>
                })}
            </h2>
            {(!bank.description.is_empty()).then(|| view! { <p class="bank-description">{bank.description.clone()}</p> })}
            <p class="bank-meta">
                <span data-testid="bank-count">{move || if tr.is_en() {
                    format!("{count} questions")
                } else {
                    format!("共 {count} 题")
                }}</span>
                {bank.my_quota.map(|(quota, have)| view! {
                    " · "
                    <span class="bank-quota" data-testid="bank-quota">{move || if tr.is_en() {
                        format!("You added {have} / {quota}")
                    } else {
                        format!("已出 {have} / {quota} 题")
                    }}</span>
                })}
            </p>
        </li>
    }
}

// ---------------------------------------------------------------------------
// /banks/:id

/// The question list's filters, as the URL's query holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ListQuery {
    text: Option<String>,
    kind: Option<String>,
    topic: Option<String>,
    lecturer: Option<String>,
    difficulty: Option<i64>,
    tag: Option<String>,
    archived: bool,
    page: i64,
}

impl ListQuery {
    fn read(query: &ParamsMap) -> Self {
        let field = |name: &str| query.get(name).filter(|v| !v.trim().is_empty());
        ListQuery {
            text: field("text"),
            kind: field("kind"),
            topic: field("topic"),
            lecturer: field("lecturer"),
            difficulty: field("difficulty").and_then(|d| d.parse().ok()),
            tag: field("tag"),
            archived: field("archived").is_some_and(|a| a == "true" || a == "on" || a == "1"),
            page: field("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(0)
                .max(0),
        }
    }

    /// The bank page's URL with these filters, on `page`.
    fn url(&self, bank: BankId, page: i64) -> String {
        let mut pairs: Vec<String> = [
            ("text", self.text.clone()),
            ("kind", self.kind.clone()),
            ("topic", self.topic.clone()),
            ("lecturer", self.lecturer.clone()),
            ("difficulty", self.difficulty.map(|d| d.to_string())),
            ("tag", self.tag.clone()),
            ("archived", self.archived.then(|| "true".to_owned())),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", urlencode(&v))))
        .collect();
        if page > 0 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() {
            format!("/banks/{bank}")
        } else {
            format!("/banks/{bank}?{}", pairs.join("&"))
        }
    }
}

/// The outcome of the last bulk change; kept by the page so it outlives the
/// list it reloads.
#[derive(Clone, Copy)]
struct BulkState {
    changed: RwSignal<Option<u64>>,
    error: RwSignal<Option<AppError>>,
    tag: RwSignal<String>,
    busy: RwSignal<bool>,
}

/// The import panel's state, kept by the page for the same reason.
#[derive(Clone, Copy)]
struct ImportState {
    format: RwSignal<String>,
    report: RwSignal<Option<QuestionImportReport>>,
    error: RwSignal<Option<AppError>>,
    busy: RwSignal<bool>,
    file: NodeRef<leptos::html::Input>,
}

/// What the parts of the bank page share.
#[derive(Clone, Copy)]
struct BankCtx {
    save: ServerAction<SaveBank>,
    invite: ServerAction<InviteLecturer>,
    uninvite: ServerAction<RemoveInvite>,
    questions: Resource<Result<QuestionPage, AppError>>,
    filter: Memo<ListQuery>,
    bulk: BulkState,
    import: ImportState,
    /// Reloads the question list.
    list_reload: RwSignal<u32>,
    /// Reloads the bank itself (counts, quota).
    detail_reload: RwSignal<u32>,
}

#[derive(Clone, Copy)]
enum Bulk {
    Archive(bool),
    Tag(bool),
}

#[component]
pub fn BankPage() -> impl IntoView {
    let tr = use_tr();
    let bank_id = use_id_param::<BankId>();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(ListQuery::read));
    let save = ServerAction::<SaveBank>::new();
    let invite = ServerAction::<InviteLecturer>::new();
    let uninvite = ServerAction::<RemoveInvite>::new();
    let list_reload = RwSignal::new(0u32);
    let detail_reload = RwSignal::new(0u32);
    let detail = Resource::new(
        move || {
            (
                bank_id.get(),
                save.version().get(),
                invite.version().get(),
                uninvite.version().get(),
                detail_reload.get(),
            )
        },
        |(id, ..)| async move { bank_detail(found(id)?).await },
    );
    let questions = Resource::new(
        move || (bank_id.get(), filter.get(), list_reload.get()),
        |(id, q, _)| async move {
            list_questions(
                found(id)?,
                q.text,
                q.kind,
                q.topic,
                q.lecturer,
                q.difficulty,
                q.tag,
                Some(q.archived),
                Some(q.page),
            )
            .await
        },
    );
    let ctx = BankCtx {
        save,
        invite,
        uninvite,
        questions,
        filter,
        bulk: BulkState {
            changed: RwSignal::new(None),
            error: RwSignal::new(None),
            tag: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
        },
        import: ImportState {
            format: RwSignal::new("table".to_owned()),
            report: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            file: NodeRef::new(),
        },
        list_reload,
        detail_reload,
    };
    view! {
        <p class="crumbs"><a href="/banks">{move || tr.t("‹ 题库", "‹ Question banks")}</a></p>
        <Loaded resource=detail sign_in=true transition=true let:detail>
            <BankBody detail ctx />
        </Loaded>
    }
}

#[component]
fn BankBody(detail: BankOverview, ctx: BankCtx) -> impl IntoView {
    let tr = use_tr();
    let bank = detail.bank.clone();
    let id = bank.id;
    let may_manage = detail.may_manage;
    let may_add = detail.may_add;
    // Lecturers see their own questions only; exports are for the others.
    let may_export = bank.my_quota.is_none();
    let save = ctx.save;
    let count = bank.question_count;
    let on_imported = Callback::new(move |()| {
        ctx.list_reload.update(|n| *n += 1);
        ctx.detail_reload.update(|n| *n += 1);
    });
    view! {
        <header class="bank-header" data-testid="bank-header">
            <h1 data-testid="bank-title">
                {bank.title.clone()}
                {bank.archived.then(|| view! {
                    <span class="tag bank-archived" data-testid="bank-archived">{move || tr.t("已归档", "Archived")}</span>
                })}
            </h1>
            {(!bank.description.is_empty()).then(|| view! { <p class="bank-description">{bank.description.clone()}</p> })}
            <p class="bank-meta">
                <span data-testid="bank-count">{move || if tr.is_en() {
                    format!("{count} questions")
                } else {
                    format!("共 {count} 题")
                }}</span>
                {bank.my_quota.map(|(quota, have)| view! {
                    " · "
                    <span class="bank-quota" data-testid="bank-quota">{move || if tr.is_en() {
                        format!("You added {have} / {quota}")
                    } else {
                        format!("已出 {have} / {quota} 题")
                    }}</span>
                })}
            </p>
            {bank.archived.then(|| view! {
                <p class="hint">{move || tr.t("题库已归档，题目只读。", "The bank is archived; its questions are read-only.")}</p>
            })}
        </header>

        {may_manage.then(|| view! {
            <details class="card bank-edit">
                <summary>{move || tr.t("编辑题库信息", "Edit the bank")}</summary>
                <ActionForm action=save attr:class="form" attr:data-testid="bank-edit">
                    <input type="hidden" name="id" value=id.to_string() />
                    <label for="bank-title">{move || tr.t("题库名称", "Title")}</label>
                    <input id="bank-title" name="title" required maxlength="60" autocomplete="off" value=bank.title.clone() />
                    <label for="bank-description">{move || tr.t("说明（可选）", "Description (optional)")}</label>
                    <textarea id="bank-description" name="description" maxlength="500" rows="3" autocomplete="off">{bank.description.clone()}</textarea>
                    <div class="bank-check">
                        <input type="checkbox" id="bank-archived" name="archived" value="on" checked=bank.archived />
                        <label for="bank-archived">{move || tr.t("归档（归档后不能再添加或修改题目）", "Archived (no questions can be added or changed)")}</label>
                    </div>
                    <ErrorMessage error=Signal::derive(move || save.value().get().and_then(Result::err)) />
                    <button type="submit" class="primary" disabled=move || save.pending().get()>{move || tr.t("保存", "Save")}</button>
                </ActionForm>
            </details>
        })}
        {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
            <p class="success-message" role="status" data-testid="bank-saved">{move || tr.t("题库信息已保存", "The bank was saved")}</p>
        })}

        <QuestionsSection bank=id may_manage may_add ctx />

        {(may_add || may_export).then(|| view! {
            <section class="card bank-import" data-testid="bank-import">
                <h2>{move || if may_add { tr.t("导入与导出", "Import and export") } else { tr.t("导出", "Export") }}</h2>
                {may_add.then(|| view! { <ImportPanel bank=id state=ctx.import on_imported /> })}
                {may_export.then(|| view! {
                    <p class="bank-exports" data-testid="bank-exports">
                        {move || tr.t("导出本题库：", "Export this bank: ")}
                        {EXPORTS.iter().enumerate().map(|(i, &(format, label))| view! {
                            {(i > 0).then_some(" · ")}
                            <a href=format!("/exports/banks/{id}?format={format}") download data-testid=format!("export-{format}")>{label}</a>
                        }).collect_view()}
                    </p>
                })}
            </section>
        })}

        {(may_manage || !detail.invites.is_empty()).then(|| view! {
            <InvitesSection bank=id invites=detail.invites.clone() may_manage own=!may_export ctx />
        })}
    }
}

#[component]
fn QuestionsSection(bank: BankId, may_manage: bool, may_add: bool, ctx: BankCtx) -> impl IntoView {
    let tr = use_tr();
    let questions = ctx.questions;
    view! {
        <section class="card bank-questions" data-testid="bank-questions">
            <div class="bank-section-head">
                <h2>{move || tr.t("题目", "Questions")}</h2>
                {may_add.then(|| view! {
                    <a class="button primary" href=format!("/banks/{bank}/new") data-testid="new-question">
                        {move || tr.t("新建题目", "New question")}
                    </a>
                })}
            </div>
            <Loaded resource=questions transition=true let:page>
                <QuestionList bank page filter=ctx.filter.get_untracked() may_manage ctx />
            </Loaded>
        </section>
    }
}

#[component]
fn FacetSelect(
    id: &'static str,
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    values: Vec<String>,
    current: Option<String>,
) -> impl IntoView {
    let tr = use_tr();
    (!values.is_empty()).then(|| {
        view! {
            <div class="bank-filter">
                <label for=id>{move || tr.t(zh, en)}</label>
                <select id=id name=name>
                    <option value="">{move || tr.t("全部", "All")}</option>
                    {values.into_iter().map(|v| {
                        let selected = current.as_deref() == Some(v.as_str());
                        view! { <option value=v.clone() selected=selected>{v.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    })
}

#[component]
fn QuestionList(
    bank: BankId,
    page: QuestionPage,
    filter: ListQuery,
    may_manage: bool,
    ctx: BankCtx,
) -> impl IntoView {
    let tr = use_tr();
    let bulk = ctx.bulk;
    let selected = RwSignal::new(BTreeSet::<QuestionId>::new());
    let ids: Vec<QuestionId> = page.rows.iter().map(|r| r.id).collect();
    let page_ids = StoredValue::new(ids);
    let archived_view = filter.archived;
    let run_bulk = move |op: Bulk| {
        let ids: Vec<QuestionId> = selected.get_untracked().into_iter().collect();
        if ids.is_empty() {
            return;
        }
        bulk.busy.set(true);
        bulk.error.set(None);
        bulk.changed.set(None);
        let tag = bulk.tag.get_untracked().trim().to_owned();
        leptos::task::spawn_local(async move {
            let result = match op {
                Bulk::Archive(archived) => archive_questions(bank, ids, archived).await,
                Bulk::Tag(add) => tag_questions(bank, ids, tag, add).await,
            };
            bulk.busy.set(false);
            match result {
                Ok(changed) => {
                    bulk.changed.set(Some(changed));
                    ctx.list_reload.update(|n| *n += 1);
                    if matches!(op, Bulk::Archive(_)) {
                        ctx.detail_reload.update(|n| *n += 1);
                    }
                }
                Err(e) => bulk.error.set(Some(e)),
            }
        });
    };
    let none_selected = move || selected.with(BTreeSet::is_empty);
    let all_selected = move || {
        page_ids.with_value(|ids| {
            !ids.is_empty() && selected.with(|s| ids.iter().all(|id| s.contains(id)))
        })
    };
    let total = page.total;
    let last = (page.total - 1).max(0) / page.page_size.max(1);
    let current = page.page;
    let prev_url = filter.url(bank, current - 1);
    let next_url = filter.url(bank, current + 1);
    let kind_filter = filter.kind.clone();
    let difficulty_filter = filter.difficulty;
    view! {
        <form method="get" action=format!("/banks/{bank}") class="filters bank-filters" role="search" data-testid="question-filters">
            <div class="bank-filter bank-filter-text">
                <label for="qf-text">{move || tr.t("搜索题干、知识点或讲师", "Search stems, topics, lecturers")}</label>
                <input id="qf-text" name="text" type="search" maxlength="100" autocomplete="off" value=filter.text.clone().unwrap_or_default() />
            </div>
            <div class="bank-filter">
                <label for="qf-kind">{move || tr.t("题型", "Type")}</label>
                <select id="qf-kind" name="kind">
                    <option value="">{move || tr.t("全部", "All")}</option>
                    {QuestionKind::ALL.into_iter().map(|kind| {
                        let selected = kind_filter.as_deref() == Some(kind.code());
                        view! { <option value=kind.code() selected=selected>{move || kind_label(tr, kind.code())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <FacetSelect id="qf-topic" name="topic" zh="知识点" en="Topic" values=page.topics.clone() current=filter.topic.clone() />
            <FacetSelect id="qf-lecturer" name="lecturer" zh="讲师" en="Lecturer" values=page.lecturers.clone() current=filter.lecturer.clone() />
            <FacetSelect id="qf-tag" name="tag" zh="标签" en="Tag" values=page.tags.clone() current=filter.tag.clone() />
            <div class="bank-filter">
                <label for="qf-difficulty">{move || tr.t("难度", "Difficulty")}</label>
                <select id="qf-difficulty" name="difficulty">
                    <option value="">{move || tr.t("全部", "All")}</option>
                    {(1u8..=5).map(|level| view! {
                        <option value=level.to_string() selected=difficulty_filter == Some(i64::from(level))>
                            {move || difficulty_label(tr, level)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="bank-check">
                <input type="checkbox" id="qf-archived" name="archived" value="true" checked=filter.archived />
                <label for="qf-archived">{move || tr.t("只看已归档的题目", "Archived questions only")}</label>
            </div>
            <div class="button-row">
                <button type="submit">{move || tr.t("筛选", "Filter")}</button>
                <a class="button" href=format!("/banks/{bank}")>{move || tr.t("清除筛选", "Clear")}</a>
            </div>
        </form>

        <p class="hint" data-testid="question-total">{move || if tr.is_en() {
            format!("{total} questions")
        } else {
            format!("共 {total} 题")
        }}</p>

        {may_manage.then(|| view! {
            <div class="bank-bulk" data-testid="bulk-actions">
                <div class="bank-check">
                    <input type="checkbox" id="q-select-all" data-testid="select-all"
                        prop:checked=all_selected
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| {
                                if on {
                                    page_ids.with_value(|ids| s.extend(ids.iter().copied()));
                                } else {
                                    s.clear();
                                }
                            });
                        } />
                    <label for="q-select-all">{move || tr.t("全选本页", "Select all on this page")}</label>
                </div>
                <span class="hint" data-testid="selected-count">{move || {
                    let n = selected.with(BTreeSet::len);
                    if tr.is_en() { format!("{n} selected") } else { format!("已选 {n} 题") }
                }}</span>
                <button type="button" data-testid="bulk-archive"
                    disabled=move || none_selected() || bulk.busy.get()
                    on:click=move |_| run_bulk(Bulk::Archive(!archived_view))>
                    {move || if archived_view { tr.t("恢复所选", "Restore selected") } else { tr.t("归档所选", "Archive selected") }}
                </button>
                <div class="bank-bulk-tag">
                    <label for="bulk-tag">{move || tr.t("标签", "Tag")}</label>
                    <input id="bulk-tag" maxlength=MAX_TAG_CHARS.to_string() autocomplete="off" data-testid="bulk-tag"
                        prop:value=move || bulk.tag.get()
                        on:input=move |ev| bulk.tag.set(event_target_value(&ev)) />
                    <button type="button" data-testid="bulk-tag-add"
                        disabled=move || none_selected() || bulk.busy.get() || bulk.tag.with(|t| t.trim().is_empty())
                        on:click=move |_| run_bulk(Bulk::Tag(true))>
                        {move || tr.t("添加标签", "Add tag")}
                    </button>
                    <button type="button" data-testid="bulk-tag-remove"
                        disabled=move || none_selected() || bulk.busy.get() || bulk.tag.with(|t| t.trim().is_empty())
                        on:click=move |_| run_bulk(Bulk::Tag(false))>
                        {move || tr.t("移除标签", "Remove tag")}
                    </button>
                </div>
            </div>
        })}
        {move || bulk.changed.get().map(|n| view! {
            <p class="success-message" role="status" data-testid="bulk-done">{move || if tr.is_en() {
                format!("{n} questions changed")
            } else {
                format!("已更改 {n} 道题")
            }}</p>
        })}
        <ErrorMessage error=Signal::derive(move || bulk.error.get()) />

        {if page.rows.is_empty() {
            view! {
                <p class="hint" data-testid="no-questions">{move || tr.t("没有符合条件的题目。", "No questions match.")}</p>
            }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data-table bank-qtable" data-testid="question-table">
                        <thead><tr>
                            {may_manage.then(|| view! { <th><span class="visually-hidden">{move || tr.t("选择", "Select")}</span></th> })}
                            <th>{move || tr.t("题型", "Type")}</th>
                            <th>{move || tr.t("题干", "Stem")}</th>
                            <th>{move || tr.t("知识点", "Topic")}</th>
                            <th>{move || tr.t("讲师", "Lecturer")}</th>
                            <th>{move || tr.t("难度", "Difficulty")}</th>
                            <th>{move || tr.t("标签", "Tags")}</th>
                        </tr></thead>
                        <tbody>
                            {page.rows.into_iter().map(|row| view! { <QuestionRow row may_manage selected /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}

        {(last > 0).then(|| view! {
            <nav class="pager" aria-label=move || tr.t("分页", "Pages") data-testid="question-pager">
                {(current > 0).then(|| view! { <a href=prev_url.clone() data-testid="pager-prev">{move || tr.t("上一页", "Previous")}</a> })}
                <span>{format!("{} / {}", current + 1, last + 1)}</span>
                {(current < last).then(|| view! { <a href=next_url.clone() data-testid="pager-next">{move || tr.t("下一页", "Next")}</a> })}
            </nav>
        })}
    }
}

#[component]
fn QuestionRow(
    row: QuestionListRow,
    may_manage: bool,
    selected: RwSignal<BTreeSet<QuestionId>>,
) -> impl IntoView {
    let tr = use_tr();
    let id = row.id;
    let kind = row.kind.clone();
    let stem = truncate(&row.stem_text, 60);
    let check_id = format!("q-select-{id}");
    let stem_label = stem.clone();
    view! {
        <tr data-testid="question-row" data-id=id.to_string()>
            {may_manage.then(|| view! {
                <td>
                    <input type="checkbox" id=check_id.clone() data-testid="question-select"
                        prop:checked=move || selected.with(|s| s.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| {
                                if on {
                                    s.insert(id);
                                } else {
                                    s.remove(&id);
                                }
                            });
                        } />
                    <label for=check_id class="visually-hidden">{move || tr.t("选择：", "Select: ")}{stem_label.clone()}</label>
                </td>
            })}
            <td>{move || kind_label(tr, &kind)}</td>
            <td class="bank-stem-cell">
                <a href=format!("/questions/{id}")>
                    {if stem.is_empty() { format!("#{id}") } else { stem }}
                </a>
                {row.archived.then(|| view! { <span class="tag bank-archived">{move || tr.t("已归档", "Archived")}</span> })}
            </td>
            <td>{row.topic.clone()}</td>
            <td>{row.lecturer.clone()}</td>
            <td>{row.difficulty}</td>
            <td>{row.tags.iter().map(|t| view! { <span class="tag bank-tag">{t.clone()}</span> }).collect_view()}</td>
        </tr>
    }
}

fn accept_for(format: &str) -> &'static str {
    match format {
        "table" => ".xlsx,.csv,text/csv",
        "moodle-xml" => ".xml,text/xml,application/xml",
        _ => ".txt,.gift,text/plain",
    }
}

#[component]
fn ImportPanel(bank: BankId, state: ImportState, on_imported: Callback<()>) -> impl IntoView {
    let tr = use_tr();
    let run = move |confirm: bool, valid_rows_only: bool| {
        state.error.set(None);
        if !confirm {
            state.report.set(None);
        }
        #[cfg(feature = "hydrate")]
        if let Some(input) = state.file.get_untracked() {
            state.busy.set(true);
            let format = state.format.get_untracked();
            leptos::task::spawn_local(async move {
                use base64::Engine;
                match crate::components::browser::read_file(&input).await {
                    None => state.error.set(Some(AppError::invalid(
                        "请先选择文件",
                        "Please choose a file",
                    ))),
                    Some((_, bytes)) if bytes.len() > MAX_IMPORT_BYTES => {
                        state.error.set(Some(AppError::invalid(
                            "文件不能超过 1 MB，请分批导入",
                            "The file must be at most 1 MB; please split it",
                        )));
                    }
                    Some((name, bytes)) => {
                        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                        match import_questions(
                            bank,
                            format,
                            name,
                            encoded,
                            confirm,
                            valid_rows_only,
                        )
                        .await
                        {
                            Ok(report) => {
                                let imported = report.imported.is_some();
                                state.report.set(Some(report));
                                if imported {
                                    on_imported.run(());
                                }
                            }
                            Err(e) => state.error.set(Some(e)),
                        }
                    }
                }
                state.busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (
            confirm,
            valid_rows_only,
            bank,
            on_imported,
            import_questions,
            MAX_IMPORT_BYTES,
        );
    };
    let busy = state.busy;
    view! {
        <p>
            {move || tr.t("下载模板：", "Templates: ")}
            <a href="/downloads/question-template.xlsx" download data-testid="template-xlsx">"Excel (.xlsx)"</a>" · "
            <a href="/downloads/question-template.csv" download data-testid="template-csv">"CSV"</a>
        </p>
        <p class="hint">{move || tr.t(
            "支持本系统的 Excel / CSV 模板（UTF-8 或 GBK 编码）、GIFT、Aiken（仅单选题）和 Moodle XML，文件不超过 1 MB。先检查文件，确认无误后再导入。",
            "The academy's Excel / CSV template (UTF-8 or GBK), GIFT, Aiken (single choice only) and Moodle XML, up to 1 MB. Check the file first, then import.",
        )}</p>
        <div class="form bank-import-form">
            <label for="import-format">{move || tr.t("文件格式", "Format")}</label>
            <select id="import-format" data-testid="import-format"
                on:change=move |ev| {
                    state.format.set(event_target_value(&ev));
                    state.report.set(None);
                    state.error.set(None);
                }>
                {FORMATS.iter().map(|&(code, zh, en)| view! {
                    <option value=code selected=state.format.get_untracked() == code>{move || tr.t(zh, en)}</option>
                }).collect_view()}
            </select>
            <label for="import-file">{move || tr.t("选择文件", "Choose a file")}</label>
            <input id="import-file" type="file" data-testid="import-file" node_ref=state.file
                accept=move || accept_for(&state.format.get())
                on:change=move |_| {
                    state.report.set(None);
                    state.error.set(None);
                } />
            <button type="button" class="primary" data-testid="import-check"
                disabled=move || busy.get()
                on:click=move |_| run(false, false)>
                {move || tr.t("检查文件", "Check the file")}
            </button>
        </div>
        {move || busy.get().then(|| view! { <p class="hint" role="status">{move || tr.t("正在处理…", "Working…")}</p> })}
        <ErrorMessage error=Signal::derive(move || state.error.get()) />
        {move || state.report.get().map(|report| {
            let problems = report.problems.len();
            let valid = report.valid;
            let encoding = report.encoding.clone();
            view! {
                <div class="bank-import-report" data-testid="import-report">
                    {match report.imported {
                        Some(n) => view! {
                            <p class="success-message" role="status" data-testid="import-done">{move || if tr.is_en() {
                                format!("Imported {n} questions.")
                            } else {
                                format!("已导入 {n} 道题。")
                            }}</p>
                        }.into_any(),
                        None => view! {
                            <p data-testid="import-summary">{move || if tr.is_en() {
                                format!("Read as {encoding}: {valid} questions can be imported; {problems} problems.")
                            } else {
                                format!("文件编码/格式：{encoding}；可导入 {valid} 道题；问题 {problems} 处。")
                            }}</p>
                        }.into_any(),
                    }}
                    {(!report.problems.is_empty()).then(|| view! {
                        <div class="table-scroll">
                            <table class="data-table bank-problems" data-testid="import-problems">
                                <thead><tr>
                                    <th>{move || tr.t("行", "Row")}</th>
                                    <th>{move || tr.t("列", "Column")}</th>
                                    <th>{move || tr.t("原因", "Reason")}</th>
                                </tr></thead>
                                <tbody>
                                    {report.problems.iter().map(|p| {
                                        let (zh, en) = (p.reason_zh.clone(), p.reason_en.clone());
                                        let column = p.column.clone();
                                        view! {
                                            <tr data-testid="import-problem">
                                                <td>{p.row}</td>
                                                <td>{move || field_name(tr, &column)}</td>
                                                <td class="bank-reason">{move || if tr.is_en() { en.clone() } else { zh.clone() }}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                    {report.imported.is_none().then(|| view! {
                        {(problems > 0 && valid > 0).then(|| view! {
                            <p class="bank-warning" role="note" data-testid="import-warning">{move || if tr.is_en() {
                                format!("The rows with problems above will be skipped. You can import the {valid} questions without problems now, or fix the file and check it again.")
                            } else {
                                format!("上表中有问题的行不会导入。可以现在只导入无误的 {valid} 道题，也可以修改文件后重新检查。")
                            }}</p>
                        })}
                        <div class="button-row">
                            <button type="button" class="primary" data-testid="import-all"
                                disabled=move || { busy.get() || problems > 0 || valid == 0 }
                                on:click=move |_| run(true, false)>
                                {move || tr.t("导入全部", "Import all")}
                            </button>
                            {(problems > 0 && valid > 0).then(|| view! {
                                <button type="button" data-testid="import-valid-only"
                                    disabled=move || busy.get()
                                    on:click=move |_| run(true, true)>
                                    {move || if tr.is_en() {
                                        format!("Import only the {valid} valid rows")
                                    } else {
                                        format!("只导入无误的 {valid} 行")
                                    }}
                                </button>
                            })}
                        </div>
                    })}
                </div>
            }
        })}
    }
}

#[component]
fn InvitesSection(
    bank: BankId,
    invites: Vec<InviteView>,
    may_manage: bool,
    /// A lecturer's own invitation (the only one they see).
    own: bool,
    ctx: BankCtx,
) -> impl IntoView {
    let tr = use_tr();
    let invite = ctx.invite;
    let uninvite = ctx.uninvite;
    view! {
        <section class="card bank-invites" data-testid="bank-invites">
            <h2>{move || if own { tr.t("我的出题邀请", "My invitation") } else { tr.t("受邀出题的讲师", "Invited lecturers") }}</h2>
            {if invites.is_empty() {
                view! { <p class="hint">{move || tr.t("还没有邀请讲师出题。", "No lecturer is invited yet.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="data-table" data-testid="invite-table">
                            <thead><tr>
                                <th>{move || tr.t("讲师", "Lecturer")}</th>
                                <th>{move || tr.t("出题数量", "Quota")}</th>
                                <th>{move || tr.t("已出", "Added")}</th>
                                {may_manage.then(|| view! { <th><span class="visually-hidden">{move || tr.t("操作", "Actions")}</span></th> })}
                            </tr></thead>
                            <tbody>
                                {invites.into_iter().map(|i| {
                                    let lecturer = i.lecturer_id;
                                    let name = i.lecturer_name.clone();
                                    view! {
                                        <tr data-testid="invite-row">
                                            <td>{i.lecturer_name.clone()}</td>
                                            <td>{i.quota}</td>
                                            <td>{i.contributed}</td>
                                            {may_manage.then(|| view! {
                                                <td>
                                                    <button type="button" data-testid="invite-remove"
                                                        aria-label=move || format!("{}{}", tr.t("取消邀请：", "Remove the invitation: "), name)
                                                        disabled=move || uninvite.pending().get()
                                                        on:click=move |_| {
                                                            uninvite.dispatch(RemoveInvite { bank, lecturer });
                                                        }>
                                                        {move || tr.t("取消邀请", "Remove")}
                                                    </button>
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <ErrorMessage error=Signal::derive(move || uninvite.value().get().and_then(Result::err)) />
            {may_manage.then(|| view! {
                <ActionForm action=invite attr:class="form bank-invite-form" attr:data-testid="invite-form">
                    <input type="hidden" name="bank" value=bank.to_string() />
                    <label for="invite-username">{move || tr.t("讲师用户名", "Lecturer's username")}</label>
                    <input id="invite-username" name="username" required maxlength="64" autocomplete="off" />
                    <label for="invite-quota">{move || tr.t("出题数量", "Number of questions")}</label>
                    <input id="invite-quota" name="quota" type="number" required min="1" max="500" step="1" value="5" inputmode="numeric" autocomplete="off" />
                    <p class="hint">{move || tr.t("已邀请的讲师再次提交即修改其出题数量。", "Inviting an invited lecturer again changes their quota.")}</p>
                    <ErrorMessage error=Signal::derive(move || invite.value().get().and_then(Result::err)) />
                    <button type="submit" class="primary" disabled=move || invite.pending().get()>{move || tr.t("邀请 / 修改数量", "Invite / change quota")}</button>
                </ActionForm>
            })}
            {move || matches!(invite.value().get(), Some(Ok(()))).then(|| view! {
                <p class="success-message" role="status" data-testid="invite-done">{move || tr.t("邀请已保存", "The invitation was saved")}</p>
            })}
        </section>
    }
}

// ---------------------------------------------------------------------------
// /banks/:id/new and /questions/:id

fn new_question() -> Question {
    Question {
        name: String::new(),
        kind: QuestionKind::Single,
        stem: String::new(),
        options: vec![String::new(); 4],
        answer: Answer::Choice(Vec::new()),
        explanation: String::new(),
        points: 1,
        difficulty: 3,
        topic: String::new(),
        lecturer: String::new(),
        source: String::new(),
        ignore_punctuation: false,
    }
}

#[component]
pub fn QuestionNewPage() -> impl IntoView {
    let tr = use_tr();
    let bank_id = use_id_param::<BankId>();
    let detail = Resource::new(
        move || bank_id.get(),
        |id| async move { bank_detail(found(id)?).await },
    );
    let created = RwSignal::new(None::<(QuestionId, i64)>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some((id, version)) = created.get() {
            navigate(
                &format!("/questions/{id}?saved={version}"),
                Default::default(),
            );
        }
    });
    let on_saved = Callback::new(move |saved: (QuestionId, i64)| created.set(Some(saved)));
    view! {
        <Loaded resource=detail sign_in=true let:d>
            {
                let bank = d.bank.id;
                view! {
                    <p class="crumbs"><a href=format!("/banks/{bank}")>{format!("‹ {}", d.bank.title)}</a></p>
                    <h1>{move || tr.t("新建题目", "New question")}</h1>
                    {d.bank.my_quota.map(|(quota, have)| view! {
                        <p class="hint" data-testid="bank-quota">{move || if tr.is_en() {
                            format!("You have added {have} of the {quota} questions you are invited to write.")
                        } else {
                            format!("受邀出题 {quota} 道，已出 {have} 道。")
                        }}</p>
                    })}
                    {if d.may_add {
                        view! {
                            <section class="card">
                                <QuestionForm bank id=None version=None question=new_question() tags=Vec::new() on_saved />
                            </section>
                        }.into_any()
                    } else {
                        view! {
                            <p class="card" data-testid="may-not-add">{move || tr.t(
                                "不能在本题库添加题目：题库已归档，或您已出满邀请的数量。",
                                "You cannot add questions here: the bank is archived, or you have added as many as you were invited to.",
                            )}</p>
                        }.into_any()
                    }}
                }
            }
        </Loaded>
    }
}

#[component]
pub fn QuestionEditPage() -> impl IntoView {
    let query = use_query_map();
    let id = use_id_param::<QuestionId>();
    // Set when the question was just saved (by this page, or by the new
    // question page that came here).
    let saved =
        RwSignal::new(query.with_untracked(|q| q.get("saved").and_then(|v| v.parse::<i64>().ok())));
    let reload = RwSignal::new(0u32);
    let edit = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| async move { question_for_edit(found(id)?).await },
    );
    let on_saved = Callback::new(move |(_, version): (QuestionId, i64)| {
        saved.set(Some(version));
        reload.update(|n| *n += 1);
    });
    view! {
        <Loaded resource=edit sign_in=true transition=true let:edit>
            <QuestionEditor edit saved on_saved />
        </Loaded>
    }
}

#[component]
fn QuestionEditor(
    edit: QuestionEdit,
    saved: RwSignal<Option<i64>>,
    on_saved: Callback<(QuestionId, i64)>,
) -> impl IntoView {
    let tr = use_tr();
    let id = edit.id;
    let version = edit.version;
    let mut history = edit.history.clone();
    history.sort_by_key(|v| std::cmp::Reverse(v.version));
    view! {
        <p class="crumbs"><a href=format!("/banks/{}", edit.bank)>{format!("‹ {}", edit.bank_title)}</a></p>
        <h1>
            {move || if tr.is_en() { format!("Question #{id}") } else { format!("题目 #{id}") }}
            {edit.archived.then(|| view! { <span class="tag bank-archived" data-testid="question-archived">{move || tr.t("已归档", "Archived")}</span> })}
        </h1>
        <p class="hint" data-testid="question-version-now">{move || if tr.is_en() {
            format!("Version {version}")
        } else {
            format!("当前为第 {version} 版")
        }}</p>
        {move || saved.get().map(|v| view! {
            <p class="success-message" role="status" data-testid="question-saved">{move || if tr.is_en() {
                format!("Saved (version {v})")
            } else {
                format!("已保存（第 {v} 版）")
            }}</p>
        })}
        <section class="card">
            {if edit.editable {
                view! {
                    <QuestionForm bank=edit.bank id=Some(id) version=Some(version) question=edit.body.clone() tags=edit.tags.clone() on_saved />
                }.into_any()
            } else {
                view! {
                    <p class="hint" data-testid="question-readonly-note">{move || tr.t(
                        "这道题只读：题库已归档，或您没有修改权限。",
                        "This question is read-only: the bank is archived, or you may not change it.",
                    )}</p>
                    <QuestionView question=edit.body.clone() tags=edit.tags.clone() />
                }.into_any()
            }}
        </section>
        <section class="card qedit-history" data-testid="question-history">
            <h2>{move || tr.t("修改记录", "History")}</h2>
            <ol class="plain-list">
                {history.into_iter().map(|v| view! { <VersionItem version=v /> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn VersionItem(version: VersionView) -> impl IntoView {
    let tr = use_tr();
    let number = version.version;
    let q = version.body;
    let kind = q.kind;
    let stem = truncate(&plain_text(&q.stem), 120);
    let options = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{}. {}", option_letter(i), truncate(o, 30)))
        .collect::<Vec<_>>()
        .join("  ");
    let zh = answer_text_zh(&q);
    let en = answer_text_en(&q);
    view! {
        <li class="qedit-version" data-testid="question-version">
            <p class="qedit-version-head">
                <strong>{move || if tr.is_en() { format!("Version {number}") } else { format!("第 {number} 版") }}</strong>
                " · "{version.edited_by.clone()}" · "
                <time>{format_china_time(version.edited_at)}</time>
            </p>
            <p class="qedit-version-stem">
                <span class="tag">{move || kind_label(tr, kind.code())}</span>" "{stem}
            </p>
            {(!options.is_empty()).then(|| view! { <p class="hint">{options}</p> })}
            <p class="qedit-version-answer">{move || if tr.is_en() {
                format!("Answer: {en}")
            } else {
                format!("答案：{zh}")
            }}</p>
        </li>
    }
}

/// A question read-only, as its author wrote it.
#[component]
fn QuestionView(question: Question, tags: Vec<String>) -> impl IntoView {
    let tr = use_tr();
    let q = question;
    let kind = q.kind;
    let correct: Vec<usize> = match &q.answer {
        Answer::Choice(indexes) => indexes.iter().map(|i| usize::from(*i)).collect(),
        _ => Vec::new(),
    };
    let zh = answer_text_zh(&q);
    let en = answer_text_en(&q);
    let difficulty = q.difficulty;
    let points = q.points;
    let ignore = q.ignore_punctuation;
    let facts: Vec<(&'static str, &'static str, String)> = vec![
        ("名称", "Name", q.name.clone()),
        ("知识点", "Topic", q.topic.clone()),
        ("讲师", "Lecturer", q.lecturer.clone()),
        ("来源", "Source", q.source.clone()),
        ("标签", "Tags", tags.join("，")),
    ];
    view! {
        <div class="qedit-readonly" data-testid="question-readonly">
            <p><span class="tag">{move || kind_label(tr, kind.code())}</span></p>
            <div class="qedit-stem-view"><Stem lines=parse_stem(&q.stem) /></div>
            {(!q.options.is_empty()).then(|| view! {
                <ol class="plain-list qedit-option-list">
                    {q.options.iter().enumerate().map(|(i, text)| {
                        let is_correct = correct.contains(&i);
                        view! {
                            <li class:qedit-correct-option=is_correct>
                                {format!("{}. {}", option_letter(i), text)}
                                {is_correct.then(|| view! { <span class="tag">{move || tr.t("正确答案", "Correct")}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
            <dl class="facts">
                <dt>{move || tr.t("答案", "Answer")}</dt>
                <dd data-testid="question-answer">{move || if tr.is_en() { en.clone() } else { zh.clone() }}</dd>
                {(kind == QuestionKind::Fill).then(|| view! {
                    <dt>{move || tr.t("忽略标点", "Ignore punctuation")}</dt>
                    <dd>{move || if ignore { tr.t("是", "Yes") } else { tr.t("否", "No") }}</dd>
                })}
                <dt>{move || tr.t("解析", "Explanation")}</dt>
                <dd>{q.explanation.clone()}</dd>
                <dt>{move || tr.t("分值", "Points")}</dt>
                <dd>{points}</dd>
                <dt>{move || tr.t("难度", "Difficulty")}</dt>
                <dd>{move || difficulty_label(tr, difficulty)}</dd>
                {facts.into_iter().map(|(zh, en, value)| view! {
                    <dt>{move || tr.t(zh, en)}</dt>
                    <dd>{value}</dd>
                }).collect_view()}
            </dl>
        </div>
    }
}

/// Problems of the fields `wanted` accepts, in the reader's language, shown
/// beside those fields.
fn field_problems(
    tr: Tr,
    problems: RwSignal<Vec<FieldProblem>>,
    wanted: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let list: Vec<(String, String)> = problems.with(|all| {
            all.iter()
                .filter(|p| wanted(&p.field))
                .map(|p| (p.zh.clone(), p.en.clone()))
                .collect()
        });
        (!list.is_empty()).then(|| {
            let en = tr.is_en();
            view! {
                <ul class="qedit-field-problems">
                    {list.into_iter().map(|(zh, en_text)| view! {
                        <li data-testid="field-problem">{if en { en_text } else { zh }}</li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}

/// The form that adds (`id` None) or edits a question. Checks the question
/// the way the server does before sending it, and shows every problem beside
/// its field.
#[component]
pub fn QuestionForm(
    bank: BankId,
    id: Option<QuestionId>,
    /// The version the edit starts from (edits only).
    version: Option<i64>,
    question: Question,
    tags: Vec<String>,
    on_saved: Callback<(QuestionId, i64)>,
) -> impl IntoView {
    let tr = use_tr();
    let initial_kind = question.kind;
    let kind = RwSignal::new(question.kind);
    let stem = RwSignal::new(question.stem.clone());
    let options = RwSignal::new(if question.kind.has_options() {
        let mut options = question.options.clone();
        let min = min_options(question.kind);
        if options.len() < min {
            options.resize(min, String::new());
        }
        options
    } else {
        vec![String::new(); 4]
    });
    let correct = RwSignal::new(match &question.answer {
        Answer::Choice(indexes) => indexes.iter().map(|i| usize::from(*i)).collect(),
        _ => BTreeSet::<usize>::new(),
    });
    let truth = RwSignal::new(match &question.answer {
        Answer::TrueFalse(value) => Some(*value),
        _ => None,
    });
    let blanks = RwSignal::new(match &question.answer {
        Answer::Blanks(blanks) if !blanks.is_empty() => blanks
            .iter()
            .map(|alternatives| alternatives.join(" / "))
            .collect(),
        _ => vec![String::new()],
    });
    let ignore_punctuation = RwSignal::new(question.ignore_punctuation);
    let explanation = RwSignal::new(question.explanation.clone());
    let points = RwSignal::new(question.points.to_string());
    let difficulty = RwSignal::new(question.difficulty);
    let topic = RwSignal::new(question.topic.clone());
    let lecturer = RwSignal::new(question.lecturer.clone());
    let source = RwSignal::new(question.source.clone());
    let name = RwSignal::new(question.name.clone());
    let tags_text = RwSignal::new(tags.join(", "));

    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);

    let option_count = Memo::new(move |_| options.with(Vec::len));
    let blank_count = Memo::new(move |_| blanks.with(Vec::len));

    // The question as the form holds it, and the problems only the form can
    // see (no true/false answer chosen).
    let build = move || -> (Question, Vec<String>, Vec<FieldProblem>) {
        let kind = kind.get_untracked();
        let mut early = Vec::new();
        let options = if kind.has_options() {
            options.get_untracked()
        } else {
            Vec::new()
        };
        let answer = match kind {
            QuestionKind::Single | QuestionKind::Multiple => Answer::Choice(
                correct
                    .get_untracked()
                    .into_iter()
                    .filter(|i| *i < options.len())
                    .filter_map(|i| u8::try_from(i).ok())
                    .collect(),
            ),
            QuestionKind::TrueFalse => match truth.get_untracked() {
                Some(value) => Answer::TrueFalse(value),
                None => {
                    early.push(FieldProblem::new(
                        "答案",
                        "请选择“正确”或“错误”",
                        "Choose True or False",
                    ));
                    Answer::TrueFalse(true)
                }
            },
            QuestionKind::Fill => Answer::Blanks(
                blanks
                    .get_untracked()
                    .iter()
                    .map(|b| split_alternatives(b))
                    .collect(),
            ),
        };
        let question = Question {
            name: name.get_untracked(),
            kind,
            stem: stem.get_untracked(),
            options,
            answer,
            explanation: explanation.get_untracked(),
            points: points.get_untracked().trim().parse().unwrap_or(0),
            difficulty: difficulty.get_untracked(),
            topic: topic.get_untracked(),
            lecturer: lecturer.get_untracked(),
            source: source.get_untracked(),
            ignore_punctuation: kind == QuestionKind::Fill && ignore_punctuation.get_untracked(),
        };
        (
            tidy(question),
            split_tags(&tags_text.get_untracked()),
            early,
        )
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let (question, tags, mut found) = build();
        found.extend(check_question(&question));
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save_question(bank, id, version, question, tags).await;
            busy.set(false);
            match result {
                Ok(QuestionSaved::Saved { id, version }) => on_saved.run((id, version)),
                Ok(QuestionSaved::Problems(found)) => problems.set(found),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let change_kind = move |ev: leptos::ev::Event| {
        let Some(new) = QuestionKind::from_code(&event_target_value(&ev)) else {
            return;
        };
        kind.set(new);
        if new.has_options() && options.with(|o| o.len() < min_options(new)) {
            options.set(vec![String::new(); 4]);
        }
        if new == QuestionKind::Single {
            correct.update(|c| {
                if let Some(first) = c.first().copied() {
                    c.retain(|i| *i == first);
                }
            });
        }
        if blanks.with(Vec::is_empty) {
            blanks.set(vec![String::new()]);
        }
    };

    let remove_option = move |index: usize| {
        if options.with(|o| o.len() <= min_options(kind.get_untracked())) {
            return;
        }
        options.update(|o| {
            if index < o.len() {
                o.remove(index);
            }
        });
        correct.update(|c| {
            *c = c
                .iter()
                .filter(|i| **i != index)
                .map(|i| if *i > index { i - 1 } else { *i })
                .collect();
        });
    };

    let option_row = move |i: usize, k: QuestionKind, count: usize| {
        let letter = option_letter(i);
        let input_id = format!("qedit-option-{i}");
        let correct_id = format!("qedit-correct-{i}");
        let text = options.with_untracked(|o| o.get(i).cloned().unwrap_or_default());
        let is_correct = correct.with_untracked(|c| c.contains(&i));
        let field = format!("选项{letter}");
        view! {
            <div class="qedit-option" data-testid="option-row">
                <label for=input_id.clone() class="qedit-letter">
                    <span class="visually-hidden">{move || tr.t("选项 ", "Option ")}</span>{letter.to_string()}
                </label>
                <input id=input_id class="qedit-option-text" value=text maxlength="500" autocomplete="off"
                    data-testid=format!("option-{i}")
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        options.update(|o| {
                            if let Some(slot) = o.get_mut(i) {
                                *slot = value;
                            }
                        });
                    } />
                <span class="qedit-correct">
                    {if k == QuestionKind::Single {
                        view! {
                            <input type="radio" name="qedit-correct" id=correct_id.clone() checked=is_correct
                                data-testid=format!("correct-{i}")
                                on:change=move |_| correct.set(BTreeSet::from([i])) />
                        }.into_any()
                    } else {
                        view! {
                            <input type="checkbox" id=correct_id.clone() checked=is_correct
                                data-testid=format!("correct-{i}")
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    correct.update(|c| {
                                        if on {
                                            c.insert(i);
                                        } else {
                                            c.remove(&i);
                                        }
                                    });
                                } />
                        }.into_any()
                    }}
                    <label for=correct_id>{move || tr.t("正确答案", "Correct")}</label>
                </span>
                <button type="button" class="qedit-remove" disabled={count <= min_options(k)}
                    aria-label=move || format!("{}{letter}", tr.t("删除选项 ", "Remove option "))
                    on:click=move |_| remove_option(i)>
                    {move || tr.t("删除", "Remove")}
                </button>
                {field_problems(tr, problems, move |f| f == field)}
            </div>
        }
    };

    let blank_row = move |i: usize, count: usize| {
        let input_id = format!("qedit-blank-{i}");
        let text = blanks.with_untracked(|b| b.get(i).cloned().unwrap_or_default());
        let number = i + 1;
        view! {
            <div class="qedit-blank" data-testid="blank-row">
                <label for=input_id.clone()>{move || if tr.is_en() { format!("Blank {number}") } else { format!("第 {number} 空") }}</label>
                <input id=input_id value=text maxlength="1000" autocomplete="off"
                    data-testid=format!("blank-{i}")
                    placeholder=move || tr.t("例如：北京 / 北京市", "e.g. Beijing / Peking")
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        blanks.update(|b| {
                            if let Some(slot) = b.get_mut(i) {
                                *slot = value;
                            }
                        });
                    } />
                <button type="button" class="qedit-remove" disabled={count <= 1}
                    aria-label=move || if tr.is_en() { format!("Remove blank {number}") } else { format!("删除第 {number} 空") }
                    on:click=move |_| blanks.update(|b| {
                        if b.len() > 1 && i < b.len() {
                            b.remove(i);
                        }
                    })>
                    {move || tr.t("删除", "Remove")}
                </button>
            </div>
        }
    };

    let answer_area = move || {
        let k = kind.get();
        match k {
            QuestionKind::Single | QuestionKind::Multiple => {
                let count = option_count.get();
                view! {
                    <fieldset class="qedit-options" data-testid="question-options">
                        <legend>{move || if k == QuestionKind::Single {
                            tr.t("选项（勾选唯一的正确答案）", "Options (mark the one correct answer)")
                        } else {
                            tr.t("选项（勾选所有正确答案）", "Options (mark every correct answer)")
                        }}</legend>
                        {(0..count).map(|i| option_row(i, k, count)).collect_view()}
                        <div class="button-row">
                            <button type="button" data-testid="add-option" disabled={count >= MAX_OPTIONS}
                                on:click=move |_| options.update(|o| {
                                    if o.len() < MAX_OPTIONS {
                                        o.push(String::new());
                                    }
                                })>
                                {move || tr.t("添加选项", "Add an option")}
                            </button>
                        </div>
                        {field_problems(tr, problems, |f| f == "选项" || f == "答案")}
                    </fieldset>
                }
                .into_any()
            }
            QuestionKind::TrueFalse => {
                let current = truth.get_untracked();
                view! {
                    <fieldset class="qedit-truefalse" data-testid="question-truefalse">
                        <legend>{move || tr.t("正确答案", "Correct answer")}</legend>
                        <div class="bank-check">
                            <input type="radio" name="qedit-tf" id="qedit-tf-true" checked=current == Some(true)
                                data-testid="truefalse-true"
                                on:change=move |_| truth.set(Some(true)) />
                            <label for="qedit-tf-true">{move || tr.t("正确", "True")}</label>
                        </div>
                        <div class="bank-check">
                            <input type="radio" name="qedit-tf" id="qedit-tf-false" checked=current == Some(false)
                                data-testid="truefalse-false"
                                on:change=move |_| truth.set(Some(false)) />
                            <label for="qedit-tf-false">{move || tr.t("错误", "False")}</label>
                        </div>
                        {field_problems(tr, problems, |f| f == "答案" || f == "选项")}
                    </fieldset>
                }
                .into_any()
            }
            QuestionKind::Fill => {
                let count = blank_count.get();
                view! {
                    <fieldset class="qedit-blanks" data-testid="question-blanks">
                        <legend>{move || tr.t("每个空的答案", "Answers, blank by blank")}</legend>
                        <p class="hint">{move || tr.t(
                            "按题干中空的顺序填写；同一个空有多个可接受的答案时用“/”分隔。",
                            "In the order of the blanks in the stem; separate several accepted answers of one blank with “/”.",
                        )}</p>
                        {(0..count).map(|i| blank_row(i, count)).collect_view()}
                        <div class="button-row">
                            <button type="button" data-testid="add-blank" disabled={count >= MAX_BLANKS}
                                on:click=move |_| blanks.update(|b| {
                                    if b.len() < MAX_BLANKS {
                                        b.push(String::new());
                                    }
                                })>
                                {move || tr.t("添加一个空", "Add a blank")}
                            </button>
                        </div>
                        <div class="bank-check">
                            <input type="checkbox" id="qedit-ignore-punctuation" data-testid="ignore-punctuation"
                                checked=ignore_punctuation.get_untracked()
                                on:change=move |ev| ignore_punctuation.set(event_target_checked(&ev)) />
                            <label for="qedit-ignore-punctuation">{move || tr.t("判分时忽略标点", "Ignore punctuation when grading")}</label>
                        </div>
                        {field_problems(tr, problems, |f| f == "答案" || f == "选项")}
                    </fieldset>
                }
                .into_any()
            }
        }
    };

    let on_image = Callback::new(move |media: Vec<UploadedMedia>| {
        stem.update(|s| {
            for m in media {
                if !s.is_empty() && !s.ends_with('\n') {
                    s.push('\n');
                }
                s.push_str(&format!("![图片](/media/{})", m.id));
            }
        });
    });

    let initial_stem = question.stem.clone();
    let initial_difficulty = question.difficulty;
    view! {
        <form class="form qedit" data-testid="question-form" novalidate on:submit=submit>
            {move || {
                let all = problems.get();
                (!all.is_empty()).then(|| {
                    let count = all.len();
                    view! {
                        <div class="qedit-summary" role="alert" data-testid="question-problems">
                            <p>{move || if tr.is_en() {
                                format!("Please fix {count} problem(s):")
                            } else {
                                format!("请修改以下 {count} 处问题：")
                            }}</p>
                            <ul>
                                {all.into_iter().map(|p| {
                                    let field = p.field.clone();
                                    view! {
                                        <li data-testid="question-problem">
                                            <strong>{move || field_name(tr, &field)}</strong>
                                            {move || if tr.is_en() { format!(": {}", p.en) } else { format!("：{}", p.zh) }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </div>
                    }
                })
            }}

            <label for="qedit-kind">{move || tr.t("题型", "Type")}</label>
            <select id="qedit-kind" data-testid="question-kind" on:change=change_kind>
                {QuestionKind::ALL.into_iter().map(|k| view! {
                    <option value=k.code() selected=k == initial_kind>{move || kind_label(tr, k.code())}</option>
                }).collect_view()}
            </select>
            {field_problems(tr, problems, |f| f == "题型")}

            <label for="qedit-stem">{move || tr.t("题干", "Stem")}</label>
            <textarea id="qedit-stem" rows="4" maxlength="2000" autocomplete="off" data-testid="question-stem"
                aria-describedby="qedit-stem-hint"
                prop:value=move || stem.get()
                on:input=move |ev| stem.set(event_target_value(&ev))>{initial_stem}</textarea>
            <p class="hint" id="qedit-stem-hint">{move || tr.t(
                "可用 **粗体**；插入图片写作 ![说明](/media/编号)，或用下面的按钮上传；换行会保留。",
                "Use **bold**; an image is ![caption](/media/ID), or upload one below; line breaks are kept.",
            )}</p>
            {field_problems(tr, problems, |f| f == "题干")}
            <MediaUpload kind="image" id="qedit-image" accept="image/png,image/jpeg,image/webp" on_done=on_image
                label=Signal::derive(move || tr.t("插入图片", "Insert an image").to_owned()) />
            <div class="qedit-preview" data-testid="stem-preview" aria-live="polite">
                <span class="hint">{move || tr.t("预览：", "Preview: ")}</span>
                {move || view! { <Stem lines=parse_stem(&stem.get()) /> }}
            </div>

            {answer_area}

            <label for="qedit-explanation">{move || tr.t("解析（可选）", "Explanation (optional)")}</label>
            <textarea id="qedit-explanation" rows="3" maxlength="2000" autocomplete="off" data-testid="question-explanation"
                on:input=move |ev| explanation.set(event_target_value(&ev))>{question.explanation.clone()}</textarea>
            {field_problems(tr, problems, |f| f == "解析")}

            <div class="qedit-row">
                <div class="qedit-cell">
                    <label for="qedit-points">{move || tr.t("分值", "Points")}</label>
                    <input id="qedit-points" type="number" min="1" max="100" step="1" inputmode="numeric" autocomplete="off"
                        data-testid="question-points" value=points.get_untracked()
                        on:input=move |ev| points.set(event_target_value(&ev)) />
                    {field_problems(tr, problems, |f| f == "分值")}
                </div>
                <div class="qedit-cell">
                    <label for="qedit-difficulty">{move || tr.t("难度", "Difficulty")}</label>
                    <select id="qedit-difficulty" data-testid="question-difficulty"
                        on:change=move |ev| {
                            if let Ok(level) = event_target_value(&ev).parse::<u8>() {
                                difficulty.set(level);
                            }
                        }>
                        {(1u8..=5).map(|level| view! {
                            <option value=level.to_string() selected=level == initial_difficulty>{move || difficulty_label(tr, level)}</option>
                        }).collect_view()}
                    </select>
                    {field_problems(tr, problems, |f| f == "难度")}
                </div>
            </div>

            <div class="qedit-row">
                <div class="qedit-cell">
                    <label for="qedit-topic">{move || tr.t("知识点（可选）", "Topic (optional)")}</label>
                    <input id="qedit-topic" maxlength="50" autocomplete="off" data-testid="question-topic"
                        value=topic.get_untracked() on:input=move |ev| topic.set(event_target_value(&ev)) />
                    {field_problems(tr, problems, |f| f == "知识点")}
                </div>
                <div class="qedit-cell">
                    <label for="qedit-lecturer">{move || tr.t("讲师（可选）", "Lecturer (optional)")}</label>
                    <input id="qedit-lecturer" maxlength="50" autocomplete="off" data-testid="question-lecturer"
                        aria-describedby="qedit-lecturer-hint"
                        value=lecturer.get_untracked() on:input=move |ev| lecturer.set(event_target_value(&ev)) />
                    <p class="hint" id="qedit-lecturer-hint">{move || tr.t(
                        "受邀讲师出的题，讲师一栏自动记为本人。",
                        "Questions by invited lecturers always carry their own name.",
                    )}</p>
                    {field_problems(tr, problems, |f| f == "讲师")}
                </div>
            </div>

            <label for="qedit-source">{move || tr.t("来源（可选）", "Source (optional)")}</label>
            <input id="qedit-source" maxlength="200" autocomplete="off" data-testid="question-source"
                value=source.get_untracked() on:input=move |ev| source.set(event_target_value(&ev)) />
            {field_problems(tr, problems, |f| f == "来源")}

            <label for="qedit-name">{move || tr.t("名称（可选，导出到 Moodle 时用作题目名称）", "Name (optional; the question's name in Moodle exports)")}</label>
            <input id="qedit-name" maxlength="255" autocomplete="off" data-testid="question-name"
                value=name.get_untracked() on:input=move |ev| name.set(event_target_value(&ev)) />
            {field_problems(tr, problems, |f| f == "名称")}

            <label for="qedit-tags">{move || tr.t("标签（可选，用逗号分隔）", "Tags (optional, separated by commas)")}</label>
            <input id="qedit-tags" maxlength="250" autocomplete="off" data-testid="question-tags"
                value=tags_text.get_untracked() on:input=move |ev| tags_text.set(event_target_value(&ev)) />
            {field_problems(tr, problems, |f| f == "标签")}

            <ErrorMessage error=Signal::derive(move || error.get()) />
            <div class="button-row">
                <button type="submit" class="primary" data-testid="question-save" disabled=move || busy.get()>
                    {move || if id.is_some() { tr.t("保存修改", "Save changes") } else { tr.t("添加题目", "Add the question") }}
                </button>
                {id.is_none().then(|| view! {
                    <a class="button" href=format!("/banks/{bank}")>{move || tr.t("取消", "Cancel")}</a>
                })}
            </div>
        </form>
    }
}
