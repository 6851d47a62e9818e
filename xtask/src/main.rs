use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Write a draft schema from a Feishu doc page, or drafts from a folder
    /// of pages; a page that fails writes nothing (in a folder, the others
    /// are still written and the run exits 2).
    ImportDoc {
        /// The doc page (doc-source or rendered form), or a folder: every
        /// endpoint page below it (others are skipped), one line per page.
        page: PathBuf,
        /// Where to write the draft; for a folder of pages, a schema folder
        /// where each draft goes to `<group>/<version>/<resource>/<method>.json`
        /// from the page's API name (`chat.tab` -> `chat_tab`); without an
        /// explorer link, from its address (no `v<N>` in it: `v1` after the
        /// project), from a 2.0 event type, from the page file's
        /// `<group>/<version>/` folders, or for a 1.0 event from its doc
        /// address (`.../approval-v4/event/special-event/leave` ->
        /// `approval/v4/special_event/events/<event type>.json`). Of pages
        /// that claim one place, the one placed by its explorer link, else
        /// a current one (not `historic-version/`), else the first by doc
        /// address keeps it; each other goes beside it, named after the last segment of its doc address
        /// (`refresh-user-access-token` -> `refresh_user_access_token.json`),
        /// else numbered (`token_2.json`).
        #[arg(long, short)]
        out: PathBuf,
        /// An existing schema whose human decisions (type and error names,
        /// wording, rules, aliases) to take where the page agrees with it;
        /// for a folder of pages, a schema folder (each page's schema at
        /// its place, where it exists).
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
    /// List what a schema must change to match its doc page, one line per
    /// difference starting with its class (shape, example, wording,
    /// source); exit 1 if any class not ignored differs.
    Drift {
        /// The doc page, or a folder: every page below it, one summary per
        /// page (pages that describe no endpoint are skipped).
        page: PathBuf,
        /// The schema (default: the one under schema/ whose `source.url` is
        /// the page's `source_url`); for a folder of pages, a schema folder
        /// laid out like schema/ (`<group>/<version>/<resource>/<method>.json`).
        schema: Option<PathBuf>,
        /// Classes that do not fail the run (still printed, marked
        /// `(ignored)`), e.g. `--ignore wording,example,source` in CI.
        #[arg(long, value_enum, value_delimiter = ',')]
        ignore: Vec<xtask::drift::Class>,
    },
    /// Import every page that exists in both forms (paired by address:
    /// the doc source's `source`, the rendered page's `source_url`) and
    /// print one line per difference of the two drafts, at its JSON
    /// pointer, then a tally; exit 1 if any pair differs, 2 if one cannot
    /// be compared.
    TwoForms {
        /// The folder of doc-source pages.
        source: PathBuf,
        /// The folder of rendered pages.
        rendered: PathBuf,
    },
}

fn main() -> ExitCode {
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
        } if page.is_dir() => summarize(xtask::batch::import(
            &page,
            &out,
            decisions.as_deref(),
            types.as_deref(),
            force,
        )),
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
        Task::Drift {
            page,
            schema,
            ignore,
        } if page.is_dir() => {
            summarize(xtask::batch::drift(&page, schema.as_deref(), &ignore, root))
        }
        Task::Drift {
            page,
            schema,
            ignore,
        } => drift(&page, schema.as_deref(), &ignore, root),
        Task::TwoForms { source, rendered } => match xtask::two_forms::run(&source, &rendered) {
            Ok((lines, tally, differ, failed)) => {
                for line in &lines {
                    println!("{line}");
                }
                println!("{tally}");
                ExitCode::from(if failed { 2 } else { u8::from(differ) })
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
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

/// Exit 0 when the schema matches the page (or differs only in ignored
/// classes), 1 listing the differences, 2 when the page or schema cannot be
/// read.
fn drift(
    page: &Path,
    schema: Option<&Path>,
    ignore: &[xtask::drift::Class],
    root: impl FnOnce() -> Result<PathBuf, String>,
) -> ExitCode {
    match xtask::drift::run(page, schema, root) {
        Ok((schema, lines)) if lines.is_empty() => {
            println!("no drift: {schema} matches {}", page.display());
            ExitCode::SUCCESS
        }
        Ok((_, lines)) => {
            let mut failed = false;
            for line in &lines {
                if ignore.contains(&line.class) {
                    println!("(ignored) {line}");
                } else {
                    failed = true;
                    println!("{line}");
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints a run over many pages, a line (or block) per page and a tally;
/// exits with the worst page's status.
fn summarize(outcomes: Result<Vec<xtask::batch::Outcome>, String>) -> ExitCode {
    match outcomes {
        Ok(outcomes) => {
            for outcome in &outcomes {
                println!("{}", outcome.line());
            }
            println!("{}", xtask::batch::tally(&outcomes));
            ExitCode::from(xtask::batch::status(&outcomes))
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
