//! The one writer of generated files: [`sync`] brings a set of wanted files
//! in line (or with `check`, says which are not), and [`write_atomic`]
//! replaces a file so that a reader never sees half of one.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a run found or did to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The file did not exist.
    Missing(String),
    /// The file differs from what the schemas generate.
    Stale(String),
    /// A file in an owned folder that no schema produces any more.
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

/// Why [`sync`] failed.
#[derive(Debug)]
pub enum Error {
    /// Files are out of date (`check` only); nothing was written.
    Stale(Vec<Change>),
    /// A file could not be read or written.
    Io(PathBuf, io::Error),
}

/// How a wanted file compares with the one on disk. One that differs keeps
/// its text, to be written; one that is up to date keeps nothing.
#[derive(Debug)]
pub enum Compared {
    UpToDate,
    Missing(String),
    Stale(String),
}

impl Compared {
    /// How `text`, what a file should hold, compares with `current`, what
    /// it holds (`None`: the file does not exist).
    pub fn new(current: Option<&[u8]>, text: String) -> Compared {
        match current {
            Some(current) if current == text.as_bytes() => Compared::UpToDate,
            Some(_) => Compared::Stale(text),
            None => Compared::Missing(text),
        }
    }
}

/// The bytes of `rel` (relative to `root`, `/`-separated), or `None` when
/// there is no such file.
pub fn read(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, Error> {
    let path = root.join(rel);
    match fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io(path, e)),
    }
}

/// Brings the files below `root` in line with `wanted`, every wanted file
/// (path relative to `root`) as [`Compared::new`] found it, or with `check` lists
/// what differs and writes nothing.
///
/// `owned` are folders (relative to `root`) that hold nothing but wanted
/// files: any other file in them, hidden files aside, is an orphan and is
/// removed (or listed). Files outside them are only ever written.
///
/// Every file is compared before any is touched; each write replaces its
/// file atomically. Returns the changes in path order (orphans last).
pub fn sync(
    root: &Path,
    wanted: BTreeMap<String, Result<Compared, Error>>,
    owned: &[&str],
    check: bool,
) -> Result<Vec<Change>, Error> {
    // The first file that could not be read, in path order, stops the run.
    let wanted: Vec<(String, Compared)> = wanted
        .into_iter()
        .map(|(rel, compared)| compared.map(|c| (rel, c)))
        .collect::<Result<_, _>>()?;
    let mut changes = Vec::new();
    let mut writes = Vec::new();
    for (rel, compared) in &wanted {
        match compared {
            Compared::UpToDate => {}
            Compared::Missing(text) => {
                changes.push(Change::Missing(rel.clone()));
                writes.push((rel, text));
            }
            Compared::Stale(text) => {
                changes.push(Change::Stale(rel.clone()));
                writes.push((rel, text));
            }
        }
    }
    let mut existing = Vec::new();
    for dir in owned {
        let dir = root.join(dir);
        list_files(root, &dir, &mut existing).map_err(|e| Error::Io(dir, e))?;
    }
    existing.sort();
    existing.dedup();
    let orphans: Vec<String> = existing
        .into_iter()
        .filter(|rel| {
            wanted
                .binary_search_by(|(wanted, _)| wanted.as_str().cmp(rel))
                .is_err()
        })
        .collect();
    changes.extend(orphans.iter().cloned().map(Change::Orphan));
    if check {
        return if changes.is_empty() {
            Ok(changes)
        } else {
            Err(Error::Stale(changes))
        };
    }
    // One thread: on this project's VM (ext4), two threads creating files
    // spent their time waiting on each other in the inode allocator.
    for (rel, text) in writes {
        let path = root.join(rel);
        write_atomic(&path, text).map_err(|e| Error::Io(path, e))?;
    }
    for rel in orphans {
        let path = root.join(&rel);
        fs::remove_file(&path).map_err(|e| Error::Io(path, e))?;
    }
    Ok(changes)
}

/// Every file below `dir` but hidden ones (an editor's swap file, another
/// run's temp file), as `/`-separated paths relative to `root`. A missing
/// `dir` has none.
pub fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}

/// Writes `text` to a temp file beside `path`, then renames it over `path`,
/// creating the folder if needed. A reader sees the old file or the new
/// one, never a part; a crash right after may lose the new one.
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        // No fsync: the rename alone keeps readers from half a file, and a
        // file lost to a crash is regenerated (and `--check` names it).
        // Syncing each of 2,000 files took seconds (BENCHMARKS.md).
        file.write_all(text.as_bytes())?;
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
    result
}
