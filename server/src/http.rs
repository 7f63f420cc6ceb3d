//! The HTTP stack: Leptos pages and server functions, health check, static
//! files, compression and security headers.

use crate::config::{Config, SmsConfig};
use crate::media;
use app::app::{App, shell};
use app::auth::policy::IdentityPolicy;
use app::auth::session::SessionPolicy;
use app::auth::sms::{ConsoleSms, SmsProvider, WebhookSms};
use app::error::AppError;
use app::exams::writer::ExamWriter;
use app::media::SharedMediaStore;
use app::request::ProxyPolicy;
use app::store::Store;
use app::study::api::ssr::StudyService;
use app::study::writer::HeartbeatWriter;
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::handler::Handler;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use http::StatusCode;
use http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderName, HeaderValue, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, ResponseOptions, generate_route_list};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::services::ServeDir;

/// Everything a request handler may need; cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub media: SharedMediaStore,
    pub session_policy: SessionPolicy,
    pub max_upload_bytes: u64,
    /// The academy's public base URL (for the QR codes on certificates).
    pub public_url: String,
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("academy")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir(crate::assets::PKG_DIR)
        .site_addr(config.listen)
        .build()
}

/// The SMS provider the config names.
pub fn sms_provider(config: &Config) -> Result<Arc<dyn SmsProvider>, String> {
    Ok(match &config.sms {
        SmsConfig::Console => Arc::new(ConsoleSms),
        SmsConfig::Webhook { url, token } => Arc::new(WebhookSms::new(
            url.clone(),
            token.as_ref().map(|t| t.expose().to_owned()),
        )?),
    })
}

pub fn router(
    config: &Config,
    store: Store,
    sms: Arc<dyn SmsProvider>,
    media: SharedMediaStore,
) -> Router {
    let identity = IdentityPolicy {
        bind_staff: config.bind_staff_devices,
        organizers_approve_rebinding: config.organizers_approve_rebinding,
        ..IdentityPolicy::new(config.public_url.clone(), sms)
    };
    let session_policy = SessionPolicy {
        secure_cookie: config.is_https(),
        ..SessionPolicy::default()
    };
    let study = StudyService {
        rules: config.study_rules(),
        writer: HeartbeatWriter::start(store.clone(), config.study_rules()),
    };
    let exam_writer = ExamWriter::start(store.clone());
    tokio::spawn(grade_overdue_attempts(store.clone()));
    let pkg_dir = config.site_root.join(crate::assets::PKG_DIR);
    crate::assets::drop_stale_copies(&pkg_dir);
    let build = crate::assets::build_id(&pkg_dir);
    match &build {
        Some(build) => tracing::info!(build, "serving the front end under /v/{build}/"),
        None => tracing::info!("serving the front end unversioned under /pkg"),
    }
    let state = AppState {
        leptos_options: leptos_options(config),
        store,
        media,
        session_policy,
        max_upload_bytes: config.max_upload_bytes,
        public_url: config.public_url.clone(),
    };
    let routes = generate_route_list(App);
    let proxy_policy = ProxyPolicy {
        trust_forwarded_for: config.trust_proxy,
    };
    let bundle = app::app::Bundle {
        root: build
            .as_deref()
            .map(crate::assets::versioned_root)
            .unwrap_or_default(),
        build: build.clone(),
    };
    let request_context = {
        let store = state.store.clone();
        move || {
            provide_context(bundle.clone());
            provide_context(store.clone());
            provide_context(session_policy);
            provide_context(proxy_policy);
            provide_context(identity.clone());
            provide_context(study.clone());
            provide_context(exam_writer.clone());
            set_page_csp();
        }
    };
    let mut router = Router::new();
    for route in plain_routes() {
        router = router.route(route.path, route.handler);
    }
    if let Some(build) = &build {
        router = router.nest_service(
            &crate::assets::versioned_root(build),
            ServeDir::new(&config.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(false),
        );
    }
    // Files first (conditional requests answered, precompressed copies
    // chosen), then the error page; leptos' own file handler would drop the
    // request's headers and always send the whole body.
    let error_pages = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        request_context.clone(),
        shell,
    );
    let static_files = ServeDir::new(&config.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(error_pages.with_state(state.clone()));
    router
        .leptos_routes_with_context(&state, routes, request_context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback_service(static_files)
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(middleware::from_fn(crate::assets::cache_headers))
        // Video and audio are compressed already, and a compressed body
        // would break the byte ranges players seek with.
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new()
                    .and(NotForContentType::const_new("video/"))
                    .and(NotForContentType::const_new("audio/")),
            ),
        )
        .layer(middleware::from_fn_with_state(
            config.is_https(),
            security_headers,
        ))
        .with_state(state)
}

/// The methods plain routes answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
        }
    }
}

/// A route that is neither a page nor a server function.
struct PlainRoute {
    verb: Verb,
    path: &'static str,
    handler: MethodRouter<AppState>,
}

