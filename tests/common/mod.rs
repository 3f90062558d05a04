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

impl Run {
    /// Panics, showing stderr, unless stderr holds `text`.
    pub fn assert_stderr_has(&self, text: &str) {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
    }

    /// Panics, naming `what` (the plan run) and showing the whole transcript, unless stderr
    /// holds `text`.
    pub fn assert_stderr_has_for(&self, what: &str, text: &str) {
        assert!(
            self.stderr.contains(text),
            "{what}: stderr lacks {text:?}:\n{}",
            self.transcript()
        );
    }

    /// Panics, showing stdout, unless stdout holds `text`.
    pub fn assert_stdout_has(&self, text: &str) {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}",
            self.stdout
        );
    }
}

/// The file name of `path`, as text (a fixture's name, which says what it is for).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
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

/// `tranche check` on the fixture at `path` in tests/fixtures/`folder`/, whose name gives the
/// code it is about (`trip_W107_high_float.tranche`, `err_E001_syntax.tranche`): the fixture's
/// path from the repository root, the code, and the run.
pub fn check_fixture(folder: &str, path: &Path) -> (String, String, Run) {
    let name = file_name(path);
    let code = name
        .split('_')
        .nth(1)
        .expect("fixture named PREFIX_CODE_what.tranche")
        .to_string();
    let rel = format!("tests/fixtures/{folder}/{name}");
    let run = tranche(&["check", &rel]);
    (rel, code, run)
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

/// A plan read from text through the library's one pipeline, as the commands that show a plan
/// read it (`tranche::source::analyse_files` over a `MemoryFs`; no lints), so a test depends on
/// the plan language rather than on the layout of the model's structs.
#[derive(Debug)]
pub struct Analysed {
    pub portfolio: tranche::model::Portfolio,
    pub analysis: tranche::analysis::Analysis,
    /// Everything said about the plan: warnings, and the verdicts (a missed deadline or
    /// target, an overspent budget) that do not stop a command.
    pub diagnostics: Vec<tranche::diagnostic::Diagnostic>,
}

/// `text` (one file, `plan.tranche`) read, validated and analysed, whatever it holds: the
/// library's own answer, for tests of plans that do not hold together (a cycle, work past the
/// calendars' end).
pub fn pipeline(text: &str) -> tranche::source::Analysed {
    let mut sources = tranche::diagnostic::SourceMap::new();
    tranche::source::analyse_files(
        &tranche::source::MemoryFs::single(text),
        Path::new("plan.tranche"),
        &mut sources,
        tranche::source::Options {
            includes: tranche::source::Includes::InsideFolder,
            detail: tranche::finance::Detail::Full,
            lints: false,
            level: tranche::analysis::Level::Off,
        },
    )
}

/// `text` (one file, `plan.tranche`) analysed; panics, naming the diagnostics, when the plan
/// cannot be shown (a syntax error, an unknown name, a cycle, ...).
pub fn analysed_text(text: &str) -> Analysed {
    showable(pipeline(text), text)
}

/// The plan in the file at `path` (relative to the repository root, includes followed on
/// disk), as [`analysed_text`] reads text.
pub fn analysed_file(path: &str) -> Analysed {
    let mut sources = tranche::diagnostic::SourceMap::new();
    let analysed = tranche::source::analyse_files(
        &tranche::cli::StdFs,
        &root().join(path),
        &mut sources,
        tranche::source::Options {
            includes: tranche::source::Includes::InsideFolder,
            detail: tranche::finance::Detail::Full,
            lints: false,
            level: tranche::analysis::Level::Off,
        },
    );
    showable(analysed, path)
}

/// The plan analysed, which must be showable; `what` names it in the panic.
fn showable(analysed: tranche::source::Analysed, what: &str) -> Analysed {
    assert!(
        analysed.is_showable(),
        "the plan has errors: {:?}\n{what}",
        analysed.diagnostics
    );
    Analysed {
        portfolio: analysed.portfolio.expect("a portfolio"),
        analysis: analysed.analysis.expect("an analysis"),
        diagnostics: analysed.diagnostics,
    }
}

/// A date written as the plan language writes it, `2021-04-01` (panics on anything else: a
/// mistake in the test). The one date helper of the tests.
pub fn date(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("`{text}` is a date: {e}"))
}

/// `n days` in the plan language (`1 day`).
pub fn days(n: impl std::fmt::Display) -> String {
    let n = n.to_string();
    if n == "1" || n == "-1" {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// A dependency line of the plan language: `kind` is FS, SS, FF or SF, `lag` in working days
/// (negative: a lead). `after on`, `after start of on + 2 days`, `finishes after on - 1 day`, ...
pub fn after(kind: &str, on: &str, lag: i32) -> String {
    let words = match kind {
        "FS" => "after",
        "SS" => "after start of",
        "FF" => "finishes after",
        "SF" => "finishes after start of",
        _ => panic!("no link kind {kind}"),
    };
    match lag {
        0 => format!("{words} {on}"),
        lag if lag > 0 => format!("{words} {on} + {}", days(lag)),
        lag => format!("{words} {on} - {}", days(-lag)),
    }
}

/// The link kinds by the codes [`after`] takes, in the model's order.
pub const KINDS: [&str; 4] = ["FS", "SS", "FF", "SF"];

/// A small deterministic random number generator (xorshift), so generated plans are the same
/// on every run without a dependency.
#[derive(Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// The next number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A temporary folder holding `files` (path inside it, text), folders made as needed.
pub fn in_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("make folder");
        }
        std::fs::write(path, text).expect("write plan");
    }
    dir
}

/// A temporary folder holding the one file `name` with `text`, and the path of that file.
pub fn file_in_dir(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = in_dir(&[(name, text)]);
    let path = dir.path().join(name);
    (dir, path)
}

/// Panics unless the program that gave `output` succeeded, saying `what` it was and showing
/// its stderr.
pub fn assert_ran(output: &std::process::Output, what: &str) {
    assert!(
        output.status.success(),
        "{what}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The element of the JSON array `json[list]` whose `key` is `value`; panics naming them when
/// there is none.
pub fn json_find<'a>(
    json: &'a serde_json::Value,
    list: &str,
    key: &str,
    value: &str,
) -> &'a serde_json::Value {
    json[list]
        .as_array()
        .and_then(|items| items.iter().find(|item| item[key] == value))
        .unwrap_or_else(|| panic!("no element of `{list}` has {key} `{value}`"))
}

/// The names of the files in `dir`, to check that nothing is left behind.
pub fn names_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("a readable folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}
