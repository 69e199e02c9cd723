//! Password hashing (argon2id) with bounded work.
//!
//! Each hash takes 19 MiB and tens of milliseconds of one core (the argon2 crate's defaults,
//! OWASP's recommendation: m=19 MiB, t=2, p=1). Unbounded, a few hundred concurrent logins or
//! password changes would take gigabytes. So at most [`Hashing::permits`] hashes run at once,
//! at most [`MAX_WAITING`] more wait their turn (for up to [`MAX_WAIT`]), and anything beyond
//! is answered 503 with Retry-After at once: a client retries, the server keeps its memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

use super::AccountError;

/// Hashes that may wait for a turn; more are refused at once.
pub const MAX_WAITING: usize = 64;
/// The longest a hash waits for its turn.
pub const MAX_WAIT: Duration = Duration::from_secs(10);
/// What a refused caller is told to wait.
pub const RETRY_AFTER: Duration = Duration::from_secs(2);

/// Hashes a password with argon2id and a random salt. CPU-heavy: call it off the async threads
/// (start-up and the CLI call it directly; handlers go through [`Hashing`]).
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Internal(format!("password hashing failed: {e}")))
}

/// True when `password` matches the stored PHC string. CPU-heavy, like [`hash_password`].
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// The server's hashing turns.
#[derive(Debug, Clone)]
pub struct Hashing {
    turns: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    permits: usize,
}

impl Default for Hashing {
    /// One hash per core, at least two: the memory bound is `permits × 19 MiB`.
    fn default() -> Self {
        Hashing::new(std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 4))
    }
}

/// Counts a waiter for as long as it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Hashing {
    /// At most `permits` hashes at once.
    pub fn new(permits: usize) -> Self {
        let permits = permits.max(1);
        Hashing { turns: Arc::new(Semaphore::new(permits)), waiting: Arc::default(), permits }
    }

    /// How many hashes may run at once.
    pub fn permits(&self) -> usize {
        self.permits
    }

    /// Runs `work` on a blocking thread when a turn is free; `Busy` when too many wait.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AccountError> {
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let waiting = Waiting(&self.waiting);
        if queued >= MAX_WAITING {
            return Err(AccountError::Busy(RETRY_AFTER));
        }
        let turn = tokio::time::timeout(MAX_WAIT, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| AccountError::Busy(RETRY_AFTER))?
            .map_err(|_| AccountError::Internal("the hashing turns were closed".into()))?;
        drop(waiting);
        let result = tokio::task::spawn_blocking(move || {
            let result = work();
            drop(turn);
            result
        })
        .await
        .map_err(|e| AccountError::Internal(format!("a hashing task failed: {e}")))?;
        Ok(result)
    }

    /// Hashes a new password in turn.
    pub async fn hash(&self, password: String) -> Result<String, AccountError> {
        self.run(move || hash_password(&password)).await?
    }

    /// Checks a password against a stored hash in turn.
    pub async fn verify(&self, password: String, phc: String) -> Result<bool, AccountError> {
        self.run(move || verify_password(&password, &phc)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let phc = hash_password("rätt häst batteri").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("rätt häst batteri", &phc));
        assert!(!verify_password("fel häst batteri", &phc));
        assert!(!verify_password("rätt häst batteri", "not a phc string"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn beyond_the_waiting_line_callers_are_told_to_come_back() {
        let hashing = Hashing::new(1);
        let calls: Vec<_> = (0..MAX_WAITING + 20)
            .map(|_| {
                let h = hashing.clone();
                tokio::spawn(async move { h.run(|| std::thread::sleep(Duration::from_millis(20))).await })
            })
            .collect();
        let mut busy = 0;
        for call in calls {
            match call.await.unwrap() {
                Ok(()) => {}
                Err(AccountError::Busy(wait)) => {
                    assert_eq!(wait, RETRY_AFTER);
                    busy += 1;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert!(busy >= 10, "{busy} refused");
        assert_eq!(hashing.waiting.load(Ordering::SeqCst), 0, "every waiter is counted out");
    }
}
