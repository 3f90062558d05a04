//! Helpers shared by the integration tests: run the real `tranche` binary and describe what a
//! user would see.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        let mut out = format!("exit: {}\n", self.code);
        if !self.stdout.is_empty() {
            out.push_str("--- stdout\n");
            out.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            out.push_str("--- stderr\n");
            out.push_str(&self.stderr);
        }
        out
    }
}

/// Runs `tranche ARGS` in `dir` with colour off.
pub fn tranche_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the tranche binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `tranche ARGS` from the repository root, so paths in output are stable and relative.
pub fn tranche(args: &[&str]) -> Run {
    tranche_in(&root(), args)
}

/// Every `.tranche` file under `dir` (recursively), sorted, relative to the repository root.
pub fn plans_under(dir: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tranche") {
                let rel = path.strip_prefix(root()).expect("under the root");
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// A plan read from text through the library's one pipeline (`tranche::source::check_text`:
/// parse, validate, analyse, lint), so a test depends on the plan language rather than on the
/// layout of the model's structs.
#[derive(Debug)]
pub struct Analysed {
    pub portfolio: tranche::model::Portfolio,
    pub analysis: tranche::analysis::Analysis,
    /// Everything said about the plan: warnings, and the verdicts (a missed deadline or
    /// target, an overspent budget) that do not stop a command.
    pub diagnostics: Vec<tranche::diagnostic::Diagnostic>,
}

/// `text` (one file, `plan.tranche`) checked and analysed; panics, naming the diagnostics,
/// when the plan cannot be shown (a syntax error, an unknown name, a cycle, ...).
pub fn analysed_text(text: &str) -> Analysed {
    showable(tranche::source::check_text(text), text)
}

/// The plan checked, which must be showable; `what` names it in the panic.
fn showable(checked: tranche::source::Checked, what: &str) -> Analysed {
    let stopping: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.stops_commands())
        .collect();
    assert!(stopping.is_empty(), "the plan has errors: {stopping:?}\n{what}");
    Analysed {
        portfolio: checked.portfolio.expect("a portfolio"),
        analysis: checked.analysis.expect("an analysis"),
        diagnostics: checked.diagnostics,
    }
}

/// The plan in the file at `path` (relative to the repository root, includes followed on
/// disk), as [`analysed_text`] reads text.
pub fn analysed_file(path: &str) -> Analysed {
    let checked = tranche::source::check_files(
        &tranche::cli::StdFs,
        &root().join(path),
        tranche::finance::Detail::Full,
    );
    showable(checked, path)
}
