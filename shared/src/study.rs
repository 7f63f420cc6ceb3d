//! Study time the server credits: every credited minute was really studied.
//!
//! While a lesson page is open the browser player sends a [`Heartbeat`] every
//! [`StudyRules::heartbeat_interval_ms`]; the server applies each one with
//! [`apply_heartbeat`]. Everything in a heartbeat comes from the browser and may
//! be forged, so the only thing trusted is the server's own clock: credit is
//! paid out of the wall-clock time that really passed on the server, and only
//! while the heartbeats say the lesson was playing, visible, attended and at an
//! allowed speed. Whatever a client claims, a stream never earns more credit
//! than the wall-clock time it existed.
//!
//! All times are milliseconds as `i64`; playback rates are thousandths
//! (1000 = 1.0x). Arithmetic saturates: forged extreme values are refused or
//! earn nothing, they never panic or wrap.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The slowest playback rate a player may report (0.25x).
pub const MIN_RATE_MILLI: i64 = 250;
/// The fastest playback rate a player may report at all (16x); faster is a forgery.
pub const MAX_ANY_RATE_MILLI: i64 = 16_000;
/// How far past the end a reported position may lie: the player's idea of the
/// duration and the server's can differ by a frame or a rounding.
pub const POSITION_TOLERANCE_MS: i64 = 1000;
/// The least slack the seek check allows: heartbeats arrive with network jitter,
/// so media progress may briefly run ahead of the server's clock.
pub const MIN_SEEK_TOLERANCE_MS: i64 = 2000;
/// A saved position this close to the end resumes from the start: the lesson
/// was finished, and reopening it means watching it again.
pub const RESTART_NEAR_END_MS: i64 = 3000;

/// How heartbeats are turned into credit. Set per class where noted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudyRules {
    /// How often the player sends a heartbeat while the lesson page is open.
    pub heartbeat_interval_ms: i64,
    /// Share of the lesson (in thousandths) that must have been watched for it
    /// to count as complete: a few seconds missed to buffering must not matter.
    pub completion_coverage_permille: i64,
    /// Per class: the fastest playback rate (thousandths) that still earns credit.
    pub max_rate_milli: i64,
    /// Per class: time without any interaction after which playing no longer
    /// counts (the learner has walked away).
    pub idle_limit_ms: i64,
    /// Wall-clock time older than this is never credited. It caps what a queue
    /// of heartbeats recorded offline can earn when it is replayed at once.
    pub max_budget_ms: i64,
    /// A stream that sent nothing for this long loses its claim to the
    /// learner's single credit lease, so another page may take it.
    pub stream_lease_ms: i64,
}

impl StudyRules {
    pub const DEFAULT: StudyRules = StudyRules {
        heartbeat_interval_ms: 15_000,
        completion_coverage_permille: 950,
        max_rate_milli: 2000,
        idle_limit_ms: 20 * 60_000,
        max_budget_ms: 10 * 60_000,
        stream_lease_ms: 45_000,
    };
}

impl Default for StudyRules {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What the player reports, every heartbeat interval, while a lesson page is open
/// (also while paused: that is what keeps paused time from being credited later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// Per stream, starts at 1 and grows by 1 with every heartbeat the client
    /// makes (also those queued offline), so each is applied at most once.
    pub seq: i64,
    /// The media position now.
    pub position_ms: i64,
    /// Whether the media is playing (not paused, not ended).
    pub playing: bool,
    /// The playback rate in thousandths.
    pub rate_milli: i64,
    /// Whether the page is visible (not a background tab, not a locked screen).
    pub visible: bool,
    /// Whether the "are you still there?" prompt is showing.
    pub idle_paused: bool,
    /// Client-measured time since the last click, key press or touch.
    pub since_interaction_ms: i64,
}

/// Per stream (one opened lesson page), kept by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamState {
    /// The last applied heartbeat's `seq`; 0 before the first.
    pub last_seq: i64,
    /// The media position at the last applied heartbeat (at first the resume position).
    pub last_position_ms: i64,
    /// Server time up to which wall-clock time has been used for credit or discarded.
    pub credit_clock_ms: i64,
}

impl StreamState {
    /// A stream opened at `server_now_ms`, playing from `start_position_ms`:
    /// no wall-clock time before it was opened can be credited to it.
    pub fn new(start_position_ms: i64, server_now_ms: i64) -> Self {
        StreamState {
            last_seq: 0,
            last_position_ms: start_position_ms,
            credit_clock_ms: server_now_ms,
        }
    }
}

/// Per learner and lesson, kept by the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// The media intervals really watched (merged).
    pub watched: Intervals,
    /// Study time credited for this lesson.
    pub credited_ms: i64,
    /// Playback memory: where the learner was, to resume from.
    pub position_ms: i64,
}

/// Sorted, disjoint half-open intervals `[start, end)` with `start < end`;
/// overlapping or touching intervals are merged, so each covered stretch of
/// media is one pair and the text kept in storage stays short.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<(i64, i64)>", into = "Vec<(i64, i64)>")]
pub struct Intervals(Vec<(i64, i64)>);

impl Intervals {
    pub fn new() -> Self {
        Intervals(Vec::new())
    }

    /// Any pairs, in any order: empty and inverted ones are dropped, the rest
    /// sorted and merged where they overlap or touch.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (i64, i64)>) -> Self {
        let mut pairs: Vec<(i64, i64)> = pairs.into_iter().filter(|(s, e)| s < e).collect();
        pairs.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(pairs.len());
        for (start, end) in pairs {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Intervals(merged)
    }

    /// Adds `[start, end)`, merging it with whatever it overlaps or touches.
    /// An empty or inverted interval adds nothing.
    pub fn add(&mut self, start: i64, end: i64) {
        if start >= end {
            return;
        }
        // The pairs that overlap or touch [start, end] form one run, first..last.
        let first = self.0.partition_point(|&(_, e)| e < start);
        let last = self.0.partition_point(|&(s, _)| s <= end);
        if first == last {
            self.0.insert(first, (start, end));
        } else {
            let merged = (start.min(self.0[first].0), end.max(self.0[last - 1].1));
            self.0.splice(first..last, [merged]);
        }
    }

    /// The total length covered.
    pub fn covered_ms(&self) -> i64 {
        self.0
            .iter()
            .fold(0i64, |sum, &(s, e)| sum.saturating_add(e.saturating_sub(s)))
    }

    pub fn pairs(&self) -> &[(i64, i64)] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Only what lies within `[0, duration_ms]`: stored data may come from an
    /// older, longer version of a lesson's video.
    pub fn clamped(&self, duration_ms: i64) -> Intervals {
        Intervals::from_pairs(self.0.iter().map(|&(s, e)| (s.max(0), e.min(duration_ms))))
    }

    /// The compact form kept in storage: `0-15000,30000-45000`; empty if nothing.
    pub fn to_text(&self) -> String {
        self.to_string()
    }

    /// Reads [`Intervals::to_text`]'s form. Blank text (and blank pieces between
    /// commas) mean nothing; pairs may come in any order and overlap. A piece
    /// that is not two integers with `start <= end` is an error.
    pub fn parse_text(text: &str) -> Result<Intervals, IntervalsParseError> {
        let mut pairs = Vec::new();
        for piece in text.split(',') {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let bad = || IntervalsParseError(piece.to_owned());
            // The separator is the first '-' after the first character, which
            // may itself be the sign of a negative start.
            let split = piece
                .char_indices()
                .skip(1)
                .find(|&(_, c)| c == '-')
                .map(|(i, _)| i)
                .ok_or_else(bad)?;
            let start: i64 = piece[..split].trim().parse().map_err(|_| bad())?;
            let end: i64 = piece[split + 1..].trim().parse().map_err(|_| bad())?;
            if start > end {
                return Err(bad());
            }
            pairs.push((start, end));
        }
        Ok(Intervals::from_pairs(pairs))
    }
}

impl From<Vec<(i64, i64)>> for Intervals {
    /// Normalises, so data from the browser or storage cannot break the invariant.
    fn from(pairs: Vec<(i64, i64)>) -> Self {
        Intervals::from_pairs(pairs)
    }
}

