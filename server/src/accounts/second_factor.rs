//! Two-step verification (ASVS 5.0 6.3.2, 6.5): TOTP codes of RFC 6238 (SHA-1, six digits,
//! 30-second steps: what every authenticator app reads from a QR code), and ten one-time
//! recovery codes for a lost phone.
//!
//! A code is accepted for the step before, the current one and the one after (a phone's clock
//! a little off), and never twice: the step of the last accepted code is kept, so a code seen
//! over someone's shoulder is spent. Recovery codes are stored as SHA-256 hashes and removed
//! when used. The TOTP arithmetic is the totp-rs crate's; the QR code is drawn as SVG by the
//! qrcode crate.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds per code.
pub const STEP: u64 = 30;
/// How many recovery codes an account gets.
pub const RECOVERY_CODES: usize = 10;
/// Who the codes are for, as the app lists them.
const ISSUER: &str = "Tavla";

/// An account's second factor, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactor {
    /// The shared secret in base32 (the server must be able to compute the codes).
    pub secret: String,
    /// When it was turned on (ms since the Unix epoch).
    pub since: i64,
    /// The step of the last accepted code; only later steps are accepted.
    #[serde(default)]
    pub last_step: u64,
    /// SHA-256 (hex) of the recovery codes not yet used.
    #[serde(default)]
    pub recovery: Vec<String>,
}

/// A new random secret of 160 bits (RFC 4226's recommendation), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    base32(&bytes)
}

/// RFC 4648 base32 without padding, as authenticator apps read secrets.
fn base32(bytes: &[u8]) -> String {
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn decode_base32(text: &str) -> Option<Vec<u8>> {
    Secret::Encoded(text.to_string()).to_bytes().ok()
}

fn totp(secret: &str) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, decode_base32(secret)?).ok()
}

/// The `otpauth://` address an app reads from the QR code.
pub fn uri(secret: &str, username: &str) -> String {
    let label: String = percent_encoding::utf8_percent_encode(
        &format!("{ISSUER}:{username}"),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string();
    format!("otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period={STEP}")
}

/// The address as a QR code, an SVG image.
pub fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build()
        }
        // An address of about 120 bytes always fits a QR code; without one, the secret as text
        // still works.
        Err(_) => String::new(),
    }
}

/// The step of a code that matches `secret` at `now_secs` (one step either side), if any.
pub fn matching_step(secret: &str, code: &str, now_secs: u64) -> Option<u64> {
    let totp = totp(secret)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now_step = now_secs / STEP;
    (now_step.saturating_sub(1)..=now_step + 1).find(|step| {
        let expected = totp.generate(step * STEP);
        // Constant time, as totp-rs compares in its own `check`.
        expected.len() == code.len()
            && expected.bytes().zip(code.bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
    })
}

/// The code an app shows for `secret` at `now_secs` (tests and tools).
pub fn code_at(secret: &str, now_secs: u64) -> Option<String> {
    Some(totp(secret)?.generate(now_secs))
}

fn hash_code(code: &str) -> String {
    let normal: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Ten new recovery codes ("k7m2p-9xq4h"), and their hashes to store.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    // No 0/o, 1/l/i: read off paper, typed on a phone.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            OsRng.fill_bytes(&mut bytes);
            let chars: String =
                bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect();
    let hashes = codes.iter().map(|c| hash_code(c)).collect();
    (codes, hashes)
}

impl SecondFactor {
    /// Turned on now with `secret`; returns the recovery codes to show once.
    pub fn new(secret: String, now_ms: i64, step: u64) -> (Self, Vec<String>) {
        let (codes, recovery) = new_recovery_codes();
        (SecondFactor { secret, since: now_ms, last_step: step, recovery }, codes)
    }

    /// Spends `code` (an app's code or a recovery code): the state to store if it is accepted.
    pub fn spend(&self, code: &str, now_secs: u64) -> Option<SecondFactor> {
        if let Some(step) = matching_step(&self.secret, code, now_secs) {
            return (step > self.last_step).then(|| SecondFactor { last_step: step, ..self.clone() });
        }
        let hash = hash_code(code);
        let position = self.recovery.iter().position(|h| *h == hash)?;
        let mut spent = self.clone();
        spent.recovery.remove(position);
        Some(spent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", six digits.
        let secret = base32(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(decode_base32(&secret).unwrap(), b"12345678901234567890");
        for (time, code) in [(59, "287082"), (1_111_111_109, "081804"), (2_000_000_000, "279037")] {
            assert_eq!(code_at(&secret, time).unwrap(), code, "{time}");
        }
        assert_eq!(new_secret().len(), 32);
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_only_once() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let (factor, codes) = SecondFactor::new(secret.clone(), 0, 0);
        assert_eq!(codes.len(), RECOVERY_CODES);
        let code = code_at(&secret, now).unwrap();
        let spent = factor.spend(&code, now + STEP).expect("a step late is fine");
        assert!(spent.spend(&code, now + STEP).is_none(), "never twice");
        assert!(factor.spend(&code, now + 3 * STEP).is_none(), "too late");
        let earlier = code_at(&secret, now - STEP).unwrap();
        assert!(spent.spend(&earlier, now).is_none(), "nor an older code after a newer one");
        assert!(factor.spend("12345", now).is_none() && factor.spend("abcdef", now).is_none());
        assert!(uri(&secret, "anna.berg").starts_with("otpauth://totp/Tavla%3Aanna%2Eberg?secret="));
        assert!(qr_svg(&uri(&secret, "anna")).contains("<svg"));
    }

    #[test]
    fn a_recovery_code_works_once_typed_any_way() {
        let (factor, codes) = SecondFactor::new(new_secret(), 0, 0);
        let typed = codes[3].to_uppercase().replace('-', " ");
        let spent = factor.spend(&typed, 0).expect("accepted");
        assert_eq!(spent.recovery.len(), RECOVERY_CODES - 1);
        assert!(spent.spend(&codes[3], 0).is_none(), "used up");
        assert!(spent.spend(&codes[4], 0).is_some(), "the others still work");
    }
}
