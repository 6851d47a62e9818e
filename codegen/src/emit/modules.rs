//! The module tree above the endpoint files: one `mod.rs` per schema folder,
//! each with a handle type whose methods lead to the next level, so calls
//! read like the path: `client.im().v1().chat().create(..)`. The root folder
//! is the API crate's root ([`super::crate_root`]), whose "handle" is the
//! `Client`; each top-level folder, an API group, is a crate of its own
//! ([`super::group_root`]).

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

/// The `pub mod` lines of a folder's subfolders and endpoint files;
/// `folder` is the folder's own module name (none at a group's root).
pub fn declarations(folder: Option<&str>, node: &Node) -> Vec<TokenStream> {
    node.children
        .keys()
        .chain(node.endpoints.keys())
        .map(|m| {
            // A resource named like its call (`doc/v2/create`'s `create`)
            // is the page's naming, not a module wrapped twice.
            let allow =
                (folder == Some(m.as_str())).then(|| quote!(#[allow(clippy::module_inception)]));
            let m = ident(m);
            quote!(#allow pub mod #m;)
        })
        .collect()
}

/// The methods leading from a folder's handle (at the root, the `Client`)
/// to each subfolder's handle. At the root each leads into an API group's
/// crate, behind the group's feature.
pub fn accessors(path: &[String], node: &Node) -> Vec<TokenStream> {
    node.children
        .iter()
        .filter(|(_, child)| child.has_endpoints())
        .map(|(child, _)| {
            let method = ident(child);
            let handle = ident(&handle_name(child));
            let doc = docs::doc(&format!("Endpoints under `{}`.", child_path(path, child)));
            // Handles copy the client reference out, so they borrow the client,
            // not the handle they came from; the root lends the runtime client
            // it wraps to the group's crate.
            if path.is_empty() {
                quote! {
                    #doc
                    #[cfg(feature = #child)]
                    pub fn #method(&self) -> #method::#handle<'_> {
                        #method::#handle::new(&self.0)
                    }
                }
            } else {
                quote! {
                    #doc
                    pub fn #method(&self) -> #method::#handle<'c> {
                        #method::#handle { client: self.client }
                    }
                }
            }
        })
        .collect()
}

/// `mod.rs` of a folder below an API group. `path` is the folder's module
/// path.
pub fn module(path: &[String], node: &Node) -> TokenStream {
    let mods = declarations(path.last().map(String::as_str), node);
    let doc = docs::module_doc(&contents(path, node));
    let handle = handle(path, node);
    quote! {
        #doc
        #(#mods)*
        #handle
    }
}

/// What a folder holds, for its module doc: one line per module.
pub fn contents(path: &[String], node: &Node) -> String {
    let what = if node.has_endpoints() {
        "Endpoints"
    } else {
        "Events"
    };
    let mut text = format!("{what} under `{}`.", path.join("/"));
    // `mod@`: a module may share its name with a std macro (`write`).
    for (m, title) in &node.endpoints {
        text.push_str(&format!("\n\n- [`{m}`](mod@{m}) ({title})"));
    }
    text
}

/// The handle type of a folder with endpoints below it, with its methods
/// leading to the next level; nothing for a folder of events only. An API
/// group's handle also gets a constructor, which the API crate's `Client`
/// calls from across the crate boundary.
pub fn handle(path: &[String], node: &Node) -> TokenStream {
    if !node.has_endpoints() {
        return quote!();
    }
    let accessors = accessors(path, node);
    let handle = ident(&handle_name(path.last().expect("below the root")));
    let handle_doc = docs::doc(&format!(
        "Handle for the endpoints under `{}`; get one from the level above.",
        path.join("/")
    ));
    let new = (path.len() == 1).then(|| {
        quote! {
            /// The handle over `client`; the API crate's `Client` makes it.
            #[doc(hidden)]
            pub fn new(client: &'c crate::Client) -> Self {
                Self { client }
            }
        }
    });
    let impl_block = if accessors.is_empty() && new.is_none() {
        quote!()
    } else {
        quote!(impl<'c> #handle<'c> { #new #(#accessors)* })
    };
    quote! {
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
