//! The region tree: province → city (市州) → county (区县).

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

impl RegionLevel {
    pub const fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            RegionLevel::Province => "省",
            RegionLevel::City => "市州",
            RegionLevel::County => "区县",
        }
    }

    /// The level a child of this node must have; counties are leaves.
    pub const fn child(self) -> Option<RegionLevel> {
        match self {
            RegionLevel::Province => Some(RegionLevel::City),
            RegionLevel::City => Some(RegionLevel::County),
            RegionLevel::County => None,
        }
    }

    /// Whether a node of `level` may hang below a node of `parent` (`None`: the root).
    pub fn may_hang_below(level: RegionLevel, parent: Option<RegionLevel>) -> bool {
        match parent {
            None => level == RegionLevel::Province,
            Some(parent) => parent.child() == Some(level),
        }
    }
}

impl FromStr for RegionLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            RegionLevel::Province,
            RegionLevel::City,
            RegionLevel::County,
        ]
        .into_iter()
        .find(|level| level.as_str() == s)
        .ok_or_else(|| format!("unknown region level `{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_shape_is_province_city_county() {
        assert!(RegionLevel::may_hang_below(RegionLevel::Province, None));
        assert!(!RegionLevel::may_hang_below(RegionLevel::City, None));
        assert!(RegionLevel::may_hang_below(
            RegionLevel::City,
            Some(RegionLevel::Province)
        ));
        assert!(RegionLevel::may_hang_below(
            RegionLevel::County,
            Some(RegionLevel::City)
        ));
        assert!(!RegionLevel::may_hang_below(
            RegionLevel::County,
            Some(RegionLevel::Province)
        ));
        assert!(!RegionLevel::may_hang_below(
            RegionLevel::County,
            Some(RegionLevel::County)
        ));
    }

    #[test]
    fn levels_round_trip() {
        for level in [
            RegionLevel::Province,
            RegionLevel::City,
            RegionLevel::County,
        ] {
            assert_eq!(level.as_str().parse::<RegionLevel>(), Ok(level));
        }
    }
}
