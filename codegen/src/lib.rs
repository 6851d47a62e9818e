//! `feishu-codegen`: turns hand-written descriptions of Feishu Open API
//! endpoints (`schema/**/*.json`) into the Rust of the `feishu-openapi` crate.
//!
//! Data flows one way: [`load`] (serde, [`spec`]) -> [`ir::resolve`] (every
//! check) -> `emit` (syn files: declarations built as syn nodes, code
//! written with quote and parsed) -> [`render`] (prettyplease).

pub mod ir;
mod literal;
pub mod openapi;
pub mod problem;
pub mod render;
pub mod spec;

mod emit;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

pub use problem::{Problem, Problems};

/// Where the meta-schema lives, relative to the workspace root.
pub const META_SCHEMA_PATH: &str = "schema/endpoint.schema.json";
/// Where generated endpoint modules live, relative to the workspace root.
pub const API_DIR: &str = "generated/src/api";
/// The generated crate's manifest, which declares one feature per API group.
pub const MANIFEST_PATH: &str = "generated/Cargo.toml";

/// Parses one schema file. `file` names it in problems.
pub fn parse(file: &str, text: &str) -> Result<spec::EndpointSpec, Problem> {
    // Tracking the JSON path costs as much again as the parse itself, so
    // it runs only to explain a file that failed.
    if let Ok(spec) = serde_json::from_str(text) {
        return Ok(spec);
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(&mut *de) {
        Err(err) => {
            let path = err.path().to_string();
            Err(json_problem(file, path, err.into_inner()))
        }
        // The value itself was fine: what follows it is not.
        Ok(spec) => match de.end() {
            Ok(()) => Ok(spec),
            Err(err) => Err(json_problem(file, String::new(), err)),
        },
    }
}

fn json_problem(file: &str, path: String, inner: serde_json::Error) -> Problem {
    // A syntax error has no JSON path; its line and column say where.
    let syntax = matches!(
        inner.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    );
    let path = if syntax || path == "." {
        String::new()
    } else {
        path
    };
    let fix = if syntax {
        format!(
            "fix the JSON syntax at line {}, column {}",
            inner.line(),
            inner.column()
        )
    } else {
        format!(
            "make the value match the endpoint format ({META_SCHEMA_PATH} describes it; editors check it through \"$schema\")"
        )
    };
    Problem {
        file: file.to_owned(),
        path,
        message: inner.to_string(),
        fix,
    }
}

/// Loads and resolves every endpoint under `root/schema`, reporting every
/// problem of every file at once.
pub fn load(root: &Path) -> Result<Vec<ir::Endpoint>, Problems> {
    let mut files = Vec::new();
    collect_json(&root.join("schema"), &mut files).map_err(|e| {
        Problems(vec![Problem {
            file: "schema".into(),
            path: String::new(),
            message: format!("cannot read the schema folder: {e}"),
            fix: "run from the workspace root, which holds schema/".into(),
        }])
    })?;
    let mut endpoints = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        let rel = relative(root, &path);
        if rel == META_SCHEMA_PATH {
            continue;
        }
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(Problem {
                    file: rel,
                    path: String::new(),
                    message: format!("cannot read the file: {e}"),
                    fix: "make the file readable UTF-8 text".into(),
                });
                continue;
            }
        };
        match parse(&rel, &text)
            .map_err(|p| vec![p])
            .and_then(|s| ir::resolve(&rel, &s))
        {
            Ok(endpoint) => endpoints.push(endpoint),
            Err(mut found) => problems.append(&mut found),
        }
    }
    problems.extend(tree_problems(&endpoints));
    problems.extend(feature_problems(root, &endpoints));
    if problems.is_empty() {
        Ok(endpoints)
    } else {
        Err(Problems(problems))
    }
}

/// A file `x.json` beside a folder `x/` would make two modules named `x`.
fn tree_problems(endpoints: &[ir::Endpoint]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for e in endpoints {
        for other in endpoints {
            if other.module_path.len() > e.module_path.len()
                && other.module_path.starts_with(&e.module_path)
            {
                problems.push(Problem {
                    file: e.source_file.clone(),
                    path: String::new(),
                    message: format!(
                        "this file and the folder of {} both become the module `{}`",
                        other.source_file,
                        e.module_path.join("::")
                    ),
                    fix: "rename the file or the folder".into(),
                });
                break;
            }
        }
    }
    problems
}

/// Every API group needs a cargo feature of the same name, which gates its
/// module; the manifest is hand-written, so this says what to add.
fn feature_problems(root: &Path, endpoints: &[ir::Endpoint]) -> Vec<Problem> {
    let problem = |message: String, fix: String| Problem {
        file: MANIFEST_PATH.into(),
        path: "features".into(),
        message,
        fix,
    };
    let manifest = fs::read_to_string(root.join(MANIFEST_PATH))
        .map_err(|e| e.to_string())
        .and_then(|text| text.parse::<toml::Table>().map_err(|e| e.to_string()));
    let manifest = match manifest {
        Ok(manifest) => manifest,
        Err(e) => {
            return vec![problem(
                format!("cannot read the manifest: {e}"),
                "restore generated/Cargo.toml".into(),
            )];
        }
    };
    let features = manifest.get("features").and_then(toml::Value::as_table);
    let groups: std::collections::BTreeSet<&str> = endpoints
        .iter()
        .map(|e| e.module_path[0].as_str())
        .collect();
    groups
        .into_iter()
        .filter(|group| !features.is_some_and(|f| f.contains_key(*group)))
        .map(|group| {
            problem(
                format!("API group `{group}` (schema/{group}/) has no cargo feature"),
                format!("add `{group} = []` under [features], and \"{group}\" to `default` unless it is opt-in"),
            )
        })
        .collect()
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

/// Every file codegen owns, by path relative to the workspace root: the
/// meta-schema, the generated modules and the OpenAPI document.
pub fn generate(endpoints: &[ir::Endpoint]) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(META_SCHEMA_PATH.to_owned(), spec::meta_schema());
    files.insert(openapi::OPENAPI_PATH.to_owned(), openapi::render(endpoints));
    for e in endpoints {
        let path = format!("{API_DIR}/{}.rs", e.module_path.join("/"));
        let file = emitted_or_bug(emit::endpoint_file(e), &e.source_file);
        files.insert(path, render::render(&file, &e.source_file));
    }
    let root = emit::tree(endpoints);
    let mut stack = vec![(Vec::<String>::new(), &root)];
    while let Some((path, node)) = stack.pop() {
        let folder = path.iter().map(|s| format!("{s}/")).collect::<String>();
        let source = format!("the schema files under schema/{folder}");
        let file = emitted_or_bug(emit::module_file(&path, node), &source);
        files.insert(
            format!("{API_DIR}/{folder}mod.rs"),
            render::render(&file, &source),
        );
        for (name, child) in &node.children {
            let mut child_path = path.clone();
            child_path.push(name.clone());
            stack.push((child_path, child));
        }
    }
    files
}

/// The IR guarantees valid names and values; a parse failure of the code
/// written with `quote!` is a generator bug.
fn emitted_or_bug(file: syn::Result<syn::File>, source: &str) -> syn::File {
    match file {
        Ok(file) => file,
        Err(e) => panic!("generator bug: the code emitted for {source} does not parse: {e}"),
    }
}
