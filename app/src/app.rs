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

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
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
                <meta
                    name="academy-build"
                    content=options.site_pkg_dir.strip_prefix("pkg/").unwrap_or("dev").to_owned()
                />
                <link rel="stylesheet" href=format!("/{}/academy.css", options.site_pkg_dir) />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
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
                            <Route path=path!("/courseware") view=CoursewareLibraryPage />
                            <Route path=path!("/classes") view=ClassesPage />
                            <Route path=path!("/classes/new") view=ClassEditPage />
                            <Route path=path!("/classes/:id") view=ClassEditPage />
                            <Route path=path!("/classes/:id/learners") view=ClassRosterPage />
                            <Route path=path!("/classes/:id/settings") view=ClassSettingsPage />
                            <Route path=path!("/classes/:id/survey") view=SurveyPage />
                            <Route path=path!("/classes/:id/survey/edit") view=SurveyEditPage />
                            <Route
                                path=path!("/classes/:id/survey/results")
                                view=SurveyResultsPage
                            />
                            <Route path=path!("/classes/:id/home") view=ClassHomePage />
                            <Route path=path!("/classes/:id/dashboard") view=DashboardPage />
                            <Route path=path!("/classes/:id/groups") view=GroupsPage />
                            <Route path=path!("/classes/:id/topics") view=TopicsPage />
                            <Route path=path!("/classes/:id/discussion") view=DiscussionPage />
                            <Route path=path!("/classes/:id/summaries") view=SummariesPage />
                            <Route
                                path=path!("/classes/:id/summaries/print")
                                view=PrintSummariesPage
                            />
                            <Route path=path!("/classes/:id/report") view=ReportPage />
                            <Route path=path!("/groups") view=GroupWorkPage />
                            <Route path=path!("/groups/:id/summary") view=SummaryPage />
                            <Route path=path!("/certificates/:id") view=CertificatePage />
                            // Rendered whole before the headers go out, so an unknown code
                            // answers 404 (a streamed page has sent 200 by then).
                            <Route
                                path=path!("/verify/:code")
                                view=VerifyPage
                                ssr=leptos_router::SsrMode::Async
                            />
                            <Route path=path!("/courseware/new") view=CoursewareNewPage />
                            <Route path=path!("/courseware/:id") view=CoursewareEditPage />
                            <Route path=path!("/learn/:class/:courseware") view=LessonPage />
                            <Route path=path!("/my-exams") view=MyExamsPage />
                            <Route path=path!("/attempts/:id") view=AttemptPage />
                            <Route path=path!("/attempts/:id/review") view=ReviewPage />
                            <Route path=path!("/exams") view=ExamsAdminPage />
                            <Route path=path!("/exams/:id/analysis") view=ExamAnalysisPage />
                            <Route path=path!("/banks") view=BanksPage />
                            <Route path=path!("/banks/:id") view=BankPage />
                            <Route path=path!("/banks/:id/new") view=QuestionNewPage />
                            <Route path=path!("/questions/:id") view=QuestionEditPage />
                            <Route path=path!("/blueprints") view=BlueprintsPage />
                            <Route path=path!("/blueprints/new") view=BlueprintPage />
                            <Route path=path!("/blueprints/:id") view=BlueprintPage />
                            <Route path=path!("/admin/users") view=AdminUsersPage />
                            <Route path=path!("/admin/users/new") view=AdminNewUserPage />
                            <Route path=path!("/admin/users/:id") view=AdminUserPage />
                            <Route path=path!("/admin/import") view=AdminImportPage />
                            <Route path=path!("/admin/audit") view=AdminAuditPage />
                            <Route path=path!("/admin/rebind") view=AdminRebindPage />
                            <Route path=path!("/admin/regions") view=AdminRegionsPage />
                            <Route path=path!("/support") view=SupportPage />
                            <Route path=path!("/support/inbox") view=SupportInboxPage />
                            <Route path=path!("/support/faq") view=SupportFaqPage />
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
