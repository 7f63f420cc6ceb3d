//! Drawing papers from a plan: forms A and B, stratified by topic and
//! lecturer, reproducible from a seed.
//!
//! A paper is a pure function of the plan, the set of candidates and the seed:
//! the pool is put in id order before anything random happens, and all chance
//! goes through [`super::rng`], whose algorithms are pinned. The server stores
//! the seed and can redraw the very same paper at any time.
//!
//! Whether a plan can be met at all is decided exactly with a max-flow between
//! sections and classes of interchangeable questions: sections may compete for
//! the same questions (a 党史 section and an any-topic section of the same
//! bank), and counting each section alone would accept plans no draw can meet.

use super::blueprint::{Blueprint, Section};
use super::rng::{SeededRng, below, shuffle};
use super::{Candidate, QuestionKind};
use crate::ids::QuestionId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The two forms drawn from one plan, so that neighbours in the exam room get
/// different questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Form {
    A,
    B,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnQuestion {
    pub question: QuestionId,
    /// Index of the blueprint section the question was drawn for.
    pub section: u16,
    /// Display position → author's option index; empty when the question has
    /// no options. Identity order when `shuffle_options` is off.
    pub option_order: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    pub questions: Vec<DrawnQuestion>,
}

/// A section the pool cannot fill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    /// 0-based index into `Blueprint::sections` (messages count from 1).
    pub section: usize,
    /// Questions that fit: the section's own when it is short by itself;
    /// those of all competing sections together when they share questions.
    pub available: u32,
    /// The section's count, or the competing sections' counts together.
    pub needed: u32,
    pub zh: String,
    pub en: String,
}

/// Whether the pool can satisfy every section at once, questions being
/// distinct across sections. `Err` lists every section that cannot be filled,
/// ordered by section: those short by themselves, and those that only fall
/// short because other sections need the same questions.
pub fn check_blueprint(bp: &Blueprint, pool: &[Candidate]) -> Result<(), Vec<Shortfall>> {
    check_candidates(bp, &canonical(pool))
}

/// Draws forms A and B with one rng. A question is eligible for a section when
/// bank and kind match and the section has no topics or lists its topic.
///
/// B is drawn from the pool minus A whenever that reduced pool can meet the
/// plan, so the forms are disjoint when the pool allows it; otherwise B takes
/// as few of A's questions as possible and the rest from outside A.
pub fn draw_forms(
    bp: &Blueprint,
    pool: &[Candidate],
    rng: &mut impl rand::RngCore,
) -> Result<(Paper, Paper), Vec<Shortfall>> {
    let cands = canonical(pool);
    check_candidates(bp, &cands)?;

    let picks_a = draw_selection(bp, &cands, rng).ok_or_else(|| unexpected(bp))?;
    let paper_a = build_paper(bp, picks_a, rng);

    let in_a: BTreeSet<QuestionId> = paper_a.questions.iter().map(|q| q.question).collect();
    let rest: Vec<&Candidate> = cands
        .iter()
        .copied()
        .filter(|c| !in_a.contains(&c.id))
        .collect();
    let picks_b = if feasible(bp, &rest) {
        draw_selection(bp, &rest, rng)
    } else {
        draw_by_quotas(bp, &cands, &in_a, rng)
    }
    .ok_or_else(|| unexpected(bp))?;
    let paper_b = build_paper(bp, picks_b, rng);
    Ok((paper_a, paper_b))
}

/// [`draw_forms`] with `SeededRng::new(seed)`, returning the requested form.
pub fn draw_form(
    bp: &Blueprint,
    pool: &[Candidate],
    seed: u64,
    form: Form,
) -> Result<Paper, Vec<Shortfall>> {
    let (a, b) = draw_forms(bp, pool, &mut SeededRng::new(seed))?;
    Ok(match form {
        Form::A => a,
        Form::B => b,
    })
}

/// A retake of `form`: a fresh paper (from `retake_seed`) that never holds a
/// question of the learner's other form — the first draw, from `first_seed`,
/// which for a class is the final exam when `form` is the pre-test — so no
/// number of pre-test retakes shows the final exam's questions. Questions the
/// two first papers share (a pool too small to keep them apart) are allowed,
/// as the first attempt showed them already. When the rest of the pool cannot
/// meet the plan, the learner's own first paper of this form is given again,
/// in a new order.
pub fn draw_retake(
    bp: &Blueprint,
    pool: &[Candidate],
    first_seed: u64,
    retake_seed: u64,
    form: Form,
) -> Result<Paper, Vec<Shortfall>> {
    let (a, b) = draw_forms(bp, pool, &mut SeededRng::new(first_seed))?;
    let (own, other) = match form {
        Form::A => (a, b),
        Form::B => (b, a),
    };
    let own_ids: BTreeSet<QuestionId> = own.questions.iter().map(|q| q.question).collect();
    let barred: BTreeSet<QuestionId> = other
        .questions
        .iter()
        .map(|q| q.question)
        .filter(|q| !own_ids.contains(q))
        .collect();
    let cands = canonical(pool);
    let rest: Vec<&Candidate> = cands
        .iter()
        .copied()
        .filter(|c| !barred.contains(&c.id))
        .collect();
    let rng = &mut SeededRng::new(retake_seed);
    let picks = if feasible(bp, &rest) {
        draw_selection(bp, &rest, rng).ok_or_else(|| unexpected(bp))?
    } else {
        let by_id: BTreeMap<QuestionId, &Candidate> = cands.iter().map(|c| (c.id, *c)).collect();
        let mut picks: Picks<'_> = vec![Vec::new(); bp.sections.len()];
        for drawn in &own.questions {
            let candidate = by_id.get(&drawn.question).ok_or_else(|| unexpected(bp))?;
            picks
                .get_mut(usize::from(drawn.section))
                .ok_or_else(|| unexpected(bp))?
                .push(*candidate);
        }
        picks
    };
    Ok(build_paper(bp, picks, rng))
}

