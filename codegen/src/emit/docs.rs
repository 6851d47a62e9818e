//! Doc comments: what the docs say about an item, as `#[doc]` attributes.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{markdown, string_literal};
use crate::ir::{AppType, Field, Scope, Type};

/// One `#[doc]` attribute per line of `text`, printed as `///` lines.
pub fn doc(text: &str) -> TokenStream {
    lines(text).map(|line| quote!(#[doc = #line])).collect()
}

/// One `#![doc]` attribute per line: the docs of the enclosing module.
pub fn module_doc(text: &str) -> TokenStream {
    lines(text).map(|line| quote!(#![doc = #line])).collect()
}

/// The lines as `///` comments give them to rustdoc: tidied (see
/// [`markdown`]), a space before each line that has text. Raw literals,
/// which are cheap on CJK text (see [`string_literal`]); prettyplease
/// prints their value, not their spelling.
fn lines(text: &str) -> impl Iterator<Item = Literal> {
    let text = markdown::tidy(text.trim_end());
    let lines: Vec<Literal> = text
        .lines()
        .map(|line| {
            if line.is_empty() {
                string_literal::raw("")
            } else {
                string_literal::raw(&format!(" {line}"))
            }
        })
        .collect();
    lines.into_iter()
}

/// A field's doc: the doc's description, then what else the schema knows.
pub fn field(field: &Field) -> TokenStream {
    let mut text = field.description.clone();
    let mut facts = Vec::new();
    if !field.value_descriptions.is_empty() {
        let values = field
            .value_descriptions
            .iter()
            .map(|(value, meaning)| format!("- `{value}`: {meaning}"))
            .collect::<Vec<_>>()
            .join("\n");
        text.push_str("\n\n");
        text.push_str(&values);
    }
    if field.required {
        facts.push("Required: a call without it is refused before sending".to_owned());
    }
    if let Some(default) = &field.default {
        facts.push(format!("Default: `{}`", default.to_json()));
    }
    if let Some(example) = &field.example {
        facts.push(format!("Example: `{example}`"));
    }
    let unit = match field.ty {
        Type::Array(_) => " items",
        _ => " characters",
    };
    let limits = &field.limits;
    let min = limits.min_length.or(limits.min_items);
    let max = limits.max_length.or(limits.max_items);
    facts.extend(bounds(min, max, unit));
    facts.extend(bounds(limits.minimum, limits.maximum, ""));
    facts.extend(bounds(limits.min_bytes, limits.max_bytes, " bytes"));
    if let Some(pattern) = &limits.pattern {
        facts.push(format!(
            "Checked before sending: matches the pattern {}",
            code_span(pattern)
        ));
    }
    if let Some(max) = field.recommended_max_length {
        facts.push(format!(
            "Recommended: at most {max} characters (not enforced)"
        ));
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join("\n\n"));
    }
    doc(&text)
}

/// "Checked before sending: 1 to 100 items", or with one bound "at least"
/// or "at most"; `unit` starts with a space, or is empty.
fn bounds<T: std::fmt::Display>(min: Option<T>, max: Option<T>, unit: &str) -> Option<String> {
    let range = match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => return None,
    };
    Some(format!("Checked before sending: {range}{unit}"))
}

/// `text` as Markdown code, fenced with more backticks than it holds in a
/// row, so a backtick in it cannot end the span.
fn code_span(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The app types that may call or subscribe, as a doc lists them.
pub fn app_types(types: &[AppType]) -> String {
    let names: Vec<&str> = types
        .iter()
        .map(|a| match a {
            AppType::SelfBuilt => "self-built (自建应用)",
            AppType::Store => "store (商店应用)",
        })
        .collect();
    names.join(", ")
}

/// Scopes as a doc lists them: `` `name` (title) ``, comma-separated.
pub fn scopes(scopes: &[Scope]) -> String {
    let scopes: Vec<String> = scopes
        .iter()
        .map(|s| format!("`{}` ({})", s.name, s.description))
        .collect();
    scopes.join(", ")
}

/// Wraps bare text for rustdoc so that URLs become links.
pub fn link(url: &str) -> String {
    format!("<{url}>")
}
