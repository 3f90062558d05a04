//! The `tranche` binary: glue only. Everything happens in `tranche::cli`.
//!
//! The project's only `unsafe` is here: two calls into the allocator, one setting an option
//! and one giving freed memory back (the library itself forbids `unsafe`).
#![deny(unsafe_code)]

// A large plan is millions of small strings and vectors; mimalloc allocates and frees them
// faster than the system allocator (docs/benchmarks.md). The library itself picks no allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    allocator::return_freed_memory_promptly();
    tranche::cli::when_memory_is_freed(allocator::give_back_freed_memory);
    tranche::cli::main()
}

/// The allocator's one setting and its one call, the project's only `unsafe` blocks.
#[allow(unsafe_code)]
mod allocator {
    /// `mi_option_purge_delay` in mimalloc's `mi_option_t` (mimalloc.h, version 3, as vendored
    /// by libmimalloc-sys 0.1.49). mimalloc keeps these numbers stable across versions: retired
    /// options keep their slot (`mi_option_deprecated_*`), new ones are added at the end.
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

    /// How long freed memory stays with mimalloc before it goes back to the system, in
    /// milliseconds. Validation frees the plan's tree item by item while it builds the model
    /// (see `model::validate`); with mimalloc 3's default of a second, a command of a few
    /// hundred milliseconds never gives any of it back, and the tree and the model cost their
    /// sum in resident memory (docs/benchmarks.md). 10 ms is mimalloc 2's default.
    const PURGE_DELAY_MS: std::ffi::c_long = 10;

    unsafe extern "C" {
        /// mimalloc's `void mi_option_set(mi_option_t option, long value)`, linked in by the
        /// `mimalloc` crate.
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
        /// mimalloc's `void mi_collect(bool force)`: frees what it holds for later use and,
        /// with `force`, gives the freed pages back to the system now.
        fn mi_collect(force: bool);
    }

    /// Gives the memory freed so far back to the system now (`tranche::cli::when_memory_is_freed`).
    pub(crate) fn give_back_freed_memory() {
        // SAFETY: `mi_collect` takes no pointers; it walks the calling thread's own heap and
        // the segments it owns, and is safe to call at any time from a thread that allocates.
        unsafe { mi_collect(true) };
    }

    /// Sets mimalloc's purge delay to [`PURGE_DELAY_MS`], unless the user set it with
    /// mimalloc's own environment variable (`MIMALLOC_PURGE_DELAY`), which is left to win.
    pub(crate) fn return_freed_memory_promptly() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: `mi_option_set` takes no pointers: it checks the option number against its
        // table (ignoring one out of range) and stores the value there. The stores are plain,
        // so this runs first thing in `main`, before the program starts any other thread.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}
