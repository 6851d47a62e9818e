//! The manifests codegen writes: the API crate's (`feishu-api`), with a
//! feature and an optional dependency per API group, and each group
//! crate's. They are TOML text, not tokens; `render::toml` heads them.

use super::modules::Node;

/// The API groups every user gets unless they turn default features off.
/// `feishu-openapi`'s hand-written manifest names the same.
pub const DEFAULT_GROUPS: [&str; 1] = ["im"];

/// The package of an API group's crate: `meeting_room` ->
/// `feishu-api-meeting-room` (its crate name `feishu_api_meeting_room`).
pub fn group_package(group: &str) -> String {
    format!("feishu-api-{}", group.replace('_', "-"))
}

/// The crate name of an API group's crate, as Rust code names it.
pub fn group_crate(group: &str) -> String {
    group_package(group).replace('-', "_")
}

/// `generated/feishu-api/Cargo.toml`.
pub fn api_manifest(root: &Node) -> String {
    let groups: Vec<&str> = root.children.keys().map(String::as_str).collect();
    let mut text = String::from(
        "[package]\n\
         name = \"feishu-api\"\n\
         version = \"0.1.0\"\n\
         edition.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         description = \"The generated API of feishu-openapi, which re-exports it: users depend on feishu-openapi\"\n\
         \n\
         [dependencies]\n\
         feishu-runtime.workspace = true\n\
         # `Client::call` bounds its body by serde's `Serialize`.\n\
         serde.workspace = true\n",
    );
    for group in &groups {
        text.push_str(&format!(
            "{} = {{ path = \"../groups/{group}\", optional = true }}\n",
            group_package(group)
        ));
    }
    let quoted = |names: &mut dyn Iterator<Item = String>| {
        names
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let defaults = quoted(
        &mut DEFAULT_GROUPS
            .iter()
            .filter(|g| groups.contains(g))
            .map(|g| (*g).to_owned()),
    );
    text.push_str(&format!(
        "\n[features]\ndefault = [{defaults}]\n\
         ## API groups, one feature each, so users compile only the groups they call.\n"
    ));
    for group in &groups {
        text.push_str(&format!("{group} = [\"dep:{}\"]\n", group_package(group)));
    }
    let routes = quoted(
        &mut std::iter::once("feishu-runtime/routes".to_owned()).chain(
            groups
                .iter()
                .map(|g| format!("{}?/routes", group_package(g))),
        ),
    );
    text.push_str(&format!(
        "## Every endpoint's route (request check, page example) for the fake Feishu.\n\
         routes = [{routes}]\n\
         ## A Redis-backed token cache, so several bot instances share one token.\n\
         redis = [\"feishu-runtime/redis\"]\n"
    ));
    text.push_str(DOCS_RS);
    text
}

/// `generated/groups/<group>/Cargo.toml`.
pub fn group_manifest(group: &str) -> String {
    format!(
        "[package]\n\
         name = \"{package}\"\n\
         version = \"0.1.0\"\n\
         edition.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         description = \"The `{group}` API group of feishu-openapi, which re-exports it: users depend on feishu-openapi with the feature `{group}`\"\n\
         \n\
         # The group has no tests of its own (feishu-openapi's doc_examples\n\
         # test its types) and its doc comments no Rust examples: without\n\
         # these, `cargo test --workspace` would build every group twice more.\n\
         [lib]\n\
         test = false\n\
         doctest = false\n\
         \n\
         [dependencies]\n\
         feishu-runtime.workspace = true\n\
         # The runtime's `object_impls!` and open-enum macros name `::serde`.\n\
         serde.workspace = true\n\
         \n\
         [features]\n\
         ## Every endpoint's route (request check, page example) for the fake Feishu.\n\
         routes = [\"feishu-runtime/routes\"]\n\
         {DOCS_RS}",
        package = group_package(group),
    )
}

/// Docs with every feature, each feature-gated item labelled (`doc_cfg`).
const DOCS_RS: &str = "\n\
    # Docs with every feature, each feature-gated item labelled (`doc_cfg`).\n\
    [package.metadata.docs.rs]\n\
    all-features = true\n\
    rustdoc-args = [\"--cfg\", \"docsrs\"]\n";
