//! Study groups and their daily work, as the seed's "whole-process
//! management" ran them: learners in groups (one per city by default) with
//! liaisons; a topic a day; a discussion thread per group and day; the
//! liaison's daily summary (分组讨论汇总表) with its review lifecycle; and the
//! daily progress report rolled up the region tree.
//!
//! The rules here are used by the forms (live checks) and by the server
//! (which never trusts the form).

use crate::class_stats::{Figures, LearnerRow, figures};
use crate::region::RegionLevel;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Why an input was refused, in both languages, with the field it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub field: &'static str,
    pub zh: String,
    pub en: String,
}

impl Refusal {
    fn new(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Refusal {
        Refusal {
            field,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Characters as people count them: each Chinese character is one.
pub fn length(text: &str) -> usize {
    text.chars().count()
}

/// Line breaks as `\n`, no trailing blanks on lines, no more than one empty
/// line in a row, trimmed: what a post or a summary field is stored as.
pub fn normalize_text(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    let mut blank_run = 0;
    for line in unified.trim().split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

fn bounded(
    field: &'static str,
    label_zh: &str,
    label_en: &str,
    text: &str,
    required: bool,
    max: usize,
) -> Result<String, Refusal> {
    let text = normalize_text(text);
    if required && text.is_empty() {
        return Err(Refusal::new(
            field,
            format!("请填写{label_zh}"),
            format!("Please fill in {label_en}"),
        ));
    }
    let n = length(&text);
    if n > max {
        return Err(Refusal::new(
            field,
            format!("{label_zh}最多 {max} 字，现在 {n} 字"),
            format!("{label_en} may have at most {max} characters, it has {n}"),
        ));
    }
    Ok(text)
}

pub const GROUP_NAME_MAX: usize = 40;
pub const TOPIC_TITLE_MAX: usize = 100;
pub const TOPIC_BODY_MAX: usize = 4_000;
pub const POST_MAX: usize = 2_000;
pub const SUMMARY_FIELD_MAX: usize = 3_000;
pub const REVIEW_COMMENT_MAX: usize = 500;

/// A group's name: 1 to 40 characters on one line.
pub fn check_group_name(name: &str) -> Result<String, Refusal> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    bounded(
        "name",
        "小组名称",
        "the group's name",
        &name,
        true,
        GROUP_NAME_MAX,
    )
}

/// The day's topic: a title, and text that may be empty.
pub fn check_topic(title: &str, body: &str) -> Result<(String, String), Refusal> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = bounded(
        "title",
        "话题标题",
        "the title",
        &title,
        true,
        TOPIC_TITLE_MAX,
    )?;
    let body = bounded("body", "话题内容", "the text", body, false, TOPIC_BODY_MAX)?;
    Ok((title, body))
}

/// A post or reply in a group's discussion.
pub fn check_post(body: &str) -> Result<String, Refusal> {
    bounded("body", "发言内容", "your post", body, true, POST_MAX)
}

/// The organizer's comment when returning a summary for changes.
pub fn check_review_comment(comment: &str) -> Result<String, Refusal> {
    bounded(
        "comment",
        "退回意见",
        "a comment saying what to change",
        comment,
        true,
        REVIEW_COMMENT_MAX,
    )
}

// ---- discussion text ---------------------------------------------------------

/// A piece of a post as shown: text, a link, or a line break. Pages render
/// each piece as text or as an `<a>` whose text is the address; nothing is
/// ever interpreted as markup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    Text(String),
    Link(String),
    Break,
}

/// Characters that end a web address inside Chinese or English prose.
fn ends_link(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>'
                | '"'
                | '\''
                | '`'
                | '，'
                | '。'
                | '；'
                | '：'
                | '！'
                | '？'
                | '、'
                | '（'
                | '）'
                | '【'
                | '】'
                | '《'
                | '》'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '\u{3000}'
        )
}

/// Punctuation that ends a sentence rather than the address (`见 https://x.cn/a.`).
fn trailing_punctuation(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']')
}

