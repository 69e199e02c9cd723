//! The closed sets of values some fields take. On the wire they are English snake_case
//! identifiers; the interface translates them (see the frontend's locales).

use serde::{Deserialize, Serialize};

/// A closed value set: every value, and each one's wire name. Lets one `<select>` component
/// serve every set.
pub trait ValueSet: Copy + PartialEq + Send + Sync + 'static {
    /// Every value, in the order the interface lists them.
    fn all() -> &'static [Self];
    /// The wire name.
    fn wire(self) -> &'static str;
}

/// Declares a closed value set with its wire names, so `ALL` and `as_str` never drift from serde.
macro_rules! value_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant),+
        }

        impl $name {
            /// Every value, in the order the interface lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name, e.g. for a translation key or a URL filter.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl ValueSet for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn wire(self) -> &'static str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

value_enum!(
    /// How a strategic goal is going, as judged by a person.
    Health { OnTrack => "on_track", AtRisk => "at_risk", OffTrack => "off_track", Done => "done" }
);
value_enum!(
    /// Where a prioritised activity stands.
    ActivityStatus { NotStarted => "not_started", InProgress => "in_progress", Done => "done", Paused => "paused" }
);
value_enum!(
    /// The parts a person plays for the Leader area.
    PersonRole { BoardMember => "board_member", Staff => "staff", FormerProjectOwner => "former_project_owner", Other => "other" }
);
value_enum!(
    /// The Leader funnel a project idea goes through.
    IdeaStage {
        Idea => "idea", InterestNotified => "interest_notified", Applying => "applying",
        LagPrioritized => "lag_prioritized", Granted => "granted", InProgress => "in_progress",
        Finished => "finished", Declined => "declined",
    }
);
value_enum!(
    /// What sort of organisation a partner is.
    PartnerType {
        Municipality => "municipality", Region => "region", LeaderArea => "leader_area",
        CivilSociety => "civil_society", Authority => "authority", Network => "network",
        Business => "business", Other => "other",
    }
);
value_enum!(
    /// How a dialogue with a partner took place.
    DialogueChannel { Meeting => "meeting", Call => "call", Email => "email", Event => "event", Visit => "visit", Other => "other" }
);
value_enum!(
    /// Where a marketing item is published.
    MarketingChannel {
        Web => "web", Facebook => "facebook", Instagram => "instagram", Linkedin => "linkedin",
        Newsletter => "newsletter", Press => "press", Event => "event", Print => "print", Other => "other",
    }
);
value_enum!(
    /// Where a marketing item stands.
    MarketingStatus { Idea => "idea", Planned => "planned", InProgress => "in_progress", Published => "published" }
);
value_enum!(
    /// What sort of event took place.
    EventType {
        Workshop => "workshop", IdeaWorkshop => "idea_workshop", NetworkMeeting => "network_meeting",
        PreparednessMeeting => "preparedness_meeting", Training => "training", Forum => "forum",
        BoardMeeting => "board_meeting", Other => "other",
    }
);
value_enum!(
    /// What a user account may do (see DESIGN.md, "Roles").
    Role { Admin => "admin", Staff => "staff", Board => "board" }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for h in Health::ALL {
            assert_eq!(serde_json::to_value(h).unwrap(), h.as_str());
        }
        for s in IdeaStage::ALL {
            let back: IdeaStage = serde_json::from_value(s.as_str().into()).unwrap();
            assert_eq!(back, *s);
        }
        assert_eq!(EventType::PreparednessMeeting.as_str(), "preparedness_meeting");
    }

    #[test]
    fn unknown_value_is_refused() {
        assert!(serde_json::from_str::<ActivityStatus>("\"finished\"").is_err());
    }
}
