//! When two types are the same type: what decides whether a draft names
//! an existing type (the draft's own, a shared one, a decided one) or
//! declares another.
//!
//! Shape counts, wording does not: enums are equal when their value sets
//! and wire types (string or integer) are (order, descriptions and aliases
//! aside); objects when they have the same field names, each with the same
//! type and `required` (descriptions, defaults, examples, limits and rules
//! aside). A page describes the same type in a request and a response in
//! different words, never states defaults in a response, and states limits
//! only where the server enforces them: on requests.

use std::collections::BTreeSet;

use feishu_codegen::spec::{EnumSpec, FieldSpec, ObjectSpec, TypeSpec};

/// `a` and `b` are the same type.
pub fn same_type(a: &TypeSpec, b: &TypeSpec) -> bool {
    match (a, b) {
        (TypeSpec::Enum(a), TypeSpec::Enum(b)) => same_values(a, b),
        (TypeSpec::Object(a), TypeSpec::Object(b)) => same_fields(a, b),
        _ => false,
    }
}

/// The enums have the same values, of the same wire type.
pub fn same_values(a: &EnumSpec, b: &EnumSpec) -> bool {
    a.repr == b.repr && value_set(a) == value_set(b)
}

/// The values of `e`, as a set.
pub fn value_set(e: &EnumSpec) -> BTreeSet<&str> {
    e.values.iter().map(|v| v.value.as_str()).collect()
}

fn same_fields(a: &ObjectSpec, b: &ObjectSpec) -> bool {
    a.fields.len() == b.fields.len()
        && a.fields.iter().all(|f| {
            b.fields
                .iter()
                .find(|g| g.name == f.name)
                .is_some_and(|g| same_field(f, g))
        })
}

fn same_field(a: &FieldSpec, b: &FieldSpec) -> bool {
    (&a.ty, a.required) == (&b.ty, b.required)
}

/// The same text, links aside: pages link the same target by its full
/// address in one place and by a site-relative path in another.
pub fn same_wording(a: &str, b: &str) -> bool {
    without_link_targets(a) == without_link_targets(b)
}

fn without_link_targets(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("](") {
        out.push_str(&rest[..start + 1]);
        rest = &rest[start + 2..];
        match rest.find(')') {
            Some(end) => rest = &rest[end + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::same_wording;

    #[test]
    fn wording_ignores_link_targets() {
        assert!(same_wording(
            "见[文档](https://open.feishu.cn/document/a)。",
            "见[文档](/ssl:ttdoc/a)。"
        ));
        assert!(!same_wording("见[文档](x)", "见[指南](x)"));
    }
}
