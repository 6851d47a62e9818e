//! `Validate` impls (documented limits and cross-field rules) and
//! `QueryParams` impls. Their bodies are built as syn nodes
//! ([`super::code`]); the impl around them is parsed once per thread and
//! cloned.

use proc_macro2::{Literal as Lit, Span};
use quote::quote;

use super::ast;
use super::code::{self, var};
use crate::ir::{Check, Condition, CrossFieldRule, Field, Object, Scalar, Type};

thread_local! {
    /// `impl Validate`, empty: with the parameters its checks use, and
    /// with them unused for an object that has nothing to check.
    static VALIDATE: [syn::ItemImpl; 2] = [
        template(quote! {
            impl crate::validate::Validate for Template {
                fn validate(&self, at: &str, out: &mut Vec<crate::validate::Violation>) {}
            }
        }),
        template(quote! {
            impl crate::validate::Validate for Template {
                fn validate(&self, _at: &str, _out: &mut Vec<crate::validate::Violation>) {}
            }
        }),
    ];
    /// `impl QueryParams`, empty: with `pairs`, and with it unused for a
    /// query without fields.
    static QUERY_PARAMS: [syn::ItemImpl; 2] = [
        template(quote! {
            impl crate::query::QueryParams for Template {
                fn append_to(&self, pairs: &mut Vec<(&'static str, String)>) {}
            }
        }),
        template(quote! {
            impl crate::query::QueryParams for Template {
                fn append_to(&self, _pairs: &mut Vec<(&'static str, String)>) {}
            }
        }),
    ];
}

fn template(tokens: proc_macro2::TokenStream) -> syn::ItemImpl {
    syn::parse2(tokens).expect("the template is valid Rust")
}

/// The template `templates[which]` for `name`, its function's body `stmts`.
fn fill(
    templates: &'static std::thread::LocalKey<[syn::ItemImpl; 2]>,
    which: usize,
    name: &str,
    stmts: Vec<syn::Stmt>,
) -> syn::Item {
    let mut item = templates.with(|t| t[which].clone());
    item.self_ty = Box::new(ast::named_type(name));
    code::only_function(&mut item).block.stmts = stmts;
    syn::Item::Impl(item)
}

/// `impl Validate for` the object.
pub fn validate_impl(object: &Object) -> syn::Item {
    if !object.validates {
        return fill(&VALIDATE, 1, &object.rust_name, Vec::new());
    }
    let required = object
        .fields
        .iter()
        .filter(|f| f.required)
        .map(required_check);
    let limits = object.fields.iter().flat_map(limit_checks);
    let nested = object
        .fields
        .iter()
        .filter(|f| f.validates_inside)
        .map(nested_check);
    let rules = object.rules.iter().flat_map(rule_checks);
    let stmts = required.chain(limits).chain(nested).chain(rules).collect();
    fill(&VALIDATE, 0, &object.rust_name, stmts)
}

fn opt_usize(value: Option<usize>) -> syn::Expr {
    code::option(value.map(|v| ast::literal(Lit::usize_unsuffixed(v))))
}

fn opt_i64(value: Option<i64>) -> syn::Expr {
    code::option(value.map(code::integer))
}

/// The checks of a field's own limits:
/// `crate::validate::chars(at, "wire", value, min, max, out);` (or `items`,
/// or `range` for an integer), then
/// `crate::validate::pattern(at, "wire", value, "pattern", out);`.
fn limit_checks(field: &Field) -> Vec<syn::Stmt> {
    let limits = &field.limits;
    let member = || code::self_field(&field.rust_name);
    let check = |function: &str, args: Vec<syn::Expr>| {
        let mut all = vec![var("at"), code::string(&field.wire_name)];
        all.extend(args);
        all.push(var("out"));
        code::statement(code::call(&["crate", "validate", function], all))
    };
    let mut checks = Vec::new();
    match field.ty {
        Type::String if limits.min_length.is_some() || limits.max_length.is_some() => {
            checks.push(check(
                "chars",
                vec![
                    code::method(member(), "as_deref", Vec::new()),
                    opt_usize(limits.min_length),
                    opt_usize(limits.max_length),
                ],
            ));
        }
        Type::Array(_) if limits.min_items.is_some() || limits.max_items.is_some() => {
            checks.push(check(
                "items",
                vec![
                    code::method(member(), "as_deref", Vec::new()),
                    opt_usize(limits.min_items),
                    opt_usize(limits.max_items),
                ],
            ));
        }
        Type::Integer if limits.minimum.is_some() || limits.maximum.is_some() => {
            checks.push(check(
                "range",
                vec![member(), opt_i64(limits.minimum), opt_i64(limits.maximum)],
            ));
        }
        _ => {}
    }
    if let (Type::String, Some(pattern)) = (&field.ty, &limits.pattern) {
        checks.push(check(
            "pattern",
            vec![
                code::method(member(), "as_deref", Vec::new()),
                code::string(pattern),
            ],
        ));
    }
    checks
}

/// `if let Some(value) = &self.field { <check> }`
fn nested_check(field: &Field) -> syn::Stmt {
    let check = validate_nested(&field.ty, var("value"), path_of(field), 0);
    let value = code::reference(code::self_field(&field.rust_name));
    code::if_statement(
        code::let_condition(code::some_binding("value"), value),
        check,
    )
}

/// Validates `value` of type `ty` whose path is the `String` expression
/// `at`; arrays (of any depth) index into the path:
/// `let at0 = <at>; for (i0, item0) in value.iter().enumerate() { .. }`,
/// and at the bottom `crate::validate::Validate::validate(value, &at, out);`.
fn validate_nested(ty: &Type, value: syn::Expr, at: syn::Expr, depth: usize) -> Vec<syn::Stmt> {
    match ty {
        Type::Array(inner) => {
            let base = format!("at{depth}");
            let index = format!("i{depth}");
            let item = format!("item{depth}");
            let element = format!("{{{base}}}[{{{index}}}]");
            let check = validate_nested(inner, var(&item), code::format(&element), depth + 1);
            let items = code::method(
                code::method(value, "iter", Vec::new()),
                "enumerate",
                Vec::new(),
            );
            vec![
                code::local(&base, at),
                code::for_statement(code::tuple_binding(&[&index, &item]), items, check),
            ]
        }
        _ => vec![code::statement(code::call(
            &["crate", "validate", "Validate", "validate"],
            vec![value, code::reference(at), var("out")],
        ))],
    }
}

/// The field's value as `Option<&str>` (or `Option<bool>`), with its
/// documented default standing in when it is absent, e.g.
/// `self.kind.as_ref().map(Kind::as_str).or(Some("open"))`.
fn wire_value(field: &Field) -> syn::Expr {
    let member = code::self_field(&field.rust_name);
    let value = match &field.ty {
        Type::Enum(name) => code::method(
            code::method(member, "as_ref", Vec::new()),
            "map",
            vec![code::path(&[name, "as_str"])],
        ),
        Type::String => code::method(member, "as_deref", Vec::new()),
        _ => member,
    };
    match &field.default {
        Some(default) if !field.required => {
            code::method(value, "or", vec![ast::some(scalar(default))])
        }
        _ => value,
    }
}

/// A scalar as `quote!` writes one: `i64` and `f64` with their suffix.
fn scalar(value: &Scalar) -> syn::Expr {
    match value {
        Scalar::Bool(b) => syn::Expr::Lit(syn::ExprLit {
            attrs: Vec::new(),
            lit: syn::Lit::Bool(syn::LitBool::new(*b, Span::call_site())),
        }),
        Scalar::Str(s) => code::string(s),
        Scalar::Int(i) => ast::literal(Lit::i64_suffixed(*i)),
        Scalar::Number(n) => ast::literal(Lit::f64_suffixed(*n)),
    }
}

fn condition_text(condition: &Option<Condition>) -> Option<String> {
    condition
        .as_ref()
        .map(|c| format!("{} = {}", c.field.wire_name, c.equals.to_json()))
}

/// One `if <condition> && <guard> { out.push(Violation { .. }); }` per way
/// the rule can be broken.
fn rule_checks(rule: &CrossFieldRule) -> Vec<syn::Stmt> {
    let when = || code::option(condition_text(&rule.when).map(|text| code::string(&text)));
    let code = || {
        code::option(
            rule.error_code
                .map(|c| ast::literal(Lit::i64_unsuffixed(c))),
        )
    };
    let condition = || {
        rule.when
            .as_ref()
            .map(|c| code::eq(wire_value(&c.field), ast::some(scalar(&c.equals))))
    };
    let limit = |name: &'static str| ["crate", "validate", "Limit", name];
    // Each check is a guard (true when broken), the path of what breaks
    // and the limit it breaks.
    let guards: Vec<(syn::Expr, syn::Expr, syn::Expr)> = match &rule.check {
        // Checked unconditionally already.
        Check::Required(field) if field.required => Vec::new(),
        Check::Required(field) => {
            vec![(
                missing(field),
                path_of(field),
                code::path(&limit("Required")),
            )]
        }
        Check::MinLength(field, min) => {
            let min = || ast::literal(Lit::usize_unsuffixed(*min));
            let count = code::method(
                code::method(var("v"), "chars", Vec::new()),
                "count",
                Vec::new(),
            );
            let actual = code::method(wire_value(field), "map", vec![code::closure("v", count)]);
            // `let Some(actual) = .. && actual < min`
            let guard = code::and(
                code::let_condition(code::some_binding("actual"), actual),
                code::lt(var("actual"), min()),
            );
            let broken = code::struct_literal(
                &limit("MinChars"),
                vec![("min", Some(min())), ("actual", None)],
            );
            vec![(guard, path_of(field), broken)]
        }
        Check::NotAllEqual(fields, value) => {
            let values = fields.iter().map(wire_value).collect();
            let is_value = code::eq(code::deref(var("v")), ast::some(code::string(value)));
            let guard = code::method(
                code::method(code::array(values), "iter", Vec::new()),
                "all",
                vec![code::closure("v", is_value)],
            );
            let names = fields.iter().map(|f| code::string(&f.wire_name)).collect();
            let broken = code::struct_literal(
                &limit("NotAllEqual"),
                vec![
                    ("fields", Some(code::reference(code::array(names)))),
                    ("value", Some(code::string(value))),
                ],
            );
            vec![(
                guard,
                code::method(var("at"), "to_owned", Vec::new()),
                broken,
            )]
        }
        Check::NoneEqual(fields, value) => fields
            .iter()
            .map(|f| {
                let guard = code::eq(wire_value(f), ast::some(code::string(value)));
                let broken = code::struct_literal(
                    &limit("NotEqual"),
                    vec![("value", Some(code::string(value)))],
                );
                (guard, path_of(f), broken)
            })
            .collect(),
    };
    guards
        .into_iter()
        .map(|(guard, field, broken)| {
            // `c && g` for a guard `g`; `c && a && b` for a guard `a && b`,
            // which && nests to the left: `(c && a) && b`.
            let guard = match condition() {
                None => guard,
                Some(condition) => and_first(condition, guard),
            };
            push_if(guard, field, broken, when(), code())
        })
        .collect()
}

/// `if guard { out.push(crate::validate::Violation { field, limit, when,
/// code }); }`
fn push_if(
    guard: syn::Expr,
    field: syn::Expr,
    limit: syn::Expr,
    when: syn::Expr,
    code: syn::Expr,
) -> syn::Stmt {
    let violation = code::struct_literal(
        &["crate", "validate", "Violation"],
        vec![
            ("field", Some(field)),
            ("limit", Some(limit)),
            ("when", Some(when)),
            ("code", Some(code)),
        ],
    );
    code::if_statement(
        guard,
        vec![code::statement(code::method(
            var("out"),
            "push",
            vec![violation],
        ))],
    )
}

/// `if <missing> { out.push(.. Limit::Required ..); }`: every required
/// field is an `Option` the caller may leave unset.
fn required_check(field: &Field) -> syn::Stmt {
    push_if(
        missing(field),
        path_of(field),
        code::path(&["crate", "validate", "Limit", "Required"]),
        var("None"),
        var("None"),
    )
}

/// True when `field` is absent, e.g.
/// `self.name.as_deref().is_none_or(str::is_empty)`; Feishu treats an
/// empty string like an absent one.
fn missing(field: &Field) -> syn::Expr {
    let member = code::self_field(&field.rust_name);
    match field.ty {
        Type::String => code::method(
            code::method(member, "as_deref", Vec::new()),
            "is_none_or",
            vec![code::path(&["str", "is_empty"])],
        ),
        _ => code::method(member, "is_none", Vec::new()),
    }
}

/// `first && rest`, with `&&` associating to the left as syn parses it
/// when `rest` is itself an `&&` chain.
fn and_first(first: syn::Expr, rest: syn::Expr) -> syn::Expr {
    match rest {
        syn::Expr::Binary(syn::ExprBinary {
            attrs,
            left,
            op: op @ syn::BinOp::And(_),
            right,
        }) => syn::Expr::Binary(syn::ExprBinary {
            attrs,
            left: Box::new(and_first(first, *left)),
            op,
            right,
        }),
        rest => code::and(first, rest),
    }
}

/// `crate::validate::path(at, "wire")`
fn path_of(field: &Field) -> syn::Expr {
    code::call(
        &["crate", "validate", "path"],
        vec![var("at"), code::string(&field.wire_name)],
    )
}

/// `impl QueryParams for` the query object: for each field,
/// `if let Some(value) = &self.field { pairs.push(("wire", <text>)); }`
/// (a loop over the items of an array).
pub fn query_impl(object: &Object) -> syn::Item {
    let pushes = object.fields.iter().map(|f| {
        let (item_ty, is_array) = match &f.ty {
            Type::Array(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let text = match item_ty {
            Type::String => code::method(var("value"), "clone", Vec::new()),
            Type::Enum(_) => code::method(
                code::method(var("value"), "as_str", Vec::new()),
                "to_owned",
                Vec::new(),
            ),
            _ => code::method(var("value"), "to_string", Vec::new()),
        };
        let push = code::statement(code::method(
            var("pairs"),
            "push",
            vec![code::tuple(vec![code::string(&f.wire_name), text])],
        ));
        let (binding, push) = if is_array {
            let each = code::for_statement(code::binding("value"), var("values"), vec![push]);
            ("values", each)
        } else {
            ("value", push)
        };
        let value = code::reference(code::self_field(&f.rust_name));
        code::if_statement(
            code::let_condition(code::some_binding(binding), value),
            vec![push],
        )
    });
    // An empty query object leaves `pairs` unused.
    let which = usize::from(object.fields.is_empty());
    fill(&QUERY_PARAMS, which, &object.rust_name, pushes.collect())
}
