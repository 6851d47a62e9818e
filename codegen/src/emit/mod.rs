//! Pure functions from IR to syn files, one module per concern.
//! Declarations (structs, enums, their docs) are built as syn nodes by
//! [`ast`], and so are the bodies of the `Validate` and `QueryParams` impls
//! ([`code`], the largest code of a file); the rest of the code is written
//! with `quote!` and parsed by syn.

mod ast;
mod builder;
mod checks;
mod client;
mod code;
mod crate_root;
mod doc_examples;
mod docs;
mod errors;
mod events;
mod modules;
mod request_check;
mod setters;
mod string_literal;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Endpoint, NamedType, SharedTypes, SharedUse};

pub use crate_root::is_root_name;
pub use doc_examples::{DOC_EXAMPLES_PATH, doc_examples_file};
pub use events::{ENUM_MODULE as EVENT_ENUM_MODULE, enum_file as event_enum_file, event_file};
pub use modules::{Node, tree};

/// The whole file of one endpoint. An error is a generator bug: the IR
/// admits only names and values that make valid Rust. Only the parsed
/// parts can fail here; the fuzz tests parse every rendered file back to
/// catch a bug in the parts built as syn nodes.
pub fn endpoint_file(endpoint: &Endpoint) -> syn::Result<syn::File> {
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
    let mut items = parse_items(quote! {
        use serde::{Deserialize, Serialize};
        #shared
    })?;
    items.extend(client::descriptor(endpoint)?);
    items.extend(parse_items(request_check::request_check(endpoint))?);
    items.extend(builder::request(endpoint, &modules::handle_name(resource))?);
    if let Some(query) = &endpoint.query {
        items.push(types::object(query));
        items.push(checks::query_impl(query));
        items.push(checks::validate_impl(query));
    }
    if let Some(body) = &endpoint.body {
        items.push(types::object(body));
        items.push(checks::validate_impl(body));
    }
    items.push(types::object(&endpoint.response));
    items.extend(named_types(&endpoint.types)?);
    items.extend(errors::error_codes(endpoint));
    Ok(syn::File {
        shebang: None,
        attrs: module_doc,
        items,
    })
}

/// The shared types a module's items name, re-exported, so the module
/// holds every type its values are built from.
fn shared_reexport(shared: Option<&SharedUse>) -> Option<TokenStream> {
    shared.map(|shared| {
        let module = shared.module_path.iter().map(|m| ast::ident(m));
        let names = shared.names.iter().map(|n| ast::ident(n));
        quote!(pub use crate::#(#module)::*::{#(#names),*};)
    })
}

/// The module of a version's shared types.
pub fn shared_types_file(shared: &SharedTypes) -> syn::Result<syn::File> {
    // Only structs derive serde's traits; open enums implement them.
    let has_struct = shared
        .types
        .iter()
        .any(|t| matches!(t, NamedType::Object(_)));
    let mut items = if has_struct {
        parse_items(quote!(
            use serde::{Deserialize, Serialize};
        ))?
    } else {
        Vec::new()
    };
    items.extend(named_types(&shared.types)?);
    Ok(syn::File {
        shebang: None,
        attrs: docs::module_doc(&shared.description),
        items,
    })
}

/// Structs with their `Validate` impls, and open enums.
fn named_types(types: &[NamedType]) -> syn::Result<Vec<syn::Item>> {
    let mut items = Vec::new();
    for named in types {
        match named {
            NamedType::Object(o) => {
                items.push(types::object(o));
                items.push(checks::validate_impl(o));
            }
            NamedType::Enum(e) => items.extend(types::enumeration(e)),
        }
    }
    Ok(items)
}

/// The `mod.rs` of one folder of the module tree below the root.
pub fn module_file(path: &[String], node: &Node) -> syn::Result<syn::File> {
    syn::parse2(modules::module(path, node))
}

/// The crate's `lib.rs`: the root of the module tree.
pub fn crate_root_file(root: &Node) -> syn::Result<syn::File> {
    syn::parse2(crate_root::crate_root(root))
}

fn parse_items(tokens: TokenStream) -> syn::Result<Vec<syn::Item>> {
    syn::parse2::<syn::File>(tokens).map(|file| file.items)
}
