//! Checks of documented limits, run before a request leaves the process.
//!
//! Generated types implement [`Validate`]; each documented limit becomes one
//! call of a check function below, and each rule that spans fields becomes
//! one [`Violation`] with the condition it depends on. A new endpoint states
//! its own limits in its schema; no code here changes.

use std::fmt;

mod pattern;

/// What a generated type checks about itself.
pub trait Validate {
    /// Appends every violated limit to `out`; `at` is this value's JSON path
    /// (e.g. `body.restricted_mode_setting`).
    fn validate(&self, at: &str, out: &mut Vec<Violation>);
}

/// For requests without a query or a body.
impl Validate for () {
    fn validate(&self, _at: &str, _out: &mut Vec<Violation>) {}
}

/// One broken limit: which field, which limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON path of the offending field, e.g. `body.user_id_list`.
    pub field: String,
    /// The limit it breaks.
    pub limit: Limit,
    /// The condition under which the limit applies, e.g. `chat_type = "public"`.
    pub when: Option<&'static str>,
    /// The error code the server would answer with, where the doc names one.
    pub code: Option<i64>,
}

/// A documented limit, as a request broke it: a field's own limit (length,
/// count, presence) or one spanning fields, from a rule of the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Limit {
    /// The field must be set (a string: set and not empty).
    Required,
    /// At most `max` characters (Unicode scalar values).
    MaxChars {
        /// The limit.
        max: usize,
        /// What the request had.
        actual: usize,
    },
    /// At least `min` characters (Unicode scalar values).
    MinChars {
        /// The limit.
        min: usize,
        /// What the request had.
        actual: usize,
    },
    /// At most `max` items.
    MaxItems {
        /// The limit.
        max: usize,
        /// What the request had.
        actual: usize,
    },
    /// At least `min` items.
    MinItems {
        /// The limit.
        min: usize,
        /// What the request had.
        actual: usize,
    },
    /// A file of at most `max` bytes.
    MaxBytes {
        /// The limit.
        max: u64,
        /// What the request had.
        actual: u64,
    },
    /// A file of at least `min` bytes (1: not empty).
    MinBytes {
        /// The limit.
        min: u64,
        /// What the request had.
        actual: u64,
    },
    /// The listed fields (documented defaults standing in for absent ones)
    /// must not all equal `value`.
    NotAllEqual {
        /// Field names inside the object at [`Violation::field`].
        fields: &'static [&'static str],
        /// The forbidden common value.
        value: &'static str,
    },
    /// The field (or its documented default) must not equal `value`.
    NotEqual {
        /// The forbidden value.
        value: &'static str,
    },
    /// An integer of at least `min`.
    Minimum {
        /// The limit.
        min: i64,
        /// What the request had.
        actual: i64,
    },
    /// An integer of at most `max`.
    Maximum {
        /// The limit.
        max: i64,
        /// What the request had.
        actual: i64,
    },
    /// A string that matches the regular expression `pattern` somewhere
    /// (anchor it with `^` and `$` to match the whole string).
    Pattern {
        /// The documented pattern.
        pattern: &'static str,
    },
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Required => f.write_str("is required"),
            Limit::MaxChars { max, actual } => {
                write!(f, "must be at most {max} characters (has {actual})")
            }
            Limit::MinChars { min, actual } => {
                write!(f, "must be at least {min} characters (has {actual})")
            }
            Limit::MaxItems { max, actual } => {
                write!(f, "must have at most {max} items (has {actual})")
            }
            Limit::MinItems { min, actual } => {
                write!(f, "must have at least {min} items (has {actual})")
            }
            Limit::MaxBytes { max, actual } => {
                write!(f, "must be at most {max} bytes (is {actual})")
            }
            Limit::MinBytes { min, actual } => {
                write!(f, "must be at least {min} bytes (is {actual})")
            }
            Limit::NotAllEqual { fields, value } => {
                write!(
                    f,
                    "must not have {} all set to {value:?}",
                    fields.join(", ")
                )
            }
            Limit::NotEqual { value } => write!(f, "must not be {value:?}"),
            Limit::Minimum { min, actual } => write!(f, "must be at least {min} (is {actual})"),
            Limit::Maximum { max, actual } => write!(f, "must be at most {max} (is {actual})"),
            Limit::Pattern { pattern } => write!(f, "must match the pattern {pattern:?}"),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.limit)?;
        if let Some(when) = self.when {
            write!(f, " when {when}")?;
        }
        if let Some(code) = self.code {
            write!(f, " (server code {code})")?;
        }
        Ok(())
    }
}

/// The JSON path of `field` inside the value at `at`.
pub fn path(at: &str, field: &str) -> String {
    if at.is_empty() {
        field.to_owned()
    } else {
        format!("{at}.{field}")
    }
}

/// Checks a character count against optional bounds.
pub fn chars(
    at: &str,
    field: &str,
    value: Option<&str>,
    min: Option<usize>,
    max: Option<usize>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    let actual = value.chars().count();
    if let Some(min) = min.filter(|&min| actual < min) {
        out.push(plain(at, field, Limit::MinChars { min, actual }));
    }
    if let Some(max) = max.filter(|&max| actual > max) {
        out.push(plain(at, field, Limit::MaxChars { max, actual }));
    }
}

