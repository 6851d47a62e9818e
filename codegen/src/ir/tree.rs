//! What spans files: which shared types an endpoint sees, module names
//! that two files would both take, and the cargo feature every API group
//! needs.

use std::collections::{BTreeMap, BTreeSet};

use super::names::module_name;
use super::{Api, SharedTypes};
use crate::problem::Problem;

/// The shared types of the version `file` (an endpoint) belongs to.
pub(super) fn shared_for<'a>(file: &str, shared: &'a [SharedTypes]) -> Option<&'a SharedTypes> {
    let rest = file.strip_prefix("schema/")?;
    let mut segments = rest.split('/');
    let (group, version) = (segments.next()?, segments.next()?);
    let (group, version) = (module_name(group)?, module_name(version)?);
    shared
        .iter()
        .find(|s| s.module_path[0] == group && s.module_path[1] == version)
}

/// Problems that only show when all files are seen together.
pub(super) fn problems(api: &Api, features: &BTreeSet<String>) -> Vec<Problem> {
    let modules: Vec<(&Vec<String>, &str)> = api
        .endpoints
        .iter()
        .map(|e| (&e.module_path, e.source_file.as_str()))
        .chain(
            api.shared
                .iter()
                .map(|s| (&s.module_path, s.source_file.as_str())),
        )
        .collect();
    let mut problems = module_collisions(&modules);
    problems.extend(reserved_groups(&modules));
    problems.extend(missing_features(&modules, features));
    problems
}

/// A file `x.json` beside a folder `x/` would make two modules named `x`
/// (so would `types.json` beside a resource folder `types/`).
fn module_collisions(modules: &[(&Vec<String>, &str)]) -> Vec<Problem> {
    // Every folder module, with one file below it to name.
    let mut folders: BTreeMap<&[String], &str> = BTreeMap::new();
    for (path, file) in modules {
        for end in 1..path.len() {
            folders.entry(&path[..end]).or_insert(file);
        }
    }
    modules
        .iter()
        .filter_map(|(path, file)| {
            let other = folders.get(path.as_slice())?;
            Some(Problem {
                file: (*file).to_owned(),
                path: String::new(),
                message: format!(
                    "this file and the folder of {other} both become the module `{}`",
                    path.join("::")
                ),
                fix: "rename the file or the folder".into(),
            })
        })
        .collect()
}

/// The crate root re-exports runtime modules and has features of its own;
/// an API group may take none of those names.
fn reserved_groups(modules: &[(&Vec<String>, &str)]) -> Vec<Problem> {
    let mut groups: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, file) in modules {
        groups.entry(path[0].as_str()).or_insert(file);
    }
    groups
        .into_iter()
        .filter(|(group, _)| crate::emit::is_root_name(group))
        .map(|(group, file)| Problem {
            file: file.to_owned(),
            path: String::new(),
            message: format!(
                "the API group `{group}` (schema/{group}/) takes a name the crate root already uses for the runtime"
            ),
            fix: format!("rename the folder schema/{group}/"),
        })
        .collect()
}

/// Every API group needs a cargo feature of the same name, which gates its
/// module; the manifest is hand-written, so this says what to add.
fn missing_features(modules: &[(&Vec<String>, &str)], features: &BTreeSet<String>) -> Vec<Problem> {
    let groups: BTreeSet<&str> = modules.iter().map(|(path, _)| path[0].as_str()).collect();
    groups
        .into_iter()
        .filter(|group| !features.contains(*group))
        .map(|group| Problem {
            file: crate::MANIFEST_PATH.into(),
            path: "features".into(),
            message: format!("API group `{group}` (schema/{group}/) has no cargo feature"),
            fix: format!(
                "add `{group} = []` under [features], and \"{group}\" to `default` unless it is opt-in"
            ),
        })
        .collect()
}
