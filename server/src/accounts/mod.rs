//! Accounts in one place: the rules for user names, display names and passwords, creating and
//! changing accounts, and the limits on guessing. The API (`routes::users`, `routes::auth`),
//! the CLI (`tavla user add`) and the first admin at start-up all go through here, so one set
//! of rules holds everywhere.
//!
//! Changes are compare-and-swap in the store: a change is applied to the account as it is
//! stored at that moment (after any slow hashing), and tried again if it changed in between,
//! so a concurrent disable or role change is never undone by a stale copy.

pub mod hashing;
pub mod limits;
pub mod passwords;
pub mod second_factor;

use tavla_shared::values::Role;
use thiserror::Error;
use uuid::Uuid;

use crate::store::{Store, StoreError, StoredUser, UserWriteError};
pub use hashing::{hash_password, verify_password, Hashing};
pub use passwords::PasswordProblem;

/// Why an account could not be created or changed.
#[derive(Debug, Error)]
pub enum AccountError {
    #[error("a user name has 2–64 characters: a–z, 0–9, dot, dash or underscore")]
    BadUsername,
    #[error("a display name has 1–100 characters")]
    BadDisplayName,
    #[error(transparent)]
    Password(#[from] PasswordProblem),
    #[error("the user name «{0}» is taken")]
    NameTaken(String),
    #[error("no such account")]
    NotFound,
    #[error("you cannot disable yourself or take away your own admin role")]
    OwnAdminRights,
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("the code is wrong or was used already; enter the newest code from the app")]
    WrongCode,
    #[error("two-step verification is already on; turn it off first to set up a new app")]
    SecondFactorOn,
    #[error("ask for a new secret first: there is none waiting to be confirmed")]
    NoSecondFactorOffered,
    #[error("admins must keep two-step verification on")]
    AdminsNeedSecondFactor,
    #[error("only the account's owner can turn two-step verification on")]
    SecondFactorOnlyByOwner,
    /// The account changed while this change was made, more often than retrying covers.
    #[error("the account was changed by someone else at the same time; try again")]
    Contended,
    /// Too many passwords are being hashed; come back after the given time.
    #[error("the server is busy checking passwords; try again in {} seconds", .0.as_secs().max(1))]
    Busy(std::time::Duration),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

/// How often a change is retried when the account changed underneath it.
const CAS_TRIES: usize = 8;

/// 2–64 characters: lower-case letters, digits, dot, dash, underscore.
pub fn check_username(name: &str) -> Result<(), AccountError> {
    let ok = (2..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    ok.then_some(()).ok_or(AccountError::BadUsername)
}

/// 1–100 characters once trimmed.
pub fn check_display_name(name: &str) -> Result<(), AccountError> {
    let n = name.trim().chars().count();
    (1..=100).contains(&n).then_some(()).ok_or(AccountError::BadDisplayName)
}

/// A new account as asked for.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    pub person_id: Option<Uuid>,
}

impl NewAccount {
    /// Checks every rule but the name's availability (which the store checks as it writes).
    pub fn check(&self) -> Result<(), AccountError> {
        check_username(&self.username)?;
        check_display_name(&self.display_name)?;
        passwords::check(&self.password, &self.username)?;
        Ok(())
    }

    fn into_user(self, password_hash: String) -> StoredUser {
        StoredUser {
            id: Uuid::new_v4(),
            username: self.username,
            display_name: self.display_name.trim().to_string(),
            role: self.role,
            password_hash,
            disabled: false,
            person_id: self.person_id,
            second_factor: None,
            second_factor_offered: None,
        }
    }
}

fn write_error(e: UserWriteError, username: &str) -> AccountError {
    match e {
        UserWriteError::NameTaken => AccountError::NameTaken(username.to_string()),
        UserWriteError::Changed => AccountError::Contended,
        UserWriteError::NotFound => AccountError::NotFound,
        UserWriteError::Store(e) => AccountError::Store(e),
    }
}

/// Creates an account, hashing on this thread: for start-up and the CLI.
pub fn create_blocking(store: &dyn Store, new: NewAccount) -> Result<StoredUser, AccountError> {
    new.check()?;
    let hash = hash_password(&new.password)?;
    let user = new.into_user(hash);
    store.create_user(&user).map_err(|e| write_error(e, &user.username))?;
    Ok(user)
}

/// Creates an account, hashing in turn: for the API.
pub async fn create(
    store: &dyn Store,
    hashing: &Hashing,
    new: NewAccount,
) -> Result<StoredUser, AccountError> {
    new.check()?;
    if store.user_by_name(&new.username)?.is_some() {
        // Checked before hashing too, so a taken name costs no hash.
        return Err(AccountError::NameTaken(new.username));
    }
    let hash = hashing.hash(new.password.clone()).await?;
    let user = new.into_user(hash);
    store.create_user(&user).map_err(|e| write_error(e, &user.username))?;
    Ok(user)
}

/// Applies `change` to the account as stored, compare-and-swap: if the account changed between
/// the read and the write, `change` is applied again to the new copy. `change` must therefore
/// depend only on the account it is given.
pub fn update(
    store: &dyn Store,
    id: Uuid,
    mut change: impl FnMut(&mut StoredUser) -> Result<(), AccountError>,
) -> Result<StoredUser, AccountError> {
    for _ in 0..CAS_TRIES {
        let old = store.user(id)?.ok_or(AccountError::NotFound)?;
        let mut new = old.clone();
        change(&mut new)?;
        if new == old {
            return Ok(new);
        }
        match store.replace_user(&old, &new) {
            Ok(()) => return Ok(new),
            Err(UserWriteError::Changed) => continue,
            Err(e) => return Err(write_error(e, &new.username)),
        }
    }
    Err(AccountError::Contended)
}

/// An admin's change of an account; only the named fields change.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub password: Option<String>,
    pub disabled: Option<bool>,
    /// `Some(Some(id))` links the account to a person, `Some(None)` unlinks it.
    pub person_id: Option<Option<Uuid>>,
    /// `Some(false)` turns two-step verification off (a lost phone).
    pub second_factor: Option<bool>,
}

