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
/// The generated API crate (`feishu-api`): every API group's crate behind
/// the feature of its name, re-exported as a module, and the `Client` whose
/// methods lead to them. Everything in it is generated, its manifest too.
pub const API_DIR: &str = "generated/feishu-api";
/// Its source folder: only `lib.rs`.
pub const SRC_DIR: &str = "generated/feishu-api/src";
/// One crate per API group, `<GROUPS_DIR>/<group>/` (package
/// `feishu-api-<group>`), each generated whole, manifest included: its
/// modules sit at the schema's path below the group
/// (`schema/im/v1/chat/create.json` -> `im/src/v1/chat/create.rs`). A file
/// no schema produces is an orphan, which `cargo xtask codegen` removes.
pub const GROUPS_DIR: &str = "generated/groups";
/// The source folder of `feishu-openapi`, the crate users depend on: its
/// `lib.rs` re-exports the API crate and, behind `testing`, the fake.
pub const FACADE_SRC_DIR: &str = "generated/feishu-openapi/src";
/// The tests of `feishu-openapi`: generated as well, like [`SRC_DIR`].
pub const TESTS_DIR: &str = "generated/feishu-openapi/tests";
/// The hand-written manifest that forwards one feature per API group to
/// the API crate, so users name the groups they call.
pub const FACADE_MANIFEST_PATH: &str = "generated/feishu-openapi/Cargo.toml";

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

/// The cargo features `feishu-openapi`'s manifest declares: every API
/// group needs one there, forwarding it to the API crate.
fn features(root: &Path) -> Result<BTreeSet<String>, Problem> {
    let manifest = fs::read_to_string(root.join(FACADE_MANIFEST_PATH))
        .map_err(|e| e.to_string())
        .and_then(|text| text.parse::<toml::Table>().map_err(|e| e.to_string()))
        .map_err(|e| Problem {
            file: FACADE_MANIFEST_PATH.into(),
            path: "features".into(),
            message: format!("cannot read the manifest: {e}"),
            fix: format!("restore {FACADE_MANIFEST_PATH}"),
        })?;
    let features = manifest.get("features").and_then(toml::Value::as_table);
    Ok(features
        .into_iter()
        .flat_map(|f| f.keys().cloned())
        .collect())
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
