//! Load benchmark of an exam's first minutes, run by `make bench`: many
//! learners start the same exam within a few seconds, answer every question
//! (one autosave per answer) and hand in.
//!
//! Starts the real server in this process on a loopback port over a fresh
//! database with the demo data (`server::demo::load`: the class
//! "2026年党员教育示范培训班" and its open pre-test "班前测试", 10 single-choice
//! and 10 fill-in questions drawn per learner from a 60-question bank), adds
//! learners with sessions (straight into the store, not through the
//! rate-limited sign-in) and enrols them in that class. Each learner is one
//! task with its own keep-alive HTTP client, as each phone is, and goes
//! through what the exam page sends:
//!
//! 1. `POST /api/exams/start` (`exam=<id>`) at its slot of a uniform schedule:
//!    learner *i* of *n* starts at `i × BENCH_START_SECONDS / n`;
//! 2. `POST /api/attempts/paper` (`attempt=<id>`), which must show an open
//!    paper;
//! 3. one `POST /api/attempts/save` per question, in order, each carrying one
//!    answer in the question's shape (a random option, a random true/false, a
//!    text per blank), after a think time drawn uniformly from
//!    0–`BENCH_THINK_MS` ms; the answer must acknowledge one saved answer;
//! 4. `POST /api/attempts/submit` with no pending answers (all were
//!    acknowledged), which must answer `null`.
//!
//! A request counts as an error if it is not a 200 with the expected body
//! (including transport failures); a learner whose request fails stops there.
//! Latency is from sending the request to having read the whole answer.
//! Afterwards the database is checked: every learner has exactly one attempt,
//! handed in by the learner and graded, with a score on every item, and every
//! item holds exactly the answer last acknowledged for it.
//!
//! Before the measured run one extra learner goes through the same steps (not
//! counted), so that a missing or failing endpoint is reported plainly and the
//! first measured requests do not pay for cold caches alone.
//!
//! The load generator shares the machine (and this process's runtime) with the
//! server, as any loopback benchmark on a small machine does: its CPU counts
//! against the latencies.
//!
//! Settings, from the environment:
//! - `BENCH_LEARNERS` (1000), `BENCH_START_SECONDS` (10: the window the starts
//!   are spread over), `BENCH_THINK_MS` (10000: the longest think time before
//!   each answer; 0 saves back to back), `BENCH_SEED` (2026: the answers and
//!   think times).
//!
//! The think time sets the load more than anything else. With 0–10 s (5 s on
//! average, a 20-question paper in under two minutes, where the exam allows
//! 30) 1,000 learners send up to ~200 saves a second; with 0–200 ms they ask
//! for ~10,000 a second, far past what any server here can write, so that run
//! measures the queue (latency ≈ learners ÷ throughput), not a learner's wait.
//! - `BENCH_DATABASE_URL`: a PostgreSQL server to run against instead of SQLite,
//!   e.g. `postgres://postgres@127.0.0.1:5432/postgres`. The benchmark creates
//!   a fresh database `bench_<pid>` on that server and drops it at the end.
//!   Unset: SQLite in a temporary directory, with the server's own settings
//!   (WAL, `synchronous = FULL`).
//! - `BENCH_OUT`: where the JSON result goes. Default: the workspace's
//!   `target/bench/exam_start.json`, whatever `CARGO_TARGET_DIR` says, next to
//!   the heartbeat benchmark's result.

use academy_shared::exam::Response;
use academy_shared::ids::{AttemptId, ClassId, ExamId, UserId};
use academy_shared::role::Role;
use app::exams::ShownQuestion;
use app::exams::attempts::{PaperView, SaveAck};
use app::store::{NewUser, SessionLink, Store, now_millis};
use rand::{Rng, SeedableRng};
use serde_json::json;
use server::config::{Config, Secret};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{
    BoxError, FreshDatabase, env_number, fsync_probe_ms, mean_ms, percentile_ms, round2,
};

/// The demo exam the learners sit, and its class.
const EXAM_TITLE: &str = "班前测试";
/// The targets on a 2-core machine with SQLite.
const TARGET_START_P99_MS: f64 = 300.0;
const TARGET_SAVE_P99_MS: f64 = 100.0;
/// Distinct error texts kept for the report.
const ERROR_SAMPLES: usize = 5;
/// Bench accounts: `exambench00001` …; the unmeasured probe learner is apart.
const USERNAME_PREFIX: &str = "exambench";
const PROBE_USERNAME: &str = "exambenchprobe";

