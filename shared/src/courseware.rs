//! Courseware: the review gates a lesson passes before learners see it
//! (初剪 → 校对 → 送审 → 审核 → 发布), who may move it through them, and the
//! checks on its fields that the upload form (for instant feedback) and the
//! server (which never trusts the browser) share.

use crate::role::Role;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a courseware stands in review. Only approved or published courseware
/// may be put into a class that learners can join.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// 初剪: the first cut, being edited.
    Draft,
    /// 校对: proofread by the lecturer, ready to be submitted.
    Proofread,
    /// 送审: waiting for a reviewer.
    Submitted,
    /// 审核通过: approved, not yet visible in the catalogue.
    Approved,
    /// 已发布: published.
    Published,
}

crate::stored_code!(ReviewState {
    Draft => "draft", "初剪", "Draft";
    Proofread => "proofread", "校对", "Proofread";
    Submitted => "submitted", "送审", "Submitted for review";
    Approved => "approved", "审核通过", "Approved";
    Published => "published", "已发布", "Published";
});

impl ReviewState {
    /// Whether courseware in this state reaches learners: approved (in a
    /// class) or published (also in the catalogue). Sent back for revision,
    /// it leaves its classes until approved again.
    pub const fn reaches_learners(self) -> bool {
        matches!(self, ReviewState::Approved | ReviewState::Published)
    }
}

impl fmt::Display for ReviewState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A step through the review gates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// Draft → proofread.
    Proofread,
    /// Proofread → submitted.
    Submit,
    /// Submitted → approved.
    Approve,
    /// Approved → published.
    Publish,
    /// Proofread, submitted or approved → draft, with a comment saying what to fix.
    SendBack,
    /// Published → approved: takes it out of the catalogue.
    Withdraw,
}

crate::stored_code!(ReviewAction {
    Proofread => "proofread", "校对完成", "Mark proofread";
    Submit => "submit", "送审", "Submit for review";
    Approve => "approve", "审核通过", "Approve";
    Publish => "publish", "发布", "Publish";
    SendBack => "send_back", "退回修改", "Send back";
    Withdraw => "withdraw", "撤回发布", "Withdraw";
});

impl fmt::Display for ReviewAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Most characters in a review comment.
pub const COMMENT_MAX_CHARS: usize = 500;

/// Why a review step was refused. Each has a message in both UI languages, safe to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ReviewError {
    #[error("“{}” is not possible while the courseware is “{}”", .action.label_en(), .state.label_en())]
    NotAllowedFrom {
        state: ReviewState,
        action: ReviewAction,
    },
    #[error("please say what needs to be changed")]
    CommentRequired,
    #[error("the comment must be at most {COMMENT_MAX_CHARS} characters")]
    CommentTooLong,
}

impl ReviewError {
    pub fn message_zh(&self) -> String {
        match self {
            ReviewError::NotAllowedFrom { state, action } => format!(
                "课件当前为“{}”状态，不能执行“{}”",
                state.label_zh(),
                action.label_zh()
            ),
            ReviewError::CommentRequired => "退回修改时请填写修改意见".to_owned(),
            ReviewError::CommentTooLong => {
                format!("意见最多 {COMMENT_MAX_CHARS} 个字")
            }
        }
    }

    /// The English message (the same as `to_string`).
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}

/// The state `action` leads to from `state`, if it is a step from there.
pub fn next_state(state: ReviewState, action: ReviewAction) -> Result<ReviewState, ReviewError> {
    use ReviewAction as A;
    use ReviewState as S;
    match (state, action) {
        (S::Draft, A::Proofread) => Ok(S::Proofread),
        (S::Proofread, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Approve) => Ok(S::Approved),
        (S::Approved, A::Publish) => Ok(S::Published),
        (S::Proofread | S::Submitted | S::Approved, A::SendBack) => Ok(S::Draft),
        (S::Published, A::Withdraw) => Ok(S::Approved),
        _ => Err(ReviewError::NotAllowedFrom { state, action }),
    }
}

