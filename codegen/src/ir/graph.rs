//! The type graph of one file: which objects hold which, built once, so
//! that cycles, nesting depth, `Default` and validation are each computed
//! once per type and the checker stays linear however deep types nest.

use std::collections::BTreeMap;

use super::scope::Scope;
use super::{NamedType, Object, Sink, Type};

/// Deepest inline nesting of objects rustc handles comfortably: its trait
/// solver gives up somewhere past 60 levels of `Option<Struct>`.
pub(super) const MAX_INLINE_DEPTH: usize = 32;

/// Settles the facts of the file's own objects (its named types in
/// `scope.local`, then `extra`: query, body, response) and reports named
/// types that contain themselves or nest too deep. Shared types are
/// settled already and only read.
pub(super) fn settle(sink: &mut Sink, scope: &mut Scope, extra: Vec<&mut Object>) {
    let shared = scope.shared;
    let mut objects: Vec<&mut Object> = scope
        .local
        .values_mut()
        .filter_map(|t| match t {
            NamedType::Object(o) => Some(o),
            NamedType::Enum(_) => None,
        })
        .collect();
    let named = objects.len();
    objects.extend(extra);
    let index: BTreeMap<String, usize> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| (o.rust_name.clone(), i))
        .collect();
    let shared_object = |name: &str| -> Option<&Object> {
        shared?.types.iter().find_map(|t| match t {
            NamedType::Object(o) if o.rust_name == name => Some(o),
            _ => None,
        })
    };

    // Inline edges (a field of the object's type) make a struct hold
    // another; edges through arrays only lead to values to validate.
    let mut inline = vec![Vec::new(); objects.len()];
    let mut held = vec![Vec::new(); objects.len()];
    for (i, o) in objects.iter().enumerate() {
        for f in &o.fields {
            if let Type::Object(name) = &f.ty
                && let Some(&j) = index.get(name)
            {
                inline[i].push(j);
            }
            if let Some(&j) = object_in(&f.ty).and_then(|name| index.get(name)) {
                held[i].push(j);
            }
        }
    }

    let order = components(&inline);
    let mut cyclic: Vec<usize> = order
        .iter()
        .filter(|c| c.len() > 1 || inline[c[0]].contains(&c[0]))
        .flatten()
        .copied()
        .collect();
    if !cyclic.is_empty() {
        cyclic.sort_unstable();
        for i in cyclic.into_iter().filter(|&i| i < named) {
            let name = &objects[i].rust_name;
            sink.problem(
                format!("types.{name}"),
                format!("`{name}` contains itself, which no Rust struct can"),
                "make one field on the cycle an array of the type (e.g. \"Node[]\"), as the API sends it",
            );
        }
        return;
    }

    // Without inline cycles each component is one object, listed after
    // every object it holds.
    let mut nesting = vec![0; objects.len()];
    for component in &order {
        let i = component[0];
        let deepest = objects[i]
            .fields
            .iter()
            .map(|f| match &f.ty {
                Type::Object(name) => match index.get(name) {
                    Some(&j) => nesting[j],
                    None => shared_object(name).map_or(0, |o| o.nesting),
                },
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        nesting[i] = 1 + deepest;
    }
    for i in 0..named {
        let depth = nesting[i];
        if depth > MAX_INLINE_DEPTH {
            let name = &objects[i].rust_name;
            sink.problem(
                format!("types.{name}"),
                format!("`{name}` nests objects {depth} levels deep; generated Rust supports {MAX_INLINE_DEPTH}"),
                "flatten the nesting, or make a level an array",
            );
        }
    }

    // Objects that hold each other through arrays validate together: any
    // check in the cycle makes every member run it.
    // A required field is checked too: request structs keep `Default`, so
    // a missing one is found before sending rather than by the compiler.
    let mut validates = vec![false; objects.len()];
    let holds_validating = |validates: &[bool], ty: &Type| {
        object_in(ty).is_some_and(|name| match index.get(name) {
            Some(&j) => validates[j],
            None => shared_object(name).is_some_and(|o| o.validates),
        })
    };
    for component in components(&held) {
        let any = component.iter().any(|&i| {
            let o = &objects[i];
            !o.rules.is_empty()
                || o.fields
                    .iter()
                    .any(|f| f.required || f.limits.any() || holds_validating(&validates, &f.ty))
        });
        for &i in &component {
            validates[i] = any;
        }
    }

    for (i, o) in objects.iter_mut().enumerate() {
        o.nesting = nesting[i];
        o.validates = validates[i];
        for f in &mut o.fields {
            f.validates_inside = holds_validating(&validates, &f.ty);
        }
    }
}

/// The object a value of `ty` holds, inline or through arrays and maps.
fn object_in(ty: &Type) -> Option<&str> {
    match ty {
        Type::Object(name) => Some(name),
        Type::Array(inner) | Type::Map(inner) => object_in(inner),
        _ => None,
    }
}

/// Strongly connected components (Tarjan), each listed after every
/// component it reaches. Iterative, so deep graphs cannot overflow the
/// stack.
fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, edge)) = work.last() {
            if let Some(&w) = edges[v].get(edge) {
                work.last_mut().expect("not empty").1 += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn components_come_after_what_they_reach() {
        // 0 -> 1 -> 2 -> 1, 3 alone.
        let edges = vec![vec![1], vec![2], vec![1], vec![]];
        let found = components(&edges);
        let position = |v: usize| found.iter().position(|c| c.contains(&v)).unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(position(1), position(2));
        assert!(position(1) < position(0));
        assert!(found.iter().any(|c| c == &vec![3]));
    }
}
