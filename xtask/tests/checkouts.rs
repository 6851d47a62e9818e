//! The xtask binary works on the checkout it is run in, found from the
//! current folder: two checkouts that share one target folder run the same
//! binary file, and each run reads and writes its own checkout only.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::checkout;

const CREATE: &str = "schema/im/v1/chat/create.json";
const CREATE_RS: &str = "generated/groups/im/src/v1/chat/create.rs";

/// The checkout this test binary was built from.
fn this_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Every file below `root`, by relative path, with its bytes.
fn contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Runs the xtask binary in `cwd` with `env`: exit code, stdout, stderr.
fn xtask(cwd: &Path, env: &[(&str, &Path)], args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.current_dir(cwd).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Both checkouts in one temp folder's children, like two worktrees, with
/// one target folder for both.
#[test]
fn each_run_reads_and_writes_only_the_checkout_it_runs_in() {
    let shared_target = tempfile::tempdir().unwrap();
    let target: &[(&str, &Path)] = &[("CARGO_TARGET_DIR", shared_target.path())];
    let (a, b) = (checkout(), checkout());
    let ours_before = fs::read(this_checkout().join(CREATE_RS)).unwrap();

    edit(
        a.path(),
        CREATE,
        "\"description\": \"群类型\"",
        "\"description\": \"群的类型\"",
    );
    let a_before = contents(a.path());
    let b_before = contents(b.path());

    // From a folder deep inside checkout B: nothing to do there.
    let (code, stdout, stderr) = xtask(
        &b.path().join("generated/groups/im/src/v1"),
        target,
        &["codegen", "--check"],
    );
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "generated code is up to date\n", "")
    );

    // Checkout A is stale, and says so without writing.
    let (code, stdout, stderr) = xtask(a.path(), target, &["codegen", "--check"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        format!(
            "stale: {CREATE_RS}\nstale: openapi.json\ngenerated code is out of date: run `cargo xtask codegen`\n"
        )
    );
    assert_eq!(contents(a.path()), a_before);

    // Regenerating A, from its schema folder, changes A's two files only.
    let (code, stdout, stderr) = xtask(&a.path().join("schema/im"), target, &["codegen"]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (
            0,
            format!("updated {CREATE_RS}\nupdated openapi.json\n").as_str(),
            ""
        )
    );
    let a_after = contents(a.path());
    let changed: Vec<&str> = a_after
        .iter()
        .filter(|(rel, bytes)| a_before.get(*rel) != Some(*bytes))
        .map(|(rel, _)| rel.as_str())
        .collect();
    assert_eq!(changed, [CREATE_RS, "openapi.json"]);
    assert_eq!(a_after.len(), a_before.len());
    let text = String::from_utf8(a_after[CREATE_RS].clone()).unwrap();
    assert!(text.contains("    /// 群的类型\n"));

    // B, and the checkout the binary was built in, are byte for byte as
    // they were.
    assert_eq!(contents(b.path()), b_before);
    assert_eq!(
        fs::read(this_checkout().join(CREATE_RS)).unwrap(),
        ours_before
    );
    let (code, stdout, _) = xtask(b.path(), target, &["codegen", "--check"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "generated code is up to date\n")
    );
}

#[test]
fn drift_looks_the_schema_up_in_the_checkout_it_runs_in() {
    let (a, b) = (checkout(), checkout());
    let page = a.path().join("page.md");
    fs::write(&page, include_str!("fixtures/im-v1-chat-create.md")).unwrap();
    // B's schema has another quota; A's has the page's.
    edit(
        b.path(),
        CREATE,
        "\"per_minute\": 1000",
        "\"per_minute\": 100",
    );
    let page = page.to_str().unwrap();
    let (code, stdout, _) = xtask(a.path(), &[], &["drift", page]);
    assert_eq!(
        (code, stdout),
        (0, format!("no drift: {CREATE} matches {page}\n"))
    );
    let (code, stdout, _) = xtask(b.path(), &[], &["drift", page]);
    assert_eq!(
        (code, stdout.as_str()),
        (1, "shape: rate_limit: 100/min 50/s -> 1000/min 50/s\n")
    );
}

#[test]
fn a_workspace_without_schema_and_a_package_manifest_are_passed_over() {
    let a = checkout();
    // A nested workspace of its own (no schema/) and the generated crate's
    // package manifest (no [workspace]) lie between the folder and the
    // checkout.
    let nested = a.path().join("generated/tools");
    fs::create_dir_all(nested.join("src")).unwrap();
    fs::write(nested.join("Cargo.toml"), "[workspace]\n").unwrap();
    fs::create_dir_all(a.path().join("generated/schema")).unwrap();
    let (code, stdout, stderr) = xtask(&nested.join("src"), &[], &["codegen", "--check"]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "generated code is up to date\n", "")
    );
}

#[test]
fn outside_any_checkout_codegen_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path().canonicalize().unwrap();
    // A workspace without schema/ is not a checkout.
    fs::write(here.join("Cargo.toml"), "[workspace]\n").unwrap();
    for args in [&["codegen"][..], &["codegen", "--check"]] {
        let (code, stdout, stderr) = xtask(&here, &[], args);
        assert_eq!((code, stdout.as_str()), (2, ""));
        assert_eq!(
            stderr,
            format!(
                "error: no feishu-openapi checkout here: neither {} nor a folder above it holds a Cargo.toml with a [workspace] table beside a schema/ folder\n  \
                 fix: run `cargo xtask` inside the checkout\n",
                here.display()
            )
        );
    }
    assert_eq!(
        contents(&here).into_keys().collect::<Vec<_>>(),
        ["Cargo.toml"]
    );
}