impl From<Intervals> for Vec<(i64, i64)> {
    fn from(intervals: Intervals) -> Self {
        intervals.0
    }
}

impl fmt::Display for Intervals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (start, end)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{start}-{end}")?;
        }
        Ok(())
    }
}

impl FromStr for Intervals {
    type Err = IntervalsParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Intervals::parse_text(s)
    }
}

/// A piece of stored interval text that is not `start-end`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid interval `{0}`")]
pub struct IntervalsParseError(pub String);

/// Why a heartbeat changed nothing at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignored {
    /// `seq` is not after the last applied one: already applied (a retry or a
    /// replay), or overtaken by a newer one. Each heartbeat counts at most once.
    Replayed,
    /// A value no real player sends; the text names which (see [`INVALID_REASONS`]).
    Invalid(&'static str),
}

/// The texts [`Ignored::Invalid`] carries.
pub const INVALID_REASONS: [&str; 4] = ["seq", "position", "rate", "since_interaction"];

/// How [`Ignored`] travels: the reason as an owned string, mapped back to one of
/// [`INVALID_REASONS`] on arrival (anything else reads as `"invalid"`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum IgnoredWire {
    Replayed,
    Invalid(String),
}

// By hand rather than `#[serde(from, into)]`: the derive would tie the
// deserializer's lifetime to the `&'static str`.
impl Serialize for Ignored {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        IgnoredWire::from(*self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Ignored {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredWire::deserialize(deserializer).map(Ignored::from)
    }
}

impl From<Ignored> for IgnoredWire {
    fn from(ignored: Ignored) -> Self {
        match ignored {
            Ignored::Replayed => IgnoredWire::Replayed,
            Ignored::Invalid(what) => IgnoredWire::Invalid(what.to_owned()),
        }
    }
}

impl From<IgnoredWire> for Ignored {
    fn from(wire: IgnoredWire) -> Self {
        match wire {
            IgnoredWire::Replayed => Ignored::Replayed,
            IgnoredWire::Invalid(what) => Ignored::Invalid(
                INVALID_REASONS
                    .into_iter()
                    .find(|known| *known == what)
                    .unwrap_or("invalid"),
            ),
        }
    }
}

/// Why an applied heartbeat earned no credit. Its wall-clock time is then
/// discarded for good: paused, hidden or idle time never turns into credit later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotCredited {
    /// Paused or ended.
    NotPlaying,
    /// The page is in the background.
    Hidden,
    /// The "are you still there?" prompt is showing.
    IdlePaused,
    /// No interaction for longer than the class's idle limit.
    Idle,
    /// Faster than the class allows.
    RateAboveMax,
    /// More media progress than the wall-clock time allows: a jump forward.
    Seek,
    /// The position did not advance (paused, buffering, or a seek back).
    NoProgress,
    /// No wall-clock time has passed that is not already used.
    NoBudget,
    /// Another page of the same learner holds the credit lease.
    OtherStreamActive,
    /// The class is closed: studying goes on, but earns no more credit.
    ClassClosed,
    /// The lesson has been credited all it can be ([`lesson_credit_cap_ms`]).
    LessonCapReached,
}

impl NotCredited {
    /// A hint the player may show next to the study timer.
    pub const fn label_zh(self) -> &'static str {
        match self {
            NotCredited::NotPlaying => "视频未播放，不计学时",
            NotCredited::Hidden => "页面不在前台，不计学时",
            NotCredited::IdlePaused => "请确认您仍在学习",
            NotCredited::Idle => "长时间无操作，不计学时",
            NotCredited::RateAboveMax => "播放速度超过本班允许的上限，不计学时",
            NotCredited::Seek => "拖动进度跳过的部分不计学时",
            NotCredited::NoProgress => "播放进度未前进，不计学时",
            NotCredited::NoBudget => "正在计时",
            NotCredited::OtherStreamActive => "您正在其他页面或设备上学习，本页不计学时",
            NotCredited::ClassClosed => "本班已结束，不再计学时",
            NotCredited::LessonCapReached => "本课学时已计满",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            NotCredited::NotPlaying => "Not playing: no study time counted",
            NotCredited::Hidden => "Page in the background: no study time counted",
            NotCredited::IdlePaused => "Please confirm you are still studying",
            NotCredited::Idle => "No activity for too long: no study time counted",
            NotCredited::RateAboveMax => "Faster than this class allows: no study time counted",
            NotCredited::Seek => "Skipped parts are not counted",
            NotCredited::NoProgress => "Playback did not advance: no study time counted",
            NotCredited::NoBudget => "Counting",
            NotCredited::OtherStreamActive => {
                "You are studying in another page or device: this one is not counted"
            }
            NotCredited::ClassClosed => "The class is closed: no more study time is counted",
            NotCredited::LessonCapReached => "This lesson's study time is fully counted",
        }
    }
}

/// What one heartbeat did. `credited_ms > 0` exactly when both options are `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// Study time credited by this heartbeat.
    pub credited_ms: i64,
    /// Why it was applied but earned nothing.
    pub reason: Option<NotCredited>,
    /// Why it was not applied at all.
    pub ignored: Option<Ignored>,
}

/// Per learner, kept by the server: the one credit clock that all of a
/// learner's streams (tabs, lessons, devices) draw on. Credit is paid out of
/// wall-clock time after this clock and advances it, so two streams can never
/// both be paid for the same stretch of real time, whatever leases they hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerClock {
    /// Server time up to which the learner's wall-clock time has been credited.
    pub credit_clock_ms: i64,
}

/// What the server knows when a batch of heartbeats arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrival {
    /// The server's clock when the batch arrived.
    pub server_now_ms: i64,
    /// Whether this stream holds the learner's single credit lease (see
    /// [`lease_is_free`]): two open pages never earn at once.
    pub holds_lease: bool,
    /// Whether the class is open to learners: a closed class earns nothing.
    pub class_open: bool,
}

impl StudyRules {
    /// The most wall-clock time one heartbeat can vouch for: two beat
    /// intervals, so a late timer on a weak phone still earns in full. Time
    /// vouched for by no heartbeat (a page that stayed silent) is never paid.
    pub fn beat_span_ms(&self) -> i64 {
        self.heartbeat_interval_ms.max(1).saturating_mul(2)
    }
}

/// The most study time a lesson can ever be credited: watching all of it at
/// the slowest rate a player may report. Watching it again earns up to that.
pub fn lesson_credit_cap_ms(duration_ms: i64) -> i64 {
    let cap = i128::from(duration_ms.max(0)) * 1000 / i128::from(MIN_RATE_MILLI);
    i64::try_from(cap).unwrap_or(i64::MAX)
}

/// Applies one heartbeat: [`apply_heartbeats`] with a batch of one.
pub fn apply_heartbeat(
    rules: &StudyRules,
    duration_ms: i64,
    stream: &mut StreamState,
    learner: &mut LearnerClock,
    progress: &mut LessonProgress,
    hb: &Heartbeat,
    at: Arrival,
) -> Applied {
    apply_heartbeats(
        rules,
        duration_ms,
        stream,
        learner,
        progress,
        std::slice::from_ref(hb),
        at,
    )
    .into_iter()
    .next()
    .unwrap_or(Applied {
        credited_ms: 0,
        reason: None,
        ignored: Some(Ignored::Replayed),
    })
}

