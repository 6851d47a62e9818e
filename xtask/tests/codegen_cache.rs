//! `cargo xtask codegen` trusts its cache only for files made from the same
//! inputs by the same build and unchanged on disk since; `--check` never
//! trusts it.

use std::fs;
use std::path::Path;
use std::process::Command;

use feishu_codegen::fingerprint;
use xtask::cache::Store;
use xtask::codegen::{self, Change, Error};

mod common;

use common::checkout;

const CREATE: &str = "schema/im/v1/chat/create.json";
const CREATE_RS: &str = "generated/src/im/v1/chat/create.rs";

fn store(dir: &Path, build: &str, checkout: &Path) -> Store {
    Store {
        file: dir.join("cache"),
        build: build.to_owned(),
        checkout: checkout.to_owned(),
    }
}

/// A scratch checkout (up to date), a folder for its cache, and the cache
/// of build `build` after one run.
fn after_one_run(build: &str) -> (tempfile::TempDir, tempfile::TempDir, Store) {
    let dir = checkout();
    let cache = tempfile::tempdir().unwrap();
    let store = store(cache.path(), build, dir.path());
    assert_eq!(codegen::run(dir.path(), false, Some(&store)).unwrap(), []);
    (dir, cache, store)
}

/// The cache's lines for each file, after its three header lines.
fn lines(store: &Store) -> Vec<String> {
    let text = fs::read_to_string(&store.file).unwrap();
    text.lines().skip(3).map(str::to_owned).collect()
}

/// Hand-edits `rel` and makes the cache vouch for the edited bytes, as if
/// the generator had made them: a run that trusts the cache leaves it.
fn edit_behind_the_cache(root: &Path, store: &Path, rel: &str) -> Vec<u8> {
    let mut bytes = fs::read(root.join(rel)).unwrap();
    bytes.extend_from_slice(b"// edited by hand\n");
    fs::write(root.join(rel), &bytes).unwrap();
    let text = fs::read_to_string(store).unwrap();
    let forged: Vec<String> = text
        .lines()
        .map(|line| match line.strip_suffix(&format!(" {rel}")) {
            Some(hashes) => {
                let (fingerprint, _) = hashes.split_once(' ').unwrap();
                let content = fingerprint::content(&bytes);
                format!("{fingerprint} {content:016x} {rel}")
            }
            None => line.to_owned(),
        })
        .collect();
    assert_ne!(forged.join("\n") + "\n", text, "the cache names {rel}");
    fs::write(store, forged.join("\n") + "\n").unwrap();
    bytes
}

#[test]
fn a_run_records_every_file_it_owns() {
    let (dir, _cache, store) = after_one_run("test build");
    let root = dir.path();
    let text = fs::read_to_string(&store.file).unwrap();
    let head = format!(
        "feishu-openapi codegen cache 1\nbuild test build\ncheckout {}\n",
        root.display()
    );
    assert!(text.starts_with(&head), "{text}");
    let lines = lines(&store);
    let paths: Vec<&str> = lines.iter().map(|l| &l[34..]).collect();
    let wanted = feishu_codegen::generate(&feishu_codegen::load(root).unwrap());
    assert_eq!(paths, wanted.keys().map(String::as_str).collect::<Vec<_>>());
    // A run that finds nothing new leaves the cache as it is: its lines in
    // reverse (which read the same) are not written back in path order.
    let mut reversed = head.clone();
    for line in lines.iter().rev() {
        reversed.push_str(line);
        reversed.push('\n');
    }
    fs::write(&store.file, &reversed).unwrap();
    assert_eq!(codegen::run(root, false, Some(&store)).unwrap(), []);
    assert_eq!(fs::read_to_string(&store.file).unwrap(), reversed);
    // Each line's second hash is the bytes on disk.
    let line = lines.iter().find(|l| l.ends_with(CREATE_RS)).unwrap();
    let on_disk = fingerprint::content(&fs::read(root.join(CREATE_RS)).unwrap());
    assert_eq!(&line[17..33], format!("{on_disk:016x}"));
}

