//! `Kind`: the names of the record kinds, as the wire carries them (its own module, so the wire
//! types need not import the typed kinds that are built on them).

use serde::{Deserialize, Serialize};

/// Every kind of record Tavla syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Plan,
    LongTermGoal,
    FocusArea,
    StrategicGoal,
    Activity,
    Municipality,
    Person,
    Idea,
    Partner,
    Dialogue,
    MarketingItem,
    Event,
    Comment,
    Funds,
    Conflict,
    Settings,
}

impl Kind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: &'static [Kind] = &[
        Kind::Plan,
        Kind::LongTermGoal,
        Kind::FocusArea,
        Kind::StrategicGoal,
        Kind::Activity,
        Kind::Municipality,
        Kind::Person,
        Kind::Idea,
        Kind::Partner,
        Kind::Dialogue,
        Kind::MarketingItem,
        Kind::Event,
        Kind::Comment,
        Kind::Funds,
        Kind::Conflict,
        Kind::Settings,
    ];

    /// The wire name, e.g. `strategic_goal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::LongTermGoal => "long_term_goal",
            Kind::FocusArea => "focus_area",
            Kind::StrategicGoal => "strategic_goal",
            Kind::Activity => "activity",
            Kind::Municipality => "municipality",
            Kind::Person => "person",
            Kind::Idea => "idea",
            Kind::Partner => "partner",
            Kind::Dialogue => "dialogue",
            Kind::MarketingItem => "marketing_item",
            Kind::Event => "event",
            Kind::Comment => "comment",
            Kind::Funds => "funds",
            Kind::Conflict => "conflict",
            Kind::Settings => "settings",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
