//! `cargo xtask codegen [--check]`: brings every file codegen owns in line
//! with the schemas, or (with `--check`) says which are not, writing nothing.
//!
//! Everything is generated in memory first, so a bad schema stops the run
//! before any file is touched; each file is then replaced atomically
//! (temp file + rename), so a reader never sees half a file.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use feishu_codegen::{API_DIR, Problems};

/// What a run found or did to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The file did not exist.
    Missing(String),
    /// The file differs from what the schemas generate.
    Stale(String),
    /// A generated file that no schema produces any more.
    Orphan(String),
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Missing(p) => write!(f, "missing: {p}"),
            Change::Stale(p) => write!(f, "stale: {p}"),
            Change::Orphan(p) => write!(f, "orphan (no schema produces it): {p}"),
        }
    }
}

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

/// Regenerates (or checks) everything below `root`, the workspace root.
/// Returns what changed (or, with `check`, fails listing what would).
pub fn run(root: &Path, check: bool) -> Result<Vec<Change>, Error> {
    let endpoints = feishu_codegen::load(root).map_err(Error::Schema)?;
    let wanted = feishu_codegen::generate(&endpoints);
    let changes = diff(root, &wanted)?;
    if check {
        return if changes.is_empty() {
            Ok(changes)
        } else {
            Err(Error::Stale(changes))
        };
    }
    for change in &changes {
        match change {
            Change::Missing(rel) | Change::Stale(rel) => {
                write_atomic(&root.join(rel), &wanted[rel])?
            }
            Change::Orphan(rel) => {
                let path = root.join(rel);
                fs::remove_file(&path).map_err(|e| Error::Io(path, e))?;
            }
        }
    }
    Ok(changes)
}

fn diff(root: &Path, wanted: &BTreeMap<String, String>) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    for (rel, text) in wanted {
        let path = root.join(rel);
        match fs::read_to_string(&path) {
            Ok(current) if current == *text => {}
            Ok(_) => changes.push(Change::Stale(rel.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                changes.push(Change::Missing(rel.clone()))
            }
            Err(e) => return Err(Error::Io(path, e)),
        }
    }
    let mut existing = Vec::new();
    list_rs(root, &root.join(API_DIR), &mut existing)
        .map_err(|e| Error::Io(root.join(API_DIR), e))?;
    for rel in existing {
        if !wanted.contains_key(&rel) {
            changes.push(Change::Orphan(rel));
        }
    }
    Ok(changes)
}

fn list_rs(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_rs(root, &path, out)?;
        } else if path.extension().is_some_and(|x| x == "rs") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    out.sort();
    Ok(())
}

/// Writes `text` to a temp file beside `path`, then renames it over `path`.
fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    let io_err = |e| Error::Io(path.to_owned(), e);
    let dir = path.parent().expect("generated files live in a folder");
    fs::create_dir_all(dir).map_err(io_err)?;
    let name = path.file_name().expect("a file name").to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        // A read-only target must fail like a direct write would, not be
        // silently replaced by the rename.
        if fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only",
            ));
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io_err)
}
