//! What the last `cargo xtask codegen` made, so that a run makes again only
//! the files whose inputs changed.
//!
//! For every file it owns, a run records the file's fingerprint (a hash of
//! the part of the IR it is made from, [`feishu_codegen::Output`]) and a
//! hash of its bytes. The next run of the same generator build trusts a
//! file whose fingerprint is the same and whose bytes on disk still hash
//! the same, without making it. A schema edit changes the fingerprint, a
//! hand edit or a lost file the bytes, a rebuilt generator the build line:
//! each makes the file again. `--check` never reads the cache: it makes
//! every file.
//!
//! The cache lives beside the running binary (one file per checkout, named
//! by a hash of the checkout's path), so two checkouts sharing a target
//! folder never read each other's, and a clean clone starts with none. A
//! save removes the caches of checkouts that no longer exist (the tests'
//! and benches' scratch checkouts), so the folder does not grow.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::files;

/// The first line of every cache file; another first line is not a cache
/// this code wrote.
const MAGIC: &str = "feishu-openapi codegen cache 1";

/// What a run knew about one file it owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// [`feishu_codegen::Output::fingerprint`].
    pub fingerprint: u64,
    /// [`feishu_codegen::fingerprint::content`] of the file's bytes.
    pub content: u64,
}

/// The files the last run knew, by path relative to the checkout.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
}

impl Cache {
    /// What the last run knew about `rel`.
    pub fn get(&self, rel: &str) -> Option<Entry> {
        self.entries.get(rel).copied()
    }

    /// Whether it knows exactly `entries`, so saving them would change
    /// nothing.
    pub fn holds(&self, entries: &[(String, Entry)]) -> bool {
        self.entries.len() == entries.len()
            && entries
                .iter()
                .all(|(rel, entry)| self.get(rel) == Some(*entry))
    }
}

/// Where a checkout's cache is kept, and which generator build may read it.
#[derive(Clone, Debug)]
pub struct Store {
    /// The cache file.
    pub file: PathBuf,
    /// The build that reads and writes it: a cache another build wrote is
    /// not read, since a different generator may make different text from
    /// the same fingerprint.
    pub build: String,
    /// The checkout it describes.
    pub checkout: PathBuf,
}

impl Store {
    /// The cache of the checkout at `root` for the running binary, kept
    /// beside it.
    pub fn beside_binary(root: &Path) -> io::Result<Store> {
        Store::for_binary(&std::env::current_exe()?, root)
    }

    /// The cache of the checkout at `root` for the generator built as
    /// `binary`, kept beside it; its build is the binary's size and
    /// modification time, which every rebuild changes.
    pub fn for_binary(binary: &Path, root: &Path) -> io::Result<Store> {
        let meta = fs::metadata(binary)?;
        let modified = meta
            .modified()?
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let dir = binary
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_owned)
            .join("xtask-codegen-cache");
        let checkout = fs::canonicalize(root)?;
        let mut hasher = DefaultHasher::new();
        checkout.hash(&mut hasher);
        Ok(Store {
            file: dir.join(format!("{:016x}", hasher.finish())),
            build: format!(
                "{} bytes, modified {}.{:09}",
                meta.len(),
                modified.as_secs(),
                modified.subsec_nanos()
            ),
            checkout,
        })
    }

    /// The cache as the last run of this build left it; empty when there is
    /// none, another build wrote it, or it cannot be read (a run without
    /// one makes every file, which is always right).
    pub fn load(&self) -> Cache {
        let Ok(text) = fs::read_to_string(&self.file) else {
            return Cache::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC)
            || lines.next() != Some(&format!("build {}", self.build))
            || lines.next() != Some(&self.checkout_line())
        {
            return Cache::default();
        }
        let mut entries = HashMap::new();
        for line in lines {
            let Some(entry) = parse_line(line) else {
                return Cache::default();
            };
            entries.insert(entry.0.to_owned(), entry.1);
        }
        Cache { entries }
    }

    /// Replaces the cache with `entries`, atomically, then removes the
    /// caches beside it whose checkout is gone.
    pub fn save<'a>(&self, entries: impl IntoIterator<Item = (&'a str, Entry)>) -> io::Result<()> {
        let mut text = format!("{MAGIC}\nbuild {}\n{}\n", self.build, self.checkout_line());
        for (rel, entry) in entries {
            let _ = writeln!(
                text,
                "{:016x} {:016x} {rel}",
                entry.fingerprint, entry.content
            );
        }
        files::write_atomic(&self.file, &text)?;
        self.remove_orphans();
        Ok(())
    }

    fn checkout_line(&self) -> String {
        format!("checkout {}", self.checkout.display())
    }

    /// Best effort: a cache that cannot be read or removed stays.
    fn remove_orphans(&self) {
        let Some(Ok(siblings)) = self.file.parent().map(fs::read_dir) else {
            return;
        };
        for sibling in siblings.flatten() {
            let path = sibling.path();
            if path == self.file {
                continue;
            }
            let Ok(file) = fs::File::open(&path) else {
                continue;
            };
            let mut head = io::BufRead::lines(io::BufReader::new(file));
            let is_cache = matches!(head.next(), Some(Ok(line)) if line == MAGIC);
            let checkout = head.nth(1).and_then(Result::ok);
            let checkout = checkout
                .as_deref()
                .and_then(|l| l.strip_prefix("checkout "));
            if is_cache && checkout.is_some_and(|c| !Path::new(c).exists()) {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

/// `<fingerprint> <content> <path>`.
fn parse_line(line: &str) -> Option<(&str, Entry)> {
    let (fingerprint, rest) = line.split_once(' ')?;
    let (content, rel) = rest.split_once(' ')?;
    Some((
        rel,
        Entry {
            fingerprint: u64::from_str_radix(fingerprint, 16).ok()?,
            content: u64::from_str_radix(content, 16).ok()?,
        },
    ))
}