struct Settings {
    learners: usize,
    start_seconds: f64,
    think_ms: u64,
    seed: u64,
    database_url: Option<String>,
    out: PathBuf,
}

impl Settings {
    fn from_env() -> Result<Settings, BoxError> {
        let out = match std::env::var_os("BENCH_OUT") {
            Some(path) => PathBuf::from(path),
            None => {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench/exam_start.json")
            }
        };
        Ok(Settings {
            learners: (env_number("BENCH_LEARNERS", 1000.0)? as usize).max(1),
            start_seconds: env_number("BENCH_START_SECONDS", 10.0)?,
            think_ms: env_number("BENCH_THINK_MS", 10_000.0)? as u64,
            seed: env_number("BENCH_SEED", 2026.0)? as u64,
            database_url: std::env::var("BENCH_DATABASE_URL")
                .ok()
                .filter(|url| !url.is_empty()),
            out,
        })
    }
}

/// One learner as a client sees it.
struct Learner {
    user: UserId,
    cookie: String,
}

/// The demo exam, open, and the id of its class.
async fn demo_exam(store: &Store) -> Result<(ExamId, ClassId), BoxError> {
    let exam = store
        .exams()
        .await?
        .into_iter()
        .find(|e| e.title == EXAM_TITLE && e.state == academy_shared::exam::ExamState::Open)
        .ok_or("the demo data has no open exam 班前测试")?;
    let class = exam.class_id.ok_or("the demo exam is in no class")?;
    Ok((exam.id, class))
}

/// Accounts with fresh sessions, enrolled in `class`: `count` measured
/// learners, then the probe learner.
async fn seed(store: &Store, class: ClassId, count: usize) -> Result<Vec<Learner>, BoxError> {
    let now = now_millis();
    let mut accounts: Vec<NewUser> = (1..=count)
        .map(|n| NewUser {
            username: format!("{USERNAME_PREFIX}{n:05}"),
            real_name: format!("考生{n}"),
            password_hash: "not-a-password-hash".into(),
            roles: vec![Role::Learner],
            ..NewUser::default()
        })
        .collect();
    accounts.push(NewUser {
        username: PROBE_USERNAME.into(),
        real_name: "试考考生".into(),
        password_hash: "not-a-password-hash".into(),
        roles: vec![Role::Learner],
        ..NewUser::default()
    });
    let ids = store.create_users(&accounts).await?;
    store.enrol(class, &ids, now).await?;
    let policy = app::auth::session::SessionPolicy::default();
    let mut seeded = Vec::with_capacity(ids.len());
    for user in ids {
        let token = app::auth::session::new_token();
        store
            .create_session(
                &app::auth::session::token_hash(&token),
                user,
                now,
                now + policy.absolute_timeout_ms,
                Some("exam-bench"),
                SessionLink::default(),
            )
            .await?;
        seeded.push(Learner {
            user,
            cookie: format!("{}={token}", app::auth::session::COOKIE_NAME),
        });
    }
    Ok(seeded)
}

/// The four requests of a sitting.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Start,
    Paper,
    Save,
    Submit,
}

const KINDS: [Kind; 4] = [Kind::Start, Kind::Paper, Kind::Save, Kind::Submit];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Start => "start",
            Kind::Paper => "paper",
            Kind::Save => "save",
            Kind::Submit => "submit",
        }
    }

    fn route(self) -> &'static str {
        match self {
            Kind::Start => "POST /api/exams/start",
            Kind::Paper => "POST /api/attempts/paper",
            Kind::Save => "POST /api/attempts/save",
            Kind::Submit => "POST /api/attempts/submit",
        }
    }

    fn index(self) -> usize {
        match self {
            Kind::Start => 0,
            Kind::Paper => 1,
            Kind::Save => 2,
            Kind::Submit => 3,
        }
    }
}

struct Urls {
    start: String,
    paper: String,
    save: String,
    submit: String,
}

impl Urls {
    fn of(&self, kind: Kind) -> &str {
        match kind {
            Kind::Start => &self.start,
            Kind::Paper => &self.paper,
            Kind::Save => &self.save,
            Kind::Submit => &self.submit,
        }
    }
}

/// One answered request: when it was sent (ms after the first start slot) and
/// how long it took (µs).
#[derive(Clone, Copy)]
struct Sample {
    kind: Kind,
    sent_ms: f64,
    us: u64,
}

