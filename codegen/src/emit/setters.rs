//! The request builder's setters, one per query parameter and body field:
//! the shape a builder repeats by the dozen. Each is a copy of one of two
//! templates, parsed once per thread, with its names and type put in;
//! parsing every setter from `quote!` tokens was the largest parse of an
//! endpoint file (BENCHMARKS.md, `cargo xtask codegen` as users run it).

use quote::quote;
use syn::visit_mut::{self, VisitMut};

use super::{docs, ident, types};
use crate::ir::{Field, Type};

thread_local! {
    /// `(scalar, list)`: `pub fn name(self, value: impl Into<T>) -> Self`
    /// and, for a list, any `IntoIterator` of `impl Into<T>`.
    static TEMPLATES: (syn::ImplItemFn, syn::ImplItemFn) = (
        syn::parse2(quote! {
            pub fn __name(mut self, value: impl Into<__Item>) -> Self {
                self.__part.__member = Some(value.into());
                self
            }
        })
        .expect("the scalar setter template parses"),
        syn::parse2(quote! {
            pub fn __name<I>(mut self, values: I) -> Self
            where
                I: IntoIterator,
                I::Item: Into<__Item>,
            {
                self.__part.__member = Some(values.into_iter().map(Into::into).collect());
                self
            }
        })
        .expect("the list setter template parses"),
    );
}

/// The setter `name` of `field`, which sits in the builder's `part`
/// (`query` or `body`), documented as the field.
pub fn setter(field: &Field, part: &str, name: syn::Ident) -> syn::ImplItem {
    let (item, list) = match &field.ty {
        Type::Array(item) => (types::rust_type(item), true),
        ty => (types::rust_type(ty), false),
    };
    let mut function = TEMPLATES.with(|(scalar, each)| if list { each } else { scalar }.clone());
    Fill {
        name,
        part: ident(part),
        member: ident(&field.rust_name),
        item,
    }
    .visit_impl_item_fn_mut(&mut function);
    function.attrs = docs::field(field);
    syn::ImplItem::Fn(function)
}

/// Puts the setter's names and item type in place of the template's.
struct Fill {
    name: syn::Ident,
    part: syn::Ident,
    member: syn::Ident,
    item: syn::Type,
}

impl VisitMut for Fill {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if ident == "__name" {
            *ident = self.name.clone();
        } else if ident == "__part" {
            *ident = self.part.clone();
        } else if ident == "__member" {
            *ident = self.member.clone();
        }
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        match ty {
            syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident("__Item") => {
                *ty = self.item.clone();
            }
            _ => visit_mut::visit_type_mut(self, ty),
        }
    }
}
