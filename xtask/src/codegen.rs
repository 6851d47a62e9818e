//! `cargo xtask codegen [--check]`: brings every file codegen owns in line
//! with the schemas, or (with `--check`) says which are not, writing nothing.
//!
//! The generator makes every file it owns (the generated crate's modules,
//! the meta-schema, `openapi.json`) after the schemas are checked, so a bad
//! schema stops the run before any file is touched; each file is compared
//! with the disk as it is made, and [`crate::files::sync`] writes those that
//! differ once all are compared.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use feishu_codegen::{API_DIR, FACADE_SRC_DIR, GROUPS_DIR, Problems, TESTS_DIR};

use crate::files::{self, Compared};

pub use crate::files::Change;

/// Folders that hold generated files only: a file in them that no schema
/// produces is an orphan.
pub const OWNED_DIRS: &[&str] = &[API_DIR, GROUPS_DIR, FACADE_SRC_DIR, TESTS_DIR];

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
pub fn run(root: &Path, check: bool) -> Result<Vec<Change>, Error> {
    let api = feishu_codegen::load(root).map_err(Error::Schema)?;
    // Each file is compared with the disk as soon as it is made, on the
    // thread that made it; only those that differ are kept, to be written.
    let wanted = feishu_codegen::generate_each(&api, |rel, text| {
        let current = files::read(root, rel)?;
        Ok(Compared::new(current.as_deref(), text))
    });
    Ok(files::sync(root, wanted, OWNED_DIRS, check)?)
}
