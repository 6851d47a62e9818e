//! Doc lines built as syn attributes, the last syn nodes built by hand:
//! the docs module hands them to every emitter.

use proc_macro2::Literal;

use super::ident;

/// `#[doc = "line"]`, or `#![doc = "line"]` for `Inner`; prettyplease
/// prints it as a `///` (or `//!`) line.
pub fn doc_line(style: syn::AttrStyle, line: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: ident("doc").into(),
            eq_token: Default::default(),
            value: literal(super::string_literal::raw(line)),
        }),
    }
}

fn literal(token: Literal) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::new(token),
    })
}
