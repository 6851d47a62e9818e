//! What the command benches share: building the xtask binary as `cargo
//! xtask` does (its own `xtask` profile), and timing one run of a command.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

/// The cargo that runs the bench.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Repetitions per figure: `XTASK_BENCH_REPS`, default 3.
pub fn reps() -> usize {
    std::env::var("XTASK_BENCH_REPS")
        .ok()
        .map_or(3, |r| r.parse().expect("XTASK_BENCH_REPS is a number"))
}

/// Builds the xtask binary as `cargo xtask` would; its path.
pub fn build(cargo: &str, workspace: &Path) -> PathBuf {
    let out = Command::new(cargo)
        .current_dir(workspace)
        .args([
            "build",
            "-q",
            "--profile",
            "xtask",
            "-p",
            "xtask",
            "--bin",
            "xtask",
        ])
        .args(["--message-format", "json-render-diagnostics"])
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo build -p xtask failed");
    String::from_utf8(out.stdout)
        .expect("cargo writes UTF-8")
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "xtask")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the xtask executable")
}

/// Seconds one run of `command` takes in `dir`; it must succeed.
pub fn time(dir: &Path, command: &[&str]) -> f64 {
    let start = Instant::now();
    let out = Command::new(command[0])
        .args(&command[1..])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("the command runs");
    let seconds = start.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        command.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    seconds
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