/// Checks an item count against optional bounds.
pub fn items<T>(
    at: &str,
    field: &str,
    value: Option<&[T]>,
    min: Option<usize>,
    max: Option<usize>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    let actual = value.len();
    if let Some(min) = min.filter(|&min| actual < min) {
        out.push(plain(at, field, Limit::MinItems { min, actual }));
    }
    if let Some(max) = max.filter(|&max| actual > max) {
        out.push(plain(at, field, Limit::MaxItems { max, actual }));
    }
}

/// Checks a file's size in bytes against optional bounds.
pub fn bytes(
    at: &str,
    field: &str,
    value: Option<u64>,
    min: Option<u64>,
    max: Option<u64>,
    out: &mut Vec<Violation>,
) {
    let Some(actual) = value else { return };
    if let Some(min) = min.filter(|&min| actual < min) {
        out.push(plain(at, field, Limit::MinBytes { min, actual }));
    }
    if let Some(max) = max.filter(|&max| actual > max) {
        out.push(plain(at, field, Limit::MaxBytes { max, actual }));
    }
}

/// Checks an integer against optional bounds.
pub fn range(
    at: &str,
    field: &str,
    value: Option<i64>,
    min: Option<i64>,
    max: Option<i64>,
    out: &mut Vec<Violation>,
) {
    let Some(actual) = value else { return };
    if let Some(min) = min.filter(|&min| actual < min) {
        out.push(plain(at, field, Limit::Minimum { min, actual }));
    }
    if let Some(max) = max.filter(|&max| actual > max) {
        out.push(plain(at, field, Limit::Maximum { max, actual }));
    }
}

/// Checks a string against a documented regular expression. The generator
/// compiled `pattern` with the same crate, so it is valid; it is compiled
/// here once per process.
pub fn pattern(
    at: &str,
    field: &str,
    value: Option<&str>,
    pattern: &'static str,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    if !pattern::matches(pattern, value) {
        out.push(plain(at, field, Limit::Pattern { pattern }));
    }
}

fn plain(at: &str, field: &str, limit: Limit) -> Violation {
    Violation {
        field: path(at, field),
        limit,
        when: None,
        code: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_bounds_are_inclusive() {
        let mut out = Vec::new();
        for ok in [1, 50, 100] {
            range("query", "page_size", Some(ok), Some(1), Some(100), &mut out);
        }
        range("query", "page_size", None, Some(1), Some(100), &mut out);
        assert!(out.is_empty());
        range(
            "query",
            "page_size",
            Some(101),
            Some(1),
            Some(100),
            &mut out,
        );
        range("query", "page_size", Some(0), Some(1), None, &mut out);
        assert_eq!(
            out.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "query.page_size must be at most 100 (is 101)",
                "query.page_size must be at least 1 (is 0)",
            ]
        );
    }

    #[test]
    fn patterns_match_unanchored_unless_anchored() {
        let mut out = Vec::new();
        pattern("body", "chat_id", Some("oc_a0"), "^oc_[0-9a-f]+$", &mut out);
        pattern("body", "chat_id", None, "^oc_[0-9a-f]+$", &mut out);
        pattern("body", "note", Some("see oc_1 here"), "oc_[0-9]", &mut out);
        assert!(out.is_empty());
        pattern(
            "body",
            "chat_id",
            Some("oc_XYZ"),
            "^oc_[0-9a-f]+$",
            &mut out,
        );
        assert_eq!(
            out[0].to_string(),
            "body.chat_id must match the pattern \"^oc_[0-9a-f]+$\""
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut out = Vec::new();
        chars("body", "name", Some("群"), Some(2), Some(60), &mut out);
        assert_eq!(
            out,
            vec![Violation {
                field: "body.name".into(),
                limit: Limit::MinChars { min: 2, actual: 1 },
                when: None,
                code: None,
            }]
        );
        out.clear();
        chars("body", "name", Some("群聊"), Some(2), Some(2), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn absent_values_are_not_checked() {
        let mut out = Vec::new();
        chars("query", "uuid", None, None, Some(50), &mut out);
        items::<String>("body", "bot_id_list", None, None, Some(5), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn item_limits_and_display() {
        let mut out = Vec::new();
        let ids = vec!["cli_a".to_owned(); 6];
        items(
            "body",
            "bot_id_list",
            Some(&ids[..]),
            None,
            Some(5),
            &mut out,
        );
        assert_eq!(
            out[0].to_string(),
            "body.bot_id_list must have at most 5 items (has 6)"
        );
        let v = Violation {
            field: "body.name".into(),
            limit: Limit::Required,
            when: Some("chat_type = \"public\""),
            code: Some(232042),
        };
        assert_eq!(
            v.to_string(),
            "body.name is required when chat_type = \"public\" (server code 232042)"
        );
    }
}
