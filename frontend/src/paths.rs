//! Paths of the app, named in Swedish as users see them in the address bar (its own module:
//! pages and components link to each other through it, and none of them needs the route table).

pub const LOGIN: &str = "/logga-in";
/// The login page's query key for the page to open after logging in.
pub const RETURN_TO: &str = "till";
pub const OVERVIEW: &str = "/";
pub const CONFLICTS: &str = "/konflikter";
pub const ACCOUNTS: &str = "/konton";
pub const MY_ACCOUNT: &str = "/mitt-konto";
/// The activities board and list; filters go in the query.
pub const ACTIVITIES: &str = "/aktiviteter";
pub const EVENTS: &str = "/handelser";
pub const NEW_EVENT: &str = "/handelser/ny";
/// The event form with "workshop" chosen.
pub const NEW_WORKSHOP: &str = "/handelser/ny?typ=workshop";
/// The page of one event.
pub fn event(id: uuid::Uuid) -> String {
    format!("/handelser/{id}")
}
/// The funds form on goal 1's page (the id of the form, and a link to it).
pub const FUNDS_FORM_ID: &str = "medel";
pub const FUNDS_FORM: &str = "/mal/1#medel";
/// One conflict on the conflicts page.
pub fn conflict(id: uuid::Uuid) -> String {
    format!("{CONFLICTS}#konflikt-{id}")
}
/// The page of strategic goal `n`.
pub fn goal(n: i64) -> String {
    format!("/mal/{n}")
}
/// The page of one activity.
pub fn activity(id: uuid::Uuid) -> String {
    format!("/aktivitet/{id}")
}
/// The idea funnel (board or list; filters in the query).
pub const IDEAS: &str = "/ideer";
/// Quick capture of a new idea.
pub const NEW_IDEA: &str = "/ideer/ny";
/// The page of one idea.
pub fn idea(id: uuid::Uuid) -> String {
    format!("/ideer/{id}")
}
/// The people register (search and filters in the query).
pub const PEOPLE: &str = "/personer";
/// The page of one person.
pub fn person(id: uuid::Uuid) -> String {
    format!("/personer/{id}")
}
/// Ambassadors and the municipalities they cover.
pub const AMBASSADORS: &str = "/ambassadorer";
/// Personal data: retention, what goes soon, search and export (admins).
pub const PRIVACY: &str = "/personuppgifter";
/// The partner register (list grouped by type; `?vy=matris` the matrix).
pub const PARTNERS: &str = "/partner";
/// A new partner (staff).
pub const NEW_PARTNER: &str = "/partner/ny";
/// The page of one partner.
pub fn partner(id: uuid::Uuid) -> String {
    format!("/partner/{id}")
}
/// Logging a dialogue, phone first; `?partner=<id>` chooses the partner.
pub const NEW_DIALOGUE: &str = "/dialog/ny";
/// The dialogue form with a partner chosen.
pub fn new_dialogue_with(partner: uuid::Uuid) -> String {
    format!("{NEW_DIALOGUE}?partner={partner}")
}
/// The page of one dialogue.
pub fn dialogue(id: uuid::Uuid) -> String {
    format!("/dialog/{id}")
}
/// Follow-ups: my open next steps and everyone's (`?vy=alla`).
pub const FOLLOW_UPS: &str = "/att-gora";
/// The marketing calendar (week view; `?vy=manad` month, `?vy=uppfoljning` the follow-up).
pub const MARKETING: &str = "/marknadsforing";
/// A new marketing item (`?vecka=2026-W49` places it in a week).
pub const NEW_MARKETING: &str = "/marknadsforing/ny";
/// The page of one marketing item.
pub fn marketing_item(id: uuid::Uuid) -> String {
    format!("/marknadsforing/{id}")
}
/// The week's question for `week` (`2026-W48`).
pub fn week_question(week: tavla_shared::weeks::IsoWeek) -> String {
    format!("/marknadsforing/vecka/{week}")
}
/// Every date in one place.
pub const CALENDAR: &str = "/kalender";
/// The follow-up of the plan year (`/uppfoljning/2025` for another year).
pub const REPORT: &str = "/uppfoljning";
/// The follow-up of `year`.
pub fn report(year: i32) -> String {
    format!("{REPORT}/{year}")
}
/// A municipality's page, named as in the address bar (`/kommun/strangnas`).
pub fn municipality(name: &str) -> String {
    format!("/kommun/{}", tavla_shared::report::slug(name))
}
/// CSV import of activities (`?register=people`: people).
pub const IMPORT: &str = "/importera";
/// The board meeting pack (`?sedan=YYYY-MM-DD` for another starting day).
pub const BOARD_PACK: &str = "/styrelsemote";
/// The page of any record that has one.
pub fn record(kind: tavla_shared::Kind, id: uuid::Uuid) -> Option<String> {
    use tavla_shared::Kind;
    Some(match kind {
        Kind::Activity => activity(id),
        Kind::Event => event(id),
        Kind::Idea => idea(id),
        Kind::Person => person(id),
        Kind::Partner => partner(id),
        Kind::Dialogue => dialogue(id),
        Kind::MarketingItem => marketing_item(id),
        _ => return None,
    })
}
