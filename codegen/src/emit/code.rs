//! Statements and expressions of function bodies, built as syn nodes: the
//! same trees syn makes when it parses the code they stand for (each
//! function says which), so prettyplease prints the same text. Parsing
//! them from `quote!` tokens was the largest part of emitting an endpoint
//! (BENCHMARKS.md, "`cargo xtask codegen` as users run it").

use proc_macro2::{Literal, TokenStream, TokenTree};

use super::ast;
use super::ident;

/// `a::b::c` as an expression.
pub fn path(segments: &[&str]) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: ast::path(segments),
    })
}

/// `name`: a local variable, or `None`.
pub fn var(name: &str) -> syn::Expr {
    path(&[name])
}

/// `self.member`
pub fn self_field(member: &str) -> syn::Expr {
    syn::Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(var("self")),
        dot_token: Default::default(),
        member: syn::Member::Named(ident(member)),
    })
}

/// `receiver.name(args)`
pub fn method(receiver: syn::Expr, name: &str, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(name),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `a::b::f(args)`
pub fn call(function: &[&str], args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(path(function)),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// A string literal, escaped as `quote!` escapes a `String`.
pub fn string(value: &str) -> syn::Expr {
    ast::literal(Literal::string(value))
}

/// An integer literal, unsuffixed; a negative one as syn parses `-5`: the
/// negation of a literal.
pub fn integer(value: i64) -> syn::Expr {
    let magnitude = ast::literal(Literal::u64_unsuffixed(value.unsigned_abs()));
    if value < 0 {
        syn::Expr::Unary(syn::ExprUnary {
            attrs: Vec::new(),
            op: syn::UnOp::Neg(Default::default()),
            expr: Box::new(magnitude),
        })
    } else {
        magnitude
    }
}

/// `Some(value)`, or `None`.
pub fn option(value: Option<syn::Expr>) -> syn::Expr {
    match value {
        Some(value) => ast::some(value),
        None => var("None"),
    }
}

/// `&expr`
pub fn reference(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `*expr`
pub fn deref(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Unary(syn::ExprUnary {
        attrs: Vec::new(),
        op: syn::UnOp::Deref(Default::default()),
        expr: Box::new(expr),
    })
}

/// `left op right`. Callers nest these as syn's precedence would: `a == b
/// && c` is `and(eq(a, b), c)`, and `a && b && c` is `and(and(a, b), c)`.
pub fn binary(left: syn::Expr, op: syn::BinOp, right: syn::Expr) -> syn::Expr {
    syn::Expr::Binary(syn::ExprBinary {
        attrs: Vec::new(),
        left: Box::new(left),
        op,
        right: Box::new(right),
    })
}

/// `left && right`
pub fn and(left: syn::Expr, right: syn::Expr) -> syn::Expr {
    binary(left, syn::BinOp::And(Default::default()), right)
}

/// `left == right`
pub fn eq(left: syn::Expr, right: syn::Expr) -> syn::Expr {
    binary(left, syn::BinOp::Eq(Default::default()), right)
}

/// `left < right`
pub fn lt(left: syn::Expr, right: syn::Expr) -> syn::Expr {
    binary(left, syn::BinOp::Lt(Default::default()), right)
}

/// `let pat = expr`, as a condition.
pub fn let_condition(pat: syn::Pat, expr: syn::Expr) -> syn::Expr {
    syn::Expr::Let(syn::ExprLet {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: Box::new(pat),
        eq_token: Default::default(),
        expr: Box::new(expr),
    })
}

/// `[elems]`
pub fn array(elems: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `(elems)`, of two or more.
pub fn tuple(elems: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `|param| body`
pub fn closure(param: &str, body: syn::Expr) -> syn::Expr {
    syn::Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        constness: None,
        movability: None,
        asyncness: None,
        capture: None,
        or1_token: Default::default(),
        inputs: [binding(param)].into_iter().collect(),
        or2_token: Default::default(),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `a::b::S { field: value, shorthand }`: a field without a value is
/// written shorthand, its value the variable of its name.
pub fn struct_literal(path: &[&str], fields: Vec<(&str, Option<syn::Expr>)>) -> syn::Expr {
    syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: ast::path(path),
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(name, value)| syn::FieldValue {
                attrs: Vec::new(),
                member: syn::Member::Named(ident(name)),
                colon_token: value.is_some().then(Default::default),
                expr: value.unwrap_or_else(|| var(name)),
            })
            .collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `format!("literal")`
pub fn format(literal: &str) -> syn::Expr {
    syn::Expr::Macro(syn::ExprMacro {
        attrs: Vec::new(),
        mac: syn::Macro {
            path: ast::path(&["format"]),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: TokenStream::from(TokenTree::Literal(Literal::string(literal))),
        },
    })
}

/// The pattern `name`.
pub fn binding(name: &str) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: ident(name),
        subpat: None,
    })
}

/// The pattern `Some(name)`.
pub fn some_binding(name: &str) -> syn::Pat {
    syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: ast::path(&["Some"]),
        paren_token: Default::default(),
        elems: [binding(name)].into_iter().collect(),
    })
}

/// The pattern `(a, b)`, of two or more.
pub fn tuple_binding(names: &[&str]) -> syn::Pat {
    syn::Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: names.iter().map(|name| binding(name)).collect(),
    })
}

/// `expr;`
pub fn statement(expr: syn::Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, Some(Default::default()))
}

/// `let name = value;`
pub fn local(name: &str, value: syn::Expr) -> syn::Stmt {
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: binding(name),
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(value),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

fn block(stmts: Vec<syn::Stmt>) -> syn::Block {
    syn::Block {
        brace_token: Default::default(),
        stmts,
    }
}

/// `if condition { stmts }` as a statement.
pub fn if_statement(condition: syn::Expr, stmts: Vec<syn::Stmt>) -> syn::Stmt {
    syn::Stmt::Expr(
        syn::Expr::If(syn::ExprIf {
            attrs: Vec::new(),
            if_token: Default::default(),
            cond: Box::new(condition),
            then_branch: block(stmts),
            else_branch: None,
        }),
        None,
    )
}

/// `for pat in expr { stmts }` as a statement.
pub fn for_statement(pat: syn::Pat, expr: syn::Expr, stmts: Vec<syn::Stmt>) -> syn::Stmt {
    syn::Stmt::Expr(
        syn::Expr::ForLoop(syn::ExprForLoop {
            attrs: Vec::new(),
            label: None,
            for_token: Default::default(),
            pat: Box::new(pat),
            in_token: Default::default(),
            expr: Box::new(expr),
            body: block(stmts),
        }),
        None,
    )
}

/// The only function of a template impl, to fill in.
pub fn only_function(item: &mut syn::ItemImpl) -> &mut syn::ImplItemFn {
    match &mut item.items[..] {
        [syn::ImplItem::Fn(function)] => function,
        _ => unreachable!("the template holds one function"),
    }
}