/// Changes an account on an admin's behalf (`by`). A new password, disabling, or a change of
/// role or linked person revokes the account's sessions: what it may see changed, so its
/// devices log in again and pull afresh under the new rights. Disabling also revokes its
/// calendar feed. (An admin's own person link
/// changes nothing an admin sees, and their own role cannot change: their sessions stay.)
/// Returns the account as stored.
pub async fn change(
    store: &dyn Store,
    hashing: &Hashing,
    by: Uuid,
    id: Uuid,
    change: AccountChange,
) -> Result<StoredUser, AccountError> {
    if id == by && (change.disabled == Some(true) || change.role.is_some_and(|r| r != Role::Admin)) {
        return Err(AccountError::OwnAdminRights);
    }
    if change.second_factor == Some(true) {
        return Err(AccountError::SecondFactorOnlyByOwner);
    }
    // One's own goes through `turn_off_second_factor`, which asks for the password.
    if id == by && change.second_factor == Some(false) {
        return Err(AccountError::AdminsNeedSecondFactor);
    }
    if let Some(name) = &change.username {
        check_username(name)?;
    }
    if let Some(name) = &change.display_name {
        check_display_name(name)?;
    }
    let current = store.user(id)?.ok_or(AccountError::NotFound)?;
    // Hashed before the swap: the slow part never holds a stale copy of the account.
    let hash = match &change.password {
        Some(password) => {
            passwords::check(password, change.username.as_deref().unwrap_or(&current.username))?;
            Some(hashing.hash(password.clone()).await?)
        }
        None => None,
    };
    let user = update(store, id, |user| {
        if let Some(name) = &change.username {
            user.username.clone_from(name);
        }
        if let Some(name) = &change.display_name {
            user.display_name = name.trim().to_string();
        }
        if let Some(role) = change.role {
            user.role = role;
        }
        if let Some(person) = change.person_id {
            user.person_id = person;
        }
        if let Some(hash) = &hash {
            user.password_hash.clone_from(hash);
        }
        if let Some(disabled) = change.disabled {
            user.disabled = disabled;
        }
        if change.second_factor == Some(false) {
            user.second_factor = None;
            user.second_factor_offered = None;
        }
        Ok(())
    })?;
    let rights_changed = id != by && (user.role != current.role || user.person_id != current.person_id);
    if hash.is_some() || change.disabled == Some(true) || rights_changed {
        store.delete_sessions_of(id, None)?;
    }
    // A disabled account's calendar feed ends for good, like its logins: enabled again, the
    // person makes a new link rather than an old one, maybe shared meanwhile, coming back.
    if change.disabled == Some(true) {
        store.delete_calendar_feed_of(id)?;
    }
    Ok(user)
}

/// Changes one's own password after checking the current one. The swap only succeeds if the
/// password hash is still the one just verified: two changes at once cannot both win.
/// The caller counts a `WrongPassword` against the login limits.
pub async fn change_own_password(
    store: &dyn Store,
    hashing: &Hashing,
    id: Uuid,
    current_password: String,
    new_password: String,
) -> Result<StoredUser, AccountError> {
    let user = store.user(id)?.ok_or(AccountError::NotFound)?;
    if current_password.chars().count() > passwords::MAX_CHARS
        || !hashing.verify(current_password, Some(user.password_hash.clone())).await?
    {
        return Err(AccountError::WrongPassword);
    }
    passwords::check(&new_password, &user.username)?;
    let verified = user.password_hash;
    let hash = hashing.hash(new_password).await?;
    update(store, id, |user| {
        if user.password_hash != verified {
            return Err(AccountError::Contended);
        }
        user.password_hash.clone_from(&hash);
        Ok(())
    })
}

