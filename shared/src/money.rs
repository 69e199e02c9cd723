//! Amounts in whole kronor as people type them: "20 000 000 kr", "1 250 000", "-5 000", with
//! spaces, no-break spaces or thin spaces between the thousands, an optional "kr" or "SEK", and
//! optionally no öre (",00" or ":-"). Spaces must group thousands: "20 00 000" is a typo (a
//! tenth of what was meant, or ten times) and is refused rather than read as 2 000 000.
//! Written here (not a crate) because no number parser takes Swedish grouping with a currency
//! word, and the funds form needs exactly this rule in the browser, unit-tested.

/// Why a typed amount was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing but spaces (or only "kr").
    Empty,
    /// Letters, decimals or signs where digits belong.
    NotWholeKronor,
    /// Spaces that do not group thousands ("20 00 000").
    Grouping,
    /// More than fits in the record's range.
    TooLarge,
}

/// Reads a typed amount in whole kronor. A leading "-", "−" (minus sign) or "+" sets the sign.
pub fn parse_sek(text: &str) -> Result<i64, AmountError> {
    let mut s = text.trim();
    for unit in ["kr", "KR", "Kr", "SEK", "sek"] {
        if let Some(rest) = s.strip_suffix(unit) {
            s = rest.trim_end();
            break;
        }
    }
    for no_ore in [",00", ".00", ",-", ":-"] {
        if let Some(rest) = s.strip_suffix(no_ore) {
            s = rest;
            break;
        }
    }
    let (negative, digits) = match s.chars().next() {
        Some('-' | '−') => (true, &s[s.chars().next().map_or(0, char::len_utf8)..]),
        Some('+') => (false, &s[1..]),
        _ => (false, s),
    };
    let groups: Vec<&str> = digits.split(char::is_whitespace).filter(|g| !g.is_empty()).collect();
    let digits: String = groups.concat();
    if digits.is_empty() {
        return Err(AmountError::Empty);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountError::NotWholeKronor);
    }
    let grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped {
        return Err(AmountError::Grouping);
    }
    let value: i64 = digits.parse().map_err(|_| AmountError::TooLarge)?;
    if value > crate::kinds::MAX_SEK {
        return Err(AmountError::TooLarge);
    }
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_amounts_with_kr_are_read() {
        assert_eq!(parse_sek("20 000 000 kr"), Ok(20_000_000));
        assert_eq!(parse_sek("20\u{a0}000\u{a0}000\u{a0}kr"), Ok(20_000_000));
        assert_eq!(parse_sek("20\u{202f}000 SEK"), Ok(20_000));
        assert_eq!(parse_sek(" 1250000 "), Ok(1_250_000));
        assert_eq!(parse_sek("500kr"), Ok(500));
        assert_eq!(parse_sek("0"), Ok(0));
        assert_eq!(parse_sek("1 000,00 kr"), Ok(1000));
        assert_eq!(parse_sek("250 000:-"), Ok(250_000));
    }

    #[test]
    fn spaces_must_group_thousands() {
        assert_eq!(parse_sek("20 00 000"), Err(AmountError::Grouping));
        assert_eq!(parse_sek("2 0000"), Err(AmountError::Grouping));
        assert_eq!(parse_sek("2000 000"), Err(AmountError::Grouping));
        assert_eq!(parse_sek("− 5 000"), Ok(-5000), "a space after the sign is fine");
    }

    #[test]
    fn signs_are_kept() {
        assert_eq!(parse_sek("-5 000"), Ok(-5000));
        assert_eq!(parse_sek("−5 000 kr"), Ok(-5000));
        assert_eq!(parse_sek("+5 000"), Ok(5000));
    }

    #[test]
    fn other_text_is_refused_with_a_reason() {
        assert_eq!(parse_sek(""), Err(AmountError::Empty));
        assert_eq!(parse_sek("kr"), Err(AmountError::Empty));
        assert_eq!(parse_sek("12,50"), Err(AmountError::NotWholeKronor));
        assert_eq!(parse_sek("12,5 kr"), Err(AmountError::NotWholeKronor));
        assert_eq!(parse_sek("12.5"), Err(AmountError::NotWholeKronor));
        assert_eq!(parse_sek("tjugo"), Err(AmountError::NotWholeKronor));
        assert_eq!(parse_sek("--5"), Err(AmountError::NotWholeKronor));
        assert_eq!(parse_sek("99999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(parse_sek("2 000 000 000 000"), Err(AmountError::TooLarge));
    }
}
