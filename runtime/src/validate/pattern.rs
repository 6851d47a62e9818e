//! The documented regular expressions, compiled once per process: a
//! builder's `send` checks the same few patterns on every call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex_lite::Regex;

/// Each pattern, compiled; `None` for one that does not compile.
type Compiled = HashMap<&'static str, Option<Arc<Regex>>>;

/// Whether `value` matches `pattern` somewhere, as JSON Schema's `pattern`
/// does. A pattern that does not compile (the generator refuses those)
/// holds nothing back.
pub(super) fn matches(pattern: &'static str, value: &str) -> bool {
    static COMPILED: OnceLock<Mutex<Compiled>> = OnceLock::new();
    let regex = {
        let mut compiled = COMPILED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        compiled
            .entry(pattern)
            .or_insert_with(|| Regex::new(pattern).ok().map(Arc::new))
            .clone()
    };
    regex.is_none_or(|regex| regex.is_match(value))
}
