//! A version's shared types, found across the drafts of one folder import.
//!
//! Feishu's pages describe the same object again on every page that uses
//! it (a user, a department, an i18n name). A type that several drafts of
//! one version declare *identically* (same name, same fields, words,
//! examples and limits, and the same for every type it names) goes to the
//! version's `types.json`; drafted again beside it (`batch::import`), the
//! drafts name it instead of declaring it, as the importer names any
//! shared type (see `shape`).
//!
//! The rule, per version (`<project>/<version>/`) and per type name: of
//! the definitions the drafts give the name, the one most drafts give is
//! shared, if at least two do (on a tie, the first by its JSON text). A
//! type whose named types would not all be shared with the very
//! definitions it was given with is not shared. The result depends only on
//! the drafts, never on their order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use feishu_codegen::spec::TYPES_FILE;

/// One type as a draft gives it: its definition, and the identity of each
/// type of the draft it names.
#[derive(Clone)]
struct Given {
    definition: String,
    named: BTreeMap<String, String>,
}

impl Given {
    /// The text that stands for the type and every type below it.
    fn identity(&self) -> String {
        let mut text = self.definition.clone();
        for (name, identity) in &self.named {
            text.push_str(&format!("\n{name}={identity}"));
        }
        text
    }
}

/// The types file of each version whose drafts share types: its place
/// beside the drafts and its contents; and the places of those that
/// `may_write` refuses. `drafts` holds each draft's place
/// (`<project>/<version>/...`) and its JSON, drafted with no shared types.
/// Drafted again with the file beside them, the drafts name the shared
/// types instead of declaring them.
pub fn promote(
    drafts: &[(PathBuf, Value)],
    may_write: impl Fn(&Path) -> bool,
) -> (Vec<(PathBuf, Value)>, Vec<PathBuf>) {
    let mut versions: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, (rel, _)) in drafts.iter().enumerate() {
        if let Some(version) = version_of(rel) {
            versions.entry(version).or_default().push(i);
        }
    }
    let (mut files, mut refused) = (Vec::new(), Vec::new());
    for (version, members) in versions {
        let given: Vec<BTreeMap<String, Given>> =
            members.iter().map(|&i| given_types(&drafts[i].1)).collect();
        let shared = choose(&given);
        if shared.is_empty() {
            continue;
        }
        let place = version.join(TYPES_FILE);
        if !may_write(&place) {
            refused.push(place);
            continue;
        }
        let mut types = Map::new();
        for (name, chosen) in &shared {
            let definition: Value =
                serde_json::from_str(&chosen.definition).expect("a definition is JSON text");
            types.insert(name.clone(), definition);
        }
        let contents = serde_json::json!({
            "$schema": "../../types.schema.json",
            "description": format!(
                "Types that several pages of {} describe identically, gathered here by `cargo xtask import-doc` when it imports the folder.",
                version.display()
            ),
            "types": Value::Object(types),
        });
        files.push((place, contents));
    }
    (files, refused)
}

/// `<project>/<version>` of a draft's place, if it sits below one.
fn version_of(rel: &Path) -> Option<PathBuf> {
    let parts: Vec<_> = rel.components().collect();
    (parts.len() >= 3).then(|| parts[..2].iter().collect())
}

/// Each type of a draft as it gives it; a type that names itself, through
/// others or not, is left out (it is never shared).
fn given_types(draft: &Value) -> BTreeMap<String, Given> {
    let Some(types) = draft.get("types").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    let mut done = BTreeMap::new();
    for name in types.keys() {
        given(name, types, &mut Vec::new(), &mut done);
    }
    done.into_iter()
        .filter_map(|(name, g)| g.map(|g| (name, g)))
        .collect()
}

fn given(
    name: &str,
    types: &Map<String, Value>,
    visiting: &mut Vec<String>,
    done: &mut BTreeMap<String, Option<Given>>,
) -> Option<Given> {
    if let Some(g) = done.get(name) {
        return g.clone();
    }
    if visiting.iter().any(|v| v == name) {
        return None;
    }
    visiting.push(name.to_owned());
    let definition = &types[name];
    let mut named = BTreeMap::new();
    let mut whole = true;
    for other in named_in(definition) {
        if !types.contains_key(&other) {
            continue;
        }
        match given(&other, types, visiting, done) {
            Some(g) => {
                named.insert(other, g.identity());
            }
            None => whole = false,
        }
    }
    visiting.pop();
    let g = whole.then(|| Given {
        definition: definition.to_string(),
        named,
    });
    done.insert(name.to_owned(), g.clone());
    g
}

/// The type names a definition's fields refer to (`Name`, `Name[]`,
/// `map<string, Name>`).
fn named_in(definition: &Value) -> Vec<String> {
    let fields = definition.get("fields").and_then(Value::as_array);
    fields
        .into_iter()
        .flatten()
        .filter_map(|f| f.get("type").and_then(Value::as_str))
        .map(|ty| base_name(ty).to_owned())
        .collect()
}

/// The name inside `Name[]` and `map<string, Name>`.
fn base_name(ty: &str) -> &str {
    let ty = ty.trim().trim_end_matches("[]");
    match ty.strip_prefix("map<").and_then(|t| t.strip_suffix('>')) {
        Some(args) => args.split_once(',').map_or(args, |(_, v)| base_name(v)),
        None => ty,
    }
}

/// The shared definition of each name: the one most drafts give, if at
/// least two do, whose named types are all shared as given.
fn choose(given: &[BTreeMap<String, Given>]) -> BTreeMap<String, &Given> {
    let mut counts: BTreeMap<&str, BTreeMap<String, (usize, &Given)>> = BTreeMap::new();
    for types in given {
        for (name, g) in types {
            let entry = counts
                .entry(name)
                .or_default()
                .entry(g.identity())
                .or_insert((0, g));
            entry.0 += 1;
        }
    }
    let mut chosen: BTreeMap<String, (String, &Given)> = BTreeMap::new();
    for (name, options) in counts {
        // The most drafts; on a tie, the first identity.
        let best = options
            .into_iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(&a.0)));
        if let Some((identity, (count, g))) = best
            && count >= 2
        {
            chosen.insert(name.to_owned(), (identity, g));
        }
    }
    // A type stays shared only while each type it names is shared with
    // the identity it was given with.
    loop {
        let broken: Vec<String> = chosen
            .iter()
            .filter(|(_, (_, g))| {
                g.named
                    .iter()
                    .any(|(other, id)| chosen.get(other).map(|(i, _)| i) != Some(id))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if broken.is_empty() {
            break;
        }
        for name in broken {
            chosen.remove(&name);
        }
    }
    chosen.into_iter().map(|(name, (_, g))| (name, g)).collect()
}
