//! String literals for long prose, built by hand because the ready-made ones
//! are slow on CJK text: `Literal::string` escapes through
//! `char::escape_debug`, whose printability lookup for every CJK character
//! was once the generator's largest single cost, and syn unescapes a quoted
//! literal char by char where it takes a raw one as a single slice.

use proc_macro2::Literal;

/// Characters a reader cannot see, which pages paste into prose (`values
/// \u{200b}\u{200b}are`): clippy's `invisible_characters` refuses them raw
/// in a literal, and a reader of the code could not tell them apart.
const INVISIBLE: [char; 5] = ['\u{ad}', '\u{200b}', '\u{200c}', '\u{2060}', '\u{feff}'];

/// A quoted string literal holding `s`. Rust string literals may hold any
/// character raw, so only quotes, backslashes, control characters and
/// [`INVISIBLE`] ones are escaped.
pub fn string(s: &str) -> Literal {
    let mut source = String::with_capacity(s.len() + 2);
    source.push('"');
    for c in s.chars() {
        match c {
            '"' => source.push_str("\\\""),
            '\\' => source.push_str("\\\\"),
            c if c.is_control() || INVISIBLE.contains(&c) => {
                source.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => source.push(c),
        }
    }
    source.push('"');
    source
        .parse()
        .expect("an escaped string is a valid literal")
}

/// A raw string literal holding `s`: for doc text, whose literals never
/// show in the output (prettyplease prints their value as `///` lines), and
/// for JSON, which reads best unescaped. Text a
/// raw literal cannot hold falls back to [`string`]: a carriage return, an
/// [`INVISIBLE`] character, or a quote followed by more `#` than the 255 a
/// fence may have.
pub fn raw(s: &str) -> Literal {
    // One `#` more than the longest run of them after a quote inside.
    let hashes = s
        .split('"')
        .skip(1)
        .map(|after| after.len() - after.trim_start_matches('#').len() + 1)
        .max()
        .unwrap_or(0);
    if hashes > 255 || s.contains('\r') || s.contains(INVISIBLE) {
        return string(s);
    }
    let mut source = String::with_capacity(s.len() + 3 + 2 * hashes);
    source.push('r');
    source.extend(std::iter::repeat_n('#', hashes));
    source.push('"');
    source.push_str(s);
    source.push('"');
    source.extend(std::iter::repeat_n('#', hashes));
    source
        .parse()
        .expect("a fenced raw string is a valid literal")
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::{raw, string};

    const ODD: [&str; 9] = [
        "群聊 \"all members\" \\ tab\there",
        "",
        "line\nbreak",
        "グループ",
        "quote then hashes \"## and \"#",
        "ends in a quote\"",
        "carriage\rreturn",
        "delete\u{7f}",
        "zero\u{200b}width",
    ];

    #[test]
    fn an_invisible_character_is_written_as_its_escape() {
        assert_eq!(string("a\u{200b}b").to_string(), "\"a\\u{200b}b\"");
        assert_eq!(raw("a\u{200b}b").to_string(), "\"a\\u{200b}b\"");
    }

    #[test]
    fn both_forms_hold_the_text_exactly() {
        let (longest, beyond) = (quote_then_hashes(254), quote_then_hashes(255));
        for s in ODD
            .iter()
            .copied()
            .chain([longest.as_str(), beyond.as_str()])
        {
            for literal in [string(s), raw(s)] {
                let parsed: syn::LitStr = syn::parse2(literal.into_token_stream()).unwrap();
                assert_eq!(parsed.value(), s);
            }
        }
    }

    #[test]
    fn raw_uses_the_shortest_fence() {
        assert_eq!(raw("plain").to_string(), "r\"plain\"");
        assert_eq!(raw("a \"quote\"").to_string(), "r#\"a \"quote\"\"#");
        assert_eq!(raw("\"## x").to_string(), "r###\"\"## x\"###");
        assert_eq!(raw("cr\r").to_string(), "\"cr\\u{d}\"");
        // 254 `#` after a quote need the longest fence a raw literal may
        // have, 255; past that only a quoted literal holds the text.
        let fence = "#".repeat(255);
        assert_eq!(
            raw(&quote_then_hashes(254)).to_string(),
            format!("r{fence}\"{}\"{fence}", quote_then_hashes(254))
        );
        assert!(raw(&quote_then_hashes(255)).to_string().starts_with('"'));
    }

    fn quote_then_hashes(count: usize) -> String {
        format!("\"{}", "#".repeat(count))
    }
}
