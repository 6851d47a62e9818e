//! The request builder's setters, one per query parameter and body field,
//! named so none takes another's or a builder method's name.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, types};
use crate::ir::{Endpoint, Field, MessageSetter, Object, Type};

/// The runtime's per-call option setters (`request_options!`), read from
/// the runtime's own list so the two cannot disagree.
mod runtime_setters {
    include!("../../../runtime/src/options/setter_names.rs");
}

/// The builder's own methods and members besides its setters.
const BUILDER_OWN: [&str; 4] = ["body", "idempotency_key", "query", "send"];

/// Whether a setter named `name` would clash with a method every builder has.
fn is_builder_method(name: &str) -> bool {
    BUILDER_OWN.contains(&name) || runtime_setters::REQUEST_OPTION_SETTERS.contains(&name)
}

/// Builder methods of a list endpoint only.
const PAGING_METHODS: [&str; 2] = ["items", "pages"];

/// One setter per query parameter, then per body field.
pub fn setters(endpoint: &Endpoint) -> TokenStream {
    // A list endpoint's builder also has `pages` and `items`.
    let paging_methods: &[&str] = match endpoint.paging {
        Some(_) => &PAGING_METHODS,
        None => &[],
    };
    let query = endpoint.query.iter().flat_map(|q| &q.fields);
    let query = query.map(|f| setter(f, "query", setter_name(f, "query", paging_methods)));
    let mut query_names: Vec<&str> = endpoint.query.iter().flat_map(names).collect();
    query_names.extend(paging_methods);
    let body = endpoint.body.iter().flat_map(|b| &b.fields);
    let body = body.map(|f| setter(f, "body", setter_name(f, "body", &query_names)));
    let message = endpoint.message_setter.as_ref().map(message_setter);
    quote!(#(#query)* #(#body)* #message)
}

/// The setter that fills a message's content and type from typed content,
/// so the two always agree.
fn message_setter(fields: &MessageSetter) -> TokenStream {
    let content = ident(&fields.content);
    let msg_type = ident(&fields.msg_type);
    quote! {
        /// The message, typed: sets `msg_type` from the content's type and
        /// `content` to its JSON text (see `feishu_openapi::message_content`).
        pub fn message(mut self, content: impl Into<crate::message_content::Content>) -> Self {
            let content = content.into();
            self.body.#msg_type = Some(content.msg_type().into());
            self.body.#content = Some(content.to_json());
            self
        }
    }
}

/// The setter `name` of `field`, which sits in the builder's `part`
/// (`query` or `body`), documented as the field: it takes anything
/// `Into` the field's type, and for a list any `IntoIterator` of such.
fn setter(field: &Field, part: &str, name: proc_macro2::Ident) -> TokenStream {
    let doc = docs::field(field);
    let part = ident(part);
    let member = ident(&field.rust_name);
    match &field.ty {
        Type::Array(item) => {
            let item = types::rust_type(item);
            quote! {
                #doc
                pub fn #name<I>(mut self, values: I) -> Self
                where
                    I: IntoIterator,
                    I::Item: Into<#item>,
                {
                    self.#part.#member = Some(values.into_iter().map(Into::into).collect());
                    self
                }
            }
        }
        Type::Map(value) => {
            let value = types::rust_type(value);
            quote! {
                #doc
                pub fn #name<I, K, V>(mut self, entries: I) -> Self
                where
                    I: IntoIterator<Item = (K, V)>,
                    K: Into<String>,
                    V: Into<#value>,
                {
                    self.#part.#member = Some(
                        entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
                    );
                    self
                }
            }
        }
        ty => {
            let item = types::rust_type(ty);
            quote! {
                #doc
                pub fn #name(mut self, value: impl Into<#item>) -> Self {
                    self.#part.#member = Some(value.into());
                    self
                }
            }
        }
    }
}

fn names(object: &Object) -> Vec<&str> {
    object.fields.iter().map(|f| f.rust_name.as_str()).collect()
}

/// The setter's name: the field's, unless a builder method or (for a body
/// field) a query parameter already has it; then `{part}_{field}`.
fn setter_name(field: &Field, part: &str, taken: &[&str]) -> proc_macro2::Ident {
    let name = field.rust_name.as_str();
    if is_builder_method(name) || taken.contains(&name) {
        format_ident!("{part}_{name}")
    } else {
        ident(name)
    }
}
