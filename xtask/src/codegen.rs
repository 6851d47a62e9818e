//! `cargo xtask codegen [--check]`: brings every file codegen owns in line
//! with the schemas, or (with `--check`) says which are not, writing nothing.
//!
//! The generator makes every file it owns (the generated crate's modules,
//! the meta-schema, `openapi.json`) after the schemas are checked, so a bad
//! schema stops the run before any file is touched; each file is compared
//! with the disk as it is made, and [`crate::files::sync`] writes those that
//! differ once all are compared.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use feishu_codegen::{Output, Problems, SRC_DIR, TESTS_DIR, fingerprint};

use crate::cache::{Cache, Entry, Store};
use crate::files::{self, Compared};

pub use crate::files::Change;

/// Folders that hold generated files only: a file in them that no schema
/// produces is an orphan.
pub const OWNED_DIRS: &[&str] = &[SRC_DIR, TESTS_DIR];

/// Why a run failed.
#[derive(Debug)]
pub enum Error {
    /// A schema has mistakes; nothing was written.
    Schema(Problems),
    /// Files are out of date (`--check` only); nothing was written.
    Stale(Vec<Change>),
    /// A file could not be read or written.
    Io(PathBuf, io::Error),
}

impl From<crate::files::Error> for Error {
    fn from(e: crate::files::Error) -> Self {
        match e {
            crate::files::Error::Stale(changes) => Error::Stale(changes),
            crate::files::Error::Io(path, e) => Error::Io(path, e),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Schema(problems) => {
                writeln!(f, "{problems}")?;
                write!(f, "nothing under generated/ was changed")
            }
            Error::Stale(changes) => {
                for change in changes {
                    writeln!(f, "{change}")?;
                }
                write!(
                    f,
                    "generated code is out of date: run `cargo xtask codegen`"
                )
            }
            Error::Io(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

/// Regenerates (or checks) everything below `root`, the workspace root:
/// the generated crate's modules, the meta-schema and `openapi.json`.
/// Returns what changed (or, with `check`, fails listing what would).
///
/// With a `cache` (never read by `check`), a file made from the same
/// inputs by the same build as last time, and unchanged on disk since, is
/// not made again; after a run that is not `check`, the cache holds what
/// this run found. A cache that cannot be saved is only reported: every
/// file it does not vouch for is made next time, which is never wrong.
pub fn run(root: &Path, check: bool, cache: Option<&Store>) -> Result<Vec<Change>, Error> {
    let api = feishu_codegen::load(root).map_err(Error::Schema)?;
    let known = match cache {
        Some(store) if !check => store.load(),
        _ => Cache::default(),
    };
    // Each file is compared with the disk as soon as it is made, on the
    // thread that made it; only those that differ are kept, to be written.
    let found = feishu_codegen::generate_each(&api, |output| compare(root, output, &known));
    let mut entries = Vec::with_capacity(found.len());
    let mut wanted = BTreeMap::new();
    for (rel, result) in found {
        let result = result.map(|(compared, entry)| {
            entries.push((rel.clone(), entry));
            compared
        });
        wanted.insert(rel, result);
    }
    let changes = files::sync(root, wanted, OWNED_DIRS, check)?;
    // A cache that already says all of it is not written again.
    if let Some(store) = cache.filter(|_| !check && !known.holds(&entries)) {
        let entries = entries.iter().map(|(rel, entry)| (rel.as_str(), *entry));
        if let Err(e) = store.save(entries) {
            eprintln!(
                "warning: the codegen cache could not be saved ({}: {e}); the next run may make files it need not",
                store.file.display()
            );
        }
    }
    Ok(changes)
}

/// How one file codegen owns compares with the disk, and what the cache
/// should keep of it. A file the cache vouches for is neither made nor
/// read whole.
fn compare(
    root: &Path,
    output: &Output<'_>,
    cache: &Cache,
) -> Result<(Compared, Entry), files::Error> {
    let rel = output.path();
    let fingerprint = output.fingerprint();
    if let Some(known) = cache.get(rel).filter(|k| k.fingerprint == fingerprint) {
        let path = root.join(rel);
        let content = fingerprint::file_content(&path).map_err(|e| files::Error::Io(path, e))?;
        if content == Some(known.content) {
            return Ok((Compared::UpToDate, known));
        }
    }
    let current = files::read(root, rel)?;
    let text = output.text();
    let entry = Entry {
        fingerprint,
        content: fingerprint::content(text.as_bytes()),
    };
    Ok((Compared::new(current.as_deref(), text), entry))
}
