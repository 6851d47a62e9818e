//! Events: one module per event type, holding the struct of its `event`
//! object, and per API version one enum that dispatches a delivery on its
//! event type.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, named_types, shared_reexport, types};
use crate::ir::{Envelope, EventType};

/// The module of a version's event enum, beside its resource modules.
pub const ENUM_MODULE: &str = "events";

/// The whole file of one event type.
pub fn event_file(event: &EventType) -> TokenStream {
    let module_doc = docs::module_doc(&event_doc(event));
    let shared = shared_reexport(event.shared.as_ref());
    let name = ident(event.rust_name());
    let wire = &event.wire;
    let body = types::object(&event.body);
    let named = named_types(&event.types);
    quote! {
        #module_doc
        #shared
        #body
        impl crate::events::TypedEvent for #name {
            const EVENT_TYPE: &'static str = #wire;
        }
        #named
    }
}

/// The page's title, summary and facts.
fn event_doc(event: &EventType) -> String {
    let envelope = match event.envelope {
        Envelope::V2 => "2.0 envelope: `header.event_type`",
        Envelope::V1 => "1.0 envelope: `event.type`",
    };
    let mut text = format!(
        "{}\n\n{}\n\nEvent type `{}` ({envelope}; [docs]({}), updated {})",
        event.source.title,
        event.summary,
        event.wire,
        event.source.url,
        event.source.last_remote_update,
    );
    let mut facts = Vec::new();
    if !event.app_types.is_empty() {
        facts.push(format!("- Apps: {}", docs::app_types(&event.app_types)));
    }
    if !event.scopes.is_empty() {
        let scopes = docs::scopes(&event.scopes);
        facts.push(format!("- Scopes to subscribe, any one of: {scopes}"));
    }
    for s in &event.field_scopes {
        facts.push(format!("- Field scope: `{}` ({})", s.name, s.description));
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join("\n"));
    }
    if !event.notes.is_empty() {
        text.push_str("\n\n# Notes\n\n");
        let notes: Vec<String> = event.notes.iter().map(|n| format!("- {n}")).collect();
        text.push_str(&notes.join("\n"));
    }
    text
}

/// The enum's name for the version at `path` (`["im", "v1"]`): `ImEvent`.
pub fn enum_name(path: &[String]) -> String {
    format!("{}Event", path[0].to_upper_camel_case())
}

/// The module of one version's events (`path` is the version's, e.g.
/// `["im", "v1"]`): each event's struct re-exported, and the enum that
/// reads a delivery into the struct of its event type.
pub fn enum_file(path: &[String], events: &[&EventType]) -> TokenStream {
    let name = ident(&enum_name(path));
    let reexports = events.iter().map(|e| {
        let module = e.module_path[2..].iter().map(|m| ident(m));
        let ty = ident(e.rust_name());
        quote!(pub use super::#(#module)::*::#ty;)
    });
    let variants = events.iter().map(|e| {
        let ty = ident(e.rust_name());
        let doc = docs::doc(&format!("{} (`{}`)", e.source.title, e.wire));
        quote!(#doc #ty(#ty),)
    });
    let arms = events.iter().map(|e| variant_arm(e, false));
    let type_arms = events.iter().map(|e| variant_arm(e, true));
    let enum_doc = docs::doc(&format!(
        "An event of `{}`, read from a delivery by its event type. A type not \
         described here is [`Self::Other`], kept as delivered: new event types \
         never fail a handler.",
        path.join("/")
    ));
    let module_doc = docs::module_doc(&format!(
        "The events under `{}`: each event's struct, and [`{}`], which reads any of them.",
        path.join("/"),
        enum_name(path)
    ));
    quote! {
        #module_doc
        use crate::events::{Event, EventDecodeError, TypedEvent};
        #(#reexports)*

        #enum_doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        #[allow(
            clippy::large_enum_variant,
            reason = "an event is read once and matched where it is read; boxed variants would make every pattern dereference"
        )]
        pub enum #name {
            #(#variants)*
            /// An event type not described here, as delivered.
            Other(Box<Event>),
        }

        impl #name {
            /// Reads `event` into the struct of its event type.
            ///
            /// # Errors
            ///
            /// A described event type whose `event` object does not fit its
            /// struct; an event type not described here is [`Self::Other`].
            pub fn from_event(event: &Event) -> Result<Self, EventDecodeError> {
                Ok(match event.event_type.as_str() {
                    #(#arms)*
                    _ => Self::Other(Box::new(event.clone())),
                })
            }

            /// The event type, e.g. `im.chat.disbanded_v1`.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#type_arms)*
                    Self::Other(event) => &event.event_type,
                }
            }
        }
    }
}

/// A `match` arm of `from_event` (or, `by_variant`, of `event_type`).
fn variant_arm(event: &EventType, by_variant: bool) -> TokenStream {
    let ty = ident(event.rust_name());
    if by_variant {
        quote!(Self::#ty(_) => <#ty as TypedEvent>::EVENT_TYPE,)
    } else {
        let wire = &event.wire;
        quote!(#wire => Self::#ty(#ty::from_event(event)?),)
    }
}