/// What one learner's sitting produced.
struct Sitting {
    user: UserId,
    samples: Vec<Sample>,
    error: Option<(Kind, String)>,
    attempt: Option<AttemptId>,
    /// Every acknowledged answer, in the order sent.
    saved: Vec<(i64, Response)>,
    questions: usize,
    done: bool,
}

fn client() -> Result<reqwest::Client, BoxError> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1)
        .build()?)
}

enum Body {
    Form(String),
    Json(serde_json::Value),
}

/// Sends one request; the answer's body if it is a 200.
async fn call(
    client: &reqwest::Client,
    url: &str,
    cookie: &str,
    body: Body,
) -> Result<Vec<u8>, String> {
    let request = client
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::COOKIE, cookie);
    let request = match body {
        Body::Form(form) => request
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form),
        Body::Json(value) => request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&value).map_err(|e| e.to_string())?),
    };
    let response = request
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("transport (body): {e}"))?;
    if status != reqwest::StatusCode::OK {
        return Err(format!("HTTP {status}: {}", excerpt(&body)));
    }
    Ok(body.to_vec())
}

fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(300).collect()
}

/// An answer in the question's shape: a random option (one, or a random
/// non-empty set for multiple choice), true or false, a short text per blank.
fn answer_for(question: &ShownQuestion, rng: &mut impl Rng) -> Response {
    let keys: Vec<u8> = question.options.iter().map(|(key, _)| *key).collect();
    use academy_shared::exam::QuestionKind;
    match question.kind {
        QuestionKind::Multiple => {
            let mut chosen: Vec<u8> = keys
                .iter()
                .copied()
                .filter(|_| rng.random_bool(0.5))
                .collect();
            if chosen.is_empty()
                && let Some(key) = keys.get(rng.random_range(0..keys.len().max(1)))
            {
                chosen.push(*key);
            }
            Response::Choice(chosen)
        }
        QuestionKind::TrueFalse => Response::TrueFalse(rng.random_bool(0.5)),
        QuestionKind::Fill => Response::Blanks(
            (0..question.blanks)
                .map(|n| format!("作答{}", rng.random_range(0..1000) + n))
                .collect(),
        ),
        QuestionKind::Single => Response::Choice(
            keys.get(rng.random_range(0..keys.len().max(1)))
                .copied()
                .into_iter()
                .collect(),
        ),
    }
}

/// When and how one learner sits the exam.
#[derive(Clone, Copy)]
struct Plan {
    exam: ExamId,
    /// The first start slot: sample times are counted from here.
    origin: Instant,
    start_at: Instant,
    think_ms: u64,
    seed: u64,
}

