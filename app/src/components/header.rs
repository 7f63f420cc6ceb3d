//! The site header: name, navigation, who is signed in, language switch.

use crate::auth::CurrentUser;
use crate::auth::api::Logout;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::*;
use academy_shared::role::Role;
use leptos::prelude::*;
use leptos_router::components::A;

/// The signed-in user as the pages see it; refetched after sign-in and sign-out.
pub type UserResource = Resource<Option<CurrentUser>>;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let user = expect_context::<UserResource>();
    let logout = expect_context::<ServerAction<Logout>>();
    let tr = crate::components::text::use_tr();
    view! {
        <a class="skip-link" href="#main">
            {t!(i18n, skip_to_content)}
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">
                    "学"
                </span>
                <span class="brand-name">{t!(i18n, site_name)}</span>
            </a>
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                <A href="/" exact=true attr:data-testid="nav-home">
                    {t!(i18n, nav_home)}
                </A>
                <Transition fallback=|| ()>
                    {move || {
                        user.get()
                            .flatten()
                            .map(|me| {
                                let admin = me.has_role(Role::Admin);
                                let learner = me.has_role(Role::Learner);
                                let courseware = [
                                    Role::Lecturer,
                                    Role::Reviewer,
                                    Role::Organizer,
                                    Role::Admin,
                                ]
                                    .iter()
                                    .any(|r| me.has_role(*r));
                                view! {
                                    {learner
                                        .then(|| {
                                            view! {
                                                <A href="/learn" attr:data-testid="nav-learn">
                                                    {move || tr.t("在线学习", "Lessons")}
                                                </A>
                                            }
                                        })}
                                    {learner
                                        .then(|| {
                                            view! {
                                                <A href="/my-exams" attr:data-testid="nav-exams">
                                                    {move || tr.t("考试", "Exams")}
                                                </A>
                                            }
                                        })}
                                    {courseware
                                        .then(|| {
                                            view! {
                                                <A href="/courseware" attr:data-testid="nav-courseware">
                                                    {move || tr.t("课件库", "Courseware")}
                                                </A>
                                            }
                                        })}
                                    {courseware
                                        .then(|| {
                                            view! {
                                                <A href="/banks" attr:data-testid="nav-banks">
                                                    {move || tr.t("题库", "Banks")}
                                                </A>
                                            }
                                        })}
                                    {(me.has_role(Role::Organizer) || admin
                                        || me.has_role(Role::Reviewer))
                                        .then(|| {
                                            view! {
                                                <A href="/exams" attr:data-testid="nav-exam-admin">
                                                    {move || tr.t("考试管理", "Exam admin")}
                                                </A>
                                            }
                                        })}
                                    {(me.has_role(Role::Organizer) || admin)
                                        .then(|| {
                                            view! {
                                                <A href="/classes" attr:data-testid="nav-classes">
                                                    {move || tr.t("培训班", "Classes")}
                                                </A>
                                            }
                                        })}
                                    {(me.has_role(Role::Liaison) || me.has_role(Role::Supervisor))
                                        .then(|| {
                                            view! {
                                                <A href="/groups" attr:data-testid="nav-groups">
                                                    {move || tr.t("分组工作", "Group work")}
                                                </A>
                                            }
                                        })}
                                    <crate::pages::support::SupportNavLinks me=me.clone() />
                                    <A href="/account" attr:data-testid="nav-account">
                                        {move || tr.t("我的账号", "My account")}
                                    </A>
                                    {admin
                                        .then(|| {
                                            view! {
                                                <A href="/admin/users" attr:data-testid="nav-admin">
                                                    {move || tr.t("管理", "Admin")}
                                                </A>
                                            }
                                        })}
                                }
                            })
                    }}
                </Transition>
            </nav>
            <Transition fallback=|| ()>
                {move || {
                    user.get()
                        .map(|signed_in| match signed_in {
                            Some(me) => {
                                let role = me.primary_role();
                                let role_label = move || match (i18n.get_locale(), role) {
                                    (Locale::en, Some(role)) => role.label_en(),
                                    (Locale::zh_CN, Some(role)) => role.label_zh(),
                                    (_, None) => "",
                                };
                                view! {
                                    <span class="user-badge" data-testid="user-badge">
                                        <span class="user-name">{me.real_name.clone()}</span>
                                        <span class="user-role">{role_label}</span>
                                    </span>
                                    <ActionForm action=logout attr:class="inline-form">
                                        <button
                                            type="submit"
                                            class="header-button"
                                            data-testid="logout"
                                        >
                                            {t!(i18n, nav_logout)}
                                        </button>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <A
                                        href="/login"
                                        attr:class="header-button"
                                        attr:data-testid="login-link"
                                    >
                                        {t!(i18n, nav_login)}
                                    </A>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <LanguageSwitch />
        </header>
    }
}
