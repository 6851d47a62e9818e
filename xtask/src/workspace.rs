//! Which checkout a command works on: the one it is run in.
//!
//! `cargo xtask` runs the binary in the folder where the user typed the
//! command, so the checkout is found from there, never from a path compiled
//! into the binary: two checkouts sharing one `CARGO_TARGET_DIR` run the
//! same binary, and each run must read and write only its own checkout.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// No folder from the starting one up is a checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    /// Where the search started.
    pub start: PathBuf,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no feishu-openapi checkout here: neither {} nor a folder above it holds a Cargo.toml with a [workspace] table beside a schema/ folder\n  \
             fix: run `cargo xtask` inside the checkout",
            self.start.display()
        )
    }
}

impl std::error::Error for NotFound {}

/// The first folder from `start` up (`start` included) whose `Cargo.toml`
/// has a `[workspace]` table and which holds a `schema/` folder.
pub fn find(start: &Path) -> Result<PathBuf, NotFound> {
    start
        .ancestors()
        .find(|dir| is_checkout(dir))
        .map(Path::to_owned)
        .ok_or_else(|| NotFound {
            start: start.to_owned(),
        })
}

fn is_checkout(dir: &Path) -> bool {
    if !dir.join("schema").is_dir() {
        return false;
    }
    let Ok(text) = fs::read_to_string(dir.join("Cargo.toml")) else {
        return false;
    };
    text.parse::<toml::Table>()
        .is_ok_and(|manifest| manifest.get("workspace").is_some_and(toml::Value::is_table))
}
