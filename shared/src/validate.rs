//! Validation of record fields: the schema (names and types, via serde) plus the rules serde
//! cannot express (non-empty, length limits, ranges, formats). Messages are plain words, meant to
//! be shown to a person as they are.

use serde_json::{Map, Value};
use thiserror::Error;

use crate::kinds::{self, Kind, KindFields};

pub use crate::protocol::{LIST_MAX, LONG_TEXT_MAX, SHORT_TEXT_MAX};

/// Why a record's fields were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    /// The fields do not fit the kind's schema: a missing or unknown field, or a wrong type.
    #[error("{kind}: {detail}")]
    Schema { kind: Kind, detail: String },
    /// One field breaks a rule.
    #[error("{kind}: field `{field}` {problem}")]
    Field { kind: Kind, field: &'static str, problem: Problem },
    /// The whole record would be larger than a client may write.
    #[error("{kind}: the record would be {bytes} bytes; at most {max} are allowed")]
    TooLarge { kind: Kind, bytes: usize, max: usize },
}

/// The rule a field breaks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("must not be empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("must be between {min} and {max}")]
    OutOfRange { min: i64, max: i64 },
    #[error("has more than {max} entries")]
    TooMany { max: usize },
    #[error("must look like {expected}")]
    Format { expected: &'static str },
    /// A rule between fields, said in full.
    #[error("breaks a rule: {message}")]
    Rule { message: &'static str },
}

/// Collects the first rule a value breaks; each `KindFields::check` feeds it its fields.
#[derive(Debug)]
pub struct Checker {
    kind: Kind,
    error: Option<ValidationError>,
}

impl Checker {
    fn new(kind: Kind) -> Self {
        Self { kind, error: None }
    }

    fn fail(&mut self, field: &'static str, problem: Problem) {
        if self.error.is_none() {
            self.error = Some(ValidationError::Field { kind: self.kind, field, problem });
        }
    }

    fn length(&mut self, field: &'static str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, Problem::TooLong { max });
        }
    }

    /// A required one-line text: not blank, at most [`SHORT_TEXT_MAX`] characters.
    pub fn title(&mut self, field: &'static str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, Problem::Empty);
        }
        self.length(field, value, SHORT_TEXT_MAX);
    }

    /// A required free text: not blank, at most [`LONG_TEXT_MAX`] characters.
    pub fn body(&mut self, field: &'static str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, Problem::Empty);
        }
        self.length(field, value, LONG_TEXT_MAX);
    }

    /// An optional one-line text.
    pub fn short(&mut self, field: &'static str, value: &Option<String>) {
        if let Some(v) = value {
            self.length(field, v, SHORT_TEXT_MAX);
        }
    }

    /// An optional free text.
    pub fn long(&mut self, field: &'static str, value: &Option<String>) {
        if let Some(v) = value {
            self.length(field, v, LONG_TEXT_MAX);
        }
    }

    /// A list of at most [`LIST_MAX`] entries.
    pub fn list<T>(&mut self, field: &'static str, value: &[T]) {
        if value.len() > LIST_MAX {
            self.fail(field, Problem::TooMany { max: LIST_MAX });
        }
    }

    /// A whole number within `min..=max`.
    pub fn range(&mut self, field: &'static str, value: i64, min: i64, max: i64) {
        if value < min || value > max {
            self.fail(field, Problem::OutOfRange { min, max });
        }
    }

    /// A rule between fields; `message` says it in plain words.
    pub fn rule(&mut self, field: &'static str, ok: bool, message: &'static str) {
        if !ok {
            self.fail(field, Problem::Rule { message });
        }
    }

    /// A value that must match a format, described in words for the message.
    pub fn format(&mut self, field: &'static str, ok: bool, expected: &'static str) {
        if !ok {
            self.fail(field, Problem::Format { expected });
        }
    }
}

/// Parses and checks a full set of fields as the given kind.
pub fn parse<T: KindFields>(fields: &Map<String, Value>) -> Result<T, ValidationError> {
    let value: T = serde_json::from_value(Value::Object(fields.clone()))
        .map_err(|e| ValidationError::Schema { kind: T::KIND, detail: plain_serde_error(&e) })?;
    let mut checker = Checker::new(T::KIND);
    value.check(&mut checker);
    match checker.error {
        Some(e) => Err(e),
        None => Ok(value),
    }
}

/// Checks a full set of fields (a whole record's, after any merge) against its kind, and its
/// size against [`crate::protocol::record_max_bytes`].
pub fn validate_fields(kind: Kind, fields: &Map<String, Value>) -> Result<(), ValidationError> {
    kinds::dispatch_validate(kind, fields)?;
    let bytes = json_size(fields);
    let max = crate::protocol::record_max_bytes(kind);
    if bytes > max {
        return Err(ValidationError::TooLarge { kind, bytes, max });
    }
    Ok(())
}

/// The size of `fields` as compact JSON, in bytes (counted, not written: every put pays it).
pub fn json_size(fields: &Map<String, Value>) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, fields) {
        Ok(()) => count.0,
        Err(_) => usize::MAX,
    }
}

/// serde_json appends "at line 1 column 0" to value errors; that means nothing to a person.
fn plain_serde_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
