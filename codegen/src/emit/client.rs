//! The endpoint descriptor the runtime reads, and the doc of the method
//! that starts a call.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use crate::ir::Endpoint;
use heck::ToUpperCamelCase;

use crate::ir::AccessToken;

/// `pub static ENDPOINT` and `pub const SCOPES`.
pub fn descriptor(endpoint: &Endpoint) -> TokenStream {
    let id = endpoint.id();
    let path = &endpoint.path;
    // `POST` -> `Method::Post`, the runtime's variant.
    let method = format_ident!("{}", endpoint.method.as_str().to_upper_camel_case());
    let tokens = endpoint.access_tokens.iter().map(|t| match t {
        AccessToken::Tenant => quote!(crate::endpoint::AccessTokenKind::Tenant),
        AccessToken::User => quote!(crate::endpoint::AccessTokenKind::User),
        AccessToken::App => quote!(crate::endpoint::AccessTokenKind::App),
    });
    let key = match &endpoint.idempotency_key {
        Some(key) => quote!(Some(#key)),
        None => quote!(None),
    };
    let rate_limit = match endpoint.rate_limit {
        Some(limit) => {
            let opt = |v: Option<u32>| match v {
                Some(v) => {
                    let v = proc_macro2::Literal::u32_unsuffixed(v);
                    quote!(Some(#v))
                }
                None => quote!(None),
            };
            let (minute, second) = (opt(limit.per_minute), opt(limit.per_second));
            quote!(Some(crate::endpoint::RateLimit { per_minute: #minute, per_second: #second }))
        }
        None => quote!(None),
    };
    let scopes = endpoint.scopes.iter().map(|s| &s.name);
    let endpoint_doc = docs::doc(&format!("How the runtime sends {}.", endpoint.source.title));
    let scopes_doc = docs::doc("Scopes, any one of which allows the call.");
    quote! {
        #endpoint_doc
        pub static ENDPOINT: crate::endpoint::EndpointInfo = crate::endpoint::EndpointInfo {
            id: #id,
            method: crate::endpoint::Method::#method,
            path: #path,
            access_tokens: &[#(#tokens),*],
            idempotency_key: #key,
            rate_limit: #rate_limit,
            rate_limited_codes: RATE_LIMITED_CODES,
        };

        #scopes_doc
        pub const SCOPES: &[&str] = &[#(#scopes),*];
    }
}

/// The doc of the method that starts a call: the page's title, summary
/// and facts.
pub(super) fn method_doc(endpoint: &Endpoint) -> String {
    let method = endpoint.method.as_str();
    let mut text = format!(
        "{}\n\n{}\n\n`{method} {}` ([docs]({}), updated {})",
        endpoint.source.title,
        endpoint.summary,
        endpoint.path,
        endpoint.source.url,
        endpoint.source.last_remote_update,
    );
    let mut facts = Vec::new();
    let tokens = endpoint
        .access_tokens
        .iter()
        .map(|t| format!("`{}`", t.wire_name()))
        .collect::<Vec<_>>();
    if endpoint.access_tokens.is_empty() {
        facts.push("- Token: none: the call sends no `Authorization` header".to_owned());
    } else if endpoint.access_tokens == [AccessToken::User] {
        facts.push(
            "- Token: `user_access_token` only: call with `.as_user(..)` or \
             `.user_access_token(..)`; a tenant token is refused before sending"
                .to_owned(),
        );
    } else {
        facts.push(format!("- Token: {}", tokens.join(" or ")));
    }
    if !endpoint.app_types.is_empty() {
        facts.push(format!("- Apps: {}", docs::app_types(&endpoint.app_types)));
    }
    if !endpoint.scopes.is_empty() {
        let scopes = docs::scopes(&endpoint.scopes);
        facts.push(format!("- Scopes, any one of: {scopes}"));
    }
    for s in &endpoint.field_scopes {
        let when = s
            .when
            .as_deref()
            .map(|w| format!(", {w}"))
            .unwrap_or_default();
        facts.push(format!(
            "- Field scope: `{}` ({}){when}",
            s.name, s.description
        ));
    }
    if let Some(limit) = endpoint.rate_limit {
        let parts = [
            limit.per_minute.map(|n| format!("{n}/minute")),
            limit.per_second.map(|n| format!("{n}/second")),
        ];
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        facts.push(format!("- Rate limit: {}", parts.join(", ")));
    }
    if let Some(key) = &endpoint.idempotency_key {
        facts.push(format!("- Deduplicated on the `{key}` query parameter"));
    }
    text.push_str("\n\n");
    text.push_str(&facts.join("\n"));
    if !endpoint.path_params.is_empty() {
        text.push_str("\n\n# Path parameters\n\n");
        let params = endpoint
            .path_params
            .iter()
            .map(|p| format!("- `{}`: {}", p.rust_name, p.description))
            .collect::<Vec<_>>();
        text.push_str(&params.join("\n"));
    }
    if !endpoint.notes.is_empty() {
        text.push_str("\n\n# Notes\n\n");
        let notes = endpoint
            .notes
            .iter()
            .map(|n| format!("- {n}"))
            .collect::<Vec<_>>();
        text.push_str(&notes.join("\n"));
    }
    text.push_str(&format!(
        "\n\n# Errors\n\n[`crate::ErrorKind::Validation`] when a documented limit is broken (nothing is sent); \
         [`crate::ErrorKind::Api`] with a [`{}`] when Feishu answers with a documented code; \
         the other [`crate::ErrorKind`] variants for transport, HTTP and decoding failures.",
        endpoint.errors.rust_name
    ));
    text
}
