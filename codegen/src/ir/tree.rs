//! What spans files: which shared types an endpoint sees, module names
//! that two files would both take, and the cargo feature every API group
//! needs.

use std::collections::{BTreeMap, BTreeSet};

use super::names::module_name;
use super::scope::{Scope, Shared};
use super::{Api, Field, NamedType, Object, SharedTypes, SharedUse, Type};
use crate::emit::EVENT_ENUM_MODULE;
use crate::problem::Problem;
use crate::spec::TYPES_FILE;

/// The shared types of the version `file` (an endpoint or event) belongs
/// to; `unloaded` names the files that did not load.
pub(super) fn shared_for<'a>(
    file: &str,
    shared: &'a [SharedTypes],
    unloaded: &BTreeSet<&str>,
) -> Shared<'a> {
    let Some((group, version)) = version_of(file) else {
        return Shared::None;
    };
    if unloaded.contains(format!("schema/{group}/{version}/{TYPES_FILE}").as_str()) {
        return Shared::Unloaded;
    }
    let (Some(group), Some(version)) = (module_name(group), module_name(version)) else {
        return Shared::None;
    };
    shared
        .iter()
        .find(|s| s.module_path[0] == group && s.module_path[1] == version)
        .map_or(Shared::None, Shared::Loaded)
}

/// The API group and version folders of a file under `schema/`.
fn version_of(file: &str) -> Option<(&str, &str)> {
    let mut segments = file.strip_prefix("schema/")?.split('/');
    Some((segments.next()?, segments.next()?))
}

/// The shared types a file names in `objects`, its own named types and
/// `fields`, directly or through other shared types; its module re-exports
/// them, so it holds every type its values are built from.
pub(super) fn shared_use<'o>(
    shared: Option<&SharedTypes>,
    scope: &Scope,
    objects: impl Iterator<Item = &'o Object>,
    fields: &[Field],
) -> Option<SharedUse> {
    let shared = shared?;
    let mut names = BTreeSet::new();
    let local_objects = scope.local.values().filter_map(|t| match t {
        NamedType::Object(o) => Some(&o.fields),
        NamedType::Enum(_) => None,
    });
    let mut pending: Vec<&str> = objects
        .map(|o| &o.fields)
        .chain(local_objects)
        .flatten()
        .chain(fields)
        .filter_map(|f| named_in(&f.ty))
        .filter(|n| !scope.local.contains_key(*n))
        .collect();
    while let Some(name) = pending.pop() {
        if names.insert(name.to_owned())
            && let Some(NamedType::Object(o)) = scope.shared_type(name)
        {
            pending.extend(o.fields.iter().filter_map(|f| named_in(&f.ty)));
        }
    }
    (!names.is_empty()).then(|| SharedUse {
        module_path: shared.module_path.clone(),
        names: names.into_iter().collect(),
    })
}

/// The named type a value of `ty` is, or holds through arrays and maps.
fn named_in(ty: &Type) -> Option<&str> {
    match ty {
        Type::Enum(name) | Type::IntEnum(name) | Type::Object(name) => Some(name),
        Type::Array(inner) | Type::Map(inner) => named_in(inner),
        _ => None,
    }
}

/// Problems that only show when all files are seen together.
pub(super) fn problems(api: &Api, features: &BTreeSet<String>) -> Vec<Problem> {
    // Each version with events gets a module of its event enum.
    let enums: Vec<(Vec<String>, &str)> = api
        .events
        .iter()
        .map(|e| {
            let path = [&e.module_path[..2], &[EVENT_ENUM_MODULE.to_owned()]].concat();
            (path, e.source_file.as_str())
        })
        .collect();
    let modules: Vec<(&Vec<String>, &str)> = api
        .endpoints
        .iter()
        .map(|e| (&e.module_path, e.source_file.as_str()))
        .chain(
            api.shared
                .iter()
                .map(|s| (&s.module_path, s.source_file.as_str())),
        )
        .chain(
            api.events
                .iter()
                .map(|e| (&e.module_path, e.source_file.as_str())),
        )
        .chain(enums.iter().map(|(path, file)| (path, *file)))
        .collect();
    let mut problems = module_collisions(&modules);
    problems.extend(event_clashes(api));
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

/// A version's events share one enum, whose variants are the events' Rust
/// names and which dispatches on the event type: both must be unique.
fn event_clashes(api: &Api) -> Vec<Problem> {
    // Rust names are UpperCamelCase and event types lower case, so one map
    // holds both. A Rust name clashes within its version's event enum; an
    // event type anywhere, since a delivery names no API version.
    let mut seen: BTreeMap<(&[String], &str), &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for event in &api.events {
        let version = &event.module_path[..2];
        for (scope, key, what, fix) in [
            (
                version,
                event.rust_name(),
                "Rust name",
                "set `type_name` to another name",
            ),
            (
                &[][..],
                event.wire.as_str(),
                "event type",
                "remove one of the two files",
            ),
        ] {
            if let Some(other) = seen.insert((scope, key), &event.source_file) {
                problems.push(Problem {
                    file: event.source_file.clone(),
                    path: String::new(),
                    message: format!("{other} has the same {what} `{key}`"),
                    fix: fix.into(),
                });
            }
        }
    }
    problems
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

/// Every API group needs a cargo feature of the same name in
/// `feishu-openapi`'s manifest, which forwards it to the API crate. That
/// manifest is hand-written, so this says what to add.
fn missing_features(modules: &[(&Vec<String>, &str)], features: &BTreeSet<String>) -> Vec<Problem> {
    let groups: BTreeSet<&str> = modules.iter().map(|(path, _)| path[0].as_str()).collect();
    groups
        .into_iter()
        .filter(|group| !features.contains(*group))
        .map(|group| Problem {
            file: crate::FACADE_MANIFEST_PATH.into(),
            path: "features".into(),
            message: format!(
                "API group `{group}` (schema/{group}/) has no cargo feature in the crate users depend on"
            ),
            fix: format!(
                "add `{group} = [\"feishu-api/{group}\"]` under [features], \
                 and \"{group}\" to `default` if every user should get it"
            ),
        })
        .collect()
}
