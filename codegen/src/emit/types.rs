//! Structs and open enums.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs;
use crate::ir::{Enum, Field, NamedType, Object, Type};

/// An identifier the IR has already checked.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a field's value, without `Option`.
pub fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Boolean => quote!(bool),
        Type::Integer => quote!(i64),
        Type::Number => quote!(f64),
        Type::Enum(name) | Type::Object(name) => {
            let name = ident(name);
            quote!(#name)
        }
        Type::Array(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
    }
}

/// A struct, with `Default` where every field allows it.
pub fn object(object: &Object, types: &[NamedType]) -> TokenStream {
    let name = ident(&object.rust_name);
    let doc = docs::doc(&object.description);
    let default = if object.fields.iter().all(|f| has_default(f, types)) {
        quote!(Default,)
    } else {
        quote!()
    };
    let fields = object.fields.iter().map(field);
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, Serialize, Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let doc = docs::field(field);
    let name = ident(&field.rust_name);
    let ty = rust_type(&field.ty);
    let rename = if field.rust_name == field.wire_name {
        quote!()
    } else {
        let wire = &field.wire_name;
        quote!(#[serde(rename = #wire)])
    };
    if field.required {
        quote! {
            #doc
            #rename
            pub #name: #ty,
        }
    } else {
        quote! {
            #doc
            #rename
            #[serde(skip_serializing_if = "Option::is_none")]
            pub #name: Option<#ty>,
        }
    }
}

fn has_default(field: &Field, types: &[NamedType]) -> bool {
    !field.required || type_has_default(&field.ty, types)
}

fn type_has_default(ty: &Type, types: &[NamedType]) -> bool {
    match ty {
        Type::Enum(_) => false,
        Type::Object(name) => types.iter().any(|t| match t {
            NamedType::Object(o) if o.rust_name == *name => {
                o.fields.iter().all(|f| has_default(f, types))
            }
            _ => false,
        }),
        _ => true,
    }
}

/// An open enum: documented values as variants, anything else kept as sent.
pub fn enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = docs::doc(&format!(
        "{}\n\nOpen to values the docs do not list yet: those decode into `Unknown` and encode back unchanged.",
        e.description
    ));
    let variants = e.variants.iter().map(|v| {
        let doc = docs::doc(&format!("`{}`: {}", v.wire, v.description));
        let variant = ident(&v.rust_name);
        quote!(#doc #variant,)
    });
    let to_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire;
        quote!(#wire => Some(Self::#variant),)
    });
    let aliases = e.aliases.iter().map(|a| {
        let variant = ident(&a.variant);
        let wire = &a.wire;
        quote!(#wire => Some(Self::#variant),)
    });
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
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value the docs do not list, kept exactly as the server sent it.
            Unknown(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::Unknown(wire) => wire,
                }
            }

            #documented_doc
            pub fn documented(wire: &str) -> Option<Self> {
                match wire {
                    #(#from_wire)*
                    #(#aliases)*
                    _ => None,
                }
            }
        }

        crate::open_enum::open_enum_impls!(#name);
    }
}
