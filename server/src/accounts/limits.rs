//! Brute-force protection for logins and password changes (ASVS 5.0 6.3.1 and 6.1.1), built so
//! that nobody can lock an account's owner out:
//!
//! - **per account and address**: failed attempts are counted per (account, address) pair;
//!   after [`FREE_FAILURES`] the pair waits, one minute doubling up to an hour;
//! - **per account**: once an account has [`ACCOUNT_ALARM`] failures within [`WINDOW`] (from
//!   anywhere), only addresses with no recent failures for it may still try: the owner logging
//!   in from their usual, clean address gets through while an attacker's addresses wait;
//! - **per address**: every attempt from one address, whatever the account, draws from a token
//!   bucket (20 at once — an office behind one address —, then one every 6 seconds; the
//!   governor crate).
//!
//! Over a limit the answer is 429 with Retry-After, whatever the password: a guesser learns
//! nothing. The per-pair and per-account counts are written here by hand: governor's buckets
//! cannot grow their wait with each failure, nor tell a clean address from a failing one.
//! Memory is bounded: idle entries are forgotten after [`WINDOW`], and each map holds at most
//! [`MAX_ENTRIES`] (beyond, the entries idle longest go first).

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Failures a pair may have before it waits.
pub const FREE_FAILURES: u32 = 5;
/// The first wait; it doubles with each further failure.
pub const FIRST_WAIT: Duration = Duration::from_secs(60);
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::from_secs(3600);
/// How long failures are remembered.
pub const WINDOW: Duration = Duration::from_secs(3600);
/// Failures of one account (from any address) within the window that put it on alert.
pub const ACCOUNT_ALARM: u32 = 20;
/// The most entries each map keeps.
pub const MAX_ENTRIES: usize = 100_000;
/// Attempts per address: 20 at once, then one every 6 seconds.
const ADDRESS_BURST: u32 = 20;
const ADDRESS_PERIOD: Duration = Duration::from_secs(6);

/// Failures of one (account, address) pair.
#[derive(Debug, Clone, Copy)]
struct PairFailures {
    count: u32,
    last: Instant,
}

/// Failures of one account from anywhere.
#[derive(Debug, Clone, Copy)]
struct AccountFailures {
    count: u32,
    since: Instant,
    last: Instant,
}

#[derive(Debug, Default)]
struct Counts {
    pairs: HashMap<(String, IpAddr), PairFailures>,
    accounts: HashMap<String, AccountFailures>,
    /// When a refusal from each address was last written to the audit log.
    refusals_logged: HashMap<IpAddr, Instant>,
}

/// The longest account name counted: no user name is longer, so a longer one cannot exist, and
/// a flood of long names cannot fill the maps.
const NAME_MAX: usize = 64;
/// How often a refusal from one address is written to the audit log.
const REFUSAL_LOG_EVERY: Duration = Duration::from_secs(60);

/// The name an account is counted under: trimmed, lower-cased, at most [`NAME_MAX`] characters.
fn account_key(name: &str) -> String {
    name.trim().chars().take(NAME_MAX).flat_map(char::to_lowercase).collect()
}

/// The address a client is counted under: IPv4 as it is, IPv6 by its /64 network (one
/// household or phone holds a whole /64, and could otherwise try from 2^64 addresses).
pub fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
    }
}

/// The login limits of one server.
pub struct LoginLimits {
    counts: Mutex<Counts>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl std::fmt::Debug for LoginLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginLimits")
    }
}

impl Default for LoginLimits {
    fn default() -> Self {
        let burst = NonZeroU32::new(ADDRESS_BURST).unwrap_or(NonZeroU32::MIN);
        let quota =
            Quota::with_period(ADDRESS_PERIOD).unwrap_or_else(|| Quota::per_second(burst)).allow_burst(burst);
        LoginLimits {
            counts: Mutex::default(),
            per_address: DefaultKeyedRateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }
}

/// The wait after `count` failures of a pair (none up to [`FREE_FAILURES`]).
fn pair_wait(count: u32) -> Duration {
    if count < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (count - FREE_FAILURES).min(16);
    FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT)
}