/// How many questions the two papers have in common.
pub fn overlap(a: &Paper, b: &Paper) -> usize {
    let in_b: BTreeSet<QuestionId> = b.questions.iter().map(|q| q.question).collect();
    let in_a: BTreeSet<QuestionId> = a.questions.iter().map(|q| q.question).collect();
    in_a.intersection(&in_b).count()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dimension {
    Kind,
    Topic,
    Lecturer,
    Difficulty,
}

impl Dimension {
    fn rank(self) -> u8 {
        match self {
            Dimension::Kind => 0,
            Dimension::Topic => 1,
            Dimension::Lecturer => 2,
            Dimension::Difficulty => 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub dimension: Dimension,
    /// Kind code, topic, lecturer or difficulty digit ("" is shown as 未标注
    /// by the UI).
    pub value: String,
    pub available: u32,
    pub drawn_a: u32,
    pub drawn_b: u32,
}

/// Per kind, topic, lecturer and difficulty: how many questions eligible for
/// any section the pool has, and how many of them forms A and B drew. Sorted
/// by dimension (kind, topic, lecturer, difficulty) then value.
pub fn coverage(bp: &Blueprint, pool: &[Candidate], a: &Paper, b: &Paper) -> Vec<CoverageRow> {
    let cands = canonical(pool);
    let by_id: BTreeMap<QuestionId, &Candidate> = cands.iter().map(|c| (c.id, *c)).collect();
    let mut rows: BTreeMap<(u8, String), (Dimension, [u32; 3])> = BTreeMap::new();
    let mut tally = |c: &Candidate, column: usize| {
        let values = [
            (Dimension::Kind, c.kind.code().to_owned()),
            (Dimension::Topic, c.topic.clone()),
            (Dimension::Lecturer, c.lecturer.clone()),
            (Dimension::Difficulty, c.difficulty.to_string()),
        ];
        for (dimension, value) in values {
            let row = rows
                .entry((dimension.rank(), value))
                .or_insert((dimension, [0; 3]));
            row.1[column] = row.1[column].saturating_add(1);
        }
    };
    for c in &cands {
        if bp.sections.iter().any(|s| eligible(c, s)) {
            tally(c, 0);
        }
    }
    for (column, paper) in [(1, a), (2, b)] {
        for q in &paper.questions {
            if let Some(c) = by_id.get(&q.question) {
                tally(c, column);
            }
        }
    }
    rows.into_iter()
        .map(
            |((_, value), (dimension, [available, drawn_a, drawn_b]))| CoverageRow {
                dimension,
                value,
                available,
                drawn_a,
                drawn_b,
            },
        )
        .collect()
}

fn eligible(c: &Candidate, s: &Section) -> bool {
    c.bank == s.bank && c.kind == s.kind && (s.topics.is_empty() || s.topics.contains(&c.topic))
}

/// The pool in id order, one candidate per id, so that neither the order the
/// database returned nor an accidental duplicate changes a paper.
fn canonical(pool: &[Candidate]) -> Vec<&Candidate> {
    let mut cands: Vec<&Candidate> = pool.iter().collect();
    cands.sort_by(|a, b| {
        (
            a.id,
            a.bank,
            a.kind,
            &a.topic,
            &a.lecturer,
            a.difficulty,
            a.options,
        )
            .cmp(&(
                b.id,
                b.bank,
                b.kind,
                &b.topic,
                &b.lecturer,
                b.difficulty,
                b.options,
            ))
    });
    cands.dedup_by_key(|c| c.id);
    cands
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------
// Feasibility: max-flow over classes of interchangeable questions.

/// Questions eligible for exactly the same sections (and equally in or out of
/// form A) are interchangeable for feasibility; there are few such classes
/// even in a large bank, which keeps the flow network tiny.
struct Class {
    sections: Vec<usize>,
    avoided: bool,
    /// Indices into the candidate slice, ascending.
    members: Vec<usize>,
}

fn classify(bp: &Blueprint, cands: &[&Candidate], avoid: &BTreeSet<QuestionId>) -> Vec<Class> {
    let mut classes: BTreeMap<(Vec<usize>, bool), Vec<usize>> = BTreeMap::new();
    for (i, c) in cands.iter().enumerate() {
        let sections: Vec<usize> = bp
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| eligible(c, s))
            .map(|(k, _)| k)
            .collect();
        if !sections.is_empty() {
            classes
                .entry((sections, avoid.contains(&c.id)))
                .or_default()
                .push(i);
        }
    }
    classes
        .into_iter()
        .map(|((sections, avoided), members)| Class {
            sections,
            avoided,
            members,
        })
        .collect()
}

/// Edmonds–Karp on an adjacency list; edge `e ^ 1` is the reverse of `e`.
struct FlowNet {
    to: Vec<usize>,
    cap: Vec<u64>,
    adj: Vec<Vec<usize>>,
}

impl FlowNet {
    fn new(nodes: usize) -> Self {
        FlowNet {
            to: Vec::new(),
            cap: Vec::new(),
            adj: vec![Vec::new(); nodes],
        }
    }

    fn add_edge(&mut self, from: usize, to: usize, cap: u64) -> usize {
        let e = self.to.len();
        self.to.extend([to, from]);
        self.cap.extend([cap, 0]);
        self.adj[from].push(e);
        self.adj[to].push(e + 1);
        e
    }

    fn flow(&self, e: usize) -> u64 {
        self.cap[e ^ 1]
    }

    /// Predecessor edges of a BFS over edges with spare capacity.
    fn bfs(&self, source: usize) -> (Vec<bool>, Vec<Option<usize>>) {
        let mut seen = vec![false; self.adj.len()];
        let mut via = vec![None; self.adj.len()];
        let mut queue = VecDeque::from([source]);
        seen[source] = true;
        while let Some(u) = queue.pop_front() {
            for &e in &self.adj[u] {
                let v = self.to[e];
                if self.cap[e] > 0 && !seen[v] {
                    seen[v] = true;
                    via[v] = Some(e);
                    queue.push_back(v);
                }
            }
        }
        (seen, via)
    }

    /// Pushes as much more flow as fits; existing flow is kept, and flow into
    /// the sink along an edge never decreases (paths end at the sink).
    fn augment(&mut self, source: usize, sink: usize) -> u64 {
        let mut total = 0u64;
        loop {
            let (seen, via) = self.bfs(source);
            if !seen[sink] {
                return total;
            }
            let mut bottleneck = u64::MAX;
            let mut v = sink;
            while let Some(e) = via[v] {
                bottleneck = bottleneck.min(self.cap[e]);
                v = self.to[e ^ 1];
            }
            let mut v = sink;
            while let Some(e) = via[v] {
                self.cap[e] -= bottleneck;
                self.cap[e ^ 1] += bottleneck;
                v = self.to[e ^ 1];
            }
            total = total.saturating_add(bottleneck);
        }
    }
}

struct Assignment {
    served: u64,
    /// `[section][class]`: how many questions of the class the section takes.
    quotas: Vec<Vec<u64>>,
    /// Sections on the source side of the minimum cut: together they need
    /// more than the classes they can reach hold (Hall's condition fails).
    stuck: Vec<bool>,
}

/// Max-flow source → section (its demand) → class (unbounded) → sink (class
/// size). With `spare_avoided`, classes of avoided questions are opened only
/// after everything else is used, so the fewest avoided questions are taken.
fn assign(demand: &[u64], classes: &[Class], spare_avoided: bool) -> Assignment {
    let sections = demand.len();
    let source = 0;
    let sink = sections + classes.len() + 1;
    let mut net = FlowNet::new(sink + 1);
    // Section → class edges must never be the bottleneck, or the minimum cut
    // would stop meaning "these sections cannot reach enough questions".
    let unbounded = demand.iter().fold(1u64, |a, &d| a.saturating_add(d));
    for (i, &d) in demand.iter().enumerate() {
        net.add_edge(source, 1 + i, d);
    }
    let mut section_edges = Vec::new();
    let mut sink_edges = Vec::with_capacity(classes.len());
    for (k, class) in classes.iter().enumerate() {
        let node = 1 + sections + k;
        for &i in &class.sections {
            section_edges.push((i, k, net.add_edge(1 + i, node, unbounded)));
        }
        let size = class.members.len() as u64;
        let cap = if spare_avoided && class.avoided {
            0
        } else {
            size
        };
        sink_edges.push(net.add_edge(node, sink, cap));
    }
    let mut served = net.augment(source, sink);
    if spare_avoided {
        for (class, &e) in classes.iter().zip(&sink_edges) {
            if class.avoided {
                net.cap[e] += class.members.len() as u64;
            }
        }
        served = served.saturating_add(net.augment(source, sink));
    }
    let mut quotas = vec![vec![0; classes.len()]; sections];
    for (i, k, e) in section_edges {
        quotas[i][k] = net.flow(e);
    }
    let (reach, _) = net.bfs(source);
    Assignment {
        served,
        quotas,
        stuck: (0..sections).map(|i| reach[1 + i]).collect(),
    }
}

fn demands(bp: &Blueprint) -> Vec<u64> {
    bp.sections.iter().map(|s| u64::from(s.count)).collect()
}

fn feasible(bp: &Blueprint, cands: &[&Candidate]) -> bool {
    let demand = demands(bp);
    let classes = classify(bp, cands, &BTreeSet::new());
    assign(&demand, &classes, false).served >= demand.iter().sum::<u64>()
}

fn check_candidates(bp: &Blueprint, cands: &[&Candidate]) -> Result<(), Vec<Shortfall>> {
    let classes = classify(bp, cands, &BTreeSet::new());
    let mut available = vec![0u64; bp.sections.len()];
    for class in &classes {
        for &i in &class.sections {
            available[i] += class.members.len() as u64;
        }
    }
    let mut shortfalls = Vec::new();
    let mut alone_short = vec![false; bp.sections.len()];
    // A section short by itself is reported as such and asks only for what it
    // could have; what remains short after that is competition between sections.
    let mut demand = Vec::with_capacity(bp.sections.len());
    for (i, s) in bp.sections.iter().enumerate() {
        let need = u64::from(s.count);
        if available[i] < need {
            alone_short[i] = true;
            shortfalls.push(alone_shortfall(i, s, available[i]));
        }
        demand.push(need.min(available[i]));
    }
    let plan = assign(&demand, &classes, false);
    if plan.served < demand.iter().sum::<u64>() {
        for group in stuck_groups(&plan.stuck, &classes) {
            let group_available: u64 = classes
                .iter()
                .filter(|c| c.sections.iter().any(|i| group.contains(i)))
                .map(|c| c.members.len() as u64)
                .sum();
            let group_needed: u64 = group.iter().map(|&i| u64::from(bp.sections[i].count)).sum();
            for &i in &group {
                if alone_short[i] {
                    continue;
                }
                let others: Vec<usize> = group.iter().copied().filter(|&j| j != i).collect();
                shortfalls.push(if others.is_empty() {
                    alone_shortfall(i, &bp.sections[i], group_available)
                } else {
                    shared_shortfall(i, &others, group_available, group_needed)
                });
            }
        }
    }
    if shortfalls.is_empty() {
        Ok(())
    } else {
        shortfalls.sort_by_key(|s| s.section);
        Err(shortfalls)
    }
}

/// The stuck sections split into groups that compete for the same questions;
/// separate groups (say, in different banks) are reported separately.
fn stuck_groups(stuck: &[bool], classes: &[Class]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..stuck.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for class in classes {
        let mut members = class.sections.iter().copied().filter(|&i| stuck[i]);
        if let Some(first) = members.next() {
            for other in members {
                let (a, b) = (root(&mut parent, first), root(&mut parent, other));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in (0..stuck.len()).filter(|&i| stuck[i]) {
        groups.entry(root(&mut parent, i)).or_default().push(i);
    }
    groups.into_values().collect()
}

fn kind_en(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "single-choice",
        QuestionKind::Multiple => "multiple-choice",
        QuestionKind::TrueFalse => "true/false",
        QuestionKind::Fill => "fill-in",
    }
}

fn alone_shortfall(index: usize, s: &Section, available: u64) -> Shortfall {
    let n = index + 1;
    let need = s.count;
    let kind_zh = s.kind.label_zh();
    let kind_en = kind_en(s.kind);
    let (where_zh, where_en) = if s.topics.is_empty() {
        ("题库中".to_owned(), "in the bank".to_owned())
    } else {
        let quoted: Vec<String> = s.topics.iter().map(|t| format!("“{t}”")).collect();
        let label = if s.topics.len() == 1 {
            "topic"
        } else {
            "topics"
        };
        (
            format!("知识点{}", quoted.join("、")),
            format!("on {label} {}", s.topics.join(", ")),
        )
    };
    let (zh, en) = if available == 0 {
        (
            format!("第{n}部分：{where_zh}没有{kind_zh}，方案需要 {need} 道"),
            format!("Section {n}: no {kind_en} questions {where_en}, the blueprint needs {need}"),
        )
    } else {
        let noun = if available == 1 {
            "question"
        } else {
            "questions"
        };
        (
            format!("第{n}部分：{where_zh}只有 {available} 道{kind_zh}，方案需要 {need} 道"),
            format!(
                "Section {n}: only {available} {kind_en} {noun} {where_en}, the blueprint needs {need}"
            ),
        )
    };
    Shortfall {
        section: index,
        available: to_u32(available),
        needed: need,
        zh,
        en,
    }
}

fn shared_shortfall(index: usize, others: &[usize], available: u64, needed: u64) -> Shortfall {
    let n = index + 1;
    let numbers: Vec<String> = others.iter().map(|i| (i + 1).to_string()).collect();
    let others_en = match numbers.as_slice() {
        [one] => format!("section {one}"),
        [init @ .., last] => format!("sections {} and {last}", init.join(", ")),
        [] => String::new(),
    };
    Shortfall {
        section: index,
        available: to_u32(available),
        needed: to_u32(needed),
        zh: format!(
            "第{n}部分：与第{}部分要用同一批题目，合计需要 {needed} 道，符合条件的只有 {available} 道",
            numbers.join("、")
        ),
        en: format!(
            "Section {n}: competes with {others_en} for the same questions; together they need \
             {needed}, but only {available} questions fit"
        ),
    }
}

/// Only reachable if the flow and the drawing disagree, i.e. a bug; a refusal
/// is better than a paper that breaks the plan.
fn unexpected(bp: &Blueprint) -> Vec<Shortfall> {
    vec![Shortfall {
        section: 0,
        available: 0,
        needed: bp.question_count(),
        zh: "无法按方案组卷，请检查题库后重试".to_owned(),
        en: "The paper could not be drawn from this plan; check the bank and try again".to_owned(),
    }]
}

// ---------------------------------------------------------------------------
// Drawing.

/// Per section, the candidates drawn for it.
type Picks<'a> = Vec<Vec<&'a Candidate>>;

fn draw_selection<'a>(
    bp: &Blueprint,
    cands: &[&'a Candidate],
    rng: &mut impl rand::RngCore,
) -> Option<Picks<'a>> {
    draw_greedy(bp, cands, rng).or_else(|| draw_by_quotas(bp, cands, &BTreeSet::new(), rng))
}

/// Sections in order, each stratified over what earlier sections left. This
/// can paint itself into a corner (an any-topic section taking the 党史
/// questions a later 党史 section needs); the caller then uses quotas.
fn draw_greedy<'a>(
    bp: &Blueprint,
    cands: &[&'a Candidate],
    rng: &mut impl rand::RngCore,
) -> Option<Picks<'a>> {
    let mut used = vec![false; cands.len()];
    let mut picks = Vec::with_capacity(bp.sections.len());
    for s in &bp.sections {
        let members = (0..cands.len()).filter(|&i| !used[i] && eligible(cands[i], s));
        let chosen = stratified(cands, members, u64::from(s.count), rng)?;
        for &i in &chosen {
            used[i] = true;
        }
        picks.push(chosen.into_iter().map(|i| cands[i]).collect());
    }
    Some(picks)
}

/// Each section takes, from each class, the number a max-flow assigned it, so
/// every section is filled; stratification then applies within each class.
/// With a non-empty `avoid`, the flow takes the fewest avoided questions.
fn draw_by_quotas<'a>(
    bp: &Blueprint,
    cands: &[&'a Candidate],
    avoid: &BTreeSet<QuestionId>,
    rng: &mut impl rand::RngCore,
) -> Option<Picks<'a>> {
    let demand = demands(bp);
    let classes = classify(bp, cands, avoid);
    let plan = assign(&demand, &classes, !avoid.is_empty());
    if plan.served < demand.iter().sum::<u64>() {
        return None;
    }
    let mut used = vec![false; cands.len()];
    let mut picks = Vec::with_capacity(bp.sections.len());
    for quotas in &plan.quotas {
        let mut section_picks = Vec::new();
        for (class, &quota) in classes.iter().zip(quotas) {
            if quota == 0 {
                continue;
            }
            let members = class.members.iter().copied().filter(|&i| !used[i]);
            let chosen = stratified(cands, members, quota, rng)?;
            for &i in &chosen {
                used[i] = true;
            }
            section_picks.extend(chosen.into_iter().map(|i| cands[i]));
        }
        picks.push(section_picks);
    }
    Some(picks)
}

/// `count` of `members`, spread over (topic, lecturer) strata as evenly as
/// their sizes allow, uniformly at random within each stratum.
fn stratified(
    cands: &[&Candidate],
    members: impl Iterator<Item = usize>,
    count: u64,
    rng: &mut impl rand::RngCore,
) -> Option<Vec<usize>> {
    let mut strata: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for i in members {
        let c = cands[i];
        strata
            .entry((c.topic.as_str(), c.lecturer.as_str()))
            .or_default()
            .push(i);
    }
    let mut strata: Vec<Vec<usize>> = strata.into_values().collect();
    let sizes: Vec<u64> = strata.iter().map(|s| s.len() as u64).collect();
    let shares = spread(&sizes, count, rng)?;
    let mut chosen = Vec::new();
    for (stratum, share) in strata.iter_mut().zip(shares) {
        let share = usize::try_from(share).ok()?;
        choose_front(rng, stratum, share);
        chosen.extend_from_slice(&stratum[..share]);
    }
    Some(chosen)
}

/// Water-filling: every stratum gets the same share, a stratum too small for
/// it gives all it has and the rest is spread again over the others; the
/// remainder that cannot be split evenly goes one each to randomly chosen
/// strata. `None` when the strata together hold fewer than `count`.
fn spread(sizes: &[u64], count: u64, rng: &mut impl rand::RngCore) -> Option<Vec<u64>> {
    let mut shares = vec![0u64; sizes.len()];
    let mut open: Vec<usize> = (0..sizes.len()).filter(|&k| sizes[k] > 0).collect();
    let mut left = count;
    while left > 0 {
        if open.is_empty() {
            return None;
        }
        let level = left / open.len() as u64;
        let (small, large): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&k| sizes[k] <= level);
        if !small.is_empty() {
            for k in small {
                shares[k] = sizes[k];
                left -= sizes[k];
            }
            open = large;
            continue;
        }
        // Every open stratum holds more than `level`, so each can also take
        // one of the extras.
        let extras = usize::try_from(left % open.len() as u64).ok()?;
        choose_front(rng, &mut open, extras);
        for (n, &k) in open.iter().enumerate() {
            shares[k] = level + u64::from(n < extras);
        }
        left = 0;
    }
    Some(shares)
}

/// Moves a uniformly random `k`-subset to the front (partial Fisher–Yates).
fn choose_front<T>(rng: &mut impl rand::RngCore, items: &mut [T], k: usize) {
    let len = items.len();
    for i in 0..k.min(len) {
        let j = i + below(rng, (len - i) as u64) as usize;
        items.swap(i, j);
    }
}

fn build_paper(bp: &Blueprint, picks: Picks<'_>, rng: &mut impl rand::RngCore) -> Paper {
    let mut questions = Vec::with_capacity(picks.iter().map(Vec::len).sum());
    for (section, mut chosen) in picks.into_iter().enumerate() {
        // Id order first: the shuffle must start from an order that does not
        // depend on how the questions were found.
        chosen.sort_by_key(|c| c.id);
        if bp.shuffle_questions {
            shuffle(rng, &mut chosen);
        }
        let section = u16::try_from(section).unwrap_or(u16::MAX);
        for c in chosen {
            let option_order = if c.kind.has_options() {
                let mut order: Vec<u8> = (0..c.options).collect();
                if bp.shuffle_options {
                    shuffle(rng, &mut order);
                }
                order
            } else {
                Vec::new()
            };
            questions.push(DrawnQuestion {
                question: c.id,
                section,
                option_order,
            });
        }
    }
    Paper { questions }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::MultiplePolicy;
    use crate::exam::blueprint::Reveal;
    use crate::ids::BankId;
    use proptest::prelude::*;

    const BANK: BankId = BankId(1);

    fn cand(id: i64, kind: QuestionKind, topic: &str, lecturer: &str) -> Candidate {
        Candidate {
            id: QuestionId(id),
            bank: BANK,
            kind,
            topic: topic.to_owned(),
            lecturer: lecturer.to_owned(),
            difficulty: u8::try_from(id.rem_euclid(5) + 1).unwrap(),
            options: if kind.has_options() { 4 } else { 0 },
        }
    }

    fn section(kind: QuestionKind, topics: &[&str], count: u32) -> Section {
        Section {
            kind,
            bank: BANK,
            topics: topics.iter().map(|t| (*t).to_owned()).collect(),
            count,
            points_each: 500,
        }
    }

    fn plan(sections: Vec<Section>) -> Blueprint {
        Blueprint {
            sections,
            time_limit_minutes: 30,
            pass_mark: 100,
            attempts_allowed: 1,
            shuffle_questions: true,
            shuffle_options: true,
            multiple_policy: MultiplePolicy::AllOrNothing,
            show_results: Reveal::AfterSubmit,
            show_answers: Reveal::AfterSubmit,
        }
    }

    /// `n` questions of `kind` with ids from `first`, topics and lecturers
    /// cycling through a few values.
    fn questions(first: i64, n: i64, kind: QuestionKind) -> Vec<Candidate> {
        (first..first + n)
            .map(|id| {
                let topic = ["党史", "党建", "法规"][usize::try_from(id % 3).unwrap()];
                let lecturer = ["张老师", "李老师"][usize::try_from(id % 2).unwrap()];
                cand(id, kind, topic, lecturer)
            })
            .collect()
    }

    fn eligible_independently(c: &Candidate, s: &Section) -> bool {
        c.bank == s.bank && c.kind == s.kind && (s.topics.is_empty() || s.topics.contains(&c.topic))
    }

    /// Largest number of section slots that distinct questions can fill
    /// (Kuhn's augmenting paths over single slots): an independent check of
    /// the flow over classes.
    fn max_fill(bp: &Blueprint, pool: &[Candidate]) -> usize {
        let slots: Vec<usize> = bp
            .sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| std::iter::repeat_n(i, s.count as usize))
            .collect();
        fn try_slot(
            slot: usize,
            slots: &[usize],
            bp: &Blueprint,
            pool: &[Candidate],
            seen: &mut [bool],
            owner: &mut [Option<usize>],
        ) -> bool {
            for (j, c) in pool.iter().enumerate() {
                if !seen[j] && eligible_independently(c, &bp.sections[slots[slot]]) {
                    seen[j] = true;
                    if owner[j].is_none_or(|o| try_slot(o, slots, bp, pool, seen, owner)) {
                        owner[j] = Some(slot);
                        return true;
                    }
                }
            }
            false
        }
        let mut owner = vec![None; pool.len()];
        (0..slots.len())
            .filter(|&slot| {
                let mut seen = vec![false; pool.len()];
                try_slot(slot, &slots, bp, pool, &mut seen, &mut owner)
            })
            .count()
    }

    fn assert_valid(bp: &Blueprint, pool: &[Candidate], paper: &Paper) {
        let by_id: BTreeMap<QuestionId, &Candidate> = pool.iter().map(|c| (c.id, c)).collect();
        let mut seen = BTreeSet::new();
        let mut per_section = vec![0u32; bp.sections.len()];
        let mut last_section = 0;
        for q in &paper.questions {
            let c = by_id[&q.question];
            let s = usize::from(q.section);
            assert!(s >= last_section, "sections out of order");
            last_section = s;
            assert!(
                eligible_independently(c, &bp.sections[s]),
                "{c:?} in section {s}"
            );
            assert!(seen.insert(q.question), "{:?} twice", q.question);
            per_section[s] += 1;
            if c.kind.has_options() {
                let mut sorted = q.option_order.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..c.options).collect::<Vec<_>>());
                if !bp.shuffle_options {
                    assert_eq!(q.option_order, sorted);
                }
            } else {
                assert!(q.option_order.is_empty());
            }
        }
        let wanted: Vec<u32> = bp.sections.iter().map(|s| s.count).collect();
        assert_eq!(per_section, wanted);
    }

    fn section_ids(paper: &Paper, section: u16) -> Vec<QuestionId> {
        paper
            .questions
            .iter()
            .filter(|q| q.section == section)
            .map(|q| q.question)
            .collect()
    }

    #[test]
    fn forms_are_disjoint_when_the_bank_has_enough() {
        let bp = Blueprint::seed_paper(BANK);
        let mut pool = questions(1, 30, QuestionKind::Single);
        pool.extend(questions(101, 30, QuestionKind::Fill));
        for seed in 0..50 {
            let (a, b) = draw_forms(&bp, &pool, &mut SeededRng::new(seed)).unwrap();
            assert_valid(&bp, &pool, &a);
            assert_valid(&bp, &pool, &b);
            assert_eq!(overlap(&a, &b), 0);
            assert_ne!(a, b);
        }
    }

    #[test]
    fn forms_share_only_what_the_bank_forces() {
        // The seed's bank: 45 single-choice but only 15 fill-in questions for
        // two forms of 10 + 10, so B must reuse exactly 5 of A's fill-ins.
        let bp = Blueprint::seed_paper(BANK);
        let mut pool = questions(1, 45, QuestionKind::Single);
        pool.extend(questions(101, 15, QuestionKind::Fill));
        for seed in 0..50 {
            let (a, b) = draw_forms(&bp, &pool, &mut SeededRng::new(seed)).unwrap();
            assert_valid(&bp, &pool, &a);
            assert_valid(&bp, &pool, &b);
            assert_eq!(overlap(&a, &b), 5);
            let single_a: BTreeSet<_> = section_ids(&a, 0).into_iter().collect();
            assert!(section_ids(&b, 0).iter().all(|q| !single_a.contains(q)));
        }
    }

    #[test]
    fn every_lecturer_gets_an_equal_share() {
        let pool: Vec<Candidate> = (0..60)
            .map(|id| {
                cand(
                    id,
                    QuestionKind::Single,
                    "党史",
                    &format!("讲师{}", id % 12),
                )
            })
            .collect();
        let bp = plan(vec![section(QuestionKind::Single, &[], 24)]);
        for seed in 0..20 {
            let (a, b) = draw_forms(&bp, &pool, &mut SeededRng::new(seed)).unwrap();
            for paper in [&a, &b] {
                let mut per_lecturer: BTreeMap<i64, u32> = BTreeMap::new();
                for q in &paper.questions {
                    *per_lecturer.entry(q.question.0 % 12).or_default() += 1;
                }
                assert_eq!(per_lecturer.len(), 12);
                assert!(per_lecturer.values().all(|&n| n == 2), "{per_lecturer:?}");
            }
            assert_eq!(overlap(&a, &b), 0);
        }
    }

    #[test]
    fn a_small_stratum_gives_all_it_has_and_the_rest_is_respread() {
        let mut pool = vec![cand(1, QuestionKind::Single, "党史", "甲")];
        pool.extend((10..15).map(|id| cand(id, QuestionKind::Single, "党史", "乙")));
        pool.extend((20..25).map(|id| cand(id, QuestionKind::Single, "党史", "丙")));
        let count_by_decade = |paper: &Paper| {
            let mut counts = [0u32; 3];
            for q in &paper.questions {
                counts[usize::try_from(q.question.0 / 10).unwrap()] += 1;
            }
            counts
        };
        let bp = plan(vec![section(QuestionKind::Single, &[], 9)]);
        let a = draw_form(&bp, &pool, 3, Form::A).unwrap();
        assert_eq!(count_by_decade(&a), [1, 4, 4]);
        let bp = plan(vec![section(QuestionKind::Single, &[], 10)]);
        let mut outcomes = BTreeSet::new();
        for seed in 0..40 {
            outcomes.insert(count_by_decade(
                &draw_form(&bp, &pool, seed, Form::A).unwrap(),
            ));
        }
        assert_eq!(outcomes, BTreeSet::from([[1, 4, 5], [1, 5, 4]]));
    }

    #[test]
    fn extras_go_to_randomly_chosen_strata() {
        let pool: Vec<Candidate> = (0..15)
            .map(|id| cand(id, QuestionKind::Single, &format!("知识点{}", id % 3), ""))
            .collect();
        let bp = plan(vec![section(QuestionKind::Single, &[], 4)]);
        let mut got_two = [0u32; 3];
        for seed in 0..300 {
            let a = draw_form(&bp, &pool, seed, Form::A).unwrap();
            let mut counts = [0u32; 3];
            for q in &a.questions {
                counts[usize::try_from(q.question.0 % 3).unwrap()] += 1;
            }
            let mut sorted = counts;
            sorted.sort_unstable();
            assert_eq!(sorted, [1, 1, 2]);
            for (k, &n) in counts.iter().enumerate() {
                got_two[k] += u32::from(n == 2);
            }
        }
        // Each stratum should get the extra about 100 times in 300.
        assert!(
            got_two.iter().all(|&n| (60..140).contains(&n)),
            "{got_two:?}"
        );
    }

    #[test]
    fn competing_sections_are_filled_even_when_greedy_order_fails() {
        // An any-topic section first, then a 党史-only one: drawing the first
        // stratified takes some 党史 questions the second needs.
        let mut pool: Vec<Candidate> = (0..5)
            .map(|id| cand(id, QuestionKind::Single, "党史", ""))
            .collect();
        pool.extend((5..10).map(|id| cand(id, QuestionKind::Single, "党建", "")));
        let bp = plan(vec![
            section(QuestionKind::Single, &[], 5),
            section(QuestionKind::Single, &["党史"], 5),
        ]);
        assert!(check_blueprint(&bp, &pool).is_ok());
        for seed in 0..50 {
            let (a, b) = draw_forms(&bp, &pool, &mut SeededRng::new(seed)).unwrap();
            assert_valid(&bp, &pool, &a);
            assert_valid(&bp, &pool, &b);
            let topic_ids: Vec<QuestionId> = (0..5).map(QuestionId).collect();
            let mut second = section_ids(&a, 1);
            second.sort_unstable();
            assert_eq!(second, topic_ids);
            assert_eq!(overlap(&a, &b), 10);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_paper_whatever_the_pool_order() {
        let bp = Blueprint::seed_paper(BANK);
        let mut pool = questions(1, 40, QuestionKind::Single);
        pool.extend(questions(101, 25, QuestionKind::Fill));
        let mut reordered = pool.clone();
        reordered.reverse();
        shuffle(&mut SeededRng::new(99), &mut reordered);
        // A duplicate row (a join gone wrong) changes nothing either.
        reordered.push(pool[3].clone());
        for form in [Form::A, Form::B] {
            let first = draw_form(&bp, &pool, 1234, form).unwrap();
            assert_eq!(draw_form(&bp, &pool, 1234, form).unwrap(), first);
            assert_eq!(draw_form(&bp, &reordered, 1234, form).unwrap(), first);
            assert_ne!(draw_form(&bp, &pool, 1235, form).unwrap(), first);
        }
    }

    #[test]
    fn order_and_options_follow_the_shuffle_settings() {
        let mut pool = questions(1, 20, QuestionKind::Single);
        pool.extend(questions(101, 10, QuestionKind::TrueFalse));
        pool.extend(questions(201, 10, QuestionKind::Multiple));
        let mut bp = plan(vec![
            section(QuestionKind::Multiple, &[], 4),
            section(QuestionKind::Single, &[], 5),
            section(QuestionKind::TrueFalse, &[], 3),
        ]);
        bp.shuffle_questions = false;
        bp.shuffle_options = false;
        let a = draw_form(&bp, &pool, 8, Form::A).unwrap();
        assert_valid(&bp, &pool, &a);
        for s in 0..3 {
            let ids = section_ids(&a, s);
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        }
        assert!(
            a.questions
                .iter()
                .all(|q| q.option_order == [0, 1, 2, 3][..] || q.option_order.is_empty())
        );

        bp.shuffle_questions = true;
        bp.shuffle_options = true;
        let mut reordered = false;
        let mut options_moved = false;
        for seed in 0..10 {
            let a = draw_form(&bp, &pool, seed, Form::A).unwrap();
            assert_valid(&bp, &pool, &a);
            reordered |= !section_ids(&a, 1).windows(2).all(|w| w[0] < w[1]);
            options_moved |= a
                .questions
                .iter()
                .any(|q| q.option_order.first() == Some(&3));
        }
        assert!(reordered && options_moved);
    }

    /// The 0.999 quantile of chi-square with `df` degrees of freedom
    /// (Wilson–Hilferty: the cube root of chi-square/df is nearly normal).
    fn chi_square_critical_999(df: f64) -> f64 {
        const Z_999: f64 = 3.090_232_306_167_813;
        let a = 2.0 / (9.0 * df);
        df * (1.0 - a + Z_999 * a.sqrt()).powi(3)
    }

    fn chi_square(counts: &[u32], expected: f64) -> f64 {
        counts
            .iter()
            .map(|&c| (f64::from(c) - expected).powi(2) / expected)
            .sum()
    }

    #[test]
    fn wilson_hilferty_is_close_to_the_table() {
        // Tabulated 0.999 quantiles for 3, 9 and 29 degrees of freedom.
        for (df, table) in [(3.0, 16.266), (9.0, 27.877), (29.0, 58.301)] {
            let approx = chi_square_critical_999(df);
            assert!((approx - table).abs() / table < 0.02, "{df}: {approx}");
        }
    }

    #[test]
    fn every_question_of_a_stratum_is_drawn_equally_often() {
        const SEEDS: u64 = 2000;
        let pool: Vec<Candidate> = (0..10)
            .map(|id| cand(id, QuestionKind::Single, "党史", "张老师"))
            .collect();
        for count in [1u32, 3] {
            let bp = plan(vec![section(QuestionKind::Single, &[], count)]);
            let mut drawn = [0u32; 10];
            let mut first_option = [0u32; 4];
            for seed in 0..SEEDS {
                let a = draw_form(&bp, &pool, seed, Form::A).unwrap();
                for q in &a.questions {
                    drawn[usize::try_from(q.question.0).unwrap()] += 1;
                }
                first_option[usize::from(a.questions[0].option_order[0])] += 1;
            }
            // Drawing `count` without replacement makes the statistic smaller
            // than a multinomial one, so the quantile is a safe bound.
            let expected = SEEDS as f64 * f64::from(count) / 10.0;
            let chi = chi_square(&drawn, expected);
            assert!(chi < chi_square_critical_999(9.0), "{drawn:?}: {chi}");
            let chi = chi_square(&first_option, SEEDS as f64 / 4.0);
            assert!(
                chi < chi_square_critical_999(3.0),
                "{first_option:?}: {chi}"
            );
        }
    }

    #[test]
    fn shortfalls_name_the_section_topic_and_numbers() {
        let mut pool = questions(1, 30, QuestionKind::Single);
        pool.extend((101..109).map(|id| cand(id, QuestionKind::Fill, "党史", "")));
        pool.extend((201..205).map(|id| cand(id, QuestionKind::Fill, "党建", "")));
        // Another bank's questions never count.
        pool.extend((301..320).map(|id| Candidate {
            bank: BankId(2),
            ..cand(id, QuestionKind::Fill, "党史", "")
        }));
        let bp = plan(vec![
            section(QuestionKind::Single, &[], 10),
            section(QuestionKind::Fill, &["党史"], 10),
        ]);
        let err = check_blueprint(&bp, &pool).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(
            (err[0].section, err[0].available, err[0].needed),
            (1, 8, 10)
        );
        assert_eq!(
            err[0].zh,
            "第2部分：知识点“党史”只有 8 道填空题，方案需要 10 道"
        );
        assert_eq!(
            err[0].en,
            "Section 2: only 8 fill-in questions on topic 党史, the blueprint needs 10"
        );
        assert_eq!(
            draw_forms(&bp, &pool, &mut SeededRng::new(1)).unwrap_err(),
            err
        );

        let bp = plan(vec![
            section(QuestionKind::Fill, &[], 20),
            section(QuestionKind::TrueFalse, &[], 1),
            section(QuestionKind::Fill, &["党史", "党建"], 13),
        ]);
        let err = check_blueprint(&bp, &pool).unwrap_err();
        let messages: Vec<&str> = err.iter().map(|s| s.zh.as_str()).collect();
        assert_eq!(
            messages,
            [
                "第1部分：题库中只有 12 道填空题，方案需要 20 道",
                "第2部分：题库中没有判断题，方案需要 1 道",
                "第3部分：知识点“党史”、“党建”只有 12 道填空题，方案需要 13 道",
            ]
        );
        assert_eq!(
            err[2].en,
            "Section 3: only 12 fill-in questions on topics 党史, 党建, the blueprint needs 13"
        );
        assert_eq!(
            err[1].en,
            "Section 2: no true/false questions in the bank, the blueprint needs 1"
        );
    }

    #[test]
    fn sections_competing_for_the_same_questions_are_refused() {
        let pool = questions(1, 15, QuestionKind::Single);
        let one = section(QuestionKind::Single, &[], 10);
        assert!(check_blueprint(&plan(vec![one.clone()]), &pool).is_ok());
        let bp = plan(vec![one.clone(), one]);
        let err = check_blueprint(&bp, &pool).unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(
            (err[0].section, err[0].available, err[0].needed),
            (0, 15, 20)
        );
        assert_eq!(
            (err[1].section, err[1].available, err[1].needed),
            (1, 15, 20)
        );
        assert_eq!(
            err[1].zh,
            "第2部分：与第1部分要用同一批题目，合计需要 20 道，符合条件的只有 15 道"
        );
        assert_eq!(
            err[0].en,
            "Section 1: competes with section 2 for the same questions; together they need 20, \
             but only 15 questions fit"
        );
        assert!(draw_forms(&bp, &pool, &mut SeededRng::new(0)).is_err());
    }

    #[test]
    fn separate_competitions_are_reported_separately() {
        let mut pool = questions(1, 15, QuestionKind::Single);
        pool.extend(questions(101, 6, QuestionKind::Fill));
        let bp = plan(vec![
            section(QuestionKind::Single, &[], 8),
            section(QuestionKind::Fill, &[], 4),
            section(QuestionKind::Single, &["党史"], 5),
            section(QuestionKind::Fill, &[], 4),
            section(QuestionKind::Single, &["党建"], 3),
        ]);
        let err = check_blueprint(&bp, &pool).unwrap_err();
        let summary: Vec<(usize, u32, u32)> = err
            .iter()
            .map(|s| (s.section, s.available, s.needed))
            .collect();
        assert_eq!(
            summary,
            [(0, 15, 16), (1, 6, 8), (2, 15, 16), (3, 6, 8), (4, 15, 16)]
        );
        assert!(err[0].en.contains("sections 3 and 5"), "{}", err[0].en);
        assert!(err[0].zh.contains("与第3、5部分"), "{}", err[0].zh);
    }

    #[test]
    fn a_plan_without_questions_draws_empty_papers() {
        let bp = plan(Vec::new());
        assert_eq!(check_blueprint(&bp, &[]), Ok(()));
        let (a, b) = draw_forms(&bp, &[], &mut SeededRng::new(0)).unwrap();
        assert!(a.questions.is_empty() && b.questions.is_empty());
    }

    #[test]
    fn coverage_counts_eligible_and_drawn_questions() {
        let pool = vec![
            cand(1, QuestionKind::Single, "党史", "张"),
            cand(2, QuestionKind::Single, "党史", "李"),
            cand(3, QuestionKind::Single, "", "张"),
            cand(4, QuestionKind::Fill, "党建", "李"),
            // No section asks for true/false: not available, not shown.
            cand(5, QuestionKind::TrueFalse, "党建", "王"),
        ];
        let bp = plan(vec![
            section(QuestionKind::Single, &[], 1),
            section(QuestionKind::Fill, &[], 1),
        ]);
        let drawn = |ids: &[i64]| Paper {
            questions: ids
                .iter()
                .map(|&id| DrawnQuestion {
                    question: QuestionId(id),
                    section: 0,
                    option_order: Vec::new(),
                })
                .collect(),
        };
        let rows = coverage(&bp, &pool, &drawn(&[1, 4]), &drawn(&[3, 4]));
        let table: Vec<(Dimension, &str, u32, u32, u32)> = rows
            .iter()
            .map(|r| {
                (
                    r.dimension,
                    r.value.as_str(),
                    r.available,
                    r.drawn_a,
                    r.drawn_b,
                )
            })
            .collect();
        use Dimension::*;
        assert_eq!(
            table,
            [
                (Kind, "fill", 1, 1, 1),
                (Kind, "single", 3, 1, 1),
                (Topic, "", 1, 0, 1),
                (Topic, "党史", 2, 1, 0),
                (Topic, "党建", 1, 1, 1),
                (Lecturer, "张", 2, 1, 1),
                (Lecturer, "李", 2, 1, 1),
                (Difficulty, "2", 1, 1, 0),
                (Difficulty, "3", 1, 0, 0),
                (Difficulty, "4", 1, 0, 1),
                (Difficulty, "5", 1, 1, 1),
            ]
        );
    }

    const TOPICS: [&str; 3] = ["党史", "党建", ""];

    fn arb_pool() -> impl Strategy<Value = Vec<Candidate>> {
        prop::collection::vec((0i64..2, 0usize..4, 0usize..3, 0usize..3, 2u8..=6), 0..100).prop_map(
            |rows| {
                rows.into_iter()
                    .enumerate()
                    .map(|(i, (bank, kind, topic, lecturer, options))| {
                        let kind = QuestionKind::ALL[kind];
                        let id = i64::try_from(i).unwrap() * 7 + 3;
                        Candidate {
                            id: QuestionId(id),
                            bank: BankId(bank),
                            kind,
                            topic: TOPICS[topic].to_owned(),
                            lecturer: format!("讲师{lecturer}"),
                            difficulty: u8::try_from(id % 5 + 1).unwrap(),
                            options: if kind.has_options() { options } else { 0 },
                        }
                    })
                    .collect()
            },
        )
    }

    fn arb_plan() -> impl Strategy<Value = Blueprint> {
        let arb_section = (
            0i64..2,
            0usize..4,
            prop::collection::vec(0usize..3, 0..3),
            0u32..6,
        )
            .prop_map(|(bank, kind, topics, count)| Section {
                kind: QuestionKind::ALL[kind],
                bank: BankId(bank),
                topics: topics.into_iter().map(|t| TOPICS[t].to_owned()).collect(),
                count,
                points_each: 100,
            });
        (
            prop::collection::vec(arb_section, 1..4),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(sections, shuffle_questions, shuffle_options)| Blueprint {
                shuffle_questions,
                shuffle_options,
                ..plan(sections)
            })
    }

    /// Everything a draw must satisfy, checked against [`max_fill`].
    fn check_case(
        bp: &Blueprint,
        pool: &[Candidate],
        seed: u64,
        order_seed: u64,
    ) -> Result<(), TestCaseError> {
        let needed = bp.question_count() as usize;
        let feasible = max_fill(bp, pool) == needed;
        let checked = check_blueprint(bp, pool);
        prop_assert_eq!(checked.is_ok(), feasible);

        let mut reordered = pool.to_vec();
        shuffle(&mut SeededRng::new(order_seed), &mut reordered);
        prop_assert_eq!(check_blueprint(bp, &reordered), checked.clone());

        let drawn = draw_forms(bp, pool, &mut SeededRng::new(seed));
        match (checked, drawn) {
            (Ok(()), Ok((a, b))) => {
                assert_valid(bp, pool, &a);
                assert_valid(bp, pool, &b);
                // B reuses only what the pool minus A cannot supply.
                let in_a: BTreeSet<QuestionId> = a.questions.iter().map(|q| q.question).collect();
                let rest: Vec<Candidate> = pool
                    .iter()
                    .filter(|c| !in_a.contains(&c.id))
                    .cloned()
                    .collect();
                prop_assert_eq!(overlap(&a, &b), needed - max_fill(bp, &rest));
                prop_assert_eq!(draw_form(bp, &reordered, seed, Form::A), Ok(a));
                prop_assert_eq!(draw_form(bp, &reordered, seed, Form::B), Ok(b));
            }
            (Err(expected), Err(got)) => {
                prop_assert!(!got.is_empty());
                prop_assert!(got.windows(2).all(|w| w[0].section < w[1].section));
                prop_assert!(got.iter().all(|s| s.section < bp.sections.len()));
                prop_assert!(got.iter().all(|s| s.available < s.needed));
                prop_assert_eq!(got, expected);
            }
            (checked, drawn) => {
                return Err(TestCaseError::fail(format!("{checked:?} vs {drawn:?}")));
            }
        }
        Ok(())
    }

    #[test]
    fn pre_test_retakes_never_show_the_final_exams_questions() {
        let pool = [
            questions(1, 40, QuestionKind::Single),
            questions(101, 40, QuestionKind::Fill),
        ]
        .concat();
        let bp = Blueprint {
            attempts_allowed: 10,
            ..plan(vec![
                section(QuestionKind::Single, &[], 10),
                section(QuestionKind::Fill, &[], 10),
            ])
        };
        let (_, final_exam) = draw_forms(&bp, &pool, &mut SeededRng::new(7)).unwrap();
        let final_ids: BTreeSet<QuestionId> =
            final_exam.questions.iter().map(|q| q.question).collect();
        for retake in 2..=10u64 {
            let paper = draw_retake(&bp, &pool, 7, 7 ^ retake, Form::A).unwrap();
            assert_valid(&bp, &pool, &paper);
            assert!(
                paper
                    .questions
                    .iter()
                    .all(|q| !final_ids.contains(&q.question)),
                "retake {retake} shows a final-exam question"
            );
        }
        // A pool with room for the two forms only: the retake is the first
        // paper again, in a new order.
        let tight = [
            questions(1, 20, QuestionKind::Single),
            questions(101, 20, QuestionKind::Fill),
        ]
        .concat();
        let (first, final_exam) = draw_forms(&bp, &tight, &mut SeededRng::new(3)).unwrap();
        let again = draw_retake(&bp, &tight, 3, 99, Form::A).unwrap();
        let ids = |p: &Paper| {
            p.questions
                .iter()
                .map(|q| q.question)
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(ids(&again), ids(&first));
        assert!(ids(&again).is_disjoint(&ids(&final_exam)));
        assert_valid(&bp, &tight, &again);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Whatever the pool and plan, a retake of either form holds no
        /// question that only the other form's first paper has.
        #[test]
        fn retakes_keep_out_of_the_other_form(
            pool in arb_pool(),
            bp in arb_plan(),
            first in any::<u64>(),
            retake in any::<u64>(),
        ) {
            if let Ok((a, b)) = draw_forms(&bp, &pool, &mut SeededRng::new(first)) {
                for (form, own, other) in [(Form::A, &a, &b), (Form::B, &b, &a)] {
                    let paper = draw_retake(&bp, &pool, first, retake, form).unwrap();
                    assert_valid(&bp, &pool, &paper);
                    let own_ids: BTreeSet<QuestionId> = own.questions.iter().map(|q| q.question).collect();
                    for q in &paper.questions {
                        let only_other = other.questions.iter().any(|o| o.question == q.question)
                            && !own_ids.contains(&q.question);
                        prop_assert!(!only_other, "{:?} is the other form's", q.question);
                    }
                }
            }
        }

        #[test]
        fn draws_meet_the_plan_exactly_when_the_pool_can(
            bp in arb_plan(),
            pool in arb_pool(),
            seed in any::<u64>(),
            order_seed in any::<u64>(),
        ) {
            check_case(&bp, &pool, seed, order_seed)?;
        }

        /// One bank, one kind, overlapping topic filters: sections compete
        /// for the same questions, the case greedy drawing can get wrong.
        #[test]
        fn competing_sections_are_drawn_correctly(
            topics in prop::collection::vec((0usize..3, 0usize..2), 0..30),
            sections in prop::collection::vec(
                (prop::collection::vec(0usize..3, 0..3), 0u32..8), 1..5),
            seed in any::<u64>(),
            order_seed in any::<u64>(),
        ) {
            let pool: Vec<Candidate> = topics
                .iter()
                .enumerate()
                .map(|(i, &(topic, lecturer))| {
                    cand(i64::try_from(i).unwrap(), QuestionKind::Single, TOPICS[topic], TOPICS[lecturer])
                })
                .collect();
            let sections = sections
                .into_iter()
                .map(|(topics, count)| {
                    let topics: Vec<&str> = topics.into_iter().map(|t| TOPICS[t]).collect();
                    section(QuestionKind::Single, &topics, count)
                })
                .collect();
            check_case(&plan(sections), &pool, seed, order_seed)?;
        }
    }
}