/// Whether someone with `roles` may take `action` on a courseware;
/// `is_lecturer_of_it` says whether they are its lecturer.
///
/// The lecturer (or an organizer or admin on their behalf) prepares it; a
/// reviewer judges it; the organizer decides what learners see. Sending back
/// is open to organizers too, so they can stop something before publishing.
/// Supervisors only look.
pub fn may_act(roles: &[Role], is_lecturer_of_it: bool, action: ReviewAction) -> bool {
    let has = |role| roles.contains(&role);
    let admin = has(Role::Admin);
    match action {
        ReviewAction::Proofread | ReviewAction::Submit => {
            is_lecturer_of_it || has(Role::Organizer) || admin
        }
        ReviewAction::Approve => has(Role::Reviewer) || admin,
        ReviewAction::SendBack => has(Role::Reviewer) || has(Role::Organizer) || admin,
        ReviewAction::Publish | ReviewAction::Withdraw => has(Role::Organizer) || admin,
    }
}

/// The actions to offer as buttons: possible from `state` and allowed to this person.
pub fn actions_available(
    state: ReviewState,
    roles: &[Role],
    is_lecturer_of_it: bool,
) -> Vec<ReviewAction> {
    ReviewAction::ALL
        .into_iter()
        .filter(|&action| {
            next_state(state, action).is_ok() && may_act(roles, is_lecturer_of_it, action)
        })
        .collect()
}

/// The comment to keep with a review step, trimmed. Sending back needs one
/// (the lecturer must know what to fix); for other steps it may be empty.
pub fn check_comment(action: ReviewAction, comment: &str) -> Result<String, ReviewError> {
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX_CHARS {
        Err(ReviewError::CommentTooLong)
    } else if comment.is_empty() && action == ReviewAction::SendBack {
        Err(ReviewError::CommentRequired)
    } else {
        Ok(comment.to_owned())
    }
}

/// Whether a class that learners can join may include courseware in `state`.
pub fn can_join_published_class(state: ReviewState) -> bool {
    matches!(state, ReviewState::Approved | ReviewState::Published)
}

pub const TITLE_MAX_CHARS: usize = 100;
pub const LECTURER_NAME_MAX_CHARS: usize = 40;
pub const TOPIC_MAX_CHARS: usize = 40;

/// Why a courseware field was refused. Each has a message in both UI languages, safe to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CoursewareError {
    #[error("please enter a title of at most {max} characters")]
    TitleInvalid { max: usize },
    #[error("please enter the lecturer's name, at most {max} characters")]
    LecturerNameInvalid { max: usize },
    #[error("the topic must be at most {max} characters")]
    TopicInvalid { max: usize },
    #[error("please enter a time as mm:ss, h:mm:ss or seconds")]
    StartTimeInvalid,
    /// `index` counts from 0; messages count from 1.
    #[error("time point {} lies outside the video", .index + 1)]
    CueOutOfRange { index: usize },
    #[error("time point {} is earlier than the one before it", .index + 1)]
    CueOutOfOrder { index: usize },
}

impl CoursewareError {
    pub fn message_zh(&self) -> String {
        match self {
            CoursewareError::TitleInvalid { max } => format!("请填写标题（不超过 {max} 个字）"),
            CoursewareError::LecturerNameInvalid { max } => {
                format!("请填写主讲人姓名（不超过 {max} 个字）")
            }
            CoursewareError::TopicInvalid { max } => format!("专题最多 {max} 个字"),
            CoursewareError::StartTimeInvalid => "时间格式应为 分:秒、时:分:秒 或秒数".to_owned(),
            CoursewareError::CueOutOfRange { index } => {
                format!("第 {} 个时间点超出了视频时长", index + 1)
            }
            CoursewareError::CueOutOfOrder { index } => {
                format!("第 {} 个时间点早于前一个", index + 1)
            }
        }
    }

    /// The English message (the same as `to_string`).
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The index (from 0) of the offending cue, for a cue problem.
    pub fn cue_index(&self) -> Option<usize> {
        match self {
            CoursewareError::CueOutOfRange { index } | CoursewareError::CueOutOfOrder { index } => {
                Some(*index)
            }
            _ => None,
        }
    }
}

