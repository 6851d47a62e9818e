//! Structs and open enums.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ast, docs, ident, integer};
use crate::ir::{Enum, Field, Object, Type};

/// The Rust type of a field's value, without `Option`.
pub fn rust_type(ty: &Type) -> syn::Type {
    match ty {
        Type::String => ast::named_type("String"),
        Type::Boolean => ast::named_type("bool"),
        Type::Integer => ast::named_type("i64"),
        Type::Number => ast::named_type("f64"),
        Type::Enum(name) | Type::IntEnum(name) | Type::Object(name) => ast::named_type(name),
        Type::Array(inner) => ast::generic_type("Vec", rust_type(inner)),
    }
}

/// A struct whose fields are all `Option`s, required ones included: it
/// derives `Default`, so documenting a field as required breaks no caller,
/// and validation names a missing one before anything is sent.
pub fn object(object: &Object) -> syn::Item {
    let mut text = object.description.clone();
    if !object.rules.is_empty() {
        text.push_str("\n\nChecked before sending:\n");
        for rule in &object.rules {
            text.push_str(&format!("\n- {}", rule.description));
        }
    }
    let mut attrs = docs::doc(&text);
    attrs.push(ast::attribute(
        "derive",
        quote!(Clone, Debug, Default, PartialEq, Serialize, Deserialize),
    ));
    ast::public_struct(attrs, &object.rust_name, object.fields.iter().map(field))
}

fn field(field: &Field) -> syn::Field {
    let mut attrs = docs::field(field);
    if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        attrs.push(ast::attribute("serde", quote!(rename = #wire)));
    }
    let ty = rust_type(&field.ty);
    attrs.push(ast::attribute(
        "serde",
        quote!(skip_serializing_if = "Option::is_none"),
    ));
    ast::public_field(attrs, &field.rust_name, ast::generic_type("Option", ty))
}

/// An open enum: documented values as variants, anything else kept as sent.
pub fn enumeration(e: &Enum) -> Vec<syn::Item> {
    if e.integer {
        return integer_enumeration(e);
    }
    let name = ident(&e.rust_name);
    let mut attrs = docs::doc(&format!(
        "{}\n\nOpen to values the docs do not list yet: those decode into `Unknown` and encode back unchanged.",
        e.description
    ));
    attrs.push(ast::attribute(
        "derive",
        quote!(Clone, Debug, PartialEq, Eq, Hash),
    ));
    let documented = e.variants.iter().map(|v| {
        let doc = docs::doc(&format!("`{}`: {}", v.wire, v.description));
        ast::variant(doc, &v.rust_name, None)
    });
    let unknown = ast::variant(
        docs::doc("A value the docs do not list, kept exactly as the server sent it."),
        "Unknown",
        Some(ast::named_type("String")),
    );
    let declaration = ast::public_enum(attrs, &e.rust_name, documented.chain([unknown]));

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
    let mut methods = ENUM_METHODS.with(Clone::clone);
    methods.self_ty = Box::new(ast::named_type(&e.rust_name));
    let [syn::ImplItem::Fn(as_str), syn::ImplItem::Fn(documented)] = &mut methods.items[..] else {
        unreachable!("the impl holds as_str and documented")
    };
    documented.attrs = docs::doc(&documented_doc);
    ast::prepend_arms(
        as_str,
        e.variants.iter().map(|v| {
            ast::arm(
                ast::self_variant_pattern(&v.rust_name),
                ast::literal(Literal::string(&v.wire)),
            )
        }),
    );
    let spellings = e.variants.iter().map(|v| (&v.wire, &v.rust_name));
    let aliases = e.aliases.iter().map(|a| (&a.wire, &a.variant));
    ast::prepend_arms(
        documented,
        spellings.chain(aliases).map(|(wire, variant)| {
            ast::arm(
                ast::literal_pattern(Literal::string(wire)),
                ast::some(ast::self_variant(variant)),
            )
        }),
    );
    let traits = ast::macro_call(
        ast::path(&["crate", "open_enum", "open_enum_impls"]),
        quote!(#name),
    );
    vec![declaration, syn::Item::Impl(methods), traits]
}

/// An open enum of integers: like a string one, with `as_i64` for
/// `as_str` and `Unknown(i64)`. Such enums are few; their methods are
/// written with `quote!` and parsed.
fn integer_enumeration(e: &Enum) -> Vec<syn::Item> {
    let name = ident(&e.rust_name);
    let mut attrs = docs::doc(&format!(
        "{}\n\nSent and read as a JSON integer. Open to values the docs do not list yet: those decode into `Unknown` and encode back unchanged.",
        e.description
    ));
    attrs.push(ast::attribute(
        "derive",
        quote!(Clone, Copy, Debug, PartialEq, Eq, Hash),
    ));
    let documented = e.variants.iter().map(|v| {
        let doc = docs::doc(&format!("`{}`: {}", v.wire, v.description));
        ast::variant(doc, &v.rust_name, None)
    });
    let unknown = ast::variant(
        docs::doc("A value the docs do not list, kept exactly as the server sent it."),
        "Unknown",
        Some(ast::named_type("i64")),
    );
    let declaration = ast::public_enum(attrs, &e.rust_name, documented.chain([unknown]));
    let variants: Vec<syn::Ident> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let numbers: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|v| integer(v.number.expect("the checker gives integer enums numbers")))
        .collect();
    let methods: syn::ItemImpl = syn::parse2(quote! {
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(Self::#variants => #numbers,)*
                    Self::Unknown(wire) => *wire,
                }
            }

            /// The documented variant that `wire` names, if any.
            pub fn documented(wire: i64) -> Option<Self> {
                match wire {
                    #(#numbers => Some(Self::#variants),)*
                    _ => None,
                }
            }
        }
    })
    .expect("the integer enum's methods are valid Rust");
    let traits = ast::macro_call(
        ast::path(&["crate", "open_enum", "open_int_enum_impls"]),
        quote!(#name),
    );
    vec![declaration, syn::Item::Impl(methods), traits]
}

thread_local! {
    /// The methods every open enum has, with only their catch-all arms:
    /// parsed once, since a clone costs a fraction of a parse.
    static ENUM_METHODS: syn::ItemImpl = syn::parse2(quote! {
        impl Template {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unknown(wire) => wire,
                }
            }

            pub fn documented(wire: &str) -> Option<Self> {
                match wire {
                    _ => None,
                }
            }
        }
    })
    .expect("the template is valid Rust");
}
