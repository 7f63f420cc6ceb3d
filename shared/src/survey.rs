//! The evaluation survey (培训评价): how organizers build one, which answers a
//! learner may hand in, and the tallies the statistics screens show.
//!
//! A survey is data (a [`Survey`] stored per class), so an organizer can adapt
//! the seed's 22-item questionnaire ([`default_template`]) without a release.
//! The same checks run in the browser (instant feedback) and on the server
//! (which never trusts the browser).

use crate::exam::FieldProblem;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A problem with a survey or a response. `field` holds the item's key (as
/// written, possibly empty), or `"title"`, `"intro"` or `"items"` for problems
/// with the survey as a whole; `zh` and `en` are safe to show.
pub type Problem = FieldProblem;

/// More items than this make a survey nobody finishes on a phone.
pub const MAX_ITEMS: usize = 60;
pub const MIN_OPTIONS: usize = 2;
/// Ten options still fit on a phone screen without scrolling past the prompt.
pub const MAX_OPTIONS: usize = 10;
/// The highest value a rating scale may reach (0–10, the usual NPS scale).
pub const MAX_RATING: u8 = 10;
/// The largest minimum length an organizer may demand of a text answer.
pub const MAX_TEXT_MIN_CHARS: u32 = 2000;
/// The longest text answer accepted, counted as [`text_len`] does.
pub const MAX_TEXT_CHARS: usize = 5000;
pub const MAX_KEY_CHARS: usize = 32;
pub const MAX_TITLE_CHARS: usize = 80;
pub const MAX_INTRO_CHARS: usize = 2000;
pub const MAX_PROMPT_CHARS: usize = 500;
pub const MAX_OPTION_CHARS: usize = 100;
/// The key of the overall-satisfaction item: [`satisfaction_rate`] looks for it,
/// and counts its first two options (满意, 基本满意) as satisfied.
pub const SATISFACTION_KEY: &str = "satisfaction";

/// What kind of answer an item takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    /// 单选: exactly one option.
    Single,
    /// 多选: one or more distinct options.
    Multiple,
    /// 评分: a whole number from `min` to `max` (both included), `max` ≤ 10.
    Rating { min: u8, max: u8 },
    /// 文字: free text of at least `min_chars` characters (see [`char_count`]).
    Text { min_chars: u32 },
}

impl ItemKind {
    /// Whether the item shows options.
    pub fn has_options(self) -> bool {
        matches!(self, ItemKind::Single | ItemKind::Multiple)
    }
}

/// What a demographic item asks, so statistics can break results down by
/// trainee type (分类分析) without guessing from prompts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Demographic {
    Gender,
    AgeBand,
    Education,
    Employment,
    TrainingsLast3Years,
    CumulativeTrainingHours,
}

impl Demographic {
    pub const ALL: [Demographic; 6] = [
        Demographic::Gender,
        Demographic::AgeBand,
        Demographic::Education,
        Demographic::Employment,
        Demographic::TrainingsLast3Years,
        Demographic::CumulativeTrainingHours,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Demographic::Gender => "性别",
            Demographic::AgeBand => "年龄",
            Demographic::Education => "文化程度",
            Demographic::Employment => "就业状况",
            Demographic::TrainingsLast3Years => "近三年参训次数",
            Demographic::CumulativeTrainingHours => "累计参训时长",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Demographic::Gender => "Gender",
            Demographic::AgeBand => "Age",
            Demographic::Education => "Education",
            Demographic::Employment => "Employment",
            Demographic::TrainingsLast3Years => "Trainings in the last 3 years",
            Demographic::CumulativeTrainingHours => "Cumulative training time",
        }
    }
}

/// One question of a survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyItem {
    /// Stable identifier ("q01", "satisfaction"): responses and exports refer
    /// to it, so reordering or rewording an item never mixes up answers.
    /// 1–32 ASCII letters, digits, `_` or `-`.
    pub key: String,
    pub prompt: String,
    pub kind: ItemKind,
    /// Single/multiple: 2–10 distinct options. Empty for rating and text items.
    pub options: Vec<String>,
    pub required: bool,
    /// Set on the (single-choice) items that describe the learner.
    pub demographic: Option<Demographic>,
}

/// A survey as stored per class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    pub title: String,
    pub intro: String,
    pub items: Vec<SurveyItem>,
    /// Staff see tallies and opinions but never who gave them: learners answer
    /// more frankly when the survey says it is anonymous and means it.
    pub anonymous_to_staff: bool,
}

/// A learner's answer to one item. Option indexes are 0-based positions in
/// [`SurveyItem::options`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Single choice.
    Choice(u8),
    /// Multiple choice; an empty list counts as no answer.
    Choices(Vec<u8>),
    Rating(u8),
    /// Free text; blank text counts as no answer.
    Text(String),
}

