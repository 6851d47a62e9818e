//! The generated crate's `tests/doc_examples.rs`: one test per endpoint
//! whose schema keeps the page's examples, checking them against the
//! endpoint's generated types through `feishu_runtime::doc_examples`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ast, docs};
use crate::ir::{Api, Endpoint};

/// Where the file goes, relative to the workspace root.
pub const DOC_EXAMPLES_PATH: &str = "generated/tests/doc_examples.rs"; // under crate::TESTS_DIR

/// The whole test file.
pub fn doc_examples_file(api: &Api) -> syn::Result<syn::File> {
    let top_doc = docs::module_doc(
        "The doc pages' examples against the generated types: each request \
         example decodes into its endpoint's body type and encodes back to the \
         same JSON, and each response example decodes as a call's answer \
         would, losing no field.",
    );
    let tests = api.endpoints.iter().filter_map(test);
    syn::parse2(quote! {
        #(#top_doc)*
        #(#tests)*
    })
}

/// The test of one endpoint, if its schema keeps an example.
fn test(endpoint: &Endpoint) -> Option<TokenStream> {
    let examples = endpoint.page_examples;
    if !examples.request_body && !examples.response {
        return None;
    }
    let group = &endpoint.module_path[0];
    let name = format_ident!("{}", endpoint.id().replace('.', "_"));
    let module = endpoint.module_path.iter().map(|m| ast::ident(m));
    let module = quote!(feishu_openapi::#(#module)::*);
    // The file sits in generated/tests/; the schema path is from the root.
    let schema = format!("../../{}", endpoint.source_file);
    let request = endpoint
        .body
        .as_ref()
        .filter(|_| examples.request_body)
        .map(|body| {
            let body = ast::ident(&body.rust_name);
            quote!(feishu_runtime::doc_examples::request_example::<#module::#body>(SCHEMA);)
        });
    let response = examples.response.then(|| {
        let data = ast::ident(&endpoint.response.rust_name);
        let errors = ast::ident(&endpoint.errors.rust_name);
        quote! {
            feishu_runtime::doc_examples::response_example::<#module::#data, #module::#errors>(SCHEMA);
        }
    });
    Some(quote! {
        #[cfg(feature = #group)]
        #[test]
        fn #name() {
            const SCHEMA: &str = include_str!(#schema);
            #request
            #response
        }
    })
}