/// One learner's sitting: start at its slot, read the paper, answer every
/// question with a think time before each, hand in.
async fn sit(learner: Learner, client: reqwest::Client, urls: Arc<Urls>, plan: Plan) -> Sitting {
    let Plan {
        exam,
        origin,
        start_at,
        think_ms,
        seed,
    } = plan;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut sitting = Sitting {
        user: learner.user,
        samples: Vec::with_capacity(24),
        error: None,
        attempt: None,
        saved: Vec::with_capacity(20),
        questions: 0,
        done: false,
    };
    tokio::time::sleep_until(start_at.into()).await;

    // Times one request, keeps its sample or its error.
    macro_rules! timed {
        ($kind:expr, $body:expr) => {{
            let kind = $kind;
            let sent = Instant::now();
            let outcome = call(&client, urls.of(kind), &learner.cookie, $body).await;
            let us = sent.elapsed().as_micros() as u64;
            match outcome {
                Ok(body) => {
                    sitting.samples.push(Sample {
                        kind,
                        sent_ms: sent.saturating_duration_since(origin).as_secs_f64() * 1000.0,
                        us,
                    });
                    body
                }
                Err(text) => {
                    sitting.error = Some((kind, text));
                    return sitting;
                }
            }
        }};
    }
    macro_rules! fail {
        ($kind:expr, $text:expr) => {{
            sitting.error = Some(($kind, $text));
            return sitting;
        }};
    }

    let body = timed!(Kind::Start, Body::Form(format!("exam={exam}")));
    let attempt: AttemptId = match serde_json::from_slice(&body) {
        Ok(attempt) => attempt,
        Err(_) => fail!(
            Kind::Start,
            format!("unexpected start answer: {}", excerpt(&body))
        ),
    };
    sitting.attempt = Some(attempt);

    let body = timed!(Kind::Paper, Body::Form(format!("attempt={attempt}")));
    let paper: PaperView = match serde_json::from_slice(&body) {
        Ok(paper) => paper,
        Err(e) => fail!(
            Kind::Paper,
            format!("unexpected paper ({e}): {}", excerpt(&body))
        ),
    };
    if paper.closed || paper.questions.is_empty() {
        fail!(
            Kind::Paper,
            format!(
                "the paper is closed or empty ({} questions)",
                paper.questions.len()
            )
        );
    }
    sitting.questions = paper.questions.len();

    for question in &paper.questions {
        if think_ms > 0 {
            let pause = rng.random_range(0..=think_ms);
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
        let response = answer_for(question, &mut rng);
        let body = timed!(
            Kind::Save,
            Body::Json(json!({ "attempt": attempt, "answers": [[question.position, response]] }))
        );
        match serde_json::from_slice::<SaveAck>(&body) {
            Ok(ack) if ack.saved == 1 => sitting.saved.push((question.position, response)),
            _ => fail!(
                Kind::Save,
                format!("unexpected save answer: {}", excerpt(&body))
            ),
        }
    }

    let body = timed!(
        Kind::Submit,
        Body::Json(json!({ "attempt": attempt, "answers": [] }))
    );
    if body.as_slice() != b"null" {
        fail!(
            Kind::Submit,
            format!("unexpected submit answer: {}", excerpt(&body))
        );
    }
    sitting.done = true;
    sitting
}

/// The CPU's model name, where Linux says it.
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, name)| name.trim().to_owned())
}

/// The 1-minute load average before the run, where Linux says it: anything
/// else running on the machine shows here.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// CPU time (in clock ticks, 1/100 s on Linux) the whole machine and this
/// process have used so far, where Linux says it: their difference over the
/// run is what other programs took from the two cores.
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait.
    let machine: u64 = fields
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, v)| v)
        .sum();
    let own = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = own.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some((machine, user + system))
}

/// What the database holds after the run, for the measured learners.
#[derive(Default)]
struct Check {
    attempts: i64,
    graded_by_learner: i64,
    items: i64,
    items_answered: i64,
    items_scored: i64,
    /// Sittings whose attempt, items or answers are not what was acknowledged.
    mismatches: Vec<String>,
}

