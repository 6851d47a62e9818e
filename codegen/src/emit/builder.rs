//! The request builder of an endpoint, and the method on its resource
//! handle that starts one: `client.im().v1().chat().get(chat_id)` takes the
//! path parameters, and the builder has one setter per query parameter and
//! body field, the per-call options, and `send`.
//!
//! Adding an optional query parameter or body field to a schema adds a
//! setter and breaks no caller.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{docs, ident, types};
use crate::ir::{AccessToken, Endpoint, Object};

/// The builder struct, the method that starts it, and its setters.
pub fn request(endpoint: &Endpoint, resource: &str) -> TokenStream {
    let resource = ident(resource);
    let builder = ident(&endpoint.request_name);
    let method = ident(endpoint.method_name());
    let data = ident(&endpoint.response.rust_name);
    let error = ident(&endpoint.errors.rust_name);

    let path_fields: Vec<Ident> = endpoint
        .path_params
        .iter()
        .map(|p| format_ident!("path_{}", p.rust_name))
        .collect();
    let path_args: Vec<Ident> = endpoint
        .path_params
        .iter()
        .map(|p| ident(&p.rust_name))
        .collect();
    let path_wires = endpoint.path_params.iter().map(|p| &p.wire_name);

    let Part {
        field: query_field,
        init: query_init,
        whole: whole_query,
    } = part(
        endpoint.query.as_ref(),
        "query",
        "Every query parameter at once, replacing those set so far.",
    );
    let Part {
        field: body_field,
        init: body_init,
        whole: whole_body,
    } = part(
        endpoint.body.as_ref(),
        "body",
        "The whole body at once, replacing the fields set so far.",
    );
    let query_arg = match &endpoint.query {
        Some(_) => quote!(&self.query),
        None => quote!(&()),
    };
    let body_arg = match &endpoint.body {
        Some(_) => quote!(Some(&self.body)),
        None => quote!(None::<&()>),
    };
    let idempotency_key = endpoint.idempotency_key.as_ref().map(|wire| {
        let doc = docs::doc(&format!(
            "The idempotency key, sent as `{wire}`: the server acts at most once on \
             calls that carry the same key. Without one the client makes one up and \
             uses it on every retry; a failed call's [`crate::Error::idempotency_key`] \
             gives it back, to resend safely."
        ));
        quote! {
            #doc
            pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
                self.options = self.options.idempotency_key(key);
                self
            }
        }
    });

    let path_args_sent = quote!(&[#((#path_wires, self.#path_fields.as_str())),*]);
    let send = if endpoint.binary_response {
        quote! {
            /// Validates, sends (retrying as the client is configured) and
            /// answers the file as it arrives, never held whole; a JSON
            /// answer is the error.
            pub async fn send(self) -> Result<crate::Download<#error>, crate::Error<#error>> {
                self.client
                    .download(&ENDPOINT, #path_args_sent, #query_arg, #body_arg, &self.options)
                    .await
            }
        }
    } else if endpoint.multipart {
        quote! {
            /// Validates, sends as `multipart/form-data`, the file streamed
            /// (retrying as the client is configured, the file read afresh),
            /// and decodes the answer.
            pub async fn send(self) -> Result<crate::Response<#data>, crate::Error<#error>> {
                self.client
                    .call_form(&ENDPOINT, #path_args_sent, #query_arg, &self.body, &self.options)
                    .await
            }
        }
    } else {
        quote! {
            /// Validates, sends (retrying as the client is configured) and
            /// decodes the answer.
            pub async fn send(self) -> Result<crate::Response<#data>, crate::Error<#error>> {
                self.client
                    .call(&ENDPOINT, #path_args_sent, #query_arg, #body_arg, &self.options)
                    .await
            }
        }
    };
    let setters = super::setters::setters(endpoint);
    let paging = paging(endpoint);
    let token_setters = token_setters(&endpoint.access_tokens);
    let start_doc = docs::doc(&super::client::method_doc(endpoint));
    let builder_doc = docs::doc(&format!(
        "A {} call: set query parameters and body fields by name, then \
         `.send().await`. Start one with [`{resource}::{method}`](super::{resource}::{method}).",
        endpoint.source.title
    ));
    quote! {
        #builder_doc
        #[derive(Clone, Debug)]
        #[must_use = "nothing is sent until `.send().await`"]
        pub struct #builder<'c> {
            client: &'c crate::Client,
            #(#path_fields: String,)*
            #query_field
            #body_field
            options: crate::RequestOptions,
        }

        impl<'c> super::#resource<'c> {
            #start_doc
            pub fn #method(&self, #(#path_args: impl Into<String>),*) -> #builder<'c> {
                #builder {
                    client: self.client,
                    #(#path_fields: #path_args.into(),)*
                    #query_init
                    #body_init
                    options: Default::default(),
                }
            }
        }

        impl #builder<'_> {
            #setters
            #whole_query
            #whole_body
            #idempotency_key
            crate::request_options!(#token_setters);

            #send
        }

        #paging
    }
}

