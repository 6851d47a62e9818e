use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// The generator allocates a small string for every identifier syn reads or
// clones; with mimalloc it runs about a quarter faster than with the system
// allocator (BENCHMARKS.md, generator section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Export every schema as one OpenAPI 3.1 document, openapi.json.
    Openapi {
        /// Write nothing; exit non-zero if openapi.json is out of date.
        #[arg(long)]
        check: bool,
        /// Workspace root (default: the one this xtask belongs to).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// Write a draft schema from a Feishu doc page (markdown form).
    ImportDoc {
        /// The doc page.
        page: PathBuf,
        /// Where to write the draft.
        #[arg(long, short)]
        out: PathBuf,
        /// An existing schema whose human decisions (type and error names,
        /// wording, rules, aliases) to take where the page agrees with it.
        #[arg(long)]
        decisions: Option<PathBuf>,
        /// Overwrite `--out` if it exists.
        #[arg(long)]
        force: bool,
    },
    /// List what a schema must change to match its doc page; exit 1 if any.
    Drift {
        /// The doc page.
        page: PathBuf,
        /// The schema (default: the one under schema/ whose `source.url` is
        /// the page's `source_url`).
        schema: Option<PathBuf>,
        /// Workspace root (default: the one this xtask belongs to).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::ImportDoc {
            page,
            out,
            decisions,
            force,
        } => match xtask::import::run(&page, &out, decisions.as_deref(), force) {
            Ok(open) => {
                for decision in &open {
                    eprintln!("decide: {decision}");
                }
                println!("wrote {}", out.display());
                if !open.is_empty() {
                    eprintln!(
                        "{} open decision(s): resolve every TODO_ name before `cargo xtask codegen`",
                        open.len()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("nothing was written");
                ExitCode::from(2)
            }
        },
        Task::Openapi { check, root } => report(xtask::openapi::run(
            &root.unwrap_or_else(workspace_root),
            check,
        )),
        Task::Drift { page, schema, root } => {
            let root = root.unwrap_or_else(workspace_root);
            drift(&page, schema.as_deref(), &root)
        }
        Task::Codegen { check, root } => report(xtask::codegen::run(
            &root.unwrap_or_else(workspace_root),
            check,
        )),
    }
}

/// Prints what a codegen-style run did, or why it failed.
fn report(result: Result<Vec<xtask::codegen::Change>, xtask::codegen::Error>) -> ExitCode {
    match result {
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

/// Exit 0 when the schema matches the page, 1 listing the differences, 2
/// when the page or schema cannot be read.
fn drift(page: &Path, schema: Option<&Path>, root: &Path) -> ExitCode {
    match xtask::drift::run(page, schema, root) {
        Ok((schema, lines)) if lines.is_empty() => {
            println!("no drift: {schema} matches {}", page.display());
            ExitCode::SUCCESS
        }
        Ok((_, lines)) => {
            for line in &lines {
                println!("{line}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
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
