//! The `tranche` binary: glue only. Everything happens in `tranche::cli`.
#![forbid(unsafe_code)]

// A large plan is millions of small strings and vectors; mimalloc allocates and frees them
// faster than the system allocator (docs/benchmarks.md). The library itself picks no allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tranche::cli::main()
}
