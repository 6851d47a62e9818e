//! The endpoint's documented error codes as an enum.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{docs, ident, string_literal};
use crate::ir::Endpoint;

/// The error-code enum, its `ErrorCode` impl and the codes that mean "too
/// many requests".
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
    let from_code = if errors.cases.is_empty() {
        // `match code { _ => None }` would trip clippy.
        quote! {
            let _ = code;
            None
        }
    } else {
        let arms = errors.cases.iter().map(|e| {
            let (code, variant) = (Literal::i64_unsuffixed(e.code), ident(&e.name));
            quote!(#code => Some(Self::#variant),)
        });
        quote! {
            match code {
                #(#arms)*
                _ => None,
            }
        }
    };
    // One table in variant order, indexed by the variant: a match arm
    // per code cost the build of every API group more than the table.
    let (info, table) = if errors.cases.is_empty() {
        (quote!(match self {}), None)
    } else {
        let count = Literal::usize_unsuffixed(errors.cases.len());
        let entries = errors.cases.iter().map(|e| {
            let code = Literal::i64_unsuffixed(e.code);
            let http_status = Literal::u16_unsuffixed(e.http_status);
            let message = string_literal::string(&e.message);
            let advice = string_literal::string(&e.advice);
            quote! {
                crate::ErrorInfo {
                    code: #code,
                    http_status: #http_status,
                    message: #message,
                    advice: #advice,
                },
            }
        });
        (
            quote!(&ERROR_INFO[self as usize]),
            Some(quote! {
                static ERROR_INFO: [crate::ErrorInfo; #count] = [#(#entries)*];
            }),
        )
    };
    let rate_limited = errors
        .cases
        .iter()
        .filter(|e| e.rate_limited)
        .map(|e| Literal::i64_suffixed(e.code));
    let rate_limited_doc = docs::doc("Codes that mean \"too many requests\": wait, then retry.");
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl crate::ErrorCode for #name {
            fn from_code(code: i64) -> Option<Self> {
                #from_code
            }
            fn info(self) -> &'static crate::ErrorInfo {
                #info
            }
        }

        #table

        #rate_limited_doc
        pub const RATE_LIMITED_CODES: &[i64] = &[#(#rate_limited),*];
    }
}