/// Characters a text answer counts toward a minimum length: Unicode scalar
/// values that are not whitespace. Each Chinese character, letter, digit,
/// punctuation mark or single-codepoint emoji counts 1; spaces, tabs, line
/// breaks and the full-width space (U+3000) count 0, so padding with blanks
/// never reaches a minimum. (Emoji built from several code points, such as
/// family emoji joined by U+200D, count once per code point.) The answer form
/// uses this for its live counter.
pub fn char_count(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The length a text answer is stored with, for the upper bound
/// [`MAX_TEXT_CHARS`]: Unicode scalar values after trimming, inner
/// whitespace included (it is stored too).
pub fn text_len(text: &str) -> usize {
    text.trim().chars().count()
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Checks a survey as an organizer builds it. All problems are reported at
/// once, in item order.
pub fn check_survey(survey: &Survey) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let title = survey.title.trim();
    if title.is_empty() {
        problems.push(Problem::new(
            "title",
            "请填写问卷标题",
            "The survey needs a title",
        ));
    } else if too_long(title, MAX_TITLE_CHARS) {
        problems.push(Problem::new(
            "title",
            format!("问卷标题最多 {MAX_TITLE_CHARS} 个字"),
            format!("The title may have at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    if too_long(survey.intro.trim(), MAX_INTRO_CHARS) {
        problems.push(Problem::new(
            "intro",
            format!("问卷说明最多 {MAX_INTRO_CHARS} 个字"),
            format!("The introduction may have at most {MAX_INTRO_CHARS} characters"),
        ));
    }
    let count = survey.items.len();
    if count == 0 {
        problems.push(Problem::new(
            "items",
            "问卷至少需要 1 道题",
            "The survey needs at least one item",
        ));
    } else if count > MAX_ITEMS {
        problems.push(Problem::new(
            "items",
            format!("问卷最多 {MAX_ITEMS} 道题，目前 {count} 道"),
            format!("A survey may have at most {MAX_ITEMS} items; it has {count}"),
        ));
    }

    let mut keys = BTreeSet::new();
    let mut demographics = BTreeSet::new();
    for (index, item) in survey.items.iter().enumerate() {
        let n = index + 1;
        let mut push = |zh: String, en: String| problems.push(Problem::new(&item.key, zh, en));

        if !valid_key(&item.key) {
            push(
                format!("第 {n} 题的编号须为 1–{MAX_KEY_CHARS} 位字母、数字、下划线或连字符"),
                format!(
                    "Item {n}'s key must be 1–{MAX_KEY_CHARS} letters, digits, underscores or hyphens"
                ),
            );
        } else if !keys.insert(item.key.as_str()) {
            push(
                format!("第 {n} 题的编号“{}”与前面的题目重复", item.key),
                format!(
                    "Item {n}'s key \"{}\" is already used by an earlier item",
                    item.key
                ),
            );
        }

        let prompt = item.prompt.trim();
        if prompt.is_empty() {
            push(
                format!("第 {n} 题缺少题目内容"),
                format!("Item {n} has no prompt"),
            );
        } else if too_long(prompt, MAX_PROMPT_CHARS) {
            push(
                format!("第 {n} 题的题目最多 {MAX_PROMPT_CHARS} 个字"),
                format!("Item {n}'s prompt may have at most {MAX_PROMPT_CHARS} characters"),
            );
        }

        match item.kind {
            ItemKind::Single | ItemKind::Multiple => {
                let options = item.options.len();
                if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&options) {
                    push(
                        format!(
                            "第 {n} 题须有 {MIN_OPTIONS}–{MAX_OPTIONS} 个选项，目前 {options} 个"
                        ),
                        format!(
                            "Item {n} needs {MIN_OPTIONS}–{MAX_OPTIONS} options; it has {options}"
                        ),
                    );
                }
                let mut seen = BTreeSet::new();
                for (o, option) in item.options.iter().enumerate() {
                    let option = option.trim();
                    let o = o + 1;
                    if option.is_empty() {
                        push(
                            format!("第 {n} 题的第 {o} 个选项为空"),
                            format!("Item {n}'s option {o} is empty"),
                        );
                    } else if too_long(option, MAX_OPTION_CHARS) {
                        push(
                            format!("第 {n} 题的第 {o} 个选项最多 {MAX_OPTION_CHARS} 个字"),
                            format!(
                                "Item {n}'s option {o} may have at most {MAX_OPTION_CHARS} characters"
                            ),
                        );
                    } else if !seen.insert(option) {
                        push(
                            format!("第 {n} 题的选项“{option}”重复"),
                            format!("Item {n} lists the option \"{option}\" twice"),
                        );
                    }
                }
            }
            ItemKind::Rating { min, max } => {
                if min >= max || max > MAX_RATING {
                    push(
                        format!("第 {n} 题的评分范围须满足 0 ≤ 最低分 < 最高分 ≤ {MAX_RATING}"),
                        format!(
                            "Item {n}'s rating scale needs 0 ≤ lowest < highest ≤ {MAX_RATING}"
                        ),
                    );
                }
            }
            ItemKind::Text { min_chars } => {
                if min_chars > MAX_TEXT_MIN_CHARS {
                    push(
                        format!("第 {n} 题的最少字数不能超过 {MAX_TEXT_MIN_CHARS}"),
                        format!(
                            "Item {n}'s minimum length may be at most {MAX_TEXT_MIN_CHARS} characters"
                        ),
                    );
                }
            }
        }
        if !item.kind.has_options() && !item.options.is_empty() {
            push(
                format!("第 {n} 题是评分题或文字题，不设选项"),
                format!("Item {n} is a rating or text item and takes no options"),
            );
        }

        if let Some(demographic) = item.demographic {
            if item.kind != ItemKind::Single {
                push(
                    format!("第 {n} 题（{}）须为单选题", demographic.label_zh()),
                    format!(
                        "Item {n} ({}) must be a single-choice item",
                        demographic.label_en()
                    ),
                );
            }
            if !demographics.insert(demographic) {
                push(
                    format!("“{}”已由前面的题目询问", demographic.label_zh()),
                    format!(
                        "\"{}\" is already asked by an earlier item",
                        demographic.label_en()
                    ),
                );
            }
        }
        if item.key == SATISFACTION_KEY && item.kind != ItemKind::Single {
            push(
                format!("第 {n} 题（总体满意度）须为单选题"),
                format!("Item {n} (overall satisfaction) must be a single-choice item"),
            );
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// An answer that says nothing: no options ticked, or only whitespace.
fn is_blank(answer: &Answer) -> bool {
    match answer {
        Answer::Choices(chosen) => chosen.is_empty(),
        Answer::Text(text) => text.trim().is_empty(),
        Answer::Choice(_) | Answer::Rating(_) => false,
    }
}

/// What is wrong with a non-blank answer to item number `n`, in Chinese and English.
fn answer_fault(n: usize, item: &SurveyItem, answer: &Answer) -> Option<(String, String)> {
    let options = item.options.len();
    let out_of_range = |index: u8| {
        let shown = usize::from(index) + 1;
        (
            format!("第 {n} 题没有第 {shown} 个选项"),
            format!("Item {n} has no option {shown}"),
        )
    };
    match (item.kind, answer) {
        (ItemKind::Single, Answer::Choice(index)) => {
            (usize::from(*index) >= options).then(|| out_of_range(*index))
        }
        (ItemKind::Multiple, Answer::Choices(chosen)) => {
            if let Some(index) = chosen.iter().find(|i| usize::from(**i) >= options) {
                return Some(out_of_range(*index));
            }
            let distinct: BTreeSet<u8> = chosen.iter().copied().collect();
            (distinct.len() != chosen.len()).then(|| {
                (
                    format!("第 {n} 题的选项重复"),
                    format!("Item {n} has the same option chosen twice"),
                )
            })
        }
        (ItemKind::Rating { min, max }, Answer::Rating(value)) => (!(min..=max).contains(value))
            .then(|| {
                (
                    format!("第 {n} 题的评分须在 {min}–{max} 分之间"),
                    format!("Item {n}'s rating must be from {min} to {max}"),
                )
            }),
        (ItemKind::Text { min_chars }, Answer::Text(text)) => {
            let len = text_len(text);
            let counted = char_count(text);
            let min = usize::try_from(min_chars).unwrap_or(usize::MAX);
            if len > MAX_TEXT_CHARS {
                Some((
                    format!("第 {n} 题最多 {MAX_TEXT_CHARS} 个字，目前 {len} 个字"),
                    format!("Item {n} allows at most {MAX_TEXT_CHARS} characters; it has {len}"),
                ))
            } else if counted < min {
                Some((
                    format!("第 {n} 题至少需要 {min_chars} 个字，目前 {counted} 个字"),
                    format!("Item {n} needs at least {min_chars} characters; it has {counted}"),
                ))
            } else {
                None
            }
        }
        _ => Some((
            format!("第 {n} 题的答案与题型不符"),
            format!("Item {n}'s answer does not fit the item's kind"),
        )),
    }
}

/// Checks a learner's answers (keyed by item key) before they are stored.
///
/// Every required item needs a non-blank answer; an optional item may be
/// left out or blank, but if answered it must be a valid answer (a text
/// answer then also needs its minimum length). Keys the survey does not have
/// are refused, so nothing unchecked is ever stored.
pub fn check_response(
    survey: &Survey,
    answers: &BTreeMap<String, Answer>,
) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    for key in answers.keys() {
        if !survey.items.iter().any(|item| &item.key == key) {
            problems.push(Problem::new(
                key,
                format!("问卷中没有编号为“{key}”的题目"),
                format!("The survey has no item \"{key}\""),
            ));
        }
    }
    for (index, item) in survey.items.iter().enumerate() {
        let n = index + 1;
        match answers.get(&item.key) {
            Some(answer) if !is_blank(answer) => {
                if let Some((zh, en)) = answer_fault(n, item, answer) {
                    problems.push(Problem::new(&item.key, zh, en));
                }
            }
            _ => {
                if item.required {
                    problems.push(Problem::new(
                        &item.key,
                        format!("第 {n} 题为必答题"),
                        format!("Item {n} must be answered"),
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// One bar of a tally: an option (choice items) or a value (rating items).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// The option's text, or the rating value as digits.
    pub label: String,
    pub count: u32,
    /// `count` as a share of [`ItemTally::answered`] in basis points
    /// (10 000 = 100%), rounded half up; 0 when nobody answered. Whole
    /// numbers keep tallies exact and comparable; [`percent_label`] shows
    /// them rounded to 0.1%.
    pub basis_points: u32,
}

/// The results of one item over all responses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemTally {
    pub key: String,
    pub prompt: String,
    pub kind: ItemKind,
    pub demographic: Option<Demographic>,
    /// Responses with a valid, non-blank answer to this item. Answers that
    /// [`check_response`] would refuse are left out rather than guessed at.
    pub answered: u32,
    /// Choice items: one per option, in the author's order. Rating items: one
    /// per value from `min` to `max`. Text items: empty. For multiple-choice
    /// items each share is of the learners who answered, so shares may add up
    /// to more than 100%; for single-choice and rating items they add up to
    /// 100% give or take rounding (at most half a basis point per bucket).
    pub buckets: Vec<Bucket>,
    /// Rating items: the mean in hundredths (435 = 4.35), rounded half up;
    /// `None` for other kinds and when nobody answered.
    pub mean_centi: Option<u32>,
    /// Text items: the non-blank answers, trimmed, in response order.
    pub texts: Vec<String>,
}

/// `part` of `whole` in basis points, rounded half up; 0 of nothing is 0.
pub fn basis_points(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        return 0;
    }
    let bp = (u64::from(part) * 10_000 + u64::from(whole) / 2) / u64::from(whole);
    u32::try_from(bp).unwrap_or(u32::MAX)
}

/// Basis points as a percentage rounded to 0.1%: 9_300 → "93.0%", 3_333 → "33.3%".
pub fn percent_label(basis_points: u32) -> String {
    let tenths = (u64::from(basis_points) + 5) / 10;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// Hundredths as a number with two decimals: 435 → "4.35".
pub fn centi_label(centi: u32) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}

/// Tallies every item of `survey` over `responses` (each keyed by item key).
pub fn tally(survey: &Survey, responses: &[BTreeMap<String, Answer>]) -> Vec<ItemTally> {
    survey
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| tally_item(index + 1, item, responses))
        .collect()
}

fn tally_item(n: usize, item: &SurveyItem, responses: &[BTreeMap<String, Answer>]) -> ItemTally {
    let valid = responses.iter().filter_map(|response| {
        response
            .get(&item.key)
            .filter(|answer| !is_blank(answer) && answer_fault(n, item, answer).is_none())
    });
    let mut answered: u32 = 0;
    let mut counts: Vec<u32> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let mut rating_sum: u64 = 0;
    let mut texts = Vec::new();
    match item.kind {
        ItemKind::Single | ItemKind::Multiple => {
            labels = item.options.clone();
            counts = vec![0; labels.len()];
        }
        ItemKind::Rating { min, max } => {
            labels = (min..=max).map(|v| v.to_string()).collect();
            counts = vec![0; labels.len()];
        }
        ItemKind::Text { .. } => {}
    }
    for answer in valid {
        answered = answered.saturating_add(1);
        match (item.kind, answer) {
            (_, Answer::Choice(index)) => bump(&mut counts, usize::from(*index)),
            (_, Answer::Choices(chosen)) => {
                for index in chosen {
                    bump(&mut counts, usize::from(*index));
                }
            }
            (ItemKind::Rating { min, .. }, Answer::Rating(value)) => {
                rating_sum += u64::from(*value);
                bump(&mut counts, usize::from(value.saturating_sub(min)));
            }
            (_, Answer::Text(text)) => texts.push(text.trim().to_owned()),
            (_, Answer::Rating(_)) => {}
        }
    }
    let buckets = labels
        .into_iter()
        .zip(counts)
        .map(|(label, count)| Bucket {
            label,
            count,
            basis_points: basis_points(count, answered),
        })
        .collect();
    let mean_centi = match item.kind {
        ItemKind::Rating { .. } if answered > 0 => {
            let whole = u64::from(answered);
            u32::try_from((rating_sum * 100 + whole / 2) / whole).ok()
        }
        _ => None,
    };
    ItemTally {
        key: item.key.clone(),
        prompt: item.prompt.clone(),
        kind: item.kind,
        demographic: item.demographic,
        answered,
        buckets,
        mean_centi,
        texts,
    }
}

fn bump(counts: &mut [u32], index: usize) {
    if let Some(count) = counts.get_mut(index) {
        *count = count.saturating_add(1);
    }
}

/// `(satisfied, total)` for the overall-satisfaction item (key
/// [`SATISFACTION_KEY`]): `total` counts the responses with a valid answer to
/// it, `satisfied` those choosing its first or second option (满意 or 基本满意).
/// `None` when the survey has no single-choice item with that key; `Some((0, 0))`
/// when it has one but nobody answered it (callers divide only when `total > 0`).
pub fn satisfaction_rate(
    survey: &Survey,
    responses: &[BTreeMap<String, Answer>],
) -> Option<(u32, u32)> {
    let item = survey
        .items
        .iter()
        .find(|item| item.key == SATISFACTION_KEY && item.kind == ItemKind::Single)?;
    let mut satisfied: u32 = 0;
    let mut total: u32 = 0;
    for response in responses {
        if let Some(Answer::Choice(index)) = response.get(SATISFACTION_KEY) {
            let index = usize::from(*index);
            if index < item.options.len() {
                total = total.saturating_add(1);
                if index < 2 {
                    satisfied = satisfied.saturating_add(1);
                }
            }
        }
    }
    Some((satisfied, total))
}

fn choice(
    key: &str,
    kind: ItemKind,
    prompt: &str,
    options: &[&str],
    demographic: Option<Demographic>,
) -> SurveyItem {
    SurveyItem {
        key: key.to_owned(),
        prompt: prompt.to_owned(),
        kind,
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        required: true,
        demographic,
    }
}

fn single(key: &str, prompt: &str, options: &[&str]) -> SurveyItem {
    choice(key, ItemKind::Single, prompt, options, None)
}

fn about(demographic: Demographic, key: &str, prompt: &str, options: &[&str]) -> SurveyItem {
    choice(key, ItemKind::Single, prompt, options, Some(demographic))
}

/// The seed's questionnaire: 22 items, all required — six about the learner,
/// fifteen choice and rating items about the class (the overall-satisfaction
/// item has key [`SATISFACTION_KEY`]), and one opinion of at least 100
/// characters. Organizers start from it and adapt it per class.
pub fn default_template() -> Survey {
    use Demographic as D;
    let satisfaction = ["满意", "基本满意", "一般", "不满意"];
    let items = vec![
        about(D::Gender, "q01", "您的性别", &["男", "女"]),
        about(
            D::AgeBand,
            "q02",
            "您的年龄",
            &["30岁以下", "31-40岁", "41-50岁", "51岁以上"],
        ),
        about(
            D::Education,
            "q03",
            "您的文化程度",
            &["初中及以下", "高中（中专）", "大专", "本科", "研究生"],
        ),
        about(
            D::Employment,
            "q04",
            "您目前的就业状况",
            &["外出务工", "个体经营", "企业职工", "灵活就业", "其他"],
        ),
        about(
            D::TrainingsLast3Years,
            "q05",
            "近三年来，您参加各类培训的次数",
            &["0次", "1-2次", "3-5次", "5次以上"],
        ),
        about(
            D::CumulativeTrainingHours,
            "q06",
            "近三年来，您累计参加培训的时长",
            &["20小时以下", "20-50小时", "50-100小时", "100小时以上"],
        ),
        single(
            SATISFACTION_KEY,
            "您对本期网络培训班的总体评价",
            &satisfaction,
        ),
        single(
            "q08",
            "您认为本期培训的课程内容与您的工作和生活实际结合得怎么样？",
            &["结合紧密", "结合较好", "一般", "结合不够"],
        ),
        single(
            "q09",
            "您对授课老师的讲授水平是否满意？",
            &satisfaction,
        ),
        SurveyItem {
            key: "q10".to_owned(),
            prompt: "请为本期培训的课程质量打分（1 分最低，5 分最高）".to_owned(),
            kind: ItemKind::Rating { min: 1, max: 5 },
            options: Vec::new(),
            required: true,
            demographic: None,
        },
        single(
            "q11",
            "您用手机登录网络学院学习，操作是否方便？",
            &["很方便", "比较方便", "一般", "不方便"],
        ),
        single(
            "q12",
            "课程视频的画面和声音是否清晰、播放是否流畅？",
            &["清晰流畅", "基本清晰流畅", "偶尔卡顿", "经常卡顿"],
        ),
        single(
            "q13",
            "您认为本期培训的学习时间安排是否合理？",
            &["合理", "基本合理", "时间偏紧", "时间偏松"],
        ),
        single(
            "q14",
            "您主要利用什么时间参加网络学习？",
            &["工作日白天", "工作日晚上", "周末和节假日", "随时利用零碎时间"],
        ),
        single(
            "q15",
            "您认为班前测试和结业考试的难易程度如何？",
            &["偏难", "适中", "偏易"],
        ),
        choice(
            "q16",
            ItemKind::Multiple,
            "您认为对您帮助最大的课程是哪些方面？（可多选）",
            &[
                "党的创新理论",
                "党章党规党纪",
                "党史学习教育",
                "形势与政策",
                "乡村振兴政策",
                "就业创业政策",
                "法律法规知识",
                "网络和信息技术应用",
            ],
            None,
        ),
        choice(
            "q17",
            ItemKind::Multiple,
            "今后您更希望采用哪些培训方式？（可多选）",
            &[
                "网络视频课程",
                "网络直播授课",
                "集中面授",
                "分组讨论交流",
                "现场教学",
                "在线测试练习",
            ],
            None,
        ),
        single(
            "q18",
            "学习小组的每日讨论和联络员的组织对您的学习是否有帮助？",
            &["很有帮助", "有一定帮助", "帮助不大", "未参加"],
        ),
        single(
            "q19",
            "每日打卡签到对您坚持学习是否有促进作用？",
            &["作用很大", "有一定作用", "作用不大"],
        ),
        single(
            "q20",
            "学习中遇到操作问题时，工作人员的答复是否及时？",
            &["及时", "比较及时", "不及时", "没有遇到问题"],
        ),
        single(
            "q21",
            "您是否愿意推荐身边的党员参加网络学院的培训？",
            &["愿意", "可能会", "不愿意"],
        ),
        SurveyItem {
            key: "q22".to_owned(),
            prompt: "请您对本期培训班的课程设置、教学安排、组织管理和平台使用等方面提出意见和建议（不少于100字）"
                .to_owned(),
            kind: ItemKind::Text { min_chars: 100 },
            options: Vec::new(),
            required: true,
            demographic: None,
        },
    ];
    Survey {
        title: "网络学院培训班培训评价问卷".to_owned(),
        intro: "为了解本期培训的效果，进一步改进培训工作，请您根据参训实际如实填写。本问卷不记名，结果仅用于统计分析。"
            .to_owned(),
        items,
        anonymous_to_staff: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(result: Result<(), Vec<Problem>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    fn first_en(result: Result<(), Vec<Problem>>) -> String {
        result
            .err()
            .and_then(|p| p.into_iter().next())
            .map(|p| p.en)
            .unwrap_or_default()
    }

    /// A complete, valid response to the default template.
    fn valid_response(satisfaction: u8) -> BTreeMap<String, Answer> {
        let template = default_template();
        template
            .items
            .iter()
            .map(|item| {
                let answer = match item.kind {
                    ItemKind::Single if item.key == SATISFACTION_KEY => {
                        Answer::Choice(satisfaction)
                    }
                    ItemKind::Single => Answer::Choice(0),
                    ItemKind::Multiple => Answer::Choices(vec![0, 2]),
                    ItemKind::Rating { max, .. } => Answer::Rating(max),
                    ItemKind::Text { .. } => Answer::Text("学".repeat(100)),
                };
                (item.key.clone(), answer)
            })
            .collect()
    }

    fn item(key: &str, kind: ItemKind, options: &[&str]) -> SurveyItem {
        SurveyItem {
            key: key.to_owned(),
            prompt: "题目".to_owned(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            required: true,
            demographic: None,
        }
    }

    fn survey(items: Vec<SurveyItem>) -> Survey {
        Survey {
            title: "问卷".to_owned(),
            intro: String::new(),
            items,
            anonymous_to_staff: true,
        }
    }

    #[test]
    fn template_has_22_items_and_passes() {
        let template = default_template();
        assert_eq!(check_survey(&template), Ok(()));
        assert_eq!(template.items.len(), 22);
        let texts: Vec<&SurveyItem> = template
            .items
            .iter()
            .filter(|i| matches!(i.kind, ItemKind::Text { .. }))
            .collect();
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].kind, ItemKind::Text { min_chars: 100 });
        assert!(texts[0].required);
        assert_eq!(texts[0].key, "q22");
        let demographics: BTreeSet<Demographic> = template
            .items
            .iter()
            .filter_map(|i| i.demographic)
            .collect();
        assert_eq!(demographics.len(), 6);
        let satisfaction = template
            .items
            .iter()
            .find(|i| i.key == SATISFACTION_KEY)
            .unwrap();
        assert_eq!(satisfaction.options[..2], ["满意", "基本满意"]);
        assert!(template.items.iter().all(|i| i.required));
        assert_eq!(check_response(&template, &valid_response(0)), Ok(()));
    }

    #[test]
    fn characters_are_counted_as_people_count_them() {
        assert_eq!(char_count("党员教育"), 4);
        assert_eq!(char_count("  你好 世界  "), 4);
        assert_eq!(char_count("\u{3000}你好\u{3000}\n"), 2);
        assert_eq!(char_count("👍👍"), 2);
        assert_eq!(char_count("a b\tc\r\n"), 3);
        assert_eq!(char_count("很好，谢谢！"), 6);
        assert_eq!(char_count(""), 0);
        assert_eq!(text_len("  a b  "), 3);
    }

    #[test]
    fn survey_problems_are_each_reported() {
        let mut bad = survey(vec![]);
        bad.title = "  ".to_owned();
        assert_eq!(fields(check_survey(&bad)), ["title", "items"]);

        let too_many = survey(
            (0..61)
                .map(|i| item(&format!("k{i}"), ItemKind::Rating { min: 1, max: 5 }, &[]))
                .collect(),
        );
        assert_eq!(fields(check_survey(&too_many)), ["items"]);

        let cases: Vec<(SurveyItem, &str)> = vec![
            (item("", ItemKind::Single, &["a", "b"]), "key"),
            (item("q 1", ItemKind::Single, &["a", "b"]), "key"),
            (item(&"k".repeat(33), ItemKind::Single, &["a", "b"]), "key"),
            (item("a", ItemKind::Single, &["a"]), "needs 2–10 options"),
            (
                item(
                    "a",
                    ItemKind::Multiple,
                    &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"],
                ),
                "needs 2–10 options",
            ),
            (item("a", ItemKind::Single, &["是", " 是 "]), "twice"),
            (item("a", ItemKind::Single, &["是", " "]), "empty"),
            (
                item("a", ItemKind::Rating { min: 5, max: 5 }, &[]),
                "rating scale",
            ),
            (
                item("a", ItemKind::Rating { min: 0, max: 11 }, &[]),
                "rating scale",
            ),
            (
                item("a", ItemKind::Text { min_chars: 2001 }, &[]),
                "minimum length",
            ),
            (
                item("a", ItemKind::Text { min_chars: 10 }, &["x", "y"]),
                "takes no options",
            ),
        ];
        for (bad_item, expected) in cases {
            let result = check_survey(&survey(vec![bad_item.clone()]));
            assert!(first_en(result).contains(expected), "{bad_item:?}");
        }

        let mut no_prompt = item("a", ItemKind::Single, &["是", "否"]);
        no_prompt.prompt = " ".to_owned();
        assert!(first_en(check_survey(&survey(vec![no_prompt]))).contains("no prompt"));

        let duplicate = survey(vec![
            item("a", ItemKind::Single, &["是", "否"]),
            item("a", ItemKind::Single, &["是", "否"]),
        ]);
        assert!(first_en(check_survey(&duplicate)).contains("already used"));

        let mut age = item("age", ItemKind::Multiple, &["年轻", "年长"]);
        age.demographic = Some(Demographic::AgeBand);
        let mut age2 = item("age2", ItemKind::Single, &["年轻", "年长"]);
        age2.demographic = Some(Demographic::AgeBand);
        let result = check_survey(&survey(vec![age, age2]));
        assert_eq!(fields(result), ["age", "age2"]);

        let satisfaction = item(SATISFACTION_KEY, ItemKind::Multiple, &["满意", "不满意"]);
        assert!(first_en(check_survey(&survey(vec![satisfaction]))).contains("single-choice"));

        // Template and edge values pass.
        let fine = survey(vec![
            item("r", ItemKind::Rating { min: 0, max: 10 }, &[]),
            item("t", ItemKind::Text { min_chars: 2000 }, &[]),
        ]);
        assert_eq!(check_survey(&fine), Ok(()));
    }

    #[test]
    fn response_problems_are_each_reported() {
        let template = default_template();
        let check = |edit: &dyn Fn(&mut BTreeMap<String, Answer>)| {
            let mut response = valid_response(0);
            edit(&mut response);
            check_response(&template, &response)
        };

        let short = check(&|r| {
            r.insert(
                "q22".into(),
                Answer::Text(format!("{}   ", "好".repeat(37))),
            );
        });
        let problems = short.clone().unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "q22");
        assert_eq!(problems[0].zh, "第 22 题至少需要 100 个字，目前 37 个字");
        assert_eq!(
            problems[0].en,
            "Item 22 needs at least 100 characters; it has 37"
        );

        // Spaces do not reach the minimum.
        let padded = check(&|r| {
            r.insert("q22".into(), Answer::Text("好 ".repeat(99)));
        });
        assert!(first_en(padded).contains("it has 99"));

        let long = check(&|r| {
            r.insert("q22".into(), Answer::Text("好".repeat(5001)));
        });
        assert!(first_en(long).contains("at most 5000"));
        assert_eq!(
            check(&|r| {
                r.insert(
                    "q22".into(),
                    Answer::Text(format!("  {}  ", "好".repeat(5000))),
                );
            }),
            Ok(())
        );

        let missing = check(&|r| {
            r.remove("q05");
        });
        assert_eq!(first_en(missing), "Item 5 must be answered");
        let blank = check(&|r| {
            r.insert("q22".into(), Answer::Text(" \n ".into()));
        });
        assert_eq!(first_en(blank), "Item 22 must be answered");
        let none_ticked = check(&|r| {
            r.insert("q16".into(), Answer::Choices(vec![]));
        });
        assert_eq!(first_en(none_ticked), "Item 16 must be answered");

        let unknown = check(&|r| {
            r.insert("q99".into(), Answer::Choice(0));
        });
        assert_eq!(fields(unknown), ["q99"]);

        let wrong_kind = check(&|r| {
            r.insert("q01".into(), Answer::Choices(vec![0]));
        });
        assert!(first_en(wrong_kind).contains("does not fit"));
        let wrong_kind = check(&|r| {
            r.insert("q10".into(), Answer::Choice(1));
        });
        assert!(first_en(wrong_kind).contains("does not fit"));

        let out_of_range = check(&|r| {
            r.insert("q01".into(), Answer::Choice(2));
        });
        assert_eq!(first_en(out_of_range), "Item 1 has no option 3");
        let out_of_range = check(&|r| {
            r.insert("q16".into(), Answer::Choices(vec![0, 8]));
        });
        assert_eq!(first_en(out_of_range), "Item 16 has no option 9");
        let repeated = check(&|r| {
            r.insert("q16".into(), Answer::Choices(vec![1, 1]));
        });
        assert!(first_en(repeated).contains("twice"));

        let rating = check(&|r| {
            r.insert("q10".into(), Answer::Rating(0));
        });
        assert_eq!(first_en(rating), "Item 10's rating must be from 1 to 5");
        let rating = check(&|r| {
            r.insert("q10".into(), Answer::Rating(6));
        });
        assert!(rating.is_err());

        // Optional items may be skipped or left blank, but not answered wrongly.
        let mut optional = survey(vec![
            item("t", ItemKind::Text { min_chars: 10 }, &[]),
            item("c", ItemKind::Single, &["是", "否"]),
        ]);
        for item in &mut optional.items {
            item.required = false;
        }
        assert_eq!(check_response(&optional, &BTreeMap::new()), Ok(()));
        let blank = BTreeMap::from([("t".to_owned(), Answer::Text("  ".to_owned()))]);
        assert_eq!(check_response(&optional, &blank), Ok(()));
        let short = BTreeMap::from([("t".to_owned(), Answer::Text("太短".to_owned()))]);
        assert!(check_response(&optional, &short).is_err());
        let wrong = BTreeMap::from([("c".to_owned(), Answer::Choice(5))]);
        assert!(check_response(&optional, &wrong).is_err());
    }

    #[test]
    fn seed_figures_tally_and_give_the_satisfaction_rate() {
        let template = default_template();
        // The seed: 100 opinions, 93 satisfied, 7 average.
        let mut responses: Vec<BTreeMap<String, Answer>> = (0..100)
            .map(|i| {
                valid_response(if i < 80 {
                    0
                } else if i < 93 {
                    1
                } else {
                    2
                })
            })
            .collect();
        responses[0].insert("q10".into(), Answer::Rating(4));
        let second = format!("第二条意见：{}", "很好".repeat(50));
        responses[1].insert("q22".into(), Answer::Text(format!("  {second}\n")));
        // An answer check_response would refuse is left out of the tally.
        responses[2].insert("q01".into(), Answer::Choice(9));

        assert_eq!(satisfaction_rate(&template, &responses), Some((93, 100)));
        let tallies = tally(&template, &responses);
        assert_eq!(tallies.len(), 22);

        let satisfaction = &tallies[6];
        assert_eq!(satisfaction.key, SATISFACTION_KEY);
        let counts: Vec<u32> = satisfaction.buckets.iter().map(|b| b.count).collect();
        assert_eq!(counts, [80, 13, 7, 0]);
        assert_eq!(satisfaction.buckets[0].basis_points, 8000);
        assert_eq!(percent_label(satisfaction.buckets[2].basis_points), "7.0%");

        assert_eq!(tallies[0].answered, 99);
        assert_eq!(tallies[0].buckets[0].basis_points, 10_000);

        let rating = &tallies[9];
        assert_eq!(rating.buckets.len(), 5);
        assert_eq!(rating.buckets[3].count, 1);
        assert_eq!(rating.buckets[4].count, 99);
        assert_eq!(rating.mean_centi, Some(499));
        assert_eq!(centi_label(499), "4.99");

        let multiple = &tallies[15];
        assert_eq!(multiple.answered, 100);
        assert_eq!(multiple.buckets[0].basis_points, 10_000);
        assert_eq!(multiple.buckets[2].basis_points, 10_000);

        let opinions = &tallies[21];
        assert_eq!(opinions.texts.len(), 100);
        assert_eq!(opinions.texts[1], second);
        assert!(opinions.buckets.is_empty());
        assert_eq!(opinions.mean_centi, None);
    }

    #[test]
    fn shares_of_a_single_choice_add_up_to_about_100_percent() {
        let s = survey(vec![item("c", ItemKind::Single, &["甲", "乙", "丙"])]);
        let responses: Vec<BTreeMap<String, Answer>> = [0u8, 1, 2]
            .iter()
            .map(|i| BTreeMap::from([("c".to_owned(), Answer::Choice(*i))]))
            .collect();
        let tallies = tally(&s, &responses);
        let shares: Vec<u32> = tallies[0].buckets.iter().map(|b| b.basis_points).collect();
        assert_eq!(shares, [3333, 3333, 3333]);
        assert_eq!(percent_label(3333), "33.3%");
        assert_eq!(percent_label(6667), "66.7%");
        assert_eq!(percent_label(10_000), "100.0%");
        assert_eq!(tally(&s, &[])[0].buckets[0].basis_points, 0);
        assert_eq!(satisfaction_rate(&s, &responses), None);
        let with_item = survey(vec![item(
            SATISFACTION_KEY,
            ItemKind::Single,
            &["满意", "不满意"],
        )]);
        assert_eq!(satisfaction_rate(&with_item, &[]), Some((0, 0)));
    }

    fn arb_item(index: usize) -> impl Strategy<Value = SurveyItem> {
        let kind = prop_oneof![
            Just(ItemKind::Single),
            Just(ItemKind::Multiple),
            (0u8..10)
                .prop_flat_map(|min| (Just(min), min + 1..=10))
                .prop_map(|(min, max)| ItemKind::Rating { min, max }),
            (0u32..=300).prop_map(|min_chars| ItemKind::Text { min_chars }),
        ];
        (kind, 2usize..=10, any::<bool>()).prop_map(move |(kind, options, required)| SurveyItem {
            key: format!("q{index:02}"),
            prompt: format!("第{index}题"),
            kind,
            options: if kind.has_options() {
                (0..options).map(|o| format!("选项{o}")).collect()
            } else {
                Vec::new()
            },
            required,
            demographic: None,
        })
    }

    fn arb_survey() -> impl Strategy<Value = Survey> {
        prop_oneof![
            1 => Just(default_template()),
            3 => (1usize..=30).prop_flat_map(|n| {
                (0..n).map(arb_item).collect::<Vec<_>>().prop_map(survey)
            }),
        ]
    }

    proptest! {
        /// Any response built from the survey's own options, scales and long
        /// enough texts is accepted, and every tally bar stays within its item's
        /// answers.
        #[test]
        fn responses_built_from_valid_choices_pass(
            survey in arb_survey(),
            seeds in proptest::collection::vec((any::<u16>(), any::<u16>(), any::<bool>()), 60),
            extra in "[\\p{Han}a-zA-Z0-9，。 ]{0,30}",
        ) {
            prop_assert_eq!(check_survey(&survey), Ok(()));
            let mut response = BTreeMap::new();
            for (item, (a, b, skip)) in survey.items.iter().zip(seeds) {
                if skip && !item.required {
                    continue;
                }
                let options = u16::try_from(item.options.len()).unwrap_or(1).max(1);
                let answer = match item.kind {
                    ItemKind::Single => Answer::Choice(u8::try_from(a % options).unwrap()),
                    ItemKind::Multiple => {
                        let mut chosen: Vec<u8> = (0..options)
                            .filter(|o| (a >> o) & 1 == 1)
                            .map(|o| u8::try_from(o).unwrap())
                            .collect();
                        if chosen.is_empty() {
                            chosen.push(u8::try_from(b % options).unwrap());
                        }
                        Answer::Choices(chosen)
                    }
                    ItemKind::Rating { min, max } => {
                        let span = u16::from(max - min) + 1;
                        Answer::Rating(min + u8::try_from(a % span).unwrap())
                    }
                    ItemKind::Text { min_chars } => {
                        let base = "评".repeat(usize::try_from(min_chars.max(1)).unwrap());
                        Answer::Text(format!("{base}{extra}"))
                    }
                };
                response.insert(item.key.clone(), answer);
            }
            prop_assert_eq!(check_response(&survey, &response), Ok(()));
            let responses = vec![response.clone(), response];
            for tally in tally(&survey, &responses) {
                prop_assert!(tally.answered <= 2);
                for bucket in &tally.buckets {
                    prop_assert!(bucket.count <= tally.answered);
                    prop_assert!(bucket.basis_points <= 10_000);
                }
                if matches!(tally.kind, ItemKind::Single | ItemKind::Rating { .. })
                    && tally.answered > 0
                {
                    let sum: u32 = tally.buckets.iter().map(|b| b.basis_points).sum();
                    prop_assert!(sum.abs_diff(10_000) <= 5, "{}", sum);
                }
            }
        }
    }
}
