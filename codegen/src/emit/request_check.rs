//! An endpoint's `REQUEST_CHECK` (feature `testing`): the fake Feishu
//! decodes a request into the endpoint's query and body types and runs the
//! same `Validate` the client runs before sending, so a new schema's limits
//! reach the fake with no hand-written copy.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir::Endpoint;

pub fn request_check(endpoint: &Endpoint) -> TokenStream {
    let query = endpoint.query.as_ref().map(|query| {
        let query = ident(&query.rust_name);
        quote!(crate::testing::check_query::<#query>(query, &mut found);)
    });
    let body = endpoint.body.as_ref().map(|body| {
        let body = ident(&body.rust_name);
        quote!(crate::testing::check_body::<#body>(body, &mut found);)
    });
    // Unused parameters of an endpoint without a query or a body say so.
    let query_param = ident(if query.is_some() { "query" } else { "_query" });
    let body_param = ident(if body.is_some() { "body" } else { "_body" });
    let doc = docs::doc(
        "How the fake Feishu checks a request to this endpoint: what `send` \
         validates, validated on arrival.",
    );
    quote! {
        #[cfg(feature = "testing")]
        fn check_request(#query_param: Option<&str>, #body_param: &[u8]) -> Vec<crate::testing::FieldViolation> {
            #[allow(unused_mut)]
            let mut found = Vec::new();
            #query
            #body
            found
        }

        #doc
        #[cfg(feature = "testing")]
        #[doc(hidden)]
        pub static REQUEST_CHECK: crate::testing::RequestCheck = crate::testing::RequestCheck {
            endpoint: &ENDPOINT,
            check: check_request,
        };
    }
}
