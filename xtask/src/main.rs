use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// mimalloc, declared in a crate the dev profile builds optimized (see there).
use xtask_allocator::keep_freed_memory;

/// Workspace tasks for feishu-openapi. Run them anywhere inside a checkout:
/// they work on the checkout they are run in.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
    /// Checkout to work on (default: the one the current folder is in).
    #[arg(long, hide = true, global = true)]
    root: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the generated crate, the meta-schema and openapi.json
    /// from schema/.
    Codegen {
        /// Write nothing; exit non-zero naming each file that is out of date.
        #[arg(long)]
        check: bool,
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
        /// The version's shared types (default: the `types.json` two
        /// folders above `--out`), named instead of declared again.
        #[arg(long)]
        types: Option<PathBuf>,
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
    },
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    let given = cli.root;
    let root = move || match given {
        Some(root) => Ok(root),
        None => find_checkout(),
    };
    match cli.task {
        Task::ImportDoc {
            page,
            out,
            decisions,
            types,
            force,
        } => match xtask::import::run(&page, &out, decisions.as_deref(), types.as_deref(), force) {
            Ok(open) => {
                for decision in &open {
                    eprintln!("decide: {decision}");
                }
                println!("wrote {}", out.display());
                if !open.is_empty() {
                    eprintln!(
                        "{} open decision(s): the draft works as it is; settle them before review",
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
        Task::Drift { page, schema } => drift(&page, schema.as_deref(), root),
        Task::Codegen { check } => match root() {
            Ok(root) => report(xtask::codegen::run(&root, check)),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

/// The checkout the current folder is in.
fn find_checkout() -> Result<PathBuf, String> {
    let here =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    xtask::workspace::find(&here).map_err(|e| e.to_string())
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
fn drift(
    page: &Path,
    schema: Option<&Path>,
    root: impl FnOnce() -> Result<PathBuf, String>,
) -> ExitCode {
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
