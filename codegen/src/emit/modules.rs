//! The module tree above the endpoint files: one `mod.rs` per schema folder,
//! each with a handle type whose methods lead to the next level, so calls
//! read like the path: `client.im().v1().chat().create(..)`. The root folder
//! is the crate root ([`super::crate_root`]), whose "handle" is the `Client`.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::events::ENUM_MODULE;
use super::{docs, ident};
use crate::ir::Api;

/// A folder of the schema tree.
#[derive(Default)]
pub struct Node {
    /// Subfolders, by name.
    pub children: BTreeMap<String, Node>,
    /// Endpoint (and shared types) files in this folder, by module name,
    /// with what each holds.
    pub endpoints: BTreeMap<String, String>,
    /// Which of `endpoints` are endpoints; the rest hold shared types,
    /// events or a version's event enum.
    pub endpoint_modules: BTreeSet<String>,
}

impl Node {
    /// Whether an endpoint sits at or below the folder: a folder with none
    /// (a resource's `events/`, or a resource with events only) gets no
    /// handle, since events are received, not called.
    pub fn has_endpoints(&self) -> bool {
        !self.endpoint_modules.is_empty() || self.children.values().any(Node::has_endpoints)
    }
}

/// The folder tree the module paths of the endpoints, shared types and
/// events describe, with each version's event enum module.
pub fn tree(api: &Api) -> Node {
    let mut root = Node::default();
    let endpoints = api
        .endpoints
        .iter()
        .map(|e| (e.module_path.clone(), e.source.title.clone(), true));
    let shared = api.shared.iter().map(|s| {
        let what = "types the endpoints here share".to_owned();
        (s.module_path.clone(), what, false)
    });
    let events = api.events.iter().map(|e| {
        let what = format!("{}, event `{}`", e.source.title, e.wire);
        (e.module_path.clone(), what, false)
    });
    let versions: BTreeSet<&[String]> = api.events.iter().map(|e| &e.module_path[..2]).collect();
    let enums = versions.into_iter().map(|version| {
        let what = "the events here, read by their event type".to_owned();
        ([version, &[ENUM_MODULE.to_owned()]].concat(), what, false)
    });
    for (module_path, title, is_endpoint) in endpoints.chain(shared).chain(events).chain(enums) {
        let (file, folders) = module_path
            .split_last()
            .expect("module path is never empty");
        let mut node = &mut root;
        for folder in folders {
            node = node.children.entry(folder.clone()).or_default();
        }
        node.endpoints.insert(file.clone(), title);
        if is_endpoint {
            node.endpoint_modules.insert(file.clone());
        }
    }
    root
}

/// The module path of every endpoint below `node` (whose own path is
/// `path`), in folder order.
pub fn endpoint_paths(path: &[String], node: &Node) -> Vec<Vec<String>> {
    let mut paths: Vec<Vec<String>> = node
        .endpoint_modules
        .iter()
        .map(|m| [path, std::slice::from_ref(m)].concat())
        .collect();
    for (name, child) in &node.children {
        paths.extend(endpoint_paths(
            &[path, std::slice::from_ref(name)].concat(),
            child,
        ));
    }
    paths
}

/// The handle type of the folder `segment`: `chat_tab` -> `ChatTabApi`.
/// The suffix keeps a handle from shadowing the data type a resource is
/// often named after (`types::ChatTab`) when both are imported.
pub fn handle_name(segment: &str) -> String {
    format!("{}Api", segment.to_upper_camel_case())
}

/// The `pub mod` lines of a folder's subfolders and endpoint files. `path`
/// is the folder's module path; top-level folders are API groups, each
/// behind the feature of its name.
pub fn declarations(path: &[String], node: &Node) -> Vec<TokenStream> {
    node.children
        .keys()
        .chain(node.endpoints.keys())
        .map(|m| {
            let cfg = group_gate(path, m);
            let m = ident(m);
            quote!(#cfg pub mod #m;)
        })
        .collect()
}

/// The methods leading from a folder's handle (at the root, the `Client`)
/// to each subfolder's handle.
pub fn accessors(path: &[String], node: &Node) -> Vec<TokenStream> {
    node.children
        .iter()
        .filter(|(_, child)| child.has_endpoints())
        .map(|(child, _)| {
            let method = ident(child);
            let handle = ident(&handle_name(child));
            let doc = docs::doc(&format!("Endpoints under `{}`.", child_path(path, child)));
            // Handles copy the client reference out, so they borrow the client,
            // not the handle they came from; the root borrows the client itself.
            let (client, lifetime) = if path.is_empty() {
                (quote!(self), quote!('_))
            } else {
                (quote!(self.client), quote!('c))
            };
            let cfg = group_gate(path, child);
            quote! {
                #doc
                #cfg
                pub fn #method(&self) -> #method::#handle<#lifetime> {
                    #method::#handle { client: #client }
                }
            }
        })
        .collect()
}

/// `#[cfg(feature = "<name>")]` for a top-level folder (an API group).
fn group_gate(path: &[String], name: &str) -> TokenStream {
    if path.is_empty() {
        quote!(#[cfg(feature = #name)])
    } else {
        quote!()
    }
}

/// `mod.rs` of a folder below the root. `path` is the folder's module path.
pub fn module(path: &[String], node: &Node) -> TokenStream {
    let mods = declarations(path, node);
    if !node.has_endpoints() {
        let mut text = format!("Events under `{}`.", path.join("/"));
        for (m, what) in &node.endpoints {
            text.push_str(&format!("\n\n- [`{m}`] ({what})"));
        }
        let doc = docs::module_doc(&text);
        return quote!(#doc #(#mods)*);
    }
    let accessors = accessors(path, node);
    let mut text = format!("Endpoints under `{}`.", path.join("/"));
    for (m, title) in &node.endpoints {
        text.push_str(&format!("\n\n- [`{m}`] ({title})"));
    }
    let top_doc = docs::module_doc(&text);
    let handle = ident(&handle_name(path.last().expect("below the root")));
    let handle_doc = docs::doc(&format!(
        "Handle for the endpoints under `{}`; get one from the level above.",
        path.join("/")
    ));
    let impl_block = if accessors.is_empty() {
        quote!()
    } else {
        quote!(impl<'c> #handle<'c> { #(#accessors)* })
    };
    quote! {
        #top_doc
        #(#mods)*
        #handle_doc
        #[derive(Clone, Copy, Debug)]
        pub struct #handle<'c> {
            pub(crate) client: &'c crate::Client,
        }
        #impl_block
    }
}

fn child_path(path: &[String], child: &str) -> String {
    let mut all = path.to_vec();
    all.push(child.to_owned());
    all.join("/")
}
