//! `/classes/:id/discussion?group=&day=`: a group's thread for a day under
//! the day's topic; post and reply today; liaisons pin and hide.

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::groups::discussion::{
    AddPost, MarkThreadRead, ModeratePost, PostView, ThreadView, load_thread,
};
use crate::groups::{GroupToday, TopicView, my_groups_today};
use crate::pages::groups::{RichText, reload_when};
use academy_shared::ids::{ClassId, GroupId};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TopicCard(topic: TopicView, class_id: ClassId) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="card topic-card" data-testid="topic">
            <p class="hint">
                {move || tr.t("今日话题 · ", "Topic of the day · ")}{topic.day.clone()}
            </p>
            <h2 data-testid="topic-title">{topic.title.clone()}</h2>
            {(!topic.body.is_empty())
                .then(|| {
                    view! {
                        <p class="topic-body">
                            <RichText segments=topic.body.clone() />
                        </p>
                    }
                })}
            {topic
                .attachment
                .clone()
                .map(|(id, name)| {
                    view! {
                        <p>
                            {move || tr.t("附件：", "Attachment: ")}
                            <a href=format!("/media/{id}") rel="external">
                                {name}
                            </a>
                        </p>
                    }
                })}
            {(!topic.courses.is_empty())
                .then(|| {
                    view! {
                        <p>
                            {move || tr.t("当天课程：", "Courses: ")}
                            {topic
                                .courses
                                .iter()
                                .map(|(id, title)| {
                                    view! {
                                        <a class="tag" href=format!("/learn/{class_id}/{id}")>
                                            {title.clone()}
                                        </a>
                                    }
                                })
                                .collect_view()}
                        </p>
                    }
                })}
        </section>
    }
}

#[component]
pub fn DiscussionPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<ClassId>();
    let query = use_query_map();
    let group = move || {
        query
            .read()
            .get("group")
            .and_then(|g| g.parse::<GroupId>().ok())
    };
    let day = move || query.read().get("day");
    let post = ServerAction::<AddPost>::new();
    let moderate = ServerAction::<ModeratePost>::new();
    // Reload after a change only: a refused post keeps what was typed.
    let changed = RwSignal::new(0u32);
    reload_when(move || matches!(post.value().get(), Some(Ok(_))), changed);
    reload_when(
        move || matches!(moderate.value().get(), Some(Ok(()))),
        changed,
    );
    let thread = Resource::new(
        move || (id.get(), group(), day(), changed.get()),
        |(id, group, day, _)| async move { load_thread(found(id)?, group, day).await },
    );
    // What was shown counts as read: told by POST once the page runs.
    let mark_read = ServerAction::<MarkThreadRead>::new();
    Effect::new(move |_| {
        if let Some(Ok(view)) = thread.get()
            && let Some(up_to) = view.last_post_id
        {
            mark_read.dispatch(MarkThreadRead {
                group_id: view.group_id,
                up_to,
            });
        }
    });
    view! {
        <Loaded
            resource=thread
            before_error=move || {
                view! {
                    <p>
                        <a href="/">{move || tr.t("‹ 首页", "‹ Home")}</a>
                    </p>
                }
            }
            let:view
        >
            <Thread view post moderate />
        </Loaded>
    }
}