/// A list endpoint's `pages` and `items` on the builder, and the data
/// type's `Paged` impl that tells the runtime's streams where the items,
/// `has_more` and the next `page_token` are.
fn paging(endpoint: &Endpoint) -> Option<TokenStream> {
    let paging = endpoint.paging.as_ref()?;
    let builder = ident(&endpoint.request_name);
    let data = ident(&endpoint.response.rust_name);
    let error = ident(&endpoint.errors.rust_name);
    let items_field = ident(&paging.items_field);
    let item = types::rust_type(&paging.item_type);
    let pages_doc = docs::doc(
        "Every page of the list, as a [`Stream`](crate::paging::Stream) of whole \
         [`Response`](crate::Response)s, so each page's \
         [`log_id`](crate::Response::log_id) stays readable.\n\n\
         Lazy: nothing is sent until the stream is first polled, and each page is \
         one request, sent when the caller reads past the page before. The first \
         request is this one as built (a `page_token` set on it resumes there); \
         each next one carries the `page_token` the page before answered. The \
         stream ends after the page whose `has_more` is false, or after the first \
         error, which it yields once (each request already went through the \
         client's retries). See [`crate::paging::Pages`].",
    );
    let items_doc = docs::doc(&format!(
        "Every item of the list (`{}` of each page), in order, as a \
         [`Stream`](crate::paging::Stream): [`pages`](Self::pages) flattened. \
         Requests go out lazily, one per page; the stream ends after the last \
         page (`has_more` false) or after the first error, yielded once. Use \
         `pages` to read each page's log id.",
        paging.items_field
    ));
    let paged_doc = docs::doc(&format!(
        "A page of the list: its items are `{}`, and `has_more` and `page_token` \
         lead to the next page.",
        paging.items_field
    ));
    Some(quote! {
        impl<'c> #builder<'c> {
            #pages_doc
            pub fn pages(self) -> crate::paging::Pages<'c, #data, #error> {
                crate::paging::Pages::new(move |page_token| {
                    let mut request = self.clone();
                    if page_token.is_some() {
                        request.query.page_token = page_token;
                    }
                    request.send()
                })
            }

            #items_doc
            pub fn items(self) -> crate::paging::Items<'c, #data, #error> {
                self.pages().items()
            }
        }

        #paged_doc
        impl crate::paging::Paged for #data {
            type Item = #item;
            fn has_more(&self) -> bool {
                self.has_more.unwrap_or(false)
            }
            fn next_page_token(&self) -> Option<&str> {
                self.page_token.as_deref()
            }
            fn into_items(self) -> Vec<#item> {
                self.#items_field.unwrap_or_default()
            }
        }
    })
}

/// Which token setters the builder has, as the runtime's
/// `request_options!` takes it: `user`, without `tenant_access_token`,
/// where only user tokens are taken (the runtime refuses one set through
/// `.options(..)` too), else all of them.
fn token_setters(tokens: &[AccessToken]) -> TokenStream {
    if tokens == [AccessToken::User] {
        quote!(user)
    } else {
        quote!()
    }
}

/// What the builder holds of its query or body: its field, the field's
/// start value and the setter of the whole struct. None of them when the
/// endpoint has no such part: a field of type `()` would never be read, a
/// warning in the generated crate.
#[derive(Default)]
struct Part {
    field: Option<TokenStream>,
    init: Option<TokenStream>,
    whole: Option<TokenStream>,
}

fn part(object: Option<&Object>, name: &str, whole_doc: &str) -> Part {
    let Some(object) = object else {
        return Part::default();
    };
    let name = ident(name);
    let ty = ident(&object.rust_name);
    let whole_doc = docs::doc(whole_doc);
    Part {
        field: Some(quote!(#name: #ty,)),
        init: Some(quote!(#name: Default::default(),)),
        whole: Some(quote! {
            #whole_doc
            pub fn #name(mut self, #name: #ty) -> Self {
                self.#name = #name;
                self
            }
        }),
    }
}