/// A one-line text field: trimmed, `min..=max` characters, no control characters.
fn one_line(input: &str, min: usize, max: usize) -> Option<&str> {
    let input = input.trim();
    let count = input.chars().count();
    ((min..=max).contains(&count) && !input.chars().any(char::is_control)).then_some(input)
}

/// The title, trimmed: 1 to [`TITLE_MAX_CHARS`] characters on one line.
pub fn check_title(input: &str) -> Result<&str, CoursewareError> {
    one_line(input, 1, TITLE_MAX_CHARS).ok_or(CoursewareError::TitleInvalid {
        max: TITLE_MAX_CHARS,
    })
}

/// The lecturer's name as shown, trimmed: 1 to [`LECTURER_NAME_MAX_CHARS`] characters.
pub fn check_lecturer_name(input: &str) -> Result<&str, CoursewareError> {
    one_line(input, 1, LECTURER_NAME_MAX_CHARS).ok_or(CoursewareError::LecturerNameInvalid {
        max: LECTURER_NAME_MAX_CHARS,
    })
}

/// The topic (专题), trimmed: optional, at most [`TOPIC_MAX_CHARS`] characters.
pub fn check_topic(input: &str) -> Result<&str, CoursewareError> {
    one_line(input, 0, TOPIC_MAX_CHARS).ok_or(CoursewareError::TopicInvalid {
        max: TOPIC_MAX_CHARS,
    })
}

