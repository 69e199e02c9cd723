//! Password rules: at least 10 characters, not one of the most common passwords (a small list
//! shipped with the server), not the user name. Stored only as argon2id hashes (see `auth`).

use thiserror::Error;

/// Shortest password accepted (one constant with the browser's forms).
pub const MIN_CHARS: usize = tavla_shared::protocol::PASSWORD_MIN_CHARS;
/// Longest password accepted (hashing a megabyte would only cost time).
pub const MAX_CHARS: usize = tavla_shared::protocol::PASSWORD_MAX_CHARS;

const COMMON: &str = include_str!("common-passwords.txt");

/// Why a new password is refused; shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordProblem {
    #[error("the password must be at least {MIN_CHARS} characters")]
    TooShort,
    #[error("the password must be at most {MAX_CHARS} characters")]
    TooLong,
    #[error("that password is among the most used; choose another")]
    Common,
    #[error("the password must not be the user name")]
    SameAsUsername,
}

/// Checks a new password for `username`.
pub fn check(password: &str, username: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if lower == username.to_lowercase() {
        return Err(PasswordProblem::SameAsUsername);
    }
    let one_char = password.chars().all(|c| password.starts_with(c));
    let listed =
        COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).any(|l| l == lower);
    if one_char || listed {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        let cases = [
            ("kort", Err(PasswordProblem::TooShort)),
            ("123456789", Err(PasswordProblem::TooShort)),
            ("1234567890", Err(PasswordProblem::Common)),
            ("Sommar2026", Err(PasswordProblem::Common)),
            ("LÖSENORD123", Err(PasswordProblem::Common)),
            ("aaaaaaaaaaaa", Err(PasswordProblem::Common)),
            ("anna.karlsson", Err(PasswordProblem::SameAsUsername)),
            ("rätt häst batteri häftstift", Ok(())),
            ("Bygdegården i Björnlunda 1923", Ok(())),
        ];
        for (password, expected) in cases {
            assert_eq!(check(password, "Anna.Karlsson"), expected, "{password}");
        }
        assert_eq!(check(&"x1".repeat(200), "anna"), Err(PasswordProblem::TooLong));
    }
}
