//! What makes a usable Rust name, and what to suggest when a name is not.

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::Sink;

/// The prefix `import-doc` gives a name the page could not decide.
pub const OPEN_DECISION: &str = "TODO_";

/// Reports `name` when it is a placeholder `import-doc` left, so the
/// problem says a decision is open instead of suggesting a rename that
/// would hide it. `what` says what the name is for.
pub(super) fn open_decision(sink: &mut Sink, path: &str, name: &str, what: &str) -> bool {
    if !name.starts_with(OPEN_DECISION) {
        return false;
    }
    sink.problem(
        path,
        format!("`{name}` is an open decision import-doc left: the page does not say the {what}"),
        format!("choose the {what} (read the page's description of it) and write it in place of `{name}`"),
    );
    true
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// An UpperCamelCase name made of the first words of `text`.
pub(super) fn suggest_type_name(text: &str) -> String {
    let words: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = words
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
        .to_upper_camel_case();
    if is_type_ident(&name) {
        name
    } else {
        "SomeName".into()
    }
}

fn is_ident_start(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

/// ASCII letters, digits and `_`, not starting with a digit.
pub(super) fn is_plain_ident(s: &str) -> bool {
    is_ident_start(s) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A lower snake_case identifier usable as a field or module name as is.
pub(crate) fn is_snake_ident(s: &str) -> bool {
    is_plain_ident(s) && s == s.to_snake_case() && !is_keyword(s)
}

/// An UpperCamelCase identifier usable as a type or variant name as is.
pub(crate) fn is_type_ident(s: &str) -> bool {
    is_plain_ident(s)
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s == s.to_upper_camel_case()
        && !is_keyword(s)
}

/// Rust keywords, strict and reserved, in every edition up to 2024.
pub(crate) fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
        "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box",
        "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
        "union",
    ];
    KEYWORDS.contains(&s)
}
