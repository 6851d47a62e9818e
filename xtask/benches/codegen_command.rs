//! What `cargo xtask codegen` takes as a user runs it: the xtask-profile
//! binary, started by cargo, in a checkout of 1, 100 and 1,000 endpoints.
//!
//! Each endpoint is a copy of schema/im/v1/chat/create.json under a resource
//! folder of its own (schema/im/v1/chat_0000/create.json, ...) with a path of
//! its own, in a scratch checkout beside the generated crate's manifest.
//! Timed there (the current folder, as a user's shell would be):
//!
//! - `cargo xtask codegen`: `cargo run -q --profile xtask --manifest-path
//!   <this workspace> -p xtask -- codegen`, what the alias runs, cargo's up-to-date check of
//!   the xtask build included;
//! - the binary: the same xtask-profile `xtask codegen`, started directly.
//!
//! each in four states, in this order:
//!
//! - every file written: every generated file missing, as after a
//!   generator change (the run makes and writes them all);
//! - nothing to write: every file up to date (it makes every file, compares
//!   and writes none);
//! - one schema edited: one endpoint's summary changed since the last run
//!   (it writes that endpoint's file and the files made from the whole API);
//! - `--check`: every file up to date, nothing may be written (what CI and
//!   `cargo test` run).
//!
//! Prints the median of the repetitions in seconds.
//!
//! `cargo bench -p xtask --bench codegen_command [-- N ...]`
//! (`XTASK_BENCH_REPS`, default 3, sets the repetitions).

mod command;

use std::fs;
use std::path::Path;

use command::{build, median, time};
use serde_json::Value;

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned();
    let cargo = command::cargo();
    let reps = command::reps();
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| a.parse().expect("endpoint counts are numbers"))
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1, 100, 1000]
    } else {
        sizes
    };
    let binary = build(&cargo, &workspace);
    let manifest = workspace.join("Cargo.toml");
    let manifest = manifest.to_str().expect("a UTF-8 workspace path");
    let cargo_run = [
        cargo.as_str(),
        "run",
        "-q",
        "--profile",
        "xtask",
        "--manifest-path",
        manifest,
        "-p",
        "xtask",
        "--",
        "codegen",
    ];
    let binary_run = [binary.to_str().expect("a UTF-8 target path"), "codegen"];

    println!("median of {reps} runs, seconds");
    println!(
        "| endpoints | how | every file written | nothing to write | one schema edited | `--check` |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for n in sizes {
        let checkout = checkout(&workspace, n);
        let dir = checkout.path();
        let edited = dir.join("schema/im/v1/chat_0000/create.json");
        for (how, command) in [
            ("`cargo xtask codegen`", &cargo_run[..]),
            ("the binary", &binary_run[..]),
        ] {
            let check: Vec<&str> = command.iter().copied().chain(["--check"]).collect();
            let mut times = [(); 4].map(|()| Vec::new());
            for rep in 0..reps {
                clear(dir);
                times[0].push(time(dir, command));
                assert!(
                    dir.join("generated/feishu-api/src/im/v1/chat_0000/create.rs")
                        .exists()
                );
                times[1].push(time(dir, command));
                let text = fs::read_to_string(&edited).unwrap();
                let text = text.replacen(
                    "\"summary\": \"",
                    &format!("\"summary\": \"{how} {rep} "),
                    1,
                );
                fs::write(&edited, text).unwrap();
                times[2].push(time(dir, command));
                times[3].push(time(dir, &check));
            }
            let [written, nothing, one, check] = times.map(|mut t| median(&mut t));
            println!("| {n} | {how} | {written:.3} | {nothing:.3} | {one:.3} | {check:.3} |");
        }
    }
}

/// A scratch checkout with `n` create-chat-sized endpoints.
fn checkout(workspace: &Path, n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp folder");
    let root = dir.path();
    fs::write(root.join("Cargo.toml"), "[workspace]\n").unwrap();
    let manifest = feishu_codegen::FACADE_MANIFEST_PATH;
    fs::create_dir_all(root.join(manifest).parent().unwrap()).unwrap();
    fs::copy(workspace.join(manifest), root.join(manifest)).unwrap();
    let text = fs::read_to_string(workspace.join("schema/im/v1/chat/create.json")).unwrap();
    let mut base: Value = serde_json::from_str(&text).unwrap();
    // Each copy declares the shared types create chat names itself, so
    // every endpoint is as large as create chat was before types were
    // shared (the version's other shared types belong to other endpoints).
    let api = feishu_codegen::load(workspace).expect("the workspace's schemas check");
    let create = api
        .endpoints
        .iter()
        .find(|e| e.source_file == "schema/im/v1/chat/create.json")
        .expect("create chat is described");
    let used = &create
        .shared
        .as_ref()
        .expect("create chat names shared types")
        .names;
    let shared = fs::read_to_string(workspace.join("schema/im/v1/types.json")).unwrap();
    let shared: Value = serde_json::from_str(&shared).unwrap();
    let own: serde_json::Map<String, Value> = shared["types"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, _)| used.contains(name))
        .map(|(name, ty)| (name.clone(), ty.clone()))
        .collect();
    base["types"] = Value::Object(own);
    for i in 0..n {
        let mut spec = base.clone();
        spec["path"] = Value::String(format!("/open-apis/im/v1/chats_{i:04}"));
        let folder = root.join(format!("schema/im/v1/chat_{i:04}"));
        fs::create_dir_all(&folder).unwrap();
        let text = serde_json::to_string_pretty(&spec).unwrap() + "\n";
        fs::write(folder.join("create.json"), text).unwrap();
    }
    dir
}

/// Removes every file codegen writes.
fn clear(root: &Path) {
    for dir in xtask::codegen::OWNED_DIRS {
        let _ = fs::remove_dir_all(root.join(dir));
    }
    let _ = fs::remove_file(root.join("openapi.json"));
    let _ = fs::remove_file(root.join("schema/endpoint.schema.json"));
    let _ = fs::remove_file(root.join("schema/types.schema.json"));
    let _ = fs::remove_file(root.join("schema/event.schema.json"));
}