/// Applies a batch of heartbeats of one stream, in order, that arrived
/// together at `at.server_now_ms` (one, or an offline queue replayed at once),
/// to the stream, the learner's clock and the learner's progress in the lesson.
///
/// An ignored heartbeat changes nothing. An applied one always saves the
/// position (playback memory). Credit is paid out of wall-clock time that is
/// - after the stream's own clock and after the learner's clock (so all of
///   the learner's streams together never earn more than the time that
///   passed: the credited stretches of real time are disjoint),
/// - within [`StudyRules::max_budget_ms`] before now, and
/// - vouched for by a heartbeat: the batch's `k` last new heartbeats vouch for
///   the last `k` × [`StudyRules::beat_span_ms`], so a stream that was silent
///   banks nothing;
///
/// and never beyond [`lesson_credit_cap_ms`] for the lesson. When a heartbeat
/// credits nothing, the stream's wall-clock time up to now is discarded.
pub fn apply_heartbeats(
    rules: &StudyRules,
    duration_ms: i64,
    stream: &mut StreamState,
    learner: &mut LearnerClock,
    progress: &mut LessonProgress,
    beats: &[Heartbeat],
    at: Arrival,
) -> Vec<Applied> {
    let now = at.server_now_ms;
    let max_budget = rules.max_budget_ms.max(0);
    let span = rules.beat_span_ms();
    let mut results = Vec::with_capacity(beats.len());
    for (index, hb) in beats.iter().enumerate() {
        if let Some(ignored) = check(duration_ms, stream, hb) {
            results.push(Applied {
                credited_ms: 0,
                reason: None,
                ignored: Some(ignored),
            });
            continue;
        }
        // This heartbeat and the new ones after it vouch for this much of the
        // time just before now (a replayed heartbeat vouches for nothing).
        let vouching = beats[index..]
            .iter()
            .filter(|later| later.seq >= hb.seq)
            .count();
        let vouched_from =
            now.saturating_sub(span.saturating_mul(i64::try_from(vouching).unwrap_or(i64::MAX)));
        stream.last_seq = hb.seq;
        progress.position_ms = hb.position_ms;
        let from = stream.last_position_ms;
        stream.last_position_ms = hb.position_ms;

        let floor = stream
            .credit_clock_ms
            .max(learner.credit_clock_ms)
            .max(now.saturating_sub(max_budget))
            .max(vouched_from);
        let available = now.saturating_sub(floor).max(0);
        let room = lesson_credit_cap_ms(duration_ms)
            .saturating_sub(progress.credited_ms)
            .max(0);
        results.push(match credit(rules, from, hb, available, room, at) {
            Ok(credited) => {
                // The credited stretch is [floor, floor + credited): what
                // remains up to now stays available to the batch's later
                // heartbeats (an offline queue), never to another stream.
                let end = floor.saturating_add(credited).min(now);
                stream.credit_clock_ms = end;
                learner.credit_clock_ms = learner.credit_clock_ms.max(end);
                progress.credited_ms = progress.credited_ms.saturating_add(credited);
                progress
                    .watched
                    .add(from.max(0), hb.position_ms.min(duration_ms));
                Applied {
                    credited_ms: credited,
                    reason: None,
                    ignored: None,
                }
            }
            Err(reason) => {
                // Never backwards: should the server's clock step back, time
                // already used must not become available a second time.
                stream.credit_clock_ms = stream.credit_clock_ms.max(now);
                Applied {
                    credited_ms: 0,
                    reason: Some(reason),
                    ignored: None,
                }
            }
        });
    }
    results
}

/// Why `hb` must not be applied at all, if it must not.
fn check(duration_ms: i64, stream: &StreamState, hb: &Heartbeat) -> Option<Ignored> {
    if hb.seq < 1 {
        Some(Ignored::Invalid("seq"))
    } else if hb.seq <= stream.last_seq {
        Some(Ignored::Replayed)
    } else if hb.position_ms < 0
        || hb.position_ms > duration_ms.saturating_add(POSITION_TOLERANCE_MS)
    {
        Some(Ignored::Invalid("position"))
    } else if !(MIN_RATE_MILLI..=MAX_ANY_RATE_MILLI).contains(&hb.rate_milli) {
        Some(Ignored::Invalid("rate"))
    } else if hb.since_interaction_ms < 0 {
        Some(Ignored::Invalid("since_interaction"))
    } else {
        None
    }
}

/// The credit an applied heartbeat earns (always > 0), or why it earns none.
/// `room` is what the lesson may still be credited.
fn credit(
    rules: &StudyRules,
    from_position_ms: i64,
    hb: &Heartbeat,
    available_ms: i64,
    room_ms: i64,
    at: Arrival,
) -> Result<i64, NotCredited> {
    if !at.class_open {
        return Err(NotCredited::ClassClosed);
    }
    if !hb.playing {
        return Err(NotCredited::NotPlaying);
    }
    if !hb.visible {
        return Err(NotCredited::Hidden);
    }
    if hb.idle_paused {
        return Err(NotCredited::IdlePaused);
    }
    if hb.since_interaction_ms > rules.idle_limit_ms {
        return Err(NotCredited::Idle);
    }
    if hb.rate_milli > rules.max_rate_milli {
        return Err(NotCredited::RateAboveMax);
    }
    if !at.holds_lease {
        return Err(NotCredited::OtherStreamActive);
    }
    let progress = hb.position_ms.saturating_sub(from_position_ms);
    if progress <= 0 {
        return Err(NotCredited::NoProgress);
    }
    let need = wall_time_for(progress, hb.rate_milli);
    let tolerance = (available_ms / 10).max(MIN_SEEK_TOLERANCE_MS);
    if need > available_ms.saturating_add(tolerance) {
        return Err(NotCredited::Seek);
    }
    if room_ms <= 0 {
        return Err(NotCredited::LessonCapReached);
    }
    let credited = need.min(available_ms).min(room_ms);
    if credited <= 0 {
        return Err(NotCredited::NoBudget);
    }
    Ok(credited)
}

/// The wall-clock time playing `media_ms` takes at `rate_milli` (> 0), rounded up.
fn wall_time_for(media_ms: i64, rate_milli: i64) -> i64 {
    let rate = i128::from(rate_milli.max(1));
    let wall = (i128::from(media_ms) * 1000 + rate - 1) / rate;
    i64::try_from(wall).unwrap_or(i64::MAX)
}

/// Whether the learner has completed the lesson: watched (nearly) all of it, and
/// been credited at least the time that watching it takes at the class's
/// fastest allowed rate.
///
/// Both thresholds use `completion_coverage_permille`: watching the required
/// share at the fastest rate is all an honest learner can be asked for, and it
/// keeps network jitter at the very end from failing a learner who played the
/// whole lesson at exactly the fastest rate.
pub fn is_complete(rules: &StudyRules, duration_ms: i64, progress: &LessonProgress) -> bool {
    if duration_ms <= 0 {
        return false;
    }
    let permille = i128::from(rules.completion_coverage_permille.clamp(1, 1000));
    let max_rate = i128::from(
        rules
            .max_rate_milli
            .clamp(MIN_RATE_MILLI, MAX_ANY_RATE_MILLI),
    );
    let duration = i128::from(duration_ms);
    let covered = i128::from(progress.watched.clamped(duration_ms).covered_ms());
    let credited = i128::from(progress.credited_ms);
    covered * 1000 >= duration * permille && credited * max_rate >= duration * permille
}

/// Whether a new stream may take the learner's single credit lease: nobody holds
/// it, or its holder has been silent for longer than `stream_lease_ms` (a
/// closed tab sends no goodbye).
pub fn lease_is_free(
    holder_last_seen_ms: Option<i64>,
    server_now_ms: i64,
    rules: &StudyRules,
) -> bool {
    holder_last_seen_ms
        .is_none_or(|seen| server_now_ms.saturating_sub(seen) > rules.stream_lease_ms)
}

/// Where playback starts when a lesson is opened: the saved position, clamped
/// to the lesson, except that a lesson left within its last
/// [`RESTART_NEAR_END_MS`] starts over.
pub fn resume_position_ms(progress_position_ms: i64, duration_ms: i64) -> i64 {
    if duration_ms <= 0 {
        return 0;
    }
    let position = progress_position_ms.clamp(0, duration_ms);
    if position >= duration_ms - RESTART_NEAR_END_MS {
        0
    } else {
        position
    }
}

/// Whole hours, minutes and seconds of `ms` (negative counts as 0, rounded down:
/// a learner is never shown more than was credited).
fn hms(ms: i64) -> (i64, i64, i64) {
    let seconds = ms.max(0) / 1000;
    (seconds / 3600, seconds % 3600 / 60, seconds % 60)
}