/// Splits a post into text, `http(s)://` links and line breaks.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(Segment::Break);
        }
        let mut rest = line;
        while !rest.is_empty() {
            let start = ["http://", "https://"]
                .iter()
                .filter_map(|scheme| find_ascii_ci(rest, scheme))
                .min();
            let Some(start) = start else {
                out.push(Segment::Text(rest.to_owned()));
                break;
            };
            let tail = &rest[start..];
            let mut end = tail.find(ends_link).unwrap_or(tail.len());
            while let Some(c) = tail[..end].chars().last() {
                if trailing_punctuation(c) {
                    end -= c.len_utf8();
                } else {
                    break;
                }
            }
            let link = &tail[..end];
            let has_host = link
                .split_once("://")
                .is_some_and(|(_, host)| !host.is_empty());
            if start > 0 {
                out.push(Segment::Text(rest[..start].to_owned()));
            }
            if has_host {
                out.push(Segment::Link(link.to_owned()));
            } else {
                out.push(Segment::Text(link.to_owned()));
            }
            rest = &tail[end..];
            if link.is_empty() {
                // A bare scheme was not consumed above: take it as text.
                let step = tail.find("//").map_or(tail.len(), |i| i + 2);
                out.push(Segment::Text(tail[..step].to_owned()));
                rest = &tail[step..];
            }
        }
    }
    merge_text(out)
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

fn merge_text(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for segment in segments {
        match (out.last_mut(), segment) {
            (_, Segment::Text(t)) if t.is_empty() => {}
            (Some(Segment::Text(prev)), Segment::Text(t)) => prev.push_str(&t),
            (_, segment) => out.push(segment),
        }
    }
    out
}

// ---- the liaison's daily summary ---------------------------------------------

/// Where a daily summary is in its review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryState {
    Draft,
    Submitted,
    Returned,
    Accepted,
}

crate::stored_code!(SummaryState {
    Draft => "draft", "草稿", "Draft";
    Submitted => "submitted", "已提交", "Submitted";
    Returned => "returned", "已退回", "Returned";
    Accepted => "accepted", "已通过", "Accepted";
});

impl SummaryState {
    /// Whether the liaison may still change it.
    pub const fn editable(self) -> bool {
        matches!(self, SummaryState::Draft | SummaryState::Returned)
    }
}

/// What someone does to a summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryAction {
    /// The liaison keeps a draft (a returned summary stays returned).
    Save,
    Submit,
    /// The organizer sends it back with a comment.
    Return,
    Accept,
    /// The organizer files an accepted summary away.
    Archive,
}

impl SummaryAction {
    /// Whether the liaison (rather than the organizer) does this.
    pub const fn by_liaison(self) -> bool {
        matches!(self, SummaryAction::Save | SummaryAction::Submit)
    }
}

/// The state after `action` on a summary in `state` (`None`: not written
/// yet), or why it is refused.
pub fn summary_transition(
    state: Option<SummaryState>,
    archived: bool,
    action: SummaryAction,
) -> Result<SummaryState, Refusal> {
    use SummaryAction as A;
    use SummaryState as S;
    if archived {
        return Err(Refusal::new(
            "state",
            "该汇总表已归档，不能再修改",
            "This summary has been archived and can no longer change",
        ));
    }
    let next = match (state, action) {
        (None | Some(S::Draft), A::Save) => Some(S::Draft),
        (Some(S::Returned), A::Save) => Some(S::Returned),
        (None | Some(S::Draft | S::Returned), A::Submit) => Some(S::Submitted),
        (Some(S::Submitted), A::Return) => Some(S::Returned),
        (Some(S::Submitted), A::Accept) => Some(S::Accepted),
        (Some(S::Accepted), A::Archive) => Some(S::Accepted),
        _ => None,
    };
    next.ok_or_else(|| {
        let (zh, en) = match (state, action) {
            (None, _) => (
                "该小组当天还没有提交汇总表",
                "The group has not submitted a summary for that day",
            ),
            (Some(S::Submitted), A::Save | A::Submit) => (
                "汇总表已提交，等待审核，暂不能修改",
                "The summary was submitted and awaits review; it cannot change now",
            ),
            (Some(S::Accepted), A::Save | A::Submit) => (
                "汇总表已通过审核，不能再修改",
                "The summary was accepted and can no longer change",
            ),
            (_, A::Archive) => (
                "只有已通过的汇总表可以归档",
                "Only accepted summaries can be archived",
            ),
            _ => (
                "只有已提交的汇总表可以审核",
                "Only submitted summaries can be reviewed",
            ),
        };
        Refusal::new("state", zh, en)
    })
}

/// The form's fields, as the liaison writes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryFields {
    pub participants: u32,
    pub topic: String,
    pub views: String,
    pub problems: String,
    pub suggestions: String,
}

