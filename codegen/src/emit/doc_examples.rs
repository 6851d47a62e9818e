//! The generated crate's `tests/doc_examples.rs`: one test per endpoint
//! whose schema keeps the page's examples, checking them against the
//! endpoint's generated types through `feishu_runtime::doc_examples`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::events::{ENUM_MODULE as EVENT_ENUM_MODULE, enum_name as event_enum_name};
use super::{docs, ident};
use crate::ir::{Api, Endpoint, EventType};

/// Where the file goes, relative to the workspace root.
pub const DOC_EXAMPLES_PATH: &str = "generated/feishu-openapi/tests/doc_examples.rs"; // under crate::TESTS_DIR

/// The whole test file.
pub fn doc_examples_file(api: &Api) -> TokenStream {
    let top_doc = docs::module_doc(
        "The doc pages' examples against the generated types: each request \
         example decodes into its endpoint's body type and encodes back to the \
         same JSON, and each response example decodes as a call's answer \
         would, losing no field; each example delivery of an event is read as \
         the webhook reads one, decodes into its event's struct, losing no \
         field, and its version's event enum picks that struct.",
    );
    let tests = api.endpoints.iter().filter_map(test);
    let event_tests = api.events.iter().filter(|e| e.example).map(event_test);
    quote! {
        #top_doc
        #(#tests)*
        #(#event_tests)*
    }
}

/// The test of one event's example delivery.
fn event_test(event: &EventType) -> TokenStream {
    let group = &event.module_path[0];
    let name = format_ident!("{}", event.module_path.join("_"));
    let version = event.module_path[..2].iter().map(|m| ident(m));
    let events = ident(EVENT_ENUM_MODULE);
    let ty = ident(event.rust_name());
    let enumeration = ident(&event_enum_name(&event.module_path));
    let schema = format!("../../../{}", event.source_file);
    quote! {
        #[cfg(feature = #group)]
        #[test]
        fn #name() {
            use feishu_openapi::#(#version)::*::#events::{#enumeration, #ty};
            const SCHEMA: &str = include_str!(#schema);
            // `event_example` checked the decoding; the enum must pick the variant.
            let event = feishu_runtime::doc_examples::event_example::<#ty>(SCHEMA);
            assert!(matches!(#enumeration::from_event(&event), Ok(#enumeration::#ty(_))));
        }
    }
}

/// The test of one endpoint, if its schema keeps an example.
fn test(endpoint: &Endpoint) -> Option<TokenStream> {
    let examples = endpoint.page_examples;
    if !examples.request_body && !examples.response {
        return None;
    }
    let group = &endpoint.module_path[0];
    let name = format_ident!("{}", endpoint.id().replace('.', "_"));
    let module = endpoint.module_path.iter().map(|m| ident(m));
    let module = quote!(feishu_openapi::#(#module)::*);
    // The file sits in generated/feishu-openapi/tests/; the schema path is
    // from the root.
    let schema = format!("../../../{}", endpoint.source_file);
    let request = endpoint
        .body
        .as_ref()
        .filter(|_| examples.request_body)
        .map(|body| {
            let body = ident(&body.rust_name);
            quote!(feishu_runtime::doc_examples::request_example::<#module::#body>(SCHEMA);)
        });
    let response = examples.response.then(|| {
        let data = ident(&endpoint.response.rust_name);
        let errors = ident(&endpoint.errors.rust_name);
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