fn plain<H, T>(verb: Verb, path: &'static str, handler: H) -> PlainRoute
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = match verb {
        Verb::Get => MethodFilter::GET,
        Verb::Post => MethodFilter::POST,
    };
    PlainRoute {
        verb,
        path,
        handler: on(filter, handler),
    }
}

/// Every route that is not a page or a server function, in one table: the
/// router is built from it and the authorization test enumerates it, so a
/// route added here without a row in that test fails the test.
fn plain_routes() -> Vec<PlainRoute> {
    use Verb::{Get, Post};
    vec![
        plain(Get, "/healthz", healthz),
        plain(Get, "/livez", livez),
        plain(Get, "/downloads/learner-template.xlsx", template_xlsx),
        plain(Get, "/downloads/learner-template.csv", template_csv),
        plain(
            Get,
            "/downloads/question-template.xlsx",
            question_template_xlsx,
        ),
        plain(
            Get,
            "/downloads/question-template.csv",
            question_template_csv,
        ),
        plain(Get, "/exports/banks/{id}", export_bank),
        plain(Get, "/certificates/{id}/pdf", certificate_pdf),
        plain(
            Get,
            "/exports/classes/{id}/dashboard.xlsx",
            export_class_workbook,
        ),
        plain(Get, "/exports/classes/{id}/survey.xlsx", export_survey),
        plain(
            Get,
            "/exports/classes/{id}/report.xlsx",
            export_class_workbook,
        ),
        plain(
            Get,
            "/exports/classes/{id}/summaries.xlsx",
            export_class_workbook,
        ),
        plain(Post, "/media/upload", media::upload),
        plain(Get, "/media/{id}", media::serve),
    ]
}

/// The method and path of every route that is not a page or a server function.
pub fn plain_route_paths() -> Vec<(Verb, &'static str)> {
    plain_routes()
        .into_iter()
        .map(|route| (route.verb, route.path))
        .collect()
}

