//! Password hashing (argon2id) with bounded work.
//!
//! Each hash takes 19 MiB and tens of milliseconds of one core (the argon2 crate's defaults,
//! OWASP's recommendation: m=19 MiB, t=2, p=1). Unbounded, a few hundred concurrent logins or
//! password changes would take gigabytes. So hashes run on [`Hashing::permits`] threads of
//! their own, at most [`MAX_WAITING`] more wait in line, and anything beyond is answered 503
//! with Retry-After at once: a client retries, the server keeps its memory.
//!
//! Why threads of our own rather than tokio's blocking pool: the pool starts a new thread
//! whenever none is idle at that instant, and glibc gives each new thread its own malloc arena,
//! which keeps a freed 19 MiB block for reuse. Measured with 300 concurrent password changes:
//! 420 MB peak through the pool with two at a time, against a fixed few arenas here.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::AccountError;

/// Hashes that may wait for a turn; more are refused at once.
pub const MAX_WAITING: usize = 64;
/// What a refused caller is told to wait.
pub const RETRY_AFTER: Duration = Duration::from_secs(2);

/// One piece of hashing work.
type Job = Box<dyn FnOnce() + Send>;

/// The most memory a stored hash may ask for (in 1 KiB blocks): 64 MiB. Ours ask for 19 MiB.
const MAX_BLOCKS: usize = 64 * 1024;

thread_local! {
    /// On a hashing thread: its argon2 memory, allocated once and reused by every hash.
    static MEMORY: std::cell::RefCell<Option<Vec<Block>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with at least `count` blocks of argon2 memory: the hashing thread's own, kept
/// between hashes, or (on any other thread: start-up, the CLI) a fresh allocation.
fn with_memory<R>(count: usize, f: impl FnOnce(&mut [Block]) -> R) -> R {
    MEMORY.with_borrow_mut(|kept| match kept {
        Some(blocks) => {
            if blocks.len() < count {
                blocks.resize(count, Block::default());
            }
            f(blocks)
        }
        None => f(&mut vec![Block::default(); count]),
    })
}

/// The argon2 output of `password` with the parameters, algorithm, version and salt given.
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: Salt<'_>,
) -> Result<Output, password_hash::Error> {
    let count = params.block_count();
    if count > MAX_BLOCKS {
        return Err(password_hash::Error::ParamValueInvalid(password_hash::errors::InvalidValue::TooLong));
    }
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let argon = Argon2::new(algorithm, version, params);
    with_memory(count, |memory| {
        Output::init_with(len, |out| {
            argon.hash_password_into_with_memory(password, salt_bytes, out, memory).map_err(Into::into)
        })
    })
}

/// Hashes a password with argon2id (the crate's default parameters) and a random salt, as a
/// PHC string. CPU-heavy: call it off the async threads (start-up and the CLI call it
/// directly; handlers go through [`Hashing`]).
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let fail = |e: password_hash::Error| AccountError::Internal(format!("password hashing failed: {e}"));
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default();
    let output = compute(
        Algorithm::default(),
        Version::default(),
        params.clone(),
        password.as_bytes(),
        salt.as_salt(),
    )
    .map_err(fail)?;
    let phc = PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(&params).map_err(fail)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// True when `password` matches the stored PHC string (compared in constant time).
/// CPU-heavy, like [`hash_password`].
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else { return false };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm) else { return false };
    let version = hash.version.map_or(Ok(Version::default()), Version::try_from);
    let (Ok(version), Ok(params)) = (version, Params::try_from(&hash)) else { return false };
    compute(algorithm, version, params, password.as_bytes(), salt).is_ok_and(|out| out == expected)
}

/// A hash to check against when an account does not exist, so a wrong user name takes as long
/// as a wrong password and does not tell which accounts exist. Made on first use.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("not a real password").unwrap_or_default());

/// The server's hashing threads and the line in front of them. Dropping the last clone ends
/// the threads.
#[derive(Debug, Clone)]
pub struct Hashing {
    line: SyncSender<Job>,
    permits: usize,
}

impl Default for Hashing {
    /// One hashing thread per core, two to four: the memory bound is `permits × 19 MiB`.
    fn default() -> Self {
        Hashing::new(std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 4))
    }
}

/// A hashing thread: takes the next job until the line is closed.
fn work(line: &Mutex<Receiver<Job>>) {
    MEMORY.set(Some(Vec::new()));
    loop {
        // Held only while waiting for a job; a panic elsewhere leaves the line usable.
        let job = line.lock().unwrap_or_else(|p| p.into_inner()).recv();
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

impl Hashing {
    /// `permits` hashing threads.
    pub fn new(permits: usize) -> Self {
        let permits = permits.max(1);
        let (line, jobs) = sync_channel::<Job>(MAX_WAITING);
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..permits {
            let jobs = jobs.clone();
            let spawned =
                std::thread::Builder::new().name(format!("tavla-hash-{n}")).spawn(move || work(&jobs));
            if let Err(e) = spawned {
                tracing::error!("cannot start a hashing thread: {e}");
            }
        }
        Hashing { line, permits }
    }

    /// How many hashes may run at once.
    pub fn permits(&self) -> usize {
        self.permits
    }

    /// Runs `work` on a hashing thread in turn; `Busy` when the line is full.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AccountError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // The caller gave up (its request ended): skip the work.
            if !done.is_closed() {
                let _ = done.send(work());
            }
        });
        match self.line.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(AccountError::Busy(RETRY_AFTER)),
            Err(TrySendError::Disconnected(_)) => {
                return Err(AccountError::Internal("the hashing threads have stopped".into()))
            }
        }
        result.await.map_err(|_| AccountError::Internal("a hashing job was dropped".into()))
    }

    /// Hashes a new password in turn.
    pub async fn hash(&self, password: String) -> Result<String, AccountError> {
        self.run(move || hash_password(&password)).await?
    }

    /// Checks a password against a stored hash in turn; without one (no such account), against
    /// a dummy hash, so the answer takes as long either way.
    pub async fn verify(&self, password: String, phc: Option<String>) -> Result<bool, AccountError> {
        self.run(move || match phc {
            Some(phc) => verify_password(&password, &phc),
            None => {
                verify_password(&password, &DUMMY_HASH);
                false
            }
        })
        .await
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
        // Hashes made by the argon2 crate's own PasswordHasher (releases before this one) verify.
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let theirs =
            Argon2::default().hash_password("gammalt lösenord".as_bytes(), &salt).unwrap().to_string();
        assert!(verify_password("gammalt lösenord", &theirs));
        assert!(!verify_password("nytt lösenord", &theirs));
        // A stored hash asking for more memory than allowed is refused, not computed.
        let greedy = theirs.replace("m=19456", "m=4000000");
        assert!(!verify_password("gammalt lösenord", &greedy));
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
        // The line empties: a new job is taken.
        assert!(hashing.run(|| ()).await.is_ok());
    }
}
