//! `Validate` impls (documented limits and cross-field rules) and
//! `QueryParams` impls.

use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};

use super::ast::ident;
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
    let required = object.fields.iter().filter(|f| f.required).map(|f| {
        let missing = missing(f);
        let field = path_of(f);
        quote! {
            if #missing {
                out.push(crate::validate::Violation { field: #field, limit: crate::validate::Limit::Required, when: None, code: None });
            }
        }
    });
    let limits = object.fields.iter().filter_map(limit_check);
    let nested = object
        .fields
        .iter()
        .filter(|f| f.validates_inside)
        .map(nested_check);
    let rules = object.rules.iter().map(rule_check);
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

fn opt_usize(value: Option<usize>) -> TokenStream {
    match value {
        Some(v) => {
            let v = Lit::usize_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn limit_check(field: &Field) -> Option<TokenStream> {
    let limits = field.limits;
    let member = ident(&field.rust_name);
    let wire = &field.wire_name;
    let (function, value, min, max) = match field.ty {
        Type::String if limits.min_length.is_some() || limits.max_length.is_some() => (
            quote!(chars),
            quote!(self.#member.as_deref()),
            limits.min_length,
            limits.max_length,
        ),
        Type::Array(_) if limits.min_items.is_some() || limits.max_items.is_some() => (
            quote!(items),
            quote!(self.#member.as_deref()),
            limits.min_items,
            limits.max_items,
        ),
        _ => return None,
    };
    let (min, max) = (opt_usize(min), opt_usize(max));
    Some(quote!(crate::validate::#function(at, #wire, #value, #min, #max, out);))
}

fn nested_check(field: &Field) -> TokenStream {
    let member = ident(&field.rust_name);
    let wire = &field.wire_name;
    let check = validate_nested(
        &field.ty,
        quote!(value),
        quote!(crate::validate::path(at, #wire)),
        0,
    );
    quote!(if let Some(value) = &self.#member { #check })
}

/// Validates `value` of type `ty` whose path is the `String` expression
/// `at`; arrays (of any depth) index into the path.
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
        _ => quote!(crate::validate::Validate::validate(#value, &#at, out);),
    }
}

/// The field's value as `Option<&str>` (or `Option<bool>`), with its
/// documented default standing in when it is absent.
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

fn rule_check(rule: &CrossFieldRule) -> TokenStream {
    let when = match condition_text(&rule.when) {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let code = match rule.error_code {
        Some(code) => {
            let code = Lit::i64_unsuffixed(code);
            quote!(Some(#code))
        }
        None => quote!(None),
    };
    let condition = rule.when.as_ref().map(|c| {
        let current = wire_value(&c.field);
        let equals = scalar(&c.equals);
        quote!(#current == Some(#equals) &&)
    });
    // Each check is a guard (true when broken) and the rule it breaks.
    let guards = match &rule.check {
        // Checked unconditionally already.
        Check::Required(field) if field.required => Vec::new(),
        Check::Required(field) => {
            vec![(
                missing(field),
                path_of(field),
                quote!(crate::validate::Limit::Required),
            )]
        }
        Check::MinLength(field, min) => {
            let value = wire_value(field);
            let min = Lit::usize_unsuffixed(*min);
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
    let checks = guards.into_iter().map(|(guard, field, broken)| {
        quote! {
            if #condition #guard {
                out.push(crate::validate::Violation { field: #field, limit: #broken, when: #when, code: #code });
            }
        }
    });
    quote!(#(#checks)*)
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

fn path_of(field: &Field) -> TokenStream {
    let wire = &field.wire_name;
    quote!(crate::validate::path(at, #wire))
}

/// `impl QueryParams for` the query object.
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
        let push = if is_array {
            quote!(for value in values { pairs.push((#wire, #text)); })
        } else {
            quote!(pairs.push((#wire, #text));)
        };
        let binding = if is_array {
            quote!(values)
        } else {
            quote!(value)
        };
        quote!(if let Some(#binding) = &self.#member { #push })
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