/// A time within a video as people type it: `mm:ss`, `h:mm:ss` or plain
/// seconds (`95`), in milliseconds. A full-width colon (what a Chinese input
/// method types) is accepted too. Without hours the minutes may exceed 59
/// (`75:00`); seconds, and minutes after hours, must be below 60.
pub fn parse_start_time(input: &str) -> Result<i64, CoursewareError> {
    let normalized = input.trim().replace('：', ":");
    let parts: Vec<&str> = normalized.split(':').map(str::trim).collect();
    let number = |part: &str| -> Option<i64> {
        // At most 9 digits: no sum below can overflow.
        if part.is_empty() || part.len() > 9 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let seconds = match parts.as_slice() {
        [s] => number(s),
        [m, s] => match (number(m), number(s)) {
            (Some(m), Some(s)) if s < 60 => Some(m * 60 + s),
            _ => None,
        },
        [h, m, s] => match (number(h), number(m), number(s)) {
            (Some(h), Some(m), Some(s)) if m < 60 && s < 60 => Some(h * 3600 + m * 60 + s),
            _ => None,
        },
        _ => None,
    };
    seconds
        .map(|s| s * 1000)
        .ok_or(CoursewareError::StartTimeInvalid)
}

/// A time within a video as shown: `mm:ss` below an hour, else `h:mm:ss`.
/// Rounded down to the second; negative times show as `00:00`.
pub fn format_start_time(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// Checks an outline's or slides' start times against the video: each within
/// `[0, duration_ms]` and none before the one before it. Reports the first bad one.
pub fn check_cues(starts_ms: &[i64], duration_ms: i64) -> Result<(), CoursewareError> {
    let mut previous = i64::MIN;
    for (index, &start) in starts_ms.iter().enumerate() {
        if start < 0 || start > duration_ms {
            return Err(CoursewareError::CueOutOfRange { index });
        }
        if start < previous {
            return Err(CoursewareError::CueOutOfOrder { index });
        }
        previous = start;
    }
    Ok(())
}

/// The cue playing at `position_ms`: the last whose start is at or before it;
/// `None` before the first. `starts_ms` must be non-decreasing (as
/// [`check_cues`] ensures); the player asks several times a second, so this
/// is a binary search.
pub fn cue_at(starts_ms: &[i64], position_ms: i64) -> Option<usize> {
    starts_ms
        .partition_point(|&start| start <= position_ms)
        .checked_sub(1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ReviewAction as A;
    use ReviewState as S;
    use proptest::prelude::*;

    #[test]
    fn every_transition() {
        // The whole table: a state, then for each action (in `ReviewAction::ALL`
        // order) where it leads, if anywhere.
        let table: [(S, [Option<S>; 6]); 5] = [
            (S::Draft, [Some(S::Proofread), None, None, None, None, None]),
            (
                S::Proofread,
                [None, Some(S::Submitted), None, None, Some(S::Draft), None],
            ),
            (
                S::Submitted,
                [None, None, Some(S::Approved), None, Some(S::Draft), None],
            ),
            (
                S::Approved,
                [None, None, None, Some(S::Published), Some(S::Draft), None],
            ),
            (
                S::Published,
                [None, None, None, None, None, Some(S::Approved)],
            ),
        ];
        for (state, row) in table {
            for (action, expected) in A::ALL.into_iter().zip(row) {
                let got = next_state(state, action);
                match expected {
                    Some(to) => assert_eq!(got, Ok(to), "{state} {action}"),
                    None => assert_eq!(
                        got,
                        Err(ReviewError::NotAllowedFrom { state, action }),
                        "{state} {action}"
                    ),
                }
            }
        }
    }

    #[test]
    fn the_happy_path_reaches_published_and_back() {
        let mut state = S::Draft;
        for action in [A::Proofread, A::Submit, A::Approve, A::Publish] {
            state = next_state(state, action).unwrap();
        }
        assert_eq!(state, S::Published);
        assert_eq!(next_state(state, A::Withdraw), Ok(S::Approved));
    }

    #[test]
    fn the_permission_table() {
        // For each action (in `ReviewAction::ALL` order): may the lecturer of it
        // (holding only the lecturer role), another lecturer, a reviewer, an
        // organizer, an admin, a supervisor, a learner?
        let people: [(&[Role], bool); 7] = [
            (&[Role::Lecturer], true),
            (&[Role::Lecturer], false),
            (&[Role::Reviewer], false),
            (&[Role::Organizer], false),
            (&[Role::Admin], false),
            (&[Role::Supervisor], false),
            (&[Role::Learner], false),
        ];
        let table: [(A, [bool; 7]); 6] = [
            (A::Proofread, [true, false, false, true, true, false, false]),
            (A::Submit, [true, false, false, true, true, false, false]),
            (A::Approve, [false, false, true, false, true, false, false]),
            (A::Publish, [false, false, false, true, true, false, false]),
            (A::SendBack, [false, false, true, true, true, false, false]),
            (A::Withdraw, [false, false, false, true, true, false, false]),
        ];
        for (action, row) in table {
            for ((roles, lecturer_of_it), expected) in people.iter().zip(row) {
                assert_eq!(
                    may_act(roles, *lecturer_of_it, action),
                    expected,
                    "{action} {roles:?} {lecturer_of_it}"
                );
            }
        }
        // Roles add up.
        assert!(may_act(
            &[Role::Lecturer, Role::Reviewer],
            false,
            A::Approve
        ));
        assert!(!may_act(&[], false, A::SendBack));
    }

    #[test]
    fn buttons_follow_state_and_roles() {
        assert_eq!(
            actions_available(S::Draft, &[Role::Lecturer], true),
            vec![A::Proofread]
        );
        assert_eq!(
            actions_available(S::Draft, &[Role::Lecturer], false),
            vec![]
        );
        assert_eq!(
            actions_available(S::Submitted, &[Role::Reviewer], false),
            vec![A::Approve, A::SendBack]
        );
        assert_eq!(
            actions_available(S::Submitted, &[Role::Lecturer], true),
            vec![]
        );
        assert_eq!(
            actions_available(S::Approved, &[Role::Organizer], false),
            vec![A::Publish, A::SendBack]
        );
        assert_eq!(
            actions_available(S::Published, &[Role::Admin], false),
            vec![A::Withdraw]
        );
        for state in S::ALL {
            for action in actions_available(state, &Role::ALL, true) {
                assert!(next_state(state, action).is_ok());
            }
        }
    }

    #[test]
    fn sending_back_needs_a_comment() {
        assert_eq!(
            check_comment(A::SendBack, "  "),
            Err(ReviewError::CommentRequired)
        );
        assert_eq!(
            check_comment(A::SendBack, " 第3分钟字幕有误 "),
            Ok("第3分钟字幕有误".to_owned())
        );
        assert_eq!(check_comment(A::Approve, ""), Ok(String::new()));
        // Characters, not bytes: 500 Chinese characters are 1500 bytes.
        assert!(check_comment(A::SendBack, &"改".repeat(500)).is_ok());
        assert_eq!(
            check_comment(A::Approve, &"改".repeat(501)),
            Err(ReviewError::CommentTooLong)
        );
    }

    #[test]
    fn only_approved_courseware_joins_classes() {
        let joinable: Vec<S> = S::ALL
            .into_iter()
            .filter(|s| can_join_published_class(*s))
            .collect();
        assert_eq!(joinable, vec![S::Approved, S::Published]);
    }

    #[test]
    fn names_round_trip_and_labels_are_distinct() {
        for state in S::ALL {
            assert_eq!(S::from_code(state.code()), Some(state));
        }
        for action in A::ALL {
            assert_eq!(A::from_code(action.code()), Some(action));
        }
        assert_eq!(S::from_code("deleted"), None);
        assert_eq!(A::from_code("approve "), None);
        let mut labels: Vec<&str> = S::ALL.iter().map(|s| s.label_zh()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), S::ALL.len());
        let mut labels: Vec<&str> = A::ALL.iter().map(|a| a.label_zh()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), A::ALL.len());
    }

    #[test]
    fn every_error_has_messages_in_both_languages() {
        let errors = [
            CoursewareError::TitleInvalid { max: 100 },
            CoursewareError::LecturerNameInvalid { max: 40 },
            CoursewareError::TopicInvalid { max: 40 },
            CoursewareError::StartTimeInvalid,
            CoursewareError::CueOutOfRange { index: 2 },
            CoursewareError::CueOutOfOrder { index: 0 },
        ];
        let chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for error in errors {
            assert!(chinese(&error.message_zh()), "{error:?}");
            assert!(!error.message_en().is_empty());
        }
        assert!(
            CoursewareError::CueOutOfRange { index: 2 }
                .message_zh()
                .contains("第 3 个")
        );
        let review = [
            ReviewError::NotAllowedFrom {
                state: S::Draft,
                action: A::Publish,
            },
            ReviewError::CommentRequired,
            ReviewError::CommentTooLong,
        ];
        for error in review {
            assert!(chinese(&error.message_zh()), "{error:?}");
            assert!(!error.message_en().is_empty());
        }
        assert_eq!(
            review[0].message_zh(),
            "课件当前为“初剪”状态，不能执行“发布”"
        );
    }

    #[test]
    fn field_lengths_count_characters() {
        assert_eq!(
            check_title("  习近平新时代中国特色社会主义思想  "),
            Ok("习近平新时代中国特色社会主义思想")
        );
        assert!(check_title(" ").is_err());
        assert!(check_title(&"学".repeat(100)).is_ok());
        assert!(check_title(&"学".repeat(101)).is_err());
        assert!(check_title("第一讲\n第二讲").is_err());
        assert_eq!(check_lecturer_name(" 王教授 "), Ok("王教授"));
        assert!(check_lecturer_name("").is_err());
        assert!(check_lecturer_name(&"王".repeat(41)).is_err());
        assert_eq!(check_topic("  "), Ok(""));
        assert!(check_topic(&"党".repeat(40)).is_ok());
        assert!(check_topic(&"党".repeat(41)).is_err());
    }

    #[test]
    fn start_times_as_people_type_them() {
        assert_eq!(parse_start_time("05:30"), Ok(330_000));
        assert_eq!(parse_start_time("5:3"), Ok(303_000));
        assert_eq!(parse_start_time("1:02:03"), Ok(3_723_000));
        assert_eq!(parse_start_time(" 95 "), Ok(95_000));
        assert_eq!(parse_start_time("75:00"), Ok(4_500_000));
        assert_eq!(parse_start_time("12：30"), Ok(750_000));
        assert_eq!(parse_start_time("0"), Ok(0));
        for bad in [
            "",
            ":",
            "1:60",
            "1:60:00",
            "-5",
            "+5",
            "1.5",
            "1:2:3:4",
            "a:bc",
            "9999999999",
        ] {
            assert_eq!(
                parse_start_time(bad),
                Err(CoursewareError::StartTimeInvalid),
                "{bad}"
            );
        }
        assert_eq!(format_start_time(330_999), "05:30");
        assert_eq!(format_start_time(3_723_000), "1:02:03");
        assert_eq!(format_start_time(0), "00:00");
        assert_eq!(format_start_time(-1), "00:00");
    }

    #[test]
    fn cues_must_lie_in_the_video_in_order() {
        assert_eq!(check_cues(&[], 0), Ok(()));
        assert_eq!(check_cues(&[0, 10, 10, 60], 60), Ok(()));
        assert_eq!(
            check_cues(&[0, 10, 5, 70], 60),
            Err(CoursewareError::CueOutOfOrder { index: 2 })
        );
        assert_eq!(
            check_cues(&[0, 70, 5], 60),
            Err(CoursewareError::CueOutOfRange { index: 1 })
        );
        assert_eq!(
            check_cues(&[-1], 60),
            Err(CoursewareError::CueOutOfRange { index: 0 })
        );
        assert_eq!(
            check_cues(&[0, 70], 60).map_err(|e| e.cue_index()),
            Err(Some(1))
        );
    }

    #[test]
    fn the_player_follows_the_cues() {
        let starts = [0, 60_000, 60_000, 120_000];
        assert_eq!(cue_at(&starts, -1), None);
        assert_eq!(cue_at(&starts, 0), Some(0));
        assert_eq!(cue_at(&starts, 59_999), Some(0));
        assert_eq!(cue_at(&starts, 60_000), Some(2));
        assert_eq!(cue_at(&starts, i64::MAX), Some(3));
        assert_eq!(cue_at(&[], 5), None);
        assert_eq!(cue_at(&[10], 5), None);
    }

    proptest! {
        #[test]
        fn cue_at_agrees_with_a_linear_scan(
            mut starts in proptest::collection::vec(-10i64..1000, 0..20),
            position in -20i64..1100,
        ) {
            starts.sort_unstable();
            let linear = starts.iter().rposition(|&s| s <= position);
            prop_assert_eq!(cue_at(&starts, position), linear);
        }

        #[test]
        fn checked_cues_are_ordered_and_inside(
            starts in proptest::collection::vec(-10i64..1000, 0..10),
            duration in 0i64..1000,
        ) {
            match check_cues(&starts, duration) {
                Ok(()) => {
                    prop_assert!(starts.iter().all(|&s| (0..=duration).contains(&s)));
                    prop_assert!(starts.windows(2).all(|w| w[0] <= w[1]));
                }
                Err(error) => {
                    let index = error.cue_index().unwrap();
                    prop_assert!(check_cues(&starts[..index], duration).is_ok());
                    prop_assert!(check_cues(&starts[..=index], duration).is_err());
                }
            }
        }

        #[test]
        fn start_times_round_trip(ms in 0i64..1_000 * 3_600_000) {
            let shown = format_start_time(ms);
            prop_assert_eq!(parse_start_time(&shown), Ok(ms / 1000 * 1000));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "[0-9:：]{0,12}|\\PC{0,20}") {
            if let Ok(ms) = parse_start_time(&s) {
                prop_assert!(ms >= 0);
            }
            let _ = check_title(&s);
            let _ = check_comment(A::SendBack, &s);
        }

        #[test]
        fn transitions_stay_within_the_gates(
            steps in proptest::collection::vec(0usize..6, 0..30),
        ) {
            let mut state = S::Draft;
            for step in steps {
                let action = A::ALL[step];
                if let Ok(next) = next_state(state, action) {
                    // Only approved courseware can be published.
                    if next == S::Published {
                        prop_assert_eq!(state, S::Approved);
                    }
                    state = next;
                }
            }
        }
    }
}
