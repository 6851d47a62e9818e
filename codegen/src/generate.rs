//! Every file codegen owns, made from the IR on every core.

use std::collections::BTreeMap;

use crate::{
    API_DIR, EVENT_META_SCHEMA_PATH, FACADE_SRC_DIR, GROUPS_DIR, META_SCHEMA_PATH, SRC_DIR,
    TYPES_META_SCHEMA_PATH,
};
use crate::{emit, ir, openapi, parallel, render, spec};

/// Every file codegen owns, by path relative to the workspace root: the
/// meta-schemas, the generated crate's source (`lib.rs` included), its test
/// of the pages' examples and the OpenAPI document. The files are made on
/// every core; which thread made one changes none of its bytes.
pub fn generate(api: &ir::Api) -> BTreeMap<String, String> {
    generate_each(api, |_, text| text)
}

/// Makes each file codegen owns, on every core, and hands its path and
/// text to `each` on the thread that made it; keeps what `each` returns,
/// by the file's path. `cargo xtask codegen` compares each file with the
/// disk there, so only the files that differ are kept in memory.
pub fn generate_each<T: Send>(
    api: &ir::Api,
    each: impl Fn(&str, String) -> T + Sync,
) -> BTreeMap<String, T> {
    let root = emit::tree(api);
    let mut folders = Vec::new();
    let mut stack = vec![(Vec::<String>::new(), &root)];
    while let Some((path, node)) = stack.pop() {
        for (name, child) in &node.children {
            let mut child_path = path.clone();
            child_path.push(name.clone());
            stack.push((child_path, child));
        }
        folders.push((path, node));
    }
    // The OpenAPI document is the largest single job: first, so that it
    // runs beside the endpoint files rather than after them.
    let mut jobs = vec![
        Job::OpenApi(api),
        Job::MetaSchema,
        Job::TypesMetaSchema,
        Job::EventMetaSchema,
        Job::DocExamples(api),
        Job::Facade,
        Job::ApiManifest(&root),
    ];
    jobs.extend(root.children.keys().map(|group| Job::GroupManifest(group)));
    jobs.extend(api.shared.iter().map(Job::Shared));
    jobs.extend(api.events.iter().map(Job::Event));
    let mut versions: BTreeMap<&[String], Vec<&ir::EventType>> = BTreeMap::new();
    for event in &api.events {
        versions
            .entry(&event.module_path[..2])
            .or_default()
            .push(event);
    }
    jobs.extend(
        versions
            .into_iter()
            .map(|(path, events)| Job::EventEnum(path, events)),
    );
    jobs.extend(api.endpoints.iter().map(Job::Endpoint));
    jobs.extend(folders.iter().map(|(path, node)| Job::Folder(path, node)));
    parallel::map(&jobs, |job| {
        let path = job.path();
        let kept = each(&path, job.text());
        (path, kept)
    })
    .into_iter()
    .collect()
}