async fn check(store: &Store, exam: ExamId, sittings: &[Sitting]) -> Result<Check, BoxError> {
    let pattern = format!("{USERNAME_PREFIX}0%");
    let pool = store.pool_for_tests();
    let (attempts, graded_by_learner): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.submitted_at IS NOT NULL \
         AND a.closed_by = 'learner' AND a.score IS NOT NULL THEN 1 ELSE 0 END), 0) \
         FROM attempts a JOIN users u ON u.id = a.user_id \
         WHERE a.exam_id = $1 AND u.username LIKE $2",
    )
    .bind(exam.0)
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let (items, items_answered, items_scored): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(i.response), COUNT(i.score) FROM attempt_items i \
         JOIN attempts a ON a.id = i.attempt_id JOIN users u ON u.id = a.user_id \
         WHERE a.exam_id = $1 AND u.username LIKE $2",
    )
    .bind(exam.0)
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let mut mismatches = Vec::new();
    for sitting in sittings {
        let Some(attempt) = sitting.attempt else {
            mismatches.push(format!("user {}: no attempt", sitting.user));
            continue;
        };
        let record = store.attempt(attempt).await?;
        if record.user != sitting.user || record.exam != exam {
            mismatches.push(format!("attempt {attempt}: someone else's"));
        }
        if sitting.done
            && (record.closed_by.as_deref() != Some("learner") || record.score.is_none())
        {
            mismatches.push(format!("attempt {attempt}: handed in but not graded"));
        }
        let stored = store.attempt_items(attempt).await?;
        if sitting.questions > 0 && stored.len() != sitting.questions {
            mismatches.push(format!(
                "attempt {attempt}: {} items, the paper showed {}",
                stored.len(),
                sitting.questions
            ));
        }
        for (position, response) in &sitting.saved {
            let held = stored
                .iter()
                .find(|item| item.position == *position)
                .and_then(|item| item.response.as_ref());
            if held != Some(response) {
                mismatches.push(format!(
                    "attempt {attempt} position {position}: acknowledged {response:?}, stored {held:?}"
                ));
            }
        }
        if sitting.done && stored.iter().any(|item| item.score.is_none()) {
            mismatches.push(format!("attempt {attempt}: an item without a score"));
        }
    }
    Ok(Check {
        attempts,
        graded_by_learner,
        items,
        items_answered,
        items_scored,
        mismatches,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("exam bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let dir = tempfile::tempdir()?;
    let mut config = Config::local(dir.path());
    // Quiet, so that logging does not skew the figures; warnings and errors
    // still show.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log_level))
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();

    let fresh = match &settings.database_url {
        Some(admin_url) => {
            let fresh = FreshDatabase::create(admin_url).await?;
            config.database_url = Secret::new(fresh.url.clone());
            Some(fresh)
        }
        None => None,
    };
    let outcome = bench(&settings, &config, dir.path(), fresh.is_some()).await;
    if let Some(fresh) = &fresh
        && let Err(error) = fresh.drop_now().await
    {
        eprintln!("could not drop the database {}: {error}", fresh.name);
    }
    outcome
}

/// Latency figures of one kind of request.
struct Figures {
    sorted_us: Vec<u64>,
    errors: u64,
    /// From the first request of this kind sent to the last one answered, in
    /// ms after the first start slot.
    first_sent_ms: f64,
    last_answered_ms: f64,
}

impl Figures {
    /// Requests per second while this kind was being sent.
    fn per_s(&self) -> f64 {
        let span_s = (self.last_answered_ms - self.first_sent_ms) / 1000.0;
        self.sorted_us.len() as f64 / span_s.max(0.001)
    }

    fn json(&self) -> serde_json::Value {
        let us = &self.sorted_us;
        json!({
            "requests": us.len(),
            "per_s_while_sent": round2(self.per_s()),
            "sent_from_s": round2(self.first_sent_ms / 1000.0),
            "answered_until_s": round2(self.last_answered_ms / 1000.0),
            "p50_ms": round2(percentile_ms(us, 50.0)),
            "p95_ms": round2(percentile_ms(us, 95.0)),
            "p99_ms": round2(percentile_ms(us, 99.0)),
            "max_ms": round2(percentile_ms(us, 100.0)),
            "mean_ms": round2(mean_ms(us)),
            "errors": self.errors,
        })
    }
}

async fn bench(
    settings: &Settings,
    config: &Config,
    dir: &std::path::Path,
    postgres: bool,
) -> Result<(), BoxError> {
    let backend = if postgres { "postgres" } else { "sqlite" };
    let fsync_ms = if postgres {
        None
    } else {
        Some(fsync_probe_ms(dir)?)
    };

    let store = server::open_store(config).await?;
    let media = server::open_media(config)?;
    server::demo::load(&store, media.as_ref()).await?;
    let listener = server::bind(config).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let urls = Arc::new(Urls {
        start: format!("{base}/api/exams/start"),
        paper: format!("{base}/api/attempts/paper"),
        save: format!("{base}/api/attempts/save"),
        submit: format!("{base}/api/attempts/submit"),
    });
    {
        let config = config.clone();
        let store = store.clone();
        tokio::spawn(async move {
            if let Err(error) = server::serve(&config, store, listener).await {
                eprintln!("the server stopped: {error}");
            }
        });
    }

    let (exam, class) = demo_exam(&store).await?;
    eprintln!(
        "seeding {} learners in the demo class ({backend}) …",
        settings.learners
    );
    let mut learners = seed(&store, class, settings.learners).await?;
    let probe = learners.pop().ok_or("no probe learner")?;
    let clients = learners
        .iter()
        .map(|_| client())
        .collect::<Result<Vec<_>, _>>()?;

    // One sitting first, not measured: if an endpoint is missing or failing,
    // say so plainly instead of reporting a run of errors.
    {
        let now = Instant::now();
        let plan = Plan {
            exam,
            origin: now,
            start_at: now,
            think_ms: 0,
            seed: 0,
        };
        let trial = sit(probe, client()?, urls.clone(), plan).await;
        if let Some((kind, text)) = trial.error {
            return Err(format!("the trial sitting failed at {}: {text}", kind.name()).into());
        }
    }

    eprintln!(
        "{} learners start within {} s, think 0–{} ms before each answer …",
        settings.learners, settings.start_seconds, settings.think_ms
    );
    let count = learners.len();
    let load_before = load_average();
    let ticks_before = cpu_ticks();
    let origin = Instant::now() + Duration::from_millis(500);
    let tasks: Vec<_> = learners
        .into_iter()
        .zip(clients)
        .enumerate()
        .map(|(i, (learner, client))| {
            let slot = settings.start_seconds * i as f64 / count as f64;
            let plan = Plan {
                exam,
                origin,
                start_at: origin + Duration::from_secs_f64(slot),
                think_ms: settings.think_ms,
                seed: settings.seed.wrapping_mul(1_000_003).wrapping_add(i as u64),
            };
            tokio::spawn(sit(learner, client, urls.clone(), plan))
        })
        .collect();
    let mut sittings = Vec::with_capacity(count);
    for task in tasks {
        sittings.push(task.await?);
    }
    let wall_s = origin.elapsed().as_secs_f64();
    // CPU seconds over the run: this process (server and load generator), and
    // everything else on the machine.
    let (own_cpu_s, other_cpu_s) = match (ticks_before, cpu_ticks()) {
        (Some((machine0, own0)), Some((machine1, own1))) => {
            let own = own1.saturating_sub(own0);
            let machine = machine1.saturating_sub(machine0);
            (
                Some(own as f64 / 100.0),
                Some(machine.saturating_sub(own) as f64 / 100.0),
            )
        }
        _ => (None, None),
    };

    eprintln!("checking the database …");
    let checked = check(&store, exam, &sittings).await?;
    store.close().await;

    // Figures per kind of request.
    let mut figures: Vec<Figures> = KINDS
        .iter()
        .map(|_| Figures {
            sorted_us: Vec::new(),
            errors: 0,
            first_sent_ms: f64::MAX,
            last_answered_ms: 0.0,
        })
        .collect();
    let mut samples: Vec<String> = Vec::new();
    for sitting in &sittings {
        for sample in &sitting.samples {
            if let Some(f) = figures.get_mut(sample.kind.index()) {
                f.sorted_us.push(sample.us);
                f.first_sent_ms = f.first_sent_ms.min(sample.sent_ms);
                f.last_answered_ms = f
                    .last_answered_ms
                    .max(sample.sent_ms + sample.us as f64 / 1000.0);
            }
        }
        if let Some((kind, text)) = &sitting.error {
            if let Some(f) = figures.get_mut(kind.index()) {
                f.errors += 1;
            }
            let text = format!("{}: {text}", kind.name());
            if samples.len() < ERROR_SAMPLES && !samples.contains(&text) {
                samples.push(text);
            }
        }
    }
    for f in &mut figures {
        f.sorted_us.sort_unstable();
    }
    let errors: u64 = figures.iter().map(|f| f.errors).sum();
    let completed = sittings.iter().filter(|s| s.done).count();
    let answers_acknowledged: usize = sittings.iter().map(|s| s.saved.len()).sum();
    let questions_per_paper: Vec<usize> = {
        let mut sizes: Vec<usize> = sittings.iter().map(|s| s.questions).collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    };

    // Per second of the run (by when a request was sent): how many of each
    // kind and their p99, to show where any slowness sits.
    let seconds = (wall_s.ceil() as usize).max(1);
    let mut buckets: Vec<[Vec<u64>; 4]> = (0..seconds).map(|_| Default::default()).collect();
    for sample in sittings.iter().flat_map(|s| &s.samples) {
        let second = ((sample.sent_ms / 1000.0) as usize).min(seconds - 1);
        if let Some(bucket) = buckets.get_mut(second)
            && let Some(list) = bucket.get_mut(sample.kind.index())
        {
            list.push(sample.us);
        }
    }
    let timeline: Vec<serde_json::Value> = buckets
        .iter_mut()
        .enumerate()
        .map(|(second, bucket)| {
            let mut row = serde_json::Map::new();
            row.insert("second".into(), json!(second));
            for kind in KINDS {
                if let Some(list) = bucket.get_mut(kind.index()) {
                    list.sort_unstable();
                    row.insert(kind.name().into(), json!(list.len()));
                    row.insert(
                        format!("{}_p99_ms", kind.name()),
                        json!(round2(percentile_ms(list, 99.0))),
                    );
                }
            }
            serde_json::Value::Object(row)
        })
        .collect();

    let figure = |kind: Kind| figures.get(kind.index());
    let p99 = |kind: Kind| figure(kind).map_or(0.0, |f| percentile_ms(&f.sorted_us, 99.0));
    let expected_items = (count * questions_per_paper.first().copied().unwrap_or(0)) as i64;
    let database_ok = checked.mismatches.is_empty()
        && checked.attempts == count as i64
        && checked.graded_by_learner == count as i64
        && questions_per_paper.len() == 1
        && checked.items == expected_items
        && checked.items_answered == expected_items
        && checked.items_scored == expected_items;
    let met = p99(Kind::Start) < TARGET_START_P99_MS
        && p99(Kind::Save) < TARGET_SAVE_P99_MS
        && errors == 0
        && completed == count
        && database_ok;
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };

    let mut by_kind = serde_json::Map::new();
    for kind in KINDS {
        if let Some(f) = figure(kind) {
            by_kind.insert(kind.name().into(), f.json());
        }
    }
    let result = json!({
        "backend": backend,
        "profile": profile,
        "cores": cores,
        "cpu": cpu_model(),
        "disk_fsync_p50_ms": fsync_ms.map(round2),
        "load_average_before": load_before,
        "cpu_s_this_process": own_cpu_s.map(round2),
        "cpu_s_other_processes": other_cpu_s.map(round2),
        "exam": EXAM_TITLE,
        "learners": count,
        "start_window_s": settings.start_seconds,
        "think_ms_max": settings.think_ms,
        "seed": settings.seed,
        "questions_per_paper": questions_per_paper,
        "wall_s": round2(wall_s),
        "requests": by_kind,
        "errors": errors,
        "error_samples": samples,
        "sittings_completed": completed,
        "answers_acknowledged": answers_acknowledged,
        "database": {
            "attempts": checked.attempts,
            "graded_by_learner": checked.graded_by_learner,
            "items": checked.items,
            "items_answered": checked.items_answered,
            "items_scored": checked.items_scored,
            "mismatches": checked.mismatches.len(),
            "mismatch_samples": checked.mismatches.iter().take(ERROR_SAMPLES).collect::<Vec<_>>(),
            "ok": database_ok,
        },
        "timeline": timeline,
        "target": {
            "start_p99_ms": TARGET_START_P99_MS,
            "save_p99_ms": TARGET_SAVE_P99_MS,
            "errors": 0,
        },
        "target_met": met,
        "measured_at_unix_s": now_millis() / 1000,
    });
    if let Some(parent) = settings.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&settings.out, serde_json::to_string_pretty(&result)? + "\n")?;

    println!(
        "\n### Exam start ({backend}, {profile}, {count} learners starting within {} s, \
         think 0–{} ms, {wall_s:.1} s in all)\n",
        settings.start_seconds, settings.think_ms
    );
    println!("| request | count | per s while sent | p50 ms | p95 ms | p99 ms | max ms | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for kind in KINDS {
        if let Some(f) = figure(kind) {
            let us = &f.sorted_us;
            println!(
                "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
                kind.route(),
                us.len(),
                f.per_s(),
                percentile_ms(us, 50.0),
                percentile_ms(us, 95.0),
                percentile_ms(us, 99.0),
                percentile_ms(us, 100.0),
                f.errors
            );
        }
    }
    println!(
        "\nDatabase: {} attempts, {} handed in and graded; {} items, {} answered, {} scored; \
         {} mismatches with the acknowledged answers ({answers_acknowledged} acknowledged).",
        checked.attempts,
        checked.graded_by_learner,
        checked.items,
        checked.items_answered,
        checked.items_scored,
        checked.mismatches.len()
    );
    if let (Some(own), Some(other)) = (own_cpu_s, other_cpu_s) {
        println!(
            "CPU over the run: {own:.1} s this process, {other:.1} s other processes \
             (of {:.0} s on {} cores).",
            wall_s * cores as f64,
            cores
        );
    }
    println!(
        "Target p99 start < {TARGET_START_P99_MS:.0} ms, p99 save < {TARGET_SAVE_P99_MS:.0} ms, \
         no errors: {}.",
        if met { "met" } else { "not met" }
    );
    for sample in &samples {
        println!("- error: {sample}");
    }
    for mismatch in checked.mismatches.iter().take(ERROR_SAMPLES) {
        println!("- database: {mismatch}");
    }
    println!("\nWritten to {}", settings.out.display());
    Ok(())
}
