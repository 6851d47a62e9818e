//! String literals for long prose. `Literal::string` escapes through
//! `char::escape_debug`, whose printability lookup for every CJK character
//! was the generator's largest single cost; Rust string literals may hold
//! any character raw, so only quotes, backslashes and control characters
//! need escaping.

use proc_macro2::Literal;

/// A string literal holding `s`.
pub fn string(s: &str) -> Literal {
    let mut source = String::with_capacity(s.len() + 2);
    source.push('"');
    for c in s.chars() {
        match c {
            '"' => source.push_str("\\\""),
            '\\' => source.push_str("\\\\"),
            c if c.is_control() => source.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => source.push(c),
        }
    }
    source.push('"');
    source
        .parse()
        .expect("an escaped string is a valid literal")
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::string;

    #[test]
    fn matches_the_standard_escaping_in_meaning() {
        for s in [
            "群聊 \"all members\" \\ tab\there",
            "",
            "line\nbreak\u{7f}",
            "グループ",
        ] {
            let ours: syn::LitStr = syn::parse2(string(s).into_token_stream()).unwrap();
            assert_eq!(ours.value(), s);
        }
    }
}
