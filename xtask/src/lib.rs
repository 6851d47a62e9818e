//! The workspace's tasks, as a library so tests can run them.

pub mod batch;
pub mod codegen;
pub mod drift;
pub mod files;
pub mod import;
pub mod page;
pub mod schema_file;
pub mod two_forms;
pub mod workspace;
