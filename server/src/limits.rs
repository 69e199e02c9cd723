//! Brute-force protection for logins: attempts are limited per account and per client address
//! (token buckets from the governor crate). Over the limit, login answers 429 with Retry-After,
//! whatever the password: a guesser learns nothing more.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Attempts per account: 5 at once, then one a minute.
const ACCOUNT_BURST: u32 = 5;
const ACCOUNT_PERIOD: Duration = Duration::from_secs(60);
/// Attempts per address: 20 at once (an office behind one address), then one every 6 seconds.
const ADDRESS_BURST: u32 = 20;
const ADDRESS_PERIOD: Duration = Duration::from_secs(6);

/// The two limiters of `POST /auth/login`.
pub struct LoginLimits {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl std::fmt::Debug for LoginLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginLimits")
    }
}

fn quota(period: Duration, burst: u32) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period).unwrap_or_else(|| Quota::per_second(burst)).allow_burst(burst)
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: DefaultKeyedRateLimiter::keyed(quota(ACCOUNT_PERIOD, ACCOUNT_BURST)),
            per_address: DefaultKeyedRateLimiter::keyed(quota(ADDRESS_PERIOD, ADDRESS_BURST)),
            clock: DefaultClock::default(),
        }
    }
}

impl LoginLimits {
    /// Counts one attempt; `Err` says how long to wait.
    pub fn attempt(&self, username: &str, address: IpAddr) -> Result<(), Duration> {
        let now = self.clock.now();
        self.per_address.check_key(&address).map_err(|not_until| not_until.wait_time_from(now))?;
        self.per_account
            .check_key(&username.to_lowercase())
            .map_err(|not_until| not_until.wait_time_from(now))?;
        Ok(())
    }

    /// Forgets idle keys, so the maps do not grow without bound.
    pub fn tidy(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_gets_five_attempts_then_waits() {
        let limits = LoginLimits::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..ACCOUNT_BURST {
            assert!(limits.attempt("Admin", ip).is_ok());
        }
        let wait = limits.attempt("admin", ip).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= ACCOUNT_PERIOD, "{wait:?}");
        assert!(limits.attempt("anna", ip).is_ok(), "other accounts are not locked out");
    }

    #[test]
    fn an_address_gets_twenty_attempts_across_accounts() {
        let limits = LoginLimits::default();
        let ip: IpAddr = "192.0.2.2".parse().unwrap();
        for n in 0..ADDRESS_BURST {
            assert!(limits.attempt(&format!("user{n}"), ip).is_ok());
        }
        assert!(limits.attempt("someone-else", ip).is_err());
        assert!(limits.attempt("someone-else", "192.0.2.3".parse().unwrap()).is_ok());
    }
}
