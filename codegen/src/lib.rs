//! `feishu-codegen`: turns hand-written descriptions of Feishu Open API
//! endpoints (`schema/**/*.json`, and each API version's shared
//! `types.json`) into the Rust of the `feishu-openapi` crate.
//!
//! Data flows one way: [`load`] (serde, [`spec`]) -> [`ir::check`] (every
//! check; the model it returns owns its types) -> `emit` (each file's
//! tokens, written with `quote!` throughout; one parse per file, into a
//! `syn::File`) -> [`render`] (prettyplease).

pub mod ir;
pub mod openapi;
mod parallel;
pub mod problem;
pub mod render;
pub mod spec;

mod emit;
mod generate;
mod parse;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

pub use generate::{generate, generate_each};
pub use problem::{Problem, Problems};

/// Where the meta-schema of endpoint files lives, relative to the workspace root.
pub const META_SCHEMA_PATH: &str = "schema/endpoint.schema.json";
/// Where the meta-schema of shared-types files lives.
pub const TYPES_META_SCHEMA_PATH: &str = "schema/types.schema.json";
/// Where the meta-schema of event files lives.
pub const EVENT_META_SCHEMA_PATH: &str = "schema/event.schema.json";
/// The generated API crate's (`feishu-api`) source folder, relative to the
/// workspace root. Every `.rs` file below it is generated: the crate root
/// (`lib.rs`), one module per schema folder and one per endpoint, at the
/// schema's path (`schema/im/v1/chat/create.json` -> `im/v1/chat/create.rs`).
/// A file no schema produces is an orphan, which `cargo xtask codegen`
/// removes.
pub const SRC_DIR: &str = "generated/feishu-api/src";
/// The source folder of `feishu-openapi`, the crate users depend on: its
/// `lib.rs` re-exports the API crate and, behind `testing`, the fake.
pub const FACADE_SRC_DIR: &str = "generated/feishu-openapi/src";
/// The tests of `feishu-openapi`: generated as well, like [`SRC_DIR`].
pub const TESTS_DIR: &str = "generated/feishu-openapi/tests";
/// The manifests that declare one feature per API group: the API crate's,
/// which gates each group's module, and `feishu-openapi`'s, which forwards
/// it.
pub const MANIFEST_PATHS: [&str; 2] = [
    "generated/feishu-api/Cargo.toml",
    "generated/feishu-openapi/Cargo.toml",
];

/// Parses one schema file: a version's shared types when it is named
/// `types.json`, an event when it sits in an `events/` folder, else an
/// endpoint. `file` names it in problems.
pub fn parse(file: &str, text: &str) -> Result<spec::SchemaFile, Problem> {
    let mut names = file.rsplit('/');
    let (name, folder) = (names.next(), names.next());
    if name == Some(spec::TYPES_FILE) {
        parse::parse_as(file, text).map(spec::SchemaFile::Types)
    } else if folder == Some(spec::EVENTS_FOLDER) {
        parse::parse_as(file, text).map(|e| spec::SchemaFile::Event(Box::new(e)))
    } else {
        parse::parse_as(file, text).map(|e| spec::SchemaFile::Endpoint(Box::new(e)))
    }
}

/// Parses an endpoint file whatever its name (drift and import read one).
pub fn parse_endpoint(file: &str, text: &str) -> Result<spec::EndpointSpec, Problem> {
    parse::parse_as(file, text)
}

/// Parses an event file whatever its name.
pub fn parse_event(file: &str, text: &str) -> Result<spec::EventSpec, Problem> {
    parse::parse_as(file, text)
}

/// Parses a shared-types file whatever its name.
pub fn parse_types(file: &str, text: &str) -> Result<spec::TypesSpec, Problem> {
    parse::parse_as(file, text)
}

/// Loads, checks and resolves every file under `root/schema`, reporting
/// every problem of every file at once.
pub fn load(root: &Path) -> Result<ir::Api, Problems> {
    let mut paths = Vec::new();
    collect_json(&root.join("schema"), &mut paths).map_err(|e| {
        Problems(vec![Problem {
            file: "schema".into(),
            path: String::new(),
            message: format!("cannot read the schema folder: {e}"),
            fix: "run from the workspace root, which holds schema/".into(),
        }])
    })?;
    paths.retain(|path| {
        let rel = relative(root, path);
        rel != META_SCHEMA_PATH && rel != TYPES_META_SCHEMA_PATH && rel != EVENT_META_SCHEMA_PATH
    });
    // Files are read and parsed on every core; results keep file order.
    let parsed = parallel::map(&paths, |path| {
        let rel = relative(root, path);
        let spec = fs::read_to_string(path)
            .map_err(|e| Problem {
                file: rel.clone(),
                path: String::new(),
                message: format!("cannot read the file: {e}"),
                fix: "make the file readable UTF-8 text".into(),
            })
            .and_then(|text| parse(&rel, &text));
        spec.map(|spec| (rel, spec))
    });
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for result in parsed {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    let features = match features(root) {
        Ok(features) => features,
        Err(problem) => {
            problems.push(problem);
            BTreeSet::new()
        }
    };
    check_parsed(&files, &features, problems)
}

/// Checks the files that parsed, adding the problems of those that did not.
fn check_parsed(
    files: &[(String, spec::SchemaFile)],
    features: &BTreeSet<String>,
    mut problems: Vec<Problem>,
) -> Result<ir::Api, Problems> {
    // Each problem so far is of a file that did not load.
    let unloaded: BTreeSet<&str> = problems.iter().map(|p| p.file.as_str()).collect();
    match ir::check(files, &unloaded, features) {
        Ok(api) if problems.is_empty() => Ok(api),
        Ok(_) => Err(Problems(problems)),
        Err(mut found) => {
            problems.append(&mut found);
            Err(Problems(problems))
        }
    }
}

/// Parses and checks files given as `(path, text)`, paths relative to the
/// workspace root, as [`load`] does with the files under `schema/`; every
/// API group counts as having its cargo feature. For tests and tools that
/// check schemas without a workspace.
pub fn check_sources(sources: &[(&str, &str)]) -> Result<ir::Api, Problems> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (path, text) in sources {
        match parse(path, text) {
            Ok(spec) => files.push(((*path).to_owned(), spec)),
            Err(problem) => problems.push(problem),
        }
    }
    let groups = sources
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("schema/")?.split('/').next())
        .map(str::to_owned)
        .collect();
    check_parsed(&files, &groups, problems)
}

/// The cargo features both generated crates declare: every API group
/// needs one in each, so a group only one of them declares is missing.
fn features(root: &Path) -> Result<BTreeSet<String>, Problem> {
    let mut both: Option<BTreeSet<String>> = None;
    for manifest_path in MANIFEST_PATHS {
        let manifest = fs::read_to_string(root.join(manifest_path))
            .map_err(|e| e.to_string())
            .and_then(|text| text.parse::<toml::Table>().map_err(|e| e.to_string()))
            .map_err(|e| Problem {
                file: manifest_path.into(),
                path: "features".into(),
                message: format!("cannot read the manifest: {e}"),
                fix: format!("restore {manifest_path}"),
            })?;
        let features = manifest.get("features").and_then(toml::Value::as_table);
        let names: BTreeSet<String> = features
            .into_iter()
            .flat_map(|f| f.keys().cloned())
            .collect();
        both = Some(match both {
            None => names,
            Some(earlier) => earlier.intersection(&names).cloned().collect(),
        });
    }
    Ok(both.unwrap_or_default())
}

fn collect_json(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
