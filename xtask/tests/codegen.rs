//! `cargo xtask codegen` against the real workspace and against scratch
//! copies of it: stale files are named, bad schemas change nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::codegen::{self, Change, Error};

use crate::common::{checkout as scratch, root as workspace_root};

const CREATE: &str = "schema/im/v1/chat/create.json";
const CREATE_RS: &str = "generated/groups/im/src/v1/chat/create.rs";

/// Every file below `root/generated` and `root/schema`, with its bytes.
fn contents(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root.join("generated"), &mut out);
    walk(&root.join("schema"), &mut out);
    out
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn xtask(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn checked_in_generated_code_is_up_to_date() {
    match codegen::run(&workspace_root(), true) {
        Ok(changes) => assert_eq!(changes, []),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn check_names_stale_files_and_writes_nothing() {
    let dir = scratch();
    edit(
        dir.path(),
        CREATE,
        "\"description\": \"群类型\"",
        "\"description\": \"群的类型\"",
    );
    let before = contents(dir.path());
    let (code, stdout, stderr) = xtask(dir.path(), &["codegen", "--check"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "stale: {CREATE_RS}\nstale: openapi.json\ngenerated code is out of date: run `cargo xtask codegen`\n"
        )
    );
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn regenerating_updates_then_reports_up_to_date() {
    let dir = scratch();
    edit(
        dir.path(),
        CREATE,
        "\"description\": \"群类型\"",
        "\"description\": \"群的类型\"",
    );
    let (code, stdout, _) = xtask(dir.path(), &["codegen"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            format!("updated {CREATE_RS}\nupdated openapi.json\n").as_str()
        )
    );
    let text = fs::read_to_string(dir.path().join(CREATE_RS)).unwrap();
    assert!(text.contains("    /// 群的类型\n"));
    let (code, stdout, _) = xtask(dir.path(), &["codegen", "--check"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "generated code is up to date\n")
    );
}

#[test]
fn missing_and_orphaned_files_are_found_and_fixed() {
    let dir = scratch();
    let root = dir.path();
    fs::remove_file(root.join("generated/groups/im/src/v1/mod.rs")).unwrap();
    fs::write(
        root.join("generated/groups/im/src/v1/old.rs"),
        "// from a removed schema\n",
    )
    .unwrap();
    match codegen::run(root, true) {
        Err(Error::Stale(changes)) => assert_eq!(
            changes,
            [
                Change::Missing("generated/groups/im/src/v1/mod.rs".into()),
                Change::Orphan("generated/groups/im/src/v1/old.rs".into()),
            ]
        ),
        other => panic!("{other:?}"),
    }
    codegen::run(root, false).unwrap();
    assert!(root.join("generated/groups/im/src/v1/mod.rs").exists());
    assert!(!root.join("generated/groups/im/src/v1/old.rs").exists());
    assert_eq!(codegen::run(root, true).unwrap(), []);
}

#[test]
fn a_bad_schema_beside_a_good_one_changes_nothing() {
    let dir = scratch();
    let root = dir.path();
    // A good new endpoint, which would add files, and a mistake in the old one.
    let good = fs::read_to_string(root.join(CREATE)).unwrap();
    fs::create_dir_all(root.join("schema/im/v1/group")).unwrap();
    fs::write(root.join("schema/im/v1/group/create.json"), good).unwrap();
    edit(
        root,
        CREATE,
        "\"type\": \"I18nNames\"",
        "\"type\": \"I18nName\"",
    );
    let before = contents(root);
    let (code, stdout, stderr) = xtask(root, &["codegen"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: schema/im/v1/chat/create.json: body.fields[3].type: unknown type `I18nName`\n  \
         fix: did you mean `I18nNames`?\nnothing under generated/ was changed\n"
    );
    assert_eq!(contents(root), before);
}

#[test]
fn malformed_json_is_reported_with_line_and_changes_nothing() {
    let dir = scratch();
    let root = dir.path();
    edit(
        root,
        CREATE,
        "\"method\": \"POST\",",
        "\"method\": \"POST\"",
    );
    let before = contents(root);
    let (code, _, stderr) = xtask(root, &["codegen"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: schema/im/v1/chat/create.json: (file): expected `,` or `}` at line 19 column 3\n  \
         fix: fix the JSON syntax at line 19, column 3\nnothing under generated/ was changed\n"
    );
    assert_eq!(contents(root), before);
}

#[test]
fn a_read_only_target_fails_and_keeps_the_old_file_whole() {
    let dir = scratch();
    let root = dir.path();
    edit(
        root,
        CREATE,
        "\"description\": \"群类型\"",
        "\"description\": \"群的类型\"",
    );
    let target = root.join(CREATE_RS);
    let old = fs::read(&target).unwrap();
    let mut permissions = fs::metadata(&target).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&target, permissions).unwrap();
    match codegen::run(root, false) {
        Err(Error::Io(path, e)) => {
            assert_eq!(path, target);
            assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fs::read(&target).unwrap(), old);
    let leftovers: Vec<_> = fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

#[test]
fn a_group_without_a_cargo_feature_is_refused() {
    let dir = scratch();
    let root = dir.path();
    fs::create_dir_all(root.join("schema/demo/v3/user")).unwrap();
    fs::copy(
        root.join(CREATE),
        root.join("schema/demo/v3/user/create.json"),
    )
    .unwrap();
    fs::copy(
        root.join("schema/im/v1/types.json"),
        root.join("schema/demo/v3/types.json"),
    )
    .unwrap();
    let before = contents(root);
    let (code, _, stderr) = xtask(root, &["codegen"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: generated/feishu-openapi/Cargo.toml: features: API group `demo` (schema/demo/) \
         has no cargo feature in the crate users depend on\n  \
         fix: add `demo = [\"feishu-api/demo\"]` under [features], \
         and \"demo\" to `default` if every user should get it\n\
         nothing under generated/ was changed\n"
    );
    assert_eq!(contents(root), before);
    assert!(!root.join("generated/groups/demo").exists());
    edit(
        root,
        "generated/feishu-openapi/Cargo.toml",
        "im = [\"feishu-api/im\"]",
        "im = [\"feishu-api/im\"]\ndemo = [\"feishu-api/demo\"]",
    );
    let (code, stdout, _) = xtask(root, &["codegen"]);
    assert_eq!(code, 0);
    // The group's crate, manifest and all, and its place in the API crate.
    assert!(
        stdout.contains("created generated/groups/demo/Cargo.toml\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("updated generated/feishu-api/Cargo.toml\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("created generated/groups/demo/src/v3/user/create.rs\n"),
        "{stdout}"
    );
}
