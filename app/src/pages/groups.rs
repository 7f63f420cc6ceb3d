//! The organizer's pages for study groups: `/classes/:id/groups` (form groups
//! by region or by hand, liaisons, placing learners) and
//! `/classes/:id/topics` (the day's topic). Also the piece of text every
//! discussion page uses to show a post: [`RichText`].

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::components::upload::MediaUpload;
use crate::courseware::UploadedMedia;
use crate::groups::manage::{
    CreateGroup, DeleteGroup, DeleteTopic, FormGroups, GroupRow, GroupsView, PlaceLearner,
    RenameGroup, SaveTopic, SetLiaison, TopicsView, load_groups, load_topics,
};
use academy_shared::groups::Segment;
use academy_shared::ids::{ClassId, CoursewareId, GroupId, MediaId, UserId};
use leptos::prelude::*;

/// Text as written, with line breaks and `http(s)` links; never markup.
#[component]
pub fn RichText(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.into_any(),
            Segment::Link(href) => {
                let text = href.clone();
                view! {
                    <a href=href rel="noopener noreferrer nofollow ugc" target="_blank">
                        {text}
                    </a>
                }
            }
            .into_any(),
            Segment::Break => view! { <br /> }.into_any(),
        })
        .collect_view()
}

/// Bumps `changed` whenever `succeeded` turns true: each action gets its own
/// watcher, so one action's earlier success never reloads the page (and
/// clears a form) when another action is refused.
pub(crate) fn reload_when(
    succeeded: impl Fn() -> bool + Send + Sync + 'static,
    changed: RwSignal<u32>,
) {
    Effect::new(move |_| {
        if succeeded() {
            changed.update(|n| *n += 1);
        }
    });
}

