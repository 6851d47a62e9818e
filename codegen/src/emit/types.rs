//! Structs and open enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, integer};
use crate::ir::{Enum, Field, Object, Type};

/// The Rust type of a field's value, without `Option`.
pub fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Boolean => quote!(bool),
        Type::Integer => quote!(i64),
        Type::Number => quote!(f64),
        Type::Enum(name) | Type::IntEnum(name) | Type::Object(name) => {
            let name = ident(name);
            quote!(#name)
        }
        Type::Array(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        // Spelled out in full: a schema may name a type `BTreeMap`.
        Type::Map(value) => {
            let value = rust_type(value);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        // Through the runtime, which the API crate depends on by name.
        Type::Json => quote!(::feishu_runtime::serde_json::Value),
        Type::File => quote!(::feishu_runtime::upload::UploadFile),
    }
}

/// A struct whose fields are all `Option`s, required ones included: it
/// derives `Default`, so documenting a field as required breaks no caller,
/// and validation names a missing one before anything is sent. Its serde
/// impls are the runtime's `object_impls!`, which is all such a struct
/// needs and far less to compile than serde's derive.
pub fn object(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let wire = wire_names(object);
    let definition = object_struct(object);
    quote! {
        #definition
        crate::object::object_impls!(#name { #(#wire),* });
    }
}

/// A request body that holds a file: the same struct, sent as
/// `multipart/form-data` through the runtime's `form_impls!`.
pub fn form_object(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let wire = wire_names(object);
    let definition = object_struct(object);
    quote! {
        #definition
        crate::upload::form_impls!(#name { #(#wire),* });
    }
}

/// `field = "wire"` of each field, as the runtime's macros take them.
fn wire_names(object: &Object) -> impl Iterator<Item = TokenStream> + '_ {
    object.fields.iter().map(|f| {
        let (name, wire) = (ident(&f.rust_name), &f.wire_name);
        quote!(#name = #wire)
    })
}

fn object_struct(object: &Object) -> TokenStream {
    let mut text = object.description.clone();
    if !object.rules.is_empty() {
        text.push_str("\n\nChecked before sending:\n");
        for rule in &object.rules {
            text.push_str(&format!("\n- {}", rule.description));
        }
    }
    let doc = docs::doc(&text);
    let name = ident(&object.rust_name);
    let fields = object.fields.iter().map(field);
    quote! {
        #doc
        #[derive(Clone, Debug, Default)]
        pub struct #name {
            #(#fields),*
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let doc = docs::field(field);
    let name = ident(&field.rust_name);
    let ty = rust_type(&field.ty);
    quote! {
        #doc
        pub #name: Option<#ty>
    }
}

/// An open enum: documented values as variants, anything else kept as sent.
pub fn enumeration(e: &Enum) -> TokenStream {
    if e.integer {
        return integer_enumeration(e);
    }
    let name = ident(&e.rust_name);
    let doc = docs::doc(&format!(
        "{}\n\nOpen to values the docs do not list yet: those decode into `Unknown` and encode back unchanged; values compare by their wire value.",
        e.description
    ));
    let variants = variants(e);
    let unknown_doc = unknown_doc();
    let mut documented_doc = "The documented variant that `wire` names, if any.".to_owned();
    if !e.aliases.is_empty() {
        documented_doc.push_str("\n\nAlso accepted, and encoded in the documented spelling:\n");
        for a in &e.aliases {
            documented_doc.push_str(&format!(
                "\n- `{:?}` means `{}`: {}",
                a.wire, a.variant, a.reason
            ));
        }
    }
    let documented_doc = docs::doc(&documented_doc);
    let as_str = e.variants.iter().map(|v| {
        let (variant, wire) = (ident(&v.rust_name), &v.wire);
        quote!(Self::#variant => #wire,)
    });
    let spellings = e.variants.iter().map(|v| (&v.wire, &v.rust_name));
    let aliases = e.aliases.iter().map(|a| (&a.wire, &a.variant));
    let documented = spellings.chain(aliases).map(|(wire, variant)| {
        let variant = ident(variant);
        quote!(#wire => Some(Self::#variant),)
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #variants
            #unknown_doc
            Unknown(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(wire) => wire,
                }
            }

            #documented_doc
            pub fn documented(wire: &str) -> Option<Self> {
                match wire {
                    #(#documented)*
                    _ => None,
                }
            }
        }

        crate::open_enum::open_enum_impls!(#name);
    }
}

/// An open enum of integers: like a string one, with `as_i64` for
/// `as_str` and `Unknown(i64)`.
fn integer_enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = docs::doc(&format!(
        "{}\n\nSent and read as a JSON integer. Open to values the docs do not list yet: those decode into `Unknown` and encode back unchanged; values compare by their wire value.",
        e.description
    ));
    let variants = variants(e);
    let unknown_doc = unknown_doc();
    let names: Vec<proc_macro2::Ident> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let numbers: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|v| integer(v.number.expect("the checker gives integer enums numbers")))
        .collect();
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #variants
            #unknown_doc
            Unknown(i64),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(Self::#names => #numbers,)*
                    Self::Unknown(wire) => *wire,
                }
            }

            /// The documented variant that `wire` names, if any.
            pub fn documented(wire: i64) -> Option<Self> {
                match wire {
                    #(#numbers => Some(Self::#names),)*
                    _ => None,
                }
            }
        }

        crate::open_enum::open_int_enum_impls!(#name);
    }
}

/// The documented variants, each with its wire value and meaning.
fn variants(e: &Enum) -> TokenStream {
    e.variants
        .iter()
        .map(|v| {
            let doc = docs::doc(&format!("`{}`: {}", v.wire, v.description));
            let variant = ident(&v.rust_name);
            quote!(#doc #variant,)
        })
        .collect()
}

fn unknown_doc() -> TokenStream {
    docs::doc("A value the docs do not list, kept exactly as the server sent it.")
}
