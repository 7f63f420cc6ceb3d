//! The region tree: province → city (市州) → county (区县).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

crate::stored_code!(RegionLevel {
    Province => "province", "省", "Province";
    City => "city", "市州", "City";
    County => "county", "区县", "County";
});

impl RegionLevel {
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
        for level in RegionLevel::ALL {
            assert_eq!(RegionLevel::from_code(level.code()), Some(level));
        }
    }
}