/// Offers a new secret for two-step verification (not on until confirmed with a code).
/// Returns the secret and the user name the app will show.
pub fn offer_second_factor(store: &dyn Store, id: Uuid) -> Result<(String, String), AccountError> {
    let secret = second_factor::new_secret();
    let user = update(store, id, |user| {
        if user.second_factor.is_some() {
            return Err(AccountError::SecondFactorOn);
        }
        user.second_factor_offered = Some(secret.clone());
        Ok(())
    })?;
    Ok((secret, user.username))
}

/// Turns two-step verification on with the offered secret, if `password` is the account's and
/// `code` is the app's code for the secret. Returns the ten recovery codes, to be shown once.
/// The caller counts a `WrongPassword` against the login limits.
pub async fn confirm_second_factor(
    store: &dyn Store,
    hashing: &Hashing,
    id: Uuid,
    code: &str,
    password: String,
    now_ms: i64,
) -> Result<Vec<String>, AccountError> {
    let user = store.user(id)?.ok_or(AccountError::NotFound)?;
    if password.chars().count() > passwords::MAX_CHARS
        || !hashing.verify(password, Some(user.password_hash.clone())).await?
    {
        return Err(AccountError::WrongPassword);
    }
    if user.second_factor.is_some() {
        return Err(AccountError::SecondFactorOn);
    }
    let secret = user.second_factor_offered.ok_or(AccountError::NoSecondFactorOffered)?;
    let step = second_factor::matching_step(&secret, code, (now_ms / 1000).max(0) as u64)
        .ok_or(AccountError::WrongCode)?;
    let (factor, codes) = second_factor::SecondFactor::new(secret.clone(), now_ms, step);
    update(store, id, |user| {
        if user.second_factor_offered.as_ref() != Some(&secret) || user.second_factor.is_some() {
            return Err(AccountError::Contended);
        }
        user.second_factor = Some(factor.clone());
        user.second_factor_offered = None;
        Ok(())
    })?;
    Ok(codes)
}

/// Spends a code (the app's or a recovery code) at login: `WrongCode` unless it is accepted.
pub fn spend_second_factor(store: &dyn Store, id: Uuid, code: &str, now_ms: i64) -> Result<(), AccountError> {
    let now = (now_ms / 1000).max(0) as u64;
    update(store, id, |user| {
        let Some(factor) = &user.second_factor else { return Ok(()) };
        user.second_factor = Some(factor.spend(code, now).ok_or(AccountError::WrongCode)?);
        Ok(())
    })
    .map(drop)
}

