//! Load benchmark of the study heartbeat, run by `make bench`.
//!
//! Starts the real server in this process on a loopback port over a fresh
//! database, seeds learners with sessions and one open study stream each, and
//! drives `POST /api/study/heartbeat` from concurrent keep-alive clients. Every
//! request goes through the whole HTTP stack, the session check and the
//! heartbeat writer's durable group commit before it is answered; an answer
//! counts only if it is a 200 whose `last_seq` is the heartbeat just sent
//! (applied, not skipped as a replay). Then `GET /livez` (no database at all)
//! is driven with the same concurrency: the gap between the two is what the
//! session check and the heartbeat write cost.
//!
//! Each learner's session was last used at a different time in the minute
//! before the run (`BENCH_SESSION_SPREAD_SECONDS`, 60; 0 makes them all
//! fresh), so the session check slides some of them while it runs (a durable
//! write outside the heartbeat writer), as it would in real use.
//!
//! The load generator shares the machine (and this process's runtime) with the
//! server, as any loopback benchmark on a small machine does: its CPU counts
//! against both figures alike.
//!
//! Settings, from the environment:
//! - `BENCH_LEARNERS` (200), `BENCH_CONCURRENCY` (64), `BENCH_SECONDS` (20),
//!   `BENCH_WARMUP_SECONDS` (3), `BENCH_NOOP_SECONDS` (5), `BENCH_NOOP_PATH`
//!   (`/livez`; `/healthz` shows what one database round trip adds). Each
//!   client task owns its own learners (one request in flight per stream, so
//!   sequence numbers arrive in order); with more tasks than learners, the
//!   learners are raised to the number of tasks.
//! - `BENCH_DATABASE_URL`: a PostgreSQL server to run against instead of SQLite,
//!   e.g. `postgres://postgres@127.0.0.1:5432/postgres`. The benchmark creates
//!   a fresh database `bench_<pid>` on that server and drops it at the end.
//!   Unset: SQLite in a temporary directory, with the server's own settings
//!   (WAL, `synchronous = FULL`).
//! - `BENCH_OUT`: where the JSON result goes. Default: the workspace's
//!   `target/bench/heartbeat.json` (next to `make size`'s `target/site`),
//!   whatever `CARGO_TARGET_DIR` says, so that results are found in one place.

use academy_shared::role::Role;
use academy_shared::study::Heartbeat;
use app::store::{NewClass, NewMedia, NewUser, SessionLink, Store, now_millis};
use app::study::api::HeartbeatReply;
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

/// The lesson video's length: two hours.
const DURATION_MS: i64 = 2 * 60 * 60 * 1000;
/// How far the position moves per heartbeat (the player's interval).
const STEP_MS: i64 = 15_000;
/// The target on a 2-core machine with SQLite.
const TARGET_PER_S: f64 = 5000.0;
const TARGET_P99_MS: f64 = 50.0;
/// Distinct error texts kept for the report.
const ERROR_SAMPLES: usize = 5;

struct Settings {
    learners: usize,
    concurrency: usize,
    seconds: f64,
    warmup_seconds: f64,
    noop_seconds: f64,
    noop_path: String,
    session_spread_ms: i64,
    database_url: Option<String>,
    out: PathBuf,
}

impl Settings {
    fn from_env() -> Result<Settings, BoxError> {
        let concurrency = (env_number("BENCH_CONCURRENCY", 64.0)? as usize).max(1);
        let learners = (env_number("BENCH_LEARNERS", 200.0)? as usize).max(concurrency);
        let out = match std::env::var_os("BENCH_OUT") {
            Some(path) => PathBuf::from(path),
            None => {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench/heartbeat.json")
            }
        };
        Ok(Settings {
            learners,
            concurrency,
            seconds: env_number("BENCH_SECONDS", 20.0)?.max(1.0),
            warmup_seconds: env_number("BENCH_WARMUP_SECONDS", 3.0)?,
            noop_seconds: env_number("BENCH_NOOP_SECONDS", 5.0)?.max(1.0),
            session_spread_ms: (env_number("BENCH_SESSION_SPREAD_SECONDS", 60.0)? * 1000.0) as i64,
            noop_path: std::env::var("BENCH_NOOP_PATH")
                .ok()
                .filter(|path| path.starts_with('/'))
                .unwrap_or_else(|| "/livez".into()),
            database_url: std::env::var("BENCH_DATABASE_URL")
                .ok()
                .filter(|url| !url.is_empty()),
            out,
        })
    }
}

