//! The global allocator of `cargo xtask`: mimalloc.
//!
//! The generator allocates a small string for every identifier syn reads or
//! clones; with mimalloc it runs about a quarter faster than with the
//! system allocator (BENCHMARKS.md, generator section).
//!
//! It lives in a crate of its own because rustc writes the allocation shim
//! (`__rust_alloc` and friends, which every allocation goes through) into
//! the crate that declares `#[global_allocator]`, at that crate's
//! optimization level. Declared in xtask, the shim ran unoptimized in the
//! dev profile and took about a sixth of `cargo xtask codegen`; this crate
//! is built optimized (the root Cargo.toml) and never rebuilds when the
//! generator or xtask changes.

#![no_std]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
