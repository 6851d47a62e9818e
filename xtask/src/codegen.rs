//! `cargo xtask codegen [--check]`: brings every file codegen owns in line
//! with the schemas, or (with `--check`) says which are not, writing nothing.
//!
//! Everything is generated in memory first, so a bad schema stops the run
//! before any file is touched; each file is then replaced atomically
//! (temp file + rename), so a reader never sees half a file.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use feishu_codegen::{Problems, SRC_DIR};

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

/// Regenerates (or checks) everything below `root`, the workspace root:
/// the generated crate's modules, the meta-schema and `openapi.json`.
/// Returns what changed (or, with `check`, fails listing what would).
pub fn run(root: &Path, check: bool) -> Result<Vec<Change>, Error> {
    let endpoints = feishu_codegen::load(root).map_err(Error::Schema)?;
    let mut wanted = feishu_codegen::generate(&endpoints);
    wanted.insert(
        crate::openapi::OPENAPI_PATH.to_owned(),
        crate::openapi::render(&endpoints),
    );
    sync(root, &wanted, Some(SRC_DIR), check)
}

/// Brings the files in `wanted` (paths relative to `root`) in line, or with
/// `check` lists what differs and writes nothing. Files below
/// `orphans_under` that `wanted` lacks are removed (or listed).
pub fn sync(
    root: &Path,
    wanted: &BTreeMap<String, String>,
    orphans_under: Option<&str>,
    check: bool,
) -> Result<Vec<Change>, Error> {
    let changes = diff(root, wanted, orphans_under)?;
    if check {
        return if changes.is_empty() {
            Ok(changes)
        } else {
            Err(Error::Stale(changes))
        };
    }
    for change in &changes {
        let (Change::Missing(rel) | Change::Stale(rel) | Change::Orphan(rel)) = change;
        let path = root.join(rel);
        let done = match change {
            Change::Orphan(_) => fs::remove_file(&path),
            _ => crate::files::write_atomic(&path, &wanted[rel]),
        };
        done.map_err(|e| Error::Io(path, e))?;
    }
    Ok(changes)
}

fn diff(
    root: &Path,
    wanted: &BTreeMap<String, String>,
    orphans_under: Option<&str>,
) -> Result<Vec<Change>, Error> {
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
    if let Some(dir) = orphans_under {
        list_rs(root, &root.join(dir), &mut existing).map_err(|e| Error::Io(root.join(dir), e))?;
    }
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
