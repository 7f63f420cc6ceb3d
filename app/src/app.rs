//! The HTML shell and the router.

use crate::auth::api::{Login, Logout, who_am_i};
use crate::components::app_channel::AppChannel;
use crate::components::header::{Header, UserResource};
use crate::i18n::*;
use crate::pages::account::AccountPage;
use crate::pages::admin::audit::AdminAuditPage;
use crate::pages::admin::import::AdminImportPage;
use crate::pages::admin::rebind::AdminRebindPage;
use crate::pages::admin::regions::AdminRegionsPage;
use crate::pages::admin::users::{AdminNewUserPage, AdminUserPage, AdminUsersPage};
use crate::pages::approve::ApprovePage;
use crate::pages::banks::{BankPage, BanksPage, QuestionEditPage, QuestionNewPage};
use crate::pages::blueprints::{BlueprintPage, BlueprintsPage};
use crate::pages::certificate::{CertificatePage, VerifyPage};
use crate::pages::class_edit::ClassEditPage;
use crate::pages::class_roster::ClassRosterPage;
use crate::pages::classes::{ClassSettingsPage, ClassesPage};
use crate::pages::courseware::{CoursewareEditPage, CoursewareLibraryPage, CoursewareNewPage};
use crate::pages::dashboard::DashboardPage;
use crate::pages::discussion::DiscussionPage;
use crate::pages::exam::{AttemptPage, MyExamsPage, ReviewPage};
use crate::pages::exams_admin::{ExamAnalysisPage, ExamsAdminPage};
use crate::pages::groups::{GroupWorkPage, GroupsPage, TopicsPage};
use crate::pages::home::HomePage;
use crate::pages::journey::ClassHomePage;
use crate::pages::learn::{LessonPage, LessonsPage};
use crate::pages::login::LoginPage;
use crate::pages::not_found::{ErrorPage, NotFoundPage};
use crate::pages::register::{ActivatePage, RegisterPage, ResetPage};
use crate::pages::summaries::{PrintSummariesPage, ReportPage, SummariesPage, SummaryPage};
use crate::pages::support::{SupportFaqPage, SupportInboxPage, SupportPage};
use crate::pages::survey::{SurveyEditPage, SurveyPage, SurveyResultsPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::{Lazy, LazyRoute, lazy_route};

/// The document around the app, rendered on the server only.
/// Where this server's build of the front end is served: pages name its
/// files under `root` (`/v/<build>`, kept a year by browsers) so that a new
/// build is a new URL. The host provides it; without it (tests, `cargo leptos
/// watch`) the files are named unversioned, under `/pkg`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bundle {
    /// The URL prefix, without a trailing slash; empty when unversioned.
    pub root: String,
    /// The build id the service worker is registered for.
    pub build: Option<String>,
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = use_context::<Bundle>().unwrap_or_default();
    let stylesheet = format!("{}/{}/academy.css", bundle.root, options.site_pkg_dir);
    let build = bundle.build.unwrap_or_else(|| "dev".to_owned());
    let root = bundle.root;
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta
                    name="viewport"
                    content="width=device-width, initial-scale=1, viewport-fit=cover"
                />
                <meta name="theme-color" content="#b71c1c" />
                <meta name="format-detection" content="telephone=no" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/apple-touch-icon.png" />
                <meta name="apple-mobile-web-app-capable" content="yes" />
                <meta name="mobile-web-app-capable" content="yes" />
                <meta name="apple-mobile-web-app-title" content="网络学院" />
                <meta name="apple-mobile-web-app-status-bar-style" content="default" />
                // The service worker precaches the files of this build.
                <meta name="academy-build" content=build />
                <link rel="stylesheet" href=stylesheet />
                <AutoReload options=options.clone() />
                <HydrationScripts options root />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A staff page, split out of the learners' download: with `cargo leptos
/// build --split` its code is a chunk of its own, fetched when a staff member
/// first opens it (a learner's journey never does).
macro_rules! staff_pages {
    ($($route:ident => $page:ident,)*) => {$(
        struct $route;

        impl $route {
            fn lazy() -> Lazy<$route> {
                Lazy::new()
            }
        }

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

staff_pages! {
    AdminAuditPageRoute => AdminAuditPage,
    AdminImportPageRoute => AdminImportPage,
    AdminNewUserPageRoute => AdminNewUserPage,
    AdminRebindPageRoute => AdminRebindPage,
    AdminRegionsPageRoute => AdminRegionsPage,
    AdminUserPageRoute => AdminUserPage,
    AdminUsersPageRoute => AdminUsersPage,
    BankPageRoute => BankPage,
    BanksPageRoute => BanksPage,
    BlueprintPageRoute => BlueprintPage,
    BlueprintsPageRoute => BlueprintsPage,
    ClassEditPageRoute => ClassEditPage,
    ClassRosterPageRoute => ClassRosterPage,
    ClassSettingsPageRoute => ClassSettingsPage,
    ClassesPageRoute => ClassesPage,
    CoursewareEditPageRoute => CoursewareEditPage,
    CoursewareLibraryPageRoute => CoursewareLibraryPage,
    CoursewareNewPageRoute => CoursewareNewPage,
    DashboardPageRoute => DashboardPage,
    ExamAnalysisPageRoute => ExamAnalysisPage,
    ExamsAdminPageRoute => ExamsAdminPage,
    GroupWorkPageRoute => GroupWorkPage,
    GroupsPageRoute => GroupsPage,
    PrintSummariesPageRoute => PrintSummariesPage,
    QuestionEditPageRoute => QuestionEditPage,
    QuestionNewPageRoute => QuestionNewPage,
    ReportPageRoute => ReportPage,
    SummariesPageRoute => SummariesPage,
    SummaryPageRoute => SummaryPage,
    SupportFaqPageRoute => SupportFaqPage,
    SupportInboxPageRoute => SupportInboxPage,
    SurveyEditPageRoute => SurveyEditPage,
    SurveyResultsPageRoute => SurveyResultsPage,
    TopicsPageRoute => TopicsPage,
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let user: UserResource = Resource::new(
        move || (login.version().get(), logout.version().get()),
        // A failed lookup shows the visitor view; the server logged the cause.
        |_| async { who_am_i().await.ok().flatten() },
    );
    provide_context(login);
    provide_context(logout);
    provide_context(user);
    view! {
        <I18nContextProvider ssr_lang_header_getter=chinese_unless_chosen()>
            <SiteTitle />
            <Router>
                <AppChannel />
                <Header />
                <main id="main" class="page">
                    // A page that fails shows a safe message, never the error's text.
                    <ErrorBoundary fallback=|_| view! { <ErrorPage /> }>
                        <Routes fallback=NotFoundPage>
                            <Route path=path!("/") view=HomePage />
                            <Route path=path!("/login") view=LoginPage />
                            <Route path=path!("/register") view=RegisterPage />
                            <Route path=path!("/activate") view=ActivatePage />
                            <Route path=path!("/reset") view=ResetPage />
                            <Route path=path!("/approve") view=ApprovePage />
                            <Route path=path!("/account") view=AccountPage />
                            <Route path=path!("/learn") view=LessonsPage />
                            <Route
                                path=path!("/courseware")
                                view=CoursewareLibraryPageRoute::lazy()
                            />
                            <Route path=path!("/classes") view=ClassesPageRoute::lazy() />
                            <Route path=path!("/classes/new") view=ClassEditPageRoute::lazy() />
                            <Route path=path!("/classes/:id") view=ClassEditPageRoute::lazy() />
                            <Route
                                path=path!("/classes/:id/learners")
                                view=ClassRosterPageRoute::lazy()
                            />
                            <Route
                                path=path!("/classes/:id/settings")
                                view=ClassSettingsPageRoute::lazy()
                            />
                            <Route path=path!("/classes/:id/survey") view=SurveyPage />
                            <Route
                                path=path!("/classes/:id/survey/edit")
                                view=SurveyEditPageRoute::lazy()
                            />
                            <Route
                                path=path!("/classes/:id/survey/results")
                                view=SurveyResultsPageRoute::lazy()
                            />
                            <Route path=path!("/classes/:id/home") view=ClassHomePage />
                            <Route
                                path=path!("/classes/:id/dashboard")
                                view=DashboardPageRoute::lazy()
                            />
                            <Route path=path!("/classes/:id/groups") view=GroupsPageRoute::lazy() />
                            <Route path=path!("/classes/:id/topics") view=TopicsPageRoute::lazy() />
                            <Route path=path!("/classes/:id/discussion") view=DiscussionPage />
                            <Route
                                path=path!("/classes/:id/summaries")
                                view=SummariesPageRoute::lazy()
                            />
                            <Route
                                path=path!("/classes/:id/summaries/print")
                                view=PrintSummariesPageRoute::lazy()
                            />
                            <Route path=path!("/classes/:id/report") view=ReportPageRoute::lazy() />
                            <Route path=path!("/groups") view=GroupWorkPageRoute::lazy() />
                            <Route
                                path=path!("/groups/:id/summary")
                                view=SummaryPageRoute::lazy()
                            />
                            <Route path=path!("/certificates/:id") view=CertificatePage />
                            // Rendered whole before the headers go out, so an unknown code
                            // answers 404 (a streamed page has sent 200 by then).
                            <Route
                                path=path!("/verify/:code")
                                view=VerifyPage
                                ssr=leptos_router::SsrMode::Async
                            />
                            <Route
                                path=path!("/courseware/new")
                                view=CoursewareNewPageRoute::lazy()
                            />
                            <Route
                                path=path!("/courseware/:id")
                                view=CoursewareEditPageRoute::lazy()
                            />
                            <Route path=path!("/learn/:class/:courseware") view=LessonPage />
                            <Route path=path!("/my-exams") view=MyExamsPage />
                            <Route path=path!("/attempts/:id") view=AttemptPage />
                            <Route path=path!("/attempts/:id/review") view=ReviewPage />
                            <Route path=path!("/exams") view=ExamsAdminPageRoute::lazy() />
                            <Route
                                path=path!("/exams/:id/analysis")
                                view=ExamAnalysisPageRoute::lazy()
                            />
                            <Route path=path!("/banks") view=BanksPageRoute::lazy() />
                            <Route path=path!("/banks/:id") view=BankPageRoute::lazy() />
                            <Route path=path!("/banks/:id/new") view=QuestionNewPageRoute::lazy() />
                            <Route
                                path=path!("/questions/:id")
                                view=QuestionEditPageRoute::lazy()
                            />
                            <Route path=path!("/blueprints") view=BlueprintsPageRoute::lazy() />
                            <Route path=path!("/blueprints/new") view=BlueprintPageRoute::lazy() />
                            <Route path=path!("/blueprints/:id") view=BlueprintPageRoute::lazy() />
                            <Route path=path!("/admin/users") view=AdminUsersPageRoute::lazy() />
                            <Route
                                path=path!("/admin/users/new")
                                view=AdminNewUserPageRoute::lazy()
                            />
                            <Route path=path!("/admin/users/:id") view=AdminUserPageRoute::lazy() />
                            <Route path=path!("/admin/import") view=AdminImportPageRoute::lazy() />
                            <Route path=path!("/admin/audit") view=AdminAuditPageRoute::lazy() />
                            <Route path=path!("/admin/rebind") view=AdminRebindPageRoute::lazy() />
                            <Route
                                path=path!("/admin/regions")
                                view=AdminRegionsPageRoute::lazy()
                            />
                            <Route path=path!("/support") view=SupportPage />
                            <Route
                                path=path!("/support/inbox")
                                view=SupportInboxPageRoute::lazy()
                            />
                            <Route path=path!("/support/faq") view=SupportFaqPageRoute::lazy() />
                        </Routes>
                    </ErrorBoundary>
                </main>
                <Footer />
                <crate::components::tab_bar::TabBar />
            </Router>
        </I18nContextProvider>
    }
}

/// Our users read Chinese; an English browser still gets Chinese until the
/// person picks English with the switch (kept in a cookie).
fn chinese_unless_chosen() -> leptos_i18n::context::UseLocalesOptions {
    leptos_i18n::context::UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

#[component]
fn SiteTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || t_string!(i18n, site_name).to_string() /> }
}

#[component]
fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer_text)}</p>
        </footer>
    }
}