/// One learner as a client sees it: the session cookie and the open stream.
struct Learner {
    cookie: String,
    stream_id: i64,
    seq: i64,
}

/// Accounts, sessions, a class with a two-hour video lesson, enrolments and
/// one open stream per learner.
async fn seed(
    store: &Store,
    learners: usize,
    session_spread_ms: i64,
) -> Result<Vec<Learner>, BoxError> {
    let now = now_millis();
    let organizer = store
        .create_users(&[NewUser {
            username: "bench_organizer".into(),
            real_name: "压测承办人".into(),
            password_hash: "not-a-password-hash".into(),
            roles: vec![Role::Organizer],
            ..NewUser::default()
        }])
        .await?
        .first()
        .copied()
        .ok_or("no organizer id")?;
    let accounts: Vec<NewUser> = (1..=learners)
        .map(|n| NewUser {
            username: format!("bench{n:05}"),
            real_name: format!("学员{n}"),
            password_hash: "not-a-password-hash".into(),
            roles: vec![Role::Learner],
            ..NewUser::default()
        })
        .collect();
    let ids = store.create_users(&accounts).await?;

    let media_id = store
        .insert_media(&NewMedia {
            storage_key: "bench/video.mp4".into(),
            kind: academy_shared::media::MediaKind::Video,
            content_type: "video/mp4".into(),
            file_name: "video.mp4".into(),
            size_bytes: 1,
            sha256: "0".repeat(64),
            duration_ms: Some(DURATION_MS),
            uploaded_by: Some(organizer),
            uploaded_at: now,
        })
        .await?;
    let media = store.media(media_id).await?;
    let courseware = store
        .create_courseware(
            &app::store::CoursewareDetails {
                title: "压测课件".into(),
                lecturer_name: "讲师".into(),
                lecturer_id: None,
                topic: "压测".into(),
            },
            organizer,
            now,
        )
        .await?;
    store.set_courseware_video(courseware, &media, now).await?;
    let class = store
        .create_class(
            &NewClass {
                title: "压测班".into(),
                state: academy_shared::class::ClassState::Running,
                idle_prompt_ms: 20 * 60_000,
                max_rate_milli: 2000,
                intro_media_id: None,
                outro_media_id: None,
            },
            organizer,
            now,
        )
        .await?;
    store.add_class_courseware(class, courseware).await?;
    store.enrol(class, &ids, now).await?;

    let policy = app::auth::session::SessionPolicy::default();
    let mut seeded = Vec::with_capacity(ids.len());
    let count = ids.len().max(1) as i64;
    for (i, user) in ids.into_iter().enumerate() {
        let token = app::auth::session::new_token();
        // Sessions last seen at evenly spread times over the past minute, as
        // real ones are: the session check then slides some of them (a write
        // outside the heartbeat writer) all through the run, not all at once
        // or never.
        let seen = now - (i as i64) * session_spread_ms / count;
        store
            .create_session(
                &app::auth::session::token_hash(&token),
                user,
                seen,
                seen + policy.absolute_timeout_ms,
                Some("heartbeat-bench"),
                SessionLink::default(),
            )
            .await?;
        let stream_id = store
            .open_stream(user, class, courseware, 0, "heartbeat-bench", now)
            .await?;
        seeded.push(Learner {
            cookie: format!("{}={token}", app::auth::session::COOKIE_NAME),
            stream_id,
            seq: 0,
        });
    }
    Ok(seeded)
}

/// Where the two kinds of request go.
struct Urls {
    heartbeat: String,
    noop: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Heartbeat,
    Noop,
}

