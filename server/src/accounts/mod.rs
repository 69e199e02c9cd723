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
    pub person_id: Option<Uuid>,
}

/// Changes an account on an admin's behalf (`by`). A new password or disabling revokes the
/// account's sessions. Returns the account as stored.
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
            user.person_id = Some(person);
        }
        if let Some(hash) = &hash {
            user.password_hash.clone_from(hash);
        }
        if let Some(disabled) = change.disabled {
            user.disabled = disabled;
        }
        Ok(())
    })?;
    if hash.is_some() || change.disabled == Some(true) {
        store.delete_sessions_of(id, None)?;
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