#[component]
fn Thread(
    view: ThreadView,
    post: ServerAction<AddPost>,
    moderate: ServerAction<ModeratePost>,
) -> impl IntoView {
    let tr = use_tr();
    let class_id = view.class_id;
    let group_id = view.group_id;
    let text = RwSignal::new(String::new());
    let reply_to = RwSignal::new(0i64);
    Effect::new(move |_| {
        if let Some(Ok(_)) = post.value().get() {
            text.set(String::new());
            reply_to.set(0);
        }
    });
    let can_moderate = view.can_moderate;
    let can_post = view.can_post;
    let posts = view.posts.clone();
    let replying = move || {
        let target = reply_to.get();
        posts
            .iter()
            .find(|p| p.id == target)
            .map(|p| p.author.clone())
    };
    view! {
        <p>
            <a href=format!("/classes/{class_id}/home")>{"‹ "}{view.class_title.clone()}</a>
        </p>
        <h1 data-testid="group-name">
            {view.group_name.clone()}" · "{move || tr.t("小组讨论", "Group discussion")}
        </h1>
        <p class="hint">
            {move || tr.t("联络员：", "Liaisons: ")}{view.liaisons.join("、")} " · "
            {view.members}{move || tr.t(" 名成员", " members")} " · "
            <span data-testid="thread-day">{view.day.clone()}</span>
        </p>
        {(!view.other_groups.is_empty())
            .then(|| {
                view! {
                    <nav class="button-row" aria-label=move || tr.t("其他小组", "Other groups")>
                        {view
                            .other_groups
                            .iter()
                            .map(|(id, name)| {
                                view! {
                                    <a
                                        class="button"
                                        href=format!("/classes/{class_id}/discussion?group={id}")
                                    >
                                        {name.clone()}
                                    </a>
                                }
                            })
                            .collect_view()}
                    </nav>
                }
            })}
        {view
            .can_summarize
            .then(|| {
                view! {
                    <p>
                        <a
                            class="button"
                            data-testid="summary-link"
                            href=format!("/groups/{group_id}/summary?day={}", view.day)
                        >
                            {move || tr.t("填写/查看讨论汇总表", "Daily summary")}
                        </a>
                    </p>
                }
            })}
        {match view.topic.clone() {
            Some(topic) => view! { <TopicCard topic class_id /> }.into_any(),
            None => {
                view! {
                    <p class="hint">
                        {move || {
                            tr.t(
                                "这一天没有安排话题。",
                                "No topic was scheduled for this day.",
                            )
                        }}
                    </p>
                }
                    .into_any()
            }
        }}
        <section class="card">
            <h2>
                {move || tr.t("讨论", "Posts")}" ("
                {view.posts.iter().filter(|p| !p.hidden).count()}")"
            </h2>
            <ErrorMessage error=Signal::derive(move || {
                moderate.value().get().and_then(Result::err)
            }) />
            {view
                .posts
                .is_empty()
                .then(|| {
                    view! {
                        <p class="hint" data-testid="no-posts">
                            {move || tr.t("还没有发言。", "No posts yet.")}
                        </p>
                    }
                })}
            <ul class="plain-list posts" data-testid="posts">
                {view
                    .posts
                    .into_iter()
                    .map(|p| view! { <PostItem post=p can_post can_moderate reply_to moderate /> })
                    .collect_view()}
            </ul>
        </section>
        {can_post
            .then(|| {
                view! {
                    <section class="card">
                        <ActionForm action=post attr:class="form" attr:data-testid="post-form">
                            <input type="hidden" name="group_id" value=group_id.to_string() />
                            <input
                                type="hidden"
                                name="reply_to"
                                prop:value=move || reply_to.get().to_string()
                            />
                            {move || {
                                replying()
                                    .map(|who| {
                                        view! {
                                            <p class="hint" data-testid="replying-to">
                                                {move || tr.t("回复 ", "Replying to ")}
                                                {who.clone()}
                                                " "
                                                <button
                                                    type="button"
                                                    class="link-button"
                                                    on:click=move |_| reply_to.set(0)
                                                >
                                                    {move || tr.t("取消", "Cancel")}
                                                </button>
                                            </p>
                                        }
                                    })
                            }}
                            <label for="post-body">
                                {move || tr.t("我的发言", "Your post")}
                            </label>
                            <textarea
                                id="post-body"
                                name="body"
                                rows="4"
                                required
                                maxlength="2000"
                                autocomplete="off"
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                            <p class="hint">
                                {move || format!("{}/2000", text.get().chars().count())}
                            </p>
                            <button
                                type="submit"
                                class="primary"
                                disabled=move || post.pending().get()
                            >
                                {move || tr.t("发表", "Post")}
                            </button>
                        </ActionForm>
                        <ErrorMessage error=Signal::derive(move || {
                            post.value().get().and_then(Result::err)
                        }) />
                    </section>
                }
            })}
        {(!view.is_today)
            .then(|| {
                view! {
                    <p>
                        <a
                            class="button"
                            href=format!("/classes/{class_id}/discussion?group={group_id}")
                        >
                            {move || tr.t("回到今天的讨论", "Back to today")}
                        </a>
                    </p>
                }
            })}
        {(!view.days.is_empty())
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{move || tr.t("往日讨论", "Earlier days")}</h2>
                        <ul class="plain-list">
                            {view
                                .days
                                .into_iter()
                                .map(|(day, n)| {
                                    view! {
                                        <li>
                                            <a href=format!(
                                                "/classes/{class_id}/discussion?group={group_id}&day={day}",
                                            )>{day.clone()}</a>
                                            <span class="hint">
                                                " · "{n}{move || tr.t(" 条", " posts")}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}

#[component]
fn PostItem(
    post: PostView,
    can_post: bool,
    can_moderate: bool,
    reply_to: RwSignal<i64>,
    moderate: ServerAction<ModeratePost>,
) -> impl IntoView {
    let tr = use_tr();
    let id = post.id;
    let act = move |action: &'static str| {
        moderate.dispatch(ModeratePost {
            post_id: id,
            action: action.to_owned(),
        });
    };
    view! {
        <li
            class="post"
            class:reply=post.reply_to.is_some()
            class:pinned=post.pinned
            class:hidden-post=post.hidden
            data-testid="post"
            data-post=id.to_string()
        >
            <p class="post-meta">
                <strong>{post.author.clone()}</strong>
                " "
                <span class="hint">{post.at.clone()}</span>
                {post
                    .pinned
                    .then(|| view! { <span class="tag">{move || tr.t("置顶", "Pinned")}</span> })}
                {post
                    .hidden
                    .then(|| {
                        view! { <span class="tag">{move || tr.t("已隐藏", "Hidden")}</span> }
                    })}
            </p>
            <p class="post-body" data-testid="post-body">
                <RichText segments=post.body.clone() />
            </p>
            <div class="button-row">
                {(can_post && post.reply_to.is_none() && !post.hidden)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| reply_to.set(id)
                            >
                                {move || tr.t("回复", "Reply")}
                            </button>
                        }
                    })}
                {can_moderate
                    .then(|| {
                        view! {
                            {if post.pinned {
                                view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| act("unpin")
                                    >
                                        {move || tr.t("取消置顶", "Unpin")}
                                    </button>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        data-testid="pin"
                                        on:click=move |_| act("pin")
                                    >
                                        {move || tr.t("置顶", "Pin")}
                                    </button>
                                }
                                    .into_any()
                            }}
                            {if post.hidden {
                                view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| act("show")
                                    >
                                        {move || tr.t("恢复显示", "Show")}
                                    </button>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        data-testid="hide"
                                        on:click=move |_| act("hide")
                                    >
                                        {move || tr.t("隐藏", "Hide")}
                                    </button>
                                }
                                    .into_any()
                            }}
                        }
                    })}
            </div>
        </li>
    }
}

