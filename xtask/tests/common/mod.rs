//! What several xtask tests share.

#![allow(dead_code)] // each test uses a different part

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

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch checkout holding what `cargo xtask codegen` reads and writes:
/// the workspace manifest, schema/, the generated crates' manifests, the
/// folders codegen owns, openapi.json.
pub fn checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root();
    for sub in std::iter::once("schema").chain(xtask::codegen::OWNED_DIRS.iter().copied()) {
        copy_dir(&from.join(sub), &dir.path().join(sub));
    }
    let manifest = feishu_codegen::FACADE_MANIFEST_PATH;
    for file in ["Cargo.toml", "openapi.json", manifest] {
        fs::copy(from.join(file), dir.path().join(file)).unwrap();
    }
    dir
}
