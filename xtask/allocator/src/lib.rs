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

use core::ffi::{c_int, c_long};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
}

/// `mi_option_purge_delay` in the `mi_option_t` enum of the mimalloc.h
/// that libmimalloc-sys 0.1.49 builds (the same in its v2 and v3), which
/// the crate does not name.
const MI_OPTION_PURGE_DELAY: c_int = 15;

/// Keeps the memory the program frees for the program to reuse, instead of
/// handing it back to the OS after a short delay. A run of `cargo xtask
/// codegen` frees and allocates hundreds of MB within a second or two;
/// memory handed back and taken again costs a page fault and a zeroed page
/// each time (5 % of a 1,000-endpoint run).
pub fn keep_freed_memory() {
    // SAFETY: mimalloc reads the option whenever it would purge; -1, never,
    // is a valid value at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}
