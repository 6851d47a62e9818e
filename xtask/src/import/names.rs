//! The names `import-doc` gives what a page leaves unnamed, so that every
//! draft is a schema `cargo xtask codegen` accepts as it is. The rules are
//! deterministic: the same page always gives the same names.
//!
//! - **Object types** take the page's type name in UpperCamelCase, `.` and
//!   `_` splitting words: `i18n_names` -> `I18nNames`, `chat.tab` ->
//!   `ChatTab`, `user_id` -> `UserId`. An unnamed object (`-`) takes its
//!   field's name: `restricted_mode_setting` -> `RestrictedModeSetting`.
//! - **Enums** take their field's name: `chat_mode` -> `ChatMode`. Equal
//!   value sets (order and wording aside) share one enum: a field whose
//!   values equal an existing enum's takes that enum, looking in the
//!   draft's own first (so the first field's name wins), then the version's
//!   shared types, then the decisions file's (the first by name). Where
//!   that enum words a value differently, the field keeps the page's
//!   wording in `value_descriptions`.
//! - **Taken names.** A name is taken when it is a different type of the
//!   draft, of the version's shared types or of the decisions file, a name
//!   the generator gives the endpoint's own types (`{prefix}Query`, `Body`,
//!   `Data`, `Request`, `ErrorCode`), or a std/serde name generated code
//!   uses (`Option`, `String`, `Serialize`...). A type equal to the one
//!   holding its name uses it instead of declaring a copy. For a taken name
//!   the draft tries, in turn: the name with `Response` appended when the
//!   type is met in the response (so a request and a response type of the
//!   same page name with different fields stay two types); the name of the
//!   object holding the field (the endpoint's type prefix for the query,
//!   body and response) before it, `ChatTab` + `TabType` ->
//!   `ChatTabTabType`; that with `2`, `3`, ... appended, which is reported
//!   as an open decision.
//! - **Error codes** take the English words of the message, dropping
//!   filler (`a`, `the`, `your request specifies`, `is`, `be`...) and
//!   format verbs (`%v`), at most six: `Such an app does NOT exist.` ->
//!   `AppNotExist`. A message without such words gives `Code232001`; a
//!   name an earlier code of the page took gets the code appended,
//!   `NotExistedId99992364`.
//! - **Enum values** keep the generator's derived variant names; a value
//!   that makes none (or makes `Unknown`, or one an earlier value made)
//!   gets a `rust_name`: `Value` and the value for a number (`0` ->
//!   `Value0`, as in integer enums), else `Value` and its position
//!   (`Value3`).

use heck::ToUpperCamelCase;

/// Words an error message uses that say nothing a variant name needs.
const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "your",
    "you",
    "such",
    "this",
    "these",
    "that",
    "which",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "does",
    "do",
    "did",
    "will",
    "can",
    "please",
    "request",
    "specifies",
    "contains",
    "in",
    "of",
    "to",
    "for",
    "by",
    "with",
    "its",
    "it",
    "there",
    "currently",
    "already",
    "supposed",
    "due",
    "who",
    "while",
    "and",
];

/// Most words an error variant name takes from its message.
const ERROR_NAME_WORDS: usize = 6;

/// UpperCamelCase the way the generator's checker wants it: converting
/// twice, since `a b` first gives `AB`, which converts again to `Ab`.
pub fn camel(text: &str) -> String {
    text.to_upper_camel_case().to_upper_camel_case()
}

/// A type name the checker takes: ASCII, UpperCamelCase, no keyword.
pub fn is_type_name(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric()) && feishu_codegen::ir::is_type_ident(name)
}

/// The base name of an object type: the page's type name, or for an
/// unnamed one (`-`, or a name that makes no Rust name) its field's.
pub fn object_base(page_name: &str, field: &str) -> String {
    let name = camel(page_name);
    if is_type_name(&name) {
        name
    } else {
        camel(field)
    }
}

/// The base name of the enum of a field's values.
pub fn enum_base(field: &str) -> String {
    camel(field)
}

/// Names the generator or the language takes in an endpoint whose type
/// prefix is `prefix`, which no imported type may take.
pub fn reserved(prefix: &str) -> Vec<String> {
    feishu_codegen::ir::taken_type_names(prefix)
}

/// The names to try for a type whose base name is `base`, in order; each
/// with whether choosing it is an open decision. `response` when the type
/// is met in the response; `owner` names the object holding the field.
pub fn candidates<'a>(
    base: &'a str,
    response: bool,
    owner: &'a str,
) -> impl Iterator<Item = (String, bool)> + 'a {
    let qualified = camel(&format!("{owner}_{base}"));
    let plain = [
        Some(base.to_owned()),
        response.then(|| format!("{base}Response")),
    ]
    .into_iter()
    .flatten()
    .chain([qualified.clone()])
    .map(|n| (n, false));
    plain.chain((2..).map(move |n| (format!("{qualified}{n}"), true)))
}