/// The account's groups today, for the home pages: the topic, new posts,
/// and for liaisons today's summary. `only_class` limits it to one class.
#[component]
pub fn GroupsToday(#[prop(optional)] only_class: Option<ClassId>) -> impl IntoView {
    let list = Resource::new(move || only_class, my_groups_today);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                list.get()
                    .map(|result| match result {
                        Ok(list) if !list.is_empty() => {
                            list.into_iter()
                                .map(|g| view! { <GroupTodayCard group=g /> })
                                .collect_view()
                                .into_any()
                        }
                        _ => ().into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn GroupTodayCard(group: GroupToday) -> impl IntoView {
    let tr = use_tr();
    let class_id = group.class_id;
    let group_id = group.group_id;
    let unread = group.unread;
    let state = group.summary_state;
    view! {
        <section class="card group-today" data-testid="group-today" data-group=group_id.to_string()>
            <h2>
                {if group.is_liaison {
                    view! { {move || tr.t("我负责的小组：", "My group as liaison: ")} }
                        .into_any()
                } else {
                    view! { {move || tr.t("我的小组：", "My group: ")} }.into_any()
                }} <span data-testid="my-group-name">{group.group_name.clone()}</span>
            </h2>
            <p class="hint">
                {group.class_title.clone()}" · "{move || tr.t("联络员：", "Liaisons: ")}
                <span data-testid="my-group-liaisons">{group.liaisons.join("、")}</span>
            </p>
            {match group.topic.clone() {
                Some(t) => {
                    view! {
                        <p>
                            {move || tr.t("今日话题：", "Today's topic: ")}
                            <strong data-testid="today-topic">{t.title}</strong>
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p class="hint">
                            {move || tr.t("今天没有安排话题。", "No topic today.")}
                        </p>
                    }
                        .into_any()
                }
            }}
            <div class="button-row">
                <a
                    class="button primary"
                    data-testid="discussion-link"
                    href=format!("/classes/{class_id}/discussion?group={group_id}")
                >
                    {move || tr.t("小组讨论", "Discussion")}
                    {(unread > 0)
                        .then(|| {
                            view! {
                                <span class="badge" data-testid="unread">
                                    {unread}
                                </span>
                            }
                        })}
                </a>
                {group
                    .is_liaison
                    .then(|| {
                        view! {
                            <a
                                class="button"
                                data-testid="today-summary"
                                href=format!("/groups/{group_id}/summary")
                            >
                                {move || tr.t("今日汇总表", "Today's summary")}
                                <span class="tag">
                                    {move || match state {
                                        Some(s) => tr.label(s),
                                        None => tr.t("未填写", "Not started"),
                                    }}
                                </span>
                            </a>
                            <a class="button" href=format!("/classes/{class_id}/report")>
                                {move || tr.t("每日报告", "Daily report")}
                            </a>
                        }
                    })}
            </div>
        </section>
    }
}
