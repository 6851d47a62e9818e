//! An endpoint's `ROUTE` (feature `routes`): what the fake Feishu needs to
//! serve it with no hand-written code. The request check decodes a request
//! into the endpoint's query and body types and runs the same `Validate`
//! the client runs before sending; the example is the `data` of the page's
//! response example, which the fake answers.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, string_literal};
use crate::ir::Endpoint;

pub fn route(endpoint: &Endpoint) -> TokenStream {
    let query = endpoint.query.as_ref().map(|query| {
        let query = ident(&query.rust_name);
        quote!(crate::route::check_query::<#query>(query, &mut found);)
    });
    let body = endpoint.body.as_ref().map(|body| {
        let body = ident(&body.rust_name);
        match endpoint.multipart {
            true => quote!(crate::route::check_form::<#body>(body, &mut found);),
            false => quote!(crate::route::check_body::<#body>(body, &mut found);),
        }
    });
    // Unused parameters of an endpoint without a query or a body say so.
    let query_param = ident(if query.is_some() { "query" } else { "_query" });
    let body_param = ident(if body.is_some() { "body" } else { "_body" });
    // Raw, so the JSON reads as the page wrote it.
    let example = match &endpoint.example_data {
        Some(data) => {
            let data = string_literal::raw(data);
            quote!(Some(#data))
        }
        None => quote!(None),
    };
    let (binary, multipart) = (endpoint.binary_response, endpoint.multipart);
    let doc = docs::doc(
        "How the fake Feishu serves this endpoint: what `send` validates, \
         validated on arrival, and the page's response example.",
    );
    quote! {
        #[cfg(feature = "routes")]
        fn check_request(#query_param: Option<&str>, #body_param: &[u8]) -> Vec<crate::route::FieldViolation> {
            #[allow(unused_mut)]
            let mut found = Vec::new();
            #query
            #body
            found
        }

        #doc
        #[cfg(feature = "routes")]
        #[doc(hidden)]
        pub static ROUTE: crate::route::Route = crate::route::Route {
            endpoint: &ENDPOINT,
            check: check_request,
            example: #example,
            binary_response: #binary,
            multipart: #multipart,
        };
    }
}
