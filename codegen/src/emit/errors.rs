//! The endpoint's documented error codes as an enum.

use proc_macro2::Literal;
use quote::quote;

use super::{ast, docs};
use crate::ir::Endpoint;

/// The error-code enum and its `ErrorCode` impl.
pub fn error_codes(endpoint: &Endpoint) -> Vec<syn::Item> {
    let errors = &endpoint.errors;
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

    let rate_limited = errors
        .cases
        .iter()
        .filter(|e| e.rate_limited)
        .map(|e| ast::literal(Literal::i64_suffixed(e.code)))
        .collect();
    let mut rate_limited_codes = RATE_LIMITED_CODES.with(Clone::clone);
    rate_limited_codes.attrs =
        docs::doc("Codes that mean \"too many requests\": wait, then retry.");
    let syn::Expr::Reference(list) = &mut *rate_limited_codes.expr else {
        unreachable!("the template's value is `&[]`")
    };
    *list.expr = ast::array(rate_limited);
    // `match code { _ => None }` would trip clippy for an endpoint without codes.
    let which = usize::from(errors.cases.is_empty());
    let mut codes = ERROR_CODE_IMPL.with(|t| t[which].clone());
    codes.self_ty = Box::new(ast::named_type(&errors.rust_name));
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
    vec![
        declaration,
        syn::Item::Impl(codes),
        syn::Item::Const(rate_limited_codes),
    ]
}

thread_local! {
    /// The `ErrorCode` impl with only its catch-all arms (and, for an
    /// endpoint without codes, none), and the list of rate-limit codes,
    /// empty: parsed once, since a clone costs a fraction of a parse.
    static ERROR_CODE_IMPL: [syn::ItemImpl; 2] = [
        quote! {
            impl crate::ErrorCode for Template {
                fn from_code(code: i64) -> Option<Self> {
                    match code {
                        _ => None,
                    }
                }
                fn info(self) -> &'static crate::ErrorInfo {
                    match self {}
                }
            }
        },
        quote! {
            impl crate::ErrorCode for Template {
                fn from_code(code: i64) -> Option<Self> {
                    let _ = code;
                    None
                }
                fn info(self) -> &'static crate::ErrorInfo {
                    match self {}
                }
            }
        },
    ]
    .map(|tokens| syn::parse2(tokens).expect("the template is valid Rust"));
    static RATE_LIMITED_CODES: syn::ItemConst =
        syn::parse2(quote!(pub const RATE_LIMITED_CODES: &[i64] = &[];))
            .expect("the template is valid Rust");
}