/// What one client task saw during the measured window.
#[derive(Default)]
struct Tally {
    /// Latencies of the answers that counted, in microseconds.
    latencies_us: Vec<u64>,
    /// Non-200 answers and transport failures.
    errors: u64,
    /// 200 answers whose `last_seq` is not the heartbeat just sent.
    not_applied: u64,
    samples: Vec<String>,
}

impl Tally {
    fn error(&mut self, text: String) {
        self.errors += 1;
        if self.samples.len() < ERROR_SAMPLES && !self.samples.contains(&text) {
            self.samples.push(text);
        }
    }

    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        self.errors += other.errors;
        self.not_applied += other.not_applied;
        for sample in other.samples {
            if self.samples.len() < ERROR_SAMPLES && !self.samples.contains(&sample) {
                self.samples.push(sample);
            }
        }
    }
}

fn client() -> Result<reqwest::Client, BoxError> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .pool_max_idle_per_host(4)
        .build()?)
}

fn heartbeat_body(learner: &Learner) -> Result<Vec<u8>, BoxError> {
    let beat = Heartbeat {
        seq: learner.seq,
        // Wraps at the end of the video (a seek back to the start), so that no
        // position is ever past the end and every beat is applied.
        position_ms: learner.seq.saturating_mul(STEP_MS) % DURATION_MS,
        playing: true,
        rate_milli: 1000,
        visible: true,
        idle_paused: false,
        since_interaction_ms: 1000,
    };
    Ok(serde_json::to_vec(
        &json!({ "stream_id": learner.stream_id, "beats": [beat] }),
    )?)
}

/// Sends one request; `Ok(true)` if it counted, `Ok(false)` if the heartbeat
/// was answered but not applied, `Err(text)` on a failure.
async fn send(
    client: &reqwest::Client,
    urls: &Urls,
    route: Route,
    learner: Option<&mut Learner>,
) -> Result<bool, String> {
    let mut expected_seq = 0;
    let request = match (route, learner) {
        (Route::Noop, _) => client.get(&urls.noop),
        (Route::Heartbeat, Some(learner)) => {
            learner.seq += 1;
            expected_seq = learner.seq;
            let body = heartbeat_body(learner).map_err(|e| e.to_string())?;
            client
                .post(&urls.heartbeat)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::ACCEPT, "application/json")
                .header(reqwest::header::COOKIE, learner.cookie.as_str())
                .body(body)
        }
        (Route::Heartbeat, None) => return Err("no learner for a heartbeat".into()),
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
        let text = String::from_utf8_lossy(&body);
        let text: String = text.chars().take(300).collect();
        return Err(format!("HTTP {status}: {text}"));
    }
    if route == Route::Noop {
        return Ok(true);
    }
    let reply: HeartbeatReply = serde_json::from_slice(&body).map_err(|e| {
        format!(
            "unexpected heartbeat answer ({e}): {}",
            String::from_utf8_lossy(&body)
                .chars()
                .take(300)
                .collect::<String>()
        )
    })?;
    Ok(reply.last_seq == expected_seq)
}

/// Phase timing shared by the client tasks.
#[derive(Clone, Copy)]
struct Window {
    start: Instant,
    end: Instant,
}

/// One client task: sends requests one after another until the window ends,
/// cycling over its own learners, and tallies those started inside it.
async fn client_task(
    urls: Arc<Urls>,
    route: Route,
    mut learners: Vec<Learner>,
    window: Window,
) -> (Tally, Vec<Learner>) {
    let mut tally = Tally::default();
    let client = match client() {
        Ok(client) => client,
        Err(error) => {
            tally.error(format!("cannot build a client: {error}"));
            return (tally, learners);
        }
    };
    let mut next = 0;
    loop {
        let started = Instant::now();
        if started >= window.end {
            break;
        }
        let learner = if learners.is_empty() {
            None
        } else {
            next = (next + 1) % learners.len();
            learners.get_mut(next)
        };
        let outcome = send(&client, &urls, route, learner).await;
        let elapsed = started.elapsed();
        if started < window.start {
            continue;
        }
        match outcome {
            Ok(true) => tally.latencies_us.push(elapsed.as_micros() as u64),
            Ok(false) => tally.not_applied += 1,
            Err(text) => tally.error(text),
        }
    }
    (tally, learners)
}