/// Checks the fields against the group's size. A draft may be incomplete; a
/// submitted summary needs the topic and the main views.
pub fn check_summary(
    fields: &SummaryFields,
    members: u32,
    submitting: bool,
) -> Result<SummaryFields, Refusal> {
    if fields.participants > members {
        return Err(Refusal::new(
            "participants",
            format!("参与人数不能多于小组人数（{members} 人）"),
            format!("Participants cannot exceed the group's {members} members"),
        ));
    }
    let topic = bounded(
        "topic",
        "讨论主题",
        "the topic",
        &fields.topic,
        submitting,
        TOPIC_TITLE_MAX * 2,
    )?;
    let views = bounded(
        "views",
        "主要观点",
        "the main views",
        &fields.views,
        submitting,
        SUMMARY_FIELD_MAX,
    )?;
    let problems = bounded(
        "problems",
        "提出的问题",
        "the problems raised",
        &fields.problems,
        false,
        SUMMARY_FIELD_MAX,
    )?;
    let suggestions = bounded(
        "suggestions",
        "意见建议",
        "the suggestions",
        &fields.suggestions,
        false,
        SUMMARY_FIELD_MAX,
    )?;
    Ok(SummaryFields {
        participants: fields.participants,
        topic,
        views,
        problems,
        suggestions,
    })
}

/// Members who took part on a day: those who posted in the thread or checked
/// in. People outside the group (a liaison, staff) are not counted.
pub fn participants(members: &BTreeSet<i64>, posters: &[i64], checked_in: &[i64]) -> u32 {
    let took_part: BTreeSet<i64> = posters
        .iter()
        .chain(checked_in)
        .copied()
        .filter(|id| members.contains(id))
        .collect();
    u32::try_from(took_part.len()).unwrap_or(u32::MAX)
}

// ---- groups by region ----------------------------------------------------------

/// A node of the region tree, as the rules here need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionNode {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    pub level: RegionLevel,
}

/// The ancestor of `region` (itself included) at `level`, if the region is
/// at that level or below it.
pub fn ancestor_at(nodes: &[RegionNode], region: i64, level: RegionLevel) -> Option<i64> {
    let by_id: BTreeMap<i64, &RegionNode> = nodes.iter().map(|n| (n.id, n)).collect();
    let mut current = by_id.get(&region).copied();
    // A tree deeper than the node count means a cycle in bad data: stop.
    for _ in 0..=nodes.len() {
        let node = current?;
        if node.level == level {
            return Some(node.id);
        }
        current = node.parent.and_then(|p| by_id.get(&p).copied());
    }
    None
}

/// Learners sorted into one group per region at `level` (one per city by
/// default): `(region id, learners)` in region order. Learners whose region
/// is above that level or unknown are returned apart, for the organizer to
/// place by hand.
pub fn groups_by_region(
    nodes: &[RegionNode],
    learners: &[(i64, Option<i64>)],
    level: RegionLevel,
) -> (Vec<(i64, Vec<i64>)>, Vec<i64>) {
    let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for (learner, region) in learners {
        match region.and_then(|r| ancestor_at(nodes, r, level)) {
            Some(group) => groups.entry(group).or_default().push(*learner),
            None => unplaced.push(*learner),
        }
    }
    (groups.into_iter().collect(), unplaced)
}

// ---- the daily progress report ---------------------------------------------------

/// One line of the report: a region with its own learners' figures and its
/// whole subtree's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollupLine {
    pub region: i64,
    pub name: String,
    pub parent: Option<i64>,
    /// 0 for the top of what the viewer sees.
    pub depth: u32,
    /// Learners placed in this very region.
    pub own: Figures,
    /// This region and everything below it.
    pub total: Figures,
}