/// Study time as the UI shows it: `1小时05分`, `12分30秒`, `45秒`.
pub fn format_study_duration(ms: i64) -> String {
    match hms(ms) {
        (0, 0, s) => format!("{s}秒"),
        (0, m, s) => format!("{m}分{s:02}秒"),
        (h, m, _) => format!("{h}小时{m:02}分"),
    }
}

/// Study time in English: `1 h 05 min`, `12 min 30 s`, `45 s`.
pub fn format_study_duration_en(ms: i64) -> String {
    match hms(ms) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s:02} s"),
        (h, m, _) => format!("{h} h {m:02} min"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    const SEC: i64 = 1000;
    const MIN: i64 = 60 * SEC;
    const R: StudyRules = StudyRules::DEFAULT;

    /// One learner, one lesson, one open page, driven by a test.
    struct Sim {
        rules: StudyRules,
        duration: i64,
        stream: StreamState,
        learner: LearnerClock,
        progress: LessonProgress,
        seq: i64,
        opened_at: i64,
    }

    impl Sim {
        fn new(rules: StudyRules, duration: i64, opened_at: i64) -> Self {
            Sim {
                rules,
                duration,
                stream: StreamState::new(0, opened_at),
                learner: LearnerClock::default(),
                progress: LessonProgress::default(),
                seq: 0,
                opened_at,
            }
        }

        /// A heartbeat of an honest player at 1x; callers adjust fields.
        fn beat(&mut self, position_ms: i64) -> Heartbeat {
            self.seq += 1;
            Heartbeat {
                seq: self.seq,
                position_ms,
                playing: true,
                rate_milli: 1000,
                visible: true,
                idle_paused: false,
                since_interaction_ms: 5 * SEC,
            }
        }

        fn apply(&mut self, hb: &Heartbeat, now: i64) -> Applied {
            self.apply_leased(hb, now, true)
        }

        fn apply_leased(&mut self, hb: &Heartbeat, now: i64, holds_lease: bool) -> Applied {
            apply_heartbeat(
                &self.rules,
                self.duration,
                &mut self.stream,
                &mut self.learner,
                &mut self.progress,
                hb,
                open_at(now, holds_lease),
            )
        }

        /// An offline queue (or any batch) arriving at once.
        fn apply_batch(&mut self, beats: &[Heartbeat], now: i64) -> Vec<Applied> {
            apply_heartbeats(
                &self.rules,
                self.duration,
                &mut self.stream,
                &mut self.learner,
                &mut self.progress,
                beats,
                open_at(now, true),
            )
        }

        fn send(&mut self, position_ms: i64, now: i64) -> Applied {
            let hb = self.beat(position_ms);
            self.apply(&hb, now)
        }

        fn complete(&self) -> bool {
            is_complete(&self.rules, self.duration, &self.progress)
        }
    }

    fn open_at(server_now_ms: i64, holds_lease: bool) -> Arrival {
        Arrival {
            server_now_ms,
            holds_lease,
            class_open: true,
        }
    }

    /// Plays the whole lesson at `rate`: the player's timer fires every interval
    /// (±300 ms) and the network adds 50–350 ms. Returns the server time at the end.
    fn play_honestly(sim: &mut Sim, rate_milli: i64, seed: u64) -> i64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut client = 0;
        let mut now = sim.opened_at;
        loop {
            client += R.heartbeat_interval_ms + rng.random_range(-300..=300);
            let position = (client * rate_milli / 1000).min(sim.duration);
            let at = sim.opened_at + client + rng.random_range(50..=350);
            now = now.max(at);
            let mut hb = sim.beat(position);
            hb.rate_milli = rate_milli;
            let applied = sim.apply(&hb, now);
            assert!(applied.ignored.is_none(), "{applied:?}");
            if position >= sim.duration {
                return now;
            }
        }
    }

    #[test]
    fn honest_half_hour_at_normal_speed_is_credited_and_completes() {
        let mut sim = Sim::new(R, 30 * MIN, 1_000_000);
        let end = play_honestly(&mut sim, 1000, 1);
        assert!(sim.progress.credited_ms >= 29 * MIN, "{:?}", sim.progress);
        assert!(sim.progress.credited_ms <= end - sim.opened_at);
        assert_eq!(sim.progress.watched.pairs(), &[(0, 30 * MIN)]);
        assert!(sim.complete());
    }

    #[test]
    fn honest_watch_at_double_speed_completes_only_where_allowed() {
        let mut sim = Sim::new(R, 30 * MIN, 0);
        play_honestly(&mut sim, 2000, 2);
        let credited = sim.progress.credited_ms;
        assert!((credited - 15 * MIN).abs() <= 2 * SEC, "{credited}");
        assert!(sim.complete());

        let slower = StudyRules {
            max_rate_milli: 1500,
            ..R
        };
        let mut sim = Sim::new(slower, 30 * MIN, 0);
        play_honestly(&mut sim, 2000, 2);
        assert_eq!(sim.progress.credited_ms, 0);
        assert!(!sim.complete());
        // The position is remembered all the same.
        assert_eq!(sim.progress.position_ms, 30 * MIN);
    }

    #[test]
    fn seeking_to_the_end_credits_nothing_for_the_skipped_part() {
        let mut sim = Sim::new(R, 30 * MIN, 0);
        let mut now = 0;
        for _ in 0..20 {
            now += 15 * SEC;
            sim.send(now, now);
        }
        assert_eq!(sim.progress.credited_ms, 5 * MIN);
        now += 15 * SEC;
        let jump = sim.send(30 * MIN - 10 * SEC, now);
        assert_eq!(jump.reason, Some(NotCredited::Seek));
        assert_eq!(jump.credited_ms, 0);
        assert_eq!(sim.progress.position_ms, 30 * MIN - 10 * SEC);
        now += 10 * SEC;
        sim.send(30 * MIN, now);
        assert_eq!(sim.progress.credited_ms, 5 * MIN + 10 * SEC);
        assert_eq!(
            sim.progress.watched.pairs(),
            &[(0, 5 * MIN), (30 * MIN - 10 * SEC, 30 * MIN)]
        );
        assert!(!sim.complete());
    }

    #[test]
    fn claiming_sixteen_times_speed_is_not_credited() {
        let mut sim = Sim::new(R, 30 * MIN, 0);
        let mut hb = sim.beat(4 * MIN);
        hb.rate_milli = 16_000;
        let applied = sim.apply(&hb, 15 * SEC);
        assert_eq!(applied.reason, Some(NotCredited::RateAboveMax));
        assert_eq!(applied.credited_ms, 0);
        assert!(sim.progress.watched.is_empty());
        // Faster than any player can go is not even a heartbeat.
        let mut hb = sim.beat(8 * MIN);
        hb.rate_milli = 32_000;
        assert_eq!(
            sim.apply(&hb, 30 * SEC).ignored,
            Some(Ignored::Invalid("rate"))
        );
    }

    #[test]
    fn a_script_sending_a_hundred_heartbeats_a_second_earns_at_most_real_time() {
        let mut sim = Sim::new(R, 60 * MIN, 0);
        let mut now = 0;
        for i in 1..=240 {
            now += 10;
            sim.send((i * 15 * SEC).min(60 * MIN), now);
        }
        assert!(
            sim.progress.credited_ms <= now,
            "{}",
            sim.progress.credited_ms
        );
        assert!(!sim.complete());
    }

    #[test]
    fn a_replayed_heartbeat_is_ignored() {
        let mut sim = Sim::new(R, 30 * MIN, 0);
        let hb = sim.beat(15 * SEC);
        assert_eq!(sim.apply(&hb, 15 * SEC).credited_ms, 15 * SEC);
        let (stream, progress) = (sim.stream, sim.progress.clone());
        let again = sim.apply(&hb, 30 * SEC);
        assert_eq!(again.ignored, Some(Ignored::Replayed));
        assert_eq!(again.credited_ms, 0);
        assert_eq!((sim.stream, &sim.progress), (stream, &progress));
    }

    #[test]
    fn an_older_heartbeat_after_a_newer_one_is_ignored() {
        let mut sim = Sim::new(R, 30 * MIN, 0);
        let older = sim.beat(15 * SEC);
        let newer = sim.beat(30 * SEC);
        assert_eq!(sim.apply(&newer, 30 * SEC).credited_ms, 30 * SEC);
        let late = sim.apply(&older, 31 * SEC);
        assert_eq!(late.ignored, Some(Ignored::Replayed));
        assert_eq!(sim.progress.position_ms, 30 * SEC);
        assert_eq!(sim.progress.credited_ms, 30 * SEC);
    }

    #[test]
    fn forged_positions_are_invalid() {
        let mut sim = Sim::new(R, 30 * MIN, 0);
        for position in [30 * MIN + 1001, -1, i64::MAX, i64::MIN] {
            let hb = sim.beat(position);
            let applied = sim.apply(&hb, 15 * SEC);
            assert_eq!(applied.ignored, Some(Ignored::Invalid("position")));
        }
        // Within the tolerance past the end is a real player's rounding.
        let hb = sim.beat(30 * MIN + 1000);
        assert_eq!(sim.apply(&hb, 20 * SEC).ignored, None);
        assert_eq!(sim.stream.last_seq, 5);
        assert_eq!(sim.progress.position_ms, 30 * MIN + 1000);
        let mut hb = sim.beat(0);
        hb.since_interaction_ms = -1;
        assert_eq!(
            sim.apply(&hb, 21 * SEC).ignored,
            Some(Ignored::Invalid("since_interaction"))
        );
        hb.seq = 0;
        assert_eq!(
            sim.apply(&hb, 21 * SEC).ignored,
            Some(Ignored::Invalid("seq"))
        );
    }

    #[test]
    fn a_huge_future_seq_counts_once_and_within_real_time() {
        let mut sim = Sim::new(R, 30 * MIN, 0);
        let mut hb = sim.beat(15 * SEC);
        hb.seq = i64::MAX;
        let first = sim.apply(&hb, 15 * SEC);
        assert_eq!(first.credited_ms, 15 * SEC);
        hb.position_ms = 30 * SEC;
        assert_eq!(sim.apply(&hb, 30 * SEC).ignored, Some(Ignored::Replayed));
        let next = sim.send(30 * SEC, 30 * SEC);
        assert_eq!(next.ignored, Some(Ignored::Replayed));
        assert_eq!(sim.progress.credited_ms, 15 * SEC);
    }

    #[test]
    fn idle_time_is_never_credited_not_even_later() {
        for idle in [true, false] {
            let mut sim = Sim::new(R, 60 * MIN, 0);
            let mut now = 0;
            let mut position = 0;
            for _ in 0..8 {
                now += 15 * SEC;
                position += 15 * SEC;
                let mut hb = sim.beat(position);
                if idle {
                    hb.since_interaction_ms = R.idle_limit_ms + 1;
                } else {
                    hb.idle_paused = true;
                }
                let applied = sim.apply(&hb, now);
                let expected = if idle {
                    NotCredited::Idle
                } else {
                    NotCredited::IdlePaused
                };
                assert_eq!(applied.reason, Some(expected));
            }
            // Back at the screen: only the time since the last heartbeat counts.
            now += 15 * SEC;
            position += 15 * SEC;
            let back = sim.send(position, now);
            assert_eq!(back.credited_ms, 15 * SEC);
            assert_eq!(sim.progress.credited_ms, 15 * SEC);
            // And a claim for the idle stretch's media is a jump.
            now += 15 * SEC;
            let claim = sim.send(position + 2 * MIN, now);
            assert_eq!(claim.reason, Some(NotCredited::Seek));
        }
    }

    #[test]
    fn the_idle_prompt_stops_credit_even_while_playing() {
        let mut sim = Sim::new(R, 60 * MIN, 0);
        let mut hb = sim.beat(15 * SEC);
        hb.idle_paused = true;
        assert_eq!(
            sim.apply(&hb, 15 * SEC).reason,
            Some(NotCredited::IdlePaused)
        );
        assert_eq!(sim.stream.credit_clock_ms, 15 * SEC);
        assert_eq!(sim.send(30 * SEC, 30 * SEC).credited_ms, 15 * SEC);
    }

    #[test]
    fn reasons_are_reported_in_order() {
        let mut sim = Sim::new(R, 60 * MIN, 0);
        let mut hb = sim.beat(15 * SEC);
        hb.playing = false;
        hb.visible = false;
        hb.idle_paused = true;
        hb.rate_milli = 4000;
        let mut expect = |hb: &mut Heartbeat, reason, lease| {
            hb.seq += 1;
            let applied = sim.apply_leased(hb, hb.seq * 15 * SEC, lease);
            assert_eq!(applied.reason, Some(reason));
        };
        expect(&mut hb, NotCredited::NotPlaying, false);
        hb.playing = true;
        expect(&mut hb, NotCredited::Hidden, false);
        hb.visible = true;
        expect(&mut hb, NotCredited::IdlePaused, false);
        hb.idle_paused = false;
        hb.since_interaction_ms = R.idle_limit_ms + 1;
        expect(&mut hb, NotCredited::Idle, false);
        hb.since_interaction_ms = R.idle_limit_ms;
        expect(&mut hb, NotCredited::RateAboveMax, false);
        hb.rate_milli = 1000;
        expect(&mut hb, NotCredited::OtherStreamActive, false);
        // The position was saved each time, so nothing advanced since.
        expect(&mut hb, NotCredited::NoProgress, true);
        assert_eq!(sim.progress.credited_ms, 0);
        assert_eq!(sim.progress.position_ms, 15 * SEC);
    }

    #[test]
    fn another_open_page_keeps_the_position_but_earns_nothing() {
        let mut sim = Sim::new(R, 60 * MIN, 0);
        let hb = sim.beat(15 * SEC);
        let applied = sim.apply_leased(&hb, 15 * SEC, false);
        assert_eq!(applied.reason, Some(NotCredited::OtherStreamActive));
        assert_eq!(sim.progress.position_ms, 15 * SEC);
        assert_eq!(sim.progress.credited_ms, 0);
    }

    #[test]
    fn no_time_passed_means_no_budget() {
        let mut sim = Sim::new(R, 60 * MIN, 0);
        assert_eq!(sim.send(15 * SEC, 15 * SEC).credited_ms, 15 * SEC);
        let same_instant = sim.send(15 * SEC + 500, 15 * SEC);
        assert_eq!(same_instant.reason, Some(NotCredited::NoBudget));
    }

    #[test]
    fn pausing_then_claiming_the_paused_time_is_a_jump() {
        let mut sim = Sim::new(R, 60 * MIN, 0);
        let mut now = 0;
        for i in 1..=4 {
            now += 15 * SEC;
            sim.send(i * 15 * SEC, now);
        }
        // Ten minutes paused: the player keeps sending heartbeats.
        for _ in 0..40 {
            now += 15 * SEC;
            let mut hb = sim.beat(MIN);
            hb.playing = false;
            assert_eq!(sim.apply(&hb, now).reason, Some(NotCredited::NotPlaying));
        }
        now += 15 * SEC;
        let forged = sim.send(11 * MIN, now);
        assert_eq!(forged.reason, Some(NotCredited::Seek));
        assert_eq!(sim.progress.credited_ms, MIN);
        assert_eq!(sim.progress.watched.pairs(), &[(0, MIN)]);
    }

    #[test]
    fn an_offline_queue_replayed_at_once_earns_what_was_played() {
        let mut sim = Sim::new(R, 60 * MIN, 0);
        assert_eq!(sim.send(15 * SEC, 15 * SEC).credited_ms, 15 * SEC);
        // Offline from 15 s to 75 s: four heartbeats queue up, then arrive at once.
        let queued: Vec<Heartbeat> = (2..=5).map(|i| sim.beat(i * 15 * SEC)).collect();
        let now = 77 * SEC;
        for applied in sim.apply_batch(&queued, now) {
            assert_eq!(applied.credited_ms, 15 * SEC, "{applied:?}");
        }
        assert_eq!(sim.progress.credited_ms, 75 * SEC);
        assert_eq!(sim.progress.watched.pairs(), &[(0, 75 * SEC)]);
        // The unused two seconds remain; nothing more.
        assert!(sim.stream.credit_clock_ms <= now);
    }

    #[test]
    fn a_long_offline_queue_earns_at_most_the_budget() {
        let mut sim = Sim::new(R, 120 * MIN, 0);
        let queued: Vec<Heartbeat> = (1..=120).map(|i| sim.beat(i * 15 * SEC)).collect();
        sim.apply_batch(&queued, 30 * MIN);
        assert!(sim.progress.credited_ms <= R.max_budget_ms + 2 * SEC);
        assert!(sim.progress.credited_ms >= R.max_budget_ms - 15 * SEC);
    }

    #[test]
    fn completion_needs_coverage_and_credit() {
        let duration = 10 * MIN;
        let progress = |watched: &[(i64, i64)], credited_ms| LessonProgress {
            watched: Intervals::from_pairs(watched.iter().copied()),
            credited_ms,
            position_ms: 0,
        };
        assert!(is_complete(
            &R,
            duration,
            &progress(&[(0, duration)], duration)
        ));
        assert!(is_complete(
            &R,
            duration,
            &progress(&[(0, 9 * MIN + 30 * SEC)], 5 * MIN)
        ));
        assert!(!is_complete(
            &R,
            duration,
            &progress(&[(0, 9 * MIN + 29 * SEC)], duration)
        ));
        assert!(!is_complete(
            &R,
            duration,
            &progress(&[(0, duration)], 4 * MIN)
        ));
        // Coverage beyond the end does not count.
        assert!(!is_complete(
            &R,
            duration,
            &progress(&[(duration, 2 * duration)], duration)
        ));
        assert!(!is_complete(&R, 0, &progress(&[(0, 1)], 1)));
    }

    #[test]
    fn the_lease_passes_after_silence() {
        assert!(lease_is_free(None, 0, &R));
        assert!(!lease_is_free(Some(0), 45 * SEC, &R));
        assert!(lease_is_free(Some(0), 45 * SEC + 1, &R));
        assert!(lease_is_free(Some(i64::MIN), i64::MAX, &R));
        assert!(!lease_is_free(Some(i64::MAX), i64::MIN, &R));
    }

    #[test]
    fn finished_lessons_start_over() {
        assert_eq!(resume_position_ms(5 * MIN, 10 * MIN), 5 * MIN);
        assert_eq!(
            resume_position_ms(10 * MIN - 3001, 10 * MIN),
            10 * MIN - 3001
        );
        assert_eq!(resume_position_ms(10 * MIN - 3000, 10 * MIN), 0);
        assert_eq!(resume_position_ms(20 * MIN, 10 * MIN), 0);
        assert_eq!(resume_position_ms(-5, 10 * MIN), 0);
        assert_eq!(resume_position_ms(5, 0), 0);
        assert_eq!(resume_position_ms(i64::MAX, i64::MIN), 0);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_study_duration(3_900_000), "1小时05分");
        assert_eq!(format_study_duration(750_999), "12分30秒");
        assert_eq!(format_study_duration(45_000), "45秒");
        assert_eq!(format_study_duration(65_000), "1分05秒");
        assert_eq!(format_study_duration(-5), "0秒");
        assert_eq!(format_study_duration_en(3_900_000), "1 h 05 min");
        assert_eq!(format_study_duration_en(750_000), "12 min 30 s");
        assert_eq!(format_study_duration_en(45_999), "45 s");
        assert!(!format_study_duration(i64::MAX).is_empty());
    }

    #[test]
    fn intervals_merge_overlapping_and_touching() {
        let mut watched = Intervals::new();
        watched.add(30, 45);
        watched.add(0, 15);
        watched.add(15, 20);
        watched.add(10, 10);
        watched.add(50, 40);
        assert_eq!(watched.pairs(), &[(0, 20), (30, 45)]);
        watched.add(18, 31);
        assert_eq!(watched.pairs(), &[(0, 45)]);
        assert_eq!(watched.covered_ms(), 45);
        assert_eq!(
            Intervals::from_pairs([(5, 3), (2, 2), (4, 8), (0, 4), (10, 12)]).pairs(),
            &[(0, 8), (10, 12)]
        );
        assert_eq!(
            Intervals::from_pairs([(-10, 5), (8, 20)])
                .clamped(10)
                .pairs(),
            &[(0, 5), (8, 10)]
        );
    }

    #[test]
    fn interval_text() {
        let watched = Intervals::from_pairs([(30_000, 45_000), (0, 15_000)]);
        assert_eq!(watched.to_text(), "0-15000,30000-45000");
        assert_eq!(Intervals::parse_text("0-15000,30000-45000"), Ok(watched));
        assert_eq!(Intervals::parse_text(""), Ok(Intervals::new()));
        assert_eq!(Intervals::parse_text("  "), Ok(Intervals::new()));
        assert_eq!(
            Intervals::parse_text(" 5-9 , 0-5 ,").map(|i| i.to_text()),
            Ok("0-9".to_owned())
        );
        assert_eq!(
            Intervals::parse_text("-5--3").map(|i| i.to_text()),
            Ok("-5--3".to_owned())
        );
        for bad in [
            "x",
            "5",
            "5-",
            "-5",
            "9-5",
            "1-2-3",
            "1-2;3-4",
            "0-99999999999999999999",
        ] {
            assert!(Intervals::parse_text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn data_from_outside_is_normalised() {
        let odd = Ignored::from(IgnoredWire::Invalid("made up".to_owned()));
        assert_eq!(odd, Ignored::Invalid("invalid"));
        for reason in INVALID_REASONS {
            let wire = IgnoredWire::from(Ignored::Invalid(reason));
            assert_eq!(Ignored::from(wire), Ignored::Invalid(reason));
        }
        assert_eq!(
            Ignored::from(IgnoredWire::from(Ignored::Replayed)),
            Ignored::Replayed
        );
        let intervals = Intervals::from(vec![(10, 20), (0, 10), (30, 25)]);
        assert_eq!(intervals.pairs(), &[(0, 20)]);
        assert_eq!(Vec::from(intervals), vec![(0, 20)]);
    }

    /// A learner with several streams, opened at once (tabs, lessons, devices).
    struct Learner {
        clock: LearnerClock,
        streams: Vec<(StreamState, LessonProgress, i64)>,
    }

    impl Learner {
        fn open(count: usize, at: i64) -> Self {
            Learner {
                clock: LearnerClock::default(),
                streams: (0..count)
                    .map(|_| (StreamState::new(0, at), LessonProgress::default(), 0))
                    .collect(),
            }
        }

        /// A batch from stream `which`: beats at `positions`, all playing at
        /// `rate`, each holding the lease (the attacker frees it by leaving).
        fn send(&mut self, which: usize, positions: &[i64], rate: i64, duration: i64, now: i64) {
            let (stream, progress, seq) = &mut self.streams[which];
            let beats: Vec<Heartbeat> = positions
                .iter()
                .map(|&position_ms| {
                    *seq += 1;
                    Heartbeat {
                        seq: *seq,
                        position_ms,
                        playing: true,
                        rate_milli: rate,
                        visible: true,
                        idle_paused: false,
                        since_interaction_ms: SEC,
                    }
                })
                .collect();
            apply_heartbeats(
                &R,
                duration,
                stream,
                &mut self.clock,
                progress,
                &beats,
                open_at(now, true),
            );
        }

        fn credited(&self) -> i64 {
            self.streams.iter().map(|(_, p, _)| p.credited_ms).sum()
        }
    }

    #[test]
    fn twelve_banked_streams_earn_at_most_the_time_that_passed() {
        // The attack: open the twelve lessons, wait ten minutes, then one
        // heartbeat per stream claiming the whole lesson at 2x, leaving.
        let duration = 20 * MIN;
        let mut learner = Learner::open(12, 0);
        for which in 0..12 {
            learner.send(which, &[duration], 2000, duration, 10 * MIN + which as i64);
        }
        assert_eq!(
            learner.credited(),
            0,
            "one heartbeat vouches for no silence"
        );

        // The same with a forged offline queue per stream, one beat per 15 s
        // of wall time: the first stream is paid the ten minutes, no other.
        let mut learner = Learner::open(12, 0);
        let queue: Vec<i64> = (1..=40).map(|i| i * 30 * SEC).collect();
        for which in 0..12 {
            learner.send(which, &queue, 2000, duration, 10 * MIN + which as i64);
        }
        assert!(learner.credited() <= 10 * MIN, "{}", learner.credited());
        assert!(
            learner.credited() >= 9 * MIN,
            "the first stream's honest-looking queue"
        );
    }

    #[test]
    fn streams_spread_along_one_lesson_earn_one_clock() {
        // K streams of one 60-minute lesson, each positioned 10 minutes apart,
        // beat in turn every 15 s for ten minutes as if each were playing.
        let duration = 60 * MIN;
        let k = 6;
        let mut learner = Learner::open(k, 0);
        for (which, (stream, progress, _)) in learner.streams.iter_mut().enumerate() {
            stream.last_position_ms = which as i64 * 10 * MIN;
            progress.position_ms = stream.last_position_ms;
        }
        let mut now = 0;
        for round in 1..=40 {
            now += 15 * SEC;
            for which in 0..k {
                let position = which as i64 * 10 * MIN + round * 15 * SEC;
                learner.send(which, &[position], 1000, duration, now + which as i64);
            }
        }
        assert!(
            learner.credited() <= now + k as i64,
            "{}",
            learner.credited()
        );
        assert!(learner.credited() >= 9 * MIN, "one of them is paid in full");
    }

    #[test]
    fn a_silent_page_banks_nothing() {
        // Silent for 39 s, then one heartbeat that claims 39 s of play.
        let mut sim = Sim::new(R, 20 * MIN, 0);
        let claim = sim.send(39 * SEC, 39 * SEC);
        assert_eq!(claim.reason, Some(NotCredited::Seek));
        // Silent for ten minutes, then one heartbeat claiming 15 s: paid the
        // 15 s it vouches for, not the silence.
        let mut sim = Sim::new(R, 20 * MIN, 0);
        assert_eq!(sim.send(15 * SEC, 10 * MIN).credited_ms, 15 * SEC);
        let next = sim.send(30 * SEC, 10 * MIN + 15 * SEC);
        assert_eq!(next.credited_ms, 15 * SEC);
        assert_eq!(sim.progress.credited_ms, 30 * SEC);
    }

    #[test]
    fn a_closed_class_earns_nothing_but_keeps_the_position() {
        let mut sim = Sim::new(R, 20 * MIN, 0);
        let hb = sim.beat(15 * SEC);
        let applied = apply_heartbeat(
            &R,
            sim.duration,
            &mut sim.stream,
            &mut sim.learner,
            &mut sim.progress,
            &hb,
            Arrival {
                server_now_ms: 15 * SEC,
                holds_lease: true,
                class_open: false,
            },
        );
        assert_eq!(applied.reason, Some(NotCredited::ClassClosed));
        assert_eq!(sim.progress.credited_ms, 0);
        assert_eq!(sim.progress.position_ms, 15 * SEC);
    }

    #[test]
    fn a_lesson_is_never_credited_beyond_its_length_at_the_slowest_rate() {
        let duration = MIN;
        assert_eq!(lesson_credit_cap_ms(duration), 4 * MIN);
        let mut sim = Sim::new(R, duration, 0);
        let mut now = 0;
        // Watched again and again at 1x: at most four times its length.
        for _ in 0..6 {
            let mut hb = sim.beat(0);
            hb.playing = false;
            now += SEC;
            sim.apply(&hb, now);
            for step in 1..=4 {
                now += 15 * SEC;
                sim.send(step * 15 * SEC, now);
            }
        }
        assert_eq!(sim.progress.credited_ms, lesson_credit_cap_ms(duration));
        let mut hb = sim.beat(0);
        hb.playing = false;
        sim.apply(&hb, now + SEC);
        let over = sim.send(15 * SEC, now + 16 * SEC);
        assert_eq!(over.reason, Some(NotCredited::LessonCapReached));
    }

    fn arb_rules() -> impl Strategy<Value = StudyRules> {
        (
            prop_oneof![
                6 => Just(2000i64),
                1 => Just(MIN_RATE_MILLI),
                1 => Just(MAX_ANY_RATE_MILLI),
                1 => any::<i64>(),
            ],
            prop_oneof![6 => Just(20 * MIN), 1 => Just(0i64), 1 => any::<i64>()],
            prop_oneof![
                6 => Just(10 * MIN),
                1 => Just(0i64),
                1 => Just(i64::MAX),
                1 => any::<i64>(),
            ],
        )
            .prop_map(
                |(max_rate_milli, idle_limit_ms, max_budget_ms)| StudyRules {
                    max_rate_milli,
                    idle_limit_ms,
                    max_budget_ms,
                    ..R
                },
            )
    }

    /// A step of a client: its `seq` (-1..=2 relative to the last applied one,
    /// so 0 is a replay; anything else absolute),
    /// the heartbeat, how long the server's clock advances before it arrives,
    /// whether the stream holds the lease, and (when `Some`) a position that
    /// follows from the last one as playing at the heartbeat's rate for that
    /// long would, off by the given error, instead of the heartbeat's own.
    type Step = (i64, Heartbeat, i64, bool, Option<i64>);

    fn arb_heartbeat(duration: i64) -> impl Strategy<Value = Step> {
        (
            prop_oneof![12 => Just(1i64), 3 => -1i64..=2, 1 => any::<i64>()],
            prop_oneof![
                3 => 0i64..=duration.max(0).saturating_add(POSITION_TOLERANCE_MS),
                1 => any::<i64>(),
            ],
            prop_oneof![
                1 => Just(None),
                3 => (-3 * SEC..=3 * SEC).prop_map(Some),
            ],
            prop_oneof![6 => Just(1000i64), 2 => 250i64..=16_000, 1 => any::<i64>()],
            (
                proptest::bool::weighted(0.8),
                proptest::bool::weighted(0.8),
                proptest::bool::weighted(0.1),
                proptest::bool::weighted(0.8),
            ),
            prop_oneof![6 => 0i64..=MIN, 2 => 0i64..=30 * MIN, 1 => any::<i64>()],
            prop_oneof![6 => 0i64..=20 * SEC, 1 => 0i64..=20 * MIN, 1 => any::<i64>()],
        )
            .prop_map(
                move |(seq_step, position_ms, relative, rate_milli, flags, since, wait)| {
                    let (playing, visible, idle_paused, lease) = flags;
                    let hb = Heartbeat {
                        seq: seq_step,
                        position_ms,
                        playing,
                        rate_milli,
                        visible,
                        idle_paused,
                        since_interaction_ms: since,
                    };
                    (seq_step, hb, wait.max(0), lease, relative)
                },
            )
    }

    fn is_normal(intervals: &Intervals) -> bool {
        intervals.pairs().iter().all(|(s, e)| s < e)
            && intervals.pairs().windows(2).all(|w| w[0].1 < w[1].0)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever a client sends, and however the server's clock advances,
        /// credit never exceeds the wall-clock time since the stream opened,
        /// nor what the media progress could take at the slowest rate; each
        /// heartbeat counts once; watched media stays within the lesson.
        #[test]
        fn credit_is_bounded_by_wall_clock_and_progress(
            rules in arb_rules(),
            start_position in prop_oneof![6 => 0i64..=5 * MIN, 1 => any::<i64>()],
            opened_at in prop_oneof![4 => 0i64..=i64::MAX / 2, 1 => any::<i64>()],
            (duration, beats) in prop_oneof![
                6 => 10 * MIN..=3 * 60 * MIN,
                1 => 1i64..=MIN,
                1 => any::<i64>(),
            ]
            .prop_flat_map(|duration| {
                (Just(duration), proptest::collection::vec(arb_heartbeat(duration), 0..60))
            }),
        ) {
            let mut stream = StreamState::new(start_position, opened_at);
            let mut learner = LearnerClock::default();
            let mut progress = LessonProgress::default();
            let mut now = opened_at;
            let mut total: i128 = 0;
            let mut forward: i128 = 0;
            for (seq_step, mut hb, wait, lease, relative) in beats {
                hb.seq = if (-1..=2).contains(&seq_step) {
                    stream.last_seq.saturating_add(seq_step)
                } else {
                    seq_step
                };
                if let Some(error) = relative {
                    let played = i128::from(wait) * i128::from(hb.rate_milli) / 1000;
                    let played = i64::try_from(played).unwrap_or(i64::MAX);
                    hb.position_ms = stream
                        .last_position_ms
                        .saturating_add(played)
                        .saturating_add(error);
                }
                now = now.saturating_add(wait);
                let before = stream.last_position_ms;
                let at = Arrival { server_now_ms: now, holds_lease: lease, class_open: true };
                let applied = apply_heartbeat(&rules, duration, &mut stream, &mut learner, &mut progress, &hb, at);
                prop_assert!(applied.credited_ms >= 0);
                prop_assert_eq!(
                    applied.credited_ms > 0,
                    applied.reason.is_none() && applied.ignored.is_none()
                );
                if applied.ignored.is_none() {
                    prop_assert_eq!(stream.last_seq, hb.seq);
                    prop_assert_eq!(progress.position_ms, hb.position_ms);
                    forward += (i128::from(hb.position_ms) - i128::from(before)).max(0);
                }
                total += i128::from(applied.credited_ms);
                prop_assert!(stream.credit_clock_ms <= now.max(opened_at));

                // The same heartbeat again changes nothing.
                let (s, p) = (stream, progress.clone());
                let again = apply_heartbeat(&rules, duration, &mut stream, &mut learner, &mut progress, &hb, at);
                prop_assert!(again.ignored.is_some());
                prop_assert_eq!(again.credited_ms, 0);
                prop_assert_eq!((stream, &progress), (s, &p));
            }
            prop_assert_eq!(i128::from(progress.credited_ms), total);
            prop_assert!(total <= i128::from(now) - i128::from(opened_at));
            prop_assert!(total <= forward * 1000 / i128::from(MIN_RATE_MILLI));
            prop_assert!(total <= i128::from(lesson_credit_cap_ms(duration)));
            prop_assert!(is_normal(&progress.watched));
            for &(s, e) in progress.watched.pairs() {
                prop_assert!(s >= 0 && e <= duration);
            }
        }

        /// Many streams of one learner (tabs, lessons, devices), interleaved
        /// at random, each sending batches of anything: all of them together
        /// are never credited more than the wall-clock time since the first
        /// was opened, and the beats arriving in any window [a, b] are never
        /// credited more than b - a plus the offline budget (the documented
        /// tolerance: a replayed queue is paid for time just before it arrived).
        #[test]
        fn a_learner_is_never_credited_more_than_the_time_that_passed(
            max_budget_ms in prop_oneof![Just(10 * MIN), 0i64..=2 * MIN],
            streams in 1usize..=6,
            opened_at in 0i64..=i64::MAX / 4,
            steps in proptest::collection::vec(
                (
                    0usize..6,
                    prop_oneof![4 => 0i64..=20 * SEC, 1 => 0i64..=15 * MIN],
                    proptest::collection::vec(
                        (0i64..=25 * MIN, prop_oneof![Just(1000i64), Just(2000i64), 250i64..=2000], any::<bool>()),
                        1..5,
                    ),
                    proptest::bool::weighted(0.7),
                    proptest::bool::weighted(0.9),
                ),
                0..80,
            ),
        ) {
            let rules = StudyRules { max_budget_ms, ..R };
            let duration = 20 * MIN;
            let mut clock = LearnerClock::default();
            let mut open: Vec<(StreamState, LessonProgress, i64)> = (0..streams)
                .map(|_| (StreamState::new(0, opened_at), LessonProgress::default(), 0))
                .collect();
            let mut now = opened_at;
            let mut arrivals: Vec<(i64, i64)> = Vec::new();
            for (which, wait, beats, lease, class_open) in steps {
                now = now.saturating_add(wait);
                let (stream, progress, seq) = &mut open[which % streams];
                let batch: Vec<Heartbeat> = beats
                    .into_iter()
                    .map(|(position_ms, rate_milli, playing)| {
                        *seq += 1;
                        Heartbeat {
                            seq: *seq,
                            position_ms,
                            playing,
                            rate_milli,
                            visible: true,
                            idle_paused: false,
                            since_interaction_ms: 0,
                        }
                    })
                    .collect();
                let at = Arrival { server_now_ms: now, holds_lease: lease, class_open };
                let credited: i64 = apply_heartbeats(&rules, duration, stream, &mut clock, progress, &batch, at)
                    .iter()
                    .map(|a| a.credited_ms)
                    .sum();
                prop_assert!(clock.credit_clock_ms <= now);
                arrivals.push((now, credited));
            }
            let total: i64 = open.iter().map(|(_, p, _)| p.credited_ms).sum();
            prop_assert_eq!(total, arrivals.iter().map(|a| a.1).sum::<i64>());
            prop_assert!(total <= now - opened_at);
            for a in 0..arrivals.len() {
                let mut sum = 0;
                for b in a..arrivals.len() {
                    sum += arrivals[b].1;
                    prop_assert!(sum <= arrivals[b].0 - arrivals[a].0 + max_budget_ms);
                }
            }
        }

        /// The other side: an honest player, whatever its speed and however its
        /// timer and the network jitter, is credited all the time it played
        /// (within rounding) and never more.
        #[test]
        fn honest_players_are_credited_what_they_played(
            rate_milli in 500i64..=2000,
            steps in proptest::collection::vec((14_700i64..=15_300, 50i64..=350), 1..80),
            opened_at in 0i64..=i64::MAX / 2,
        ) {
            let mut sim = Sim::new(R, 6 * 60 * MIN, opened_at);
            let (mut client, mut now) = (0i64, opened_at);
            for (interval, delay) in steps {
                client += interval;
                now = now.max(opened_at + client + delay);
                let mut hb = sim.beat(client * rate_milli / 1000);
                hb.rate_milli = rate_milli;
                let applied = sim.apply(&hb, now);
                prop_assert!(applied.credited_ms > 0, "{:?}", applied);
            }
            let credited = sim.progress.credited_ms;
            prop_assert!(credited >= client - 2, "{} of {}", credited, client);
            prop_assert!(credited <= now - opened_at);
        }

        #[test]
        fn adding_pieces_equals_normalising_them(
            pairs in proptest::collection::vec((-50i64..150, -50i64..150), 0..30),
        ) {
            let mut added = Intervals::new();
            for &(s, e) in &pairs {
                added.add(s, e);
                prop_assert!(is_normal(&added));
            }
            let normalised = Intervals::from_pairs(pairs.iter().copied());
            prop_assert_eq!(&added, &normalised);
            let covered = (-50i64..150)
                .filter(|&x| pairs.iter().any(|&(s, e)| s <= x && x < e))
                .count();
            prop_assert_eq!(added.covered_ms(), covered as i64);
        }

        #[test]
        fn interval_text_round_trips(pairs in proptest::collection::vec(any::<(i64, i64)>(), 0..10)) {
            let intervals = Intervals::from_pairs(pairs);
            prop_assert!(is_normal(&intervals));
            let text = intervals.to_text();
            prop_assert_eq!(Intervals::parse_text(&text), Ok(intervals.clone()));
            prop_assert_eq!(text.parse::<Intervals>(), Ok(intervals));
        }

        #[test]
        fn interval_text_never_panics(s in "[-0-9, ]{0,30}|\\PC{0,20}") {
            if let Ok(intervals) = Intervals::parse_text(&s) {
                prop_assert!(is_normal(&intervals));
            }
        }

        #[test]
        fn resume_is_within_the_lesson(position in any::<i64>(), duration in any::<i64>()) {
            let at = resume_position_ms(position, duration);
            prop_assert!(at >= 0);
            prop_assert!(at <= duration.max(0));
        }
    }
}
