//! Pure functions from IR to token streams, one module per concern.

mod checks;
mod client;
mod docs;
mod errors;
mod modules;
mod text;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Endpoint, NamedType};

pub use modules::{Node, tree};

/// The whole file of one endpoint.
pub fn endpoint_file(endpoint: &Endpoint) -> TokenStream {
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
    let query = endpoint.query.as_ref().map(|q| {
        let ty = types::object(q, types);
        let params = checks::query_impl(q);
        let validate = checks::validate_impl(q, types);
        quote!(#ty #params #validate)
    });
    let body = endpoint.body.as_ref().map(|b| {
        let ty = types::object(b, types);
        let validate = checks::validate_impl(b, types);
        quote!(#ty #validate)
    });
    let response = types::object(&endpoint.response, types);
    let named = types.iter().map(|t| match t {
        NamedType::Object(o) => {
            let ty = types::object(o, types);
            let validate = checks::validate_impl(o, types);
            quote!(#ty #validate)
        }
        NamedType::Enum(e) => types::enumeration(e),
    });
    let errors = errors::error_codes(endpoint);
    quote! {
        #module_doc
        use serde::{Deserialize, Serialize};
        #descriptor
        #method
        #query
        #body
        #response
        #(#named)*
        #errors
    }
}

/// The `mod.rs` of one folder of the module tree.
pub fn module_file(path: &[String], node: &Node) -> TokenStream {
    modules::module(path, node)
}