/// The report up the region tree: every region under `roots`, depth first
/// (children by name), each with the figures of its subtree, computed from
/// the same per-learner rows as the class dashboard. Rows outside the roots'
/// subtrees are not counted here; the caller decides whether they are shown.
pub fn rollup(
    nodes: &[RegionNode],
    roots: &[i64],
    rows: &[(Option<i64>, LearnerRow)],
) -> Vec<RollupLine> {
    let mut children: BTreeMap<Option<i64>, Vec<&RegionNode>> = BTreeMap::new();
    for node in nodes {
        children.entry(node.parent).or_default().push(node);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    let mut own_rows: BTreeMap<i64, Vec<LearnerRow>> = BTreeMap::new();
    for (region, row) in rows {
        if let Some(region) = region {
            own_rows.entry(*region).or_default().push(*row);
        }
    }
    let by_id: BTreeMap<i64, &RegionNode> = nodes.iter().map(|n| (n.id, n)).collect();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for root in roots {
        if let Some(node) = by_id.get(root) {
            walk(node, 0, &children, &own_rows, &mut seen, &mut out);
        }
    }
    out
}

fn walk(
    node: &RegionNode,
    depth: u32,
    children: &BTreeMap<Option<i64>, Vec<&RegionNode>>,
    own_rows: &BTreeMap<i64, Vec<LearnerRow>>,
    seen: &mut BTreeSet<i64>,
    out: &mut Vec<RollupLine>,
) -> Figures {
    // Overlapping roots (a supervisor of a city and of one of its counties)
    // and cycles in bad data count each region once.
    if !seen.insert(node.id) {
        return Figures::default();
    }
    let own = own_rows
        .get(&node.id)
        .map(|rows| figures(rows))
        .unwrap_or_default();
    let at = out.len();
    out.push(RollupLine {
        region: node.id,
        name: node.name.clone(),
        parent: node.parent,
        depth,
        own,
        total: own,
    });
    let mut total = own;
    for child in children.get(&Some(node.id)).into_iter().flatten() {
        total = total.merge(&walk(child, depth + 1, children, own_rows, seen, out));
    }
    out[at].total = total;
    total
}

/// The smallest set of `roots` that covers them all: a root inside another
/// root's subtree is dropped, so nothing is counted twice.
pub fn covering_roots(nodes: &[RegionNode], roots: &[i64]) -> Vec<i64> {
    let by_id: BTreeMap<i64, &RegionNode> = nodes.iter().map(|n| (n.id, n)).collect();
    let wanted: BTreeSet<i64> = roots.iter().copied().collect();
    wanted
        .iter()
        .copied()
        .filter(|root| {
            let mut parent = by_id.get(root).and_then(|n| n.parent);
            for _ in 0..=nodes.len() {
                match parent {
                    Some(p) if wanted.contains(&p) => return false,
                    Some(p) => parent = by_id.get(&p).and_then(|n| n.parent),
                    None => return true,
                }
            }
            true
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_is_normalized() {
        assert_eq!(normalize_text("  a \r\n\r\n\r\n  b  \n"), "a\n\n  b");
        assert_eq!(normalize_text("\n\n"), "");
        assert_eq!(check_post("  \n ").unwrap_err().field, "body");
        let long = "碁".repeat(POST_MAX + 1);
        let refusal = check_post(&long).unwrap_err();
        assert!(refusal.zh.contains("2000"), "{}", refusal.zh);
        assert_eq!(
            check_post(&"碁".repeat(POST_MAX)).map(|t| length(&t)),
            Ok(POST_MAX)
        );
    }

    #[test]
    fn tricky_text_is_kept_as_written() {
        let tricky = r#"< > & &lt; ' \ 碁 ""#;
        assert_eq!(check_post(tricky).as_deref(), Ok(tricky));
        assert_eq!(segments(tricky), vec![Segment::Text(tricky.to_owned())]);
    }

    #[test]
    fn links_and_line_breaks() {
        assert_eq!(
            segments("见 https://example.cn/a?b=1&c=2。\n谢谢"),
            vec![
                Segment::Text("见 ".into()),
                Segment::Link("https://example.cn/a?b=1&c=2".into()),
                Segment::Text("。".into()),
                Segment::Break,
                Segment::Text("谢谢".into()),
            ]
        );
        assert_eq!(
            segments("see HTTP://x.cn/p."),
            vec![
                Segment::Text("see ".into()),
                Segment::Link("HTTP://x.cn/p".into()),
                Segment::Text(".".into()),
            ]
        );
        // A link cannot carry markup out of its attribute.
        assert_eq!(
            segments("http://a.cn/\"><script>"),
            vec![
                Segment::Link("http://a.cn/".into()),
                Segment::Text("\"><script>".into()),
            ]
        );
        assert_eq!(
            segments("http:// x"),
            vec![Segment::Text("http:// x".into())]
        );
        assert_eq!(
            segments("javascript:alert(1)"),
            vec![Segment::Text("javascript:alert(1)".into())]
        );
    }

    #[test]
    fn summary_lifecycle_with_return_and_resubmit() {
        use SummaryAction as A;
        use SummaryState as S;
        let mut state = None;
        for (action, expected) in [
            (A::Save, S::Draft),
            (A::Submit, S::Submitted),
            (A::Return, S::Returned),
            (A::Save, S::Returned),
            (A::Submit, S::Submitted),
            (A::Accept, S::Accepted),
            (A::Archive, S::Accepted),
        ] {
            let next = summary_transition(state, false, action);
            assert_eq!(next, Ok(expected), "{action:?} from {state:?}");
            state = Some(expected);
        }
        assert!(summary_transition(Some(S::Submitted), false, A::Save).is_err());
        assert!(summary_transition(Some(S::Accepted), false, A::Submit).is_err());
        assert!(summary_transition(Some(S::Draft), false, A::Accept).is_err());
        assert!(summary_transition(None, false, A::Return).is_err());
        assert!(summary_transition(Some(S::Submitted), false, A::Archive).is_err());
        assert!(summary_transition(Some(S::Accepted), true, A::Archive).is_err());
        for s in [S::Draft, S::Submitted, S::Returned, S::Accepted] {
            assert_eq!(SummaryState::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn summaries_need_views_only_when_submitted() {
        let mut fields = SummaryFields {
            participants: 5,
            topic: "学习体会".into(),
            ..SummaryFields::default()
        };
        assert!(check_summary(&fields, 8, false).is_ok());
        assert_eq!(check_summary(&fields, 8, true).unwrap_err().field, "views");
        fields.views = "大家认为……".into();
        assert!(check_summary(&fields, 8, true).is_ok());
        assert_eq!(
            check_summary(&fields, 4, true).unwrap_err().field,
            "participants"
        );
        assert!(check_review_comment(" ").is_err());
    }

    #[test]
    fn participants_are_members_who_posted_or_checked_in() {
        let members: BTreeSet<i64> = [1, 2, 3, 4].into_iter().collect();
        assert_eq!(participants(&members, &[1, 1, 9], &[1, 2]), 2);
        assert_eq!(participants(&members, &[], &[]), 0);
    }

    fn tree() -> Vec<RegionNode> {
        let node = |id, parent, name: &str, level| RegionNode {
            id,
            parent,
            name: name.into(),
            level,
        };
        vec![
            node(1, None, "省", RegionLevel::Province),
            node(2, Some(1), "甲市", RegionLevel::City),
            node(3, Some(1), "乙市", RegionLevel::City),
            node(4, Some(2), "甲一县", RegionLevel::County),
            node(5, Some(2), "甲二县", RegionLevel::County),
            node(6, Some(3), "乙一县", RegionLevel::County),
        ]
    }

    #[test]
    fn learners_group_by_city() {
        let nodes = tree();
        let learners = [
            (10, Some(4)),
            (11, Some(5)),
            (12, Some(6)),
            (13, Some(1)),
            (14, None),
            (15, Some(2)),
        ];
        let (groups, unplaced) = groups_by_region(&nodes, &learners, RegionLevel::City);
        assert_eq!(groups, vec![(2, vec![10, 11, 15]), (3, vec![12])]);
        assert_eq!(unplaced, vec![13, 14]);
        let (by_county, _) = groups_by_region(&nodes, &learners, RegionLevel::County);
        assert_eq!(by_county.len(), 3);
        assert_eq!(covering_roots(&nodes, &[4, 2, 6]), vec![2, 6]);
    }

    fn arb_row() -> impl Strategy<Value = LearnerRow> {
        (
            any::<bool>(),
            any::<bool>(),
            0u32..5,
            0i64..100_000,
            proptest::option::of(0i64..=100),
            proptest::option::of(0i64..=100),
        )
            .prop_map(|(reported, checked_in, done, ms, pre, fin)| LearnerRow {
                reported,
                checked_in,
                courses_done: done,
                courses_total: 4,
                credited_ms: ms,
                pre: pre.map(|s| (s, 100)),
                final_exam: fin.map(|s| (s, 100)),
                ..LearnerRow::default()
            })
    }

    proptest! {
        /// Every line's total is its own learners plus the sum of its
        /// children's totals, and the top equals counting everyone at once.
        #[test]
        fn rollup_totals_are_sums_of_children(
            rows in proptest::collection::vec((1i64..=6, arb_row()), 0..60),
        ) {
            let nodes = tree();
            let rows: Vec<(Option<i64>, LearnerRow)> = rows.into_iter().map(|(r, row)| (Some(r), row)).collect();
            let lines = rollup(&nodes, &[1], &rows);
            prop_assert_eq!(lines.len(), nodes.len());
            for line in &lines {
                let children = lines
                    .iter()
                    .filter(|l| l.parent == Some(line.region))
                    .fold(line.own, |acc, l| acc.merge(&l.total));
                prop_assert_eq!(children, line.total);
            }
            let everyone: Vec<LearnerRow> = rows.iter().map(|(_, r)| *r).collect();
            prop_assert_eq!(lines[0].total, figures(&everyone));
        }

        #[test]
        fn links_never_swallow_markup(text in "[a-z<>\"' 。/:.h]{0,40}") {
            for segment in segments(&text) {
                if let Segment::Link(link) = segment {
                    prop_assert!(!link.contains(['<', '>', '"', '\'', ' ']));
                    prop_assert!(link.to_ascii_lowercase().starts_with("http"));
                }
            }
        }
    }
}
