//! The crate's integration tests, one binary: each module below was a
//! test binary of its own, and linking each against the whole dependency
//! tree cost more than running them.

mod common;
#[path = "../../codegen/tests/scratch/mod.rs"]
mod scratch;

mod cell_rules;
mod checkouts;
mod codegen;
mod drift;
mod drift_source;
mod flat_tables;
mod import;
mod import_all;
mod import_classes;
mod import_events;
mod import_fit;
mod import_raw;
mod many_pages;
mod openapi;
mod promote;
mod readme_groups;
mod rendered_pages;
mod source_pages;
mod source_robust;
mod source_text;
mod two_forms;
