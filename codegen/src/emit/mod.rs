//! Pure functions from IR to syn files, one module per concern.
//! Declarations (structs, enums, their docs) are built as syn nodes by
//! [`ast`]; code is written with `quote!` and parsed by syn.

mod ast;
mod checks;
mod client;
mod crate_root;
mod docs;
mod errors;
mod modules;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Endpoint, NamedType};

pub use modules::{Node, tree};

/// The whole file of one endpoint. An error is a generator bug: the IR
/// admits only names and values that make valid Rust. Only the parsed
/// parts can fail here; the fuzz tests parse every rendered file back to
/// catch a bug in the parts built as syn nodes.
pub fn endpoint_file(endpoint: &Endpoint) -> syn::Result<syn::File> {
    let types = &endpoint.types;
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
    let descriptor = client::descriptor(endpoint);
    let method = client::method(endpoint, &modules::handle_name(resource));
    let mut items = parse_items(quote! {
        use serde::{Deserialize, Serialize};
        #descriptor
        #method
    })?;
    if let Some(query) = &endpoint.query {
        items.push(types::object(query, types));
        items.extend(parse_items(checks::query_impl(query))?);
        items.extend(parse_items(checks::validate_impl(query, types))?);
    }
    if let Some(body) = &endpoint.body {
        items.push(types::object(body, types));
        items.extend(parse_items(checks::validate_impl(body, types))?);
    }
    items.push(types::object(&endpoint.response, types));
    for named in types {
        match named {
            NamedType::Object(o) => {
                items.push(types::object(o, types));
                items.extend(parse_items(checks::validate_impl(o, types))?);
            }
            NamedType::Enum(e) => items.extend(types::enumeration(e)),
        }
    }
    items.extend(errors::error_codes(endpoint)?);
    Ok(syn::File {
        shebang: None,
        attrs: module_doc,
        items,
    })
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
