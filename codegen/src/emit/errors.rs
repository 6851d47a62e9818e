//! The endpoint's documented error codes as an enum.

use proc_macro2::Literal;
use quote::quote;

use super::{ast, docs};
use crate::ir::Endpoint;

/// The error-code enum and its `ErrorCode` impl.
pub fn error_codes(endpoint: &Endpoint) -> syn::Result<Vec<syn::Item>> {
    let errors = &endpoint.errors;
    let name = ast::ident(&errors.rust_name);
    let mut attrs = docs::doc(&format!(
        "Error codes the {} page documents. A Feishu error with one of these codes carries the variant in [`crate::ApiError::documented`].",
        endpoint.source.title
    ));
    attrs.push(ast::attribute(
        "derive",
        quote!(Clone, Copy, Debug, PartialEq, Eq, Hash),
    ));
    let variants = errors.cases.iter().map(|e| {
        let doc = docs::doc(&format!(
            "`{}` (HTTP {}): {}\n\n{}",
            e.code, e.http_status, e.message, e.advice
        ));
        ast::variant(doc, &e.name, None)
    });
    let declaration = ast::public_enum(attrs, &errors.rust_name, variants);

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
        quote!(match code {
            _ => None,
        })
    };
    let mut items = super::parse_items(quote! {
        impl crate::ErrorCode for #name {
            fn from_code(code: i64) -> Option<Self> {
                #from_code
            }
            fn info(self) -> &'static crate::ErrorInfo {
                match self {}
            }
        }

        #(#rate_limited_doc)*
        pub const RATE_LIMITED_CODES: &[i64] = &[#(#rate_limited),*];
    })?;
    let syn::Item::Impl(codes) = &mut items[0] else {
        unreachable!("the first item is the ErrorCode impl")
    };
    let [syn::ImplItem::Fn(from_code), syn::ImplItem::Fn(info)] = &mut codes.items[..] else {
        unreachable!("the impl holds from_code and info")
    };
    if !errors.cases.is_empty() {
        ast::prepend_arms(
            from_code,
            errors.cases.iter().map(|e| {
                ast::arm(
                    ast::literal_pattern(Literal::i64_unsuffixed(e.code)),
                    ast::some(ast::self_variant(&e.name)),
                )
            }),
        );
    }
    ast::prepend_arms(
        info,
        errors.cases.iter().map(|e| {
            let info = vec![
                ("code", ast::literal(Literal::i64_unsuffixed(e.code))),
                (
                    "http_status",
                    ast::literal(Literal::u16_unsuffixed(e.http_status)),
                ),
                (
                    "message",
                    ast::literal(super::string_literal::string(&e.message)),
                ),
                (
                    "advice",
                    ast::literal(super::string_literal::string(&e.advice)),
                ),
            ];
            ast::arm(
                ast::self_variant_pattern(&e.name),
                ast::struct_ref(ast::path(&["crate", "ErrorInfo"]), info),
            )
        }),
    );
    items.insert(0, declaration);
    Ok(items)
}
