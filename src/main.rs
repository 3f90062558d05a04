//! The `tranche` binary: glue only. Everything happens in `tranche::cli`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    tranche::cli::main()
}
