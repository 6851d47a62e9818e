//! syn nodes built directly, for the shapes a file repeats by the dozen:
//! doc lines, struct fields, enum variants and match arms. Parsing them back
//! from `quote!` tokens cost several times more than building them
//! (BENCHMARKS.md, generator section); code with logic in it (function
//! bodies) is still written with `quote!` and parsed by syn.

use proc_macro2::{Literal, TokenStream};

use super::ident;
use syn::punctuated::Punctuated;

/// The path `a::b::…` made of already-checked identifiers.
pub fn path(segments: &[&str]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|s| syn::PathSegment::from(ident(s)))
            .collect(),
    }
}

/// `#[doc = "line"]`, or `#![doc = "line"]` for `Inner`; prettyplease
/// prints it as a `///` (or `//!`) line.
pub fn doc_line(style: syn::AttrStyle, line: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: path(&["doc"]),
            eq_token: Default::default(),
            value: literal(super::string_literal::raw(line)),
        }),
    }
}

/// `#[name(tokens)]`, such as `#[derive(..)]` or `#[serde(..)]`. syn keeps
/// the tokens inside as they are, so they need no parsing either.
pub fn attribute(name: &str, tokens: TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: path(&[name]),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        }),
    }
}

/// The type named `name`, such as `String` or a generated struct.
pub fn named_type(name: &str) -> syn::Type {
    syn::Type::Path(syn::TypePath {
        qself: None,
        path: path(&[name]),
    })
}

/// `outer<inner>`, such as `Option<String>` or `Vec<i64>`.
pub fn generic_type(outer: &str, inner: syn::Type) -> syn::Type {
    let mut path = path(&[outer]);
    path.segments[0].arguments =
        syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: [syn::GenericArgument::Type(inner)].into_iter().collect(),
            gt_token: Default::default(),
        });
    syn::Type::Path(syn::TypePath { qself: None, path })
}

fn public() -> syn::Visibility {
    syn::Visibility::Public(Default::default())
}

/// `pub struct name { fields }`
pub fn public_struct(
    attrs: Vec<syn::Attribute>,
    name: &str,
    fields: impl IntoIterator<Item = syn::Field>,
) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// `pub name: ty` inside a struct.
pub fn public_field(attrs: Vec<syn::Attribute>, name: &str, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: public(),
        mutability: syn::FieldMutability::None,
        ident: Some(ident(name)),
        colon_token: Some(Default::default()),
        ty,
    }
}

/// `pub enum name { variants }`
pub fn public_enum(
    attrs: Vec<syn::Attribute>,
    name: &str,
    variants: impl IntoIterator<Item = syn::Variant>,
) -> syn::Item {
    syn::Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        brace_token: Default::default(),
        variants: variants.into_iter().collect(),
    })
}

/// `name`, or `name(ty)` when it holds a value.
pub fn variant(attrs: Vec<syn::Attribute>, name: &str, holds: Option<syn::Type>) -> syn::Variant {
    let fields = match holds {
        None => syn::Fields::Unit,
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: [syn::Field {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                mutability: syn::FieldMutability::None,
                ident: None,
                colon_token: None,
                ty,
            }]
            .into_iter()
            .collect(),
        }),
    };
    syn::Variant {
        attrs,
        ident: ident(name),
        fields,
        discriminant: None,
    }
}

/// `path!(tokens);` at item level.
pub fn macro_call(path: syn::Path, tokens: TokenStream) -> syn::Item {
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path,
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        },
        semi_token: Some(Default::default()),
    })
}

/// `pat => body,`
pub fn arm(pat: syn::Pat, body: syn::Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// `Self::variant`, as an expression.
pub fn self_variant(name: &str) -> syn::Expr {
    syn::Expr::Path(expr_path(&["Self", name]))
}

/// `Self::variant`, as a pattern.
pub fn self_variant_pattern(name: &str) -> syn::Pat {
    syn::Pat::Path(expr_path(&["Self", name]))
}

/// A literal expression.
pub fn literal(token: Literal) -> syn::Expr {
    syn::Expr::Lit(expr_lit(token))
}

/// A literal pattern.
pub fn literal_pattern(token: Literal) -> syn::Pat {
    syn::Pat::Lit(expr_lit(token))
}

/// `[elems]`
pub fn array(elems: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `Some(value)`
pub fn some(value: syn::Expr) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(syn::Expr::Path(expr_path(&["Some"]))),
        paren_token: Default::default(),
        args: [value].into_iter().collect(),
    })
}

// syn uses the same node for a path or literal in an expression and in a
// pattern.
fn expr_path(segments: &[&str]) -> syn::ExprPath {
    syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
    }
}

fn expr_lit(token: Literal) -> syn::ExprLit {
    syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::new(token),
    }
}

/// `&path { field: value, … }`
pub fn struct_ref(path: syn::Path, fields: Vec<(&str, syn::Expr)>) -> syn::Expr {
    let fields: Punctuated<syn::FieldValue, syn::Token![,]> = fields
        .into_iter()
        .map(|(name, expr)| syn::FieldValue {
            attrs: Vec::new(),
            member: syn::Member::Named(ident(name)),
            colon_token: Some(Default::default()),
            expr,
        })
        .collect();
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(syn::Expr::Struct(syn::ExprStruct {
            attrs: Vec::new(),
            qself: None,
            path,
            brace_token: Default::default(),
            fields,
            dot2_token: None,
            rest: None,
        })),
    })
}

/// Puts `arms` before the arms of the `match` that ends `function`'s body,
/// which a template parsed from `quote!` holds with only its catch-all arm.
pub fn prepend_arms(function: &mut syn::ImplItemFn, arms: impl IntoIterator<Item = syn::Arm>) {
    let Some(syn::Stmt::Expr(syn::Expr::Match(m), None)) = function.block.stmts.last_mut() else {
        unreachable!("the template of `{}` ends in a match", function.sig.ident)
    };
    m.arms.splice(0..0, arms);
}