/// One file [`generate`] makes.
enum Job<'a> {
    MetaSchema,
    TypesMetaSchema,
    EventMetaSchema,
    OpenApi(&'a ir::Api),
    /// The generated crate's test of the pages' examples.
    DocExamples(&'a ir::Api),
    /// The root of `feishu-openapi`, which re-exports the API crate.
    Facade,
    /// The API crate's manifest: a feature and an optional dependency per
    /// API group.
    ApiManifest(&'a emit::Node),
    /// An API group crate's manifest.
    GroupManifest(&'a str),
    Shared(&'a ir::SharedTypes),
    Endpoint(&'a ir::Endpoint),
    Event(&'a ir::EventType),
    /// A version's event enum: its path (`["im", "v1"]`) and its events.
    EventEnum(&'a [String], Vec<&'a ir::EventType>),
    /// The `mod.rs` of a folder of the module tree; the root's is `lib.rs`.
    Folder(&'a [String], &'a emit::Node),
}

impl Job<'_> {
    /// Where the file goes.
    fn path(&self) -> String {
        match self {
            Job::MetaSchema => META_SCHEMA_PATH.to_owned(),
            Job::TypesMetaSchema => TYPES_META_SCHEMA_PATH.to_owned(),
            Job::EventMetaSchema => EVENT_META_SCHEMA_PATH.to_owned(),
            Job::OpenApi(_) => openapi::OPENAPI_PATH.to_owned(),
            Job::DocExamples(_) => emit::DOC_EXAMPLES_PATH.to_owned(),
            Job::Facade => format!("{FACADE_SRC_DIR}/lib.rs"),
            Job::ApiManifest(_) => format!("{API_DIR}/Cargo.toml"),
            Job::GroupManifest(group) => format!("{GROUPS_DIR}/{group}/Cargo.toml"),
            Job::Shared(shared) => module_file(&shared.module_path),
            Job::Endpoint(e) => module_file(&e.module_path),
            Job::Event(e) => module_file(&e.module_path),
            Job::EventEnum(version, _) => {
                module_file(&[*version, &[emit::EVENT_ENUM_MODULE.to_owned()]].concat())
            }
            // The root folder is the API crate's root, a group's folder its
            // crate's root.
            Job::Folder([], _) => format!("{SRC_DIR}/lib.rs"),
            Job::Folder([group], _) => format!("{GROUPS_DIR}/{group}/src/lib.rs"),
            Job::Folder([group, rest @ ..], _) => {
                format!("{GROUPS_DIR}/{group}/src/{}/mod.rs", rest.join("/"))
            }
        }
    }

    /// The file's text.
    fn text(&self) -> String {
        let (file, source) = match self {
            Job::MetaSchema => return spec::meta_schema(),
            Job::TypesMetaSchema => return spec::types_meta_schema(),
            Job::EventMetaSchema => return spec::event_meta_schema(),
            Job::OpenApi(api) => return openapi::render(api),
            Job::DocExamples(api) => (
                emit::doc_examples_file(api),
                "the schema files under schema/".to_owned(),
            ),
            Job::Facade => (
                emit::facade_file(),
                "the schema files under schema/".to_owned(),
            ),
            Job::ApiManifest(root) => {
                return render::toml(&emit::api_manifest(root), "the schema files under schema/");
            }
            Job::GroupManifest(group) => {
                return render::toml(
                    &emit::group_manifest(group),
                    &format!("the schema files under schema/{group}/"),
                );
            }
            Job::Shared(shared) => (emit::shared_types_file(shared), shared.source_file.clone()),
            Job::Endpoint(e) => (emit::endpoint_file(e), e.source_file.clone()),
            Job::Event(e) => (emit::event_file(e), e.source_file.clone()),
            Job::EventEnum(version, events) => (
                emit::event_enum_file(version, events),
                format!("the event files under schema/{}/", version.join("/")),
            ),
            Job::Folder(path, node) => {
                // The folders' own names: `match/` for the module `match_`.
                let schema_folder = path
                    .iter()
                    .map(|s| format!("{}/", ir::names::schema_name(s)))
                    .collect::<String>();
                let file = match path {
                    [] => emit::crate_root_file(node),
                    [group] => emit::group_root_file(group, node),
                    _ => emit::module_file(path, node),
                };
                (
                    file,
                    format!("the schema files under schema/{schema_folder}"),
                )
            }
        };
        render::render(&emitted_or_bug(file, &source), &source)
    }
}

/// Where the module at `module_path` goes: in its API group's crate, at
/// its path below the group.
fn module_file(module_path: &[String]) -> String {
    let (group, rest) = module_path
        .split_first()
        .expect("module paths start with their group");
    format!("{GROUPS_DIR}/{group}/src/{}.rs", rest.join("/"))
}

/// The file's tokens as the `syn::File` prettyplease prints: the one parse
/// of a file. The IR admits only names and values that make valid Rust, so
/// tokens that do not parse are a generator bug.
fn emitted_or_bug(tokens: proc_macro2::TokenStream, source: &str) -> syn::File {
    match syn::parse2(tokens) {
        Ok(file) => file,
        Err(e) => panic!("generator bug: the code emitted for {source} does not parse: {e}"),
    }
}
