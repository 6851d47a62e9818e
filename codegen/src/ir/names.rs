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

/// The candidate nearest to `word`, for a "did you mean" fix: case aside,
/// at most two edits away and fewer than half of `word`'s letters, so a
/// short word is not matched to one it merely has the length of. The
/// first of equally near candidates wins.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    let most = 2.min(word.chars().count() / 2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|&(distance, _)| distance <= most)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
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
    is_plain_ident(s) && (is_plain_snake(s) || s == s.to_snake_case()) && !is_keyword(s)
}

/// The Rust module of a schema folder or file name: the name itself, or
/// for a Rust keyword the name and `_` (`move.json` is `move_`, its method
/// `.move_()`), as keyword fields are named; `None` if it cannot be one.
/// No name the schema may use ends in `_`, so the two cannot collide.
pub(crate) fn module_name(segment: &str) -> Option<String> {
    if is_snake_ident(segment) {
        Some(segment.to_owned())
    } else if is_keyword(segment) && is_plain_snake(segment) {
        Some(format!("{segment}_"))
    } else {
        None
    }
}

/// The schema's name for a module [`module_name`] made.
pub(crate) fn schema_name(module: &str) -> &str {
    match module.strip_suffix('_') {
        Some(keyword) if is_keyword(keyword) => keyword,
        _ => module,
    }
}

/// An UpperCamelCase identifier usable as a type or variant name as is.
pub fn is_type_ident(s: &str) -> bool {
    is_plain_ident(s)
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && (is_plain_camel(s) || s == s.to_upper_camel_case())
        && !is_keyword(s)
}

/// `s` in snake_case, as heck writes it.
pub(super) fn snake_case(s: &str) -> String {
    if is_plain_snake(s) {
        s.to_owned()
    } else {
        s.to_snake_case()
    }
}

// heck allocates and formats a copy of every name it converts; the names a
// schema holds are nearly all in the case wanted already, so these
// patterns, which heck is known to leave unchanged (the tests check it),
// answer without it.

/// Lowercase ASCII words of letters and digits joined by single `_`.
fn is_plain_snake(s: &str) -> bool {
    !s.is_empty()
        && s.split('_').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// ASCII words, each an uppercase letter, a lowercase one, then lowercase
/// letters and digits: `ChatType`, `I18nNames`.
fn is_plain_camel(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_uppercase() && bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase))
        {
            return false;
        }
        i += 2;
        while i < bytes.len() && (bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit()) {
            i += 1;
        }
    }
    !bytes.is_empty()
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

#[cfg(test)]
mod tests {
    use heck::{ToSnakeCase, ToUpperCamelCase};
    use proptest::prelude::*;

    use super::{is_plain_camel, is_plain_snake, is_snake_ident, is_type_ident, snake_case};

    proptest! {
        #[test]
        fn plain_snake_is_what_heck_leaves_alone(s in "[a-z][a-z0-9]{0,4}(_[a-z0-9]{1,4}){0,3}") {
            prop_assert!(is_plain_snake(&s));
            prop_assert_eq!(s.to_snake_case(), s);
        }

        #[test]
        fn plain_camel_is_what_heck_leaves_alone(s in "([A-Z][a-z][a-z0-9]{0,4}){1,4}") {
            prop_assert!(is_plain_camel(&s));
            prop_assert_eq!(s.to_upper_camel_case(), s);
        }

        #[test]
        fn the_shortcuts_agree_with_heck(s in "[A-Za-z0-9_]{0,10}") {
            let heck_snake = super::is_plain_ident(&s) && s == s.to_snake_case() && !super::is_keyword(&s);
            prop_assert_eq!(is_snake_ident(&s), heck_snake);
            let heck_type = super::is_plain_ident(&s)
                && s.starts_with(|c: char| c.is_ascii_uppercase())
                && s == s.to_upper_camel_case()
                && !super::is_keyword(&s);
            prop_assert_eq!(is_type_ident(&s), heck_type);
            prop_assert_eq!(snake_case(&s), s.to_snake_case());
        }
    }
}