/// The links between a class's daily-operation pages.
#[component]
pub fn GroupWorkNav(class_id: ClassId, #[prop(optional)] manage: bool) -> impl IntoView {
    let tr = use_tr();
    view! {
        <nav class="button-row group-nav" aria-label=move || tr.t("分组管理", "Group work")>
            {manage
                .then(|| {
                    view! {
                        <a class="button" href=format!("/classes/{class_id}/groups")>
                            {move || tr.t("学习小组", "Groups")}
                        </a>
                        <a class="button" href=format!("/classes/{class_id}/topics")>
                            {move || tr.t("每日话题", "Daily topics")}
                        </a>
                    }
                })}
            <a class="button" href=format!("/classes/{class_id}/summaries")>
                {move || tr.t("讨论汇总表", "Summaries")}
            </a>
            <a class="button" href=format!("/classes/{class_id}/report")>
                {move || tr.t("每日报告", "Daily report")}
            </a>
            <a class="button" href=format!("/classes/{class_id}/dashboard")>
                {move || tr.t("统计", "Statistics")}
            </a>
        </nav>
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let form = ServerAction::<FormGroups>::new();
    let create = ServerAction::<CreateGroup>::new();
    let rename = ServerAction::<RenameGroup>::new();
    let delete = ServerAction::<DeleteGroup>::new();
    let place = ServerAction::<PlaceLearner>::new();
    let liaison = ServerAction::<SetLiaison>::new();
    // Reload after a change only: a refused form keeps what was typed.
    let changed = RwSignal::new(0u32);
    reload_when(move || matches!(form.value().get(), Some(Ok(_))), changed);
    reload_when(
        move || matches!(create.value().get(), Some(Ok(()))),
        changed,
    );
    reload_when(
        move || matches!(rename.value().get(), Some(Ok(()))),
        changed,
    );
    reload_when(
        move || matches!(delete.value().get(), Some(Ok(()))),
        changed,
    );
    reload_when(move || matches!(place.value().get(), Some(Ok(()))), changed);
    reload_when(
        move || matches!(liaison.value().get(), Some(Ok(()))),
        changed,
    );
    let data = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| async move { load_groups(found(id)?).await },
    );
    let errors = Signal::derive(move || {
        [
            rename.value().get().and_then(Result::err),
            delete.value().get().and_then(Result::err),
            liaison.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! {
        <p>
            <a href="/classes">{move || tr.t("‹ 培训班", "‹ Classes")}</a>
        </p>
        <Loaded resource=data let:view>
            <GroupsBody view form create rename delete place liaison />
            <ErrorMessage error=errors />
        </Loaded>
    }
}

#[component]
fn GroupsBody(
    view: GroupsView,
    form: ServerAction<FormGroups>,
    create: ServerAction<CreateGroup>,
    rename: ServerAction<RenameGroup>,
    delete: ServerAction<DeleteGroup>,
    place: ServerAction<PlaceLearner>,
    liaison: ServerAction<SetLiaison>,
) -> impl IntoView {
    let tr = use_tr();
    let class_id = view.class_id;
    let closed = view.closed;
    let options: Vec<(GroupId, String)> =
        view.groups.iter().map(|g| (g.id, g.name.clone())).collect();
    let accounts = view.liaison_accounts.clone();
    let ungrouped = view.ungrouped.clone();
    view! {
        <h1>{view.title.clone()}" · "{move || tr.t("学习小组", "Study groups")}</h1>
        <GroupWorkNav class_id manage=true />
        {(!closed)
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{move || tr.t("按地区分组", "Form groups by region")}</h2>
                        <ActionForm action=form attr:class="form" attr:data-testid="form-groups">
                            <input type="hidden" name="class_id" value=class_id.to_string() />
                            <label for="group-level">
                                {move || tr.t("每个小组对应", "One group per")}
                            </label>
                            <select id="group-level" name="level">
                                <option value="city">
                                    {move || tr.t("市州（默认）", "city (default)")}
                                </option>
                                <option value="county">{move || tr.t("区县", "county")}</option>
                            </select>
                            <p class="hint">
                                {move || {
                                    tr.t(
                                        "只分配尚未分组的学员；该地区的联络员自动成为小组联络员。",
                                        "Only learners not yet in a group are placed; the region's liaisons become the group's liaisons.",
                                    )
                                }}
                            </p>
                            <button
                                type="submit"
                                class="primary"
                                disabled=move || form.pending().get()
                            >
                                {move || tr.t("分组", "Form groups")}
                            </button>
                        </ActionForm>
                        {move || {
                            form.value()
                                .get()
                                .map(|r| match r {
                                    Ok(f) => {
                                        view! {
                                            <p role="status" data-testid="form-groups-result">
                                                {move || {
                                                    if tr.is_en() {
                                                        format!(
                                                            "{} groups created, {} learners placed, {} to place by hand",
                                                            f.created,
                                                            f.placed,
                                                            f.unplaced,
                                                        )
                                                    } else {
                                                        format!(
                                                            "新建 {} 个小组，分入 {} 名学员，{} 名学员需手动分组",
                                                            f.created,
                                                            f.placed,
                                                            f.unplaced,
                                                        )
                                                    }
                                                }}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    Err(e) => {
                                        view! {
                                            <ErrorMessage error=Signal::derive(move || Some(
                                                e.clone(),
                                            )) />
                                        }
                                            .into_any()
                                    }
                                })
                        }}
                        <ActionForm
                            action=create
                            attr:class="form inline-form"
                            attr:data-testid="create-group"
                        >
                            <input type="hidden" name="class_id" value=class_id.to_string() />
                            <label for="new-group-name">
                                {move || tr.t("手动新建小组", "New group by hand")}
                            </label>
                            <input
                                id="new-group-name"
                                name="name"
                                required
                                maxlength="40"
                                autocomplete="off"
                            />
                            <button type="submit" disabled=move || create.pending().get()>
                                {move || tr.t("新建", "Create")}
                            </button>
                        </ActionForm>
                        <ErrorMessage error=Signal::derive(move || {
                            create.value().get().and_then(Result::err)
                        }) />
                    </section>
                }
            })}
        <section class="card">
            <h2>{move || tr.t("小组", "Groups")}" ("{view.groups.len()}")"</h2>
            {view
                .groups
                .is_empty()
                .then(|| {
                    view! {
                        <p class="hint">{move || tr.t("还没有小组。", "No groups yet.")}</p>
                    }
                })}
            <ul class="plain-list group-list" data-testid="groups">
                {view
                    .groups
                    .into_iter()
                    .map(|g| {
                        view! {
                            <GroupItem
                                group=g
                                class_id
                                closed
                                accounts=accounts.clone()
                                rename
                                delete
                                liaison
                            />
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="card">
            <h2>{move || tr.t("调整学员分组", "Move a learner")}</h2>
            {(!closed)
                .then(|| {
                    view! {
                        <ActionForm action=place attr:class="form" attr:data-testid="place-learner">
                            <input type="hidden" name="class_id" value=class_id.to_string() />
                            <label for="place-username">
                                {move || tr.t("学员用户名", "Learner's username")}
                            </label>
                            <input
                                id="place-username"
                                name="username"
                                required
                                autocomplete="off"
                                spellcheck="false"
                            />
                            <label for="place-group">{move || tr.t("分到", "Into")}</label>
                            <select id="place-group" name="group_id">
                                {options
                                    .into_iter()
                                    .map(|(id, name)| {
                                        view! { <option value=id.to_string()>{name}</option> }
                                    })
                                    .collect_view()}
                                <option value="0">
                                    {move || tr.t("（移出小组）", "(no group)")}
                                </option>
                            </select>
                            <button type="submit" disabled=move || place.pending().get()>
                                {move || tr.t("保存", "Save")}
                            </button>
                        </ActionForm>
                        <ErrorMessage error=Signal::derive(move || {
                            place.value().get().and_then(Result::err)
                        }) />
                    }
                })}
            <h3>{move || tr.t("未分组学员", "Not in a group")}" ("{ungrouped.len()}")"</h3>
            <ul class="plain-list" data-testid="ungrouped">
                {ungrouped
                    .into_iter()
                    .map(|(name, username, region)| {
                        view! {
                            <li>{name}" · "<span class="hint">{username}" · "{region}</span></li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn GroupItem(
    group: GroupRow,
    class_id: ClassId,
    closed: bool,
    accounts: Vec<(UserId, String, String)>,
    rename: ServerAction<RenameGroup>,
    delete: ServerAction<DeleteGroup>,
    liaison: ServerAction<SetLiaison>,
) -> impl IntoView {
    let tr = use_tr();
    let group_id = group.id;
    let input_id = format!("group-name-{group_id}");
    let liaison_id = format!("group-liaison-{group_id}");
    let candidates: Vec<_> = accounts
        .into_iter()
        .filter(|(id, _, _)| !group.liaisons.iter().any(|(l, _)| l == id))
        .collect();
    view! {
        <li data-testid="group-row" data-group=group_id.to_string()>
            <strong>{group.name.clone()}</strong>
            <span class="hint">
                " · "{group.region.clone()}" · "{group.members.len()}
                {move || tr.t(" 人", " members")}
            </span>
            <a class="button" href=format!("/classes/{class_id}/discussion?group={group_id}")>
                {move || tr.t("讨论", "Discussion")}
            </a>
            <p>
                {move || tr.t("联络员：", "Liaisons: ")}
                {group
                    .liaisons
                    .iter()
                    .map(|(user, name)| {
                        let user = *user;
                        let who = name.clone();
                        view! {
                            <span class="tag" data-testid="group-liaison">
                                {name.clone()}
                                {(!closed)
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                class="link-button"
                                                aria-label=move || {
                                                    format!(
                                                        "{}：{who}",
                                                        tr.t("取消联络员", "Remove liaison"),
                                                    )
                                                }
                                                on:click=move |_| {
                                                    liaison
                                                        .dispatch(SetLiaison {
                                                            group_id,
                                                            user_id: user,
                                                            on: false,
                                                        });
                                                }
                                            >
                                                "×"
                                            </button>
                                        }
                                    })}
                            </span>
                        }
                    })
                    .collect_view()}
                {group
                    .liaisons
                    .is_empty()
                    .then(|| {
                        view! {
                            <span class="hint">{move || tr.t("（未指定）", "(none)")}</span>
                        }
                    })}
            </p>
            {(!closed)
                .then(|| {
                    view! {
                        <div class="button-row">
                            <ActionForm action=rename attr:class="inline-form">
                                <input type="hidden" name="group_id" value=group_id.to_string() />
                                <label for=input_id.clone() class="visually-hidden">
                                    {move || tr.t("小组名称", "Group name")}
                                </label>
                                <input
                                    id=input_id.clone()
                                    name="name"
                                    value=group.name.clone()
                                    required
                                    maxlength="40"
                                    autocomplete="off"
                                />
                                <button type="submit">{move || tr.t("改名", "Rename")}</button>
                            </ActionForm>
                            <ActionForm action=liaison attr:class="inline-form">
                                <input type="hidden" name="group_id" value=group_id.to_string() />
                                <input type="hidden" name="on" value="true" />
                                <label for=liaison_id.clone() class="visually-hidden">
                                    {move || tr.t("添加联络员", "Add a liaison")}
                                </label>
                                <select id=liaison_id.clone() name="user_id">
                                    {candidates
                                        .into_iter()
                                        .map(|(id, name, region)| {
                                            view! {
                                                <option value=id.to_string()>{name}" · "{region}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <button type="submit">
                                    {move || tr.t("添加联络员", "Add liaison")}
                                </button>
                            </ActionForm>
                            <button
                                type="button"
                                on:click=move |_| {
                                    delete.dispatch(DeleteGroup { group_id });
                                }
                            >
                                {move || tr.t("删除小组", "Delete group")}
                            </button>
                        </div>
                    }
                })}
            <details>
                <summary>{move || tr.t("成员", "Members")}</summary>
                <ul class="plain-list">
                    {group
                        .members
                        .into_iter()
                        .map(|(name, username, region)| {
                            view! {
                                <li>
                                    {name}" · "<span class="hint">{username}" · "{region}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        </li>
    }
}

#[component]
pub fn TopicsPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let save = ServerAction::<SaveTopic>::new();
    let remove = ServerAction::<DeleteTopic>::new();
    // Reload after a change only: a refused topic keeps what was typed.
    let changed = RwSignal::new(0u32);
    reload_when(move || matches!(save.value().get(), Some(Ok(()))), changed);
    reload_when(
        move || matches!(remove.value().get(), Some(Ok(()))),
        changed,
    );
    let data = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| async move { load_topics(found(id)?).await },
    );
    view! {
        <p>
            <a href="/classes">{move || tr.t("‹ 培训班", "‹ Classes")}</a>
        </p>
        <Loaded resource=data let:view>
            <TopicsBody view save remove />
        </Loaded>
    }
}

#[component]
fn TopicsBody(
    view: TopicsView,
    save: ServerAction<SaveTopic>,
    remove: ServerAction<DeleteTopic>,
) -> impl IntoView {
    let tr = use_tr();
    let class_id = view.class_id;
    let day = RwSignal::new(view.suggested_day.clone());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<CoursewareId>::new());
    let attachment = RwSignal::new(None::<(MediaId, String)>);
    let topics = view.topics.clone();
    // Picking a day that already has a topic loads it into the form.
    let load_day = move |picked: String| {
        if let Some(t) = topics.iter().find(|t| t.day == picked) {
            title.set(t.title.clone());
            body.set(t.body.clone());
            chosen.set(t.courseware.clone());
            attachment.set(t.attachment.clone());
        }
        day.set(picked);
    };
    let load_for_edit = load_day.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            title.set(String::new());
            body.set(String::new());
            chosen.set(Vec::new());
            attachment.set(None);
        }
    });
    let chosen_list = move || {
        let ids: Vec<String> = chosen.get().iter().map(CoursewareId::to_string).collect();
        ids.join(",")
    };
    let courses = view.courses.clone();
    let course_names = view.courses.clone();
    let on_upload = Callback::new(move |files: Vec<UploadedMedia>| {
        if let Some(file) = files.into_iter().next() {
            attachment.set(Some((file.id, file.file_name)));
        }
    });
    view! {
        <h1>{view.title.clone()}" · "{move || tr.t("每日话题", "Daily topics")}</h1>
        <GroupWorkNav class_id manage=true />
        {(!view.closed)
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{move || tr.t("安排话题", "Schedule a topic")}</h2>
                        <ActionForm action=save attr:class="form" attr:data-testid="topic-form">
                            <input type="hidden" name="class_id" value=class_id.to_string() />
                            <label for="topic-day">{move || tr.t("日期", "Day")}</label>
                            <input
                                id="topic-day"
                                type="date"
                                name="day"
                                required
                                autocomplete="off"
                                prop:value=move || day.get()
                                on:change=move |ev| load_day(event_target_value(&ev))
                            />
                            <label for="topic-title">{move || tr.t("话题", "Topic")}</label>
                            <input
                                id="topic-title"
                                name="title"
                                required
                                maxlength="100"
                                autocomplete="off"
                                prop:value=move || title.get()
                                on:input=move |ev| title.set(event_target_value(&ev))
                            />
                            <label for="topic-body">
                                {move || tr.t("说明（可选）", "Text (optional)")}
                            </label>
                            <textarea
                                id="topic-body"
                                name="body"
                                rows="5"
                                maxlength="4000"
                                autocomplete="off"
                                prop:value=move || body.get()
                                on:input=move |ev| body.set(event_target_value(&ev))
                            ></textarea>
                            <fieldset>
                                <legend>
                                    {move || tr.t("当天课程", "That day's courses")}
                                </legend>
                                {courses
                                    .into_iter()
                                    .map(|(id, name)| {
                                        let box_id = format!("topic-course-{id}");
                                        let label_for = box_id.clone();
                                        view! {
                                            <label class="check" for=label_for>
                                                <input
                                                    type="checkbox"
                                                    id=box_id
                                                    prop:checked=move || chosen.get().contains(&id)
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen
                                                            .update(|list| {
                                                                list.retain(|c| *c != id);
                                                                if on {
                                                                    list.push(id);
                                                                }
                                                            });
                                                    }
                                                />
                                                {name}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                            <input type="hidden" name="courseware" prop:value=chosen_list />
                            <input
                                type="hidden"
                                name="attachment"
                                prop:value=move || {
                                    attachment.get().map_or(0, |(id, _)| id.0).to_string()
                                }
                            />
                            <MediaUpload
                                kind="attachment"
                                id="topic-attachment"
                                accept=".pdf,.doc,.docx,.ppt,.pptx,.xls,.xlsx,.txt,.zip"
                                label=Signal::derive(move || {
                                    tr.t("附件（可选）", "Attachment (optional)").to_owned()
                                })
                                on_done=on_upload
                            />
                            {move || {
                                attachment
                                    .get()
                                    .map(|(_, name)| {
                                        view! {
                                            <p>
                                                {name}" "
                                                <button
                                                    type="button"
                                                    class="link-button"
                                                    on:click=move |_| attachment.set(None)
                                                >
                                                    {move || tr.t("去掉附件", "Remove")}
                                                </button>
                                            </p>
                                        }
                                    })
                            }}
                            <button
                                type="submit"
                                class="primary"
                                disabled=move || save.pending().get()
                            >
                                {move || tr.t("保存话题", "Save topic")}
                            </button>
                        </ActionForm>
                        <ErrorMessage error=Signal::derive(move || {
                            save.value().get().and_then(Result::err)
                        }) />
                    </section>
                }
            })}
        <section class="card">
            <h2>{move || tr.t("已安排的话题", "Scheduled topics")}</h2>
            <ErrorMessage error=Signal::derive(move || {
                remove.value().get().and_then(Result::err)
            }) />
            <ul class="plain-list" data-testid="topics">
                {view
                    .topics
                    .into_iter()
                    .map(|t| {
                        let picked = t.day.clone();
                        let edit = load_for_edit.clone();
                        let gone = t.day.clone();
                        let names: Vec<String> = t
                            .courseware
                            .iter()
                            .filter_map(|id| {
                                course_names.iter().find(|(c, _)| c == id).map(|(_, n)| n.clone())
                            })
                            .collect();
                        view! {
                            <li data-testid="topic-row">
                                <strong>{t.day.clone()}</strong>
                                " "
                                {t.title.clone()}
                                {(!names.is_empty())
                                    .then(|| {
                                        view! {
                                            <span class="hint">" · "{names.join("、")}</span>
                                        }
                                    })}
                                {t
                                    .attachment
                                    .clone()
                                    .map(|(id, name)| {
                                        view! {
                                            " · "
                                            <a href=format!("/media/{id}") rel="external">
                                                {name}
                                            </a>
                                        }
                                    })}
                                {(!view.closed)
                                    .then(|| {
                                        view! {
                                            " "
                                            <button
                                                type="button"
                                                class="link-button"
                                                on:click=move |_| edit(picked.clone())
                                            >
                                                {move || tr.t("修改", "Edit")}
                                            </button>
                                            " "
                                            <button
                                                type="button"
                                                class="link-button"
                                                on:click=move |_| {
                                                    remove
                                                        .dispatch(DeleteTopic {
                                                            class_id,
                                                            day: gone.clone(),
                                                        });
                                                }
                                            >
                                                {move || tr.t("删除", "Delete")}
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// `/groups`: a liaison's or supervisor's desk — their groups today, and the
/// classes whose reports and summaries they follow.
#[component]
pub fn GroupWorkPage() -> impl IntoView {
    let tr = use_tr();
    let classes = Resource::new(|| (), |_| crate::groups::report::work_classes());
    view! {
        <h1>{move || tr.t("分组工作", "Group work")}</h1>
        <crate::pages::discussion::GroupsToday />
        <Loaded resource=classes let:list>
            <section class="card">
                <h2>{move || tr.t("培训班", "Classes")}</h2>
                {list
                    .is_empty()
                    .then(|| {
                        view! {
                            <p class="hint">
                                {move || {
                                    tr.t("暂无进行中的培训班。", "No classes under way.")
                                }}
                            </p>
                        }
                    })}
                <ul class="plain-list" data-testid="work-classes">
                    {list
                        .into_iter()
                        .map(|(id, title, _)| {
                            view! {
                                <li>
                                    <strong>{title}</strong>
                                    <GroupWorkNav class_id=id />
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </Loaded>
    }
}
