//! Newtype ids: a `UserId` can never be passed where a `RegionId` is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }
    };
}

id_type!(
    /// An account (any role).
    UserId
);
id_type!(
    /// A node of the province → city → county tree.
    RegionId
);
id_type!(
    /// A question bank (题库).
    BankId
);
id_type!(
    /// A question, across all its versions.
    QuestionId
);
id_type!(
    /// One immutable version of a question: papers and grades point here, so
    /// editing a question never changes a paper already drawn.
    QuestionVersionId
);
id_type!(
    /// A paper plan (组卷方案): what an exam draws from which banks.
    BlueprintId
);
id_type!(
    /// An exam learners sit (a blueprint's form A or B, in a class).
    ExamId
);
id_type!(
    /// One learner's sitting of an exam.
    AttemptId
);