/// Turns one's own two-step verification off, after checking the password. Admins cannot when
/// it is required of them. The caller counts a `WrongPassword` against the login limits.
pub async fn turn_off_second_factor(
    store: &dyn Store,
    hashing: &Hashing,
    id: Uuid,
    password: String,
    required_of_admins: bool,
) -> Result<(), AccountError> {
    let user = store.user(id)?.ok_or(AccountError::NotFound)?;
    if required_of_admins && user.role == Role::Admin {
        return Err(AccountError::AdminsNeedSecondFactor);
    }
    if password.chars().count() > passwords::MAX_CHARS
        || !hashing.verify(password, Some(user.password_hash)).await?
    {
        return Err(AccountError::WrongPassword);
    }
    update(store, id, |user| {
        user.second_factor = None;
        user.second_factor_offered = None;
        Ok(())
    })
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SledStore;

    fn store() -> (tempfile::TempDir, SledStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path(), 8 << 20).unwrap();
        (dir, store)
    }

    fn anna() -> NewAccount {
        NewAccount {
            username: "anna".into(),
            display_name: " Anna Berg ".into(),
            role: Role::Board,
            password: "björnlunda bygdegård 1923".into(),
            person_id: None,
        }
    }

    #[test]
    fn the_rules_hold_for_every_way_in() {
        let (_dir, store) = store();
        let user = create_blocking(&store, anna()).unwrap();
        assert_eq!(user.display_name, "Anna Berg");
        assert!(matches!(create_blocking(&store, anna()), Err(AccountError::NameTaken(_))));
        let upper = NewAccount { username: "Anna".into(), ..anna() };
        assert!(matches!(create_blocking(&store, upper), Err(AccountError::BadUsername)));
        let weak = NewAccount { username: "bertil".into(), password: "a123456789".into(), ..anna() };
        assert!(matches!(
            create_blocking(&store, weak),
            Err(AccountError::Password(PasswordProblem::Common))
        ));
        let nameless = NewAccount { username: "cecilia".into(), display_name: "  ".into(), ..anna() };
        assert!(matches!(create_blocking(&store, nameless), Err(AccountError::BadDisplayName)));
    }

    #[test]
    fn an_update_applies_to_the_account_as_stored_not_a_stale_copy() {
        let (_dir, store) = store();
        let user = create_blocking(&store, anna()).unwrap();
        let mut first = true;
        // While this change is being made, an admin disables the account.
        let changed = update(&store, user.id, |u| {
            if first {
                first = false;
                let mut disabled = store.user(user.id).unwrap().unwrap();
                disabled.disabled = true;
                store.replace_user(&store.user(user.id).unwrap().unwrap(), &disabled).unwrap();
            }
            u.role = Role::Staff;
            Ok(())
        })
        .unwrap();
        assert!(changed.disabled && changed.role == Role::Staff, "{changed:?}");
        assert_eq!(store.user(user.id).unwrap().unwrap(), changed);
    }

    #[test]
    fn a_rename_onto_a_taken_name_is_refused_and_the_old_name_still_finds_the_account() {
        let (_dir, store) = store();
        let anna = create_blocking(&store, anna()).unwrap();
        let bertil =
            create_blocking(&store, NewAccount { username: "bertil".into(), ..self::anna() }).unwrap();
        let refused = update(&store, bertil.id, |u| {
            u.username = "anna".into();
            Ok(())
        });
        assert!(matches!(refused, Err(AccountError::NameTaken(_))), "{refused:?}");
        assert_eq!(store.user_by_name("bertil").unwrap().unwrap().id, bertil.id);
        update(&store, anna.id, |u| {
            u.username = "anna.berg".into();
            Ok(())
        })
        .unwrap();
        assert!(store.user_by_name("anna").unwrap().is_none());
        assert_eq!(store.user_by_name("Anna.Berg").unwrap().unwrap().id, anna.id);
    }

    #[tokio::test]
    async fn two_step_verification_is_turned_on_with_a_code_and_spent_at_login() {
        let (_dir, store) = store();
        let hashing = Hashing::new(1);
        let password = || anna().password;
        let user = create_blocking(&store, anna()).unwrap();
        let now_ms = 1_800_000_000_000;
        let early = confirm_second_factor(&store, &hashing, user.id, "123456", password(), now_ms).await;
        assert!(matches!(early, Err(AccountError::NoSecondFactorOffered)));
        let (secret, name) = offer_second_factor(&store, user.id).unwrap();
        assert_eq!(name, "anna");
        assert!(!store.user(user.id).unwrap().unwrap().to_wire().second_factor, "not on before confirmed");
        let wrong = confirm_second_factor(&store, &hashing, user.id, "000000", password(), now_ms).await;
        assert!(matches!(wrong, Err(AccountError::WrongCode)));
        let code = second_factor::code_at(&secret, 1_800_000_000).unwrap();
        let no_password = confirm_second_factor(&store, &hashing, user.id, &code, "fel".into(), now_ms).await;
        assert!(matches!(no_password, Err(AccountError::WrongPassword)), "a session alone is not enough");
        let recovery =
            confirm_second_factor(&store, &hashing, user.id, &code, password(), now_ms).await.unwrap();
        assert_eq!(recovery.len(), 10);
        assert!(store.user(user.id).unwrap().unwrap().to_wire().second_factor);
        assert!(matches!(offer_second_factor(&store, user.id), Err(AccountError::SecondFactorOn)));
        // The code that turned it on is spent; the next one is not.
        let spent = spend_second_factor(&store, user.id, &code, now_ms);
        assert!(matches!(spent, Err(AccountError::WrongCode)));
        let next = second_factor::code_at(&secret, 1_800_000_030).unwrap();
        spend_second_factor(&store, user.id, &next, now_ms + 30_000).unwrap();
        spend_second_factor(&store, user.id, &recovery[0], now_ms).unwrap();
        assert!(matches!(
            spend_second_factor(&store, user.id, &recovery[0], now_ms),
            Err(AccountError::WrongCode)
        ));
    }

    #[tokio::test]
    async fn changing_ones_password_needs_the_current_one() {
        let (_dir, store) = store();
        let user = create_blocking(&store, anna()).unwrap();
        let hashing = Hashing::new(2);
        let wrong =
            change_own_password(&store, &hashing, user.id, "fel".into(), "ett nytt långt lösen".into());
        assert!(matches!(wrong.await, Err(AccountError::WrongPassword)));
        let weak = change_own_password(&store, &hashing, user.id, anna().password, "password12345".into());
        assert!(matches!(weak.await, Err(AccountError::Password(PasswordProblem::Common))));
        change_own_password(&store, &hashing, user.id, anna().password, "ett nytt långt lösen".into())
            .await
            .unwrap();
        let stored = store.user(user.id).unwrap().unwrap();
        assert!(verify_password("ett nytt långt lösen", &stored.password_hash));
    }
}
