//! Hashes that tell a caller whether a generated file must be made again:
//! [`crate::Output::fingerprint`] over what the file is made from, and
//! [`content`] / [`file_content`] over a file's bytes. Built here, where
//! the dev profile optimizes, since `cargo xtask codegen` hashes every
//! generated file on every run.

use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Read};
use std::path::Path;

/// The hash of a file's bytes.
pub fn content(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// [`content`] of the file at `path`, read in pieces into one small buffer
/// (a file that is up to date is never held whole); `None` when there is
/// no such file.
pub fn file_content(path: &Path) -> io::Result<Option<u64>> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut hasher = DefaultHasher::new();
    let mut buffer = [0u8; 64 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(Some(hasher.finish())),
            // Sip's `write` is streaming: pieces hash as their concatenation.
            Ok(n) => hasher.write(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{content, file_content};

    #[test]
    fn a_file_read_in_pieces_hashes_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        // Larger than the buffer and not a multiple of it.
        let bytes: Vec<u8> = (0..200_003u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(file_content(&path).unwrap(), Some(content(&bytes)));
        assert_ne!(content(&bytes), content(&bytes[1..]));
        assert_eq!(file_content(&dir.path().join("none")).unwrap(), None);
    }
}