/// Drops the entries idle longest until `map` holds at most `max`.
fn trim<K: Clone + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, V>,
    max: usize,
    last: impl Fn(&V) -> Instant,
) {
    if map.len() <= max {
        return;
    }
    let mut ages: Vec<(Instant, K)> = map.iter().map(|(k, v)| (last(v), k.clone())).collect();
    ages.sort_by_key(|(at, _)| *at);
    // Down to nine tenths, so trimming is not done again on every insert.
    for (_, key) in ages.into_iter().take(map.len() - max * 9 / 10) {
        map.remove(&key);
    }
}

impl LoginLimits {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        // The counts stay usable after a panic elsewhere: at worst one failure is not counted.
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks whether `account` may be tried from `address` now; `Err` says how long to wait.
    /// Counts the attempt against the address.
    pub fn attempt(&self, account: &str, address: IpAddr) -> Result<(), Duration> {
        self.attempt_at(account, address, Instant::now())
    }

    fn attempt_at(&self, account: &str, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let address = address_key(address);
        let clock_now = self.clock.now();
        self.per_address.check_key(&address).map_err(|not_until| not_until.wait_time_from(clock_now))?;
        let account = account_key(account);
        let counts = self.counts();
        let pair = counts
            .pairs
            .get(&(account.clone(), address))
            .filter(|p| now.saturating_duration_since(p.last) < WINDOW)
            .copied();
        if let Some(pair) = pair {
            let until = pair.last + pair_wait(pair.count);
            if until > now {
                return Err(until - now);
            }
            let alarmed = counts
                .accounts
                .get(&account)
                .is_some_and(|a| a.count >= ACCOUNT_ALARM && now.saturating_duration_since(a.last) < WINDOW);
            if alarmed {
                // Not this address's turn while the account is under attack: it failed before.
                let calm = counts.accounts.get(&account).map_or(now, |a| a.last + WINDOW);
                return Err(calm.saturating_duration_since(now).max(Duration::from_secs(1)));
            }
        }
        Ok(())
    }

    /// Counts a failed attempt (a wrong password, or a wrong current password).
    pub fn failed(&self, account: &str, address: IpAddr) {
        self.failed_at(account, address, Instant::now());
    }

    fn failed_at(&self, account: &str, address: IpAddr, now: Instant) {
        let (account, address) = (account_key(account), address_key(address));
        let mut counts = self.counts();
        let pair =
            counts.pairs.entry((account.clone(), address)).or_insert(PairFailures { count: 0, last: now });
        if now.saturating_duration_since(pair.last) >= WINDOW {
            pair.count = 0;
        }
        pair.count = pair.count.saturating_add(1);
        pair.last = now;
        let acc =
            counts.accounts.entry(account).or_insert(AccountFailures { count: 0, since: now, last: now });
        if now.saturating_duration_since(acc.last) >= WINDOW {
            *acc = AccountFailures { count: 0, since: now, last: now };
        }
        acc.count = acc.count.saturating_add(1);
        acc.last = now;
        trim(&mut counts.pairs, MAX_ENTRIES, |p| p.last);
        trim(&mut counts.accounts, MAX_ENTRIES, |a| a.last);
    }

    /// True when a refusal from `address` should be written to the audit log: at most one a
    /// minute per address, so a flood of refused attempts (which cost the attacker nothing)
    /// cannot push the real events out of the bounded log.
    pub fn log_refusal(&self, address: IpAddr) -> bool {
        let (address, now) = (address_key(address), Instant::now());
        let mut counts = self.counts();
        let due = counts
            .refusals_logged
            .get(&address)
            .is_none_or(|at| now.saturating_duration_since(*at) >= REFUSAL_LOG_EVERY);
        if due {
            counts.refusals_logged.insert(address, now);
            trim(&mut counts.refusals_logged, MAX_ENTRIES, |at| *at);
        }
        due
    }

    /// Forgets a pair's failures after a correct password from it.
    pub fn succeeded(&self, account: &str, address: IpAddr) {
        self.counts().pairs.remove(&(account_key(account), address_key(address)));
    }

    /// Forgets idle entries, so the maps do not grow without bound.
    pub fn tidy(&self) {
        let now = Instant::now();
        let mut counts = self.counts();
        counts.pairs.retain(|_, p| now.saturating_duration_since(p.last) < WINDOW);
        counts.accounts.retain(|_, a| now.saturating_duration_since(a.last) < WINDOW);
        counts.refusals_logged.retain(|_, at| now.saturating_duration_since(*at) < REFUSAL_LOG_EVERY);
        drop(counts);
        self.per_address.retain_recent();
    }

