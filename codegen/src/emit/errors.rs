//! The endpoint's documented error codes as an enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, types::ident};
use crate::ir::Endpoint;

/// The error-code enum and its `ErrorCode` impl.
pub fn error_codes(endpoint: &Endpoint) -> TokenStream {
    let errors = &endpoint.errors;
    let name = ident(&errors.rust_name);
    let doc = docs::doc(&format!(
        "Error codes the {} page documents. A Feishu error with one of these codes carries the variant in [`crate::ApiError::documented`].",
        endpoint.source.title
    ));
    let variants = errors.cases.iter().map(|e| {
        let doc = docs::doc(&format!(
            "`{}` (HTTP {}): {}\n\n{}",
            e.code, e.http_status, e.message, e.advice
        ));
        let variant = ident(&e.name);
        quote!(#doc #variant,)
    });
    let from_code = errors.cases.iter().map(|e| {
        let variant = ident(&e.name);
        let code = proc_macro2::Literal::i64_unsuffixed(e.code);
        quote!(#code => Some(Self::#variant),)
    });
    let from_code: Vec<TokenStream> = from_code.collect();
    let infos = errors.cases.iter().map(|e| {
        let variant = ident(&e.name);
        let code = proc_macro2::Literal::i64_unsuffixed(e.code);
        let status = proc_macro2::Literal::u16_unsuffixed(e.http_status);
        let message = super::text::string(&e.message);
        let advice = super::text::string(&e.advice);
        quote! {
            Self::#variant => &crate::ErrorInfo { code: #code, http_status: #status, message: #message, advice: #advice },
        }
    });
    let rate_limited: Vec<i64> = errors
        .cases
        .iter()
        .filter(|e| e.rate_limited)
        .map(|e| e.code)
        .collect();
    let rate_limited_doc = docs::doc("Codes that mean \"too many requests\": wait, then retry.");
    // `match code { _ => None }` would trip clippy for an endpoint without codes.
    let from_code = if errors.cases.is_empty() {
        quote!(let _ = code; None)
    } else {
        quote!(match code { #(#from_code)* _ => None })
    };
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
        }

        impl crate::ErrorCode for #name {
            fn from_code(code: i64) -> Option<Self> {
                #from_code
            }
            fn info(self) -> &'static crate::ErrorInfo {
                match self { #(#infos)* }
            }
        }

        #rate_limited_doc
        pub const RATE_LIMITED_CODES: &[i64] = &[#(#rate_limited),*];
    }
}
