//! `Validate` impls (documented limits and cross-field rules) and
//! `QueryParams` impls.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, integer};
use crate::ir::{Check, Condition, CrossFieldRule, Field, Object, Scalar, Type};

/// `impl Validate for` the object.
pub fn validate_impl(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    if !object.validates {
        return quote! {
            impl crate::validate::Validate for #name {
                fn validate(&self, _at: &str, _out: &mut Vec<crate::validate::Violation>) {}
            }
        };
    }
    let required = object
        .fields
        .iter()
        .filter(|f| f.required)
        .map(required_check);
    let limits = object.fields.iter().map(limit_checks);
    let nested = object
        .fields
        .iter()
        .filter(|f| f.validates_inside)
        .map(nested_check);
    let rules = object.rules.iter().map(rule_checks);
    quote! {
        impl crate::validate::Validate for #name {
            fn validate(&self, at: &str, out: &mut Vec<crate::validate::Violation>) {
                #(#required)*
                #(#limits)*
                #(#nested)*
                #(#rules)*
            }
        }
    }
}

/// `Some(value)`, or `None`.
fn option(value: Option<impl quote::ToTokens>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// The checks of a field's own limits:
/// `crate::validate::chars(at, "wire", value, min, max, out);` (or `items`,
/// or `range` for an integer), then
/// `crate::validate::pattern(at, "wire", value, "pattern", out);`.
fn limit_checks(field: &Field) -> TokenStream {
    let limits = &field.limits;
    let member = ident(&field.rust_name);
    let wire = &field.wire_name;
    let count = |v: Option<usize>| option(v.map(Literal::usize_unsuffixed));
    let bounds = match field.ty {
        Type::String if limits.min_length.is_some() || limits.max_length.is_some() => {
            let (min, max) = (count(limits.min_length), count(limits.max_length));
            Some(quote! {
                crate::validate::chars(at, #wire, self.#member.as_deref(), #min, #max, out);
            })
        }
        Type::Array(_) if limits.min_items.is_some() || limits.max_items.is_some() => {
            let (min, max) = (count(limits.min_items), count(limits.max_items));
            Some(quote! {
                crate::validate::items(at, #wire, self.#member.as_deref(), #min, #max, out);
            })
        }
        Type::File if limits.min_bytes.is_some() || limits.max_bytes.is_some() => {
            let min = option(limits.min_bytes.map(Literal::u64_unsuffixed));
            let max = option(limits.max_bytes.map(Literal::u64_unsuffixed));
            Some(quote! {
                crate::validate::bytes(at, #wire, self.#member.as_ref().map(|f| f.len()), #min, #max, out);
            })
        }
        Type::Integer if limits.minimum.is_some() || limits.maximum.is_some() => {
            let min = option(limits.minimum.map(integer));
            let max = option(limits.maximum.map(integer));
            Some(quote!(crate::validate::range(at, #wire, self.#member, #min, #max, out);))
        }
        _ => None,
    };
    let pattern = match (&field.ty, &limits.pattern) {
        (Type::String, Some(pattern)) => Some(quote! {
            crate::validate::pattern(at, #wire, self.#member.as_deref(), #pattern, out);
        }),
        _ => None,
    };
    quote!(#bounds #pattern)
}

/// `if let Some(value) = &self.field { <check> }`
fn nested_check(field: &Field) -> TokenStream {
    let member = ident(&field.rust_name);
    let check = validate_nested(&field.ty, quote!(value), path_of(field), 0);
    quote!(if let Some(value) = &self.#member { #check })
}

/// Validates `value` of type `ty` whose path is the `String` expression
/// `at`; arrays (of any depth) index into the path, maps add the key.
fn validate_nested(ty: &Type, value: TokenStream, at: TokenStream, depth: usize) -> TokenStream {
    match ty {
        Type::Array(inner) => {
            let base = format_ident!("at{depth}");
            let index = format_ident!("i{depth}");
            let item = format_ident!("item{depth}");
            let element = format!("{{{base}}}[{{{index}}}]");
            let check = validate_nested(inner, quote!(#item), quote!(format!(#element)), depth + 1);
            quote! {
                let #base = #at;
                for (#index, #item) in #value.iter().enumerate() { #check }
            }
        }
        Type::Map(inner) => {
            let base = format_ident!("at{depth}");
            let key = format_ident!("key{depth}");
            let item = format_ident!("item{depth}");
            let entry = format!("{{{base}}}.{{{key}}}");
            let check = validate_nested(inner, quote!(#item), quote!(format!(#entry)), depth + 1);
            quote! {
                let #base = #at;
                for (#key, #item) in #value { #check }
            }
        }
        _ => quote!(crate::validate::Validate::validate(#value, &#at, out);),
    }
}

/// The field's value as `Option<&str>` (or `Option<bool>`), with its
/// documented default standing in when it is absent, e.g.
/// `self.kind.as_ref().map(Kind::as_str).or(Some("open"))`.
fn wire_value(field: &Field) -> TokenStream {
    let member = ident(&field.rust_name);
    let value = match &field.ty {
        Type::Enum(name) => {
            let ty = ident(name);
            quote!(self.#member.as_ref().map(#ty::as_str))
        }
        Type::String => quote!(self.#member.as_deref()),
        _ => quote!(self.#member),
    };
    match &field.default {
        Some(default) if !field.required => {
            let default = scalar(default);
            quote!(#value.or(Some(#default)))
        }
        _ => value,
    }
}

/// A scalar as `quote!` writes one: `i64` and `f64` with their suffix.
fn scalar(value: &Scalar) -> TokenStream {
    match value {
        Scalar::Bool(b) => quote!(#b),
        Scalar::Str(s) => quote!(#s),
        Scalar::Int(i) => quote!(#i),
        Scalar::Number(n) => quote!(#n),
    }
}

fn condition_text(condition: &Option<Condition>) -> Option<String> {
    condition
        .as_ref()
        .map(|c| format!("{} = {}", c.field.wire_name, c.equals.to_json()))
}

/// One `if <condition> && <guard> { out.push(Violation { .. }); }` per way
/// the rule can be broken.
fn rule_checks(rule: &CrossFieldRule) -> TokenStream {
    let when = option(condition_text(&rule.when));
    let code = option(rule.error_code.map(Literal::i64_unsuffixed));
    // `field == value &&` before each guard: a rule with a condition
    // applies only when it holds.
    let condition = rule.when.as_ref().map(|c| {
        let (current, equals) = (wire_value(&c.field), scalar(&c.equals));
        quote!(#current == Some(#equals) &&)
    });
    // Each check is a guard (true when broken), the path of what breaks
    // and the limit it breaks.
    let guards: Vec<(TokenStream, TokenStream, TokenStream)> = match &rule.check {
        // Checked unconditionally already.
        Check::Required(field) if field.required => Vec::new(),
        Check::Required(field) => vec![(
            missing(field),
            path_of(field),
            quote!(crate::validate::Limit::Required),
        )],
        Check::MinLength(field, min) => {
            let value = wire_value(field);
            let min = Literal::usize_unsuffixed(*min);
            vec![(
                quote!(let Some(actual) = #value.map(|v| v.chars().count()) && actual < #min),
                path_of(field),
                quote!(crate::validate::Limit::MinChars { min: #min, actual }),
            )]
        }
        Check::NotAllEqual(fields, value) => {
            let values = fields.iter().map(wire_value);
            let names = fields.iter().map(|f| &f.wire_name);
            vec![(
                quote!([#(#values),*].iter().all(|v| *v == Some(#value))),
                quote!(at.to_owned()),
                quote!(crate::validate::Limit::NotAllEqual { fields: &[#(#names),*], value: #value }),
            )]
        }
        Check::NoneEqual(fields, value) => fields
            .iter()
            .map(|f| {
                let current = wire_value(f);
                (
                    quote!(#current == Some(#value)),
                    path_of(f),
                    quote!(crate::validate::Limit::NotEqual { value: #value }),
                )
            })
            .collect(),
    };
    guards
        .into_iter()
        .map(|(guard, field, limit)| push_if(quote!(#condition #guard), field, limit, &when, &code))
        .collect()
}

/// `if guard { out.push(crate::validate::Violation { field, limit, when,
/// code }); }`
fn push_if(
    guard: TokenStream,
    field: TokenStream,
    limit: TokenStream,
    when: &TokenStream,
    code: &TokenStream,
) -> TokenStream {
    quote! {
        if #guard {
            out.push(crate::validate::Violation {
                field: #field,
                limit: #limit,
                when: #when,
                code: #code,
            });
        }
    }
}

/// `if <missing> { out.push(.. Limit::Required ..); }`: every required
/// field is an `Option` the caller may leave unset.
fn required_check(field: &Field) -> TokenStream {
    let none = quote!(None);
    push_if(
        missing(field),
        path_of(field),
        quote!(crate::validate::Limit::Required),
        &none,
        &none,
    )
}

/// True when `field` is absent; Feishu treats an empty string like an
/// absent one.
fn missing(field: &Field) -> TokenStream {
    let member = ident(&field.rust_name);
    match field.ty {
        Type::String => quote!(self.#member.as_deref().is_none_or(str::is_empty)),
        _ => quote!(self.#member.is_none()),
    }
}

/// `crate::validate::path(at, "wire")`
fn path_of(field: &Field) -> TokenStream {
    let wire = &field.wire_name;
    quote!(crate::validate::path(at, #wire))
}

/// `impl QueryParams for` the query object: for each field,
/// `if let Some(value) = &self.field { pairs.push(("wire", <text>)); }`
/// (a loop over the items of an array).
pub fn query_impl(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let pushes = object.fields.iter().map(|f| {
        let member = ident(&f.rust_name);
        let wire = &f.wire_name;
        let (item_ty, is_array) = match &f.ty {
            Type::Array(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let text = match item_ty {
            Type::String => quote!(value.clone()),
            Type::Enum(_) => quote!(value.as_str().to_owned()),
            _ => quote!(value.to_string()),
        };
        let push = quote!(pairs.push((#wire, #text)););
        if is_array {
            quote!(if let Some(values) = &self.#member { for value in values { #push } })
        } else {
            quote!(if let Some(value) = &self.#member { #push })
        }
    });
    // An empty query object leaves `pairs` unused.
    let pairs = if object.fields.is_empty() {
        quote!(_pairs)
    } else {
        quote!(pairs)
    };
    quote! {
        impl crate::query::QueryParams for #name {
            fn append_to(&self, #pairs: &mut Vec<(&'static str, String)>) {
                #(#pushes)*
            }
        }
    }
}
