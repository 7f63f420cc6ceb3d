//! `/banks/:id`: a bank's questions with filters and bulk actions, import
//! and export, and the invited lecturers.

use super::import::{ImportPanel, ImportState};
use super::{ArchivedTag, BankFacts, difficulty_label, truncate};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::exams::banks::{
    BankOverview, InviteLecturer, InviteView, MAX_TAG_CHARS, QuestionListRow, QuestionPage,
    RemoveInvite, SaveBank, archive_questions, bank_detail, list_questions, tag_questions,
};
use crate::pages::exam::kind_label;
use academy_shared::exam::QuestionKind;
use academy_shared::ids::{BankId, QuestionId};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use std::collections::BTreeSet;

/// Export formats: (`format=` value, link text).
const EXPORTS: [(&str, &str); 5] = [
    ("xlsx", "Excel"),
    ("csv", "CSV"),
    ("gift", "GIFT"),
    ("aiken", "Aiken"),
    ("moodle-xml", "Moodle XML"),
];

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
            archived: field("archived").is_some_and(|a| academy_shared::validate::is_checked(&a)),
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
        import: ImportState::new(),
        list_reload,
        detail_reload,
    };
    view! {
        <p class="crumbs">
            <a href="/banks">{move || tr.t("‹ 题库", "‹ Question banks")}</a>
        </p>
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
    let on_imported = Callback::new(move |()| {
        ctx.list_reload.update(|n| *n += 1);
        ctx.detail_reload.update(|n| *n += 1);
    });
    view! {
        <header class="bank-header" data-testid="bank-header">
            <h1 data-testid="bank-title">
                {bank.title.clone()} <ArchivedTag archived=bank.archived />
            </h1>
            <BankFacts bank=bank.clone() />
            {bank
                .archived
                .then(|| {
                    view! {
                        <p class="hint">
                            {move || {
                                tr.t(
                                    "题库已归档，题目只读。",
                                    "The bank is archived; its questions are read-only.",
                                )
                            }}
                        </p>
                    }
                })}
        </header>

        {may_manage
            .then(|| {
                view! {
                    <details class="card bank-edit">
                        <summary>{move || tr.t("编辑题库信息", "Edit the bank")}</summary>
                        <ActionForm action=save attr:class="form" attr:data-testid="bank-edit">
                            <input type="hidden" name="id" value=id.to_string() />
                            <label for="bank-title">{move || tr.t("题库名称", "Title")}</label>
                            <input
                                id="bank-title"
                                name="title"
                                required
                                maxlength="60"
                                autocomplete="off"
                                value=bank.title.clone()
                            />
                            <label for="bank-description">
                                {move || tr.t("说明（可选）", "Description (optional)")}
                            </label>
                            <textarea
                                id="bank-description"
                                name="description"
                                maxlength="500"
                                rows="3"
                                autocomplete="off"
                            >
                                {bank.description.clone()}
                            </textarea>
                            <div class="bank-check">
                                <input
                                    type="checkbox"
                                    id="bank-archived"
                                    name="archived"
                                    value="on"
                                    checked=bank.archived
                                />
                                <label for="bank-archived">
                                    {move || {
                                        tr.t(
                                            "归档（归档后不能再添加或修改题目）",
                                            "Archived (no questions can be added or changed)",
                                        )
                                    }}
                                </label>
                            </div>
                            <ErrorMessage error=Signal::derive(move || {
                                save.value().get().and_then(Result::err)
                            }) />
                            <button
                                type="submit"
                                class="primary"
                                disabled=move || save.pending().get()
                            >
                                {move || tr.t("保存", "Save")}
                            </button>
                        </ActionForm>
                    </details>
                }
            })}
        {move || {
            matches!(save.value().get(), Some(Ok(())))
                .then(|| {
                    view! {
                        <p class="success-message" role="status" data-testid="bank-saved">
                            {move || tr.t("题库信息已保存", "The bank was saved")}
                        </p>
                    }
                })
        }}

        <QuestionsSection bank=id may_manage may_add ctx />

        {(may_add || may_export)
            .then(|| {
                view! {
                    <section class="card bank-import" data-testid="bank-import">
                        <h2>
                            {move || {
                                if may_add {
                                    tr.t("导入与导出", "Import and export")
                                } else {
                                    tr.t("导出", "Export")
                                }
                            }}
                        </h2>
                        {may_add
                            .then(|| {
                                view! { <ImportPanel bank=id state=ctx.import on_imported /> }
                            })}
                        {may_export
                            .then(|| {
                                view! {
                                    <p class="bank-exports" data-testid="bank-exports">
                                        {move || tr.t("导出本题库：", "Export this bank: ")}
                                        {EXPORTS
                                            .iter()
                                            .enumerate()
                                            .map(|(i, &(format, label))| {
                                                view! {
                                                    {(i > 0).then_some(" · ")}
                                                    <a
                                                        href=format!("/exports/banks/{id}?format={format}")
                                                        download
                                                        data-testid=format!("export-{format}")
                                                    >
                                                        {label}
                                                    </a>
                                                }
                                            })
                                            .collect_view()}
                                    </p>
                                }
                            })}
                    </section>
                }
            })}

        {(may_manage || !detail.invites.is_empty())
            .then(|| {
                view! {
                    <InvitesSection
                        bank=id
                        invites=detail.invites.clone()
                        may_manage
                        own=!may_export
                        ctx
                    />
                }
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
                {may_add
                    .then(|| {
                        view! {
                            <a
                                class="button primary"
                                href=format!("/banks/{bank}/new")
                                data-testid="new-question"
                            >
                                {move || tr.t("新建题目", "New question")}
                            </a>
                        }
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
                    {values
                        .into_iter()
                        .map(|v| {
                            let selected = current.as_deref() == Some(v.as_str());
                            view! {
                                <option value=v.clone() selected=selected>
                                    {v.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
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
        <form
            method="get"
            action=format!("/banks/{bank}")
            class="filters bank-filters"
            role="search"
            data-testid="question-filters"
        >
            <div class="bank-filter bank-filter-text">
                <label for="qf-text">
                    {move || {
                        tr.t("搜索题干、知识点或讲师", "Search stems, topics, lecturers")
                    }}
                </label>
                <input
                    id="qf-text"
                    name="text"
                    type="search"
                    maxlength="100"
                    autocomplete="off"
                    value=filter.text.clone().unwrap_or_default()
                />
            </div>
            <div class="bank-filter">
                <label for="qf-kind">{move || tr.t("题型", "Type")}</label>
                <select id="qf-kind" name="kind">
                    <option value="">{move || tr.t("全部", "All")}</option>
                    {QuestionKind::ALL
                        .into_iter()
                        .map(|kind| {
                            let selected = kind_filter.as_deref() == Some(kind.code());
                            view! {
                                <option value=kind.code() selected=selected>
                                    {move || kind_label(tr, kind)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <FacetSelect
                id="qf-topic"
                name="topic"
                zh="知识点"
                en="Topic"
                values=page.topics.clone()
                current=filter.topic.clone()
            />
            <FacetSelect
                id="qf-lecturer"
                name="lecturer"
                zh="讲师"
                en="Lecturer"
                values=page.lecturers.clone()
                current=filter.lecturer.clone()
            />
            <FacetSelect
                id="qf-tag"
                name="tag"
                zh="标签"
                en="Tag"
                values=page.tags.clone()
                current=filter.tag.clone()
            />
            <div class="bank-filter">
                <label for="qf-difficulty">{move || tr.t("难度", "Difficulty")}</label>
                <select id="qf-difficulty" name="difficulty">
                    <option value="">{move || tr.t("全部", "All")}</option>
                    {(1u8..=5)
                        .map(|level| {
                            view! {
                                <option
                                    value=level.to_string()
                                    selected=difficulty_filter == Some(i64::from(level))
                                >
                                    {move || difficulty_label(tr, level)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="bank-check">
                <input
                    type="checkbox"
                    id="qf-archived"
                    name="archived"
                    value="true"
                    checked=filter.archived
                />
                <label for="qf-archived">
                    {move || tr.t("只看已归档的题目", "Archived questions only")}
                </label>
            </div>
            <div class="button-row">
                <button type="submit">{move || tr.t("筛选", "Filter")}</button>
                <a class="button" href=format!("/banks/{bank}")>
                    {move || tr.t("清除筛选", "Clear")}
                </a>
            </div>
        </form>

        <p class="hint" data-testid="question-total">
            {move || {
                if tr.is_en() { format!("{total} questions") } else { format!("共 {total} 题") }
            }}
        </p>

        {may_manage
            .then(|| {
                view! {
                    <div class="bank-bulk" data-testid="bulk-actions">
                        <div class="bank-check">
                            <input
                                type="checkbox"
                                id="q-select-all"
                                data-testid="select-all"
                                prop:checked=all_selected
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected
                                        .update(|s| {
                                            if on {
                                                page_ids.with_value(|ids| s.extend(ids.iter().copied()));
                                            } else {
                                                s.clear();
                                            }
                                        });
                                }
                            />
                            <label for="q-select-all">
                                {move || tr.t("全选本页", "Select all on this page")}
                            </label>
                        </div>
                        <span class="hint" data-testid="selected-count">
                            {move || {
                                let n = selected.with(BTreeSet::len);
                                if tr.is_en() {
                                    format!("{n} selected")
                                } else {
                                    format!("已选 {n} 题")
                                }
                            }}
                        </span>
                        <button
                            type="button"
                            data-testid="bulk-archive"
                            disabled=move || none_selected() || bulk.busy.get()
                            on:click=move |_| run_bulk(Bulk::Archive(!archived_view))
                        >
                            {move || {
                                if archived_view {
                                    tr.t("恢复所选", "Restore selected")
                                } else {
                                    tr.t("归档所选", "Archive selected")
                                }
                            }}
                        </button>
                        <div class="bank-bulk-tag">
                            <label for="bulk-tag">{move || tr.t("标签", "Tag")}</label>
                            <input
                                id="bulk-tag"
                                maxlength=MAX_TAG_CHARS.to_string()
                                autocomplete="off"
                                data-testid="bulk-tag"
                                prop:value=move || bulk.tag.get()
                                on:input=move |ev| bulk.tag.set(event_target_value(&ev))
                            />
                            <button
                                type="button"
                                data-testid="bulk-tag-add"
                                disabled=move || {
                                    none_selected() || bulk.busy.get()
                                        || bulk.tag.with(|t| t.trim().is_empty())
                                }
                                on:click=move |_| run_bulk(Bulk::Tag(true))
                            >
                                {move || tr.t("添加标签", "Add tag")}
                            </button>
                            <button
                                type="button"
                                data-testid="bulk-tag-remove"
                                disabled=move || {
                                    none_selected() || bulk.busy.get()
                                        || bulk.tag.with(|t| t.trim().is_empty())
                                }
                                on:click=move |_| run_bulk(Bulk::Tag(false))
                            >
                                {move || tr.t("移除标签", "Remove tag")}
                            </button>
                        </div>
                    </div>
                }
            })}
        {move || {
            bulk.changed
                .get()
                .map(|n| {
                    view! {
                        <p class="success-message" role="status" data-testid="bulk-done">
                            {move || {
                                if tr.is_en() {
                                    format!("{n} questions changed")
                                } else {
                                    format!("已更改 {n} 道题")
                                }
                            }}
                        </p>
                    }
                })
        }}
        <ErrorMessage error=Signal::derive(move || bulk.error.get()) />

        {if page.rows.is_empty() {
            view! {
                <p class="hint" data-testid="no-questions">
                    {move || tr.t("没有符合条件的题目。", "No questions match.")}
                </p>
            }
                .into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data-table bank-qtable" data-testid="question-table">
                        <thead>
                            <tr>
                                {may_manage
                                    .then(|| {
                                        view! {
                                            <th>
                                                <span class="visually-hidden">
                                                    {move || tr.t("选择", "Select")}
                                                </span>
                                            </th>
                                        }
                                    })} <th>{move || tr.t("题型", "Type")}</th>
                                <th>{move || tr.t("题干", "Stem")}</th>
                                <th>{move || tr.t("知识点", "Topic")}</th>
                                <th>{move || tr.t("讲师", "Lecturer")}</th>
                                <th>{move || tr.t("难度", "Difficulty")}</th>
                                <th>{move || tr.t("标签", "Tags")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page
                                .rows
                                .into_iter()
                                .map(|row| view! { <QuestionRow row may_manage selected /> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}

        {(last > 0)
            .then(|| {
                view! {
                    <nav
                        class="pager"
                        aria-label=move || tr.t("分页", "Pages")
                        data-testid="question-pager"
                    >
                        {(current > 0)
                            .then(|| {
                                view! {
                                    <a href=prev_url.clone() data-testid="pager-prev">
                                        {move || tr.t("上一页", "Previous")}
                                    </a>
                                }
                            })}
                        <span>{format!("{} / {}", current + 1, last + 1)}</span>
                        {(current < last)
                            .then(|| {
                                view! {
                                    <a href=next_url.clone() data-testid="pager-next">
                                        {move || tr.t("下一页", "Next")}
                                    </a>
                                }
                            })}
                    </nav>
                }
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
    let kind = row.kind;
    let stem = truncate(&row.stem_text, 60);
    let check_id = format!("q-select-{id}");
    let stem_label = stem.clone();
    view! {
        <tr data-testid="question-row" data-id=id.to_string()>
            {may_manage
                .then(|| {
                    view! {
                        <td>
                            <input
                                type="checkbox"
                                id=check_id.clone()
                                data-testid="question-select"
                                prop:checked=move || selected.with(|s| s.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected
                                        .update(|s| {
                                            if on {
                                                s.insert(id);
                                            } else {
                                                s.remove(&id);
                                            }
                                        });
                                }
                            />
                            <label for=check_id class="visually-hidden">
                                {move || tr.t("选择：", "Select: ")}
                                {stem_label.clone()}
                            </label>
                        </td>
                    }
                })}
            <td>{move || kind_label(tr, kind)}</td>
            <td class="bank-stem-cell">
                <a href=format!(
                    "/questions/{id}",
                )>{if stem.is_empty() { format!("#{id}") } else { stem }}</a>
                {row
                    .archived
                    .then(|| {
                        view! {
                            <span class="tag bank-archived">
                                {move || tr.t("已归档", "Archived")}
                            </span>
                        }
                    })}
            </td>
            <td>{row.topic.clone()}</td>
            <td>{row.lecturer.clone()}</td>
            <td>{row.difficulty}</td>
            <td>
                {row
                    .tags
                    .iter()
                    .map(|t| view! { <span class="tag bank-tag">{t.clone()}</span> })
                    .collect_view()}
            </td>
        </tr>
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
            <h2>
                {move || {
                    if own {
                        tr.t("我的出题邀请", "My invitation")
                    } else {
                        tr.t("受邀出题的讲师", "Invited lecturers")
                    }
                }}
            </h2>
            {if invites.is_empty() {
                view! {
                    <p class="hint">
                        {move || {
                            tr.t("还没有邀请讲师出题。", "No lecturer is invited yet.")
                        }}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="data-table" data-testid="invite-table">
                            <thead>
                                <tr>
                                    <th>{move || tr.t("讲师", "Lecturer")}</th>
                                    <th>{move || tr.t("出题数量", "Quota")}</th>
                                    <th>{move || tr.t("已出", "Added")}</th>
                                    {may_manage
                                        .then(|| {
                                            view! {
                                                <th>
                                                    <span class="visually-hidden">
                                                        {move || tr.t("操作", "Actions")}
                                                    </span>
                                                </th>
                                            }
                                        })}
                                </tr>
                            </thead>
                            <tbody>
                                {invites
                                    .into_iter()
                                    .map(|i| {
                                        let lecturer = i.lecturer_id;
                                        let name = i.lecturer_name.clone();
                                        view! {
                                            <tr data-testid="invite-row">
                                                <td>{i.lecturer_name.clone()}</td>
                                                <td>{i.quota}</td>
                                                <td>{i.contributed}</td>
                                                {may_manage
                                                    .then(|| {
                                                        view! {
                                                            <td>
                                                                <button
                                                                    type="button"
                                                                    data-testid="invite-remove"
                                                                    aria-label=move || {
                                                                        format!(
                                                                            "{}{}",
                                                                            tr.t("取消邀请：", "Remove the invitation: "),
                                                                            name,
                                                                        )
                                                                    }
                                                                    disabled=move || uninvite.pending().get()
                                                                    on:click=move |_| {
                                                                        uninvite.dispatch(RemoveInvite { bank, lecturer });
                                                                    }
                                                                >
                                                                    {move || tr.t("取消邀请", "Remove")}
                                                                </button>
                                                            </td>
                                                        }
                                                    })}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            <ErrorMessage error=Signal::derive(move || {
                uninvite.value().get().and_then(Result::err)
            }) />
            {may_manage
                .then(|| {
                    view! {
                        <ActionForm
                            action=invite
                            attr:class="form bank-invite-form"
                            attr:data-testid="invite-form"
                        >
                            <input type="hidden" name="bank" value=bank.to_string() />
                            <label for="invite-username">
                                {move || tr.t("讲师用户名", "Lecturer's username")}
                            </label>
                            <input
                                id="invite-username"
                                name="username"
                                required
                                maxlength="64"
                                autocomplete="off"
                            />
                            <label for="invite-quota">
                                {move || tr.t("出题数量", "Number of questions")}
                            </label>
                            <input
                                id="invite-quota"
                                name="quota"
                                type="number"
                                required
                                min="1"
                                max="500"
                                step="1"
                                value="5"
                                inputmode="numeric"
                                autocomplete="off"
                            />
                            <p class="hint">
                                {move || {
                                    tr.t(
                                        "已邀请的讲师再次提交即修改其出题数量。",
                                        "Inviting an invited lecturer again changes their quota.",
                                    )
                                }}
                            </p>
                            <ErrorMessage error=Signal::derive(move || {
                                invite.value().get().and_then(Result::err)
                            }) />
                            <button
                                type="submit"
                                class="primary"
                                disabled=move || invite.pending().get()
                            >
                                {move || tr.t("邀请 / 修改数量", "Invite / change quota")}
                            </button>
                        </ActionForm>
                    }
                })}
            {move || {
                matches!(invite.value().get(), Some(Ok(())))
                    .then(|| {
                        view! {
                            <p class="success-message" role="status" data-testid="invite-done">
                                {move || tr.t("邀请已保存", "The invitation was saved")}
                            </p>
                        }
                    })
            }}
        </section>
    }
}
