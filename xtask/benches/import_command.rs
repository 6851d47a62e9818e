//! What `cargo xtask import-doc` takes as a user runs it on the whole
//! `pages/` folder (every group-chat endpoint page, and the event pages it
//! skips): the xtask-profile binary started by cargo, and the binary alone.
//! Each run writes its drafts into a fresh scratch `schema/` folder.
//! Prints the median of the repetitions in seconds.
//!
//! `cargo bench -p xtask --bench import_command`
//! (`XTASK_BENCH_REPS`, default 3, sets the repetitions).

mod command;

use std::path::Path;

use command::{build, median, time};

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned();
    let cargo = command::cargo();
    let reps = command::reps();
    let binary = build(&cargo, &workspace);
    let manifest = workspace.join("Cargo.toml");
    let pages = workspace.join("pages");
    let pages = pages.to_str().expect("a UTF-8 workspace path");
    let count = xtask::batch::page_files(Path::new(pages))
        .expect("pages/ reads")
        .len();

    println!("median of {reps} runs, seconds; {count} page files");
    println!("| how | import every page |");
    println!("| --- | --- |");
    let cargo_run = [
        cargo.as_str(),
        "run",
        "-q",
        "--profile",
        "xtask",
        "--manifest-path",
        manifest.to_str().expect("a UTF-8 workspace path"),
        "-p",
        "xtask",
        "--",
    ];
    let binary_run = [binary.to_str().expect("a UTF-8 target path")];
    for (how, start) in [
        ("`cargo xtask import-doc`", &cargo_run[..]),
        ("the binary", &binary_run[..]),
    ] {
        let mut seconds = Vec::new();
        for _ in 0..reps {
            let scratch = tempfile::tempdir().expect("a temp folder");
            let out = scratch.path().join("schema");
            let mut command = start.to_vec();
            command.extend(["import-doc", pages, "--out", out.to_str().unwrap()]);
            seconds.push(time(scratch.path(), &command));
            assert!(out.join("im/v1/chat/create.json").exists());
        }
        println!("| {how} | {:.3} |", median(&mut seconds));
    }
}
