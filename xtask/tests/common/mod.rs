//! What several xtask tests share.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use feishu_codegen::spec::TypeSpec;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The shared types of `schema/im/v1/types.json` that create chat names,
/// directly or through others: the version's shared types as the import
/// tests were written against, whatever the rest of the family added
/// since.
pub fn create_chat_shared_types() -> BTreeMap<String, TypeSpec> {
    let api = feishu_codegen::load(&root()).unwrap();
    let create = api
        .endpoints
        .iter()
        .find(|e| e.source_file == "schema/im/v1/chat/create.json")
        .unwrap();
    let used = &create.shared.as_ref().unwrap().names;
    let text = fs::read_to_string(root().join("schema/im/v1/types.json")).unwrap();
    feishu_codegen::parse_types("schema/im/v1/types.json", &text)
        .unwrap()
        .types
        .into_iter()
        .filter(|(name, _)| used.contains(name))
        .collect()
}
