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

        /// The decimal number, as in a URL or a form field.
        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
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
    /// A training class (培训班).
    ClassId
);
id_type!(
    /// A study group of a class (one per 市州 in the seed).
    GroupId
);
id_type!(
    /// A courseware item (课件): a video course, slides or a document.
    CoursewareId
);
id_type!(
    /// An uploaded media file (a video, slides, a clip).
    MediaId
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