    /// How many entries the maps hold (pairs, accounts), for tests and the log.
    pub fn sizes(&self) -> (usize, usize) {
        let counts = self.counts();
        (counts.pairs.len(), counts.accounts.len())
    }

    /// How long the account has been under alert, if it is (for the log).
    pub fn alarm_since(&self, account: &str) -> Option<Instant> {
        let counts = self.counts();
        counts
            .accounts
            .get(&account.trim().to_lowercase())
            .filter(|a| a.count >= ACCOUNT_ALARM)
            .map(|a| a.since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, n])
    }

    #[test]
    fn a_pair_waits_after_five_failures_and_the_wait_doubles() {
        let limits = LoginLimits::default();
        let t0 = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert!(limits.attempt_at("Admin", ip(1), t0).is_ok());
            limits.failed_at("Admin", ip(1), t0);
        }
        assert_eq!(limits.attempt_at("admin", ip(1), t0), Err(FIRST_WAIT));
        let t1 = t0 + FIRST_WAIT;
        assert!(limits.attempt_at("admin", ip(1), t1).is_ok());
        limits.failed_at("admin", ip(1), t1);
        assert_eq!(limits.attempt_at("admin", ip(1), t1), Err(FIRST_WAIT * 2));
        assert!(limits.attempt_at("admin", ip(2), t1).is_ok(), "another address is not held");
        assert!(limits.attempt_at("anna", ip(1), t1).is_ok(), "nor another account");
        assert_eq!(pair_wait(FREE_FAILURES + 40), MAX_WAIT);
    }

    #[test]
    fn a_correct_password_clears_the_pair() {
        let limits = LoginLimits::default();
        let t0 = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            limits.failed_at("anna", ip(3), t0);
        }
        limits.succeeded("anna", ip(3));
        limits.failed_at("anna", ip(3), t0);
        assert!(limits.attempt_at("anna", ip(3), t0).is_ok());
    }

    #[test]
    fn an_account_under_attack_still_lets_a_clean_address_in() {
        let limits = LoginLimits::default();
        let t0 = Instant::now();
        // Many addresses, a few failures each: the account is put on alert.
        for n in 10..10 + ACCOUNT_ALARM as u8 {
            limits.failed_at("admin", ip(n), t0);
        }
        assert!(limits.alarm_since("admin").is_some());
        assert!(limits.attempt_at("admin", ip(10), t0).is_err(), "an address that failed waits");
        assert!(limits.attempt_at("admin", ip(200), t0).is_ok(), "the owner's clean address does not");
        // An hour without failures ends the alert.
        assert!(limits.attempt_at("admin", ip(10), t0 + WINDOW).is_ok());
    }

    #[test]
    fn an_address_gets_twenty_attempts_across_accounts() {
        let limits = LoginLimits::default();
        for n in 0..ADDRESS_BURST {
            assert!(limits.attempt(&format!("user{n}"), ip(4)).is_ok());
        }
        assert!(limits.attempt("someone-else", ip(4)).is_err());
        assert!(limits.attempt("someone-else", ip(5)).is_ok());
    }

    #[test]
    fn long_names_and_one_ipv6_network_count_as_one() {
        let limits = LoginLimits::default();
        let t0 = Instant::now();
        let long = "x".repeat(60_000);
        let home: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        for n in 0..FREE_FAILURES {
            let other: IpAddr = format!("2001:db8:1:2::{}", n + 100).parse().unwrap();
            limits.failed_at(&format!("{long}{n}"), other, t0);
        }
        let (pairs, accounts) = limits.sizes();
        assert_eq!((pairs, accounts), (1, 1), "one name of 64 characters, one /64");
        assert!(limits.attempt_at(&long, home, t0).is_err(), "the whole /64 waits");
        let elsewhere: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limits.attempt_at(&long, elsewhere, t0).is_ok());
        assert!(limits.log_refusal(home) && !limits.log_refusal(home), "one audit line a minute");
    }

    #[test]
    fn the_maps_stay_bounded() {
        let limits = LoginLimits::default();
        let t0 = Instant::now();
        for n in 0..(MAX_ENTRIES + 10) {
            limits.failed_at(&format!("slump{n}"), ip(6), t0 + Duration::from_micros(n as u64));
        }
        let (pairs, accounts) = limits.sizes();
        assert!(pairs <= MAX_ENTRIES && accounts <= MAX_ENTRIES, "{pairs} {accounts}");
    }
}