/// The Rust variant name for error `code`, given the names earlier codes
/// of the page took.
pub fn error_name(code: i64, message: &str, taken: &[String]) -> String {
    let words: Vec<String> = message
        .replace('\'', "")
        .split_whitespace()
        // `%v` and the like: the server's format verbs, not words.
        .filter(|w| !w.starts_with('%'))
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty() && !FILLER.contains(&w.to_ascii_lowercase().as_str()))
        .take(ERROR_NAME_WORDS)
        .map(str::to_ascii_lowercase)
        .collect();
    let name = camel(&words.join("_"));
    let name = if is_type_name(&name) && name != "Unknown" {
        name
    } else {
        format!("Code{code}")
    };
    if taken.contains(&name) {
        format!("{name}{code}")
    } else {
        name
    }
}

/// The `rust_name` each enum value needs, if the generator's derived
/// variant name would not do: a number gets `Value` and the number
/// (`0` -> `Value0`), any other value `Value` and its position.
pub fn variant_rust_names(values: &[String]) -> Vec<Option<String>> {
    let derived: Vec<String> = values.iter().map(|v| camel(v)).collect();
    let usable = |i: usize| {
        let name = &derived[i];
        is_type_name(name)
            && !["Unknown", "Self"].contains(&name.as_str())
            && !derived[..i].contains(name)
    };
    let mut taken: Vec<String> = (0..values.len())
        .filter(|&i| usable(i))
        .map(|i| derived[i].clone())
        .collect();
    (0..values.len())
        .map(|i| {
            if usable(i) {
                return None;
            }
            let value = &values[i];
            let mut name = if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
                format!("Value{value}")
            } else {
                format!("Value{}", i + 1)
            };
            while taken.contains(&name) {
                name = format!("{name}{}", i + 1);
            }
            taken.push(name.clone());
            Some(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_follow_the_page() {
        assert_eq!(object_base("i18n_names", "x"), "I18nNames");
        assert_eq!(object_base("chat.tab", "x"), "ChatTab");
        assert_eq!(object_base("user_id", "x"), "UserId");
        assert_eq!(
            object_base("-", "restricted_mode_setting"),
            "RestrictedModeSetting"
        );
        assert_eq!(enum_base("chat_mode"), "ChatMode");
    }

    #[test]
    fn taken_names_are_qualified_then_numbered() {
        let tried: Vec<(String, bool)> = candidates("TabType", true, "ChatTab").take(4).collect();
        assert_eq!(
            tried,
            [
                ("TabType".to_owned(), false),
                ("TabTypeResponse".to_owned(), false),
                ("ChatTabTabType".to_owned(), false),
                ("ChatTabTabType2".to_owned(), true),
            ]
        );
        let request: Vec<String> = candidates("I18nNames", false, "CreateChat")
            .take(2)
            .map(|(n, _)| n)
            .collect();
        assert_eq!(request, ["I18nNames", "CreateChatI18nNames"]);
        assert!(reserved("CreateChat").contains(&"CreateChatBody".to_owned()));
    }

    #[test]
    fn error_names_read_the_message() {
        let none: &[String] = &[];
        assert_eq!(
            error_name(232004, "Such an app does NOT exist.", none),
            "AppNotExist"
        );
        assert_eq!(
            error_name(
                232006,
                "Your request specifies a chat_id which is invalid.",
                none
            ),
            "ChatIdInvalid"
        );
        assert_eq!(
            error_name(232076, "Can't kick chat owner.", none),
            "CantKickChatOwner"
        );
        assert_eq!(error_name(1, "参数错误", none), "Code1");
        assert_eq!(
            error_name(99992351, "these open ids not existed: %v", none),
            "OpenIdsNotExisted"
        );
        let taken = ["NotExistedId".to_owned()];
        assert_eq!(
            error_name(99992364, "Your request contains not existed id.", &taken),
            "NotExistedId99992364"
        );
    }

    #[test]
    fn values_that_make_no_variant_get_one() {
        let values: Vec<String> = ["open_id", "OPEN_ID", "中文", "unknown", "0"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            variant_rust_names(&values),
            [
                None,
                Some("Value2".into()),
                Some("Value3".into()),
                Some("Value4".into()),
                Some("Value0".into())
            ]
        );
    }
}
