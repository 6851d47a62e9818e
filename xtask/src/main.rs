use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Workspace tasks for feishu-openapi.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the generated crate and the meta-schema from schema/.
    Codegen {
        /// Write nothing; exit non-zero naming each file that is out of date.
        #[arg(long)]
        check: bool,
        /// Workspace root (default: the one this xtask belongs to).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::Codegen { check, root } => {
            let root = root.unwrap_or_else(workspace_root);
            match xtask::codegen::run(&root, check) {
                Ok(changes) => {
                    for change in &changes {
                        println!("{}", change_line(change));
                    }
                    if changes.is_empty() {
                        println!("generated code is up to date");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// What a write run did; a check run with changes fails instead.
fn change_line(change: &xtask::codegen::Change) -> String {
    use xtask::codegen::Change;
    match change {
        Change::Missing(p) => format!("created {p}"),
        Change::Stale(p) => format!("updated {p}"),
        Change::Orphan(p) => format!("removed {p}"),
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}