#[test]
fn a_file_the_cache_vouches_for_is_not_made_again_but_check_makes_it() {
    let (dir, _cache, store) = after_one_run("test build");
    let root = dir.path();
    let edited = edit_behind_the_cache(root, &store.file, CREATE_RS);
    // Trusted: the file is neither made nor compared, so the edit stays.
    assert_eq!(codegen::run(root, false, Some(&store)).unwrap(), []);
    assert_eq!(fs::read(root.join(CREATE_RS)).unwrap(), edited);
    // `--check` makes every file, cache or not.
    match codegen::run(root, true, Some(&store)) {
        Err(Error::Stale(changes)) => assert_eq!(changes, [Change::Stale(CREATE_RS.into())]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_hand_edit_or_a_lost_file_is_made_again() {
    let (dir, _cache, store) = after_one_run("test build");
    let root = dir.path();
    let original = fs::read(root.join(CREATE_RS)).unwrap();
    let mut edited = original.clone();
    edited.extend_from_slice(b"// edited by hand\n");
    fs::write(root.join(CREATE_RS), &edited).unwrap();
    fs::remove_file(root.join("generated/src/im/v1/mod.rs")).unwrap();
    assert_eq!(
        codegen::run(root, false, Some(&store)).unwrap(),
        [
            Change::Stale(CREATE_RS.into()),
            Change::Missing("generated/src/im/v1/mod.rs".into()),
        ]
    );
    assert_eq!(fs::read(root.join(CREATE_RS)).unwrap(), original);
    assert_eq!(codegen::run(root, true, None).unwrap(), []);
}

#[test]
fn a_schema_edit_remakes_the_files_made_from_it() {
    let (dir, _cache, store) = after_one_run("test build");
    let root = dir.path();
    let path = root.join(CREATE);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen(
            "\"description\": \"群类型\"",
            "\"description\": \"群的类型\"",
            1,
        ),
    )
    .unwrap();
    assert_eq!(
        codegen::run(root, false, Some(&store)).unwrap(),
        [
            Change::Stale(CREATE_RS.into()),
            Change::Stale("openapi.json".into()),
        ]
    );
    // What the cached run wrote is what a run that makes everything makes.
    assert_eq!(codegen::run(root, true, None).unwrap(), []);
}

#[test]
fn another_builds_or_an_unreadable_cache_is_not_trusted() {
    let (dir, cache, old) = after_one_run("old build");
    let root = dir.path();
    let original = fs::read(root.join(CREATE_RS)).unwrap();
    edit_behind_the_cache(root, &old.file, CREATE_RS);
    let new = store(cache.path(), "new build", root);
    assert_eq!(
        codegen::run(root, false, Some(&new)).unwrap(),
        [Change::Stale(CREATE_RS.into())]
    );
    assert_eq!(fs::read(root.join(CREATE_RS)).unwrap(), original);
    // The run left a cache for the new build; a broken line spoils it all.
    edit_behind_the_cache(root, &new.file, CREATE_RS);
    let mut text = fs::read_to_string(&new.file).unwrap();
    text.push_str("not a cache line\n");
    fs::write(&new.file, text).unwrap();
    assert_eq!(
        codegen::run(root, false, Some(&new)).unwrap(),
        [Change::Stale(CREATE_RS.into())]
    );
    assert_eq!(fs::read(root.join(CREATE_RS)).unwrap(), original);
}

#[test]
fn a_cache_that_cannot_be_saved_fails_nothing() {
    let dir = checkout();
    let root = dir.path();
    let cache = tempfile::tempdir().unwrap();
    // Its folder is a file: the cache cannot be written there.
    fs::write(cache.path().join("blocked"), "").unwrap();
    let store = Store {
        file: cache.path().join("blocked/cache"),
        build: "test build".into(),
        checkout: root.to_owned(),
    };
    fs::remove_file(root.join(CREATE_RS)).unwrap();
    assert_eq!(
        codegen::run(root, false, Some(&store)).unwrap(),
        [Change::Missing(CREATE_RS.into())]
    );
    assert_eq!(codegen::run(root, true, None).unwrap(), []);
}

/// The binary keeps the cache beside itself; `--no-cache` forgets it.
#[test]
fn the_binary_keeps_a_cache_per_checkout_and_no_cache_forgets_it() {
    let dir = checkout();
    let root = dir.path();
    let binary = Path::new(env!("CARGO_BIN_EXE_xtask"));
    let store = Store::for_binary(binary, root).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(binary)
            .args(args)
            .arg("--root")
            .arg(root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run(&["codegen"]), "generated code is up to date\n");
    edit_behind_the_cache(root, &store.file, CREATE_RS);
    assert_eq!(run(&["codegen"]), "generated code is up to date\n");
    assert_eq!(
        run(&["codegen", "--no-cache"]),
        format!("updated {CREATE_RS}\n")
    );
    // Another checkout has a cache of its own.
    let other = checkout();
    let other_store = Store::for_binary(binary, other.path()).unwrap();
    assert_ne!(other_store.file, store.file);
    assert_eq!(other_store.build, store.build);
    fs::remove_file(&store.file).unwrap();
}

#[test]
fn a_save_removes_the_caches_of_checkouts_that_are_gone() {
    let cache = tempfile::tempdir().unwrap();
    let (kept, gone) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let at = |name: &str, checkout: &Path| Store {
        file: cache.path().join(name),
        build: "test build".into(),
        checkout: checkout.to_owned(),
    };
    let entry = |n| ("generated/src/lib.rs", fingerprint_entry(n));
    at("gone", gone.path()).save([entry(1)]).unwrap();
    at("kept", kept.path()).save([entry(2)]).unwrap();
    fs::write(cache.path().join("not a cache"), "checkout /nowhere\n").unwrap();
    let gone_path = gone.path().to_owned();
    drop(gone);
    at("kept", kept.path()).save([entry(3)]).unwrap();
    let mut left: Vec<String> = fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["kept", "not a cache"]);
    assert!(!gone_path.exists());
    // The kept cache is whole, and only its own checkout reads it.
    let kept_store = at("kept", kept.path());
    assert_eq!(
        kept_store.load().get("generated/src/lib.rs"),
        Some(fingerprint_entry(3))
    );
    let other = at("kept", cache.path());
    assert_eq!(other.load().get("generated/src/lib.rs"), None);
}

fn fingerprint_entry(n: u64) -> xtask::cache::Entry {
    xtask::cache::Entry {
        fingerprint: n,
        content: n * 10,
    }
}
