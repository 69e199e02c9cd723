//! The protocol's facts in one place: endpoint paths, push and pull limits, record and text
//! limits, the clock tolerance, the password length. The server enforces them, the browser's
//! forms and sync client respect the same numbers, and `docs/sync-protocol.md` names them.

/// Endpoint paths, relative to the server's origin.
pub mod paths {
    pub const HEALTH: &str = "/api/v1/health";
    pub const LOGIN: &str = "/api/v1/auth/login";
    pub const LOGOUT: &str = "/api/v1/auth/logout";
    pub const ME: &str = "/api/v1/auth/me";
    pub const PASSWORD: &str = "/api/v1/auth/password";
    pub const SESSIONS: &str = "/api/v1/auth/sessions";
    pub const SECOND_FACTOR: &str = "/api/v1/auth/second-factor";
    pub const SECOND_FACTOR_CONFIRM: &str = "/api/v1/auth/second-factor/confirm";
    pub const PULL: &str = "/api/v1/sync/pull";
    pub const PUSH: &str = "/api/v1/sync/push";
    pub const EVENTS: &str = "/api/v1/sync/events";
    pub const USERS: &str = "/api/v1/users";
    pub const AUDIT: &str = "/api/v1/audit";
    /// Followed by `/{id}`.
    pub const HISTORY: &str = "/api/v1/history";
    /// Admins' search for one person's data (a subject access request), `?q=`.
    pub const PRIVACY_SEARCH: &str = "/api/v1/privacy/search";
    /// One's own calendar feed: create (`POST`), look at (`GET`), revoke (`DELETE`).
    pub const CALENDAR_FEED: &str = "/api/v1/calendar/feed";
    /// Followed by `/<secret>.ics`: the feed itself, opened by its secret alone.
    pub const CALENDAR: &str = "/api/v1/calendar";
}

/// Shortest privacy search, in characters after trimming: one letter would list everyone.
pub const PRIVACY_QUERY_MIN_CHARS: usize = 2;
/// Longest privacy search, in characters: a name, an e-mail address or a phone number.
pub const PRIVACY_QUERY_MAX_CHARS: usize = 100;

/// Most mutations in one push; a client with more sends several pushes.
pub const PUSH_MAX_MUTATIONS: usize = 1000;
/// Largest push body in bytes (413 above).
pub const PUSH_MAX_BYTES: usize = 2 * 1024 * 1024;
/// Largest body of every other request, in bytes.
pub const JSON_BODY_MAX_BYTES: usize = 64 * 1024;
/// A pull page when the client names no limit.
pub const PULL_DEFAULT_LIMIT: usize = 500;
/// Largest pull page a client may ask for.
pub const PULL_MAX_LIMIT: usize = 5000;
/// Response header of a pull page with more to come: the cursor of the next page. A client may
/// ask for the next page as soon as the headers arrive, so on a slow link the next page travels
/// while this one downloads (the body's `cursor` says the same once it is read).
pub const NEXT_CURSOR_HEADER: &str = "tavla-next-cursor";

/// Largest record (its `fields` as JSON) a client may write, in bytes. Three free texts of
/// [`LONG_TEXT_MAX`] characters of Swedish fit (about 31 KB); a record that would carry more is
/// refused with `too_large`, so nobody can make every device download megabytes.
pub const RECORD_MAX_BYTES: usize = 64 * 1024;
/// The plan record (vision, principles, strategy; written by admins only) may be larger: the
/// adopted plan of 2026 is about 4 KB, and a plan with many principles must still fit.
pub const PLAN_RECORD_MAX_BYTES: usize = 256 * 1024;

/// Longest one-line text (titles, names, short notes), in characters. The adopted plan's
/// activities are whole sentences of up to about 240 characters. Forms use it as `maxlength`.
pub const SHORT_TEXT_MAX: usize = 300;
/// Longest free text (descriptions, notes, summaries), in characters; the forms' `maxlength`.
pub const LONG_TEXT_MAX: usize = 10_000;
/// Most entries a list field may hold.
pub const LIST_MAX: usize = 200;

/// How far ahead of the server's clock an edit's `at` may be, in ms. Later times are clamped to
/// the server's time plus this, so a device whose clock runs a year ahead cannot win every
/// concurrent edit for a year.
pub const CLOCK_TOLERANCE_MS: i64 = 5 * 60 * 1000;

/// How many of each client's latest results the server keeps, to answer a replay with the
/// original result. Older replays are answered `already_applied`.
pub const RESULTS_KEPT: u64 = 1000;

/// Shortest password, in characters (ASVS 5.0 asks for at least 8 and recommends 15).
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Longest password, in characters (argon2 hashes whatever it gets; this bounds the work).
pub const PASSWORD_MAX_CHARS: usize = 256;

/// The largest record of `kind` a client may write, in bytes of JSON. A conflict holds two
/// values of a field (kept and lost), so it may be twice the largest record and some: it must
/// stay resolvable.
pub fn record_max_bytes(kind: crate::Kind) -> usize {
    match kind {
        crate::Kind::Plan => PLAN_RECORD_MAX_BYTES,
        crate::Kind::Conflict => 2 * PLAN_RECORD_MAX_BYTES + 4096,
        _ => RECORD_MAX_BYTES,
    }
}
