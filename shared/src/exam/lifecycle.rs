//! An exam's life: 未开放 (draft) → 进行中 (open) → 已结束 (closed), and open
//! again from closed (a make-up sitting). Learners start attempts only while
//! it is open; answers that reveal "after close" show once it is closed.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExamState {
    /// Being prepared; learners do not see it.
    Draft,
    /// Learners may start and hand in attempts.
    Open,
    /// No new attempts; results and (if so planned) answers are shown.
    Closed,
}

crate::stored_code!(ExamState {
    Draft => "draft", "草稿", "Draft";
    Open => "open", "进行中", "Open";
    Closed => "closed", "已关闭", "Closed";
});

impl ExamState {
    /// Whether an exam may move from `self` to `to`: draft → open, open →
    /// closed, closed → open. A draft is never closed (nobody sat it) and an
    /// exam learners have seen never goes back to draft.
    pub fn may_become(self, to: ExamState) -> bool {
        matches!(
            (self, to),
            (ExamState::Draft, ExamState::Open)
                | (ExamState::Open, ExamState::Closed)
                | (ExamState::Closed, ExamState::Open)
        )
    }

    /// The one step the exams page offers from this state: where it leads,
    /// and the button's text (zh, en).
    pub const fn offered_step(self) -> (ExamState, &'static str, &'static str) {
        match self {
            ExamState::Draft => (ExamState::Open, "开放考试", "Open"),
            ExamState::Open => (ExamState::Closed, "关闭考试", "Close"),
            ExamState::Closed => (ExamState::Open, "重新开放", "Reopen"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ExamState::{self, Closed, Draft, Open};

    #[test]
    fn exams_open_close_and_reopen_but_never_return_to_draft() {
        let allowed: Vec<(ExamState, ExamState)> = ExamState::ALL
            .into_iter()
            .flat_map(|from| ExamState::ALL.into_iter().map(move |to| (from, to)))
            .filter(|(from, to)| from.may_become(*to))
            .collect();
        assert_eq!(allowed, vec![(Draft, Open), (Open, Closed), (Closed, Open)]);
        for state in ExamState::ALL {
            assert!(state.may_become(state.offered_step().0));
        }
    }
}