/// Runs `concurrency` client tasks for warm-up plus `seconds`.
async fn drive(
    urls: &Arc<Urls>,
    route: Route,
    groups: Vec<Vec<Learner>>,
    warmup: f64,
    seconds: f64,
) -> Result<(Tally, Vec<Vec<Learner>>, f64), BoxError> {
    let start = Instant::now() + Duration::from_secs_f64(warmup);
    let window = Window {
        start,
        end: start + Duration::from_secs_f64(seconds),
    };
    let tasks: Vec<_> = groups
        .into_iter()
        .map(|group| tokio::spawn(client_task(urls.clone(), route, group, window)))
        .collect();
    let mut tally = Tally::default();
    let mut groups = Vec::with_capacity(tasks.len());
    for task in tasks {
        let (part, group) = task.await?;
        tally.merge(part);
        groups.push(group);
    }
    tally.latencies_us.sort_unstable();
    Ok((tally, groups, seconds))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("heartbeat bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let dir = tempfile::tempdir()?;
    let mut config = Config::local(dir.path());
    // Quiet, so that logging does not skew the figures; warnings and errors
    // (a failing writer, refused requests) still show.
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
    let outcome = bench(&settings, &config, dir.path(), fresh.as_ref()).await;
    if let Some(fresh) = &fresh
        && let Err(error) = fresh.drop_now().await
    {
        eprintln!("could not drop the database {}: {error}", fresh.name);
    }
    outcome
}

async fn bench(
    settings: &Settings,
    config: &Config,
    dir: &std::path::Path,
    fresh: Option<&FreshDatabase>,
) -> Result<(), BoxError> {
    let backend = if fresh.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let fsync_ms = if fresh.is_none() {
        Some(fsync_probe_ms(dir)?)
    } else {
        None
    };

    let store = server::open_store(config).await?;
    let listener = server::bind(config).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let urls = Arc::new(Urls {
        heartbeat: format!("{base}/api/study/heartbeat"),
        noop: format!("{base}{}", settings.noop_path),
    });
    let noop_route = format!("GET {}", settings.noop_path);
    {
        let config = config.clone();
        let store = store.clone();
        tokio::spawn(async move {
            if let Err(error) = server::serve(&config, store, listener).await {
                eprintln!("the server stopped: {error}");
            }
        });
    }

    eprintln!("seeding {} learners ({backend}) …", settings.learners);
    let mut learners = seed(&store, settings.learners, settings.session_spread_ms).await?;

    // One heartbeat first: if the endpoint is missing or failing, say so
    // plainly instead of reporting a run of errors.
    {
        let client = client()?;
        let first = learners.first_mut().ok_or("no learners")?;
        match send(&client, &urls, Route::Heartbeat, Some(first)).await {
            Ok(true) => {}
            Ok(false) => return Err("the first heartbeat was answered but not applied".into()),
            Err(text) => return Err(format!("the first heartbeat failed: {text}").into()),
        }
        match send(&client, &urls, Route::Noop, None).await {
            Ok(_) => {}
            Err(text) => return Err(format!("{noop_route} failed: {text}").into()),
        }
    }

    // Each task owns every concurrency-th learner.
    let mut groups: Vec<Vec<Learner>> = (0..settings.concurrency).map(|_| Vec::new()).collect();
    for (i, learner) in learners.drain(..).enumerate() {
        if let Some(group) = groups.get_mut(i % settings.concurrency) {
            group.push(learner);
        }
    }

    eprintln!(
        "heartbeats: {} clients, {} s warm-up, {} s measured …",
        settings.concurrency, settings.warmup_seconds, settings.seconds
    );
    let wal_before = match fresh {
        Some(fresh) => Some(fresh.wal_syncs().await?),
        None => None,
    };
    let (beats, groups, beat_seconds) = drive(
        &urls,
        Route::Heartbeat,
        groups,
        settings.warmup_seconds,
        settings.seconds,
    )
    .await?;

    eprintln!("no-op: {} s …", settings.noop_seconds);
    let noop_groups: Vec<Vec<Learner>> = (0..settings.concurrency).map(|_| Vec::new()).collect();
    let (noop, _, noop_seconds) =
        drive(&urls, Route::Noop, noop_groups, 1.0, settings.noop_seconds).await?;
    // The no-op phase writes nothing and gives the server's statistics time
    // to be flushed, so the count covers the heartbeat phase (and its warm-up).
    let wal_syncs = match (fresh, wal_before) {
        (Some(fresh), Some(before)) => Some(fresh.wal_syncs().await? - before),
        _ => None,
    };
    let sent_total: i64 = groups.iter().flatten().map(|l| l.seq).sum();
    store.close().await;

    let heartbeats = beats.latencies_us.len();
    let per_s = heartbeats as f64 / beat_seconds;
    let p50 = percentile_ms(&beats.latencies_us, 50.0);
    let p99 = percentile_ms(&beats.latencies_us, 99.0);
    let noop_per_s = noop.latencies_us.len() as f64 / noop_seconds;
    let met = per_s >= TARGET_PER_S && p99 < TARGET_P99_MS && beats.errors == 0;
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };

    let result = json!({
        "backend": backend,
        "profile": profile,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "learners": settings.learners,
        "session_spread_s": settings.session_spread_ms as f64 / 1000.0,
        "concurrency": settings.concurrency,
        "warmup_s": settings.warmup_seconds,
        "duration_s": beat_seconds,
        "heartbeats": heartbeats,
        "heartbeats_per_s": round2(per_s),
        "p50_ms": round2(p50),
        "p90_ms": round2(percentile_ms(&beats.latencies_us, 90.0)),
        "p99_ms": round2(p99),
        "p999_ms": round2(percentile_ms(&beats.latencies_us, 99.9)),
        "max_ms": round2(percentile_ms(&beats.latencies_us, 100.0)),
        "mean_ms": round2(mean_ms(&beats.latencies_us)),
        "errors": beats.errors,
        "not_applied": beats.not_applied,
        "error_samples": beats.samples,
        "heartbeats_sent_incl_warmup": sent_total,
        "noop_route": noop_route,
        "noop_duration_s": noop_seconds,
        "noop_requests": noop.latencies_us.len(),
        "noop_per_s": round2(noop_per_s),
        "noop_p50_ms": round2(percentile_ms(&noop.latencies_us, 50.0)),
        "noop_p99_ms": round2(percentile_ms(&noop.latencies_us, 99.0)),
        "noop_errors": noop.errors,
        "disk_fsync_p50_ms": fsync_ms.map(round2),
        "pg_wal_syncs": wal_syncs,
        "target": { "heartbeats_per_s": TARGET_PER_S, "p99_ms": TARGET_P99_MS },
        "target_met": met,
        "measured_at_unix_s": now_millis() / 1000,
    });
    if let Some(parent) = settings.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&settings.out, serde_json::to_string_pretty(&result)? + "\n")?;

    println!(
        "\n### Heartbeat load ({backend}, {profile}, {} learners, {} concurrent, {beat_seconds} s)\n",
        settings.learners, settings.concurrency
    );
    println!("| route | requests/s | p50 ms | p99 ms | errors |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| POST /api/study/heartbeat | {per_s:.0} | {p50:.2} | {p99:.2} | {} |",
        beats.errors + beats.not_applied
    );
    println!(
        "| {noop_route} (no-op) | {noop_per_s:.0} | {:.2} | {:.2} | {} |",
        percentile_ms(&noop.latencies_us, 50.0),
        percentile_ms(&noop.latencies_us, 99.0),
        noop.errors
    );
    println!(
        "\nTarget ≥ {TARGET_PER_S:.0} heartbeats/s at p99 < {TARGET_P99_MS:.0} ms: {}.",
        if met { "met" } else { "not met" }
    );
    for sample in &beats.samples {
        println!("- error: {sample}");
    }
    println!("\nWritten to {}", settings.out.display());
    Ok(())
}
