//! The learner's bottom tab bar on phones (首页 / 学习 / 考试 / 我的), as in
//! the apps learners already use: one thumb's reach, and the header shrinks
//! to one row (the stylesheet hides the header's links while it is shown).
//! Wider screens keep the header's navigation and never show it.

use crate::components::header::UserResource;
use crate::components::text::use_tr;
use academy_shared::role::Role;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn TabBar() -> impl IntoView {
    let user = expect_context::<UserResource>();
    view! {
        <Transition fallback=|| ()>
            {move || {
                user.get()
                    .flatten()
                    .filter(|me| {
                        !me.roles.is_empty() && me.roles.iter().all(|r| *r == Role::Learner)
                    })
                    .map(|_| {
                        // Learners only: staff (and liaisons) keep the header's
                        // links to their desks, which the bar would hide.
                        view! { <Tabs /> }
                    })
            }}
        </Transition>
    }
}

#[component]
fn Tabs() -> impl IntoView {
    let tr = use_tr();
    let location = use_location();
    // New posts in the learner's groups, asked by the running page after
    // every navigation (a resource here, inside a transition, would be
    // numbered differently on the server and break hydration).
    let unread = RwSignal::new(0u32);
    Effect::new(move |_| {
        let _ = location.pathname.get();
        leptos::task::spawn_local(async move {
            if let Ok(groups) = crate::groups::my_groups_today(None).await {
                unread.set(groups.iter().map(|g| g.unread).sum());
            }
        });
    });
    let tab = move |href: &'static str, icon: &'static str, zh: &'static str, en: &'static str| {
        view! {
            <A href=href attr:class="tab" attr:data-testid=format!("tab-{}", en.to_lowercase())>
                <span class="tab-icon" aria-hidden="true">
                    {icon}
                </span>
                <span class="tab-label">{move || tr.t(zh, en)}</span>
            </A>
        }
    };
    view! {
        <nav class="tab-bar" aria-label=move || tr.t("底部导航", "Tabs") data-testid="tab-bar">
            <A href="/" exact=true attr:class="tab" attr:data-testid="tab-home">
                <span class="tab-icon" aria-hidden="true">
                    "⌂"
                </span>
                <span class="tab-label">{move || tr.t("首页", "Home")}</span>
                {move || {
                    let n = unread.get();
                    (n > 0)
                        .then(|| {
                            view! {
                                <span class="tab-count" data-testid="tab-unread">
                                    {n.min(99)}
                                    <span class="visually-hidden">
                                        {move || tr.t("条新发言", " new posts")}
                                    </span>
                                </span>
                            }
                        })
                }}
            </A>
            {tab("/learn", "▶", "学习", "Study")}
            {tab("/my-exams", "✎", "考试", "Exams")}
            {tab("/account", "☺", "我的", "Me")}
        </nav>
    }
}
