//! A mistake in a schema file, told so a human can fix it.

use std::fmt;

/// One problem: where it is and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The schema file, relative to the workspace root.
    pub file: String,
    /// JSON path of the bad value, e.g. `body.fields[3].type`; empty for the
    /// whole file.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.path.is_empty() {
            "(file)"
        } else {
            &self.path
        };
        write!(
            f,
            "{}: {at}: {}\n  fix: {}",
            self.file, self.message, self.fix
        )
    }
}

impl std::error::Error for Problem {}

/// Several problems, reported together so one run shows them all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}
