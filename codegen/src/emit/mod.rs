//! Pure functions from IR to the tokens of each file, one module per
//! concern. Every emitter writes code one way: `quote!`, in functions that
//! return a `TokenStream` and compose others' with `#var` and
//! `#(#items)*`. A file's tokens are parsed once, into the `syn::File`
//! prettyplease prints (`generate`, where a parse failure is reported as
//! a generator bug). The helpers the emitters share: [`ident`], [`integer`],
//! the doc lines of [`docs`] and the literals of [`string_literal`].

mod builder;
mod checks;
mod client;
mod crate_root;
mod doc_examples;
mod docs;
mod errors;
mod events;
mod facade;
mod group_root;
mod manifest;
mod markdown;
mod modules;
mod route;
mod setters;
mod string_literal;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Endpoint, NamedType, SharedTypes, SharedUse};

pub use crate_root::is_root_name;
pub use doc_examples::{DOC_EXAMPLES_PATH, doc_examples_file};
pub use events::{ENUM_MODULE as EVENT_ENUM_MODULE, enum_file as event_enum_file, event_file};
pub use facade::facade as facade_file;
pub use group_root::group_root as group_root_file;
pub use manifest::{api_manifest, group_manifest};
pub use modules::{Node, tree};

/// The whole file of one endpoint.
pub fn endpoint_file(endpoint: &Endpoint) -> TokenStream {
    let module_doc = docs::module_doc(&format!(
        "{}\n\n{}\n\nSource: {}",
        endpoint.source.title,
        endpoint.summary,
        docs::link(&endpoint.source.url)
    ));
    let resource = endpoint
        .module_path
        .iter()
        .rev()
        .nth(1)
        .expect("module paths have a folder");
    let shared = shared_reexport(endpoint.shared.as_ref());
    let descriptor = client::descriptor(endpoint);
    let route = route::route(endpoint);
    let request = builder::request(endpoint, &modules::handle_name(resource));
    let query = endpoint.query.as_ref().map(|query| {
        let object = types::object(query);
        let params = checks::query_impl(query);
        let validate = checks::validate_impl(query);
        quote!(#object #params #validate)
    });
    let body = endpoint.body.as_ref().map(|body| {
        let object = match endpoint.multipart {
            true => types::form_object(body),
            false => types::object(body),
        };
        let validate = checks::validate_impl(body);
        quote!(#object #validate)
    });
    // A file answer has no `data` to decode into.
    let response = (!endpoint.binary_response).then(|| types::object(&endpoint.response));
    let named = named_types(&endpoint.types);
    let errors = errors::error_codes(endpoint);
    quote! {
        #module_doc
        #shared
        #descriptor
        #route
        #request
        #query
        #body
        #response
        #named
        #errors
    }
}

/// The shared types a module's items name, re-exported, so the module
/// holds every type its values are built from.
fn shared_reexport(shared: Option<&SharedUse>) -> Option<TokenStream> {
    shared.map(|shared| {
        // Below the group, which is the crate.
        let module = shared.module_path[1..].iter().map(|m| ident(m));
        let names = shared.names.iter().map(|n| ident(n));
        quote!(pub use crate::#(#module)::*::{#(#names),*};)
    })
}

/// The module of a version's shared types.
pub fn shared_types_file(shared: &SharedTypes) -> TokenStream {
    let module_doc = docs::module_doc(&shared.description);
    let named = named_types(&shared.types);
    quote! {
        #module_doc
        #named
    }
}

/// Structs with their `Validate` impls, and open enums.
fn named_types(types: &[NamedType]) -> TokenStream {
    types
        .iter()
        .map(|named| match named {
            NamedType::Object(o) => {
                let object = types::object(o);
                let validate = checks::validate_impl(o);
                quote!(#object #validate)
            }
            NamedType::Enum(e) => types::enumeration(e),
        })
        .collect()
}

/// The `mod.rs` of one folder of the module tree below an API group.
pub fn module_file(path: &[String], node: &Node) -> TokenStream {
    modules::module(path, node)
}

/// The crate's `lib.rs`: the root of the module tree.
pub fn crate_root_file(root: &Node) -> TokenStream {
    crate_root::crate_root(root)
}

/// An identifier the IR has already checked.
fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// `5`, or `-5` as two tokens, which is how Rust spells a negative
/// literal in a pattern.
fn integer(value: i64) -> TokenStream {
    let magnitude = proc_macro2::Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}