/// The learner import template (no personal data; anyone may fetch it).
async fn template_xlsx() -> Response {
    match app::admin::import::template_xlsx() {
        Ok(bytes) => (
            [
                (
                    http::header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"learner-template.xlsx\"; filename*=UTF-8''%E5%AD%A6%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn template_csv() -> Response {
    (
        [
            (http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"learner-template.csv\"; filename*=UTF-8''%E5%AD%A6%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv",
            ),
        ],
        app::admin::import::template_csv(),
    )
        .into_response()
}

/// Every few seconds, grades the attempts whose deadline passed with what
/// was saved, so results and statistics never wait for the learner to come
/// back. Several app servers may all run it: closing an attempt is idempotent.
async fn grade_overdue_attempts(store: Store) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match app::exams::attempts::close_overdue(&store).await {
            Ok(0) => {}
            Ok(closed) => tracing::info!(closed, "graded attempts past their deadline"),
            // Logged where it happened; try again at the next tick.
            Err(_) => {}
        }
    }
}

/// The question import template (no data; anyone may fetch it).
async fn question_template_xlsx() -> Response {
    question_template(false)
}

async fn question_template_csv() -> Response {
    question_template(true)
}

fn question_template(csv: bool) -> Response {
    let (content_type, name) = if csv {
        ("text/csv; charset=utf-8", "question-template.csv")
    } else {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "question-template.xlsx",
        )
    };
    match app::exams::formats::template(csv) {
        Ok(bytes) => (
            [
                (http::header::CONTENT_TYPE, content_type.to_owned()),
                (
                    http::header::CONTENT_DISPOSITION,
                    academy_shared::media::content_disposition("attachment", name),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct ExportQuery {
    format: String,
}

/// A bank's questions as a file (managers and reviewers; others get 404).
async fn export_bank(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::extract::Query(query): axum::extract::Query<ExportQuery>,
    headers: http::HeaderMap,
) -> Response {
    let result = async {
        let me = signed_in(&state, &headers).await?;
        let file = app::exams::formats::export_bank(
            &state.store,
            &me,
            academy_shared::ids::BankId(id),
            &query.format,
        )
        .await?;
        Ok((file.content_type.to_owned(), file.file_name, file.bytes))
    }
    .await;
    download(result)
}

/// A class's survey results as .xlsx (organizers, administrators and
/// supervisors; others get 404).
async fn export_survey(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<academy_shared::ids::ClassId>,
    headers: http::HeaderMap,
) -> Response {
    let result = async {
        let me = signed_in(&state, &headers).await?;
        me.require_any(&[
            academy_shared::role::Role::Organizer,
            academy_shared::role::Role::Admin,
            academy_shared::role::Role::Supervisor,
        ])
        .map_err(|_| AppError::NotFound)?;
        let (file_name, bytes) = app::classes::survey::export_survey(&state.store, &me, id).await?;
        Ok((XLSX.to_owned(), file_name, bytes))
    }
    .await;
    download(result)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The account the request's session cookie signs in, or 401.
async fn signed_in(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<app::auth::session::Signed, AppError> {
    app::auth::session::signed_from_headers(&state.store, headers, state.session_policy)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// A file to download, `(content type, file name, bytes)`, never cached; or
/// the error's status with its message.
fn download(result: Result<(String, String, Vec<u8>), AppError>) -> Response {
    match result {
        Ok((content_type, file_name, bytes)) => (
            [
                (http::header::CONTENT_TYPE, content_type),
                (
                    http::header::CONTENT_DISPOSITION,
                    academy_shared::media::content_disposition("attachment", &file_name),
                ),
                (http::header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.message_zh()).into_response()
        }
    }
}

/// Liveness without touching the database (process is up and serving).
async fn livez() -> &'static str {
    "ok"
}

/// 200 when the database answers, 503 when it does not: what load balancers ask.
async fn healthz(State(store): State<Store>) -> Response {
    match store.ping().await {
        Ok(()) => (StatusCode::OK, [(CACHE_CONTROL, "no-store")], "ok").into_response(),
        Err(error) => {
            tracing::warn!("health check: database unreachable: {error}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(CACHE_CONTROL, "no-store")],
                "database unavailable",
            )
                .into_response()
        }
    }
}

/// The policy for pages: scripts only from us or carrying this response's nonce
/// (the hydration bootstrap), and WASM compilation.
fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for everything that is not a page (JSON, files): no script at all.
const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The service worker's own policy (a worker runs under the CSP its script
/// came with): it fetches and caches the academy's own files, nothing else.
const WORKER_CSP: &str = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The offline page: static, no script, its styles inline.
const OFFLINE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// Runs inside Leptos' per-request context, where the nonce Leptos puts on its
/// inline scripts is known, and puts the same nonce into the CSP header.
fn set_page_csp() {
    if let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
        && let Ok(value) = HeaderValue::from_str(&page_csp(&nonce))
    {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// Security headers on every response; `https` (the public URL is https)
/// adds HSTS, so a browser never again tries the academy over plain HTTP.
async fn security_headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let own_policy = match request.uri().path() {
        "/sw.js" => Some(WORKER_CSP),
        "/offline.html" => Some(OFFLINE_CSP),
        _ => None,
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https {
        headers.insert(
            http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if let Some(policy) = own_policy {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    } else if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STRICT_CSP),
        );
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(self), microphone=(), geolocation=()"),
    );
    response
}

/// CSRF defence for every state-changing request (server functions are POSTs):
/// a browser says where a request comes from (`Sec-Fetch-Site`, or at least
/// `Origin`), and a request from another site is refused before it runs.
async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let method = request.method();
    if method == http::Method::GET
        || method == http::Method::HEAD
        || method == http::Method::OPTIONS
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let cross_site = match header("sec-fetch-site") {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => match (header("origin"), header("host")) {
            (Some(origin), Some(host)) => {
                origin.split_once("://").map(|(_, rest)| rest) != Some(host)
            }
            // Not a browser (no Origin): curl, tests, server-to-server calls.
            _ => false,
        },
    };
    if cross_site {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site write");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(request).await
}

/// A certificate as a PDF, for its holder and for organizers (others: 404).
async fn certificate_pdf(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: http::HeaderMap,
) -> Response {
    let result = async {
        let me = signed_in(&state, &headers).await?;
        let (file_name, bytes) =
            app::certificates::api::pdf_for(&state.store, &me, &state.public_url, id).await?;
        Ok(("application/pdf".to_owned(), file_name, bytes))
    }
    .await;
    download(result)
}

#[derive(serde::Deserialize)]
struct WorkbookQuery {
    day: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// A class's figures as .xlsx — the dashboard, the daily report, the
/// discussion summaries of a range — each as its page shows it to the viewer.
async fn export_class_workbook(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<academy_shared::ids::ClassId>,
    axum::extract::Query(query): axum::extract::Query<WorkbookQuery>,
    uri: http::Uri,
    headers: http::HeaderMap,
) -> Response {
    let result = async {
        let me = signed_in(&state, &headers).await?;
        let store = &state.store;
        let day = query.day.as_deref();
        let (file_name, bytes) = match uri.path().rsplit('/').next() {
            Some("dashboard.xlsx") => {
                app::classes::dashboard::dashboard_workbook(store, &me, id, day).await?
            }
            Some("report.xlsx") => {
                app::groups::report::report_workbook(store, &me, id, day).await?
            }
            Some("summaries.xlsx") => {
                let (from, to) = (query.from.as_deref(), query.to.as_deref());
                app::groups::summaries::summaries_workbook(store, &me, id, from, to).await?
            }
            _ => return Err(AppError::NotFound),
        };
        Ok((XLSX.to_owned(), file_name, bytes))
    }
    .await;
    download(result)
}
